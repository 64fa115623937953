"""Supervision: a SIGKILLed gunicorn master leaves no worker behind, and the shipped units hold.

Issue 15: ``kill -9`` of the master left orphaned workers holding the port, so the restart
failed. These tests start the real ``medvirk serve`` on a free loopback port in its own
session, kill its master, and start a new server on the same port. Every process a test
starts is killed (by process group) when it ends, pass or fail. They run in CI (no marker):
each takes a few seconds and every wait is bounded.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
UNITS = REPO_ROOT / "deploy" / "systemd"
INSTALLED_PROGRAM = "/srv/medvirk/app/.venv/bin/medvirk"
LINUX_PROC = Path("/proc")

needs_proc = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not (LINUX_PROC / "self" / "stat").exists(),
    reason="reads process groups from /proc (Linux)",
)

# Bounds: how long a server may take to answer after start, and how long orphaned workers may
# outlive a SIGKILLed master (they take well under a second; the margin is for loaded CI
# machines). Before the fix, an idle worker noticed only when its wait of timeout/2 = 15 s
# ran out -- the one that just answered us had just begun one -- and held the port (and
# took requests) all that time; a busy one never noticed.
START_SECONDS = 25.0
ORPHAN_SECONDS = 8.0
DEV_SETTINGS = "medvirk.settings.dev"


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _port_is_free(port: int) -> bool:
    # Bind as gunicorn does (SO_REUSEADDR): only a live listener, not TIME_WAIT, blocks it.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _stat_fields(stat_file: Path) -> list[str]:
    """The fields after the command name (which may hold spaces): state, ppid, pgrp, …"""
    return stat_file.read_text().rsplit(")", 1)[1].split()


def _live_members(pgid: int) -> list[int]:
    """Processes in process group ``pgid`` with a thread that has not exited.

    A zombie holds no socket, but a process whose main thread has exited shows as a zombie
    while its other threads still run and hold its files: look at every thread.
    """
    members = []
    for entry in LINUX_PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if int(_stat_fields(entry / "stat")[2]) != pgid:
                continue
            states = [_stat_fields(task / "stat")[0] for task in (entry / "task").iterdir()]
        except (OSError, IndexError, ValueError):
            continue  # it has just gone
        if any(state not in {"Z", "X", "x"} for state in states):
            members.append(int(entry.name))
    return members


def _answers(port: int) -> int | None:
    """The HTTP status the server on ``port`` answers with, or None if nothing answers."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/om/", headers={"Host": "127.0.0.1"})
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


def _wait_until_answers(server: subprocess.Popen[bytes], port: int, log: Path) -> int:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:]
            pytest.fail(f"the server exited with {server.returncode}:\n{tail}")
        status = _answers(port)
        if status is not None:
            return status
        time.sleep(0.2)
    pytest.fail(f"no answer on 127.0.0.1:{port} within {START_SECONDS} s")


