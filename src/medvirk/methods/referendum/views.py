"""The referendum's pages for residents: the question with the ballot (or why the person
cannot vote), casting (``stem/``), the receipt (``kvittering/``), changing a vote
(``endre/``, only with re-voting), the result (``resultat/``) and the public downloads.

Thin views: reads through ``queries``, writes through ``actions``. Every form is a plain POST
that redirects; no JavaScript is needed.

The change code is shown once: the vote's redirect carries it in a short-lived signed
cookie limited to the receipt's address, which the receipt reads and deletes. It is never
in an address (so never in a log) and never in the database or the session.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from medvirk.core import charts, pdf
from medvirk.core.csvfiles import csv_download
from medvirk.core.errors import ActionRefused
from medvirk.core.responses import not_allowed, private
from medvirk.core.uploads import content_disposition
from medvirk.identity import residence
from medvirk.organisations import capabilities
from medvirk.processes import registry
from medvirk.processes.permissions import NeedsLogin
from medvirk.processes.types import MethodInstance
from medvirk.staff import method_pages
from medvirk.vocabulary import Capability

from . import actions, queries
from .forms import BallotForm, ChangeForm
from .models import Option, Referendum

GET = "GET, HEAD"
POST = "POST"
CODE_COOKIE = "medvirk_referendum_code"
CODE_SECONDS = 15 * 60


def _login_url(next_path: str) -> str:
    return reverse("identity:login") + "?" + urlencode({"next": next_path})


def _option_choices(
    referendum: Referendum | None, options: list[Option] | None = None
) -> list[tuple[int, str]]:
    found = options if options is not None else queries.options(referendum)
    return [(o.pk, o.label) for o in found]


def _districts(referendum: Referendum | None) -> list[str]:
    return [str(d["name"]) for d in referendum.districts] if referendum else []


def ballot_form(
    instance: MethodInstance,
    referendum: Referendum | None,
    data: Any = None,
    options: list[Option] | None = None,
) -> BallotForm:
    return BallotForm(
        data,
        options=_option_choices(referendum, options),
        blank=bool(referendum.rules.get("blank_vote", True)) if referendum else False,
        declares=residence.declares(),
        kommune=instance.process.municipality.name,
        districts=_districts(referendum),
    )


def change_form(referendum: Referendum | None, data: Any = None) -> ChangeForm:
    return ChangeForm(
        data,
        options=_option_choices(referendum),
        blank=bool(referendum.rules.get("blank_vote", True)) if referendum else False,
    )


def _urls(instance: MethodInstance) -> dict[str, str]:
    plugin = registry.get(instance.method_key)
    return {
        "page": instance.get_absolute_url(),
        "vote": plugin.url(instance, "vote"),
        "change": plugin.url(instance, "change"),
        "receipt": plugin.url(instance, "receipt"),
        "results": plugin.url(instance, "results"),
        "count": plugin.export_url(instance, "teljing-json"),
        "report": plugin.export_url(instance, "rapport-pdf"),
        "csv": plugin.export_url(instance, "resultat-csv"),
        "editor": method_pages.editor_url(instance),
    }


def _is_staff(request: HttpRequest, instance: MethodInstance) -> bool:
    return capabilities.staff_can(
        request.user, Capability.MANAGE_PROCESS, instance.process.municipality_id
    )


def chart(result: queries.Result, uid: str) -> str:
    bars = [
        charts.Bar(
            r.label, float(r.total), f"{r.total} ({r.percent} %)" if r.percent else str(r.total)
        )
        for r in result.rows
    ]
    description = _("Votes per option, out of %(n)s valid votes.") % {
        "n": number_format(result.valid)
    }
    return str(
        charts.bar_chart(_("The result"), description, bars, uid=uid, css="referendum-chart")
    )


def _render(
    request: HttpRequest,
    instance: MethodInstance,
    *,
    form: BallotForm | None = None,
    change: ChangeForm | None = None,
    page_error: str = "",
    status: int = 200,
) -> HttpResponse:
    referendum = queries.referendum_of(instance)
    stage = actions.stage(referendum)
    own = queries.own_entry(request.user, referendum)
    refusal = ""
    needs_login = False
    eligible = False
    if stage == "open" and own is None:
        try:
            actions.check_voter(request.user, instance, referendum)
        except NeedsLogin as refused:
            refusal, needs_login = refused.message, True
        except ActionRefused as refused:
            refusal = refused.message
        else:
            eligible = True
    revote = bool(referendum and referendum.rules.get("revote"))
    result = queries.result(referendum) if stage == "closed" else None
    context = {
        "instance": instance,
        "process": instance.process,
        "municipality": instance.process.municipality,
        "referendum": referendum,
        "options": queries.options(referendum),
        "stage": stage,
        "own": own,
        "eligible": eligible,
        "refusal": refusal,
        "needs_login": needs_login,
        "login_url": _login_url(instance.get_absolute_url()),
        "form": form or (ballot_form(instance, referendum) if eligible else None),
        "change_form": change
        or (
            change_form(referendum)
            if own is not None and own.channel == "electronic" and revote and stage == "open"
            else None
        ),
        "declares": residence.declares(),
        "revote": revote,
        "result": result,
        "chart": chart(result, f"referendum-{instance.pk}") if result else "",
        "page_error": page_error,
        "is_staff": _is_staff(request, instance),
        "urls": _urls(instance),
    }
    rendered = render(request, "referendum/page.html", context, status=status)
    return private(rendered) if request.user.is_authenticated else rendered


def page(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    if request.method not in ("GET", "HEAD"):
        return not_allowed(GET)
    return _render(request, instance)


def _with_code(
    response: HttpResponseBase, request: HttpRequest, instance: MethodInstance, code: str | None
) -> HttpResponseBase:
    if code:
        response.set_signed_cookie(
            CODE_COOKIE,
            code,
            salt=_code_salt(request, instance),
            max_age=CODE_SECONDS,
            path=registry.instance_url(instance, "receipt"),
            secure=request.is_secure(),
            httponly=True,
            samesite="Strict",
        )
    return private(response)


def _code_salt(request: HttpRequest, instance: MethodInstance) -> str:
    return f"medvirk.referendum.code:{instance.pk}:{request.user.pk}"


def vote(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """POST: cast the ballot (GET shows the page with the form)."""
    if request.method in ("GET", "HEAD"):
        return redirect(instance.get_absolute_url())
    if request.method != "POST":
        return not_allowed(POST)
    referendum = queries.referendum_of(instance)
    options = queries.options(referendum)
    form = ballot_form(instance, referendum, request.POST, options)
    if not form.is_valid():
        return _render(request, instance, form=form, status=400)
    data = form.cleaned_data
    # No per-address rate limit: every vote needs its own e-ID and the roll takes each person
    # once, while many voters share one address (mobile networks, a school, a polling place).
    try:
        voted = actions.do_vote(
            request.user,
            instance,
            choice=data["choice"],
            lives_here=bool(data.get("lives_here")),
            district=str(data.get("district") or ""),
            referendum=referendum,
            options=options,
        )
    except actions.AlreadyVoted as refused:
        return _render(request, instance, page_error=refused.message, status=refused.status)
    except ActionRefused as refused:
        form.add_error(None, refused.message)
        return _render(request, instance, form=form, status=refused.status)
    return _with_code(
        redirect(registry.instance_url(instance, "receipt")), request, instance, voted.code
    )


def change(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """POST: replace one's ballot with the change code (only where re-voting is allowed)."""
    if request.method in ("GET", "HEAD"):
        return redirect(instance.get_absolute_url() + "#endre")
    if request.method != "POST":
        return not_allowed(POST)
    referendum = queries.referendum_of(instance)
    form = change_form(referendum, request.POST)
    if not form.is_valid():
        return _render(request, instance, change=form, status=400)
    try:  # a change needs the voter's own e-ID login and a 98-bit code: nothing to guess
        voted = actions.do_change_vote(
            request.user,
            instance,
            code=form.cleaned_data["code"],
            choice=form.cleaned_data["choice"],
        )
    except ActionRefused as refused:
        form.add_error(None, refused.message)
        return _render(request, instance, change=form, status=refused.status)
    return _with_code(
        redirect(registry.instance_url(instance, "receipt")), request, instance, voted.code
    )


