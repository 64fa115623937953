"""The ``medvirk`` command: demo, serve, manage and the counting engines.

The engine commands (``pb``, ``sortition``, ``opinion-map``) import no Django, so they
start fast and run anywhere the package is installed.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Sequence

USAGE = """\
usage: medvirk COMMAND [ARGS...]

commands:
  demo [--port N] [--no-serve]   load the Lillevik demo into ./var/medvirk.sqlite3 and serve it
  serve [--bind HOST:PORT]       run the production server (gunicorn; settings from environment)
  manage ARGS...                 Django's management commands (migrate, db_worker, verify_audit)
  pb count FILE.pb --rule greedy|equal-shares [--json]
  sortition draw PEOPLE.csv FEATURES.csv --size N [...]   (and: sortition verify ...)
  opinion-map VOTES.csv [--comments COMMENTS.csv] [--json]
"""

# Engine front ends: module path -> callable ``main(argv) -> int``.
ENGINES: dict[str, str] = {
    "pb": "medvirk.algorithms.pb.cli",
    "sortition": "medvirk.algorithms.sortition.cli",
    "opinion-map": "medvirk.algorithms.opinion_map.cli",
}


def _engine(name: str) -> Callable[[Sequence[str]], int]:
    module = importlib.import_module(ENGINES[name])
    main: Callable[[Sequence[str]], int] = module.main
    return main


def _django_command(name: str) -> Callable[[Sequence[str]], int]:
    def run(argv: Sequence[str]) -> int:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medvirk.settings.dev")
        module = importlib.import_module(f"medvirk.launch.{name}")
        result: int = module.main(argv)
        return result

    return run


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        sys.stdout.write(USAGE)
        return 0
    command, rest = args[0], args[1:]
    if command in ENGINES:
        return _engine(command)(rest)
    if command in {"demo", "serve", "manage"}:
        return _django_command(command)(rest)
    sys.stderr.write(f"medvirk: unknown command {command!r}\n\n{USAGE}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
