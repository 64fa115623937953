"""``medvirk serve``: gunicorn with production settings taken from the environment."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="medvirk serve")
    parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
    # One worker for an install declared single-process (its limits count in that process).
    single = os.environ.get("MEDVIRK_SINGLE_PROCESS", "").lower() in ("1", "true", "yes", "on")
    default_workers = os.environ.get("WEB_CONCURRENCY", "1" if single else "3")
    parser.add_argument("--workers", type=int, default=int(default_workers))
    parser.add_argument("--settings", default="medvirk.settings.production")
    args = parser.parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = args.settings
    # The settings see the real worker count (a single-process install refuses more than one).
    os.environ["WEB_CONCURRENCY"] = str(args.workers)
    gunicorn = [
        sys.executable,
        "-m",
        "gunicorn",
        "medvirk.wsgi:application",
        # Our hooks (workers stop when the master dies); also keeps gunicorn from picking up
        # a stray ./gunicorn.conf.py from the working directory.
        "--config",
        "python:medvirk.launch.gunicorn_conf",
        "--bind",
        args.bind,
        "--workers",
        str(args.workers),
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]
    # Run gunicorn from this interpreter, so it works whether or not .venv/bin is on PATH.
    # exec, not a child: the gunicorn master keeps this process's id, so a supervisor
    # (systemd's main PID, a container's PID 1) watches the master itself, and the workers
    # are forked into the master's process group.
    os.execv(sys.executable, gunicorn)  # noqa: S606 - replaces this process by design
