"""Opinion map benchmark: red-dwarf (reference) vs ``medvirk opinion-map --json``.

Run:  uv run --group bench python bench/opinion_map/run.py [--quick] [--fresh-reference]

For each generated conversation with planted groups (10 000 × 300 statements at 10 %
density, 50 000 × 1 000 at 5 %) and each real Pol.is conversation in ../shared/data/polis,
both sides run as whole commands in their own subprocess on the same votes.csv; we record
wall time and peak RSS (os.wait4) and the adjusted Rand index (ARI) of each against the
truth (planted groups, or Pol.is's own group-id) and between the two. The results replace
the ``bench:opinion_map`` section of docs/performance.md.

A red-dwarf run that takes over 10 minutes is stored in bench/opinion_map/reference/ and
reused (with its date) on later runs unless --fresh-reference is given.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sklearn.metrics import adjusted_rand_score

from medvirk.algorithms.opinion_map.synthetic import planted_conversation, write_votes_csv

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))

from benchlib import machine, write_section  # noqa: E402

POLIS = REPO.parent / "shared" / "data" / "polis"
REFERENCE = HERE / "reference"
DOC = REPO / "docs" / "performance.md"
START, END = "<!-- bench:opinion_map -->", "<!-- /bench:opinion_map -->"
STORE_AFTER_S = 600.0


@dataclass(frozen=True)
class Case:
    name: str
    votes: Path
    comments: Path | None
    truth: dict[int, int]  # participant → true group (only those with a group)
    planted: bool


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    groups: dict[int, int]  # participant → group, grouped participants only
    stored: str | None = None  # date of a stored reference run, if reused


# A small launcher process runs each side: a child forked straight from this (large)
# process would inherit its peak RSS, since Linux keeps ru_maxrss across fork and exec.
LAUNCHER = """
import json, os, resource, subprocess, sys, time
out = sys.argv[1]
start = time.perf_counter()
with open(out, "w", encoding="utf-8") if out != "-" else open(os.devnull, "w") as handle:
    code = subprocess.call(sys.argv[2:], stdout=handle)
