"""The running system a ballot bench talks to: production settings, gunicorn, a task worker.

Everything runs as it would in a kommune's installation (docs/operations.md): production
settings, PostgreSQL, Redis for cache, sessions and rate limits, ``medvirk serve``
(gunicorn, several worker processes) behind a trusted proxy, and ``medvirk manage
db_worker`` for background tasks. The bench's clients play the proxy: they send
``X-Forwarded-For`` with one address per voter and ``X-Forwarded-Proto: https``.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

REPO = Path(__file__).resolve().parents[2]
WORKER_THREADS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def environment(database_url: str, home: Path, redis_db: int = 9) -> dict[str, str]:
    """Production settings for a throwaway installation under ``home``."""
    return {
        **os.environ,
        **WORKER_THREADS,
        "DJANGO_SETTINGS_MODULE": "medvirk.settings.production",
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "600",
        "MEDVIRK_HOME": str(home),
        "SECRET_KEY": "bench-" + secrets.token_hex(32),
        "MEDVIRK_IDENTITY_PEPPER": "bench-pepper-" + secrets.token_hex(32),
        "MEDVIRK_AUDIT_KEY": "bench-audit-" + secrets.token_hex(32),
        "REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "MEDVIRK_TRUSTED_PROXIES": "127.0.0.1",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
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


def flush_redis(db: int) -> None:
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=db).flushdb()


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "medvirk.cli", "manage", *args], env=env, check=True, cwd=REPO
    )


class Server:
    """``medvirk serve`` (gunicorn) and ``medvirk manage db_worker``, each in its own group."""

    def __init__(self, env: dict[str, str], workers: int, log_dir: Path) -> None:
        self.env = env
        self.workers = workers
        self.port = free_port()
        self.log_dir = log_dir
        self.web: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        self.web = subprocess.Popen(
            [
                sys.executable,
                *("-m", "medvirk.cli", "serve", "--bind", self.host),
                *("--workers", str(self.workers)),
            ],
            env=self.env,
            cwd=REPO,
            stdout=(self.log_dir / "web.log").open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.start_worker()
        self.wait_ready()

    def start_worker(self) -> None:
        self.worker = subprocess.Popen(
            [
                sys.executable,
                *("-m", "medvirk.cli", "manage", "db_worker"),
                *("--interval=0.5", "--no-startup-delay", "--no-reload"),
            ],
            env=self.env,
            cwd=REPO,
            stdout=(self.log_dir / "worker.log").open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, limit: float = 60.0) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/", headers={"X-Forwarded-Proto": "https"})
                if conn.getresponse().status < 500:
                    return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"the server did not answer within {limit:.0f} s (see {self.log_dir})")

    def web_workers(self) -> list[int]:
        """The gunicorn worker processes (children of the master)."""
        assert self.web is not None
        children = Path(f"/proc/{self.web.pid}/task/{self.web.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def kill_web_worker(self) -> int:
        """SIGKILL one gunicorn worker mid-request; the master starts a new one."""
        victim = self.web_workers()[0]
        os.kill(victim, signal.SIGKILL)
        return victim

    def kill_task_worker(self) -> None:
        """SIGKILL the task worker (and anything it started)."""
        assert self.worker is not None
        os.killpg(self.worker.pid, signal.SIGKILL)
        self.worker.wait()

    def stop(self) -> None:
        for proc in (self.web, self.worker):
            if proc is None or proc.poll() is not None:
                continue
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)


def cpu_seconds() -> dict[str, float]:
    """CPU seconds used so far by the web server, PostgreSQL, Redis, the task worker and the
    bench's own clients (live processes; Linux /proc), to say where a ballot's time goes."""
    tick = os.sysconf("SC_CLK_TCK")
    used: dict[str, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        seconds = (int(fields[11]) + int(fields[12])) / tick
        if "postgres" in command or "postgres" in stat.split(")")[0]:
            kind = "postgres"
        elif "gunicorn" in command or " serve " in command:
            kind = "web"
        elif "db_worker" in command:
            kind = "worker"
        elif "redis" in command:
            kind = "redis"
        elif "ballot_intake" in command:
            kind = "clients"
        else:
            continue
        used[kind] = used.get(kind, 0.0) + seconds
    return used
