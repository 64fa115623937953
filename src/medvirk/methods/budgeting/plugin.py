"""Deltakende budsjettering (participatory budgeting): the plug-in the core reads to show,
permit, export and seed the method."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.urls import URLPattern, URLResolver
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from medvirk.core import audit_labels
from medvirk.identity.types import AssuranceLevel
from medvirk.processes import permissions
from medvirk.processes.phases import Timing
from medvirk.processes.registry import (
    Action,
    ContributionKind,
    DemoInstance,
    Export,
    MethodPlugin,
    MethodStatus,
    PrimaryAction,
)
from medvirk.processes.types import MethodInstance
from medvirk.vocabulary import PhaseKind, Rung

from . import ballots, demo, exports, queries, staff_views, views
from .actions import KIND, PROPOSE, VOTE, stage_of
from .config import rules_of
from .explain import support_text
from .forms import BudgetPhaseSettings, BudgetSettings, IdeaForm
from .personal_data import SECTIONS
from .staff_actions import AUDIT_LABELS
from .stages import Stage

audit_labels.register(AUDIT_LABELS)

# The budget's stages follow the case's phases (see stages.py), not the method's own
# phase: the method decides when ideas and ballots are taken.
ALL_TIMES = frozenset({Timing.BEFORE, Timing.DURING, Timing.AFTER})


def _report_block(
    instance: MethodInstance, n: int, result: queries.ElectionResult
) -> dict[str, object]:
    """One budget's result for the report, with amounts written as people read them."""
    title = (
        gettext("Votes for the projects in %(district)s") % {"district": result.district}
        if result.district
        else gettext("Votes for the projects")
    )
    return {
        "result": result,
        "title": title,
        "chart": views.chart(result, title, uid=f"report-budget-{instance.pk}-{n}")
        if result.shown
        else "",
        "budget": ballots.kr(result.budget),
        "cost": ballots.kr(result.cost),
        "left": ballots.kr(result.left),
        "rows": [
            {
                "item": item,
                "cost": ballots.kr(item.cost),
                "support": support_text(item.support, result.cumulative),
            }
            for item in result.items
        ],
        "ballots_text": ngettext("%(n)d voter", "%(n)d voters", result.ballots)
        % {"n": result.ballots},
    }


