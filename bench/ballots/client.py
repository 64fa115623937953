"""Clients that cast ballots over HTTP, as browsers behind the kommune's proxy would.

Each client process runs threads; each request is a fresh connection (gunicorn's sync
workers close it after the answer). A ballot counts as *acknowledged* when the server
answers with the redirect to the receipt (302): that is the moment a voter is told their
ballot is in. The CSRF secret is random and sent as cookie and form field, as a browser
that loaded the form would (Django compares the two).
"""

from __future__ import annotations

import http.client
import importlib
import multiprocessing
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

CSRF = secrets.token_hex(16)  # 32 characters: a well-formed unmasked secret


@dataclass
class Submission:
    key: str  # who votes (a code, a person): what the bench checks against the database
    path: str
    fields: list[tuple[str, str]]
    cookies: dict[str, str] = field(default_factory=dict)
    address: str = "10.0.0.1"  # the voter's own address, as the proxy reports it
    expect: Any = None  # what the database must hold for this voter if acknowledged


@dataclass
class Outcome:
    key: str
    status: int  # 0: no answer (connection refused or reset: a killed process)
    took: float
    at: float
    expect: Any = None
    location: str = ""


def post(host: str, sub: Submission, timeout: float = 60.0) -> Outcome:
    started = time.perf_counter()
    at = time.time()
    cookies = {"csrftoken": CSRF, **sub.cookies}
    body = urlencode([("csrfmiddlewaretoken", CSRF), *sub.fields])
    headers = {
        "Host": host,
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        "Origin": f"https://{host}",
        "Referer": f"https://{host}{sub.path}",
        "X-Forwarded-For": sub.address,
        "X-Forwarded-Proto": "https",
        "Accept-Language": "nb",
    }
    hostname, port = host.split(":")
    try:
        conn = http.client.HTTPConnection(hostname, int(port), timeout=timeout)
        conn.request("POST", sub.path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        status, location = response.status, response.getheader("Location") or ""
        conn.close()
    except (OSError, http.client.HTTPException):
        status, location = 0, ""
    return Outcome(sub.key, status, time.perf_counter() - started, at, sub.expect, location)


Maker = Callable[[int, dict[str, Any]], Submission]


def _maker(adapter: str) -> Maker:
    module = importlib.import_module(adapter)
    made: Maker = module.submission
    return made


def _process(
    host: str,
    adapter: str,
    info: dict[str, Any],
    indices: list[int] | None,
    threads: int,
    deadline: float | None,
    start_index: int,
    stride: int,
    out: Any,
) -> None:
    make = _maker(adapter)
    lock = threading.Lock()
    outcomes: list[Outcome] = []
    position = [0]

    def next_index() -> int | None:
        with lock:
            n = position[0]
            position[0] += 1
        if indices is not None:
            return indices[n] if n < len(indices) else None
        if deadline is not None and time.time() >= deadline:
            return None
        return start_index + n * stride

    def run() -> None:
        while (index := next_index()) is not None:
            outcome = post(host, make(index, info))
            with lock:
                outcomes.append(outcome)

    pool = [threading.Thread(target=run) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    out.put(outcomes)


def cast(
    host: str,
    adapter: str,
    info: dict[str, Any],
    *,
    indices: list[int] | None = None,
    seconds: float | None = None,
    processes: int = 2,
    threads: int = 16,
    first: int = 0,
) -> list[Outcome]:
    """Cast the ballots ``adapter.submission(i, info)`` makes, for the given indices (split
    between the processes) or, with ``seconds``, fresh indices from ``first`` on until the
    time is up. Returns every outcome."""
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    deadline = time.time() + seconds if seconds is not None else None
    procs = []
    for p in range(processes):
        part = indices[p::processes] if indices is not None else None
        procs.append(
            ctx.Process(
                target=_process,
                args=(host, adapter, info, part, threads, deadline, first + p, processes, out),
            )
        )
    for proc in procs:
        proc.start()
    outcomes: list[Outcome] = []
    for _ in procs:
        outcomes.extend(out.get())
    for proc in procs:
        proc.join()
    return outcomes


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]
