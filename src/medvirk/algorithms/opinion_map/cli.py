"""``medvirk opinion-map VOTES.csv [--comments COMMENTS.csv] [--json]``.

Reads a Pol.is export and prints the opinion map: readable text, or with ``--json`` one
JSON object with ``participants``, ``groups`` and ``consensus`` (plus ``summary``,
``skipped`` and ``notes``). Statements in comments.csv that nobody voted on are skipped and
listed with the reason. Bad input gives one line on stderr naming file and line, and exit
status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from medvirk.algorithms.opinion_map.engine import OpinionMap
    from medvirk.algorithms.opinion_map.io import CommentFile

# The map's linear algebra is small (a statements × statements matrix at most): extra BLAS
# threads only cost start-up and, on a busy machine, contention (a 300 × 300 eigensolve
# took 0.4–4 s with two OpenBLAS threads against 0.02 s with one). Set before numpy loads;
# a value already in the environment wins. Likewise numpy's transparent huge pages: for a
# short run that touches each large array a few times, zeroing 2 MB pages cost more system
# time than it saved (0.8 s against 0.4 s on 50 000 participants).
_NUMPY_ENVIRONMENT = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMPY_MADVISE_HUGEPAGE": "0",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="medvirk opinion-map",
        description="Opinion groups, what sets them apart, and common ground (Pol.is-style).",
    )
    parser.add_argument("votes", metavar="VOTES.csv", help="Pol.is votes.csv export")
    parser.add_argument("--comments", metavar="COMMENTS.csv", help="Pol.is comments.csv export")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--min-votes",
        type=int,
        default=7,
        help="votes needed to be placed in a group (default 7, or all statements if fewer)",
    )
    return parser


def _statement(sid: int, comments: CommentFile | None) -> str:
    text = comments.texts.get(sid, "") if comments else ""
    if len(text) > 100:
        text = text[:97] + "..."
    return f"S{sid}" + (f' "{text}"' if text else "")


def _text_report(result: OpinionMap, comments: CommentFile | None) -> str:
    grouped = sum(g is not None for g in result.participants.values())
    lines = [
        f"Opinion map: {len(result.participants)} participants ({grouped} in groups), "
        f"{len(result.statements)} statements, {len(result.groups)} group(s).",
    ]
    if result.skipped:
        lines += ["", f"Skipped {len(result.skipped)} statement(s) nobody voted on:"]
        lines += [f"  - {item.reason}" for item in result.skipped]
    for group in result.groups:
        lines += ["", f"Group {group.label} ({group.size} participants)"]
        for rep in group.representative:
            lines.append(f"  - {rep.reason}")
            lines.append(f"    {_statement(rep.statement_id, comments)}")
    lines += ["", "Common ground (most people in every group):"]
    if not result.consensus:
        lines.append("  (none found)")
    for item in result.consensus:
        lines.append(f"  - {item.reason}")
        lines.append(f"    {_statement(item.statement_id, comments)}")
    if result.notes:
        lines += ["", "Notes:"] + [f"  - {note}" for note in result.notes]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    if args.min_votes < 1:
        sys.stderr.write("medvirk opinion-map: --min-votes must be at least 1\n")
        return 2
    for name, value in _NUMPY_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    # Imported only now, so that numpy sees the settings above when it loads.
    from medvirk.algorithms.opinion_map.engine import OpinionMapOptions, build_opinion_map
    from medvirk.algorithms.opinion_map.io import (
        InputError,
        check_together,
        read_comments,
        read_votes,
    )

    try:
        votes = read_votes(args.votes)
        comments = read_comments(args.comments) if args.comments else None
        if comments is not None:
            check_together(args.votes, votes, args.comments, comments)
    except InputError as error:
        sys.stderr.write(f"medvirk opinion-map: {error}\n")
        return 2
    result = build_opinion_map(
        votes.participants,
        votes.statements,
        votes.votes,
        timestamps=votes.timestamps,
        moderated_out=comments.moderated_out if comments else (),
        listed=comments.lines if comments else (),
        options=OpinionMapOptions(seed=args.seed, min_votes=args.min_votes),
    )
    if args.json:
        # One write: json.dump would issue hundreds of thousands of small ones.
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, separators=(",", ":")))
        sys.stdout.write("\n")
    else:
        sys.stdout.write(_text_report(result, comments))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