seconds = time.perf_counter() - start
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stderr.write(json.dumps({"code": code, "seconds": seconds, "peak_kb": peak_kb}) + "\\n")
"""


def _timed(command: list[str], stdout: Path | None) -> tuple[float, float]:
    """Run a command; wall seconds and its own peak RSS in MB."""
    launcher = [sys.executable, "-c", LAUNCHER, str(stdout) if stdout else "-", *command]
    done = subprocess.run(launcher, stderr=subprocess.PIPE, text=True, check=False)
    lines = done.stderr.strip().splitlines()
    try:
        result = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stderr}") from None
    if result["code"] != 0:
        raise SystemExit(f"failed ({result['code']}): {' '.join(command)}\n{done.stderr}")
    return result["seconds"], result["peak_kb"] / 1024


def _groups(out: Path) -> dict[int, int]:
    data = json.loads(out.read_text(encoding="utf-8"))
    return {int(p): int(g) for p, g in data["participants"].items() if g is not None}


def run_ours(case: Case, work: Path) -> Run:
    out = work / f"{case.name}.medvirk.json"
    command = [sys.executable, "-m", "medvirk.cli", "opinion-map", str(case.votes), "--json"]
    if case.comments:
        command += ["--comments", str(case.comments)]
    seconds, peak = _timed(command, stdout=out)
    return Run(seconds, peak, _groups(out))


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def run_reference(case: Case, work: Path, fresh: bool) -> Run:
    stored_path = REFERENCE / f"{case.name}.json"
    digest = _digest(case.votes)
    if stored_path.exists() and not fresh:
        stored = json.loads(stored_path.read_text(encoding="utf-8"))
        if stored["votes_sha256"] == digest:
            groups = {int(p): int(g) for p, g in stored["groups"].items()}
            return Run(stored["seconds"], stored["peak_mb"], groups, stored["date"])
    out = work / f"{case.name}.reddwarf.json"
    command = [sys.executable, str(HERE / "reddwarf_run.py"), str(case.votes), str(out)]
    if case.comments:
        command += ["--comments", str(case.comments)]
    seconds, peak = _timed(command, stdout=None)
    run = Run(seconds, peak, _groups(out))
    if run.seconds > STORE_AFTER_S:
        REFERENCE.mkdir(exist_ok=True)
        record = {
            "case": case.name,
            "date": dt.date.today().isoformat(),
            "machine": machine(),
            "votes_sha256": digest,
            "seconds": round(run.seconds, 1),
            "peak_mb": round(run.peak_mb, 1),
            "groups": {str(p): g for p, g in sorted(run.groups.items())},
        }
        stored_path.write_text(json.dumps(record, separators=(",", ":")) + "\n", "utf-8")
    return run


def ari(truth: dict[int, int], ours: dict[int, int]) -> tuple[float, int]:
    common = sorted(set(truth) & set(ours))
    if not common:
        return float("nan"), 0
    return adjusted_rand_score([truth[p] for p in common], [ours[p] for p in common]), len(common)


def generated_cases(work: Path, quick: bool) -> list[Case]:
    sizes = [("generated-10k-300", 10_000, 300, 0.10, 11)]
    if not quick:
        sizes.append(("generated-50k-1000", 50_000, 1_000, 0.05, 12))
    cases = []
    for name, n, s, density, seed in sizes:
        conv = planted_conversation(n, s, density, n_groups=4, seed=seed)
        path = work / f"{name}.votes.csv"
        write_votes_csv(conv, path)
        truth = {p: int(g) for p, g in enumerate(conv.truth)}
        cases.append(Case(name, path, None, truth, planted=True))
    return cases


def polis_cases() -> list[Case]:
    cases = []
    for folder in sorted(POLIS.glob("*/")) if POLIS.is_dir() else []:
        with (folder / "participants-votes.csv").open(encoding="utf-8") as handle:
            truth = {
                int(row["participant"]): int(row["group-id"])
                for row in csv.DictReader(handle)
                if row["group-id"].strip()
            }
        cases.append(
            Case(folder.name, folder / "votes.csv", folder / "comments.csv", truth, planted=False)
        )
    return cases


def _fmt_ari(value: float) -> str:
    return "n/a" if value != value else f"{value:.3f}"


def report(rows: list[dict[str, Any]], loads: list[float]) -> str:
    load = f"{min(loads):.1f}–{max(loads):.1f}" if loads else "unknown"
    lines = [
        START,
        "## Opinion map (`medvirk opinion-map`) vs red-dwarf",
        "",
        f"Measured {dt.date.today().isoformat()} on {machine()}. The machine is shared with",
        f"other jobs (1-minute load average {load} during the run), so times are noisy; both",
        "sides run as whole commands (Python start-up, CSV reading and JSON output included)",
        "in their own subprocess on the same votes.csv.",
        "",
        "| conversation | speed-up (red-dwarf / ours) | ours | red-dwarf | peak RSS ours | "
        "peak RSS red-dwarf |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        stored = f" (stored run of {row['stored']})" if row["stored"] else ""
        lines.append(
            f"| {row['name']} | **{row['ratio']:.1f}×** | {row['ours_s']:.1f} s | "
            f"{row['ref_s']:.1f} s{stored} | {row['ours_mb']:.0f} MB | {row['ref_mb']:.0f} MB |"
        )
    lines += [
        "",
        "Agreement (adjusted Rand index; 1 = same grouping). Truth is the planted groups for",
        "generated conversations and Pol.is's own `group-id` for real ones, compared on the",
        "participants both grouped.",
        "",
        "| conversation | groups ours / truth | ARI ours vs truth | ARI red-dwarf vs truth | "
        "ARI ours vs red-dwarf | grouped ours / red-dwarf / truth |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['name']} | {row['k_ours']} / {row['k_truth']} | "
            f"{_fmt_ari(row['ari_ours'])} | {_fmt_ari(row['ari_ref'])} | "
            f"{_fmt_ari(row['ari_between'])} | "
            f"{row['n_ours']} / {row['n_ref']} / {row['n_truth']} |"
        )
    lines += [
        "",
        "Generated conversations: 4 planted groups (`opinion_map.synthetic.planted_conversation`,",
        "fixed seeds). Real conversations: CC BY 4.0, The Computational Democracy Project.",
        "Reproduce: `uv run --group bench python bench/opinion_map/run.py`.",
        "Python start-up in this environment recompiles every imported module",
        "(PYTHONDONTWRITEBYTECODE=1): a few seconds per command for red-dwarf (pandas,",
        "scikit-learn), a few tenths for ours (numpy; scipy only above 400 statements).",
        END,
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="skip the 50 000 × 1 000 case")
    parser.add_argument("--fresh-reference", action="store_true", help="rerun stored red-dwarf")
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite the doc section")
    args = parser.parse_args()
    rows = []
    loads = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory(prefix="opinion-map-bench-") as tmp:
        work = Path(tmp)
        for case in [*generated_cases(work, args.quick), *polis_cases()]:
            print(f"{case.name}: medvirk ...", flush=True)
            ours = run_ours(case, work)
            print(f"  {ours.seconds:.1f} s, {ours.peak_mb:.0f} MB; red-dwarf ...", flush=True)
            ref = run_reference(case, work, args.fresh_reference)
            row = {
                "name": case.name,
                "ratio": ref.seconds / ours.seconds,
                "ours_s": ours.seconds,
                "ref_s": ref.seconds,
                "ours_mb": ours.peak_mb,
                "ref_mb": ref.peak_mb,
                "stored": ref.stored,
                "k_ours": len(set(ours.groups.values())),
                "k_truth": len(set(case.truth.values())),
                "ari_ours": ari(case.truth, ours.groups)[0],
                "ari_ref": ari(case.truth, ref.groups)[0],
                "ari_between": ari(ref.groups, ours.groups)[0],
                "n_ours": len(ours.groups),
                "n_ref": len(ref.groups),
                "n_truth": len(case.truth),
            }
            print(
                f"  red-dwarf {ref.seconds:.1f} s, {ref.peak_mb:.0f} MB; ratio {row['ratio']:.1f}x;"
                f" ARI ours {row['ari_ours']:.3f}, red-dwarf {row['ari_ref']:.3f}",
                flush=True,
            )
            rows.append(row)
            loads.append(os.getloadavg()[0])
    text = report(rows, loads)
    print(text)
    if not args.no_doc:
        write_section(START, END, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
