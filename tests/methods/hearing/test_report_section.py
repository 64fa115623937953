"""The høyring's section of the council report: the period, the published submissions
counted by sender (late and archived among them), the organisations as the register names
them, and the published comments; nothing held, waiting or hidden."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format

from medvirk.contributions.actions import do_hide
from medvirk.contributions.models import Contribution, ModerationState
from medvirk.core import pdf
from medvirk.identity.models import User
from medvirk.methods.hearing import actions, staff_actions
from medvirk.methods.hearing.models import Hearing, SenderKind, Submission
from medvirk.organisations.models import Municipality, Role
from medvirk.processes import registry
from tests import factories
from tests.report_html import row as _row
from tests.report_html import text as _text

from .conftest import HearingCase, make_hearing

pytestmark = pytest.mark.django_db

FNR = "01019000083"  # synthetic
PERSONS = ["Keep the school in the village.", "Build the new school.", "Mend the roof."]
ORGANISATIONS = {"Lillevik idrettslag": "The sports hall matters.", "FAU Lillevik": "Safe roads."}
HIDDEN_ORG = ("Skjult lag", "Names a neighbour who is ill.")
HELD_ORG = ("Venteforeininga", f"Our leader's number is {FNR}.")


def _submit(case: HearingCase, text: str, organisation: str = "") -> Contribution:
    draft = actions.SubmissionDraft(
        text=text,
        author_name="Kari Nordmann",
        sender_kind=SenderKind.ORGANISATION if organisation else SenderKind.PERSON,
        organisation_name=organisation,
    )
    return actions.do_submit(factories.user(), case.instance, draft).contribution


def _section(case: HearingCase) -> str:
    return str(registry.get("hearing").report_section(case.instance))


def _fill(case: HearingCase, org: Municipality) -> None:
    """Published submissions by persons and organisations, the last person's late, the
    first two archived; one held for a moderator; one hidden by a moderator."""
    moderator = factories.staff(org, Role.MODERATOR)
    sent = [_submit(case, text) for text in PERSONS[:-1]]
    sent += [_submit(case, text, name) for name, text in ORGANISATIONS.items()]
    hidden = _submit(case, HIDDEN_ORG[1], HIDDEN_ORG[0])
    do_hide(moderator, hidden, "Names a person.")
    held = _submit(case, HELD_ORG[1], HELD_ORG[0])
    assert held.moderation == ModerationState.HELD
    actions.do_comment(
        factories.user(),
        case.instance,
        part=f"p{case.paragraphs[0].pk}",
        text="A comment on 1.1.",
    )
    actions.do_comment(
        AnonymousUser(),
        case.instance,
        part=f"s{case.sections[0].pk}",
        text=f"Waiting comment, call {FNR}.",
    )
    # The deadline passes: the last submission comes late.
    Hearing.objects.filter(pk=case.hearing.pk).update(  # type: ignore[union-attr]
        ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    _submit(case, PERSONS[-1])
    archived = Submission.objects.filter(contribution__in=sent[:2]).values_list("pk", flat=True)
    staff_actions.do_mark_archived(
        factories.staff(org, Role.ADMINISTRATOR), case.instance, list(archived), how="zip"
    )


def test_the_published_submissions_are_counted_by_sender(
    hearing_case: HearingCase, org: Municipality
) -> None:
    _fill(hearing_case, org)
    html = _section(hearing_case)
    words = _text(html)

    assert _row(html, "Private persons") == [str(len(PERSONS))]
    assert _row(html, "Organisations, businesses and associations") == [str(len(ORGANISATIONS))]
    assert _row(html, "In all") == [str(len(PERSONS) + len(ORGANISATIONS))]
    assert "Came after the deadline (marked late, still answered): 1." in words
    assert f"2 of {len(PERSONS) + len(ORGANISATIONS)} are exported to the archive." in words
    assert "1 received submission is being checked before it is published." in words
    assert "1 published comment on the text." in words
    start = date_format(timezone.localdate() - dt.timedelta(days=5), "DATE_FORMAT")
    deadline = date_format(timezone.localdate() - dt.timedelta(days=1), "DATE_FORMAT")
    assert f"Period: From {start} to {deadline} (the deadline)" in words
    for name in ORGANISATIONS:
        assert name in words
    for name, text in (HIDDEN_ORG, HELD_ORG):
        assert name not in words and text not in words
    for text in [*PERSONS, *ORGANISATIONS.values(), "Waiting comment", "Kari Nordmann", FNR]:
        assert text not in words
    for tag in ("<script", "<form", "<h1", "<h2", "<h3", "<a "):
        assert tag not in html


def test_a_register_that_is_not_public_is_not_counted(org: Municipality) -> None:
    case = make_hearing(org, settings={"register_public": False})
    for name, text in ORGANISATIONS.items():
        _submit(case, text, name)
    words = _text(_section(case))
    assert (
        "The submissions are not published in a public register, so this report does not "
        "count them." in words
    )
    for name in ORGANISATIONS:
        assert name not in words


def test_no_submissions_yet(hearing_case: HearingCase) -> None:
    words = _text(_section(hearing_case))
    assert "No submissions are published yet." in words
    assert "0 published comments on the text." in words


def test_the_section_makes_a_pdf(
    hearing_case: HearingCase, org: Municipality, officer: User
) -> None:
    _fill(hearing_case, org)
    with translation.override("nn"):
        html = _section(hearing_case)
    document = "<html lang='nn'><head><title>t</title></head><body>" + html + "</body></html>"
    rendered = pdf.render(document)
    assert rendered is not None and rendered.startswith(b"%PDF")


def test_the_section_makes_the_same_queries_for_few_and_many_submissions(
    hearing_case: HearingCase,
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            _section(hearing_case)
        return len(captured)

    _submit(hearing_case, "First.", "Lag 1")
    few = queries()
    for n in range(2, 7):
        _submit(hearing_case, f"Submission {n}.", f"Lag {n}")
    assert queries() == few
