"""The opinion map on real Pol.is conversations, and against the groups Pol.is published.

Data: the six conversations in ../shared/data/polis/ beside the repository (CC BY 4.0,
The Computational Democracy Project; see the README there). Each runs through the engine
and, once, through ``medvirk opinion-map --json`` (in-process). The expectations are
computed here straight from the CSV files, not with the engine's own reader. Pol.is's
``group-id`` in participants-votes.csv is the truth for Seattle and Brexit; participants
Pol.is left without a group are not compared. The other four are checked for robustness
only (why: docs/algorithms.md, "Tested on six real conversations").
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from medvirk.algorithms.opinion_map.cli import main
from medvirk.algorithms.opinion_map.engine import OpinionMap, build_opinion_map
from medvirk.algorithms.opinion_map.io import read_comments, read_votes

from .test_opinion_map_ari import adjusted_rand_index

# The repository's parent holds shared/ (in CI too: a fresh clone sits beside ../shared).
POLIS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "polis"
CONVERSATIONS = [
    "15-per-hour-seattle",
    "brexit-consensus",
    "football-concussions",
    "scoop-hivemind.affordable-housing",
    "scoop-hivemind.ubi",
    "ssis.land-bank-farmland.2rumnecbeh.2021-08-01",
]
# Pol.is's published groups are the target here (the other four: see the docstring).
MATCH_POLIS = ["15-per-hour-seattle", "brexit-consensus"]
MIN_VOTES = 7

pytestmark = pytest.mark.skipif(
    not POLIS.is_dir(), reason=f"real Pol.is data not found at {POLIS} (shared/ beside the repo)"
)


@dataclass(frozen=True)
class Export:
    """What the CSV files say, read with the csv module alone."""

    listed: dict[int, int]  # statement → moderated (-1, 0 or 1), from comments.csv
    voted_on: dict[int, set[int]]  # participant → statements they voted on, from votes.csv
    polis_groups: dict[int, int]  # participant → Pol.is group-id (grouped participants only)

    @property
    def statements_with_votes(self) -> set[int]:
        voted: set[int] = set()
        for statements in self.voted_on.values():
            voted |= statements
        return voted


@cache
def _export(name: str) -> Export:
    folder = POLIS / name
    with (folder / "comments.csv").open(encoding="utf-8") as handle:
        listed = {
            int(row["comment-id"]): int(row["moderated"])
            for row in csv.DictReader(handle)
            if row["comment-id"].strip()
        }
    voted_on: dict[int, set[int]] = {}
    with (folder / "votes.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["voter-id"].strip():
                voted_on.setdefault(int(row["voter-id"]), set()).add(int(row["comment-id"]))
    with (folder / "participants-votes.csv").open(encoding="utf-8") as handle:
        polis_groups = {
            int(row["participant"]): int(row["group-id"])
            for row in csv.DictReader(handle)
            if row["group-id"].strip()
        }
    return Export(listed, voted_on, polis_groups)


@cache
def _map(name: str) -> OpinionMap:
    folder = POLIS / name
    votes = read_votes(folder / "votes.csv")
    comments = read_comments(folder / "comments.csv")
    return build_opinion_map(
        votes.participants,
        votes.statements,
        votes.votes,
        timestamps=votes.timestamps,
        moderated_out=comments.moderated_out,
        listed=comments.lines,
    )


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_real_conversation(name: str) -> None:
    export, result = _export(name), _map(name)
    voted = export.statements_with_votes
    # Skipped: exactly the listed statements nobody voted on, moderated-out ones saying so.
    unvoted = sorted(set(export.listed) - voted)
    assert [s.statement_id for s in result.skipped] == unvoted
    for item in result.skipped:
        moderated = export.listed[item.statement_id] == -1
        assert item.cause == ("moderated-out" if moderated else "no-votes")
    # The map holds the statements with votes that were not moderated out.
    in_map = {s for s in voted if export.listed[s] != -1}
    assert set(result.statements) == in_map
    # Everyone who voted is on the map; exactly those with enough votes on its
    # statements (a pass counts) are in a group.
    assert set(result.participants) == set(export.voted_on)
    threshold = min(MIN_VOTES, len(in_map))
    enough = {p for p, seen in export.voted_on.items() if len(seen & in_map) >= threshold}
    assert {p for p, g in result.participants.items() if g is not None} == enough
    assert 2 <= len(result.groups) <= 5
    assert sum(group.size for group in result.groups) == len(enough)


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_real_conversation_through_the_cli(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    folder = POLIS / name
    args = [str(folder / "votes.csv"), "--comments", str(folder / "comments.csv"), "--json"]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    data = json.loads(captured.out)
    result = _map(name)
    unvoted = sorted(set(_export(name).listed) - _export(name).statements_with_votes)
    assert [item["statement"] for item in data["skipped"]] == unvoted
    assert data["summary"]["skipped"] == len(unvoted)
    assert all(item["reason"] for item in data["skipped"])
    assert data["participants"] == {str(p): g for p, g in result.participants.items()}
    assert len(data["groups"]) == len(result.groups)


@pytest.mark.parametrize("name", MATCH_POLIS)
def test_groups_match_polis(name: str) -> None:
    export, result = _export(name), _map(name)
    truth = export.polis_groups
    ours = {p: g for p, g in result.participants.items() if g is not None}
    common = sorted(set(truth) & set(ours))
    assert len(result.groups) == len(set(truth.values()))
    ari = adjusted_rand_index([truth[p] for p in common], [ours[p] for p in common])
    assert ari >= 0.85, f"{name}: ARI {ari:.3f}"
    # The Pol.is-grouped participants we leave out are those with too few votes (Pol.is
    # keeps anyone who once qualified; see docs/algorithms.md).
    in_map = set(result.statements)
    threshold = min(MIN_VOTES, len(in_map))
    left_out = set(truth) - set(ours)
    assert all(len(export.voted_on.get(p, set()) & in_map) < threshold for p in left_out)
