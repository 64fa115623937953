"""``medvirk manage referendum_verify <file-or-url> [--head <hash>]``: check an advisory
referendum's published count record and recount it.

Anyone can run it: it reads the record (a file, or an http(s) address such as
``…/folkeroysting/eksport/teljing-json/``), checks that every entry's hash matches its
content and points back to the entry before it, that the entries come in the right order,
and recounts the result from the ballots and paper batches listed. With ``--head`` (the
fingerprint printed in the council's report) it also checks that the record is the one
that was published. It says plainly ``OK`` or where the record breaks, and exits 1 then.
It reads nothing from the database.
"""

from __future__ import annotations

import json
import urllib.request
from argparse import ArgumentParser
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from django.core.management.base import BaseCommand, CommandError

from medvirk.methods.referendum import chain

MAX_BYTES = 200 * 1024 * 1024


def _read(source: str) -> bytes:
    scheme = urlparse(source).scheme
    if scheme in ("http", "https"):
        request = urllib.request.Request(source, headers={"Accept": "application/json"})  # noqa: S310 - http(s) only
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                return bytes(response.read(MAX_BYTES + 1))
        except OSError as exc:
            raise CommandError(f"could not fetch {source}: {exc}") from exc
    if scheme and len(scheme) > 1:
        raise CommandError(f"only files and http(s) addresses can be read, not {scheme}:")
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise CommandError(f"could not read {source}: {exc}") from exc


class Command(BaseCommand):
    help = "Check a referendum's count record (file or address) and recount its result."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("source", help="the count record: a file or an http(s) address")
        parser.add_argument(
            "--head", help="the last fingerprint as published (in the council's report)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        raw = _read(str(options["source"]))
        if len(raw) > MAX_BYTES:
            raise CommandError("the record is larger than 200 MB: not read")
        try:
            document = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            self.stdout.write(f"BROKEN: this is not a JSON count record ({exc}).")
            raise SystemExit(1) from exc
        report = chain.verify(document, head=options.get("head"))
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise SystemExit(1)