class Budgeting(MethodPlugin):
    key = "budgeting"
    name = _("Participatory budgeting (deltakende budsjettering)")
    description = _(
        "Residents propose projects for a sum of money, the municipality checks what each "
        "costs and whether it can be done, and residents vote on how the money is spent. "
        "The votes are counted fairly and the funded projects are followed up in public."
    )
    rungs = (Rung.DECIDE,)
    catalogue_entries = ("participatory_budgeting",)
    actions = (
        Action(
            key=PROPOSE,
            label=_("Propose a project"),
            timings=ALL_TIMES,
            default_level=AssuranceLevel.ANONYMOUS,
        ),
        Action(
            key=VOTE,
            label=_("Vote on the budget"),
            timings=ALL_TIMES,
            default_level=AssuranceLevel.ANONYMOUS,
            creates_contribution=False,
        ),
    )
    contribution_kinds = (
        ContributionKind(
            key=KIND, label=_("Budget idea"), action=PROPOSE, form=IdeaForm, url_name="propose"
        ),
    )
    exports = (
        Export(
            key="stemmesetlar-pb",
            label=_("The ballots as a Pabulib file (.pb), without any voter's identity"),
            content_type="text/plain",
            view=exports.ballots_pb,
            audience="public",
            available=exports.single_file_available,
        ),
        Export(
            key="stemmesetlar-zip",
            label=_("The ballots as Pabulib files (.pb), one per district, in a ZIP"),
            content_type="application/zip",
            view=exports.ballots_zip,
            audience="public",
            available=exports.district_files_available,
        ),
        Export(
            key="resultat-json",
            label=_("The result with the reasons for every project (JSON)"),
            content_type="application/json",
            view=exports.result_json,
            audience="public",
            available=exports.counted,
        ),
        Export(
            key="prosjekt-stab-csv",
            label=_("Every idea and project with its review, for staff (CSV)"),
            content_type="text/csv",
            view=exports.staff_csv,
        ),
    )
    settings_form = BudgetSettings
    phase_settings_form = BudgetPhaseSettings
    personal_data = SECTIONS
    demo = DemoInstance(
        slug="elevbudsjett",
        title="Elevbudsjett for skuleplassen",
        description=(
            "Elevane ved Lillevik skule har 200 000 kroner å bruke på skuleplassen. Elevrådet "
            "samla idear frå alle klassane, kommunen rekna ut kva kvar idé kostar, og alle "
            "elevane stemte med kvar sin kode. Her ser du kva som vart valt, og kvifor."
        ),
        phase_kind=PhaseKind.INVESTIGATION,
        settings={
            "budget": 200_000,
            "ballot": "knapsack",
            "rule": "equal-shares",
            "voters": "codes",
            "residents_only": False,
        },
    )

    def page(self, request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
        return views.page(request, instance)

    def urlpatterns(self) -> list[URLPattern | URLResolver]:
        return [*views.URLS, *staff_views.URLS]

    def staff_editor(self, request: HttpRequest, instance: MethodInstance) -> HttpResponse:
        return staff_views.editor_response(request, instance)

    def status(self, instance: MethodInstance, now: dt.datetime) -> MethodStatus | None:
        stage = stage_of(instance, now=now)
        if stage == Stage.IDEAS:
            return MethodStatus("open", gettext("Taking ideas"))
        if stage == Stage.REVIEW:
            return MethodStatus("upcoming", gettext("The ideas are being reviewed"))
        if stage == Stage.VOTE:
            return MethodStatus("open", gettext("The vote is open"))
        if stage == Stage.RESULTS:
            results = queries.results(instance)
            if not results:
                return MethodStatus("closed", gettext("The vote is closed"))
            funded = sum(len(r.funded) for r in results)
            return MethodStatus(
                "closed",
                ngettext("Counted: %(n)d project funded", "Counted: %(n)d projects funded", funded)
                % {"n": funded},
            )
        return None

    def case_card(self, instance: MethodInstance) -> SafeString:
        """After the count: what was funded, on the case page's card."""
        results = queries.results(instance)
        if not results:
            return SafeString("")
        funded = [(r.district, [item.title for item in r.funded]) for r in results]
        return render_to_string("budgeting/_case_card.html", {"funded": funded})

    def report_section(self, instance: MethodInstance) -> SafeString:
        """The counted result as the results page shows it: per budget (district), the
        money, the funded projects and each project's cost and votes (numbers only from 5
        voters); before the count, a sentence that it is not published yet."""
        found = queries.report_results(instance)
        context = {
            "counted": found,
            "rule": rules_of(instance).rule,
            "blocks": [_report_block(instance, n, r) for n, r in enumerate(found or [])],
            "suppress_below": queries.SUPPRESS_BELOW,
        }
        return render_to_string("budgeting/report_section.html", context)

    def primary_action(self, instance: MethodInstance) -> PrimaryAction | None:
        stage = stage_of(instance)
        if stage == Stage.RESULTS:
            return PrimaryAction(_("See the result"), self.url(instance, "results"))
        open_to_anyone = permissions.can_act(AnonymousUser(), instance, VOTE)
        if not open_to_anyone and open_to_anyone.needs_level is None:
            return None
        if stage == Stage.IDEAS:
            return PrimaryAction(_("Propose a project"), self.url(instance, "propose"))
        if stage == Stage.VOTE:
            return PrimaryAction(_("Vote"), self.url(instance, "vote"))
        return None

    def demo_seed(self, instance: MethodInstance, rng: random.Random) -> int:
        return demo.seed(instance, rng)
