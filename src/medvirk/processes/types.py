"""Names the layers above may use for typing and form choices, never for queries.

Views and forms outside this app read through ``queries`` and write through ``actions``;
they import these instead of ``models`` (an import-linter contract forbids the latter).
"""

from __future__ import annotations

from .models import (
    CaseDocument,
    DocumentKind,
    MethodInstance,
    Phase,
    PhaseKind,
    Process,
    ProcessStatus,
)

__all__ = [
    "CaseDocument",
    "DocumentKind",
    "MethodInstance",
    "Phase",
    "PhaseKind",
    "Process",
    "ProcessStatus",
]
