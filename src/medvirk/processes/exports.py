"""The exports a case's methods declare, as rows for the open-data page and the staff area."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import registry

if TYPE_CHECKING:
    from .models import MethodInstance, Process


@dataclass(frozen=True)
class ExportRow:
    instance: MethodInstance
    export: registry.Export
    url: str

    @property
    def is_public(self) -> bool:
        return self.export.audience == "public"

    @property
    def offered(self) -> bool:
        """Whether the public can download it now (published, and the method allows it)."""
        return (
            self.is_public and self.instance.is_published and self.export.available(self.instance)
        )


def exports_for(instances: list[MethodInstance], *, public_only: bool) -> list[ExportRow]:
    rows: list[ExportRow] = []
    for instance in instances:
        plugin = registry.get(instance.method_key)
        for export in plugin.exports:
            if public_only and (
                export.audience != "public"
                or not instance.is_published
                or not export.available(instance)
            ):
                continue
            rows.append(ExportRow(instance, export, plugin.export_url(instance, export.key)))
    return rows


def open_data_for(process: Process) -> list[ExportRow]:
    """Public exports of the case's published methods that can be offered now."""
    instances = list(process.methods.filter(is_published=True).select_related("phase"))
    for instance in instances:
        instance.process = process
    return exports_for(instances, public_only=True)
