"""What the rules give back: recommendations with the reasons that led to each."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reason:
    """Why something was recommended (or left out): a code, the answer behind it, values."""

    code: str
    answer: str
    params: tuple[tuple[str, str], ...] = ()

    @property
    def values(self) -> dict[str, str]:
        return dict(self.params)


def reason(code: str, answer: str, **params: object) -> Reason:
    return Reason(code, answer, tuple(sorted((k, str(v)) for k, v in params.items())))


@dataclass
class Pick:
    key: str
    phase: str
    rung: int
    required: bool
    score: int
    reasons: list[Reason]
    cautions: list[Reason]
    medvirk_method: str | None
    # What the pick is for: facts, statutory, children, councils, representative,
    # deliberation, dialogue, reach, digital, partners, budget, vote, questions, score.
    function: str = "score"
    # (act, section) when a section of law requires this very method; empty otherwise.
    law: tuple[tuple[str, str], ...] = ()


@dataclass
class PhaseAdvice:
    phase: str
    rungs: list[int]
    rung_reasons: dict[int, list[Reason]]
    picks: list[Pick]


@dataclass
class Left:
    key: str
    reasons: list[Reason]


@dataclass
class Flag:
    """A pitfall, a legal checklist item or a warning that applies, with why."""

    key: str
    reasons: list[Reason]
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class PartnerRole:
    """A partner's part in the plan (samarbeidspartnere: «du er ikke alene»)."""

    group: str  # the group's kind
    name: str  # the officer's name for it, or "" for a first-schema row
    role: str  # co_creator, board, co_host, proposer, authority, initiators, consulted
    reasons: list[Reason]


@dataclass
class Step:
    phase: str
    kind: str  # inform | methods | register | feedback | decision | decision_feedback | follow_up
    week_from: int
    week_to: int
    methods: list[str] = field(default_factory=list)
    children: bool = False  # the feedback must reach children in a form they understand


@dataclass
class Recommendation:
    max_rung: int
    max_rung_reasons: list[Reason]
    phases: list[PhaseAdvice]
    left_out: list[Left]
    pitfalls: list[Flag]
    legal: list[Flag]
    timeline: list[Step]
    warnings: list[Flag] = field(default_factory=list)
    partners: list[PartnerRole] = field(default_factory=list)
    weeks_to_decision: int | None = None

    def picked_keys(self) -> set[str]:
        return {p.key for advice in self.phases for p in advice.picks}

    def picks(self) -> list[Pick]:
        return [p for advice in self.phases for p in advice.picks]

    def pick(self, key: str, phase: str | None = None) -> Pick | None:
        for advice in self.phases:
            for p in advice.picks:
                if p.key == key and (phase is None or p.phase == phase):
                    return p
        return None

    def left(self, key: str) -> Left | None:
        return next((entry for entry in self.left_out if entry.key == key), None)
