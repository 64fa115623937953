"""``medvirk manage …``: Django's management commands."""

from __future__ import annotations

from collections.abc import Sequence


def main(argv: Sequence[str]) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["medvirk manage", *argv])
    return 0
