"""``medvirk demo``: SQLite under ./var, the Lillevik demo loaded once, served locally."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="medvirk demo", description="Run the Lillevik demo on this machine."
    )
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--no-serve", action="store_true", help="set up the database and exit without serving"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medvirk.settings.dev")
    os.environ.setdefault("MEDVIRK_BASE_URL", f"http://{args.host}:{args.port}")

    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)

    from medvirk.demo.loader import DEMO_LOGINS, load_demo

    created = load_demo()
    url = f"http://{args.host}:{args.port}/"
    print("Medvirk demo – Lillevik kommune")
    print(f"  database: {settings.DATABASES['default']['NAME']}")
    print("  demo data: " + ("loaded now" if created else "already loaded"))
    print(f"  open: {url}")
    print("  demo logins (username / password):")
    width = max(len(login.role) for login in DEMO_LOGINS)
    for login in DEMO_LOGINS:
        print(f"    {login.role:<{width}}  {login.username} / {login.password}")
    if args.no_serve:
        return 0
    call_command("runserver", f"{args.host}:{args.port}", use_reloader=False, use_threading=True)
    return 0
