"""The plan's answers: the schema the wizard writes, validated, and what the rules read off it.

``parse_answers`` accepts both the first schema (one row per fixed stakeholder key, a yes/no
"decision made") and the second (named groups with ages and settings, the state of the
decision, who decides, dates, hearings, sensitivity, language needs), so plans saved with the
old answers still open. Pure Python: no Django.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..catalogue import GROUPS, PHASES

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
# Groups the first schema's stakeholder map asks about; "silent_affected" is derived.
MAP_GROUPS = tuple(g for g in GROUPS if g != "silent_affected")
# What a named group is. The rules read the kind; the name is the officer's own.
GROUP_KINDS = (
    "residents",
    "neighbours",
    "parents",
    "pupils",
    "children",
    "youth",
    "elderly",
    "disabled",
    "users",
    "relatives",
    "minority_language",
    "day_workers",
    "associations",
    "volunteers",
    "enthusiasts",
    "business",
    "developer",
    "regional",
    "neighbour_municipality",
    "initiators",
    "staff",
)
# Partners (lokale samarbeidspartnere, the first deck) as against groups of residents.
PARTNER_KINDS = (
    "associations",
    "volunteers",
    "enthusiasts",
    "business",
    "developer",
    "regional",
    "neighbour_municipality",
    "initiators",
)
AGE_BANDS = ("0-5", "6-12", "13-15", "16-19", "20-66", "67-79", "80+")
CHILD_BANDS = ("0-5", "6-12")
YOUTH_BANDS = ("13-15", "16-19")
ELDER_BANDS = ("67-79", "80+")
TIMES = ("", "school_hours", "daytime", "evening", "weekend")
MAX_GROUPS = 20
CASE_KINDS = ("pbl_plan", "theme_plan", "budget", "service_change", "building", "other")
PLAN_TYPES = ("planprogram", "kommuneplan", "reguleringsplan", "regional_plan", "other_plan")
PLAN_HEARINGS = ("notice_of_start", "planprogram", "planforslag")
DECIDERS = (
    "kommune",
    "formannskap",
    "committee",
    "administration",
    "fylkeskommune",
    "state",
    "shared",
    "inter_municipal",
)
# Deciders inside one kommune (the barnerepresentant of pbl § 3-3 is the kommune's).
KOMMUNE_DECIDERS = ("kommune", "formannskap", "committee", "administration", "inter_municipal")
DECISION_STATES = ("open", "partly", "decided", "contracted")
BUDGET_BINDING = ("advisory", "binding")
RESOURCES = ("low", "medium", "high")
KNOW_ENOUGH = ("yes", "no", "unsure")
STEPS = ("why", "who", "when", "room", "reflect")
LEVELS = range(4)  # 0 not at all, 1 a little, 2 some, 3 much
MAX_TEXT = 2000
MAX_NAME = 120
MAX_SETTING = 300
# "What is open" answered with one of these counts as nothing open.
NOTHING_WORDS = frozenset(
    {
        "",
        "-",
        "–",
        "nei",
        "no",
        "none",
        "nothing",
        "ingen",
        "ingenting",
        "ikkje noko",
        "ikke noe",
        "ikkje noko er ope",
        "ingenting er åpent",
        "ingenting er ope",
        "n/a",
        "ukjent",
        "vet ikke",
        "veit ikkje",
    }
)
# A plan type's hearings when the officer has not said (pbl §§ 4-1, 11-13, 12-8, 12-9).
DEFAULT_HEARINGS = {
    "planprogram": ("planprogram",),
    "kommuneplan": ("planprogram", "planforslag"),
    "reguleringsplan": ("notice_of_start", "planforslag"),
    "regional_plan": ("planprogram", "planforslag"),
    "other_plan": ("planforslag",),
}
# The first schema's child keys, read as age bands.
V1_AGES = {"children": ("6-12",), "youth": ("13-15", "16-19")}


class AnswerError(ValueError):
    """Stored answers that do not fit the schema; ``field`` names the offending answer."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True)
class Stake:
    affected: int = 0
    speaks_up: int = 0


