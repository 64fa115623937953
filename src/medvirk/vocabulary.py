"""The product's words as enums, in pure Python (no Django): one source for every layer.

The participation ladder (Deltakelsestrappa), the kinds of phase a case runs through, and
the staff capabilities. The method registry, the permission table, the planner's rules and
the method catalogue all use these; ``tests/planning/test_catalogue.py`` checks that the
catalogue agrees. Labels for people live with the Django code that shows them.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Rung(IntEnum):
    """Deltakelsestrappa: the participation ladder, lowest rung first."""

    INFORM = 1  # Informere
    ASK = 2  # Spørre
    DIALOGUE = 3  # Snakke med
    AGENDA = 4  # Innbyggerne setter dagsorden
    DECIDE = 5  # Hånda på rattet


class PhaseKind(StrEnum):
    """When in a case input is given: the order is the order of a case."""

    INVESTIGATION = "investigation"  # utgreiing
    ALTERNATIVES = "alternatives"
    DECISION = "decision"
    FOLLOW_UP = "follow_up"


class Capability(StrEnum):
    """What a staff member may do in a municipality; roles grant sets of these."""

    MANAGE_PROCESS = "manage_process"
    RESPOND = "respond"
    MODERATE = "moderate"
    REGISTER_OFFLINE = "register_offline"
    DECIDE = "decide"
    MANAGE_ROLES = "manage_roles"
    VIEW_AUDIT = "view_audit"
    VERIFY_IDENTITY = "verify_identity"
    EXPORT = "export"


RUNGS: tuple[int, ...] = tuple(int(r) for r in Rung)
PHASE_KINDS: tuple[str, ...] = tuple(p.value for p in PhaseKind)
