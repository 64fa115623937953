"""``medvirk manage verify_audit``: check the audit chain; exit 1 if it was tampered with."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from medvirk.core import audit
from medvirk.core.models import AuditHead


class Command(BaseCommand):
    help = "Verify the hash-chained audit log against its separately kept head."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = audit.verify()
        head = AuditHead.objects.filter(pk=1).first()
        length = head.length if head else 0
        if problems:
            for problem in problems:
                where = f"row {problem.seq}: " if problem.seq is not None else ""
                self.stderr.write(f"{where}{problem.message}")
            raise CommandError(f"audit log check FAILED: {len(problems)} problem(s)")
        self.stdout.write(
            f"audit log intact: {length} rows, head {head.head_hash if head else audit.GENESIS}"
        )
