"""Voter groups for other methods, the downloads, a person's own data and erasure, and the
Lillevik demo."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from medvirk.contributions.models import Contribution
from medvirk.demo.loader import load_demo
from medvirk.identity import actions as identity_actions
from medvirk.identity.models import User
from medvirk.identity.queries import export_my_data
from medvirk.methods.bodies import actions, demo
from medvirk.methods.bodies.models import (
    Body,
    BodyKind,
    BodyMeeting,
    BodyMember,
    MemberRole,
    Statement,
    StatementRequest,
)
from medvirk.organisations.models import Municipality
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance
from tests import factories

from .conftest import Statements, client_for, make_body, make_member

pytestmark = pytest.mark.django_db

TEXT = "Ungdomsrådet rår til nybygg."


def _csv(response: object) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(content)))


# -- voter groups --------------------------------------------------------------------------------


def test_each_published_body_is_a_voter_group(org: Municipality, youth: Body) -> None:
    make_body(org, "Skjult", BodyKind.COMMITTEE, published=False)
    make_body(factories.municipality("Andrevik"), "Andrevik ungdomsråd")
    groups = [g for g in registry.voter_groups(org) if g.key.startswith("bodies:")]
    assert [(g.key, str(g.label)) for g in groups] == [(f"bodies:{youth.pk}", youth.name)]


def test_members_with_an_account_in_the_current_term_are_in_the_group(
    org: Municipality, youth: Body
) -> None:
    key = f"bodies:{youth.pk}"
    people = {name: factories.user() for name in ("chair", "member", "sub", "sec", "old", "none")}
    make_member(youth, "Leiar", MemberRole.CHAIR, user=people["chair"])
    make_member(youth, "Medlem", MemberRole.MEMBER, user=people["member"])
    make_member(youth, "Vara", MemberRole.SUBSTITUTE, user=people["sub"])
    make_member(youth, "Sekretær", MemberRole.SECRETARY, user=people["sec"], term_days=None)
    make_member(youth, "Tidlegare", MemberRole.MEMBER, user=people["old"], days_ago=800)
    inside = {name for name, person in people.items() if registry.in_voter_group(person, key)}
    assert inside == {"chair", "member"}
    assert not registry.in_voter_group(AnonymousUser(), key)
    for bad in ("bodies:", "bodies:abc", "bodies:-1", f"bodies:{youth.pk}9", "bodies:" + "9" * 40):
        assert not registry.in_voter_group(people["chair"], bad)
    youth.is_published = False
    youth.save()
    assert not registry.in_voter_group(people["chair"], key)


# -- downloads -----------------------------------------------------------------------------------


def test_open_data_holds_published_statements_and_no_person(
    statements: Statements,
    asked: StatementRequest,
    held: BodyMeeting,
    secretary: User,
    officer: User,
) -> None:
    c = actions.do_register_statement(
        secretary, statements.instance, asked, text=TEXT, meeting_id=held.pk
    ).contribution
    factories.response(c, "adopted", "Takk, det blir gjort.", by=officer)
    rows = _csv(Client().get(statements.export_url("uttaler-csv")))
    assert len(rows) == 2
    assert (
        rows[1][0] == "Lillevik ungdomsråd"
        and TEXT in rows[1]
        and "Takk, det blir gjort." in rows[1]
    )
    flat = " ".join(" ".join(r) for r in rows)
    assert "Sigrid" not in flat and secretary.username not in flat and "@" not in flat
    listed = Client().get(
        f"/{statements.instance.process.municipality.slug}/{statements.instance.process.slug}/opne-data/"
    )
    assert statements.export_url("uttaler-csv") in listed.content.decode()


def test_the_staff_downloads_need_the_export_capability(
    org: Municipality,
    statements: Statements,
    asked: StatementRequest,
    held: BodyMeeting,
    officer: User,
) -> None:
    actions.do_register_statement(
        officer, statements.instance, asked, text=TEXT, meeting_id=held.pk
    )
    for key in ("alle-uttaler-csv", "uttaler-pdf"):
        url = statements.export_url(key)
        assert Client().get(url).status_code == 302
        assert client_for(factories.user()).get(url).status_code == 403
        got = client_for(officer).get(url)
        assert got.status_code == 200
        assert got["Cache-Control"] == "private, no-store"
    rows = _csv(client_for(officer).get(statements.export_url("alle-uttaler-csv")))
    assert rows[1][0] == "Lillevik ungdomsråd" and TEXT in rows[1]
    bundle = client_for(officer).get(statements.export_url("uttaler-pdf"))
    if bundle["Content-Type"] == "application/pdf":
        assert bundle.content.startswith(b"%PDF")
    else:  # no WeasyPrint here: the print page holds the same
        assert TEXT in bundle.content.decode()


# -- a person's own data --------------------------------------------------------------------------


def test_mine_data_and_erasure(
    org: Municipality,
    statements: Statements,
    asked: StatementRequest,
    held: BodyMeeting,
    secretary: User,
) -> None:
    secretary.email, secretary.email_verified = "rad@example.org", True
    secretary.save()
    c = actions.do_register_statement(
        secretary, statements.instance, asked, text=TEXT, meeting_id=held.pk
    ).contribution
    section = export_my_data(secretary)["body_memberships"]
    assert [m["body"] for m in section["memberships"]] == ["Lillevik ungdomsråd"]
    assert section["memberships"][0]["role"] == MemberRole.SECRETARY
    assert [s["contribution"] for s in section["statements_registered"]] == [c.pk]
    assert [b["contact_email"] for b in section["bodies_with_your_address"]] == ["rad@example.org"]

    identity_actions.do_erase_account(secretary)

    c.refresh_from_db()
    assert c.author is None
    assert (c.author_name, c.show_name) == ("Lillevik ungdomsråd", True)  # still the body's
    assert Statement.objects.get().contribution == c
    member = BodyMember.objects.get(role=MemberRole.SECRETARY)
    assert member.user is None and member.name == "Sigrid Vik"  # the public record stays
    assert Body.objects.get().contact_email == ""
    assert not User.objects.filter(pk=secretary.pk).exists()


# -- the demo ------------------------------------------------------------------------------------


def test_the_lillevik_demo_asks_three_councils_and_the_youth_councils_statement_is_on_the_case(
    client: Client,
) -> None:
    load_demo()
    instance = MethodInstance.objects.get(method_key="bodies")
    assert instance.process.slug == "lillevik-skule"
    bodies = {b.slug: b for b in Body.objects.filter(municipality=instance.process.municipality)}
    assert set(bodies) == {"ungdomsradet", "eldreradet", "funksjonsradet"}
    assert all(b.is_published for b in bodies.values())
    assert BodyMember.objects.filter(body=bodies["eldreradet"]).count() == len(demo.ELDERLY.seats)
    assert BodyMember.objects.filter(body=bodies["funksjonsradet"]).count() == len(
        demo.DISABILITY.seats
    )
    [statement] = Statement.objects.select_related("contribution__response", "meeting")
    assert statement.request.body == bodies["ungdomsradet"]
    assert statement.contribution.moderation == "published"
    assert statement.contribution.response.status == "partly_adopted"
    assert statement.meeting is not None and statement.meeting.minutes
    assert statement.agenda_item is not None
    secretary = BodyMember.objects.get(body=bodies["ungdomsradet"], role=MemberRole.SECRETARY)
    assert secretary.user is not None and secretary.user.username == "sakshandsamar"
    page = client.get(instance.get_absolute_url()).content.decode()
    assert demo.STATEMENT.split("\n")[0] in page
    assert "Lillevik eldreråd" in page
    case = client.get(instance.process.get_absolute_url()).content.decode()
    assert "Read the statements" in case or "Les uttalene" in case or "Les uttalane" in case
    body_page = client.get(registry.instance_url(instance, "body", slug="ungdomsradet"))
    assert body_page.status_code == 200
    assert "Emma Haugland" in body_page.content.decode()
    assert "Ida Strand" not in body_page.content.decode()  # her name is not published
    assert Contribution.objects.filter(kind="statement").count() == 1
