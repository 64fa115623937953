"""The Lillevik demo's population: synthetic files shaped like SSB table 07459 and a
district table (``demo_data/``; both say in their first line that they are made up),
imported through the same actions as the staff page, as the system."""

from __future__ import annotations

from pathlib import Path

from medvirk.organisations.models import Municipality

from . import actions

DATA = Path(__file__).parent / "demo_data"
SSB_FILE = DATA / "lillevik-07459.csv"
DISTRICT_FILE = DATA / "lillevik-krinsar.csv"
YEAR = 2025
SOURCE = "Syntetiske tal for demoen (krinsar)"


def seed_population(municipality: Municipality) -> None:
    actions.do_import_ssb(None, municipality, SSB_FILE.read_bytes())
    actions.do_import_districts(
        None, municipality, DISTRICT_FILE.read_bytes(), year=YEAR, source=SOURCE
    )
