"""An instance's rules, read once from its settings: the ballot, the budget(s), who votes.

Districts are written one per line, ``Sentrum: 300000`` (spaces, "kr" and a dot or space
as thousands separator are allowed in the amount). With districts, each district is its
own election with its own budget and its own projects; without, the instance's budget is
one election for the whole municipality.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from medvirk.processes.types import MethodInstance

APPROVAL, KNAPSACK, CUMULATIVE = "approval", "knapsack", "cumulative"
BALLOTS = (APPROVAL, KNAPSACK, CUMULATIVE)
EID, CODES, GROUP = "eid", "codes", "group"
VOTERS = (EID, CODES, GROUP)
RULES = ("equal-shares", "greedy")
MAX_BUDGET = 10**12
MAX_DISTRICTS = 30

_LINE = re.compile(r"^(?P<name>[^:]+):\s*(?P<amount>[\d\s.\u00a0\u202f]+)\s*(kr\.?|nok)?\s*$", re.I)


class DistrictsInvalid(ValueError):
    pass


def parse_districts(text: str) -> list[tuple[str, int]]:
    """``"Sentrum: 300 000\\nKaia: 200000"`` → ``[("Sentrum", 300000), ("Kaia", 200000)]``.

    Raises :class:`DistrictsInvalid` with a translated message naming the line.
    """
    found: list[tuple[str, int]] = []
    seen: set[str] = set()
    for number, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _LINE.match(line)
        digits = re.sub(r"\D", "", match.group("amount")) if match else ""
        if not match or not digits:
            raise DistrictsInvalid(
                _('Line %(n)d: write the district, a colon and its budget, e.g. "Sentrum: 300000".')
                % {"n": number}
            )
        name = " ".join(match.group("name").split())[:80]
        amount = int(digits)
        if amount < 1 or amount > MAX_BUDGET:
            raise DistrictsInvalid(
                _("Line %(n)d: the budget must be a whole number of kroner above 0.")
                % {"n": number}
            )
        if name.casefold() in seen:
            raise DistrictsInvalid(
                _("Line %(n)d: the district %(name)s is named twice.") % {"n": number, "name": name}
            )
        seen.add(name.casefold())
        found.append((name, amount))
    if len(found) > MAX_DISTRICTS:
        raise DistrictsInvalid(_("At most %(n)d districts.") % {"n": MAX_DISTRICTS})
    return found


@dataclass(frozen=True)
class Rules:
    ballot: str = KNAPSACK
    budget: int = 1_000_000
    districts: tuple[tuple[str, int], ...] = field(default_factory=tuple)
    max_choices: int = 3
    points: int = 10
    max_per_project: int = 0  # 0: no limit beyond the points
    rule: str = "equal-shares"
    voters: str = EID
    voter_group: str = ""
    min_age: int = 0
    residents_only: bool = True

    @property
    def has_districts(self) -> bool:
        return bool(self.districts)

    @property
    def district_names(self) -> list[str]:
        return [name for name, _amount in self.districts]

    def district_named(self, name: str) -> str | None:
        """The configured spelling of a district, found case-insensitively; None: unknown."""
        wanted = " ".join(name.split()).casefold()
        for known, _amount in self.districts:
            if known.casefold() == wanted:
                return known
        return None

    def budget_for(self, district: str) -> int:
        for name, amount in self.districts:
            if name == district:
                return amount
        return self.budget

    def elections(self) -> list[tuple[str, int]]:
        """Each election as (district, budget); ("", budget) without districts."""
        return list(self.districts) if self.districts else [("", self.budget)]

    @property
    def cap_per_project(self) -> int:
        """The most points one project may get on one cumulative ballot."""
        return min(self.max_per_project, self.points) if self.max_per_project else self.points


def rules_of(instance: MethodInstance) -> Rules:
    """The instance's rules from its (validated) settings; defaults for anything missing."""
    s = instance.settings
    default = Rules()
    try:
        districts = tuple(parse_districts(str(s.get("districts", "") or "")))
    except DistrictsInvalid:
        districts = ()
    ballot = str(s.get("ballot", default.ballot))
    voters = str(s.get("voters", default.voters))
    rule = str(s.get("rule", default.rule))
    return Rules(
        ballot=ballot if ballot in BALLOTS else default.ballot,
        budget=int(s.get("budget", default.budget) or default.budget),
        districts=districts,
        max_choices=int(s.get("max_choices", default.max_choices) or default.max_choices),
        points=int(s.get("points", default.points) or default.points),
        max_per_project=int(s.get("max_points_per_project", 0) or 0),
        rule=rule if rule in RULES else default.rule,
        voters=voters if voters in VOTERS else default.voters,
        voter_group=str(s.get("voter_group", "") or ""),
        min_age=int(s.get("min_age", 0) or 0),
        residents_only=bool(s.get("residents_only", default.residents_only)),
    )
