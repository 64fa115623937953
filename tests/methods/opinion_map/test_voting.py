"""Voting on an opinion map: one statement at a time, one row per vote (a changed vote
replaces it), bad input refused with nothing stored, identity and rate limits, and the hot
path: no contribution, no map computed in the request, ONE task queued for a burst."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks.signals import task_enqueued

from medvirk.contributions.actions import do_approve
from medvirk.contributions.models import Contribution
from medvirk.core.errors import ActionRefused
from medvirk.identity.models import AssuranceLevel
from medvirk.methods.opinion_map import actions, mapping, queries, staff_actions, tasks
from medvirk.methods.opinion_map.models import OpinionMap, Participant, Vote
from medvirk.methods.opinion_map.plugin import OpinionMap as OpinionMapPlugin
from medvirk.organisations.models import Municipality
from medvirk.planning import library
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance
from medvirk.processes.phases import Timing
from tests import factories
from tests.concurrency import in_parallel
from tests.factories import DAY

from .conftest import EN, Conversation, browser, draw, make_conversation, vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def enqueued() -> Any:
    """Every recompute task queued while the test runs (any thread)."""
    seen: list[Any] = []

    def record(sender: Any, task_result: Any, **kwargs: Any) -> None:
        if task_result.task.func is tasks.recompute_map.func:
            seen.append(task_result)

    task_enqueued.connect(record, weak=False)
    yield seen
    task_enqueued.disconnect(record)


# --- the plug-in ---------------------------------------------------------------------------


def test_plugin_is_registered_and_well_formed() -> None:
    plugin = registry.get("opinion_map")
    assert isinstance(plugin, OpinionMapPlugin)
    assert registry.problems(plugin) == []
    assert plugin.catalogue_entries == ("opinion_map",)
    assert plugin.action("vote").timings == frozenset({Timing.DURING})
    assert not plugin.action("vote").creates_contribution
    assert [k.key for k in plugin.contribution_kinds] == ["opinion_statement"]
    assert {e.key: e.audience for e in plugin.exports} == {"polis": "public"}
    assert plugin.has_staff_editor
    assert plugin.validate_settings({}) == {"allow_statements": True}
    with pytest.raises(registry.SettingsInvalid):
        plugin.validate_settings({"allow_statements": "yes"})
    assert library.catalogue().method("opinion_map").medvirk_method == "opinion_map"


def test_the_case_page_button_while_open(conversation: Conversation) -> None:
    plugin = registry.get("opinion_map")
    action = plugin.primary_action(conversation.instance)
    assert action is not None and action.url == conversation.instance.get_absolute_url()
    conversation.instance.closed_at = timezone.now()
    assert plugin.primary_action(conversation.instance) is None


# --- one statement at a time ---------------------------------------------------------------


def test_a_resident_votes_one_statement_at_a_time(conversation: Conversation) -> None:
    client = browser(conversation)
    page = client.get(conversation.url(), **EN).content.decode()
    first, second = conversation.statements[0], conversation.statements[1]
    assert first.text in page
    assert "You have answered 0 of 10 statements." in page
    assert 'name="vote" value="agree"' in page and 'name="vote" value="pass"' in page

    response = vote(client, conversation, first, "agree")
    assert response.status_code == 302
    assert response["Location"].endswith("#statement")
    page = client.get(conversation.url(), **EN).content.decode()
    assert "You have answered 1 of 10 statements." in page
    assert second.text in page and first.text not in page

    [row] = Vote.objects.all()
    assert (row.statement_id, row.value) == (first.pk, 1)
    participant = Participant.objects.get()
    # The key is a keyed hash, never the session key itself.
    session_key = client.session.session_key
    assert session_key and session_key not in participant.key and len(participant.key) == 64
    assert participant.user is None
    # A vote is not input: no contribution.
    assert not Contribution.objects.exists()


def test_a_remembered_participant_that_is_gone_is_forgotten(conversation: Conversation) -> None:
    client = browser(conversation)
    vote(client, conversation, conversation.statements[0], "agree")
    slot = f"medvirk.opinion_map.participant.{conversation.instance.pk}"
    key, pid = client.session[slot]
    assert Participant.objects.get(pk=pid).key == key
    # The session remembers the participant: the next vote needs no lookup.
    vote(client, conversation, conversation.statements[1], "agree")
    assert Vote.objects.filter(participant_id=pid).count() == 2
    Participant.objects.filter(pk=pid).delete()
    # Gone (as a test can make it): found again by the key, and remembered anew.
    assert vote(client, conversation, conversation.statements[2], "agree").status_code == 302
    [fresh] = Participant.objects.all()
    assert fresh.key == key and client.session[slot] == [key, fresh.pk]
    assert Vote.objects.get().participant_id == fresh.pk


def test_every_statement_answered_then_done(org: Municipality) -> None:
    conversation = make_conversation(org, texts=["One.", "Two."])
    client = browser(conversation)
    for statement, word in zip(conversation.statements, ["disagree", "pass"], strict=True):
        assert vote(client, conversation, statement, word).status_code == 302
    page = client.get(conversation.url(), **EN).content.decode()
    assert 'id="all-done"' in page
    assert "You have answered 2 of 2 statements." in page
    assert sorted(Vote.objects.values_list("value", flat=True)) == [-1, 0]


def test_a_changed_vote_replaces_the_earlier_one(conversation: Conversation) -> None:
    client = browser(conversation)
    statement = conversation.statements[0]
    vote(client, conversation, statement, "agree")
    mine = client.get(conversation.url("mine"), **EN).content.decode()
    assert "Your vote: agree" in mine and statement.text in mine
    response = client.post(
        conversation.url("vote"),
        {"statement": str(statement.pk), "vote": "disagree", "from": "mine"},
        **EN,
    )
    assert response.status_code == 302 and response["Location"].endswith("mine-svar/")
    assert list(Vote.objects.values_list("value", flat=True)) == [-1]
    assert "Your vote: disagree" in client.get(conversation.url("mine"), **EN).content.decode()


def test_the_municipality_s_statements_come_first_then_the_most_voted(
    org: Municipality, moderator: Any
) -> None:
    conversation = make_conversation(org, texts=["Seed one.", "Seed two."])
    instance = conversation.instance
    anonymous = AnonymousUser()
    quiet = actions.do_add_statement(anonymous, instance, "A quiet statement.").contribution
    busy = actions.do_add_statement(anonymous, instance, "A busy statement.").contribution
    for contribution in (quiet, busy):
        do_approve(moderator, contribution)
    busy_pk = queries.Statement.objects.get(contribution=busy).pk
    totals = {str(busy_pk): [9, 1, 0]}
    key = "k"
    upcoming = queries.next_statement(instance, key, None, totals)
    assert upcoming.statement is not None and upcoming.statement.text == "Seed one."
    assert upcoming.total == 4 and upcoming.answered == 0
    pid = actions.do_votes(
        anonymous,
        instance,
        {s.pk: 1 for s in conversation.statements},
        session_key="browser-1",
    )
    upcoming = queries.next_statement(instance, key, pid, totals)
    assert upcoming.statement is not None and upcoming.statement.pk == busy_pk
    assert upcoming.answered == 2


# --- refused, with nothing stored ----------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {"vote": "maybe"},
        {"vote": ""},
        {"vote": "1"},
        {"statement": "not-a-number", "vote": "agree"},
        {"statement": "", "vote": "agree"},
        {"statement": "999999", "vote": "agree"},
    ],
)
def test_bad_votes_are_refused_with_a_message(
    conversation: Conversation, data: dict[str, str]
) -> None:
    client = browser(conversation)
    payload = {"statement": str(conversation.statements[0].pk), **data}
    response = client.post(conversation.url("vote"), payload, **EN)
    assert response.status_code == 400
    assert 'id="vote-error"' in response.content.decode()
    assert not Vote.objects.exists() and not Participant.objects.exists()


def test_a_statement_of_another_conversation_or_out_of_the_vote_is_refused(
    org: Municipality, conversation: Conversation
) -> None:
    other = make_conversation(org, texts=["Elsewhere."])
    client = browser(conversation)
    assert vote(client, conversation, other.statements[0], "agree").status_code == 400
    taken_out = conversation.statements[0]
    staff_actions.do_set_active(None, taken_out, False)
    response = vote(client, conversation, taken_out, "agree")
    assert response.status_code == 400
    assert "not in the vote any more" in response.content.decode()
    assert not Vote.objects.exists()


def test_a_closed_conversation_takes_no_votes(org: Municipality) -> None:
    conversation = make_conversation(org, end=timezone.now() - DAY)
    client = Client()
    page = client.get(conversation.url(), **EN)
    assert page.status_code == 200 and 'id="refusal"' in page.content.decode()
    assert 'id="vote-form"' not in page.content.decode()
    response = vote(client, conversation, conversation.statements[0], "agree")
    assert response.status_code == 403
    assert not Vote.objects.exists()


def test_the_identity_level_is_the_instance_s_setting(org: Municipality) -> None:
    conversation = make_conversation(org, identity_levels={"vote": int(AssuranceLevel.EMAIL)})
    response = vote(Client(), conversation, conversation.statements[0], "agree")
    assert response.status_code == 403
    assert "log in" in response.content.decode().lower()
    person = factories.user(email_verified=True)
    client = Client()
    client.force_login(person)
    assert vote(client, conversation, conversation.statements[0], "agree").status_code == 302
    assert Participant.objects.get().user == person


def test_a_logged_in_person_is_one_participant_on_every_device(
    conversation: Conversation,
) -> None:
    person = factories.user()
    phone, laptop = Client(), Client()
    phone.force_login(person)
    laptop.force_login(person)
    vote(phone, conversation, conversation.statements[0], "agree")
    vote(laptop, conversation, conversation.statements[0], "disagree")
    vote(laptop, conversation, conversation.statements[1], "agree")
    participant = Participant.objects.get()
    assert participant.user == person
    assert participant.key == actions.participant_key(conversation.instance.pk, person, None)
    assert dict(Vote.objects.values_list("statement_id", "value")) == {
        conversation.statements[0].pk: -1,
        conversation.statements[1].pk: 1,
    }


def test_keys_differ_between_conversations(org: Municipality) -> None:
    one, two = make_conversation(org, texts=["A."]), make_conversation(org, texts=["B."])
    anonymous = AnonymousUser()
    assert actions.participant_key(one.instance.pk, anonymous, "s") != actions.participant_key(
        two.instance.pk, anonymous, "s"
    )
    assert actions.participant_key(one.instance.pk, anonymous, "") is None


def test_anonymous_votes_are_rate_limited(conversation: Conversation, settings: Any) -> None:
    settings.MEDVIRK_RATE_LIMITS = {**settings.MEDVIRK_RATE_LIMITS, "opinion_vote": "3/10m"}
    client = browser(conversation)
    for statement in conversation.statements[:3]:
        assert vote(client, conversation, statement, "agree").status_code == 302
    response = vote(client, conversation, conversation.statements[3], "agree")
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert Vote.objects.count() == 3
    # A logged-in participant is one account, whatever the address: not limited here.
    person = factories.user()
    account = Client()
    account.force_login(person)
    for statement in conversation.statements[:5]:
        assert vote(account, conversation, statement, "pass").status_code == 302


# --- the hot path --------------------------------------------------------------------------


def test_a_burst_of_votes_queues_one_task_and_computes_nothing(
    conversation: Conversation,
    queued: None,
    enqueued: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for _n in range(4):
            client = browser(conversation)
            for statement in conversation.statements[:5]:
                assert vote(client, conversation, statement, "agree").status_code == 302
    assert Vote.objects.count() == 20
    assert len(enqueued) == 1
    [result] = enqueued
    # Debounced: it runs after the first vote's time plus the debounce.
    assert result.task.run_after is not None
    row = OpinionMap.objects.get(method_instance=conversation.instance)
    assert row.requested_at is not None and row.computed_at is None and row.result == {}

    # The worker draws it; the next vote asks again.
    assert mapping.run(conversation.instance.pk) == mapping.COMPUTED
    row.refresh_from_db()
    assert row.requested_at is None and row.computed_at is not None and row.votes_seen == 20
    with django_capture_on_commit_callbacks(execute=True):
        vote(browser(conversation), conversation, conversation.statements[0], "pass")
    assert len(enqueued) == 2


def test_a_vote_makes_a_fixed_number_of_queries(
    conversation: Conversation, queued: None, django_capture_on_commit_callbacks: Any
) -> None:
    client = browser(conversation)
    vote(client, conversation, conversation.statements[0], "agree")  # the participant exists
    counts = []
    for statement in conversation.statements[1:4]:
        with (
            CaptureQueriesContext(connection) as queries_made,
            django_capture_on_commit_callbacks(execute=True),
        ):
            assert vote(client, conversation, statement, "agree").status_code == 302
        counts.append(len(queries_made))
    assert counts[0] == counts[1] == counts[2]
    assert counts[0] <= 12, counts


def test_a_lost_request_is_renewed_by_the_next_vote(
    conversation: Conversation,
    queued: None,
    enqueued: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        vote(browser(conversation), conversation, conversation.statements[0], "agree")
    assert len(enqueued) == 1
    OpinionMap.objects.update(requested_at=timezone.now() - actions.REQUEST_STALE * 2)
    with django_capture_on_commit_callbacks(execute=True):
        vote(browser(conversation), conversation, conversation.statements[0], "agree")
    assert len(enqueued) == 2


def test_a_crashed_worker_does_not_block_the_map(conversation: Conversation) -> None:
    actions.do_vote(
        AnonymousUser(),
        conversation.instance,
        conversation.statements[0].pk,
        1,
        session_key="s",
        recompute=False,
    )
    now = timezone.now()
    OpinionMap.objects.update(requested_at=now, running_since=now - dt.timedelta(minutes=1))
    # Another worker is drawing (fresh): this one leaves it to that one.
    assert mapping.run(conversation.instance.pk) == mapping.BUSY
    # That worker crashed long ago: it is ignored.
    OpinionMap.objects.update(running_since=now - mapping.RUNNING_STALE * 2)
    assert mapping.run(conversation.instance.pk) == mapping.COMPUTED
    row = OpinionMap.objects.get()
    assert row.running_since is None and row.votes_seen == 1
    # Nothing asked for: nothing to do.
    assert mapping.run(conversation.instance.pk) == mapping.NOTHING


def test_a_busy_map_is_retried_later_by_a_queue_that_can_wait(
    conversation: Conversation, queued: None, enqueued: list[Any]
) -> None:
    actions.do_vote(
        AnonymousUser(),
        conversation.instance,
        conversation.statements[0].pk,
        1,
        session_key="s",
        recompute=False,
    )
    now = timezone.now()
    OpinionMap.objects.update(requested_at=now, running_since=now)
    assert tasks.recompute_map.call(conversation.instance.pk) == mapping.BUSY
    [retry] = enqueued
    assert retry.task.run_after is not None and retry.task.run_after > now


def test_a_failed_computation_is_recorded_and_frees_the_map(
    conversation: Conversation, monkeypatch: pytest.MonkeyPatch
) -> None:
    actions.do_vote(
        AnonymousUser(),
        conversation.instance,
        conversation.statements[0].pk,
        1,
        session_key="s",
        recompute=False,
    )
    OpinionMap.objects.update(requested_at=timezone.now())

    def broken(instance_id: int, **kwargs: Any) -> Any:
        raise RuntimeError("out of memory")

    monkeypatch.setattr(mapping, "compute", broken)
    with pytest.raises(RuntimeError):
        mapping.run(conversation.instance.pk)
    row = OpinionMap.objects.get()
    assert row.running_since is None and "out of memory" in row.error


@pytest.mark.django_db(transaction=True)
def test_parallel_votes_keep_one_row_per_statement_and_queue_once(
    org: Municipality, queued: None, enqueued: list[Any]
) -> None:
    conversation = make_conversation(org, texts=["Parallel one.", "Parallel two."])
    instance = conversation.instance
    statement = conversation.statements[0]
    instance_id = instance.pk

    def work(i: int) -> int:
        fresh = MethodInstance.objects.select_related("process", "phase").get(pk=instance_id)
        # Half the threads are the same browser changing its mind; the rest are others.
        session = "same-browser" if i % 2 == 0 else f"browser-{i}"
        return actions.do_vote(
            AnonymousUser(), fresh, statement.pk, 1 if i % 4 == 0 else -1, session_key=session
        ).participant_id

    in_parallel(work, 8)
    assert Participant.objects.count() == 5
    assert Vote.objects.filter(statement=statement).count() == 5
    assert len(enqueued) == 1
    assert OpinionMap.objects.get(method_instance_id=instance_id).requested_at is not None


def test_refusals_from_the_action(conversation: Conversation) -> None:
    with pytest.raises(ActionRefused):
        actions.do_vote(
            AnonymousUser(),
            conversation.instance,
            conversation.statements[0].pk,
            2,
            session_key="s",
        )
    with pytest.raises(ActionRefused):
        actions.do_vote(
            AnonymousUser(),
            conversation.instance,
            conversation.statements[0].pk,
            1,
            session_key=None,
        )
    assert not Vote.objects.exists()


def test_the_map_page_never_computes(conversation: Conversation, queued: None) -> None:
    client = browser(conversation)
    vote(client, conversation, conversation.statements[0], "agree")
    page = client.get(conversation.url("map"), **EN)
    assert page.status_code == 200 and 'id="no-map"' in page.content.decode()
    assert OpinionMap.objects.get().computed_at is None
    draw(conversation)
    page = client.get(conversation.url("map"), **EN).content.decode()
    assert 'id="map-status"' in page
