"""``medvirk manage verify_audit``: check the audit chain; exit 1 if it was tampered with.

``--export-head FILE`` then writes the signed head for the operator to keep on another
machine; ``--against FILE`` also checks that the chain still holds a head exported earlier —
the only way to notice the newest rows deleted together with an older head put back. ``-``
reads the old head from standard input and writes the new one to standard output, so a
machine elsewhere can do both over one ssh call.
"""

from __future__ import annotations

import os
import sys
import tempfile
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from medvirk.core import audit
from medvirk.core.models import AuditHead


class Command(BaseCommand):
    help = (
        "Verify the signed audit log against its separately kept head and, with --against, "
        "against a head exported earlier; --export-head writes the current head to a file."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--against",
            metavar="HEAD_FILE",
            help="also check that the log still contains the head exported to this file "
            "('-': standard input)",
        )
        parser.add_argument(
            "--export-head",
            metavar="FILE",
            help="after a successful check, write the signed head to FILE ('-': standard "
            "output); keep it on another machine",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        anchor = _read_anchor(options["against"]) if options["against"] else None
        problems = audit.verify(anchor=anchor)
        if problems:
            for problem in problems:
                where = f"row {problem.seq}: " if problem.seq is not None else ""
                self.stderr.write(f"{where}[{problem.kind}] {problem.message}")
            raise CommandError(f"audit log check FAILED: {len(problems)} problem(s)")
        head = AuditHead.objects.filter(pk=1).first()
        summary = (
            f"audit log intact: {head.length if head else 0} rows, "
            f"head {head.head_hash if head else audit.GENESIS}"
        )
        if anchor is not None:
            summary += f"; holds the head exported {anchor.exported_at} (row {anchor.length})"
        target = options["export_head"]
        if target == "-":
            self.stdout.write(audit.export_head())
            self.stderr.write(summary)  # standard output carries only the head
            return
        if target:
            _write_atomically(Path(target), audit.export_head() + "\n")
            summary += f"; head exported to {target}"
        self.stdout.write(summary)


def _read_anchor(path: str) -> audit.Anchor:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        return audit.read_anchor(text)
    except (OSError, ValueError) as exc:
        raise CommandError(f"cannot read the head file {path}: {exc}") from exc


def _write_atomically(path: Path, text: str) -> None:
    """Replace the file in one step, so a failed run never leaves half a head behind."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