@dataclass(frozen=True)
class Group:
    """A named group of the stakeholder map (or one of the first schema's fixed rows)."""

    name: str
    kind: str
    affected: int = 0
    speaks_up: int = 0
    ages: tuple[str, ...] = ()
    setting: str = ""
    time: str = ""
    minutes: int | None = None

    @property
    def age_bands(self) -> tuple[str, ...]:
        """The ages given, or the ones the kind implies (pupils are 6–19, children 6–12)."""
        if self.ages:
            return self.ages
        return {
            "children": ("6-12",),
            "pupils": ("6-12", "13-15", "16-19"),
            "youth": ("13-15", "16-19"),
            "elderly": ("67-79", "80+"),
        }.get(self.kind, ())

    @property
    def is_partner(self) -> bool:
        return self.kind in PARTNER_KINDS

    @property
    def is_silent(self) -> bool:
        return self.affected >= 2 and self.speaks_up <= 1

    @property
    def is_loud(self) -> bool:
        return self.speaks_up >= 3 and self.affected >= 1


@dataclass(frozen=True)
class Answers:
    purposes: frozenset[str] = frozenset()
    use: str = ""
    stakeholders: Mapping[str, Stake] = field(default_factory=dict)
    groups: tuple[Group, ...] = ()
    silent: str = ""
    weigh_more: str = ""
    know_enough: str = "unsure"
    public_debate: bool = False
    open_phases: tuple[str, ...] = ()
    weeks: int | None = None
    decision_date: dt.date | None = None
    input_weeks: int | None = None
    hearing_start: dt.date | None = None
    hearing_weeks: int | None = None
    when_note: str = ""
    open_text: str = ""
    decided_text: str = ""
    decision_state: str = "open"
    budget: int | None = None
    budget_to_allocate: bool = False
    budget_binding: str = "advisory"
    case_kind: str = "other"
    place_based: bool = False
    wider_plan: bool | None = None
    plan_type: str = ""
    plan_hearings: tuple[str, ...] = ()
    private_proposer: bool = False
    decision_maker: str = "kommune"
    yes_no_question: bool = False
    council_vote: bool = False
    from_initiative: bool = False
    earlier_initiative: bool = False
    residents_run: bool = False
    sensitive: bool = False
    languages: str = ""
    easy_read: bool = False
    resources: str = "medium"
    reflection: Mapping[str, str] = field(default_factory=dict)
    # Who runs the participation (not an answer: the municipality's own kind).
    runner: str = "kommune"

    # --- the stakeholder map, both schemas -------------------------------------------------

    @property
    def all_groups(self) -> tuple[Group, ...]:
        """Named groups plus the first schema's fixed rows, as groups."""
        rows = tuple(
            Group(name="", kind=key, affected=s.affected, speaks_up=s.speaks_up)
            for key, s in self.stakeholders.items()
        )
        return rows + self.groups

    def affected(self, key: str, level: int = 2) -> bool:
        """Is a group of this kind (or of these ages, for children, youth and elderly)
        affected at least at ``level``?"""
        for g in self.all_groups:
            if g.affected < level:
                continue
            if g.kind == key:
                return True
            bands = set(g.age_bands)
            if key == "children" and bands & set(CHILD_BANDS):
                return True
            if key == "youth" and bands & set(YOUTH_BANDS):
                return True
            if key == "elderly" and bands & set(ELDER_BANDS) and g.kind in ("users", "relatives"):
                return True
        return key == "minority_language" and level <= 2 and bool(self.languages.strip())

    @property
    def broad_public(self) -> bool:
        """Residents at large are affected (not only a known group: pupils, users, a club),
        so a representative picture of the population means something."""
        # Neighbours are a known group too: a population poll on where a service goes
        # would only count the neighbours' objections (a NIMBY vote).
        return any(
            g.affected >= 2 and g.kind in ("residents", "day_workers") for g in self.all_groups
        )

    @property
    def service_users(self) -> bool:
        """Users of a service or their relatives are affected (a care home, a day centre)."""
        return any(g.affected >= 2 and g.kind in ("users", "relatives") for g in self.all_groups)

    @property
    def child_ages(self) -> tuple[str, ...]:
        """Age bands of the children and young people the case affects (some or much)."""
        bands: set[str] = set()
        for g in self.all_groups:
            if g.affected >= 2:
                bands |= set(g.age_bands) & set(CHILD_BANDS + YOUTH_BANDS)
        return tuple(b for b in AGE_BANDS if b in bands)

    @property
    def children_affected(self) -> bool:
        return bool(self.child_ages)

    @property
    def target_groups(self) -> tuple[str, ...]:
        """Catalogue groups the case affects (some or much), plus the silent ones."""
        groups = [g for g in MAP_GROUPS if self.affected(g)]
        if self.silent_groups or self.silent.strip():
            groups.append("silent_affected")
        return tuple(groups)

    @property
    def silent_groups(self) -> tuple[Group, ...]:
        """Much or somewhat affected, and unlikely to speak up (partners excepted)."""
        return tuple(g for g in self.all_groups if g.is_silent and not g.is_partner)

    @property
    def silent_adults(self) -> bool:
        """Grown-ups who are affected and silent (children have methods of their own)."""
        young = set(CHILD_BANDS + YOUTH_BANDS)
        for g in self.silent_groups:
            if g.kind in ("children", "pupils", "youth"):
                continue
            if g.ages and set(g.ages) <= young:
                continue
            return True
        return bool(self.silent.strip())

    @property
    def loud_groups(self) -> tuple[Group, ...]:
        return tuple(g for g in self.all_groups if g.is_loud)

    @property
    def silent_keys(self) -> tuple[str, ...]:
        return tuple(_label(g) for g in self.silent_groups)

    @property
    def loud_keys(self) -> tuple[str, ...]:
        return tuple(_label(g) for g in self.loud_groups)

    @property
    def partner_groups(self) -> tuple[Group, ...]:
        """Partners the case involves: affected at all, and either affected some or willing."""
        out = []
        for g in self.all_groups:
            if g.kind in PARTNER_KINDS and g.affected >= 1 and (g.affected >= 2 or g.speaks_up):
                out.append(g)
        return tuple(out)

    @property
    def engaged_partners(self) -> tuple[Group, ...]:
        """Lag, foreninger, frivillige, ildsjeler and næringsliv who will take part."""
        keep = ("associations", "volunteers", "enthusiasts", "business")
        return tuple(
            g for g in self.all_groups if g.kind in keep and g.affected >= 2 and g.speaks_up >= 1
        )

    # --- the room and the time -------------------------------------------------------------

    @property
    def decision_made(self) -> bool:
        return self.decision_state in ("decided", "contracted")

    @property
    def nothing_open(self) -> bool:
        text = " ".join(self.open_text.lower().split()).strip(" .!")
        return text in NOTHING_WORDS

    @property
    def is_plan(self) -> bool:
        return self.case_kind == "pbl_plan"

    @property
    def is_place(self) -> bool:
        return self.place_based or self.case_kind in ("pbl_plan", "building")

    @property
    def touches_wider_plan(self) -> bool:
        if self.wider_plan is None:  # not answered (first schema): the old rule
            return self.case_kind in ("building", "service_change", "budget")
        # A kommuneplan or a regional plan is the whole picture itself.
        return self.wider_plan and self.plan_type not in ("kommuneplan", "regional_plan")

    @property
    def hearings(self) -> tuple[str, ...]:
        if not self.is_plan:
            return ()
        return self.plan_hearings or DEFAULT_HEARINGS.get(self.plan_type, ("planforslag",))

    @property
    def decided_elsewhere(self) -> bool:
        """Someone other than the one running the participation makes the decision."""
        own = ("fylkeskommune",) if self.runner == "fylkeskommune" else KOMMUNE_DECIDERS
        return self.decision_maker not in own or self.decision_maker == "inter_municipal"

    @property
    def adults_affected(self) -> bool:
        """Grown-up residents (not only partners or children) are affected."""
        adult = set(AGE_BANDS) - set(CHILD_BANDS + YOUTH_BANDS)
        for g in self.all_groups:
            if g.affected < 2 or g.is_partner or g.kind in ("staff",):
                continue
            if g.kind in ("children", "pupils", "youth"):
                continue
            if not g.ages or set(g.ages) & adult:
                return True
        return False

    @property
    def power_shared(self) -> bool:
        return self.decision_maker in ("shared", "inter_municipal")

    def weeks_to_decision(self, today: dt.date | None) -> int | None:
        """From the expected decision date when there is one, else the weeks given."""
        if self.decision_date is not None and today is not None:
            days = (self.decision_date - today).days
            return max(0, math.ceil(days / 7))
        return self.weeks

    def input_window(self, today: dt.date | None) -> int | None:
        """How many weeks residents can give input: its own answer, else up to the decision."""
        to_decision = self.weeks_to_decision(today)
        if self.input_weeks is not None:
            return min(self.input_weeks, to_decision) if to_decision else self.input_weeks
        return to_decision


