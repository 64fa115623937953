"""Opinion map (Pol.is-style): opinion groups, what sets each apart, and common ground.

The core takes plain vote lists (participant, statement, vote, optional time), so the same
engine serves Pol.is exports (see ``io``) and Medvirk's own dialogue method.

Pipeline, as Pol.is runs it:

1. the latest vote of each participant on each statement; moderated-out statements left out,
   and statements nobody voted on skipped (each with its reason);
2. missing votes filled with the statement's mean vote, then PCA to two dimensions, each
   participant's position stretched by sqrt(statements / own votes);
3. participants with at least min(7, statements) votes are grouped: k-means into ~100 base
   clusters, then the base-cluster centres (weighted by size) into 2–5 opinion groups, the
   number chosen by silhouette;
4. per group, the representative statements; over all groups, the group-informed
   consensus. Every output carries a sentence a web page can show.

Seeded and deterministic: the same votes and seed give the same map.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from medvirk.algorithms.opinion_map.clusters import (
    BASE_CLUSTERS,
    MAX_GROUPS,
    base_clusters,
    group_clusters,
)
from medvirk.algorithms.opinion_map.matrix import latest_vote_matrix, project
from medvirk.algorithms.opinion_map.stats import (
    Consensus,
    Representative,
    group_counts,
    group_informed_consensus,
    representatives,
)

__all__ = [
    "ConsensusStatement",
    "OpinionGroup",
    "OpinionMap",
    "OpinionMapOptions",
    "RepresentativeStatement",
    "SkippedStatement",
    "build_opinion_map",
    "group_label",
]


@dataclass(frozen=True)
class OpinionMapOptions:
    seed: int = 0
    min_votes: int = 7
    base_clusters: int = BASE_CLUSTERS
    max_groups: int = MAX_GROUPS
    representatives: int = 5
    consensus: int = 5


@dataclass(frozen=True)
class RepresentativeStatement:
    statement_id: int
    direction: str  # "agree" or "disagree": what the group does more than the others
    agree: float  # share of the group's votes on the statement
    disagree: float
    votes: int
    others_agree: float  # the same among all grouped participants outside the group
    others_disagree: float
    others_votes: int
    significant: bool  # both 90 % tests passed
    reason: str


@dataclass(frozen=True)
class OpinionGroup:
    id: int
    label: str  # "A", "B", ... by size, largest first
    size: int
    representative: list[RepresentativeStatement]
    reason: str


@dataclass(frozen=True)
class ConsensusStatement:
    statement_id: int
    direction: str  # "agree" or "disagree": what most people in every group do
    score: float  # product over groups of (count + 1) / (votes + 2)
    agree: dict[int, float]  # group id → share agreeing
    disagree: dict[int, float]
    votes: dict[int, int]
    reason: str


@dataclass(frozen=True)
class SkippedStatement:
    """A listed statement that takes no part in the map because nobody voted on it."""

    statement_id: int
    cause: str  # "moderated-out" (removed before anyone voted) or "no-votes"
    reason: str


@dataclass(frozen=True)
class OpinionMap:
    participants: dict[int, int | None]  # participant → group id, None if not grouped
    positions: dict[int, tuple[float, float]]  # participant → place on the map
    groups: list[OpinionGroup]
    consensus: list[ConsensusStatement]
    statements: list[int]  # statements the map is built on (moderated-out ones left out)
    silhouettes: dict[int, float]  # number of groups tried → silhouette
    options: OpinionMapOptions
    notes: list[str] = field(default_factory=list)
    skipped: list[SkippedStatement] = field(default_factory=list)  # listed, never voted on

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-ready structure (keys as strings, shares rounded to 4 decimals)."""
        return _to_json(self)


def group_label(index: int) -> str:
    """A, B, ..., Z, AA, AB, ... for group 0, 1, ..."""
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = chr(ord("A") + rest) + label
    return label


def _percent(share: float) -> str:
    return f"{round(share * 100)} %"


