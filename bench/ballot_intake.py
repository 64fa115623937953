"""Ballots under load: exact counts, nothing acknowledged lost, and the sustained intake rate.

Issue 20 asks, against PostgreSQL with several app processes:

1. 10 000 ballots submitted in parallel give exactly 10 000 stored, none over budget; 50
   parallel submissions by one voter leave exactly one ballot; the same for referendum votes.
2. Kill an app process and the worker in the middle of a vote: no acknowledged ballot is lost.
3. At least 360 ballots per second sustained on 2 cores (215 000 ballots, a Paris-size
   turnout, in 10 minutes).

Run (the database named in the URL is dropped and made again, so it must start with "bench"):

    uv run python bench/ballot_intake.py \
        --database-url postgres://postgres@127.0.0.1:5432/bench_ballots \
        [--voters 10000] [--seconds 60] [--web-workers 3] [--processes 2] [--threads 16] \
        [--write-docs]

The system under test runs as in production (``bench/ballots/server.py``): production
settings, PostgreSQL, Redis, ``medvirk serve`` (gunicorn) and ``medvirk manage db_worker``.
The clients (``bench/ballots/client.py``) share the machine's cores with it. The methods'
own parts -- making the vote, the form a ballot is, what the database holds -- are in
``bench/ballots/budgeting.py`` and ``bench/ballots/referendum.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from ballots import client, server  # noqa: E402
from benchlib import machine, write_section  # noqa: E402

START, END = "<!-- bench:ballot_intake -->", "<!-- /bench:ballot_intake -->"
ADAPTERS = {"budgeting": "ballots.budgeting", "referendum": "ballots.referendum"}


def _django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def exactness(host: str, name: str, info: dict[str, Any], args: argparse.Namespace) -> dict:
    """Every voter at once, then one voter 50 times at once."""
    adapter = importlib.import_module(ADAPTERS[name])
    voters = list(range(args.voters))
    started = time.perf_counter()
    outcomes = client.cast(
        host, ADAPTERS[name], info, indices=voters, processes=args.processes, threads=args.threads
    )
    took = time.perf_counter() - started
    acknowledged = [o for o in outcomes if o.status == 302]
    stored = adapter.stored(info)
    same_voter = client.cast(
        host,
        ADAPTERS[name],
        info,
        indices=[-(n + 1) for n in range(args.same_voter)],
        processes=1,
        threads=args.same_voter,
    )
    after = adapter.stored(info)
    return {
        "method": name,
        "submitted": len(voters),
        "acknowledged": len(acknowledged),
        "statuses": _statuses(outcomes),
        "stored": stored["ballots"],
        "over_budget": stored.get("over_budget", 0),
        "missing": adapter.missing(info, acknowledged),
        "seconds": took,
        "rate": len(acknowledged) / took if took else float("nan"),
        "same_voter_sent": args.same_voter,
        "same_voter_acknowledged": sum(o.status == 302 for o in same_voter),
        "same_voter_statuses": _statuses(same_voter),
        "same_voter_ballots": after["ballots"] - stored["ballots"],
        "p50": client.percentile([o.took * 1000 for o in outcomes], 0.5),
        "p95": client.percentile([o.took * 1000 for o in outcomes], 0.95),
    }


def sustained(host: str, info: dict[str, Any], args: argparse.Namespace) -> dict:
    """Fresh voters as fast as the server takes them, for ``--seconds``."""
    adapter = importlib.import_module(ADAPTERS["budgeting"])
    before = adapter.stored(info)["ballots"]
    cpu_before = server.cpu_seconds()
    started = time.perf_counter()
    outcomes = client.cast(
        host,
        ADAPTERS["budgeting"],
        info,
        seconds=args.seconds,
        processes=args.processes,
        threads=args.threads,
        first=info["sustained_from"],
    )
    took = time.perf_counter() - started
    cpu_after = server.cpu_seconds()
    acknowledged = [o for o in outcomes if o.status == 302]
    stored = adapter.stored(info)
    ms = [o.took * 1000 for o in acknowledged]
    per_ballot = {
        kind: (cpu_after.get(kind, 0.0) - cpu_before.get(kind, 0.0)) / max(1, len(acknowledged))
        for kind in ("web", "postgres", "redis", "worker")  # the clients have exited by then
    }
    return {
        "seconds": took,
        "acknowledged": len(acknowledged),
        "statuses": _statuses(outcomes),
        "rate": len(acknowledged) / took,
        "stored_new": stored["ballots"] - before,
        "missing": adapter.missing(info, acknowledged),
        "over_budget": stored.get("over_budget", 0),
        "p50": client.percentile(ms, 0.5),
        "p95": client.percentile(ms, 0.95),
        "p99": client.percentile(ms, 0.99),
        "cpu_ms": {kind: round(v * 1000, 2) for kind, v in per_ballot.items()},
    }


def killing(srv: server.Server, info: dict[str, Any], args: argparse.Namespace) -> dict:
    """Vote for ``--kill-seconds``; a third of the way in, SIGKILL a web worker and the task
    worker; two thirds in, start the task worker again; then close the vote and count."""
    adapter = importlib.import_module(ADAPTERS["budgeting"])
    events: list[str] = []
    span = args.kill_seconds

    def assassin() -> None:
        time.sleep(span / 3)
        victim = srv.kill_web_worker()
        srv.kill_task_worker()
        events.append(f"SIGKILL web worker {victim} and the task worker at {span / 3:.0f} s")
        time.sleep(span / 3)
        srv.start_worker()
        events.append(f"task worker started again at {2 * span / 3:.0f} s")

    thread = threading.Thread(target=assassin)
    thread.start()
    outcomes = client.cast(
        srv.host,
        ADAPTERS["budgeting"],
        info,
        seconds=span,
        processes=args.processes,
        threads=args.threads,
        first=info["kill_from"],
    )
    thread.join()
    acknowledged = [o for o in outcomes if o.status == 302]
    missing = adapter.missing(info, acknowledged)
    counted = adapter.close_and_count(info, limit=300.0)
    return {
        "events": events,
        "sent": len(outcomes),
        "acknowledged": len(acknowledged),
        "statuses": _statuses(outcomes),
        "missing": missing,
        "count": counted,
    }


def _statuses(outcomes: list[client.Outcome]) -> dict[int, int]:
    seen: dict[int, int] = {}
    for o in outcomes:
        seen[o.status] = seen.get(o.status, 0) + 1
    return dict(sorted(seen.items()))


def n(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def report(args: argparse.Namespace, results: dict[str, Any]) -> str:
    today = dt.date.today().isoformat()
    rows = []
    for ex in results["exact"]:
        rows.append(
            f"| {ex['method']} | {n(ex['submitted'])} | {n(ex['acknowledged'])} | "
            f"{n(ex['stored'])} | {ex['missing']} | {ex['over_budget']} | "
            f"{ex['same_voter_sent']} → {ex['same_voter_ballots']} | {ex['rate']:.0f}/s |"
        )
    su = results["sustained"]
    ki = results["kill"]
    verdict = "meets" if su["rate"] >= 360 else "does NOT meet"
    return "\n".join(
        [
            START,
            "## Ballot intake: participatory budget and referendum (`bench/ballot_intake.py`)",
            "",
            f"Measured {today} on {machine()}, {results['database']}, Redis 7; production "
            f"settings, `medvirk serve` with {args.web_workers} gunicorn workers, one "
            f"`db_worker`, and the clients ({args.processes} processes × {args.threads} "
            "threads, one connection per ballot) all on the same machine. Command: `uv run "
            "python bench/ballot_intake.py --database-url postgres://…/bench_ballots "
            f"--voters {args.voters} --seconds {args.seconds:g} --web-workers "
            f"{args.web_workers} --processes {args.processes} --threads {args.threads}`.",
            "",
            "**Exact under parallel load** (every voter at once; then one voter "
            f"{args.same_voter} times at once):",
            "",
            "| method | ballots sent | acknowledged (302) | stored | acknowledged but not "
            "stored | over budget | one voter × 50 → ballots | rate |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
            *rows,
            "",
            f"**Sustained intake** (budget, knapsack ballots from fresh voters for "
            f"{su['seconds']:.0f} s): **{su['rate']:.0f} ballots/s** acknowledged "
            f"({n(su['acknowledged'])} ballots; answer p50 {su['p50']:.0f} ms, p95 "
            f"{su['p95']:.0f} ms, p99 {su['p99']:.0f} ms; statuses {su['statuses']}); this "
            f"{verdict} the goal of 360/s (215 000 ballots in 10 minutes). "
            f"Acknowledged but not stored: {su['missing']}.",
            "",
            "Where a ballot's time goes (CPU milliseconds per acknowledged ballot in the "
            "sustained run, from /proc): "
            + ", ".join(f"{kind} {ms:.2f}" for kind, ms in su["cpu_ms"].items())
            + f". On {os.cpu_count()} cores that caps the rate near "
            f"{(os.cpu_count() or 1) * 1000 / max(0.01, sum(su['cpu_ms'].values())):.0f}/s: "
            "the web processes (Django's request cycle, the ORM, the session and CSRF "
            "checks) take most of it, PostgreSQL the rest. The first run of this bench, on "
            "the same machine, gave 106 ballots/s; finding the instance in one query, storing "
            "a complete ballot without building the page, reading each row once, an advisory "
            "lock in place of `FOR SHARE` and the code in a signed cookie in place of a session "
            "write, the case's phases and the fixed ballot kept a few seconds in each web "
            "process, and on PostgreSQL the upsert and the code's first use in one statement "
            "brought it here.",
            "",
            f"**Processes killed mid-vote** ({args.kill_seconds:g} s of voting): "
            + "; ".join(ki["events"])
            + f". {n(ki['sent'])} sent, {n(ki['acknowledged'])} acknowledged, statuses "
            f"{ki['statuses']} (0 = connection cut by the kill: not acknowledged, the voter "
            f"sees an error and votes again). **Acknowledged but not stored: {ki['missing']}.** "
            f"Count after closing: {ki['count']}.",
            END,
        ]
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--voters", type=int, default=10_000)
    parser.add_argument("--same-voter", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--kill-seconds", type=float, default=30.0)
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--only", choices=sorted(ADAPTERS), action="append")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args(argv)

    home = Path(tempfile.mkdtemp(prefix="bench-ballots-"))
    env = server.environment(args.database_url, home)
    server.fresh_database(args.database_url)
    server.flush_redis(9)
    server.manage(env, "migrate", "--verbosity=0")
    server.manage(env, "collectstatic", "--noinput", "--verbosity=0")
    _django(env)
    from django.db import connection

    methods = args.only or sorted(ADAPTERS)
    infos = {}
    for name in methods:
        adapter = importlib.import_module(ADAPTERS[name])
        infos[name] = adapter.build(args.voters)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        database = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    connection.close()

    srv = server.Server(env, args.web_workers, home)
    results: dict[str, Any] = {"database": database, "exact": []}
    try:
        srv.start()
        for name in methods:
            results["exact"].append(exactness(srv.host, name, infos[name], args))
            print(results["exact"][-1], flush=True)
        if "budgeting" in infos:
            results["sustained"] = sustained(srv.host, infos["budgeting"], args)
            print(results["sustained"], flush=True)
            results["kill"] = killing(srv, infos["budgeting"], args)
            print(results["kill"], flush=True)
    finally:
        srv.stop()
    if "sustained" in results:
        text = report(args, results)
        print(text)
        if args.write_docs:
            write_section(START, END, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
