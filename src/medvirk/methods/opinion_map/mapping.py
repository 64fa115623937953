"""Drawing a conversation's map from the database with ``algorithms/opinion_map``.

Called by the background task (``tasks.recompute_map``), never in a vote's request.

1. **Claim**: one conditional ``UPDATE`` sets ``running_since`` and clears
   ``requested_at``, only while a request is pending and no other worker is drawing (a
   ``running_since`` older than :data:`RUNNING_STALE` is a crashed worker and is ignored).
   Votes that arrive while the map is drawn ask again, so they are drawn next.
2. **Read**: the votes are streamed from the database (``values_list(...).iterator()``)
   into integer arrays; nothing else is held per vote.
3. **Compute** with ``build_opinion_map`` (seeded: the same votes give the same map).
4. **Store**, in one transaction and only while this worker still holds the claim: the
   page result (:func:`page_result`: groups, representative statements, consensus, totals
   per statement and a sample of positions for the drawing), ``computed_at``,
   ``votes_seen``, ``participants_seen``, and each participant's ``group``.
"""

from __future__ import annotations

import datetime as dt
import logging
from array import array
from collections.abc import Iterable
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from medvirk.algorithms.opinion_map.engine import (
    OpinionMap as EngineMap,
)
from medvirk.algorithms.opinion_map.engine import (
    OpinionMapOptions,
    build_opinion_map,
)
from medvirk.contributions.models import ModerationState

from .models import OpinionMap, Participant, Statement, Vote

log = logging.getLogger(__name__)

COMPUTED = "computed"
NOTHING = "nothing to do"
BUSY = "busy"
LOST = "lost the claim"
# A worker that started drawing longer ago than this is taken for crashed.
RUNNING_STALE = dt.timedelta(minutes=5)
# When another worker is drawing, look again this much later.
RETRY = dt.timedelta(seconds=10)
# At most this many participants are drawn as dots (a fixed sample; sizes are counted).
MAX_DOTS = 600
# Rows per fetch when streaming votes, and per UPDATE when storing groups.
CHUNK = 20_000
GROUP_CHUNK = 5_000
RESULT_VERSION = 1


def claim(instance_id: int, now: dt.datetime) -> bool:
    return bool(
        OpinionMap.objects.filter(method_instance_id=instance_id, requested_at__isnull=False)
        .filter(Q(running_since__isnull=True) | Q(running_since__lt=now - RUNNING_STALE))
        .update(running_since=now, requested_at=None)
    )


def run(instance_id: int) -> str:
    """Claim, compute and store the map of one conversation; what happened, in a word."""
    started = timezone.now()
    if not claim(instance_id, started):
        row = (
            OpinionMap.objects.filter(method_instance_id=instance_id)
            .values_list("requested_at", flat=True)
            .first()
        )
        return NOTHING if row is None else BUSY
    try:
        stored = compute_and_store(instance_id, claimed_at=started)
    except Exception as exc:
        log.exception("opinion map %s could not be drawn", instance_id)
        OpinionMap.objects.filter(method_instance_id=instance_id, running_since=started).update(
            running_since=None, error=f"{type(exc).__name__}: {exc}"[:500]
        )
        raise
    return COMPUTED if stored else LOST


def votable_ids(instance_id: int) -> tuple[list[int], list[int]]:
    """The statements in the vote, and those with votes that were taken out or hidden."""
    rows = Statement.objects.filter(method_instance_id=instance_id).values_list(
        "pk", "is_active", "contribution_id", "contribution__moderation"
    )
    votable, out = [], []
    for pk, active, contribution, moderation in rows:
        if active and (contribution is None or moderation == ModerationState.PUBLISHED):
            votable.append(pk)
        else:
            out.append(pk)
    return votable, out