def _representative(rep: Representative, sid: int, label: str) -> RepresentativeStatement:
    if rep.direction == "agree":
        mine, theirs = rep.group_agree, rep.others_agree
    else:
        mine, theirs = rep.group_disagree, rep.others_disagree
    reason = (
        f"Group {label}: {_percent(mine)} {rep.direction} with S{sid}, "
        f"against {_percent(theirs)} of everyone else"
    )
    if not rep.significant:
        reason += " (the clearest difference for this group, but not a certain one)"
    return RepresentativeStatement(
        statement_id=sid,
        direction=rep.direction,
        agree=rep.group_agree,
        disagree=rep.group_disagree,
        votes=rep.group_votes,
        others_agree=rep.others_agree,
        others_disagree=rep.others_disagree,
        others_votes=rep.others_votes,
        significant=rep.significant,
        reason=reason,
    )


def _consensus(
    found: Consensus, sid: int, agree: list[float], disagree: list[float], labels: list[str]
) -> ConsensusStatement:
    shares = agree if found.direction == "agree" else disagree
    per_group = ", ".join(
        f"group {label} {_percent(share)}" for label, share in zip(labels, shares, strict=True)
    )
    return ConsensusStatement(
        statement_id=sid,
        direction=found.direction,
        score=found.score,
        agree=dict(enumerate(agree)),
        disagree=dict(enumerate(disagree)),
        votes=dict(enumerate(found.votes)),
        reason=f"Most people in every group {found.direction} with S{sid}: {per_group}",
    )


def build_opinion_map(
    participants: npt.ArrayLike,
    statements: npt.ArrayLike,
    votes: npt.ArrayLike,
    *,
    timestamps: npt.ArrayLike | None = None,
    moderated_out: Iterable[int] = (),
    listed: Iterable[int] = (),
    options: OpinionMapOptions | None = None,
) -> OpinionMap:
    """Build the opinion map from parallel arrays of votes (+1 agree, −1 disagree, 0 pass).

    ``listed`` names every statement of the conversation (e.g. all of comments.csv); those
    nobody voted on take no part in the map and are reported in ``skipped``, with why.
    Moderated-out statements that have votes are left out as before (see ``project``).
    Raises ``ValueError`` if there are no votes or a vote is not −1, 0 or 1.
    """
    opts = options or OpinionMapOptions()
    vote_values = np.asarray(votes, dtype=np.int64)
    if vote_values.size == 0:
        raise ValueError("there are no votes")
    if not ((vote_values >= -1) & (vote_values <= 1)).all():
        raise ValueError("every vote must be -1, 0 or 1")
    everything = latest_vote_matrix(participants, statements, vote_values, timestamps)
    moderated = {int(s) for s in moderated_out}
    skipped = _skipped(listed, everything.statement_ids, moderated)
    removed = np.isin(everything.statement_ids, np.fromiter(moderated, dtype=np.int64))
    matrix = everything.columns(~removed)
    n_statements = matrix.shape[1]
    projection = project(matrix, neutral_statements=int(removed.sum()))

    # Only votes on statements in the map count towards being grouped.
    n_votes = matrix.votes_per_participant()
    threshold = min(opts.min_votes, n_statements)
    clusterable = (n_votes >= threshold) & (n_votes > 0)
    group_of = np.full(matrix.shape[0], -1, dtype=np.int64)
    silhouettes: dict[int, float] = {}
    k = 0
    if clusterable.any():
        base = base_clusters(projection.coordinates[clusterable], opts.seed, opts.base_clusters)
        grouping = group_clusters(base, opts.seed, opts.max_groups)
        silhouettes = grouping.silhouettes
        raw_groups = grouping.group_of_base[base.labels]
        # Number groups by size (largest first), ties by lowest participant id.
        sizes = np.bincount(raw_groups)
        firsts = [int(np.flatnonzero(raw_groups == g)[0]) for g in range(len(sizes))]
        order = sorted(range(len(sizes)), key=lambda g: (-sizes[g], firsts[g]))
        renumber = np.empty(len(sizes), dtype=np.int64)
        renumber[order] = np.arange(len(sizes))
        group_of[clusterable] = renumber[raw_groups]
        k = len(sizes)

    labels = [group_label(g) for g in range(k)]
    counts = group_counts(matrix, group_of, k)
    sids = [int(s) for s in matrix.statement_ids]
    groups = []
    for g in range(k):
        # With a single group there is nobody to compare with.
        reps = [
            _representative(rep, sids[rep.statement_index], labels[g])
            for rep in (representatives(counts, g, opts.representatives) if k > 1 else [])
        ]
        size = int((group_of == g).sum())
        groups.append(
            OpinionGroup(
                id=g,
                label=labels[g],
                size=size,
                representative=reps,
                reason=(
                    f"Group {labels[g]}: {size} participants whose votes lie close together "
                    "on the map; the statements below set them apart from the others"
                ),
            )
        )

    consensus = []
    if k >= 2:
        for found in group_informed_consensus(counts, opts.consensus):
            j = found.statement_index
            seen = counts.seen[:, j]
            agree = [float(x) for x in np.divide(counts.agree[:, j], seen)]
            disagree = [float(x) for x in np.divide(counts.disagree[:, j], seen)]
            consensus.append(_consensus(found, sids[j], agree, disagree, labels))

    notes = []
    not_grouped = int((~clusterable).sum())
    if n_statements == 0:
        notes.append("every statement with votes was moderated out: there is nothing to map")
    elif not_grouped:
        notes.append(
            f"{not_grouped} participant(s) voted on fewer than {threshold} statements "
            "and are shown on the map without a group"
        )
    if removed.any():
        notes.append(f"{int(removed.sum())} moderated-out statement(s) left out")
    if k == 1:
        notes.append("everyone voted too much alike to tell groups apart")

    pids = [int(p) for p in matrix.participant_ids]
    coordinates = projection.coordinates.tolist()
    return OpinionMap(
        participants={p: (int(g) if g >= 0 else None) for p, g in zip(pids, group_of, strict=True)},
        positions={p: (xy[0], xy[1]) for p, xy in zip(pids, coordinates, strict=True)},
        groups=groups,
        consensus=consensus,
        statements=sids,
        silhouettes=silhouettes,
        options=opts,
        notes=notes,
        skipped=skipped,
    )


