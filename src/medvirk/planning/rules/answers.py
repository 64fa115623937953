"""Hvorfor + hvem + når = hvordan: transparent rules from a plan's answers to recommendations.

Pure functions over plain data (no Django): :func:`parse_answers` validates the stored
answers, :func:`recommend` turns them and the catalogue into rungs and methods per phase,
pitfalls, a legal checklist and a timeline. Every recommendation carries the
:class:`Reason` objects that led to it: a code (translated by ``planning.explain``), the
answer it comes from, and parameters. Nothing here is scored by a black box: the rules are
the ``_rule_*`` functions below, each small enough to read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .catalogue import GROUPS, PHASES, Catalogue, Method

PURPOSES = ("information", "anchoring", "learning")
PARTNERS = (
    "residents",
    "volunteers",
    "associations",
    "enthusiasts",
    "business",
    "regional",
    "municipality",
)
# Groups the stakeholder map asks about; "silent_affected" is derived from the answers.
MAP_GROUPS = tuple(g for g in GROUPS if g != "silent_affected")
CASE_KINDS = ("pbl_plan", "budget", "service_change", "building", "other")
PLAN_TYPES = ("planprogram", "kommuneplan", "reguleringsplan", "regional_plan", "other_plan")
DECIDERS = ("kommune", "fylkeskommune")
RESOURCES = ("low", "medium", "high")
KNOW_ENOUGH = ("yes", "no", "unsure")
STEPS = ("why", "who", "when", "room", "reflect")
LEVELS = range(4)  # 0 not at all, 1 a little, 2 some, 3 much
MAX_TEXT = 2000
PICKS_PER_PHASE = 3
# Plan types whose hearing has a six-week minimum, and the section that sets it.
SIX_WEEK_SECTIONS = {
    "planprogram": "4-1",
    "kommuneplan": "11-14",
    "reguleringsplan": "12-10",
    "regional_plan": "4-1",
}
INITIATIVE_CAP = {"kommune": 300, "fylkeskommune": 500}


class AnswerError(ValueError):
    """Stored answers that do not fit the schema; ``field`` names the offending answer."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


# --- answers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stake:
    affected: int = 0
    speaks_up: int = 0


@dataclass(frozen=True)
class Answers:
    purposes: frozenset[str] = frozenset()
    use: str = ""
    stakeholders: Mapping[str, Stake] = field(default_factory=dict)
    silent: str = ""
    weigh_more: str = ""
    know_enough: str = "unsure"
    public_debate: bool = False
    open_phases: tuple[str, ...] = ()
    weeks: int | None = None
    when_note: str = ""
    open_text: str = ""
    decided_text: str = ""
    decision_made: bool = False
    budget: int | None = None
    budget_to_allocate: bool = False
    case_kind: str = "other"
    plan_type: str = ""
    decision_maker: str = "kommune"
    yes_no_question: bool = False
    from_initiative: bool = False
    resources: str = "medium"
    reflection: Mapping[str, str] = field(default_factory=dict)

    def affected(self, key: str, level: int = 2) -> bool:
        return self.stakeholders.get(key, Stake()).affected >= level

    @property
    def target_groups(self) -> tuple[str, ...]:
        """Groups the case affects (some or much), plus the silent ones when there are any."""
        groups = [g for g in MAP_GROUPS if self.affected(g)]
        if self.silent_keys or self.silent.strip():
            groups.append("silent_affected")
        return tuple(groups)

    @property
    def silent_keys(self) -> tuple[str, ...]:
        """Stakeholders much affected who are unlikely to speak up."""
        return tuple(
            k for k, s in self.stakeholders.items() if s.affected >= 2 and s.speaks_up <= 1
        )

    @property
    def loud_keys(self) -> tuple[str, ...]:
        return tuple(
            k for k, s in self.stakeholders.items() if s.speaks_up >= 3 and s.affected >= 1
        )


def _text(data: Mapping[str, Any], key: str, step: str, required: bool = False) -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise AnswerError(f"{step}.{key}", "must be text")
    if len(value) > MAX_TEXT:
        raise AnswerError(f"{step}.{key}", "is too long")
    if required and not value.strip():
        raise AnswerError(f"{step}.{key}", "is required")
    return value.strip()


