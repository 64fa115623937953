"""Opinion map: vote intake while the map is recomputed, at the size of Pol.is's largest.

Run (PostgreSQL, as in production; the database named in the URL is dropped and made
again, so it must start with "bench"):

    uv run python bench/opinion_map_intake.py \
        --database-url postgres://user@127.0.0.1:5432/bench_opinion_map [--scale 1] \
        [--seconds 120] [--clients 4] [--rate 25] [--write-docs]

Without ``--database-url`` it runs on a temporary SQLite file (for a quick look only: one
writer at a time, not how production runs).

1. A conversation of ``scale`` × (35 000 participants, 1 000 statements, 2 million votes),
   generated with planted opinion groups (``algorithms/opinion_map/synthetic.py``), is
   loaded straight into the tables (COPY on PostgreSQL) and its map drawn once (timed).
2. A real worker process (``medvirk manage db_worker``, the database queue) runs.
3. ``--clients`` processes vote through the real view (Django's test client: the whole
   middleware stack, sessions, the permission check, the upsert and the recompute request)
   at ``--rate`` votes per second each, as new participants of 20 votes each (a page view
   first, to get a session), for ``--seconds``. Every vote's time in the view is recorded.
4. Meanwhile the map's age is sampled twice a second: now − the moment the current map's
   votes were read (its ``snapshot_at``), counted from the start of the intake.

Results (and the machine) are printed and, with ``--write-docs``, replace the
``bench:opinion_map_intake`` section of docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import multiprocessing
import os
import platform
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from benchlib import machine, write_section  # noqa: E402

START, END = "<!-- bench:opinion_map_intake -->", "<!-- /bench:opinion_map_intake -->"
FULL = {"participants": 35_000, "statements": 1_000, "votes": 2_000_000}
VOTES_PER_PARTICIPANT = 20
DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
WORKER_THREADS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


# --- the environment every process shares ---------------------------------------------------


def environment(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        **WORKER_THREADS,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "medvirk.settings.test",
        "TASKS_BACKEND": DATABASE_BACKEND,
        # Every client here is 127.0.0.1: the per-address limit would count them as one.
        "MEDVIRK_RATE_LIMITS_DISABLED": "1",
        "DB_CONN_MAX_AGE": "600",
    }


def fresh_database(url: str) -> None:
    """Drop and create the PostgreSQL database the URL names (it must start with "bench")."""
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if not name.startswith("bench"):
        raise SystemExit(f"refusing to drop {name!r}: the database name must start with 'bench'")
    maintenance = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


# --- the conversation -----------------------------------------------------------------------


def build(scale: float, seed: int) -> dict[str, Any]:
    """Make the case, the opinion map and its votes; returns ids and sizes."""
    import numpy as np
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from tests import factories

    from medvirk.algorithms.opinion_map.synthetic import planted_conversation
    from medvirk.methods.opinion_map.models import OpinionMap, Participant, Statement

    call_command("migrate", verbosity=0)
    n_participants = max(200, round(FULL["participants"] * scale))
    n_statements = max(30, round(FULL["statements"] * scale))
    wanted = max(2_000, round(FULL["votes"] * scale))
    # A planted conversation repeats some pairs (a participant changing their mind): ask for
    # a little more so that the latest votes come to the wanted number.
    density = min(1.0, wanted / (n_participants * n_statements) * 1.04)
    planted = planted_conversation(n_participants, n_statements, density, 3, seed=seed)
    pairs = planted.participants * n_statements + planted.statements
    _, last = np.unique(pairs[::-1], return_index=True)
    keep = len(pairs) - 1 - last
    participants = planted.participants[keep]
    statements = planted.statements[keep]
    values = planted.votes[keep]

    org = factories.municipality("Benchvik")
    proc = factories.process(org)
    now = timezone.now()
    phase = factories.phase(proc, start=now - dt.timedelta(days=3), end=now + dt.timedelta(days=30))
    instance = factories.method(proc, phase, key="opinion_map", title="Benchmark conversation")
    Statement.objects.bulk_create(
        [
            Statement(method_instance=instance, text=f"Statement {n}", is_seed=True)
            for n in range(n_statements)
        ],
        batch_size=5000,
    )
    statement_ids = list(
        Statement.objects.filter(method_instance=instance)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    Participant.objects.bulk_create(
        [
            Participant(method_instance=instance, key=f"bench:{n}", external_id=str(n))
            for n in range(n_participants)
        ],
        batch_size=5000,
    )
    participant_ids = list(
        Participant.objects.filter(method_instance=instance)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    pid = np.asarray(participant_ids, dtype=np.int64)[participants]
    sid = np.asarray(statement_ids, dtype=np.int64)[statements]
    stamp = now.isoformat()
    started = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(
                "COPY opinion_map_vote (participant_id, statement_id, value, updated_at) FROM STDIN"
            ) as copy:
                block = 200_000
                for start in range(0, len(pid), block):
                    part = slice(start, start + block)
                    lines = io.StringIO()
                    for p, s, v in zip(
                        pid[part].tolist(), sid[part].tolist(), values[part].tolist(), strict=True
                    ):
                        lines.write(f"{p}\t{s}\t{v}\t{stamp}\n")
                    copy.write(lines.getvalue())
            cursor.execute("ANALYZE opinion_map_vote")
    else:
        rows = zip(pid.tolist(), sid.tolist(), values.tolist(), [stamp] * len(pid), strict=True)
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO opinion_map_vote (participant_id, statement_id, value, updated_at) "
                "VALUES (%s, %s, %s, %s)",
                list(rows),
            )
    loaded = time.perf_counter() - started
    OpinionMap.objects.get_or_create(method_instance=instance)
    return {
        "instance": instance.pk,
        "url": instance.get_absolute_url(),
        "vote_url": instance.get_absolute_url() + "stem/",
        "statements": statement_ids,
        "participants": n_participants,
        "n_statements": n_statements,
        "votes": len(pid),
        "load_seconds": loaded,
    }


def existing() -> dict[str, Any] | None:
    """The conversation a previous run built in this database (``--reuse``)."""
    from django.core.management import call_command

    from medvirk.methods.opinion_map.models import Participant, Statement, Vote
    from medvirk.processes.models import MethodInstance

    call_command("migrate", verbosity=0)
    instance = MethodInstance.objects.filter(title="Benchmark conversation").first()
    if instance is None:
        return None
    statement_ids = list(
        Statement.objects.filter(method_instance=instance)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return {
        "instance": instance.pk,
        "url": instance.get_absolute_url(),
        "vote_url": instance.get_absolute_url() + "stem/",
        "statements": statement_ids,
        "participants": Participant.objects.filter(method_instance=instance).count(),
        "n_statements": len(statement_ids),
        "votes": Vote.objects.filter(statement__method_instance=instance).count(),
        "load_seconds": float("nan"),
    }


def draw_once(instance_id: int) -> float:
    from medvirk.methods.opinion_map import mapping

    started = time.perf_counter()
    mapping.draw_now(instance_id)
    return time.perf_counter() - started


def solo(info: dict[str, Any], count: int = 200) -> dict[str, float]:
    """One client alone before the worker starts (no map being drawn): the vote's time in
    the view and its CPU time, as a baseline for the contended run."""
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    rng = random.Random(0)
    statements = info["statements"]
    times: list[float] = []
    cpu = 0.0
    client = Client()
    client.get(info["url"])
    for n in range(count):
        if n % VOTES_PER_PARTICIPANT == 0:
            client = Client()
            client.get(info["url"])
        statement = rng.choice(statements)
        started, started_cpu = time.perf_counter(), time.process_time()
        client.post(info["vote_url"], {"statement": statement, "vote": "agree"})
        times.append(time.perf_counter() - started)
        cpu += time.process_time() - started_cpu
        client.get(info["url"])
    ms = [t * 1000 for t in times]
    return {"p50": percentile(ms, 0.5), "p95": percentile(ms, 0.95), "cpu": cpu / count * 1000}


# --- the clients ----------------------------------------------------------------------------


def client_run(number: int, info: dict[str, Any], deadline: float, rate: float, queue: Any) -> None:
    """One client process: new participants voting through the real view, paced."""
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host ("testserver") is allowed
    rng = random.Random(number)
    Client().get(info["url"])  # warm up: templates, URL resolvers, the connection
    statements = info["statements"]
    votes: list[tuple[float, float]] = []
    pages: list[float] = []
    refused = 0
    interval = 1.0 / rate
    next_at = time.monotonic()
    while time.monotonic() < deadline:
        client = Client()
        started = time.perf_counter()
        client.get(info["url"], HTTP_ACCEPT_LANGUAGE="nb")
        pages.append(time.perf_counter() - started)
        for statement in rng.sample(statements, k=min(VOTES_PER_PARTICIPANT, len(statements))):
            if time.monotonic() >= deadline:
                break
            pause = next_at - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            next_at = max(next_at + interval, time.monotonic() - interval)
            word = rng.choice(("agree", "agree", "disagree", "pass"))
            started = time.perf_counter()
            response = client.post(info["vote_url"], {"statement": statement, "vote": word})
            took = time.perf_counter() - started
            if response.status_code != 302:
                refused += 1
            votes.append((time.time(), took))
            # As a browser does: the redirect to the next statement (its "saved" message
            # shown there).
            started = time.perf_counter()
            client.get(info["url"])
            pages.append(time.perf_counter() - started)
    queue.put({"votes": votes, "pages": pages, "refused": refused})


# --- the map's age --------------------------------------------------------------------------


def sample_map(instance_id: int, deadline: float) -> dict[str, Any]:
    """Sample the map twice a second: when its votes were read (``snapshot_at``), and how
    long each map drawn took from that moment until it was stored."""
    from medvirk.methods.opinion_map.models import OpinionMap

    samples: list[tuple[float, float]] = []
    computed: dict[str, tuple[float, float]] = {}
    while time.time() < deadline:
        row = (
            OpinionMap.objects.filter(method_instance_id=instance_id)
            .values("computed_at", "result__snapshot_at")
            .get()
        )
        snapshot = row["result__snapshot_at"]
        seen = dt.datetime.fromisoformat(snapshot).timestamp() if snapshot else 0.0
        samples.append((time.time(), seen))
        if row["computed_at"] is not None and snapshot:
            computed[snapshot] = (seen, row["computed_at"].timestamp() - seen)
        time.sleep(0.5)
    return {"samples": samples, "computed": list(computed.values())}


def ages(samples: list[tuple[float, float]], first: float, last: float) -> list[float]:
    """The map's age at each sample while votes arrived: now − the later of the moment its
    votes were read and the first vote of the run."""
    return [now - max(seen, first) for now, seen in samples if first <= now <= last]


def catch_up(instance_id: int, last_vote: float, limit: float = 300.0) -> float | None:
    """Seconds from the last vote until a map that includes it is stored."""
    from medvirk.methods.opinion_map.models import OpinionMap

    while time.time() < last_vote + limit:
        snapshot = (
            OpinionMap.objects.filter(method_instance_id=instance_id)
            .values_list("result__snapshot_at", flat=True)
            .get()
        )
        row = OpinionMap.objects.filter(method_instance_id=instance_id).values("computed_at").get()
        if snapshot and dt.datetime.fromisoformat(snapshot).timestamp() >= last_vote:
            return float(row["computed_at"].timestamp() - last_vote)
        time.sleep(0.5)
    return None


# --- report ---------------------------------------------------------------------------------


def n(value: int) -> str:
    """A count with a thin space between thousands, as the other sections write them."""
    return f"{value:,}".replace(",", " ")


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def database_label() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version} (a quick look only)"


def report(args: argparse.Namespace, info: dict[str, Any], outcome: dict[str, Any]) -> str:
    ms = [v * 1000 for _t, v in outcome["votes"]]
    pages = [v * 1000 for v in outcome["pages"]]
    ages = outcome["ages"]
    computes = outcome["computes"]
    today = dt.date.today().isoformat()
    full = args.scale == 1
    seconds = info["load_seconds"]
    loaded = (
        "made by an earlier run" if seconds != seconds else f"loaded by COPY in {seconds:.1f} s"
    )
    scale_text = "full size" if full else f"scale {args.scale:g} (a reduced run)"
    lines = [
        START,
        "## Opinion map: vote intake while the map is recomputed",
        "",
        f"Measured {today} on {machine()}, {info['database']}; the machine was shared with "
        "other jobs (1-minute load average "
        f"{outcome['load'][0]:.1f} before the run, {outcome['load'][1]:.1f} after), so figures "
        "are noisy. Command: `uv run python bench/opinion_map_intake.py "
        f"--scale {args.scale:g} --seconds {args.seconds:g} --clients {args.clients} "
        f"--rate {args.rate:g}` ({scale_text}).",
        "",
        f"Conversation: {n(info['participants'])} participants, {n(info['n_statements'])} "
        f"statements, {n(info['votes'])} votes (planted groups, {loaded}); drawing its map "
        f"once from the database took {info['first_draw']:.1f} s.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| votes taken during the run | {n(len(ms))} ({len(ms) / max(outcome['seconds'], 1):.0f} "
        f"per second, {outcome['refused']} refused) |",
        f"| vote in the view: p50 / **p95** / p99 / max | {percentile(ms, 0.5):.1f} / "
        f"**{percentile(ms, 0.95):.1f}** / {percentile(ms, 0.99):.1f} / "
        f"{max(ms, default=0):.1f} ms |",
        f"| the same vote, one client alone and no map being drawn: p50 / p95 (CPU per vote) | "
        f"{info['solo']['p50']:.1f} / {info['solo']['p95']:.1f} ms "
        f"({info['solo']['cpu']:.1f} ms) |",
        f"| the page with the next statement (after each vote): p50 / p95 | "
        f"{percentile(pages, 0.5):.1f} / {percentile(pages, 0.95):.1f} ms |",
        f"| maps drawn by the worker during the run | {len(computes)} (each "
        f"{percentile(computes, 0.5):.1f} s median, {max(computes, default=float('nan')):.1f} s "
        "longest, reading the votes included) |",
        f"| the map's age while votes arrive: median / p95 / **max** | "
        f"{percentile(ages, 0.5):.0f} / {percentile(ages, 0.95):.0f} / "
        f"**{max(ages, default=float('nan')):.0f}** s |",
        f"| last vote → a map that includes it | {outcome['catch_up']:.0f} s |"
        if outcome["catch_up"] is not None
        else "| last vote → a map that includes it | not within 5 minutes |",
        "",
        "Goal (issue 18): vote intake under 50 ms p95 while the map is recomputed, and the map "
        "never more than a minute old. A vote is one upsert and one conditional UPDATE "
        "(`methods/opinion_map/actions.py`); the first vote after a map was started queues ONE "
        "task, run after a 15 s debounce, so the map is at most the debounce + the worker's "
        "poll interval + one drawing old. The times are Django's own, in process "
        "(the test client), without a web server or network in front; each client loads the "
        "next statement after each vote, as a browser does. The worker, the clients and "
        "PostgreSQL shared the machine's cores; the worker ran with `OPENBLAS_NUM_THREADS=1`"
        + (f" at `nice {args.worker_nice}`." if args.worker_nice else "."),
        END,
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="", help="postgres://…/bench_… (dropped!)")
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 35 000 × 1 000, 2 M votes")
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rate", type=float, default=10.0, help="votes per second per client")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the conversation a previous run left in the database",
    )
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=0,
        help="run the worker at this lower CPU priority (0: the same as the web requests)",
    )
    args = parser.parse_args(argv)

    scratch = None
    if args.database_url:
        if not args.reuse:
            fresh_database(args.database_url)
        url = args.database_url
    else:
        scratch = Path(tempfile.mkdtemp(prefix="medvirk-bench-")) / "bench.sqlite3"
        url = f"sqlite:///{scratch}"
    env = environment(url)
    os.environ.update(env)

    import django

    django.setup()
    found = existing() if args.reuse else None
    info = found if found is not None else build(args.scale, args.seed)
    info["database"] = database_label()
    print(f"loaded {info['votes']:,} votes in {info['load_seconds']:.1f} s", flush=True)
    info["first_draw"] = draw_once(info["instance"])
    print(f"first map drawn in {info['first_draw']:.1f} s", flush=True)
    info["solo"] = solo(info)
    print(f"one client alone: {info['solo']}", flush=True)

    from django.db import connections

    connections.close_all()
    script = Path(sys.executable).parent / "medvirk"
    launcher = [str(script)] if script.exists() else [sys.executable, "-m", "medvirk.cli"]
    nice = ["nice", "-n", str(args.worker_nice)] if args.worker_nice else []
    worker = subprocess.Popen(
        [
            *nice,
            *launcher,
            *("manage", "db_worker", "--interval=0.5", "--no-startup-delay", "--no-reload"),
        ],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(2.0)
        spawn = multiprocessing.get_context("spawn")
        queue = spawn.Queue()
        intake_start = time.time()
        deadline_monotonic = time.monotonic() + args.seconds
        clients = [
            spawn.Process(
                target=client_run, args=(n, info, deadline_monotonic + 3.0, args.rate, queue)
            )
            for n in range(args.clients)
        ]
        for process in clients:
            process.start()
        load_before = os.getloadavg()[0]
        sampled = sample_map(info["instance"], time.time() + args.seconds + 3.0)
        results = [queue.get(timeout=600) for _ in clients]
        for process in clients:
            process.join(timeout=60)
        votes = [v for r in results for v in r["votes"]]
        first_vote = min((t for t, _v in votes), default=intake_start)
        last_vote = max((t for t, _v in votes), default=time.time())
        outcome = {
            "votes": votes,
            "seconds": last_vote - first_vote,
            "pages": [p for r in results for p in r["pages"]],
            "refused": sum(r["refused"] for r in results),
            "ages": ages(sampled["samples"], first_vote, last_vote),
            "computes": [took for seen, took in sampled["computed"] if seen >= first_vote],
            "catch_up": catch_up(info["instance"], last_vote),
            "load": (load_before, os.getloadavg()[0]),
        }
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
    text = report(args, info, outcome)
    print(text)
    if args.write_docs:
        write_section(START, END, text)
        print(f"wrote {START} in docs/performance.md")
    print(f"python {platform.python_version()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