def _skipped(
    listed: Iterable[int], voted: npt.NDArray[np.int64], moderated: set[int]
) -> list[SkippedStatement]:
    """The listed statements nobody voted on, in id order, each with its reason."""
    unvoted = sorted({int(s) for s in listed} - set(voted.tolist()))
    skipped = []
    for sid in unvoted:
        if sid in moderated:
            reason = f"S{sid} was moderated out before anyone voted on it"
            skipped.append(SkippedStatement(sid, "moderated-out", reason))
        else:
            skipped.append(SkippedStatement(sid, "no-votes", f"Nobody voted on S{sid}"))
    return skipped


def _rounded(value: float) -> float:
    return round(float(value), 4)


def _to_json(result: OpinionMap) -> dict[str, Any]:
    def per_group(values: Mapping[int, float]) -> dict[str, float]:
        return {str(g): _rounded(v) for g, v in values.items()}

    return {
        "participants": {str(p): g for p, g in result.participants.items()},
        "groups": [
            {
                "id": group.id,
                "label": group.label,
                "size": group.size,
                "reason": group.reason,
                "representative": [
                    {
                        "statement": rep.statement_id,
                        "direction": rep.direction,
                        "agree": _rounded(rep.agree),
                        "disagree": _rounded(rep.disagree),
                        "votes": rep.votes,
                        "others_agree": _rounded(rep.others_agree),
                        "others_disagree": _rounded(rep.others_disagree),
                        "others_votes": rep.others_votes,
                        "significant": rep.significant,
                        "reason": rep.reason,
                    }
                    for rep in group.representative
                ],
            }
            for group in result.groups
        ],
        "consensus": [
            {
                "statement": item.statement_id,
                "direction": item.direction,
                "score": _rounded(item.score),
                "agree": per_group(item.agree),
                "disagree": per_group(item.disagree),
                "votes": {str(g): n for g, n in item.votes.items()},
                "reason": item.reason,
            }
            for item in result.consensus
        ],
        "summary": {
            "participants": len(result.participants),
            "grouped": sum(g is not None for g in result.participants.values()),
            "statements": len(result.statements),
            "skipped": len(result.skipped),
            "groups": len(result.groups),
            "silhouettes": {str(k): _rounded(v) for k, v in result.silhouettes.items()},
            "seed": result.options.seed,
            "min_votes": result.options.min_votes,
        },
        "skipped": [
            {"statement": item.statement_id, "cause": item.cause, "reason": item.reason}
            for item in result.skipped
        ],
        "notes": result.notes,
    }
