"""Hvorfor + hvem + når = hvordan: from the answers and the catalogue to a recommendation.

The order: the ceiling; the exclusions; per phase the facts, then what the law and the case
require (through the same exclusions as the rest), then the functions a sound plan covers
(children by age, a representative picture, a workshop early, dialogue, a channel for each
group that is hard to reach, electronic dialogue in plan cases), then scores fill what is
left. Then partners' roles, pitfalls, the legal checklist, warnings and the timeline.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from functools import partial

from ..catalogue import Catalogue, Method
from . import coverage, law, pitfalls, timeline
from .answers import Answers, Group
from .ladder import exclusion, fits_phase, max_rung, phase_rungs
from .output import Flag, Left, PhaseAdvice, Pick, Reason, Recommendation, reason
from .partners import partner_roles
from .scoring import score

# Picks per phase by capacity, besides what the law or the case requires (always in): the
# other functions and the scores stop at this.
MAX_PICKS = {"low": 2, "medium": 3, "high": 5}
MAX_FILL = 2  # picks per phase that get in on score alone
REQUIRED_FUNCTIONS = frozenset({"statutory", "councils", "vote", "budget", "children", "digital"})
KEPT_FUNCTIONS = REQUIRED_FUNCTIONS | {"facts"}  # not counted against the capacity
REACH_GROUPS = ("silent_affected", "minority_language", "elderly", "disabled", "day_workers")
CHANNEL_TRAITS_EXCLUDED = frozenset({"council", "body", "delegated", "formal", "inform"})


class _Builder:
    def __init__(self, a: Answers, catalogue: Catalogue, today: dt.date | None) -> None:
        self.a, self.cat = a, catalogue
        self.cap, self.cap_reasons = max_rung(a)
        self.window = a.input_window(today)
        self.left: dict[str, list[Reason]] = {}
        self.allowed: dict[str, Method] = {}
        for m in catalogue.methods:
            why = exclusion(a, m, self.cap, self.cap_reasons, self.window)
            if why:
                self.left[m.key] = why
            else:
                self.allowed[m.key] = m
        self.picks: dict[str, list[Pick]] = {p: [] for p in a.open_phases}
        self.rungs = {p: phase_rungs(a, p, self.cap) for p in a.open_phases}
        self.used: set[str] = set()
        self.warnings: list[Flag] = []

    def _add(self, m: Method, phase: str, why: list[Reason], function: str, **kw: object) -> Pick:
        points, reasons, cautions = score(self.a, m)
        pick = Pick(
            m.key,
            phase,
            m.rung,
            kw.get("required", True) is True,
            points,
            [*why, *reasons],
            cautions,
            m.medvirk_method,
            function,
            kw.get("law", ()),  # type: ignore[arg-type]
        )
        self.picks[phase].append(pick)
        self.used.add(m.key)
        self.left.pop(m.key, None)
        if why:
            # The rung points at the method rather than repeating its reason (no sentence
            # twice on the page).
            reasons = self.rungs[phase].setdefault(m.rung, [])
            pointer = reason("rung_for_methods", why[0].answer, methods=m.key)
            if not reasons or all(r.code == "rung_for_methods" for r in reasons):
                merged = [r for r in reasons if r.code != "rung_for_methods"]
                keys = [r.values["methods"] for r in reasons if r.code == "rung_for_methods"]
                pointer = reason(
                    "rung_for_methods", why[0].answer, methods=",".join([*keys, m.key])
                )
                self.rungs[phase][m.rung] = [*merged, pointer]
        return pick

    def _full(self, phase: str) -> bool:
        optional = [p for p in self.picks[phase] if p.function not in KEPT_FUNCTIONS]
        return len(optional) >= MAX_PICKS[self.a.resources]

    def in_phase(self, key: str, phase: str) -> bool:
        return any(p.key == key for p in self.picks[phase])

    def fits(self, key: str, phase: str, repeat: bool = False) -> bool:
        m = self.allowed.get(key)
        if m is None or (not fits_phase(self.a, m, phase) and "formal" not in m.traits):
            return False
        return repeat or key not in self.used

    def cover(self, need: coverage.Need) -> Pick | None:
        """Pick one candidate for a need; a candidate already in the phase covers it."""
        if need.phase not in self.picks:
            return None
        for key in need.candidates:
            if self.in_phase(key, need.phase):
                return None
        if need.function not in REQUIRED_FUNCTIONS and self._full(need.phase):
            return None
        options = [k for k in need.candidates if self.fits(k, need.phase, need.repeat)]
        if not need.ordered:
            options.sort(
                key=lambda k: (k not in need.prefer, -score(self.a, self.allowed[k])[0], k)
            )
        if not options:
            if need.function != "round":
                self.warnings.append(
                    Flag(
                        "need_not_met",
                        [need.why, *self._why_not(need.candidates)],
                        {"function": need.function, "phase": need.phase},
                    )
                )
            return None
        method = self.allowed[options[0]]
        why = [need.why]
        if need.ages:
            why += self._settings(
                lambda g: (
                    bool(set(g.age_bands) & set(need.ages))
                    and (not need.school or coverage.at_school(g))
                )
            )
        elif need.key_group:
            why += self._settings(lambda g: g.kind in need.key_group)
        return self._add(method, need.phase, why, need.function, law=need.law)

    def _settings(self, match: Callable[[Group], bool]) -> list[Reason]:
        """Where and when to meet the named groups this pick is for (deck 2: «Hvilken
        setting oppsøker vi dem i?»)."""
        out = []
        for g in self.a.groups:
            if g.affected >= 1 and g.setting and match(g):
                out.append(reason("fit_meet_where", "who.groups", who=g.name, setting=g.setting))
        return out

    def _why_not(self, keys: tuple[str, ...]) -> list[Reason]:
        return [r for k in keys for r in self.left.get(k, [])[:1]]

    def reach(self) -> None:
        """A channel for each hard-to-reach group, in the first input phase that has one."""
        a = self.a
        for group in REACH_GROUPS:
            if group not in a.target_groups:
                continue
            if group == "silent_affected" and not a.silent_adults:
                continue  # silent children are met by the children's methods
            if group in ("elderly", "disabled", "day_workers") and not self._hard(group):
                continue
            if self._reached(group):
                continue
            for phase in coverage.input_phases(a):
                options = [
                    m
                    for k, m in self.allowed.items()
                    if group in m.reaches_well
                    and group not in m.reaches_badly
                    and not m.traits & CHANNEL_TRAITS_EXCLUDED
                    and self.fits(k, phase)
                ]
                if options and not self._full(phase):
                    options.sort(key=lambda m: (-score(a, m)[0], m.key))
                    why = reason("req_reach_group", "who.groups", group=group)
                    settings = self._settings(partial(_is_group, group))
                    self._add(options[0], phase, [why, *settings], "reach")
                    break

    def _hard(self, group: str) -> bool:
        """Elderly, disabled and day workers need their own channel when they are much
        affected or will not speak up."""
        return any(
            g.affected >= 3 or g.is_silent
            for g in self.a.all_groups
            if g.kind == group or (group == "elderly" and g.kind in ("users", "relatives"))
        )

    def _reached(self, group: str) -> bool:
        for picks in self.picks.values():
            for p in picks:
                m = self.cat.method(p.key)
                if group in m.reaches_well and not m.traits & CHANNEL_TRAITS_EXCLUDED:
                    return True
        return False

    def digital(self) -> None:
        """pbl § 5-2: electronic dialogue in every phase of a plan case."""
        if not self.a.is_plan:
            return
        for phase, picks in self.picks.items():
            if any(
                self.cat.method(p.key).format in ("digital", "hybrid") and p.rung >= 2
                for p in picks
            ):
                continue
            options = [
                m
                for k, m in self.allowed.items()
                if m.format in ("digital", "hybrid")
                and m.rung >= 2
                and not m.traits & CHANNEL_TRAITS_EXCLUDED
                and "standing" not in m.traits
                and self.fits(k, phase)
            ]
            if options:
                options.sort(key=lambda m: (-score(self.a, m)[0], m.key))
                why = reason("req_electronic_dialogue", "room.case_kind")
                self._add(options[0], phase, [why], "digital", law=(("pbl", "5-2"),))

    def _same_family(self, m: Method, picks: list[Pick]) -> bool:
        """One of a kind per phase (a second workshop or online debate adds little), and one
        representative sample in the whole plan."""
        mine = _families(m)
        everywhere = [p for ps in self.picks.values() for p in ps]
        if "representative" in mine and any(
            "representative" in _families(self.cat.method(p.key)) for p in everywhere
        ):
            return True
        return any(mine & _families(self.cat.method(p.key)) for p in picks)

    def every_round(self) -> None:
        """Every phase open to input has a way to give it, besides the facts (a second round
        of a method used earlier is fine: a survey on the alternatives after one on needs)."""
        for phase, picks in self.picks.items():
            if any(p.rung >= 2 for p in picks):
                continue
            options = [
                m
                for k, m in self.allowed.items()
                if m.rung >= 2
                and not m.traits & CHANNEL_TRAITS_EXCLUDED
                and fits_phase(self.a, m, phase)
                and not ("representative" in m.traits and not self.a.broad_public)
                and "standing" not in m.traits
            ]
            if options:
                options.sort(key=lambda m: (m.key in self.used, -score(self.a, m)[0], m.key))
                why = reason("req_round_of_input", "when.open_phases")
                self._add(options[0], phase, [why], "round")

    def fill(self) -> None:
        """Scores fill the places left, one outreach method at most per phase."""
        for phase, picks in self.picks.items():
            candidates = []
            for key, m in self.allowed.items():
                if key in self.used or key == "information" or not fits_phase(self.a, m, phase):
                    continue
                if m.rung not in self.rungs[phase]:
                    continue
                if "representative" in m.traits and not self.a.broad_public:
                    continue  # a population sample says little about a known group
                points, _r, _c = score(self.a, m)
                if points >= 3:
                    candidates.append((points, m))
            candidates.sort(key=lambda c: (-c[0], c[1].rung, c[1].key))
            added, outreach = 0, any("outreach" in self.cat.method(p.key).traits for p in picks)
            for _points, m in candidates:
                if self._full(phase) or added >= MAX_FILL:
                    break
                if self._same_family(m, picks):
                    continue
                if "outreach" in m.traits or "popup" in m.traits:
                    if outreach:
                        continue
                    outreach = True
                self._add(m, phase, [], "score", required=False)
                added += 1


def recommend(
    answers: Answers, catalogue: Catalogue, today: dt.date | None = None
) -> Recommendation:
    a = answers
    if not a.open_phases:
        phases = ("follow_up",) if a.decision_made else ("investigation",)
        a = dataclasses.replace(a, open_phases=phases)
    b = _Builder(a, catalogue, today)

    info = catalogue.method("information")
    for phase in a.open_phases:
        why = [reason("req_inform_every_phase", "why.purposes")]
        if a.languages:
            why.append(reason("req_translate", "room.languages", languages=a.languages))
        if a.easy_read:
            why.append(reason("req_easy_read", "room.easy_read"))
        b._add(info, phase, why, "facts", law=(("kl", "4-1"),))
        b.used.discard("information")
    for need in coverage.statutory(a):
        b.cover(need)
    for need in coverage.children(a, b.window):
        b.cover(need)
    for need in coverage.ownership(a):
        b.cover(need)
    for need in coverage.functions(a, b.cap):
        b.cover(need)
    b.reach()
    b.digital()
    b.every_round()
    b.fill()

    advice = []
    for phase in a.open_phases:
        picks = b.picks[phase]
        present = sorted({p.rung for p in picks})
        rung_reasons = {r: _unique(b.rungs[phase].get(r, [])) for r in present}
        advice.append(PhaseAdvice(phase, present, rung_reasons, picks))
    for m in catalogue.methods:
        if m.key not in b.used and m.key not in b.left and m.key != "information":
            b.left[m.key] = [reason("left_lower_score", "catalogue")]
    rec = Recommendation(
        max_rung=b.cap,
        max_rung_reasons=b.cap_reasons,
        phases=advice,
        left_out=[Left(k, v) for k, v in b.left.items()],
        pitfalls=[],
        legal=[],
        timeline=[],
        warnings=b.warnings,
        weeks_to_decision=a.weeks_to_decision(today),
    )
    rec.partners = partner_roles(a, rec)
    rec.pitfalls = pitfalls.pitfalls(a, rec)
    rec.legal = law.checklist(a, rec)
    rec.timeline, late = timeline.timeline(a, rec, catalogue, today)
    rec.warnings = [*law.warnings(a, rec, today), *rec.warnings, *late]
    return rec


def _is_group(group: str, g: Group) -> bool:
    return g.kind == group or (group == "silent_affected" and g.is_silent)


def _families(m: Method) -> set[str]:
    out = {
        t for t in ("representative", "workshop", "vote", "body", "child_friendly") if t in m.traits
    }
    if "popup" in m.traits:  # stikkprøver are a sample too
        out.add("representative")
    if "deliberative" in m.traits and "online" in m.traits:
        out.add("online_dialogue")
    return out


def _unique(reasons: list[Reason]) -> list[Reason]:
    seen: list[Reason] = []
    for r in reasons:
        if r not in seen:
            seen.append(r)
    return seen