def _bool(data: Mapping[str, Any], key: str, step: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise AnswerError(f"{step}.{key}", "must be true or false")
    return value


def _choice(
    data: Mapping[str, Any], key: str, step: str, choices: tuple[str, ...], default: str
) -> str:
    value = data.get(key, default)
    if value not in choices:
        raise AnswerError(f"{step}.{key}", f"must be one of {', '.join(choices)}")
    return str(value)


def _int(data: Mapping[str, Any], key: str, step: str, low: int, high: int) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise AnswerError(f"{step}.{key}", f"must be a whole number from {low} to {high}")
    return value


def _section(raw: Mapping[str, Any], step: str) -> Mapping[str, Any]:
    data = raw.get(step, {})
    if not isinstance(data, Mapping):
        raise AnswerError(step, "must be an object")
    return data


def parse_answers(raw: Mapping[str, Any], reflection_keys: tuple[str, ...] = ()) -> Answers:
    """Validate stored answers (every step optional: a plan is filled in step by step)."""
    if not isinstance(raw, Mapping):
        raise AnswerError("answers", "must be an object")
    unknown = set(raw) - set(STEPS)
    if unknown:
        raise AnswerError("answers", f"unknown steps {sorted(unknown)}")
    why, who, when = _section(raw, "why"), _section(raw, "who"), _section(raw, "when")
    room, reflect = _section(raw, "room"), _section(raw, "reflect")

    purposes = why.get("purposes", [])
    if not isinstance(purposes, list) or not set(purposes) <= set(PURPOSES):
        raise AnswerError("why.purposes", f"must be a list from {', '.join(PURPOSES)}")

    stakes_raw = who.get("stakeholders", {})
    if not isinstance(stakes_raw, Mapping):
        raise AnswerError("who.stakeholders", "must be an object")
    stakes: dict[str, Stake] = {}
    for key, value in stakes_raw.items():
        if key not in PARTNERS and key not in MAP_GROUPS:
            raise AnswerError("who.stakeholders", f"unknown stakeholder {key!r}")
        if not isinstance(value, Mapping):
            raise AnswerError(f"who.stakeholders.{key}", "must be an object")
        levels = [value.get("affected", 0), value.get("speaks_up", 0)]
        if any(not isinstance(v, int) or isinstance(v, bool) or v not in LEVELS for v in levels):
            raise AnswerError(f"who.stakeholders.{key}", "levels must be 0–3")
        stakes[key] = Stake(affected=levels[0], speaks_up=levels[1])

    phases = when.get("open_phases", [])
    if not isinstance(phases, list) or not set(phases) <= set(PHASES):
        raise AnswerError("when.open_phases", f"must be a list from {', '.join(PHASES)}")

    case_kind = _choice(room, "case_kind", "room", CASE_KINDS, "other")
    plan_type = _choice(room, "plan_type", "room", ("", *PLAN_TYPES), "")
    decider = _choice(room, "decision_maker", "room", DECIDERS, "kommune")
    if case_kind != "pbl_plan" and plan_type:
        raise AnswerError("room.plan_type", "only a plan case has a plan type")
    if decider == "fylkeskommune" and plan_type in ("kommuneplan", "reguleringsplan"):
        raise AnswerError("room.plan_type", "a county does not adopt this kind of plan")

    reflection: dict[str, str] = {}
    for key in reflect:
        if reflection_keys and key not in reflection_keys:
            raise AnswerError("reflect", f"unknown question {key!r}")
        reflection[key] = _text(reflect, key, "reflect")

    return Answers(
        purposes=frozenset(purposes),
        use=_text(why, "use", "why"),
        stakeholders=stakes,
        silent=_text(who, "silent", "who"),
        weigh_more=_text(who, "weigh_more", "who"),
        know_enough=_choice(who, "know_enough", "who", KNOW_ENOUGH, "unsure"),
        public_debate=_bool(who, "public_debate", "who"),
        open_phases=tuple(p for p in PHASES if p in phases),
        weeks=_int(when, "weeks", "when", 1, 260),
        when_note=_text(when, "note", "when"),
        open_text=_text(room, "open", "room"),
        decided_text=_text(room, "decided", "room"),
        decision_made=_bool(room, "decision_made", "room"),
        budget=_int(room, "budget", "room", 0, 10**12),
        budget_to_allocate=_bool(room, "budget_to_allocate", "room"),
        case_kind=case_kind,
        plan_type=plan_type,
        decision_maker=decider,
        yes_no_question=_bool(room, "yes_no_question", "room"),
        from_initiative=_bool(room, "from_initiative", "room"),
        resources=_choice(room, "resources", "room", RESOURCES, "medium"),
        reflection=reflection,
    )


def missing_steps(raw: Mapping[str, Any]) -> list[str]:
    """Steps still to answer before the plan can be published."""
    missing = []
    why = raw.get("why") or {}
    if not why.get("purposes") or not str(why.get("use", "")).strip():
        missing.append("why")
    who = raw.get("who") or {}
    if not who.get("stakeholders"):
        missing.append("who")
    if not (raw.get("when") or {}).get("open_phases"):
        missing.append("when")
    room = raw.get("room") or {}
    if not str(room.get("open", "")).strip() or not room.get("case_kind"):
        missing.append("room")
    if not any(str(v).strip() for v in (raw.get("reflect") or {}).values()):
        missing.append("reflect")
    return missing


# --- output ------------------------------------------------------------------------------------


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
    """A pitfall or a legal checklist item that applies, with why."""

    key: str
    reasons: list[Reason]
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class Step:
    phase: str
    kind: str  # inform | methods | register | feedback | decision | decision_feedback | follow_up
    week_from: int
    week_to: int
    methods: list[str] = field(default_factory=list)


@dataclass
class Recommendation:
    max_rung: int
    max_rung_reasons: list[Reason]
    phases: list[PhaseAdvice]
    left_out: list[Left]
    pitfalls: list[Flag]
    legal: list[Flag]
    timeline: list[Step]

    def picked_keys(self) -> set[str]:
        return {p.key for advice in self.phases for p in advice.picks}

    def pick(self, key: str, phase: str | None = None) -> Pick | None:
        for advice in self.phases:
            for p in advice.picks:
                if p.key == key and (phase is None or p.phase == phase):
                    return p
        return None

    def left(self, key: str) -> Left | None:
        return next((entry for entry in self.left_out if entry.key == key), None)


# --- the rules ---------------------------------------------------------------------------------


def _max_rung(a: Answers) -> tuple[int, list[Reason]]:
    if a.decision_made:
        return 2, [reason("cap_decision_made", "room.decision_made")]
    if a.purposes and a.purposes <= {"information"}:
        return 2, [reason("cap_information_only", "why.purposes")]
    if not a.open_text:
        return 2, [reason("cap_nothing_open", "room.open")]
    return 5, []


def _phase_rungs(a: Answers, phase: str, cap: int) -> dict[int, list[Reason]]:
    rungs: dict[int, list[Reason]] = {1: [reason("rung_inform_always", "why.purposes")]}

    def add(rung: int, why: Reason) -> None:
        if rung <= cap:
            rungs.setdefault(rung, []).append(why)

    learning, anchoring = "learning" in a.purposes, "anchoring" in a.purposes
    if phase == "investigation":
        if learning:
            add(2, reason("rung_learning_ask", "why.purposes"))
            add(3, reason("rung_learning_dialogue", "why.purposes"))
        if anchoring:
            add(3, reason("rung_anchoring_dialogue", "why.purposes"))
            add(4, reason("rung_anchoring_agenda", "why.purposes"))
        if a.affected("children") or a.affected("youth"):
            add(4, reason("rung_children_agenda", "who.stakeholders"))
    elif phase == "alternatives":
        if learning or anchoring:
            add(2, reason("rung_alternatives_ask", "why.purposes"))
        if anchoring:
            add(3, reason("rung_anchoring_dialogue", "why.purposes"))
        if a.budget_to_allocate:
            add(5, reason("rung_budget_wheel", "room.budget_to_allocate"))
    elif phase == "decision":
        if a.case_kind == "pbl_plan":
            add(2, reason("rung_plan_hearing", "room.case_kind"))
        elif learning or anchoring:
            add(2, reason("rung_decision_ask", "why.purposes"))
        if a.budget_to_allocate:
            add(5, reason("rung_budget_wheel", "room.budget_to_allocate"))
        if a.yes_no_question and anchoring:
            add(5, reason("rung_referendum_wheel", "room.yes_no_question"))
    elif phase == "follow_up":
        if learning or anchoring:
            add(2, reason("rung_follow_up_ask", "why.purposes"))
        if anchoring and _partners_engaged(a):
            add(5, reason("rung_partners_wheel", "who.stakeholders"))
    if a.decision_made:
        add(2, reason("rung_decision_made_ask", "room.decision_made"))
    return rungs


def _partners_engaged(a: Answers) -> list[str]:
    return [
        k
        for k in ("volunteers", "associations", "enthusiasts", "business")
        if a.affected(k) and a.stakeholders[k].speaks_up >= 1
    ]


def _exclusion(a: Answers, m: Method, cap: int) -> list[Reason]:
    """Reasons a method is not recommended at all; empty when it may be."""
    out: list[Reason] = []
    if m.rung > cap:
        out.append(reason("left_above_cap", "room.decision_made", rung=m.rung, cap=cap))
    if "resident_initiated" in m.traits:
        out.append(reason("left_resident_initiated", "room.from_initiative"))
    if "budget" in m.traits and not a.budget_to_allocate:
        out.append(reason("left_no_budget", "room.budget_to_allocate"))
    if "referendum" in m.traits and not (a.yes_no_question and "anchoring" in a.purposes):
        out.append(reason("left_no_clear_question", "room.yes_no_question"))
    if "referendum" in m.traits and a.decision_maker != "kommune" and a.case_kind == "pbl_plan":
        out.append(reason("left_referendum_plan", "room.case_kind"))
    if m.key == "public_inspection" and a.case_kind != "pbl_plan":
        # Offentlig ettersyn is the plan procedure of pbl § 5-2; other cases ask more lightly.
        out.append(reason("left_inspection_not_plan", "room.case_kind"))
    if "co_creation" in m.traits and not (
        {"anchoring", "learning"} <= a.purposes and _partners_engaged(a)
    ):
        out.append(reason("left_not_co_creation", "why.purposes"))
    if "co_creation" in m.traits and a.decision_made:
        out.append(reason("left_co_creation_decided", "room.decision_made"))
    if "delegated" in m.traits and not ("anchoring" in a.purposes and a.resources == "high"):
        out.append(reason("left_needs_standing_body", "room.resources"))
    if "child_friendly" in m.traits and not (a.affected("children") or a.affected("youth")):
        out.append(reason("left_no_children", "who.stakeholders"))
    if "council" in m.traits and not _council_groups(a):
        out.append(reason("left_no_council_groups", "who.stakeholders"))
    if m.effort == "high" and a.resources == "low":
        out.append(reason("left_too_much_effort", "room.resources"))
    if a.weeks is not None and m.weeks > a.weeks:
        out.append(reason("left_too_long", "when.weeks", weeks=m.weeks, available=a.weeks))
    return out


def _council_groups(a: Answers) -> list[str]:
    groups = [g for g in ("elderly", "disabled", "youth") if a.affected(g)]
    if a.affected("children") and "youth" not in groups:
        groups.append("youth")  # children's matters go to the ungdomsråd too
    return groups


def _score(a: Answers, m: Method) -> tuple[int, list[Reason], list[Reason]]:
    score, reasons, cautions = 1, [], []
    for group in a.target_groups:
        if group in m.reaches_well:
            score += 2
            reasons.append(reason("fit_reaches_group", "who.stakeholders", group=group))
        if group in m.reaches_badly:
            score -= 1
            cautions.append(reason("caution_reaches_badly", "who.stakeholders", group=group))
    if "learning" in a.purposes and "deliberative" in m.traits:
        score += 1
        reasons.append(reason("fit_learning_dialogue", "why.purposes"))
    if "anchoring" in a.purposes and m.rung >= 3 and "body" not in m.traits:
        score += 1
        reasons.append(reason("fit_anchoring_involve", "why.purposes"))
    if a.know_enough == "no" and ("representative" in m.traits or "quantitative" in m.traits):
        score += 2
        reasons.append(reason("fit_know_too_little", "who.know_enough"))
    if a.public_debate and ("representative" in m.traits or "outreach" in m.traits):
        score += 2
        reasons.append(reason("fit_loud_debate", "who.public_debate"))
    if "silent_affected" in a.target_groups and "outreach" in m.traits:
        score += 1
        reasons.append(reason("fit_silent_outreach", "who.silent"))
    if a.affected("day_workers") and m.format == "physical" and "outreach" not in m.traits:
        score -= 1
        cautions.append(reason("caution_daytime_meeting", "who.stakeholders"))
    if a.resources == "low" and m.effort == "low":
        score += 1
        reasons.append(reason("fit_low_effort", "room.resources"))
    if m.medvirk_method:
        score += 1
        reasons.append(reason("fit_runs_in_medvirk", "catalogue", method=m.medvirk_method))
    return score, reasons, cautions


def _first(a: Answers, *preferred: str) -> str | None:
    for phase in preferred:
        if phase in a.open_phases:
            return phase
    return None


def _required(a: Answers, catalogue: Catalogue) -> list[tuple[str, str, Reason]]:
    """(method, phase, reason) the rules require whatever the scores say."""
    need: list[tuple[str, str, Reason]] = []
    before_decision = _first(a, "investigation", "alternatives", "decision") or a.open_phases[0]
    children = a.affected("children") or a.affected("youth")
    if children:
        place_based = a.case_kind in ("pbl_plan", "building")
        early = _first(a, "investigation")
        if place_based and early:
            code = "req_children_plan" if a.case_kind == "pbl_plan" else "req_children_place"
            need.append(("barnetrakk", early, reason(code, "who.stakeholders")))
        else:
            phase = _first(a, "investigation", "alternatives", "decision") or before_decision
            need.append(
                ("youth_council_assembly", phase, reason("req_children", "who.stakeholders"))
            )
    councils = _council_groups(a)
    if councils:
        phase = _first(a, "investigation", "alternatives") or before_decision
        need.append(
            (
                "statutory_councils",
                phase,
                reason("req_councils_early", "who.stakeholders", groups=",".join(councils)),
            )
        )
    if a.case_kind == "pbl_plan":
        phase = _first(a, "alternatives", "decision") or a.open_phases[-1]
        for key in ("hearing", "public_inspection"):
            need.append((key, phase, reason("req_plan_hearing", "room.case_kind")))
    if a.budget_to_allocate and not a.decision_made:
        budget_phase = _first(a, "alternatives", "decision")
        if budget_phase:
            need.append(
                (
                    "participatory_budgeting",
                    budget_phase,
                    reason("req_budget", "room.budget_to_allocate"),
                )
            )
    # Every required method must exist in the catalogue and suit the phase it is put in.
    formal = ("hearing", "public_inspection")  # a planprogram is heard at the very start
    return [(k, p, r) for k, p, r in need if p in catalogue.method(k).phases or k in formal]


def recommend(answers: Answers, catalogue: Catalogue) -> Recommendation:
    a = answers
    phases = a.open_phases or (("follow_up",) if a.decision_made else ("investigation",))
    if not a.open_phases:
        a = dataclasses.replace(a, open_phases=phases)
    cap, cap_reasons = _max_rung(a)

    left: dict[str, list[Reason]] = {}
    allowed: list[Method] = []
    for method in catalogue.methods:
        excluded = _exclusion(a, method, cap)
        if excluded:
            left[method.key] = excluded
        else:
            allowed.append(method)

    required = _required(a, catalogue)
    advice: list[PhaseAdvice] = []
    used: set[str] = set()
    for phase in a.open_phases:
        rung_reasons = _phase_rungs(a, phase, cap)
        picks: list[Pick] = []
        info = catalogue.method("information")
        picks.append(
            Pick(
                "information",
                phase,
                1,
                True,
                0,
                [reason("req_inform_every_phase", "why.purposes")],
                [],
                info.medvirk_method,
            )
        )
        for key, req_phase, why in required:
            if req_phase != phase:
                continue
            method = catalogue.method(key)
            score, reasons, cautions = _score(a, method)
            picks.append(
                Pick(
                    key,
                    phase,
                    method.rung,
                    True,
                    score,
                    [why, *reasons],
                    cautions,
                    method.medvirk_method,
                )
            )
            rung_reasons.setdefault(method.rung, []).append(why)
            left.pop(key, None)
            used.add(key)
        candidates = []
        for method in allowed:
            if method.key in used or method.key == "information" or phase not in method.phases:
                continue
            if method.rung not in rung_reasons:
                continue
            score, reasons, cautions = _score(a, method)
            if score >= 2:
                candidates.append((score, method, reasons, cautions))
        candidates.sort(key=lambda c: (-c[0], c[1].rung, c[1].key))
        for score, method, reasons, cautions in candidates[:PICKS_PER_PHASE]:
            picks.append(
                Pick(
                    method.key,
                    phase,
                    method.rung,
                    False,
                    score,
                    reasons,
                    cautions,
                    method.medvirk_method,
                )
            )
            used.add(method.key)
        present = sorted({p.rung for p in picks})
        advice.append(
            PhaseAdvice(phase, present, {r: rung_reasons.get(r, []) for r in present}, picks)
        )

    picked = {p.key for ph in advice for p in ph.picks}
    for method in catalogue.methods:
        if method.key not in picked and method.key not in left:
            left[method.key] = [reason("left_lower_score", "catalogue")]
    rec = Recommendation(
        max_rung=cap,
        max_rung_reasons=cap_reasons,
        phases=advice,
        left_out=[Left(k, v) for k, v in left.items()],
        pitfalls=[],
        legal=[],
        timeline=[],
    )
    rec.pitfalls = _pitfalls(a, rec)
    rec.legal = _legal(a, rec)
    rec.timeline = _timeline(a, rec, catalogue)
    return rec


def _pitfalls(a: Answers, rec: Recommendation) -> list[Flag]:
    out: list[Flag] = []
    picked = rec.picked_keys()
    why: list[Reason] = []
    if "silent_affected" in a.target_groups:
        why.append(reason("pit_silent_named", "who.silent"))
    if a.know_enough != "yes":
        why.append(reason("pit_know_enough", "who.know_enough"))
    self_selected = picked & {"survey", "e_democracy", "idea_board", "opinion_map", "hearing"}
    if self_selected:
        why.append(
            reason("pit_self_selected", "catalogue", methods=",".join(sorted(self_selected)))
        )
    if why:
        out.append(Flag("representativeness", why))
    why = []
    if a.public_debate:
        why.append(reason("pit_public_debate", "who.public_debate"))
    if a.loud_keys:
        why.append(reason("pit_loud_stakeholders", "who.stakeholders", keys=",".join(a.loud_keys)))
    if why:
        out.append(Flag("committed_minority", why))
    organised = [
        k
        for k in ("associations", "enthusiasts", "business", "regional")
        if a.stakeholders.get(k, Stake()).speaks_up >= 2
    ]
    if organised or a.public_debate:
        why = (
            [reason("pit_organised_voices", "who.stakeholders", keys=",".join(organised))]
            if organised
            else []
        )
        if a.public_debate:
            why.append(reason("pit_public_debate", "who.public_debate"))
        out.append(Flag("resourceful_activists", why))
    high = max((p.rung for ph in rec.phases for p in ph.picks), default=1)
    if high >= 4:
        out.append(
            Flag("diffused_responsibility", [reason("pit_high_rung", "catalogue", rung=high)])
        )
    why = []
    if a.weeks is None:
        why.append(reason("pit_no_weeks", "when.weeks"))
    elif a.weeks >= 12:
        why.append(reason("pit_long_process", "when.weeks", weeks=a.weeks))
    if len(a.open_phases) >= 3:
        why.append(reason("pit_many_phases", "when.open_phases", count=len(a.open_phases)))
    if why:
        out.append(Flag("time_horizon", why))
    if a.case_kind in ("building", "service_change", "budget"):
        out.append(
            Flag("single_issue", [reason("pit_single_issue", "room.case_kind", kind=a.case_kind)])
        )
    return out


def _legal(a: Answers, rec: Recommendation) -> list[Flag]:
    out = [Flag("information_duty", [reason("law_always_inform", "catalogue")])]
    picked = rec.picked_keys()
    children = a.affected("children") or a.affected("youth")
    if a.case_kind == "pbl_plan":
        out.append(Flag("pbl_participation", [reason("law_plan_case", "room.case_kind")]))
        if children:
            out.append(
                Flag("children_in_planning", [reason("law_plan_children", "who.stakeholders")])
            )
        if a.decision_maker == "kommune":
            out.append(
                Flag(
                    "childrens_representative", [reason("law_plan_kommune", "room.decision_maker")]
                )
            )
        section = SIX_WEEK_SECTIONS.get(a.plan_type, "")
        why = [reason("law_plan_hearing", "room.plan_type", section=section or "-")]
        out.append(Flag("hearing_six_weeks", why, {"section": section}))
    councils = _council_groups(a)
    if councils:
        out.append(
            Flag(
                "councils_early",
                [reason("law_councils", "who.stakeholders", groups=",".join(councils))],
                {"decider": a.decision_maker},
            )
        )
    if a.from_initiative:
        cap = INITIATIVE_CAP[a.decision_maker]
        out.append(
            Flag(
                "citizen_initiative",
                [reason("law_initiative", "room.from_initiative", cap=cap)],
                {"cap": str(cap)},
            )
        )
    if "advisory_referendum" in picked:
        out.append(Flag("advisory_referendum", [reason("law_referendum", "room.yes_no_question")]))
    if picked & {"hearing", "public_inspection"}:
        out.append(Flag("submissions_are_documents", [reason("law_submissions", "catalogue")]))
    if "residents_panel" in picked:
        out.append(Flag("panel_openness", [reason("law_panel", "catalogue")]))
    if picked & {"committees", "institution_board"}:
        out.append(Flag("delegated_bodies", [reason("law_bodies", "catalogue")]))
    return out


def _timeline(a: Answers, rec: Recommendation, catalogue: Catalogue) -> list[Step]:
    """Input phases in order; the reasoned feedback before the decision and after it."""
    steps: list[Step] = []
    week = 0
    input_phases = [ph for ph in rec.phases if ph.phase != "follow_up"]
    last_input = input_phases[-1].phase if input_phases else None
    for advice in rec.phases:
        phase = advice.phase
        if phase == "follow_up" and not any(s.kind == "decision" for s in steps):
            steps.append(Step("decision", "decision", week, week + 1))
            steps.append(Step("decision", "decision_feedback", week + 1, week + 2))
            week += 2
        steps.append(Step(phase, "inform", week, week + 1, ["information"]))
        others = [p.key for p in advice.picks if p.key != "information"]
        length = max([catalogue.method(k).weeks for k in others] or [2])
        length = min(length, 12)
        if phase in ("alternatives", "decision") and a.case_kind == "pbl_plan":
            length = max(length, 6)  # the six-week minimum of pbl § 5-2
        if others:
            steps.append(Step(phase, "methods", week, week + length, others))
        steps.append(Step(phase, "register", week, week + length))
        week += length
        if phase == last_input:
            steps.append(Step(phase, "feedback", week, week + 2))
            week += 2
        if phase == "decision":
            steps.append(Step(phase, "decision", week, week + 1))
            steps.append(Step(phase, "decision_feedback", week + 1, week + 2))
            week += 2
        if phase == "follow_up":
            steps.append(Step(phase, "follow_up", week, week + 4))
            week += 4
    if not any(s.kind == "decision" for s in steps):
        steps.append(Step("decision", "decision", week, week + 1))
        steps.append(Step("decision", "decision_feedback", week + 1, week + 2))
    return steps
