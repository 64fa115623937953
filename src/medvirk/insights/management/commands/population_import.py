"""``medvirk manage population_import``: load a municipality's population from files.

    medvirk manage population_import lillevik --ssb 07459.csv
    medvirk manage population_import lillevik --districts krinsar.csv --year 2025 \\
        --source "Folkeregisteret, 1. januar 2025"

``--ssb`` takes SSB table 07459 as CSV (kommune × sex × one-year age × year; this
municipality's kommunenummer, the latest year); ``--districts`` the kommune's own table
by district. Runs as the system (no staff member), so it is not in the audit log.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from medvirk.core.errors import ActionRefused
from medvirk.organisations.models import Municipality

from ... import actions


class Command(BaseCommand):
    help = "Import a municipality's population (SSB 07459 CSV and/or a district CSV)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("municipality", help="the municipality's address name (slug)")
        parser.add_argument("--ssb", type=Path, help="SSB table 07459 as CSV")
        parser.add_argument("--districts", type=Path, help="population by district as CSV")
        parser.add_argument("--year", type=int, help="the district figures' year")
        parser.add_argument("--source", default="", help="where the district figures come from")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("en")
        slug = options["municipality"]
        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is None:
            raise CommandError(f"no municipality with the address name {slug!r}")
        if options["ssb"] is None and options["districts"] is None:
            raise CommandError("give --ssb, --districts or both")
        try:
            if options["ssb"] is not None:
                done = actions.do_import_ssb(None, municipality, _bytes(options["ssb"]))
                self._report("SSB 07459", done)
            if options["districts"] is not None:
                if options["year"] is None:
                    raise CommandError("--districts needs --year")
                done = actions.do_import_districts(
                    None,
                    municipality,
                    _bytes(options["districts"]),
                    year=options["year"],
                    source=options["source"] or options["districts"].name,
                )
                self._report("districts", done)
        except ActionRefused as refused:
            raise CommandError(refused.message) from None

    def _report(self, what: str, done: actions.Imported) -> None:
        self.stdout.write(
            f"{what}: {done.total} inhabitants in {done.cells} figures, {done.year} "
            f"({done.source}); {len(done.skipped)} lines left out"
        )
        for line in done.skipped[: actions.SHOWN_SKIPPED]:
            self.stdout.write(f"  line {line.line}: {line.reason}: {line.text}")


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error.strerror}") from None