def receipt(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """That the person voted (from the roll), and once, right after voting, the change code."""
    if request.method not in ("GET", "HEAD"):
        return not_allowed(GET)
    if not request.user.is_authenticated:
        return redirect(_login_url(request.get_full_path()))
    referendum = queries.referendum_of(instance)
    own = queries.own_entry(request.user, referendum)
    if own is None:
        return redirect(instance.get_absolute_url())
    code = request.get_signed_cookie(
        CODE_COOKIE, default=None, salt=_code_salt(request, instance), max_age=CODE_SECONDS
    )
    context = {
        "instance": instance,
        "process": instance.process,
        "referendum": referendum,
        "own": own,
        "code": code,
        "revote": bool(referendum and referendum.rules.get("revote")),
        "urls": _urls(instance),
    }
    response = render(request, "referendum/receipt.html", context)
    response.delete_cookie(
        CODE_COOKIE, path=registry.instance_url(instance, "receipt"), samesite="Strict"
    )
    return private(response)


def _result_context(request: HttpRequest, instance: MethodInstance) -> dict[str, Any]:
    referendum = queries.referendum_of(instance)
    result = queries.result(referendum)
    if referendum is None or result is None:
        raise Http404
    return {
        "instance": instance,
        "process": instance.process,
        "municipality": instance.process.municipality,
        "referendum": referendum,
        "result": result,
        "chart": chart(result, f"referendum-result-{instance.pk}"),
        "urls": _urls(instance),
    }


def results(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """``resultat/``: the published result, turnout per district, the count record."""
    if request.method not in ("GET", "HEAD"):
        return not_allowed(GET)
    if queries.result(queries.referendum_of(instance)) is None:
        return redirect(instance.get_absolute_url())
    return render(request, "referendum/results.html", _result_context(request, instance))


# -- downloads (served by the core at eksport/<key>/) ------------------------------------------


def is_closed(instance: MethodInstance) -> bool:
    referendum = queries.referendum_of(instance)
    return referendum is not None and referendum.result is not None


def _filename(instance: MethodInstance, suffix: str) -> str:
    return f"{instance.process.slug}-{instance.slug}-{suffix}"


def count_json(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """The hash-chained count record: check it with ``medvirk manage referendum_verify``."""
    referendum = queries.referendum_of(instance)
    if referendum is None or referendum.status == "draft":
        raise Http404
    url = request.build_absolute_uri(
        registry.get(instance.method_key).export_url(instance, "teljing-json")
    )
    document = queries.count_document(instance, referendum, url)
    body = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition(_filename(instance, "teljing.json"))
    response["X-Content-Type-Options"] = "nosniff"
    return response


def result_csv(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """Open data: the result per option and channel, and the turnout per district (fewer
    than five voters in a district hidden)."""
    context = _result_context(request, instance)
    result: queries.Result = context["result"]
    hidden = _("fewer than %(n)d") % {"n": result.suppressed_below}
    rows: list[list[object]] = [
        [_("Row"), _("Name"), _("Electronic"), _("Paper"), _("In all"), _("Share (%)")]
    ]
    for row in result.rows:
        rows.append(
            [_("Option"), row.label, row.electronic, row.paper, row.total, row.percent or ""]
        )
    rows.append(
        [
            _("Blank"),
            "",
            result.blank["electronic"],
            result.blank["paper"],
            result.blank["total"],
            "",
        ]
    )
    rows.append([_("Rejected"), "", "", result.rejected, result.rejected, ""])
    rows.append(
        [
            _("Voters"),
            "",
            result.voters["electronic"],
            result.voters["paper"],
            result.voters["total"],
            result.turnout or "",
        ]
    )
    rows.append([])
    rows.append(
        [_("District"), _("Name"), _("Voters"), _("Entitled to vote"), "", _("Turnout (%)")]
    )
    for district in result.districts:
        rows.append(
            [
                _("District"),
                district.name or _("Not given"),
                hidden if district.voters is None else district.voters,
                "" if district.roll is None else district.roll,
                "",
                district.percent or "",
            ]
        )
    return csv_download(rows, _filename(instance, "resultat.csv"))


def report_pdf(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """The report to the council as a tagged PDF; the result page where PDFs cannot be made."""
    context = {
        **_result_context(request, instance),
        "lang": getattr(request, "LANGUAGE_CODE", "") or "nn",
        "made_at": timezone.localtime(),
        "count_url": request.build_absolute_uri(
            registry.get(instance.method_key).export_url(instance, "teljing-json")
        ),
    }
    html = render_to_string("referendum/report_pdf.html", context, request=request)
    rendered = pdf.render(html, base_url=request.build_absolute_uri("/"))
    if rendered is None:
        return render(request, "referendum/results.html", context)
    response = HttpResponse(rendered, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(_filename(instance, "rapport.pdf"))
    response["X-Content-Type-Options"] = "nosniff"
    return response


URLS: list[URLPattern | URLResolver] = [
    path("stem/", vote, name="vote"),
    path("endre/", change, name="change"),
    path("kvittering/", receipt, name="receipt"),
    path("resultat/", results, name="results"),
]
