"""Benchmark: Medvirk's maximin/leximin lotteries against sortition-algorithms' maximin.

    uv run --group bench python bench/sortition/run.py [--recompute-reference]
        [--pools pool1500,pool2500,pool10000] [--reference-pools pool1500,pool2500]
        [--import-reference NAME=RAW.json] [--no-docs]

Generates the seeded pools (bench/sortition/pools.py), runs each side in its own
subprocess (so time and peak memory are separable), checks every panel of every lottery
against the quotas with Medvirk's independent checker, and rewrites only the
``bench:sortition`` section of docs/performance.md.

The reference takes 5-15 CPU-minutes per pool here (hours at 10 000 people), so its
results are kept in bench/sortition/reference/NAME.json together with a fingerprint of
the input; they are reused while the input is unchanged, unless --recompute-reference.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(ROOT / "src"))

import pools  # noqa: E402

from benchlib import write_section  # noqa: E402
from medvirk.algorithms.sortition import verify_lottery  # noqa: E402
from medvirk.algorithms.sortition.io import read_features, read_people  # noqa: E402

REFERENCE_DIR = HERE / "reference"
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:sortition -->", "<!-- /bench:sortition -->"
REFERENCE_TIMEOUT = 4 * 3600


def machine() -> dict[str, str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d"),
    }


def child(args: list[str], timeout: float) -> None:
    done = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{args[0]} failed: {done.stderr.strip().splitlines()[-1:]}")


def store_reference(
    raw_path: Path, spec: pools.PoolSpec, people: Path, features: Path
) -> dict[str, Any]:
    """Check a raw reference run (with its distribution) and keep a compact summary."""
    raw = json.loads(raw_path.read_text(encoding="utf-8"))
    quota_file = read_features(features)
    pool = read_people(people, quota_file)
    published = [(d["panel"], d["probability"]) for d in raw["distribution"]]
    check = verify_lottery(pool, quota_file, spec.panel_size, published)
    summary = {
        "package": "sortition-algorithms",
        "version": metadata.version("sortition-algorithms"),
        "algorithm": "maximin",
        "solver_backend": raw.get("solver_backend", "highspy"),
        "pool": spec.name,
        "size": spec.panel_size,
        "input_digest": pools.digest(people, features),
        "wall_seconds": raw["wall_seconds"],
        "cpu_seconds": raw["cpu_seconds"],
        "peak_rss_kib": raw["peak_rss_kib"],
        "panels": raw["panels"],
        "min_probability": raw["min_probability"],
        "quotas_met": check.ok,
        "problems": check.problems[:5],
        "weights_sum": sum(w for _, w in published),
        "stopping_rule": "no panel improves the dual by more than EPS = 5e-4",
        "measured_at": raw.get("measured_at", ""),
        "machine": machine(),
        "probabilities": check.probability,
    }
    REFERENCE_DIR.mkdir(parents=True, exist_ok=True)
    (REFERENCE_DIR / f"{spec.name}.json").write_text(json.dumps(summary), encoding="utf-8")
    return summary


def reference(
    spec: pools.PoolSpec, people: Path, features: Path, work: Path, recompute: bool, allowed: bool
) -> dict[str, Any] | None:
    stored = REFERENCE_DIR / f"{spec.name}.json"
    if stored.exists() and not recompute:
        data: dict[str, Any] = json.loads(stored.read_text(encoding="utf-8"))
        if data.get("input_digest") == pools.digest(people, features):
            return data
        print(f"{spec.name}: stored reference is for other input; recomputing", flush=True)
    if not allowed:
        return None
    raw = work / f"ref_{spec.name}.json"
    print(f"{spec.name}: running sortition-algorithms maximin (slow)...", flush=True)
    child(
        [
            str(HERE / "reference_maximin.py"),
            str(people),
            str(features),
            str(spec.panel_size),
            str(raw),
        ],
        REFERENCE_TIMEOUT,
    )
    return store_reference(raw, spec, people, features)


def ours(
    spec: pools.PoolSpec, people: Path, features: Path, algorithm: str, work: Path
) -> dict[str, Any]:
    out = work / f"ours_{spec.name}_{algorithm}.json"
    child(
        [
            str(HERE / "ours.py"),
            str(people),
            str(features),
            str(spec.panel_size),
            algorithm,
            str(out),
        ],
        3600,
    )
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def lex_at_least(a: dict[str, float], b: dict[str, float], tol: float = 1e-7) -> bool:
    for x, y in zip(sorted(a.values()), sorted(b.values()), strict=True):
        if x > y + tol:
            return True
        if x < y - tol:
            return False
    return True


def fmt_s(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds >= 1 else f"{seconds:.2f} s"


def report(rows: list[dict[str, Any]], info: dict[str, str]) -> str:
    lines = [
        START,
        "## Sortition: fair panel lottery (`medvirk sortition draw`)",
        "",
        f"Measured {info['date']} on {info['nproc']} cores ({info['cpu']}), Python "
        f"{info['python']}; the machine was shared with other jobs, so times are noisy "
        "(CPU seconds are the steadier figure). Reference: sortition-algorithms "
        f"{rows[0].get('ref_version', '?')} maximin with its default open solver (HiGHS via "
        "highspy), run once per pool and kept in `bench/sortition/reference/`. Pools: "
        "seeded, skewed synthetic pools with 4 features (gender 3 values, age 5, region 6, "
        "education 3) and quotas of population share +-10 % (`bench/sortition/pools.py`). "
        "Command: `uv run --group bench python bench/sortition/run.py`.",
        "",
        "| pool -> seats | ratio (ref CPU / ours CPU) | ref maximin CPU (wall) | ours maximin "
        "CPU (wall) | lowest chance ref / ours (ours - ref) | ours proven gap | quotas met ref "
        "/ ours | panels ref / ours | peak RSS ref / ours |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        m, ref = row["maximin"], row["reference"]
        diff = f"{m['min_probability'] - ref['min_probability']:+.1e}" if ref else "-"
        if ref:
            ratio = f"**{ref['cpu_seconds'] / m['cpu_seconds']:.0f}x**"
            ref_time = f"{fmt_s(ref['cpu_seconds'])} ({fmt_s(ref['wall_seconds'])})"
            ref_min = f"{ref['min_probability']:.10f}"
            ref_ok = "yes" if ref["quotas_met"] else "NO"
            ref_panels = str(ref["panels"])
            ref_rss = f"{ref['peak_rss_kib'] / 1024:.0f} MiB"
        else:
            ratio, ref_time, ref_min, ref_ok, ref_panels, ref_rss = (
                "n/a",
                "not run (est. hours)",
                "-",
                "-",
                "-",
                "-",
            )
        lines.append(
            f"| {row['name'][4:]} -> {row['size']} | {ratio} | {ref_time} | "
            f"{fmt_s(m['cpu_seconds'])} ({fmt_s(m['wall_seconds'])}) | {ref_min} / "
            f"{m['min_probability']:.10f} ({diff}) | {m['gap']:.1e} | {ref_ok} / "
            f"{'yes' if m['quotas_met'] else 'NO'} | {ref_panels} / {m['panels']} | "
            f"{ref_rss} / {m['peak_rss_kib'] / 1024:.0f} MiB |"
        )
    lines += [
        "",
        "Leximin (no reference: sortition-algorithms' leximin needs Gurobi, a commercial "
        "solver; here it runs on HiGHS):",
        "",
        "| pool -> seats | ours leximin CPU (wall) | levels | lowest chance | same lowest as "
        "maximin | sorted chances lexicographically >= maximin (ours / ref) | quotas met |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lx, m, ref = row["leximin"], row["maximin"], row["reference"]
        if lx is None:
            continue
        same = abs(lx["min_probability"] - m["min_probability"]) <= 1e-7
        vs_ref = "yes" if ref and lex_at_least(lx["probabilities"], ref["probabilities"]) else "-"
        if ref and not lex_at_least(lx["probabilities"], ref["probabilities"]):
            vs_ref = "NO"
        lines.append(
            f"| {row['name'][4:]} -> {row['size']} | {fmt_s(lx['cpu_seconds'])} "
            f"({fmt_s(lx['wall_seconds'])}) | {lx['levels']} | {lx['min_probability']:.10f} | "
            f"{'yes' if same else 'NO'} | "
            f"{'yes' if lex_at_least(lx['probabilities'], m['probabilities']) else 'NO'} / "
            f"{vs_ref} | {'yes' if lx['quotas_met'] else 'NO'} |"
        )
    lines += [
        "",
        "Notes: *gap* is the proven distance to the optimal lowest chance (the reference stops "
        "at 5e-4); differences in the lowest chance below 1e-9 are floating-point rounding "
        "(both sides solve LPs with tolerances around 1e-10), i.e. the same optimum. "
        "Both sides' lotteries were checked panel by panel against the quotas with "
        "`verify_lottery`. Our times include reading the CSVs and expanding the type-level "
        "lottery to named panels with exact marginals; the reference's exclude reading. "
        "Panels differ in number because optimal lotteries are not unique.",
        END,
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pools", default="pool1500,pool2500,pool10000")
    parser.add_argument("--reference-pools", default="pool1500,pool2500")
    parser.add_argument("--recompute-reference", action="store_true")
    parser.add_argument("--import-reference", action="append", default=[], metavar="NAME=RAW")
    parser.add_argument("--no-leximin", action="store_true")
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args()
    wanted = args.pools.split(",")
    allowed = set(args.reference_pools.split(","))
    imports = dict(item.split("=", 1) for item in args.import_reference)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for spec in pools.POOLS:
            if spec.name not in wanted:
                continue
            people, features = pools.write_pool(spec, work)
            if spec.name in imports:
                store_reference(Path(imports[spec.name]), spec, people, features)
            ref = reference(
                spec, people, features, work, args.recompute_reference, spec.name in allowed
            )
            print(f"{spec.name}: ours maximin...", flush=True)
            m = ours(spec, people, features, "maximin", work)
            lx = None
            if not args.no_leximin:
                print(f"{spec.name}: ours leximin...", flush=True)
                lx = ours(spec, people, features, "leximin", work)
            row = {
                "name": spec.name,
                "size": spec.panel_size,
                "reference": ref,
                "ref_version": metadata.version("sortition-algorithms"),
                "maximin": m,
                "leximin": lx,
            }
            rows.append(row)
            summary = {
                "pool": spec.name,
                "ours_maximin_cpu": round(m["cpu_seconds"], 2),
                "ours_min": m["min_probability"],
                "ours_gap": m["gap"],
                "ours_ok": m["quotas_met"],
                "ref_cpu": ref and round(ref["cpu_seconds"], 1),
                "ref_min": ref and ref["min_probability"],
                "ref_ok": ref and ref["quotas_met"],
                "leximin_cpu": lx and round(lx["cpu_seconds"], 2),
            }
            print(json.dumps(summary), flush=True)
    section = report(rows, machine())
    print(section)
    if not args.no_docs:
        write_section(START, END, section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
