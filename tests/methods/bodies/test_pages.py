"""The residents' pages: the bodies a case asks and their statements, a body's own page, the
statement form (who sees it, who is refused), and what the case page shows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from medvirk.contributions.models import Contribution, ModerationState
from medvirk.core import uploads
from medvirk.identity.models import User
from medvirk.methods.bodies import actions, staff_actions
from medvirk.methods.bodies.models import (
    Body,
    BodyKind,
    BodyMeeting,
    MemberRole,
    Statement,
    StatementRequest,
)
from medvirk.organisations.models import Municipality, Role
from tests import factories

from .conftest import (
    Statements,
    ask,
    client_for,
    make_body,
    make_instance,
    make_meeting,
    make_member,
)

pytestmark = pytest.mark.django_db

TEXT = "Ungdomsrådet rår til nybygg i Lillevik og ein trygg skuleveg."
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def give(
    statements: Statements, request: StatementRequest, meeting: BodyMeeting, by: User
) -> Contribution:
    return actions.do_register_statement(
        by, statements.instance, request, text=TEXT, meeting_id=meeting.pk
    ).contribution


# -- the case's page -------------------------------------------------------------------------------


def test_the_page_lists_each_body_asked_with_its_deadline(
    statements: Statements, asked: StatementRequest
) -> None:
    html = client_for().get(statements.url()).content.decode()
    assert "Lillevik ungdomsråd" in html
    assert f'id="organ-{asked.body.slug}"' in html
    assert "Not given yet" in html
    assert asked.body.name in html


def test_the_page_links_the_other_published_bodies(
    org: Municipality, statements: Statements, asked: StatementRequest
) -> None:
    board = make_body(org, "Styret for Lillevik sjukeheim", BodyKind.BOARD)
    make_body(org, "Skjult utval", BodyKind.COMMITTEE, published=False)
    html = client_for().get(statements.url()).content.decode()
    assert statements.url("body", slug=board.slug) in html
    assert "Skjult utval" not in html
    assert html.count(statements.url("body", slug=asked.body.slug)) == 1  # listed once


def test_the_statement_shows_with_the_meeting_item_and_answer(
    statements: Statements, asked: StatementRequest, held: BodyMeeting, officer: User
) -> None:
    c = give(statements, asked, held, officer)
    factories.response(c, "adopted", "Vi tek det med.", by=officer)
    html = client_for().get(statements.url()).content.decode()
    assert TEXT in html
    assert "Ungdomshuset" in html
    assert "Vi tek det med." in html
    assert "Not given yet" not in html


def test_residents_see_a_statement_only_once_it_is_published(
    org: Municipality, asked: StatementRequest, held: BodyMeeting, officer: User
) -> None:
    org.moderation_mode = "pre"
    org.save()
    statements = Statements(asked.method_instance)
    c = give(statements, asked, held, officer)
    assert c.moderation == ModerationState.PENDING
    html = client_for().get(statements.url()).content.decode()
    assert TEXT not in html
    assert "It is published once a moderator has looked at it" in html


def test_an_unpublished_body_is_hidden_from_residents_not_from_staff(
    org: Municipality, statements: Statements, officer: User
) -> None:
    body = make_body(org, "Styret for Lillevik omsorgssenter", BodyKind.BOARD, published=False)
    url = statements.url("body", slug=body.slug)
    assert client_for().get(url).status_code == 404
    assert client_for(factories.user()).get(url).status_code == 404
    page = client_for(officer).get(url)
    assert page.status_code == 200
    assert "Not published" in page.content.decode()


def test_only_published_bodies_can_be_asked(org: Municipality, statements: Statements) -> None:
    hidden = make_body(org, "Skjult utval", BodyKind.COMMITTEE, published=False)
    with pytest.raises(Exception, match="Publish the body first"):
        ask(statements, hidden)
    other = make_body(factories.municipality("Andrevik"), "Andrevik ungdomsråd")
    with pytest.raises(Exception, match="municipality's bodies"):
        ask(statements, other)


def test_the_page_makes_a_fixed_number_of_queries(
    org: Municipality, statements: Statements, officer: User
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client_for().get(statements.url()).status_code == 200
        return len(ctx.captured_queries)

    body = make_body(org, "Råd 0", BodyKind.COMMITTEE)
    request = ask(statements, body)
    give(statements, request, make_meeting(body), officer)
    few = count()
    for n in range(1, 6):
        body = make_body(org, f"Råd {n}", BodyKind.COMMITTEE)
        request = ask(statements, body)
        give(statements, request, make_meeting(body), officer)
    assert count() == few


# -- the body's own page ---------------------------------------------------------------------------


def test_the_body_page_shows_members_mandate_meetings_and_statements(
    org: Municipality,
    statements: Statements,
    youth: Body,
    asked: StatementRequest,
    officer: User,
) -> None:
    make_member(
        youth, "Emma Haugland", MemberRole.CHAIR, represents="Nordvik ungdomsskule, 10. trinn"
    )
    make_member(youth, "Ida Strand", MemberRole.MEMBER, name_public=False, represents="8. trinn")
    make_member(youth, "Gammal Leiar", MemberRole.CHAIR, days_ago=900, term_days=600)
    held = make_meeting(youth, days=-7)
    coming = make_meeting(youth, days=10, items=(("US 9/26", "Årsmelding"),))
    staff_actions.do_save_minutes(
        None,
        held,
        "US 7/26: Uttalen er vedteken.",
        uploads.check_upload(SimpleUploadedFile("referat.pdf", PDF), uploads.ATTACHMENT_KINDS),
    )
    give(statements, asked, held, officer)
    page = client_for().get(statements.url("body", slug=youth.slug))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Emma Haugland" in html and "Nordvik ungdomsskule, 10. trinn" in html
    assert "Ida Strand" not in html and "Name not published" in html and "8. trinn" in html
    assert "Gammal Leiar" not in html  # an ended term
    assert "Ungdomsrådet er stemma til ungdommen." in html
    assert "Fordeler ungdomspotten." in html
    assert "kommuneloven § 5-12" in html  # the default legal basis of a youth council
    assert "Årsmelding" in html and f'id="mote-{coming.pk}"' in html
    assert "Uttalen er vedteken." in html
    assert TEXT in html and "Framtida for skulen" in html
    minutes = client_for().get(statements.url("minutes", slug=youth.slug, pk=held.pk))
    assert minutes.status_code == 200
    assert minutes["Content-Disposition"].startswith("attachment")
    assert b"".join(minutes.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert (
        client_for().get(statements.url("minutes", slug=youth.slug, pk=coming.pk)).status_code
        == 404
    )


def test_another_municipalitys_body_is_not_found(statements: Statements) -> None:
    other = make_body(factories.municipality("Andrevik"), "Andrevik ungdomsråd")
    assert client_for().get(statements.url("body", slug=other.slug)).status_code == 404


# -- the statement form ---------------------------------------------------------------------


def test_someone_not_logged_in_sees_the_form_and_is_asked_to_log_in(
    statements: Statements, asked: StatementRequest, held: BodyMeeting
) -> None:
    url = statements.url("statement", slug=asked.body.slug)
    page = client_for().get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="text"' in html and 'name="meeting"' in html
    assert reverse("identity:login") in html
    assert page["Cache-Control"] == "private, no-store"
    posted = client_for().post(url, {"text": TEXT, "meeting": held.pk})
    assert posted.status_code == 403
    assert not Contribution.objects.exists()


def test_a_resident_is_refused_with_the_reason(
    statements: Statements, asked: StatementRequest, held: BodyMeeting
) -> None:
    url = statements.url("statement", slug=asked.body.slug)
    resident = client_for(factories.user())
    page = resident.get(url)
    assert page.status_code == 403
    assert "secretary" in page.content.decode()
    assert 'name="text"' not in page.content.decode()
    assert resident.post(url, {"text": TEXT, "meeting": held.pk}).status_code == 403
    assert not Contribution.objects.exists()


def test_the_secretary_registers_the_statement_through_the_form(
    statements: Statements, asked: StatementRequest, held: BodyMeeting, secretary: User
) -> None:
    url = statements.url("statement", slug=asked.body.slug)
    client = client_for(secretary)
    page = client.get(url)
    assert page.status_code == 200
    assert "US 7/26 Framtida for skulen" in page.content.decode()  # the agenda to choose from
    item = held.items.get()
    done = client.post(url, {"text": TEXT, "meeting": held.pk, "agenda_item": item.pk})
    assert done.status_code == 302
    statement = Statement.objects.get()
    assert done["Location"] == statement.contribution.receipt_url()
    assert statement.agenda_item == item
    again = client.post(url, {"text": "Ein gong til", "meeting": held.pk})
    assert again.status_code == 409
    assert Statement.objects.count() == 1
    assert client_for().get(statements.url()).content.decode().count(TEXT) == 1


@pytest.mark.parametrize(
    "data",
    [
        {"text": "", "meeting": "x"},
        {"text": TEXT, "meeting": ""},
        {"text": TEXT, "meeting": "999999"},
        {"text": TEXT, "meeting": "<script>"},
        {"text": TEXT, "meeting": "MEETING", "agenda_item": "nope"},
        {"text": "x" * 6000, "meeting": "MEETING"},
    ],
)
def test_bad_input_is_a_400_and_changes_nothing(
    statements: Statements,
    asked: StatementRequest,
    held: BodyMeeting,
    officer: User,
    data: dict[str, str],
) -> None:
    data = {k: (str(held.pk) if v == "MEETING" else v) for k, v in data.items()}
    url = statements.url("statement", slug=asked.body.slug)
    response = client_for(officer).post(url, data)
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_a_meeting_of_another_body_is_not_a_choice(
    org: Municipality, statements: Statements, asked: StatementRequest, officer: User
) -> None:
    other = make_meeting(make_body(org, "Eldrerådet", BodyKind.ELDERLY_COUNCIL))
    url = statements.url("statement", slug=asked.body.slug)
    response = client_for(officer).post(url, {"text": TEXT, "meeting": other.pk})
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_a_body_not_asked_has_no_form(org: Municipality, statements: Statements) -> None:
    body = make_body(org, "Eldrerådet", BodyKind.ELDERLY_COUNCIL)
    assert client_for().get(statements.url("statement", slug=body.slug)).status_code == 404


# -- the case page and the case's input ---------------------------------------------------------


def test_the_case_page_signals_the_statements(
    org: Municipality,
    statements: Statements,
    asked: StatementRequest,
    held: BodyMeeting,
    officer: User,
) -> None:
    elderly = make_body(org, "Lillevik eldreråd", BodyKind.ELDERLY_COUNCIL)
    ask(statements, elderly, days=20)
    process = statements.instance.process
    html = client_for().get(process.get_absolute_url()).content.decode()
    assert "0 of 2 bodies have given their statement" in html
    assert "Read the statements" not in html
    assert TEXT not in html
    give(statements, asked, held, officer)
    html = client_for().get(process.get_absolute_url()).content.decode()
    assert "1 of 2 bodies have given their statement" in html
    # The statement itself is on the case's card, with a link to it in full.
    assert TEXT in html
    assert f"{statements.url()}#organ-{asked.body.slug}" in html
    assert "Read the statement of Lillevik ungdomsråd" in html
    deadline = timezone.localdate() + dt.timedelta(days=20)
    assert "Next deadline" in html and str(deadline.year) in html
    assert "Read the statements" in html
    listed = (
        client_for()
        .get(reverse("public:contributions", args=[org.slug, process.slug]))
        .content.decode()
    )
    assert TEXT in listed and "Lillevik ungdomsråd" in listed


def test_the_staff_link_shows_on_the_page_for_staff_only(
    statements: Statements, asked: StatementRequest, officer: User, secretary: User
) -> None:
    assert "Manage the bodies asked" not in client_for().get(statements.url()).content.decode()
    staff_page = client_for(officer).get(statements.url()).content.decode()
    assert "Manage the bodies asked" in staff_page
    assert statements.url("statement", slug=asked.body.slug) in staff_page
    own = client_for(secretary).get(statements.url()).content.decode()
    assert statements.url("statement", slug=asked.body.slug) in own
    assert statements.url("statement", slug=asked.body.slug) not in (
        client_for(factories.user()).get(statements.url()).content.decode()
    )


def test_a_draft_instance_is_not_shown_to_residents(org: Municipality) -> None:
    statements = make_instance(org)
    statements.instance.is_published = False
    statements.instance.save()
    assert client_for().get(statements.url()).status_code == 404
    assert (
        client_for(factories.staff(org, Role.CASE_OFFICER)).get(statements.url()).status_code == 200
    )
