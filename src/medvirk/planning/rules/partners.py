"""Partners' roles in the plan: lokale samarbeidspartnere get a part, not only a mention."""

from __future__ import annotations

from .answers import Answers
from .output import PartnerRole, Recommendation, reason


def partner_roles(a: Answers, rec: Recommendation) -> list[PartnerRole]:
    picked = rec.picked_keys()
    roles: list[PartnerRole] = []
    for g in a.partner_groups:
        if g.kind in ("associations", "volunteers", "enthusiasts", "business"):
            if "co_creation" in picked:
                role = "co_creator"
            elif "institution_board" in picked and a.residents_run:
                role = "board"
            elif g.kind == "business":
                role = "consulted"
            else:
                role = "co_host"
        elif g.kind == "developer":
            role = "proposer" if a.private_proposer else "consulted"
        elif g.kind in ("regional", "neighbour_municipality"):
            # They share the responsibility only where the decision is shared or theirs.
            role = "authority" if a.power_shared or a.decided_elsewhere else "consulted"
        else:  # initiators
            role = "initiators"
        why = reason(f"partner_{role}", "who.groups", who=g.name or g.kind)
        roles.append(PartnerRole(g.kind, g.name, role, [why]))
    return roles