def read_votes(statement_ids: Iterable[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Participant, statement and vote of every vote on these statements (streamed)."""
    participants, statements, values = array("q"), array("q"), array("q")
    ids = list(statement_ids)
    for start in range(0, len(ids), 900):  # within every database's parameter limit
        rows = (
            Vote.objects.filter(statement_id__in=ids[start : start + 900])
            .values_list("participant_id", "statement_id", "value")
            .order_by()
            .iterator(chunk_size=CHUNK)
        )
        for participant, statement, value in rows:
            participants.append(participant)
            statements.append(statement)
            values.append(value)
    return (
        np.frombuffer(participants, dtype=np.int64),
        np.frombuffer(statements, dtype=np.int64),
        np.frombuffer(values, dtype=np.int64),
    )


def compute(instance_id: int, *, seed: int = 0) -> tuple[dict[str, Any], dict[int, int | None]]:
    """The page result and each voting participant's group (None: not in a group)."""
    votable, out = votable_ids(instance_id)
    participants, statements, values = read_votes([*votable, *out])
    if values.size == 0:
        return empty_result(), {}
    found = build_opinion_map(
        participants,
        statements,
        values,
        moderated_out=out,
        listed=votable,
        options=OpinionMapOptions(seed=seed),
    )
    return page_result(found, statements, values, set(votable)), found.participants


def empty_result() -> dict[str, Any]:
    return {
        "version": RESULT_VERSION,
        "groups": [],
        "consensus": [],
        "totals": {},
        "dots": [],
        "participants": 0,
        "grouped": 0,
        "votes": 0,
    }


def page_result(
    found: EngineMap, statements: np.ndarray, values: np.ndarray, votable: set[int]
) -> dict[str, Any]:
    """What the pages need from the engine's map, small enough to load on every view.

    Per participant, only the group is kept (in ``Participant.group``); positions are a
    fixed sample of at most :data:`MAX_DOTS`, scaled to 0–1.
    """
    totals: dict[str, list[int]] = {}
    if values.size:
        ids, where = np.unique(statements, return_inverse=True)
        counted = [
            np.bincount(where, weights=(values == v), minlength=len(ids)) for v in (1, -1, 0)
        ]
        for n, sid in enumerate(ids.tolist()):
            if sid in votable:
                totals[str(sid)] = [int(c[n]) for c in counted]
    return {
        "version": RESULT_VERSION,
        "groups": [
            {
                "id": group.id,
                "label": group.label,
                "size": group.size,
                "representative": [
                    {
                        "statement": rep.statement_id,
                        "direction": rep.direction,
                        "agree": round(rep.agree, 4),
                        "disagree": round(rep.disagree, 4),
                        "votes": rep.votes,
                        "others_agree": round(rep.others_agree, 4),
                        "others_disagree": round(rep.others_disagree, 4),
                        "others_votes": rep.others_votes,
                        "significant": rep.significant,
                    }
                    for rep in group.representative
                ],
            }
            for group in found.groups
        ],
        "consensus": [
            {
                "statement": item.statement_id,
                "direction": item.direction,
                "agree": {str(g): round(v, 4) for g, v in item.agree.items()},
                "disagree": {str(g): round(v, 4) for g, v in item.disagree.items()},
                "votes": {str(g): n for g, n in item.votes.items()},
            }
            for item in found.consensus
        ],
        "totals": totals,
        "dots": dots(found),
        "participants": len(found.participants),
        "grouped": sum(g is not None for g in found.participants.values()),
        "votes": int(values.size),
    }


def dots(found: EngineMap, limit: int = MAX_DOTS) -> list[list[float]]:
    """A seeded sample of participants' places on the map: [x, y, group or −1], x and y
    scaled to 0–1 over everyone (so the sample sits where the whole crowd does)."""
    pids = sorted(found.positions)
    if not pids:
        return []
    xy = np.array([found.positions[p] for p in pids], dtype=np.float64)
    low, high = xy.min(axis=0), xy.max(axis=0)
    span = np.where(high - low > 0, high - low, 1.0)
    scaled = (xy - low) / span
    chosen = np.arange(len(pids))
    if len(pids) > limit:
        chosen = np.sort(np.random.default_rng(0).choice(len(pids), size=limit, replace=False))
    out = []
    for i in chosen.tolist():
        group = found.participants.get(pids[i])
        x, y = round(float(scaled[i, 0]), 3), round(float(scaled[i, 1]), 3)
        out.append([x, y, -1 if group is None else group])
    return out


def compute_and_store(instance_id: int, *, claimed_at: dt.datetime) -> bool:
    """Compute and store while the claim made at ``claimed_at`` is still this worker's."""
    result, groups = compute(instance_id)
    result["snapshot_at"] = claimed_at.isoformat()
    return store(instance_id, result, groups, claimed_at=claimed_at)


def store(
    instance_id: int,
    result: dict[str, Any],
    groups: dict[int, int | None],
    *,
    claimed_at: dt.datetime | None,
) -> bool:
    """Save the map and the participants' groups in one transaction; False when another
    worker took the claim over meanwhile (this one was taken for crashed)."""
    with transaction.atomic():
        owned = OpinionMap.objects.filter(method_instance_id=instance_id)
        if claimed_at is not None:
            owned = owned.filter(running_since=claimed_at)
        saved = owned.update(
            result=result,
            computed_at=timezone.now(),
            votes_seen=int(result.get("votes", 0)),
            participants_seen=int(result.get("participants", 0)),
            running_since=None,
            error="",
        )
        if not saved:
            return False
        _store_groups(instance_id, groups)
    return True


def _store_groups(instance_id: int, groups: dict[int, int | None]) -> None:
    """Set ``Participant.group`` where it changed: a few UPDATEs per group, not one per row."""
    changed: dict[int | None, list[int]] = {}
    current = Participant.objects.filter(method_instance_id=instance_id).values_list("pk", "group")
    for pk, group in current.iterator(chunk_size=CHUNK):
        new = groups.get(pk)
        if new != group:
            changed.setdefault(new, []).append(pk)
    for group, pks in changed.items():
        for start in range(0, len(pks), GROUP_CHUNK):
            Participant.objects.filter(pk__in=pks[start : start + GROUP_CHUNK]).update(group=group)


def draw_now(instance_id: int) -> None:
    """Compute and store at once, outside the queue (the demo and the import's tests)."""
    OpinionMap.objects.get_or_create(method_instance_id=instance_id)
    result, groups = compute(instance_id)
    result["snapshot_at"] = timezone.now().isoformat()
    store(instance_id, result, groups, claimed_at=None)
