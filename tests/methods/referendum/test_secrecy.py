"""The proof that nothing stored links a roll entry to a ballot.

What could link them, and what this checks:

- **a shared id or a foreign key**: the two models' columns, field by field — no link
  from a ballot to the roll, an account or a contribution (or back); random UUID (v4)
  primary keys, no serial number anywhere; the only columns both tables have are the
  referendum, the district and the day;
- **time**: no date-time column in either table, and no other table gets a row when
  someone votes (``test_voting``);
- **order**: rows are stored in the order they were written (SQLite's rowid, PostgreSQL's
  ctid), so before mixing the ballots' physical order IS the voting order — checked here so
  the test can fail — and after mixing (nightly, and at the close) the default order, the
  primary-key order and the physical order are the order of the random ids, not the
  voting order; on PostgreSQL no ballot keeps the id of the transaction that wrote it
  (``xmin``), which it shared with the voter's roll entry.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from medvirk.methods.referendum import actions, staff_actions
from medvirk.methods.referendum.models import Ballot, RollEntry
from tests.factories import DAY

from .conftest import Vote, announce, vote_as, voter

pytestmark = pytest.mark.django_db(transaction=True)

VOTERS = 40


def _columns(model: type[models.Model]) -> set[str]:
    return {f.column for f in model._meta.concrete_fields}


def test_the_two_tables_share_only_the_referendum_the_district_and_the_day() -> None:
    assert _columns(Ballot) & _columns(RollEntry) == {"id", "referendum_id", "district", "day"}
    # "id" is in both only as a name: each is a random UUID of its own (below).
    for model in (Ballot, RollEntry):
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.DateTimeField), f"{model.__name__}.{field.name}"
            assert not isinstance(field, models.AutoField | models.BigAutoField)
            if isinstance(field, models.ForeignKey):
                assert field.related_model._meta.label in {
                    "referendum.Referendum",
                    "referendum.Option",
                }, f"{model.__name__}.{field.name} points at {field.related_model}"
        assert isinstance(model._meta.pk, models.UUIDField)
        assert model._meta.pk.default is uuid.uuid4
    # Nothing anywhere points at a ballot or a roll entry.
    for model in (Ballot, RollEntry):
        assert not [r for r in model._meta.related_objects], model.__name__
    roll_only = _columns(RollEntry) - _columns(Ballot)
    ballot_only = _columns(Ballot) - _columns(RollEntry)
    assert roll_only == {"voter_hash", "channel"}
    assert ballot_only == {"option_id", "change_hash"}


def _physical(referendum_id: int) -> list[str]:
    """The ballots' ids in the order the database stores them."""
    table = Ballot._meta.db_table
    position = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT id FROM "{table}" WHERE referendum_id = %s ORDER BY {position}',
            [referendum_id],
        )
        return [str(uuid.UUID(str(row[0]))) for row in cursor.fetchall()]


def _unordered(referendum_id: int) -> list[str]:
    """What a plain SELECT without ORDER BY gives (a sequential scan: storage order)."""
    table = Ballot._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT id FROM "{table}" WHERE referendum_id = %s', [referendum_id])
        return [str(uuid.UUID(str(row[0]))) for row in cursor.fetchall()]


