"""``medvirk pb count INSTANCE.pb --rule greedy|equal-shares [--json]``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from medvirk.algorithms.pb.format import PbFormatError, read_pb
from medvirk.algorithms.pb.results import PbResult, money
from medvirk.algorithms.pb.rules import RULES, count


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="medvirk pb", description="Count a participatory budget (Pabulib .pb file)."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    counter = commands.add_parser("count", help="count the votes of a .pb file")
    counter.add_argument("file", metavar="INSTANCE.pb")
    counter.add_argument("--rule", choices=RULES, required=True)
    counter.add_argument("--json", action="store_true", help="print one JSON object")
    counter.add_argument(
        "--payers",
        action="store_true",
        help="with --json: list the voter ids who paid for each Equal Shares project",
    )
    counter.add_argument(
        "--exact",
        action="store_true",
        help="Equal Shares in exact fractions only (slow; to audit the fast path)",
    )
    return parser


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    try:
        election = read_pb(args.file)
    except PbFormatError as error:
        return _fail(str(error))
    except UnicodeDecodeError:
        return _fail(f"{args.file}: not a UTF-8 text file")
    except OSError as error:
        return _fail(f"{args.file}: cannot read the file ({error.strerror or error})")
    try:
        result = count(election, args.rule, exact=args.exact, payers=args.payers)
    except PbFormatError as error:  # e.g. amounts too large to count exactly
        return _fail(str(error))
    if args.json:
        json.dump(result.as_json(), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_text(result, args.file))
    return 0


def _fail(message: str) -> int:
    sys.stderr.write(f"medvirk pb: {message}\n")
    return 2


def render_text(result: PbResult, path: str) -> str:
    """A readable summary: the totals, then one block per project in funding order."""
    lines = [
        f"{path}: {result.rule}, {result.num_voters} voters ({result.vote_type} ballots)",
        f"Budget {money(result.budget)}, funded {len(result.selected)} "
        f"project{'' if len(result.selected) == 1 else 's'} "
        f"costing {money(result.cost)} ({money(result.budget - result.cost)} left).",
    ]
    if result.budget_per_voter is not None:
        lines.append(
            f"Equal Shares: each voter's share raised {result.increments} times by 1 to "
            f"{money(result.budget_per_voter)} ({result.mes_runs} runs)."
        )
    lines.append("")
    header = f"{'':2} {'project':<12} {'cost':>14} {'support':>10}  how"
    lines.append(header)
    order = {pid: i for i, pid in enumerate(result.selected)}
    ranked = sorted(result.projects, key=lambda p: (p.id not in order, order.get(p.id, 0)))
    for p in ranked:
        mark = "✔" if p.funded else "·"
        how = p.stage if p.funded else "not funded"
        if p.round is not None:
            how += f" round {p.round}"
        label = p.id if len(p.id) <= 12 else p.id[:11] + "…"
        lines.append(f"{mark:2} {label:<12} {money(p.cost):>14} {money(p.support):>10}  {how}")
        if p.name:
            lines.append(f"{'':16}{p.name}")
        lines.append(f"{'':16}{p.explanation}")
    return "\n".join(lines) + "\n"
