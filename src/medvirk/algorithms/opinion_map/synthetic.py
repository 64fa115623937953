"""Generated conversations with planted opinion groups, for tests and benchmarks.

Opinions follow a two-axis model (the assumption behind a two-dimensional opinion map):
each group sits at its own point of a circle, each statement leans along a random
direction, and a group's leaning on a statement grows with how well the two line up.
Some statements are shared ground that every group leans the same way on. Participants
vote on a random subset of statements (a few vote a lot, many vote little, as in real
conversations) and pass now and then.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class PlantedConversation:
    participants: IntArray  # one entry per vote
    statements: IntArray
    votes: IntArray
    timestamps: IntArray
    truth: IntArray  # planted group of each participant id 0..n-1


def planted_conversation(
    n_participants: int,
    n_statements: int,
    density: float,
    n_groups: int,
    seed: int = 0,
    pass_rate: float = 0.15,
    shared_fraction: float = 0.25,
) -> PlantedConversation:
    """About ``density`` × participants × statements votes from ``n_groups`` planted groups."""
    rng = np.random.default_rng(seed)
    sizes = rng.dirichlet(np.full(n_groups, 4.0))
    truth = rng.choice(n_groups, size=n_participants, p=sizes).astype(np.int64)
    # Groups evenly spread on a circle; statement directions and strengths at random.
    angles = rng.uniform(0, 2 * np.pi) + 2 * np.pi * np.arange(n_groups) / n_groups
    places = np.column_stack([np.cos(angles), np.sin(angles)])
    directions = rng.normal(size=(n_statements, 2))
    directions *= rng.uniform(1.0, 3.0, size=(n_statements, 1)) / np.linalg.norm(
        directions, axis=1, keepdims=True
    )
    leaning = np.tanh(places @ directions.T)  # (groups, statements) in (-1, 1)
    shared = rng.random(n_statements) < shared_fraction
    leaning[:, shared] = rng.uniform(-0.9, 0.9, size=shared.sum())[None, :]
    # Votes per participant: skewed around the target density, at least one.
    mean_votes = density * n_statements
    wanted = rng.lognormal(np.log(mean_votes) - 0.18, 0.6, size=n_participants)
    counts = np.clip(np.rint(wanted), 1, n_statements).astype(np.int64)
    voter = np.repeat(np.arange(n_participants, dtype=np.int64), counts)
    # Random statements per vote; a repeated pair is a participant changing their mind.
    statement = rng.integers(0, n_statements, size=len(voter), dtype=np.int64)
    lean = leaning[truth[voter], statement]
    draw = rng.random(len(voter))
    agree_p = (1 - pass_rate) * (1 + lean) / 2
    vote = np.where(draw < agree_p, 1, np.where(draw < 1 - pass_rate, -1, 0)).astype(np.int64)
    timestamps = np.sort(rng.integers(1_500_000_000_000, 1_600_000_000_000, size=len(voter)))
    order = rng.permutation(len(voter))
    return PlantedConversation(voter[order], statement[order], vote[order], timestamps, truth)


def write_votes_csv(conversation: PlantedConversation, path: Path) -> None:
    """Write the votes in Pol.is export format (timestamp, datetime, comment-id, voter-id, vote)."""
    stamps = conversation.timestamps
    seconds = (stamps // 1000).astype("datetime64[s]").astype(str)
    with path.open("w", encoding="utf-8") as handle:
        handle.write("timestamp,datetime,comment-id,voter-id,vote\n")
        block = 200_000
        for start in range(0, len(stamps), block):
            part = slice(start, start + block)
            rows = zip(
                stamps[part].tolist(),
                seconds[part].tolist(),
                conversation.statements[part].tolist(),
                conversation.participants[part].tolist(),
                conversation.votes[part].tolist(),
                strict=True,
            )
            handle.writelines(f"{t},{d},{s},{p},{v}\n" for t, d, s, p, v in rows)
