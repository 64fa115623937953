"""A body's statement: who may register it, what it becomes (a contribution in the body's
name, answered like any input), and what is refused (with nothing stored)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from medvirk.accountability.actions import do_decide
from medvirk.accountability.models import Response
from medvirk.contributions import actions as contributions
from medvirk.contributions.models import Channel, Contribution, ModerationState
from medvirk.core.errors import ActionRefused
from medvirk.identity.models import User
from medvirk.methods.bodies import actions, plugin
from medvirk.methods.bodies.models import (
    Body,
    BodyKind,
    BodyMeeting,
    MeetingStatus,
    MemberRole,
    Statement,
    StatementRequest,
)
from medvirk.organisations.models import Municipality, Role
from medvirk.processes.permissions import NeedsLogin
from tests import factories

from .conftest import Statements, ask, make_body, make_instance, make_meeting, make_member

pytestmark = pytest.mark.django_db

TEXT = "Ungdomsrådet rår kommunestyret til å byggje ny skule i Lillevik."


def register(
    user: User | AnonymousUser,
    statements: Statements,
    request: StatementRequest,
    meeting: BodyMeeting,
    text: str = TEXT,
    item: int | None = None,
) -> contributions.Receipt:
    return actions.do_register_statement(
        user,
        statements.instance,
        request,
        text=text,
        meeting_id=meeting.pk,
        agenda_item_id=item,
    )


def test_the_plugin_and_the_actions_use_the_same_names() -> None:
    assert (plugin.ACTION, plugin.KIND) == (actions.ACTION, actions.KIND)
    assert plugin.Bodies.key == actions.METHOD_KEY


def test_staff_register_a_statement_in_the_bodys_name(
    statements: Statements, asked: StatementRequest, held: BodyMeeting, officer: User
) -> None:
    item = held.items.get()
    mark = factories.audit_mark()
    receipt = register(officer, statements, asked, held, item=item.pk)
    c = receipt.contribution
    assert (c.kind, c.channel, c.text) == ("statement", Channel.MEETING, TEXT)
    assert (c.author_name, c.show_name, c.public_author) == (
        "Lillevik ungdomsråd",
        True,
        "Lillevik ungdomsråd",
    )
    assert c.author is None and c.registered_by == officer
    assert c.moderation == ModerationState.PUBLISHED
    assert c.contact_email == "rad@example.org"  # the receipt and the answer go to the body
    assert c.given_on == timezone.localdate(held.starts_at)
    assert c.given_at_place == "Ungdomshuset"
    assert c.needs_answer  # it waits in the inbox for the municipality's answer
    statement = Statement.objects.get(contribution=c)
    assert (statement.meeting, statement.agenda_item, statement.is_late) == (held, item, False)
    assert statement.adopted_on == timezone.localdate(held.starts_at)
    assert statement.registered_by_member is None
    codes = list(factories.audited_since(mark).values_list("action", flat=True))
    assert "contribution.registered_offline" in codes
    assert "bodies.statement_registered" in codes


def test_the_bodys_secretary_registers_it_from_their_own_account(
    statements: Statements, asked: StatementRequest, held: BodyMeeting, secretary: User
) -> None:
    c = register(secretary, statements, asked, held).contribution
    assert c.author == secretary and c.registered_by is None
    assert c.public_author == "Lillevik ungdomsråd"
    assert c.moderation == ModerationState.PUBLISHED
    statement = Statement.objects.get(contribution=c)
    assert statement.registered_by_member is not None
    assert statement.registered_by_member.role == MemberRole.SECRETARY


def test_a_secretary_of_another_body_cannot_write_for_this_one(
    org: Municipality, statements: Statements, asked: StatementRequest, held: BodyMeeting
) -> None:
    elderly = make_body(org, "Lillevik eldreråd", BodyKind.ELDERLY_COUNCIL)
    other = factories.user()
    make_member(elderly, "Tone Berg", MemberRole.SECRETARY, user=other, term_days=None)
    with pytest.raises(ActionRefused) as refused:
        register(other, statements, asked, held)
    assert refused.value.status == 403
    assert not Contribution.objects.exists()
    # Her own body, once asked, is hers to write for.
    own = ask(statements, elderly)
    register(other, statements, own, make_meeting(elderly))
    assert Statement.objects.filter(request=own).count() == 1


@pytest.mark.parametrize(
    ("role", "days_ago", "term_days", "linked"),
    [
        (MemberRole.CHAIR, 100, 600, True),  # the chair is not the secretary
        (MemberRole.SECRETARY, 800, 600, True),  # a secretary whose term has ended
        (MemberRole.SECRETARY, -10, 600, True),  # … or not yet started
        (MemberRole.SECRETARY, 100, None, False),  # a secretary without this account
    ],
)
def test_only_the_current_secretary_may_write(
    youth: Body,
    statements: Statements,
    asked: StatementRequest,
    held: BodyMeeting,
    role: str,
    days_ago: int,
    term_days: int | None,
    linked: bool,
) -> None:
    person = factories.user()
    make_member(
        asked.body,
        "Noen",
        role,
        user=person if linked else None,
        days_ago=days_ago,
        term_days=term_days,
    )
    with pytest.raises(ActionRefused) as refused:
        register(person, statements, asked, held)
    assert refused.value.status == 403
    assert not Statement.objects.exists()


def test_someone_not_logged_in_is_asked_to_log_in(
    statements: Statements, asked: StatementRequest, held: BodyMeeting
) -> None:
    with pytest.raises(NeedsLogin):
        register(AnonymousUser(), statements, asked, held)
    assert not Contribution.objects.exists()


def test_a_moderator_without_register_offline_may_not(
    org: Municipality, statements: Statements, asked: StatementRequest, held: BodyMeeting
) -> None:
    moderator = factories.staff(org, Role.MODERATOR)
    with pytest.raises(ActionRefused) as refused:
        register(moderator, statements, asked, held)
    assert refused.value.status == 403


def test_staff_of_another_municipality_may_not(
    statements: Statements, asked: StatementRequest, held: BodyMeeting
) -> None:
    stranger = factories.staff(factories.municipality("Andrevik"), Role.CASE_OFFICER)
    with pytest.raises(ActionRefused):
        register(stranger, statements, asked, held)
    assert not Contribution.objects.exists()


def test_one_statement_per_body_and_case_until_a_moderator_takes_it_down(
    org: Municipality,
    statements: Statements,
    asked: StatementRequest,
    held: BodyMeeting,
    officer: User,
) -> None:
    first = register(officer, statements, asked, held).contribution
    with pytest.raises(ActionRefused) as refused:
        register(officer, statements, asked, held, text="Ein ny tekst")
    assert refused.value.status == 409
    assert Statement.objects.count() == 1
    contributions.do_hide(factories.staff(org, Role.MODERATOR), first, "Feil tekst.")
    second = register(officer, statements, asked, held, text="Rett tekst").contribution
    assert second.once_key != first.once_key
    assert Statement.objects.count() == 2
    assert actions.live_statement(asked) is not None
    assert actions.live_statement(asked).contribution == second  # type: ignore[union-attr]


@pytest.mark.parametrize("problem", ["future", "cancelled", "other_body", "none"])
def test_the_meeting_must_be_the_bodys_own_and_held(
    org: Municipality,
    statements: Statements,
    asked: StatementRequest,
    officer: User,
    problem: str,
) -> None:
    meeting: BodyMeeting | None
    if problem == "future":
        meeting = make_meeting(asked.body, days=3)
    elif problem == "cancelled":
        meeting = make_meeting(asked.body, days=-3, status=MeetingStatus.CANCELLED)
    elif problem == "other_body":
        meeting = make_meeting(make_body(org, "Eldrerådet", BodyKind.ELDERLY_COUNCIL))
    else:
        meeting = None
    with pytest.raises(ActionRefused):
        actions.do_register_statement(
            officer,
            statements.instance,
            asked,
            text=TEXT,
            meeting_id=meeting.pk if meeting else None,
        )
    assert not Contribution.objects.exists()


def test_the_agenda_item_must_be_on_that_meetings_agenda(
    statements: Statements, asked: StatementRequest, held: BodyMeeting, officer: User
) -> None:
    other = make_meeting(asked.body, days=-30, items=(("US 1/26", "Anna sak"),))
    with pytest.raises(ActionRefused):
        register(officer, statements, asked, held, item=other.items.get().pk)
    assert not Contribution.objects.exists()


def test_an_empty_statement_is_refused(
    statements: Statements, asked: StatementRequest, held: BodyMeeting, officer: User
) -> None:
    with pytest.raises(ActionRefused):
        register(officer, statements, asked, held, text="  \n ")
    assert not Contribution.objects.exists()


def test_after_the_deadline_it_is_taken_and_marked_late(
    statements: Statements, youth: Body, held: BodyMeeting, officer: User
) -> None:
    request = ask(statements, held.body, days=-1)
    c = register(officer, statements, request, held).contribution
    assert Statement.objects.get(contribution=c).is_late


def test_a_case_can_refuse_late_statements(org: Municipality, officer: User) -> None:
    statements = make_instance(org, settings={"late_statements": False})
    body = make_body(org)
    request = ask(statements, body, days=-1)
    with pytest.raises(ActionRefused) as refused:
        register(officer, statements, request, make_meeting(body))
    assert refused.value.status == 403


def test_nothing_is_taken_once_the_case_is_decided(
    org: Municipality,
    statements: Statements,
    asked: StatementRequest,
    held: BodyMeeting,
    officer: User,
) -> None:
    do_decide(
        officer,
        statements.instance.process,
        body="Kommunestyret",
        text="Vedteke.",
        date=timezone.localdate(),
        pending=False,
    )
    with pytest.raises(ActionRefused):
        register(officer, statements, asked, held)
    assert not Contribution.objects.exists()


def test_the_answer_and_the_decision_reach_the_statement(
    statements: Statements, asked: StatementRequest, held: BodyMeeting, officer: User
) -> None:
    c = register(officer, statements, asked, held).contribution
    response = factories.response(c, "partly_adopted", "Teke med i saksframlegget.", by=officer)
    decision = do_decide(
        officer,
        statements.instance.process,
        body="Kommunestyret",
        text="Nybygg.",
        date=timezone.localdate(),
        pending=False,
        link_statuses=["partly_adopted"],
    )
    assert list(decision.responses.all()) == [response]
    assert Response.objects.get(contribution=c).status == "partly_adopted"


def test_meetings_to_choose_leave_out_cancelled_and_future_ones(youth: Body) -> None:
    body = youth
    held = make_meeting(body, days=-2)
    make_meeting(body, days=-5, status=MeetingStatus.CANCELLED)
    make_meeting(body, days=4)
    older = make_meeting(body, days=-40)
    assert list(actions.meetings_to_choose(body)) == [held, older]


def test_the_term_of_a_youth_council_member_is_at_most_two_years(youth: Body) -> None:
    body = youth
    with pytest.raises(ActionRefused):
        make_member(body, "Lang periode", MemberRole.MEMBER, term_days=800)
    with pytest.raises(ActionRefused):
        make_member(body, "Inga slutt", MemberRole.MEMBER, term_days=None)
    make_member(body, "To år", MemberRole.MEMBER, term_days=730)
    # The secretary serves the council and has no term of election.
    make_member(body, "Sekretær", MemberRole.SECRETARY, term_days=None)
