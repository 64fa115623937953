"""``medvirk manage initiative_deadlines``: e-mail staff, once, when the council's deadline
for a delivered innbyggerforslag is near (``MEDVIRK_INITIATIVE_WARNING_DAYS`` before it,
default 30) and when it has passed. Idempotent: run it daily from cron, e.g.

    15 6 * * *  medvirk manage initiative_deadlines

``--date YYYY-MM-DD`` runs it as of another day (to catch up); ``--dry-run`` lists what is
due without sending or marking anything.
"""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from medvirk.methods.initiative import deadlines


def _day(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError(f"--date must be YYYY-MM-DD, not {raw!r}") from exc


class Command(BaseCommand):
    help = (
        "Warn staff (once) of citizens' initiatives whose six-month deadline for the "
        "council is near or has passed. Safe to run every day."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--date", help="run as of this day (YYYY-MM-DD); default today")
        parser.add_argument(
            "--dry-run", action="store_true", help="list what is due; send and mark nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = _day(options["date"]) if options["date"] else None
        dry_run = bool(options["dry_run"])
        warnings = deadlines.queue_warnings(today, dry_run=dry_run)
        verb = "due" if dry_run else "queued"
        for warning in warnings:
            self.stdout.write(
                f"{verb}: initiative {warning.initiative_id} {warning.kind} "
                f"(deadline {warning.deadline.isoformat()})"
            )
        self.stdout.write(f"{len(warnings)} warning(s) {verb}.")
