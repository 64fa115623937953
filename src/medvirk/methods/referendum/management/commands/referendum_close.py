"""``medvirk manage referendum_close``: close every advisory referendum whose voting period
has ended and whose polling places' paper counts are all accepted — the ballots are mixed
and counted, the count record finished and the result published (as staff's «Close»
button does). A referendum still waiting for a paper count is left open and named.
Idempotent: run it from cron every few minutes, e.g.

    */5 * * * *  medvirk manage referendum_close

On PostgreSQL the ballot and roll tables are then rewritten (VACUUM FULL), so no dead copy
of a row in voting order stays in the data files; ``--no-vacuum`` skips that.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from medvirk.methods.referendum import staff_actions


class Command(BaseCommand):
    help = (
        "Close advisory referendums whose voting has ended and publish their results. "
        "Safe to run often."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--no-vacuum", action="store_true", help="do not rewrite the tables afterwards"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        outcomes = staff_actions.close_due()
        closed = 0
        for referendum, outcome in outcomes:
            name = (
                f"{referendum.method_instance.process.title} / {referendum.method_instance.title}"
            )
            if outcome == "closed":
                closed += 1
                self.stdout.write(
                    f"closed: {name} (head {referendum.result and referendum.result.get('head')})"
                )
            else:
                self.stdout.write(f"waiting: {name}: {outcome}")
        if closed and not options["no_vacuum"] and staff_actions.vacuum():
            self.stdout.write("tables rewritten (VACUUM FULL)")
        self.stdout.write(f"{closed} closed, {len(outcomes) - closed} waiting.")
