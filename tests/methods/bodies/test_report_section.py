"""The bodies' section of the council report: each body asked with its deadline, and each
statement as published on the case with the day it was adopted and the answer; nothing that
waits for a moderator, is hidden or rejected, and no body that is not public."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.formats import date_format

from medvirk.contributions.actions import do_hide, do_reject
from medvirk.contributions.models import ModerationState
from medvirk.core.pdf import render
from medvirk.identity.models import User
from medvirk.methods.bodies import actions
from medvirk.methods.bodies.models import BodyKind, BodyMeeting, Statement, StatementRequest
from medvirk.organisations.models import Municipality, Role
from medvirk.processes import registry
from tests import factories
from tests.report_html import rows

from .conftest import Statements, ask, make_body, make_meeting, make_member

pytestmark = pytest.mark.django_db

YOUTH = "Ungdomsrådet rår kommunestyret til å byggje ny skule i Lillevik."


def register(
    officer: User,
    statements: Statements,
    request: StatementRequest,
    meeting: BodyMeeting,
    text: str,
) -> Statement:
    receipt = actions.do_register_statement(
        officer, statements.instance, request, text=text, meeting_id=meeting.pk
    )
    return Statement.objects.select_related("contribution").get(contribution=receipt.contribution)


def section(statements: Statements) -> str:
    return str(registry.get("bodies").report_section(statements.instance))


def day(value: object) -> str:
    return date_format(value, "DATE_FORMAT")


def test_each_body_asked_and_each_published_statement_with_its_date_and_answer(
    org: Municipality, statements: Statements, officer: User
) -> None:
    moderator = factories.staff(org, Role.MODERATOR)
    youth = make_body(org, "Lillevik ungdomsråd")
    make_member(youth, "Emma Haugland")
    elderly = make_body(org, "Eldrerådet", BodyKind.ELDERLY_COUNCIL, slug="eldreradet")
    disability = make_body(org, "Funksjonsrådet", BodyKind.DISABILITY_COUNCIL, slug="funksjon")
    committee = make_body(org, "Plan- og miljøutvalet", BodyKind.COMMITTEE, slug="planutval")
    secret = make_body(org, "Eit løynt utval", BodyKind.BOARD, slug="loeynt")
    asked = {
        b.name: ask(statements, b, days=3 + i)
        for i, b in enumerate((youth, elderly, disability, committee, secret))
    }
    given = register(officer, statements, asked[youth.name], make_meeting(youth, days=-3), YOUTH)
    factories.response(given.contribution, "adopted", "Vi tek det med i saka.", by=officer)
    rejected = register(
        officer, statements, asked[elderly.name], make_meeting(elderly), "Ring 912 34 567."
    )
    do_reject(moderator, rejected.contribution, "Telefonnummer")
    held = register(
        officer, statements, asked[committee.name], make_meeting(committee), "Mail a@example.org"
    )
    assert held.contribution.moderation == ModerationState.HELD
    hidden = register(
        officer, statements, asked[disability.name], make_meeting(disability), "Rude words."
    )
    do_hide(moderator, hidden.contribution, "Namngir ein person")
    # A body taken off the public pages after it gave its statement.
    register(officer, statements, asked[secret.name], make_meeting(secret), "Secret words.")
    secret.is_published = False
    secret.save()

    html = section(statements)
    table = rows(html)

    deadline = {name: day(request.deadline) for name, request in asked.items()}
    assert [youth.name, deadline[youth.name], f"Adopted {day(given.adopted_on)}"] in table
    assert [elderly.name, deadline[elderly.name], "No statement"] in table
    assert [disability.name, deadline[disability.name], "Hidden by a moderator"] in table
    assert [committee.name, deadline[committee.name], "No statement"] in table
    assert "1 of 4 bodies asked have given their statement." in html
    assert f"<h4>{youth.name}</h4>" in html and YOUTH in html
    assert "Vi tek det med i saka." in html and "Adopted" in html
    assert "Hidden by a moderator: Namngir ein person" in html
    assert "statutory council (kommuneloven § 5-12)" in html
    secrets = ("912 34 567", "example.org", "Rude words", "Secret words", secret.name)
    for text in (*secrets, "Emma Haugland"):
        assert text not in html
    for tag in ("<script", "<form", "<h1", "<h2"):
        assert tag not in html


def test_no_body_asked_says_so_and_the_section_makes_a_pdf(
    org: Municipality, statements: Statements, officer: User
) -> None:
    assert "No body has been asked yet." in section(statements)
    youth = make_body(org)
    request = ask(statements, youth)
    register(officer, statements, request, make_meeting(youth), YOUTH)
    html = section(statements)
    assert "1 of 1 body asked has given its statement." in html
    pdf = render("<html lang='nn'><head><title>t</title></head><body>" + html + "</body></html>")
    assert pdf is not None and pdf.startswith(b"%PDF")


def test_the_section_makes_the_same_number_of_queries_for_any_number_of_bodies(
    org: Municipality, statements: Statements, officer: User
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            section(statements)
        return len(captured)

    first = make_body(org)
    register(officer, statements, ask(statements, first), make_meeting(first), YOUTH)
    few = queries()
    for i in range(6):
        body = make_body(org, f"Utval {i}", BodyKind.COMMITTEE, slug=f"utval-{i}")
        given = register(officer, statements, ask(statements, body), make_meeting(body), YOUTH)
        factories.response(given.contribution, "adopted", "Ja.", by=officer)
    assert queries() == few