def _label(g: Group) -> str:
    return g.name or g.kind


# --- parsing -----------------------------------------------------------------------------------


def _text(data: Mapping[str, Any], key: str, step: str, limit: int = MAX_TEXT) -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise AnswerError(f"{step}.{key}", "must be text")
    if len(value) > limit:
        raise AnswerError(f"{step}.{key}", "is too long")
    return value.strip()


def _bool(data: Mapping[str, Any], key: str, step: str) -> bool:
    value = data.get(key, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise AnswerError(f"{step}.{key}", "must be true or false")
    return value


def _choice(
    data: Mapping[str, Any], key: str, step: str, choices: tuple[str, ...], default: str
) -> str:
    value = data.get(key, default)
    if value is None:
        value = default
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


def _date(data: Mapping[str, Any], key: str, step: str) -> dt.date | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise AnswerError(f"{step}.{key}", "must be a date (YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise AnswerError(f"{step}.{key}", "must be a date (YYYY-MM-DD)") from exc


def _list(data: Mapping[str, Any], key: str, step: str, choices: tuple[str, ...]) -> list[str]:
    value = data.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AnswerError(f"{step}.{key}", "must be a list")
    if not set(value) <= set(choices):
        raise AnswerError(f"{step}.{key}", f"must be a list from {', '.join(choices)}")
    return value


def _section(raw: Mapping[str, Any], step: str) -> Mapping[str, Any]:
    data = raw.get(step, {})
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise AnswerError(step, "must be an object")
    return data


def _levels(value: Mapping[str, Any], where: str) -> tuple[int, int]:
    levels = [value.get("affected", 0), value.get("speaks_up", 0)]
    if any(not isinstance(v, int) or isinstance(v, bool) or v not in LEVELS for v in levels):
        raise AnswerError(where, "levels must be 0–3")
    return levels[0], levels[1]


def _stakeholders(who: Mapping[str, Any]) -> dict[str, Stake]:
    raw = who.get("stakeholders", {}) or {}
    if not isinstance(raw, Mapping):
        raise AnswerError("who.stakeholders", "must be an object")
    stakes: dict[str, Stake] = {}
    for key, value in raw.items():
        if key not in PARTNERS and key not in MAP_GROUPS:
            raise AnswerError("who.stakeholders", f"unknown stakeholder {key!r}")
        if not isinstance(value, Mapping):
            raise AnswerError(f"who.stakeholders.{key}", "must be an object")
        affected, speaks = _levels(value, f"who.stakeholders.{key}")
        stakes[key] = Stake(affected=affected, speaks_up=speaks)
    return stakes


def _groups(who: Mapping[str, Any]) -> tuple[Group, ...]:
    raw = who.get("groups", []) or []
    if not isinstance(raw, list):
        raise AnswerError("who.groups", "must be a list")
    if len(raw) > MAX_GROUPS:
        raise AnswerError("who.groups", f"at most {MAX_GROUPS} groups")
    out = []
    for n, item in enumerate(raw):
        where = f"who.groups.{n}"
        if not isinstance(item, Mapping):
            raise AnswerError(where, "must be an object")
        name = _text(item, "name", where, MAX_NAME)
        if not name:
            raise AnswerError(f"{where}.name", "is required")
        kind = _choice(item, "kind", where, GROUP_KINDS, "residents")
        affected, speaks = _levels(item, where)
        ages = _list(item, "ages", where, AGE_BANDS)
        out.append(
            Group(
                name=name,
                kind=kind,
                affected=affected,
                speaks_up=speaks,
                ages=tuple(b for b in AGE_BANDS if b in ages),
                setting=_text(item, "setting", where, MAX_SETTING),
                time=_choice(item, "time", where, TIMES, ""),
                minutes=_int(item, "minutes", where, 5, 600),
            )
        )
    return tuple(out)


def parse_answers(raw: Mapping[str, Any], reflection_keys: tuple[str, ...] = ()) -> Answers:
    """Validate stored answers (every step optional: a plan is filled in step by step)."""
    if not isinstance(raw, Mapping):
        raise AnswerError("answers", "must be an object")
    unknown = set(raw) - set(STEPS)
    if unknown:
        raise AnswerError("answers", f"unknown steps {sorted(unknown)}")
    why, who, when = _section(raw, "why"), _section(raw, "who"), _section(raw, "when")
    room, reflect = _section(raw, "room"), _section(raw, "reflect")

    purposes = _list(why, "purposes", "why", PURPOSES)
    phases = _list(when, "open_phases", "when", PHASES)

    case_kind = _choice(room, "case_kind", "room", CASE_KINDS, "other")
    plan_type = _choice(room, "plan_type", "room", ("", *PLAN_TYPES), "")
    decider = _choice(room, "decision_maker", "room", DECIDERS, "kommune")
    if case_kind != "pbl_plan" and plan_type:
        raise AnswerError("room.plan_type", "only a plan case has a plan type")
    if decider == "fylkeskommune" and plan_type in ("kommuneplan", "reguleringsplan"):
        raise AnswerError("room.plan_type", "a county does not adopt this kind of plan")
    hearings = _list(room, "plan_hearings", "room", PLAN_HEARINGS)
    if hearings and case_kind != "pbl_plan":
        raise AnswerError("room.plan_hearings", "only a plan case has plan hearings")
    state = _choice(room, "decision_state", "room", ("", *DECISION_STATES), "")
    if not state:  # the first schema's yes/no
        state = "decided" if _bool(room, "decision_made", "room") else "open"
    wider = room.get("wider_plan")
    if wider is not None and not isinstance(wider, bool):
        raise AnswerError("room.wider_plan", "must be true or false")
    if wider is None and room.get("decision_state"):
        wider = False  # the second schema asks; only the first leaves it to the case kind

    reflection: dict[str, str] = {}
    for key in reflect:
        if reflection_keys and key not in reflection_keys:
            raise AnswerError("reflect", f"unknown question {key!r}")
        reflection[key] = _text(reflect, key, "reflect")

    return Answers(
        purposes=frozenset(purposes),
        use=_text(why, "use", "why"),
        stakeholders=_stakeholders(who),
        groups=_groups(who),
        silent=_text(who, "silent", "who"),
        weigh_more=_text(who, "weigh_more", "who"),
        know_enough=_choice(who, "know_enough", "who", KNOW_ENOUGH, "unsure"),
        public_debate=_bool(who, "public_debate", "who"),
        open_phases=tuple(p for p in PHASES if p in phases),
        weeks=_int(when, "weeks", "when", 1, 260),
        decision_date=_date(when, "decision_date", "when"),
        input_weeks=_int(when, "input_weeks", "when", 1, 104),
        hearing_start=_date(when, "hearing_start", "when"),
        hearing_weeks=_int(when, "hearing_weeks", "when", 1, 52),
        when_note=_text(when, "note", "when"),
        open_text=_text(room, "open", "room"),
        decided_text=_text(room, "decided", "room"),
        decision_state=state,
        budget=_int(room, "budget", "room", 0, 10**12),
        budget_to_allocate=_bool(room, "budget_to_allocate", "room"),
        budget_binding=_choice(room, "budget_binding", "room", BUDGET_BINDING, "advisory"),
        case_kind=case_kind,
        place_based=_bool(room, "place_based", "room"),
        wider_plan=wider,
        plan_type=plan_type,
        plan_hearings=tuple(h for h in PLAN_HEARINGS if h in hearings),
        private_proposer=_bool(room, "private_proposer", "room"),
        decision_maker=decider,
        yes_no_question=_bool(room, "yes_no_question", "room"),
        council_vote=_bool(room, "council_vote", "room"),
        from_initiative=_bool(room, "from_initiative", "room"),
        earlier_initiative=_bool(room, "earlier_initiative", "room"),
        residents_run=_bool(room, "residents_run", "room"),
        sensitive=_bool(room, "sensitive", "room"),
        languages=_text(room, "languages", "room", 300),
        easy_read=_bool(room, "easy_read", "room"),
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
    if not who.get("stakeholders") and not who.get("groups"):
        missing.append("who")
    if not (raw.get("when") or {}).get("open_phases"):
        missing.append("when")
    room = raw.get("room") or {}
    if not str(room.get("open", "")).strip() or not room.get("case_kind"):
        missing.append("room")
    if not any(str(v).strip() for v in (raw.get("reflect") or {}).values()):
        missing.append("reflect")
    return missing