def _xmins(model: type[models.Model], referendum_id: int) -> set[str]:
    """PostgreSQL: the ids of the transactions that wrote the rows."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT xmin::text FROM "{table}" WHERE referendum_id = %s', [referendum_id]
        )
        return {str(r[0]) for r in cursor.fetchall()}


def _vote_in_order(vote: Vote) -> list[str]:
    """Let VOTERS people vote one after another; the ballot ids in voting order."""
    referendum = vote.referendum
    options = actions.options_of(referendum)
    order: list[str] = []
    seen: set[str] = set()
    for n in range(VOTERS):
        vote_as(vote, voter(), options[n % len(options)].pk)
        ids = {
            str(b)
            for b in Ballot.objects.filter(referendum=referendum).values_list("id", flat=True)
        }
        (new,) = ids - seen
        seen = ids
        order.append(new)
    return order


def test_after_mixing_no_order_of_the_ballots_follows_the_voting_order(
    vote: Vote, officer: Any
) -> None:
    announce(vote, officer)
    referendum = vote.referendum
    voting_order = _vote_in_order(vote)
    by_id = sorted(voting_order, key=lambda i: uuid.UUID(i).int)
    assert by_id != voting_order  # 1 in 40! that random ids come out sorted

    # Before mixing the physical order is the voting order: the risk mixing removes.
    assert _physical(referendum.pk) == voting_order
    # The default and primary-key orders never were (random ids).
    default = [str(b.id) for b in Ballot.objects.filter(referendum=referendum)]
    assert default == by_id
    assert [
        str(i)
        for i in Ballot.objects.filter(referendum=referendum)
        .order_by("pk")
        .values_list("pk", flat=True)
    ] == by_id

    staff_actions.mix(referendum)

    assert _physical(referendum.pk) == by_id
    assert _physical(referendum.pk) != voting_order
    assert _unordered(referendum.pk) == by_id
    assert [str(b.id) for b in Ballot.objects.filter(referendum=referendum)] == by_id
    # The roll is rewritten in the order of its own random ids too.
    roll_ids = sorted(
        (
            str(i)
            for i in RollEntry.objects.filter(referendum=referendum).values_list("id", flat=True)
        ),
        key=lambda i: uuid.UUID(i).int,
    )
    table = RollEntry._meta.db_table
    position = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT id FROM "{table}" ORDER BY {position}')
        assert [str(uuid.UUID(str(r[0]))) for r in cursor.fetchall()] == roll_ids
    # Nothing was lost or changed by mixing.
    assert Ballot.objects.filter(referendum=referendum).count() == VOTERS
    assert RollEntry.objects.filter(referendum=referendum).count() == VOTERS


def test_closing_mixes_and_no_ballot_keeps_its_voters_transaction_id(
    vote: Vote, officer: Any
) -> None:
    now = timezone.now()
    announce(vote, officer, opens=now - DAY, closes=now + DAY)
    referendum = vote.referendum
    voting_order = _vote_in_order(vote)
    if connection.vendor == "postgresql":
        # The link before mixing: each row carries the id of the transaction that wrote it,
        # so the ballots' transaction ids put them in voting order — the order of the roll
        # entries, whose ids come from the same transactions.
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT id FROM "{Ballot._meta.db_table}" WHERE referendum_id = %s '
                "ORDER BY xmin::text::bigint",
                [referendum.pk],
            )
            assert [str(uuid.UUID(str(r[0]))) for r in cursor.fetchall()] == voting_order
    staff_actions.do_close(officer, vote.instance, now=now + 2 * DAY)
    by_id = sorted(voting_order, key=lambda i: uuid.UUID(i).int)
    assert _physical(referendum.pk) == by_id != voting_order
    if connection.vendor == "postgresql":
        ballot_xmins, roll_xmins = _xmins(Ballot, referendum.pk), _xmins(RollEntry, referendum.pk)
        assert len(ballot_xmins) == 1 and ballot_xmins == roll_xmins  # one mixing transaction


def test_the_public_count_record_lists_ballots_by_random_id_only(vote: Vote, officer: Any) -> None:
    now = timezone.now()
    announce(vote, officer, opens=now - DAY, closes=now + DAY)
    voting_order = _vote_in_order(vote)
    staff_actions.do_close(officer, vote.instance, now=now + 2 * DAY)
    entries = {e.kind: e for e in vote.referendum.count_entries.all()}
    listed = entries["electronic"].data["ballots"]
    assert [b[0] for b in listed] == sorted(voting_order, key=lambda i: uuid.UUID(i).int)
    assert all(len(b) == 2 for b in listed)  # id and option: no district, no day
    roll_hashes = set(RollEntry.objects.values_list("voter_hash", flat=True))
    text = str(entries["electronic"].data) + str(entries["result"].data)
    assert not any(h in text for h in roll_hashes)


def test_a_voters_roll_key_is_per_referendum(org: Any, officer: Any) -> None:
    """The same person in two referendums has two unrelated roll keys: the rolls cannot be
    joined into a list of who voted in both."""
    from .conftest import make_instance

    first, second_vote = make_instance(org), make_instance(org)
    announce(first, officer)
    announce(second_vote, officer)
    person_ = voter()
    vote_as(first, person_)
    vote_as(second_vote, person_)
    a, b = RollEntry.objects.order_by("referendum_id").values_list("voter_hash", flat=True)
    assert a != b
    assert person_.national_id_hash not in (a, b)
    assert settings.MEDVIRK_IDENTITY_PEPPER  # keyed: without the pepper nothing can be tried


def test_the_nightly_mix_command_rewrites_the_tables_on_postgresql(
    vote: Vote, officer: Any
) -> None:
    from io import StringIO

    from django.core.management import call_command

    announce(vote, officer)
    voting_order = _vote_in_order(vote)
    out = StringIO()
    call_command("referendum_mix", stdout=out)
    assert f"{VOTERS} ballots" in out.getvalue()
    assert ("tables rewritten (VACUUM FULL)" in out.getvalue()) == (
        connection.vendor == "postgresql"
    )
    by_id = sorted(voting_order, key=lambda i: uuid.UUID(i).int)
    assert _physical(vote.referendum.pk) == by_id
