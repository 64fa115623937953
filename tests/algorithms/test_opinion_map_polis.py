"""The opinion map against the groups Pol.is itself published for real conversations.

Data: ../shared/data/polis/ beside the repository (CC BY 4.0, The Computational Democracy
Project; see the README there). Pol.is's ``group-id`` in participants-votes.csv is the
truth; participants Pol.is left without a group are not compared.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from medvirk.algorithms.opinion_map import build_opinion_map
from medvirk.algorithms.opinion_map_io import read_comments, read_votes

from .test_opinion_map_ari import adjusted_rand_index

POLIS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "polis"
CONVERSATIONS = ["15-per-hour-seattle", "brexit-consensus"]

pytestmark = pytest.mark.skipif(
    not POLIS.is_dir(), reason=f"real Pol.is data not found at {POLIS} (shared/ beside the repo)"
)


def _polis_groups(folder: Path) -> dict[int, int]:
    with (folder / "participants-votes.csv").open(encoding="utf-8") as handle:
        return {
            int(row["participant"]): int(row["group-id"])
            for row in csv.DictReader(handle)
            if row["group-id"].strip()
        }


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_groups_match_polis(name: str) -> None:
    folder = POLIS / name
    votes = read_votes(folder / "votes.csv")
    comments = read_comments(folder / "comments.csv")
    result = build_opinion_map(
        votes.participants,
        votes.statements,
        votes.votes,
        timestamps=votes.timestamps,
        moderated_out=comments.moderated_out,
    )
    truth = _polis_groups(folder)
    ours = {p: g for p, g in result.participants.items() if g is not None}
    common = sorted(set(truth) & set(ours))
    assert len(result.groups) == len(set(truth.values()))
    ari = adjusted_rand_index([truth[p] for p in common], [ours[p] for p in common])
    assert ari >= 0.85, f"{name}: ARI {ari:.3f}"
    # Every participant with enough votes on the statements in the map is grouped; the
    # Pol.is-grouped participants we leave out are exactly those with fewer votes.
    counts = {p: 0 for p in result.participants}
    kept = set(result.statements)
    pairs = zip(votes.participants.tolist(), votes.statements.tolist(), strict=True)
    latest = set(pairs)
    for p, s in latest:
        counts[p] += s in kept
    threshold = min(7, len(kept))
    assert {p for p, n in counts.items() if n >= threshold} == set(ours)
    assert all(counts[p] < threshold for p in set(truth) - set(ours))
