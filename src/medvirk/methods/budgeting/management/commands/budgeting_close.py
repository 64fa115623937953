"""``medvirk manage budgeting_close``: close and count every participatory budget whose
vote has ended (its phase, or the end staff set when opening it by hand). Idempotent: run
it from cron, e.g. every ten minutes,

    */10 * * * *  medvirk manage budgeting_close

A closed vote whose count is missing (a worker that died) is queued again. ``--dry-run``
lists what is due without closing anything; ``--verify`` counts every counted budget again
(from the published files and from the ballots in the database) and reports differences.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from medvirk.methods.budgeting import closing


class Command(BaseCommand):
    help = (
        "Close and count the participatory budgets whose vote has ended; queue a count "
        "again where it is missing. Safe to run often."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="list what is due; change nothing"
        )
        parser.add_argument(
            "--verify", action="store_true", help="count every counted budget again and compare"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verify"]:
            problems = closing.verify_all()
            for line in problems:
                self.stdout.write(line)
            if problems:
                raise CommandError(f"{len(problems)} difference(s) found.")
            self.stdout.write("Every counted budget counts the same again.")
            return
        done = closing.close_due(dry_run=bool(options["dry_run"]))
        verb = "due" if options["dry_run"] else "done"
        for line in done:
            self.stdout.write(f"{verb}: {line}")
        self.stdout.write(f"{len(done)} budget(s) {verb}.")
