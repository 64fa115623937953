"""``medvirk manage referendum_mix``: while referendums are open, rewrite their ballot and
roll tables in the order of the rows' random ids, so neither the tables' physical order
(SQLite's rowid, PostgreSQL's ctid) nor their default order follows the order people voted
in, and on PostgreSQL no row keeps the id of the transaction that wrote it. Run it nightly
during a vote (closing mixes once more), e.g.

    30 2 * * *  medvirk manage referendum_mix

On PostgreSQL the two tables are then rewritten (VACUUM FULL) so the dead copies of the
rows as they were are gone from the data files; ``--no-vacuum`` skips that. See
docs/methods/referendum.md for what mixing protects against and what it cannot.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from medvirk.methods.referendum import staff_actions


class Command(BaseCommand):
    help = "Shuffle the ballots of open advisory referendums (run nightly during a vote)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--no-vacuum", action="store_true", help="do not rewrite the tables afterwards"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        mixed = staff_actions.mix_open()
        for referendum, ballots in mixed:
            instance = referendum.method_instance
            self.stdout.write(
                f"mixed: {instance.process.title} / {instance.title}: {ballots} ballots"
            )
        if mixed and not options["no_vacuum"] and staff_actions.vacuum():
            self.stdout.write("tables rewritten (VACUUM FULL)")
        self.stdout.write(f"{len(mixed)} referendum(s) mixed.")
