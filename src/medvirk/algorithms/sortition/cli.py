"""``medvirk sortition``: draw a fair panel, or check a published lottery.

    medvirk sortition draw PEOPLE.csv FEATURES.csv --size N [--algorithm maximin|leximin]
        [--seed S] [--household-column COL] [--id-column COL] [--json] [--probabilities]
    medvirk sortition verify PEOPLE.csv FEATURES.csv LOTTERY.json [--household-column COL]
        [--id-column COL] [--json]

With ``--json`` stdout holds exactly one JSON object. Bad input: one line on stderr naming
the file and line, exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from medvirk.algorithms.sortition.io import SortitionInputError, read_features, read_people
from medvirk.algorithms.sortition.lottery import (
    ALGORITHMS,
    Draw,
    draw_from_files,
    verify_lottery,
)

PROG = "medvirk sortition"


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("the seed must not be negative")
    return value


def _size(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("the panel size must be at least 1")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Fair panel lotteries (sortition).")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    draw = commands.add_parser("draw", help="compute the fair lottery and draw one panel")
    draw.add_argument("people", type=Path, help="people.csv: an id column and one per feature")
    draw.add_argument("features", type=Path, help="features.csv: feature,value,min,max")
    draw.add_argument("--size", type=_size, required=True, help="number of seats")
    draw.add_argument("--algorithm", choices=ALGORITHMS, default="maximin")
    draw.add_argument("--seed", type=_seed, help="seed for the draw (random if not given)")
    draw.add_argument("--household-column", help="at most one person per value of this column")
    draw.add_argument("--id-column", default="id", help="column with unique ids (default: id)")
    draw.add_argument("--json", action="store_true", help="print one JSON object")
    draw.add_argument(
        "--probabilities",
        action="store_true",
        help="also print everyone's chance and the whole lottery",
    )

    verify = commands.add_parser("verify", help="check a lottery published by 'draw --json'")
    verify.add_argument("people", type=Path)
    verify.add_argument("features", type=Path)
    verify.add_argument("lottery", type=Path, help="JSON from draw --json --probabilities")
    verify.add_argument("--household-column")
    verify.add_argument("--id-column", default="id")
    verify.add_argument("--json", action="store_true")
    return parser


def _print_draw(result: Draw, probabilities: bool) -> None:
    out = sys.stdout
    out.write(f"Selected ({len(result.selected)}):\n")
    for person in result.selected:
        out.write(f"  {person}\n")
    out.write("\nWhy:\n")
    for reason in result.reasons:
        out.write(f"  - {reason}\n")
    out.write("\nQuotas:\n")
    for row in result.quota_table():
        out.write(
            f"  {row['feature']}/{row['value']}: {row['selected']} "
            f"(min {row['min']}, max {row['max']})\n"
        )
    if probabilities:
        out.write("\nChances by group:\n")
        for group in result.groups():
            label = ", ".join(f"{k}={v}" for k, v in group["features"].items())
            out.write(f"  {group['probability']:.4%}  {group['people']:>5} people  {label}\n")


def _load_lottery(path: Path) -> tuple[int, list[tuple[list[str], float]]]:
    name = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SortitionInputError(f"cannot read the file ({error.strerror})", name) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        line = getattr(error, "lineno", None)
        raise SortitionInputError(f"not valid JSON ({error})", name, line) from None
    if not isinstance(data, dict) or not isinstance(data.get("distribution"), list):
        raise SortitionInputError(
            "no 'distribution' list (make it with draw --json --probabilities)", name
        )
    size = data.get("size")
    if not isinstance(size, int):
        raise SortitionInputError("no whole-number 'size'", name)
    distribution: list[tuple[list[str], float]] = []
    for number, entry in enumerate(data["distribution"], start=1):
        try:
            panel = [str(person) for person in entry["panel"]]
            distribution.append((panel, float(entry["probability"])))
        except (KeyError, TypeError, ValueError):
            raise SortitionInputError(
                f"distribution entry {number} needs 'panel' and 'probability'", name
            ) from None
    return size, distribution


def _verify(args: argparse.Namespace) -> int:
    features = read_features(args.features)
    pool = read_people(
        args.people, features, id_column=args.id_column, household_column=args.household_column
    )
    size, distribution = _load_lottery(args.lottery)
    result = verify_lottery(pool, features, size, distribution)
    if args.json:
        payload: dict[str, Any] = {
            "ok": result.ok,
            "panels": result.panels,
            "problems": result.problems,
            "probabilities": result.probability,
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
    elif result.ok:
        lowest = min(result.probability.values())
        sys.stdout.write(
            f"OK: all {result.panels} panels meet the quotas and the probabilities sum to 1. "
            f"Lowest chance: {lowest:.4%}.\n"
        )
    else:
        sys.stdout.write(f"NOT OK: {len(result.problems)} problems\n")
        for problem in result.problems:
            sys.stdout.write(f"  - {problem}\n")
    return 0 if result.ok else 1


def main(argv: Sequence[str]) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(list(argv))
    except SystemExit as exit_:  # argparse: --help (0) or a usage error (2)
        return int(exit_.code) if isinstance(exit_.code, int) else 2
    try:
        if args.command == "verify":
            return _verify(args)
        result = draw_from_files(
            args.people,
            args.features,
            args.size,
            algorithm=args.algorithm,
            seed=args.seed,
            household_column=args.household_column,
            id_column=args.id_column,
        )
    except SortitionInputError as error:
        sys.stderr.write(f"{PROG}: {error.one_line()}\n")
        return 2
    except RuntimeError as error:
        sys.stderr.write(f"{PROG}: the solver failed: {str(error).splitlines()[0]}\n")
        return 1
    if args.json:
        payload = result.to_json(probabilities=args.probabilities)
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
    else:
        _print_draw(result, args.probabilities)
    return 0
