"""Staff pages: who gets in, and bodies, members, meetings (agenda and minutes) and requests
kept through plain forms, each change audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from medvirk.identity.models import User
from medvirk.methods.bodies import actions
from medvirk.methods.bodies.models import (
    AgendaItem,
    Body,
    BodyKind,
    BodyMeeting,
    BodyMember,
    MeetingStatus,
    StatementRequest,
)
from medvirk.organisations.models import Municipality, Role
from tests import factories

from .conftest import Statements, client_for, make_body, make_meeting

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def editor_url(statements: Statements) -> str:
    instance = statements.instance
    return reverse(
        "staff:method_content", kwargs={"pk": instance.process_id, "method_pk": instance.pk}
    )


def test_the_staff_pages_need_login_and_the_role(
    org: Municipality, statements: Statements, youth: Body
) -> None:
    url = statements.url("staff_body", pk=youth.pk)
    assert client_for().get(url).status_code == 302
    refused = client_for(factories.user()).get(url)
    assert refused.status_code == 403
    assert "does not include that" in refused.content.decode()
    moderator = client_for(factories.staff(org, Role.MODERATOR))
    assert moderator.get(url).status_code == 403
    other = factories.staff(factories.municipality("Andrevik"), Role.CASE_OFFICER)
    assert client_for(other).get(url).status_code == 403
    # A body of another municipality is not found from this case.
    elsewhere = make_body(factories.municipality("Nordvik"), "Nordvik ungdomsråd")
    officer = client_for(factories.staff(org, Role.CASE_OFFICER))
    assert officer.get(statements.url("staff_body", pk=elsewhere.pk)).status_code == 404
    assert officer.get(url).status_code == 200


def test_staff_add_a_body_a_member_a_meeting_and_ask_it(
    org: Municipality, statements: Statements, officer: User
) -> None:
    client = client_for(officer)
    mark = factories.audit_mark()
    added = client.post(
        statements.url("staff_body_new"),
        {
            "kind": BodyKind.ELDERLY_COUNCIL,
            "name": "Lillevik eldreråd",
            "slug": "",
            "mandate": "Gir råd i saker som gjeld eldre.",
            "delegation": "",
            "legal_basis": "",
            "contact_email": "eldreradet@example.org",
            "is_published": "on",
        },
    )
    assert added.status_code == 302
    body = Body.objects.get()
    assert (body.slug, body.municipality, body.is_published) == ("lillevik-eldrerad", org, True)
    assert "5-12" in body.legal_basis
    member = factories.user("kaare")
    start = timezone.localdate() - dt.timedelta(days=10)
    saved = client.post(
        statements.url("staff_member_new", pk=body.pk),
        {
            "name": "Kåre Moen",
            "role": "leiar",
            "represents": "Pensjonistlaget",
            "term_from": start.isoformat(),
            "term_to": (start + dt.timedelta(days=1400)).isoformat(),
            "name_public": "on",
            "account": "kaare@example.org",
        },
    )
    assert saved.status_code == 302
    assert BodyMember.objects.get().user == member
    day = timezone.localdate() - dt.timedelta(days=3)
    meeting = client.post(
        statements.url("staff_meeting_new", pk=body.pk),
        {"day": day.isoformat(), "time": "11:00", "place": "Omsorgssenteret", "status": "held"},
    )
    assert meeting.status_code == 302
    held = BodyMeeting.objects.get()
    meeting_url = statements.url("staff_meeting", pk=body.pk, meeting=held.pk)
    for title, ref in (("Sakliste", "ER 1/26"), ("Skulen – uttale", "ER 2/26")):
        response = client.post(
            meeting_url, {"action": "add_item", "title": title, "case_reference": ref}
        )
        assert response.status_code == 302
    second = AgendaItem.objects.get(title="Skulen – uttale")
    client.post(meeting_url, {"action": "up", "item": second.pk})
    assert list(held.items.order_by("position").values_list("title", flat=True)) == [
        "Skulen – uttale",
        "Sakliste",
    ]
    minutes = client.post(
        meeting_url,
        {
            "action": "minutes",
            "minutes": "ER 2/26: Uttale vedteken.",
            "file": SimpleUploadedFile("referat.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert minutes.status_code == 302
    held.refresh_from_db()
    assert held.minutes == "ER 2/26: Uttale vedteken."
    assert held.minutes_filename == "referat.pdf" and held.minutes_content_type == "application/pdf"
    deadline = timezone.localdate() + dt.timedelta(days=14)
    asked = client.post(
        statements.url("staff_ask"),
        {"body": body.pk, "deadline": deadline.isoformat(), "question": "Kva meiner rådet?"},
    )
    assert asked.status_code == 302
    assert StatementRequest.objects.get().deadline == deadline
    codes = set(factories.audited_since(mark).values_list("action", flat=True))
    assert {
        "bodies.body_saved",
        "bodies.member_saved",
        "bodies.meeting_saved",
        "bodies.agenda_changed",
        "bodies.minutes_saved",
        "bodies.body_asked",
    } <= codes
    # The link between a member and an account is never written to the log.
    member_rows = factories.audited_since(mark).filter(action="bodies.member_saved")
    assert all("kaare" not in str(r.data) for r in member_rows)


def test_the_editor_lists_the_bodies_asked_and_their_statements(
    statements: Statements,
    asked: StatementRequest,
    held: BodyMeeting,
    officer: User,
) -> None:
    actions.do_register_statement(
        officer, statements.instance, asked, text="Uttalen.", meeting_id=held.pk
    )
    page = client_for(officer).get(editor_url(statements))
    html = page.content.decode()
    assert page.status_code == 200
    assert f'id="spor-{asked.pk}"' in html
    assert "Published" in html and "Not answered yet." in html
    assert statements.export_url("uttaler-pdf") in html


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("staff_body_new", {"kind": "nope", "name": "X"}),
        ("staff_body_new", {"kind": "utval", "name": ""}),
        ("staff_body_new", {"kind": "utval", "name": "X", "contact_email": "not an address"}),
        ("staff_ask", {"body": "abc", "deadline": "2026-13-40"}),
    ],
)
def test_bad_staff_input_is_a_400_and_changes_nothing(
    statements: Statements, officer: User, url_name: str, data: dict[str, str]
) -> None:
    response = client_for(officer).post(statements.url(url_name), data)
    assert response.status_code == 400
    assert not Body.objects.exists() and not StatementRequest.objects.exists()


def test_a_second_body_with_the_same_address_is_refused(
    org: Municipality, statements: Statements, officer: User, youth: Body
) -> None:
    response = client_for(officer).post(
        statements.url("staff_body_new"), {"kind": "utval", "name": "X", "slug": youth.slug}
    )
    assert response.status_code == 400
    assert Body.objects.count() == 1


def test_an_unknown_account_is_refused_for_a_member(
    statements: Statements, officer: User, youth: Body
) -> None:
    response = client_for(officer).post(
        statements.url("staff_member_new", pk=youth.pk),
        {
            "name": "Ingen",
            "role": "medlem",
            "term_from": timezone.localdate().isoformat(),
            "term_to": (timezone.localdate() + dt.timedelta(days=300)).isoformat(),
            "account": "finst-ikkje@example.org",
        },
    )
    assert response.status_code == 400
    assert not BodyMember.objects.exists()


def test_a_meeting_with_a_statement_stays(
    statements: Statements,
    asked: StatementRequest,
    held: BodyMeeting,
    officer: User,
) -> None:
    actions.do_register_statement(
        officer, statements.instance, asked, text="Uttalen.", meeting_id=held.pk
    )
    url = statements.url("staff_meeting", pk=held.body_id, meeting=held.pk)
    client = client_for(officer)
    assert client.post(url, {"action": "delete"}).status_code == 400
    cancel = client.post(
        url,
        {
            "action": "save",
            "day": timezone.localtime(held.starts_at).date().isoformat(),
            "time": "17:00",
            "status": MeetingStatus.CANCELLED,
        },
    )
    assert cancel.status_code == 400
    assert BodyMeeting.objects.get().status == MeetingStatus.HELD
    # A meeting without one can go.
    other = make_meeting(held.body, days=5)
    gone = client.post(
        statements.url("staff_meeting", pk=held.body_id, meeting=other.pk), {"action": "delete"}
    )
    assert gone.status_code == 302
    assert not BodyMeeting.objects.filter(pk=other.pk).exists()


def test_a_request_with_a_statement_cannot_be_withdrawn(
    statements: Statements,
    asked: StatementRequest,
    held: BodyMeeting,
    officer: User,
) -> None:
    url = statements.url("staff_request", pk=asked.pk)
    client = client_for(officer)
    later = timezone.localdate() + dt.timedelta(days=30)
    changed = client.post(url, {"action": "save", "deadline": later.isoformat(), "question": ""})
    assert changed.status_code == 302
    asked.refresh_from_db()
    assert asked.deadline == later
    actions.do_register_statement(
        officer, statements.instance, asked, text="Uttalen.", meeting_id=held.pk
    )
    assert client.post(url, {"action": "remove"}).status_code == 400
    assert StatementRequest.objects.filter(pk=asked.pk).exists()


def test_a_meeting_in_the_future_cannot_be_marked_held(
    statements: Statements, officer: User, youth: Body
) -> None:
    day = timezone.localdate() + dt.timedelta(days=5)
    response = client_for(officer).post(
        statements.url("staff_meeting_new", pk=youth.pk),
        {"day": day.isoformat(), "time": "17:00", "status": "held"},
    )
    assert response.status_code == 400
    assert not BodyMeeting.objects.exists()
