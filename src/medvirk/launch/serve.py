"""``medvirk serve``: gunicorn with production settings taken from the environment."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="medvirk serve")
    parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3")))
    parser.add_argument("--settings", default="medvirk.settings.production")
    args = parser.parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = args.settings
    gunicorn = [
        sys.executable,
        "-m",
        "gunicorn",
        "medvirk.wsgi:application",
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
    os.execv(sys.executable, gunicorn)  # noqa: S606 - replaces this process by design
