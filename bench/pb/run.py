"""Benchmark: ``medvirk pb count`` (whole command) vs pabutools 1.2.3 parse + rule.

usage: uv run python bench/pb/run.py [--quick] [--refresh-reference] [--no-docs]

Writes generated .pb files to a temp dir, runs each side in its own subprocess (peak RSS
from os.wait4), checks that both select the same projects in the same order, and rewrites
the ``<!-- bench:pb -->`` section of docs/performance.md.

pabutools runs once per case (it takes minutes); ours runs 3 times, the median is reported.
A reference run longer than 15 minutes (CPU or wall) is stored in bench/pb/reference/ (with
the input's SHA-256) and reused while the generated input is unchanged; --refresh-reference
reruns it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
START, END = "<!-- bench:pb -->", "<!-- /bench:pb -->"

from generate import write  # noqa: E402

from benchlib import machine, write_section  # noqa: E402

REFERENCE_DIR = HERE / "reference"
RESULTS = HERE / "last_results.json"  # per case, so --only runs merge into the table
DOCS = ROOT / "docs" / "performance.md"
CACHE_AFTER_S = 15 * 60


@dataclass
class Case:
    name: str
    rule: str
    voters: int
    projects: int
    seed: int
    cumulative: bool = False


CASES = [
    Case("greedy, approval, 50 000 × 150", "greedy", 50_000, 150, 1),
    Case("greedy, cumulative, 50 000 × 150", "greedy", 50_000, 150, 5, cumulative=True),
    Case("Equal Shares + Add1, approval, 3 000 × 40", "equal-shares", 3_000, 40, 2),
    Case("Equal Shares + Add1, cumulative, 3 000 × 40", "equal-shares", 3_000, 40, 4, True),
    Case("Equal Shares + Add1, approval, 20 000 × 90", "equal-shares", 20_000, 90, 3),
]
QUICK = [Case("Equal Shares + Add1, approval, 300 × 15", "equal-shares", 300, 15, 7)]


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds (user + system), peak RSS (KiB) and stdout of a child."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode() if proc.stderr else ""
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {err[-2000:]}")
        out.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        return elapsed, cpu, int(usage.ru_maxrss), out.read().decode()


def reference(case: Case, path: Path, env: dict[str, str], refresh: bool) -> dict[str, object]:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    cache = REFERENCE_DIR / f"{case.rule}-{case.voters}x{case.projects}-seed{case.seed}.json"
    if cache.exists() and not refresh:
        stored = json.loads(cache.read_text())
        if stored.get("sha256") == digest:
            stored["cached"] = True
            return stored
    cmd = [sys.executable, str(HERE / "reference_pabutools.py"), str(path), case.rule]
    seconds, cpu, rss, out = timed(cmd, env)
    result: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    result.update(
        seconds=round(seconds, 2),
        cpu_seconds=round(cpu, 2),
        peak_kib=rss,
        sha256=digest,
        measured=dt.date.today().isoformat(),
        machine=machine(),
        cached=False,
    )
    if max(cpu, seconds) > CACHE_AFTER_S:
        REFERENCE_DIR.mkdir(exist_ok=True)
        stored = {k: v for k, v in result.items() if k != "cached"}
        cache.write_text(json.dumps(stored, indent=1) + "\n")
    return result


def ours(
    case: Case, path: Path, env: dict[str, str]
) -> tuple[float, float, int, list[str], dict[str, object]]:
    medvirk = Path(sys.executable).with_name("medvirk")
    cmd = [str(medvirk), "pb", "count", str(path), "--rule", case.rule, "--json"]
    timed(cmd, env)  # warm the bytecode cache and the page cache
    runs = [timed(cmd, env) for _ in range(3)]
    out = json.loads(runs[0][3])
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    return wall, cpu, max(r[2] for r in runs), out["selected"], out


def render(rows: list[dict[str, object]], quick: bool) -> str:
    lines = [
        "## Participatory budgeting (`medvirk pb count`)",
        "",
        "Whole command (`medvirk pb count FILE --rule R --json`: start-up, parse, count,",
        "explanations, JSON) against pabutools 1.2.3 `parse_pabulib` + the rule in one",
        "Python process. Generated elections (`bench/pb/generate.py`: about 8 approvals",
        "per ballot, very uneven popularity, budget 1000 per voter = a third of the total",
        "cost).",
        "",
        "Ratio = pabutools CPU time / medvirk CPU time (user + system; wall-clock times in",
        "brackets are inflated by other jobs on the shared machine).",
        "",
        "| case | ratio | pabutools | medvirk | peak RSS pabutools | peak RSS medvirk "
        "| same outcome |",
        "|---|---:|---:|---:|---:|---:|:-:|",
    ]
    for row in rows:
        ref = row["reference"]
        assert isinstance(ref, dict)
        note = " (stored run†)" if ref.get("cached") else ""
        lines.append(
            f"| {row['case']} | **{row['ratio']:.0f}×** "
            f"| {float(ref['cpu_seconds']):.1f} s ({float(ref['seconds']):.1f} s){note} "
            f"| {row['ours_cpu']:.2f} s ({row['ours_s']:.2f} s) "
            f"| {int(ref['peak_kib']) // 1024} MiB "
            f"| {int(row['ours_kib']) // 1024} MiB | {'yes' if row['agree'] else '**NO**'} |"
        )
    lines += [
        "",
        f"Measured {dt.date.today().isoformat()} on {machine()}. The machine's 2 cores were",
        "shared with other jobs, so figures are noisy (medvirk: median of 3 runs; pabutools:",
        "one run). Both sides run with a warmed private bytecode cache (`PYTHONPYCACHEPREFIX`)",
        "because this environment sets `PYTHONDONTWRITEBYTECODE=1`.",
    ]
    if any(isinstance(r["reference"], dict) and r["reference"].get("cached") for r in rows):
        lines.append(
            "† pabutools took over 15 minutes here, so its outcome and time were stored in "
            "`bench/pb/reference/` (with the input's SHA-256) and are reused; "
            "`--refresh-reference` reruns it."
        )
    for row in rows:
        info = row["ours_json"].get("equal_shares") if isinstance(row["ours_json"], dict) else None
        if info:
            lines.append(
                f"- {row['case']}: per-voter budget raised {info['increments']} times "
                f"({info['runs']} MES runs)."
            )
    if quick:
        lines.append("(quick smoke run, not the real sizes)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="one small case (smoke test)")
    parser.add_argument("--refresh-reference", action="store_true")
    parser.add_argument("--no-docs", action="store_true", help="do not touch performance.md")
    parser.add_argument("--only", default="", help="run only cases whose name contains this")
    args = parser.parse_args()
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="pb-bench-") as tmp:
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        # Warm the bytecode cache for the reference too, so neither side pays compilation.
        warm = "import pabutools.rules, pabutools.election.pabulib, numpy"
        timed([sys.executable, "-c", warm], env)
        for case in QUICK if args.quick else CASES:
            if args.only not in case.name:
                continue
            path = Path(tmp) / f"{case.rule}-{case.voters}x{case.projects}-{case.seed}.pb"
            write(str(path), case.voters, case.projects, case.seed, case.cumulative)
            ours_s, ours_cpu, ours_kib, selected, out = ours(case, path, env)
            print(
                f"{case.name}: medvirk {ours_cpu:.2f} s CPU ({ours_s:.2f} s wall), "
                f"{ours_kib // 1024} MiB",
                flush=True,
            )
            ref = reference(case, path, env, args.refresh_reference)
            ref_cpu = float(ref["cpu_seconds"])  # type: ignore[arg-type]
            agree = ref["selected"] == selected
            print(
                f"  pabutools {ref_cpu:.1f} s CPU -> ratio {ref_cpu / ours_cpu:.0f}x, "
                f"agree={agree}",
                flush=True,
            )
            rows.append(
                {
                    "case": case.name,
                    "ratio": ref_cpu / ours_cpu,
                    "reference": ref,
                    "ours_s": ours_s,
                    "ours_cpu": ours_cpu,
                    "ours_kib": ours_kib,
                    "agree": agree,
                    # Only the Equal Shares summary is kept (the table's footnotes).
                    "ours_json": {"equal_shares": out.get("equal_shares")},
                }
            )
    if not args.quick:
        rows = merge_results(rows)
    section = render(rows, args.quick)
    print(section)
    if not args.no_docs:
        write_section(START, END, f"{START}\n{section}\n{END}")


def merge_results(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Store this run's cases; return the latest result of every case, in CASES order."""
    stored: dict[str, dict[str, object]] = {}
    if RESULTS.exists():
        stored = json.loads(RESULTS.read_text())
    for row in rows:
        stored[str(row["case"])] = {**row, "measured": dt.date.today().isoformat()}
    RESULTS.write_text(json.dumps(stored, indent=1) + "\n")
    return [stored[c.name] for c in CASES if c.name in stored]


if __name__ == "__main__":
    main()