class Servers:
    """Starts ``medvirk serve`` in new sessions and kills every group it started at the end."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.groups: list[int] = []
        self.processes: list[subprocess.Popen[bytes]] = []
        (home / "var").mkdir(exist_ok=True)
        dropped = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "GUNICORN_CMD_ARGS"}
        self.env = {key: value for key, value in os.environ.items() if key not in dropped}
        # A scratch SQLite under the test's own folder; nothing shared with other tests.
        self.env.update(MEDVIRK_HOME=str(home), PYTHONDONTWRITEBYTECODE="1")

    def start(self, port: int, name: str, **env: str) -> subprocess.Popen[bytes]:
        log = (self.home / f"{name}.log").open("wb")
        # The demo settings: what is tested is gunicorn's processes, the same whatever Django
        # settings; production settings would also need every production secret.
        command = [sys.executable, "-m", "medvirk.cli", "serve", "--settings", DEV_SETTINGS]
        command += ["--bind", f"127.0.0.1:{port}", "--workers", "2"]
        server = subprocess.Popen(
            command,
            cwd=self.home,
            env={**self.env, **env},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own session and process group: pgid == pid
        )
        log.close()
        self.processes.append(server)
        self.groups.append(server.pid)
        return server

    def path(self, name: str) -> Path:
        return self.home / f"{name}.log"

    def log(self, name: str) -> str:
        # The tail is enough to see what gunicorn did; the start holds Django's page errors.
        return (self.home / f"{name}.log").read_text(errors="replace")[-3000:]

    def kill_all(self) -> None:
        for pgid in self.groups:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pgid, signal.SIGKILL)
        for server in self.processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(timeout=10)


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[Servers]:
    started = Servers(tmp_path)
    try:
        yield started
    finally:
        started.kill_all()


@needs_proc
def test_after_kill_9_of_the_master_workers_exit_and_a_new_server_takes_the_port(
    servers: Servers,
) -> None:
    port = _free_loopback_port()
    first = servers.start(port, "first")
    _wait_until_answers(first, port, servers.path("first"))
    # gunicorn execs in place of the launcher: the process we started is the master, and the
    # workers are in its process group.
    deadline = time.monotonic() + START_SECONDS
    while len(_live_members(first.pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = [pid for pid in _live_members(first.pid) if pid != first.pid]
    assert len(workers) == 2, servers.log("first")

    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)

    deadline = time.monotonic() + ORPHAN_SECONDS
    while _live_members(first.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    orphans = _live_members(first.pid)
    assert orphans == [], (
        f"workers {orphans} outlived their SIGKILLed master by {ORPHAN_SECONDS} s\n"
        + servers.log("first")
    )
    assert _port_is_free(port), "something still listens on the port"
    # Whoever notices first stops the worker: our watcher, or gunicorn's own loop (which
    # checks its parent between requests). Either way it says so in the log.
    log = servers.log("first")
    assert "is gone; worker" in log or "Parent changed, shutting down" in log

    second = servers.start(port, "second")
    _wait_until_answers(second, port, servers.path("second"))
    assert second.poll() is None
    assert "Can't connect" not in servers.log("second")


@needs_proc
def test_a_worker_busy_when_its_master_is_killed_exits_within_the_graceful_timeout(
    servers: Servers,
) -> None:
    """A worker blocked in a request never looks at its parent; it must still stop."""
    port = _free_loopback_port()
    graceful = 3
    server = servers.start(port, "busy", GUNICORN_CMD_ARGS=f"--graceful-timeout {graceful}")
    _wait_until_answers(server, port, servers.path("busy"))
    # Hold a worker: send half a request, so it blocks reading the rest.
    with socket.create_connection(("127.0.0.1", port), timeout=5) as held:
        held.sendall(b"GET /om/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        time.sleep(0.5)
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        deadline = time.monotonic() + graceful + ORPHAN_SECONDS
        while _live_members(server.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _live_members(server.pid) == [], servers.log("busy")
    assert _port_is_free(port)
    # The held worker did not finish its request: the watcher's deadline ended it.
    assert "did not stop within graceful_timeout" in servers.log("busy")


# --- the shipped systemd units ---------------------------------------------------------------


def _unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """A systemd unit file as {section: {key: [values…]}} (keys may repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        header = re.fullmatch(r"\[(\w+)\]", line)
        if header:
            current = sections.setdefault(header.group(1), {})
            continue
        assert current is not None, f"{path.name}: {line!r} before any [Section]"
        assert not line.endswith("\\"), f"{path.name}: keep {line!r} on one line"
        key, sep, value = line.partition("=")
        assert sep, f"{path.name}: {line!r} is not Key=Value"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


@pytest.mark.parametrize(
    ("name", "command"),
    [("medvirk.service", "medvirk serve"), ("medvirk-worker.service", "medvirk manage db_worker")],
)
def test_the_units_supervise_the_whole_group_restart_and_are_hardened(
    name: str, command: str
) -> None:
    unit = _unit(UNITS / name)
    service = unit["Service"]

    def one(key: str) -> str:
        values = service.get(key, [])
        assert len(values) == 1, f"{name}: {key} set {len(values)} times"
        return values[0]

    assert command in one("ExecStart")
    assert one("ExecStart").startswith("/"), "systemd wants an absolute path"
    # Stopping or restarting kills every process of the unit, orphaned workers included.
    assert one("KillMode") == "control-group"
    assert one("Restart") == "always"
    assert float(one("RestartSec")) > 0
    assert one("EnvironmentFile").startswith("/etc/medvirk/")
    assert one("User") == "medvirk"
    assert one("NoNewPrivileges") == "yes"
    assert one("ProtectSystem") == "strict"
    assert one("ProtectHome") == "yes"
    assert one("PrivateTmp") == "yes"
    assert one("CapabilityBoundingSet") == ""
    # Under ProtectSystem=strict only var/ (database file, uploads, static) may be written.
    assert one("ReadWritePaths") == "/srv/medvirk/var"
    assert "multi-user.target" in unit["Install"]["WantedBy"]


def test_the_web_unit_waits_for_gunicorn_to_say_it_is_ready() -> None:
    service = _unit(UNITS / "medvirk.service")["Service"]
    # gunicorn sends READY=1 itself; the master is the main process (the launcher execs it).
    assert service["Type"] == ["notify"]
    assert service["NotifyAccess"] == ["main"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze missing")
def test_systemd_analyze_verify_finds_nothing_to_complain_about(tmp_path: Path) -> None:
    units = sorted(UNITS.glob("*.service"))
    assert [u.name for u in units] == ["medvirk-worker.service", "medvirk.service"]
    # verify checks that ExecStart's program exists: point it at this interpreter.
    copies = []
    for unit in units:
        copy = tmp_path / unit.name
        copy.write_text(unit.read_text().replace(INSTALLED_PROGRAM, sys.executable))
        copies.append(str(copy))
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *copies],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    output = (result.stdout + result.stderr).strip()
    # systemd-analyze exits 0 even when it ignores a misspelt key or value; it says so on a
    # line "<file>:<line>: …". Any such line, or a program it cannot run, is a failure.
    problems = [
        line
        for line in output.splitlines()
        if re.search(r"\.service:\d+:", line) or "not executable" in line or "Unknown" in line
    ]
    assert problems == [], output
    if result.returncode != 0:
        pytest.skip(f"systemd-analyze cannot verify here (no systemd to load from):\n{output}")
