"""Realistic participation cases, as data, and what a participation adviser insists on.

Written from the two seed decks (the ladder «Deltakelsestrappa» and its examples, «Hvorfor +
hvem + når = hvordan», «Snubletråder», «Hva er samskaping?», the Lillevik case, the reflection
questions, «involver på deltakernes premisser», the Grorud stikkprøver), ``NORWAY.md`` and
Norwegian practice. Each case expects only what a competent medverknadsrådgjevar would insist
on, with the reason in a comment; it does not guess at scores. ``test_scenarios.py`` runs them.

Function sets (``any_of``) say "one of these must be there" so the cases do not over-specify.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    source: str
    answers: dict[str, Any]
    today: str
    # {phase: {method keys that must be picked in that phase}}
    expect: Mapping[str, AbstractSet[str]] = field(default_factory=dict)
    # {phase: [{keys}, ...]}: at least one key of each set is picked in that phase
    any_of: Mapping[str, Sequence[AbstractSet[str]]] = field(default_factory=dict)
    # [(keys, phases), ...]: at least one of the keys is picked in at least one of the phases
    # (a function whose phase an adviser would not fix, e.g. the planforslag's høring).
    any_of_in: Sequence[tuple[AbstractSet[str], AbstractSet[str]]] = ()
    absent: AbstractSet[str] = frozenset()
    absent_in: Mapping[str, AbstractSet[str]] = field(default_factory=dict)
    pitfalls: AbstractSet[str] = frozenset()
    no_pitfalls: AbstractSet[str] = frozenset()
    legal: AbstractSet[str] = frozenset()
    no_legal: AbstractSet[str] = frozenset()
    warnings: AbstractSet[str] = frozenset()
    no_warnings: AbstractSet[str] = frozenset()
    max_rung: int | None = None
    max_rung_at_most: int | None = None
    partners: AbstractSet[str] = frozenset()
    timeline_within_decision: bool = False


def group(
    name: str,
    kind: str,
    affected: int,
    speaks_up: int,
    ages: Sequence[str] = (),
    setting: str = "",
    time: str = "",
    minutes: int | None = None,
) -> dict[str, Any]:
    """A named group of the who step (schema v2)."""
    return {
        "name": name,
        "kind": kind,
        "affected": affected,
        "speaks_up": speaks_up,
        "ages": list(ages),
        "setting": setting,
        "time": time,
        "minutes": minutes,
    }


PHASES = ("investigation", "alternatives", "decision", "follow_up")
ADULTS = ("20-66",)
OLD = ("67-79", "80+")

# --- functions a phase may need (any one of the set will do) -----------------------------------

# "Hvem er representativ?" (snubletråd) and "Vet vi nok om hva innbyggerne tenker?": a picture
# of the many, not only of those who come to meetings. Grorud: stikkprøver i nærmiljøet.
PICTURE = frozenset({"survey", "residents_panel", "street_sampling", "opinion_poll"})
# "Snakke med": a workshop while the case is still open (fremtidsverksted, plansmie).
WORKSHOP = frozenset({"future_workshop", "plan_workshop"})
# "Skal du treffe innbyggerne må du bevege deg ut av de tradisjonelle politiske arenaene."
OUTREACH = frozenset({"street_sampling", "hosted_conversation", "mayors_bench"})
# Pupils 6–12 take part themselves (RPR barn og unge; Grunnloven § 104): Barnetråkk or a class.
PUPILS = frozenset({"barnetrakk", "class_session"})
# Young people 13–19 where they are: a class, the ungdomsråd, their own channels.
YOUTH = frozenset(
    {"class_session", "statutory_councils", "youth_council_assembly", "social_media_agenda"}
)
# Two-way talk before people are asked to choose ("Dialog er toveiskommunikasjon!").
DIALOGUE = frozenset(
    {
        "future_workshop",
        "plan_workshop",
        "democracy_cafe",
        "hosted_conversation",
        "mayors_bench",
        "e_democracy",
        "opinion_map",
    }
)
# pbl § 5-2: electronic dialogue in every phase of a plan case (a høring in Medvirk takes
# submissions online, and the panel answers online).
ONLINE_INPUT = frozenset(
    {
        "e_democracy",
        "map_pins",
        "survey",
        "opinion_map",
        "idea_board",
        "hearing",
        "residents_panel",
    }
)
# The planforslag is heard after the utgreiing, before the vedtak (pbl §§ 5-2, 11-14, 12-10),
# in whichever of the later phases the plan puts it.
PLANFORSLAG_HEARD = (
    (frozenset({"hearing"}), frozenset({"alternatives", "decision"})),
    (frozenset({"public_inspection"}), frozenset({"alternatives", "decision"})),
)
# Input from adults about places, on a map or around a map.
PLACE_INPUT = frozenset({"map_pins", "plan_workshop"})
# Everything that asks, talks or hands over power: wrong once a project is contracted.
NOT_AFTER_CONTRACT = frozenset(
    {
        "opinion_poll",
        "residents_panel",
        "survey",
        "plan_workshop",
        "future_workshop",
        "democracy_cafe",
        "e_democracy",
        "opinion_map",
        "idea_board",
        "barnetrakk",
        "co_creation",
        "participatory_budgeting",
        "advisory_referendum",
        "youth_council_assembly",
        "committees",
        "institution_board",
        "hearing",
        "public_inspection",
    }
)


CASES: tuple[Case, ...] = (
    # 1 ------------------------------------------------------------------------------------------
    Case(
        id="lillevik_skule",
        title="Lillevik skule: rehabilitere, byggje nytt eller leggje ned?",
        source="Lysbilete «Case» (Lillevik); «Snubletråder»; Grunnloven § 104; opplæringslova",
        today="2027-02-01",
        answers={
            "why": {
                "purposes": ["learning", "anchoring"],
                "use": "Innspela går inn i saksutgreiinga før kommunestyret vel alternativ.",
            },
            "who": {
                "groups": [
                    group(
                        "Elevrådet ved Lillevik skule",
                        "pupils",
                        3,
                        2,
                        ("6-12",),
                        "elevrådsmøte i skuletida",
                        "school_hours",
                        45,
                    ),
                    group(
                        "Elevane på 1.–7. trinn",
                        "pupils",
                        3,
                        1,
                        ("6-12",),
                        "i klasserommet",
                        "school_hours",
                        45,
                    ),
                    group(
                        "FAU ved Lillevik skule",
                        "parents",
                        3,
                        3,
                        ADULTS,
                        "foreldremøte på skulen",
                        "evening",
                        90,
                    ),
                    group(
                        "Foreldre til barnehageborn i skulekrinsen",
                        "parents",
                        3,
                        1,
                        ADULTS,
                        "ved henting i barnehagen",
                        "daytime",
                        10,
                    ),
                    group(
                        "Lærarar og tilsette ved skulen",
                        "staff",
                        3,
                        2,
                        ADULTS,
                        "personalmøte",
                        "daytime",
                        60,
                    ),
                    group(
                        "Bygdefolk i Lillevik",
                        "residents",
                        2,
                        2,
                        (*ADULTS, "67-79"),
                        "butikken og grendahuset",
                        "evening",
                        30,
                    ),
                    group(
                        "Idrettslaget som brukar gymsalen",
                        "associations",
                        2,
                        2,
                        ADULTS,
                        "",
                        "evening",
                        60,
                    ),
                ],
                "silent": "Foreldre til born som skal byrje på skulen, og elevar utanfor "
                "elevrådet.",
                "weigh_more": "Elevane, som skal gå på skulen i mange år framover.",
                "know_enough": "no",
                "public_debate": True,
            },
            "when": {
                "open_phases": ["investigation", "alternatives", "decision"],
                "decision_date": "2027-10-28",
                "input_weeks": 16,
            },
            "room": {
                "open": "Kva alternativ kommunestyret vel: rehabilitere, byggje nytt eller slå "
                "skulen saman med Sentrum skule.",
                "decided": "Bygget kan ikkje brukast slik det er etter 2029. Kommunestyret tek "
                "avgjerda.",
                "decision_state": "open",
                "case_kind": "building",
                "place_based": True,
                "wider_plan": True,
                "decision_maker": "kommune",
                "resources": "medium",
            },
            "reflect": {
                "setting": "Elevane i skuletida, foreldra på kveldstid, ikkje berre i "
                "kommunestyresalen.",
                "room": "Alle tre alternativa er opne; økonomiplanen set ramma.",
            },
        },
        # Informere in every phase: kl § 4-1 and the bottom step of the ladder.
        expect={
            "investigation": {"information"},
            "alternatives": {"information"},
            "decision": {"information"},
        },
        any_of={
            "investigation": [
                PUPILS,  # the pupils are the most affected (Grunnloven § 104)
                PICTURE,  # loud paper and social media, and we do not know enough
                WORKSHOP,  # all options open: talk early, in utgreiinga
            ]
        },
        # No pot, no council vote, not a pbl plan, nothing decided to carry out; the kommune does
        # not recommend an innbyggerforslag.
        absent={
            "participatory_budgeting",
            "advisory_referendum",
            "public_inspection",
            "citizens_initiative",
            "question_channel",
        },
        # A loud FAU and local paper meet pupils and future parents who do not speak up; one
        # school decided without the skulebruksplan/økonomiplan (helheten).
        pitfalls={
            "committed_minority",
            "resourceful_activists",
            "representativeness",
            "single_issue",
        },
        legal={"information_duty", "children_heard", "submissions_are_documents", "special_laws"},
        no_legal={
            "pbl_participation",
            "hearing_six_weeks",
            "planprogram_hearing",
            "notice_of_start",
            "private_proposal",
            "childrens_representative",
            "advisory_referendum",
            "citizen_initiative",
        },
        no_warnings={"nothing_open", "decided_empty", "too_little_time", "past_decision"},
        timeline_within_decision=True,
    ),
    # 2 ------------------------------------------------------------------------------------------
    Case(
        id="kommuneplan_arealdel",
        title="Kommuneplanens arealdel 2028–2040 for Fjordvik",
        source="pbl §§ 3-3, 4-1, 5-1, 5-2, 11-13, 11-14; kl § 5-12; RPR barn og unge; Barnetråkk",
        today="2027-01-11",
        answers={
            "why": {
                "purposes": ["learning", "anchoring"],
                "use": "Innspela blir vurderte i planarbeidet og omtalte i planomtalen.",
            },
            "who": {
                "groups": [
                    group(
                        "Innbyggjarar i heile kommunen",
                        "residents",
                        2,
                        2,
                        (*ADULTS, "67-79"),
                        "",
                        "evening",
                        30,
                    ),
                    group(
                        "Born på mellomtrinnet",
                        "pupils",
                        2,
                        0,
                        ("6-12",),
                        "i skuletida",
                        "school_hours",
                        90,
                    ),
                    group(
                        "Ungdom på ungdomsskulen",
                        "youth",
                        2,
                        1,
                        ("13-15",),
                        "i skuletida",
                        "school_hours",
                        45,
                    ),
                    group(
                        "Eldre som bur i bygdene",
                        "elderly",
                        2,
                        1,
                        OLD,
                        "eldretreff og bygdehus",
                        "daytime",
                        30,
                    ),
                    group(
                        "Pendlarar som arbeider i nabokommunen",
                        "day_workers",
                        2,
                        0,
                        ADULTS,
                        "på nett om kvelden",
                        "evening",
                        10,
                    ),
                    group("Hytteeigarar", "residents", 1, 2, ADULTS, "", "weekend", 20),
                    group("Næringslivet og grunneigarar", "business", 3, 3, ADULTS),
                    group(
                        "Idrettsråd, velforeiningar og friluftslag",
                        "associations",
                        2,
                        2,
                        ADULTS,
                        "",
                        "evening",
                        90,
                    ),
                    group(
                        "Statsforvaltaren, fylkeskommunen og Statens vegvesen",
                        "regional",
                        2,
                        3,
                    ),
                ],
                "silent": "Born, ungdom og pendlarar som sjeldan kjem på folkemøte.",
                "know_enough": "no",
            },
            "when": {
                "open_phases": ["investigation", "alternatives", "decision"],
                "decision_date": "2028-06-15",
                "hearing_start": "2027-03-01",
                "hearing_weeks": 6,
            },
            "room": {
                "open": "Kvar det skal byggjast bustader, næring og hytter, og kva område som "
                "skal takast vare på for friluftsliv, landbruk og born.",
                "decided": "Nasjonale og regionale føringar og statlege planretningsliner.",
                "decision_state": "open",
                "case_kind": "pbl_plan",
                "plan_type": "kommuneplan",
                "plan_hearings": ["planprogram", "planforslag"],
                "decision_maker": "kommune",
                "place_based": True,
                "wider_plan": True,
                "resources": "medium",
            },
        },
        # The planprogram is heard at the start (pbl § 4-1), the planforslag before the vedtak
        # (pbl § 11-14); the councils get the case early (kl § 5-12); Barnetråkk is the
        # national tool for children's use of areas in the arealdel.
        expect={
            "investigation": {
                "information",
                "hearing",
                "public_inspection",
                "statutory_councils",
                "barnetrakk",
            },
            "alternatives": {"information"},
            "decision": {"information"},
        },
        any_of_in=PLANFORSLAG_HEARD,
        any_of={
            "investigation": [PICTURE, WORKSHOP],
            "alternatives": [ONLINE_INPUT],  # pbl § 5-2: electronic dialogue in every phase
        },
        absent={
            "participatory_budgeting",
            "advisory_referendum",
            "citizens_initiative",
            "question_channel",
            "kindergarten_session",  # no 0–5 group named
        },
        pitfalls={"time_horizon", "resourceful_activists", "representativeness"},
        no_pitfalls={"single_issue"},  # the arealdel IS the whole picture
        legal={
            "information_duty",
            "pbl_participation",
            "electronic_dialogue",
            "children_in_planning",
            "childrens_representative",
            "hearing_six_weeks",
            "planprogram_hearing",
            "councils_early",
            "submissions_are_documents",
            "children_heard",
            "special_laws",
        },
        no_legal={
            "private_proposal",
            "notice_of_start",
            "advisory_referendum",
            "citizen_initiative",
        },
        no_warnings={
            "hearing_too_short",
            "too_little_time",
            "past_decision",
            "nothing_open",
            "decided_empty",
        },
        partners={"business", "associations", "regional"},
        timeline_within_decision=True,
    ),
    # 3 ------------------------------------------------------------------------------------------
    Case(
        id="reguleringsplan_privat",
        title="Detaljregulering for Sjøgata 12 – privat planforslag",
        source="pbl §§ 5-1 (den som fremmer planforslag), 12-3, 12-8, 12-10, 3-3",
        today="2027-03-01",
        answers={
            "why": {"purposes": ["learning"], "use": "Til planomtalen og merknadsskjemaet."},
            "who": {
                "groups": [
                    group("Sjøgata Eigedom AS (forslagsstillar)", "developer", 3, 3, ADULTS),
                    group(
                        "Naboar i Sjøgata og Strandvegen",
                        "neighbours",
                        3,
                        3,
                        (*ADULTS, "67-79"),
                        "nabomøte",
                        "evening",
                        60,
                    ),
                    group(
                        "Born som brukar ballbingen og skulevegen",
                        "children",
                        3,
                        0,
                        ("6-12",),
                        "på Strand skule",
                        "school_hours",
                        45,
                    ),
                    group("Burettslaget Strandparken", "associations", 2, 2, ADULTS),
                    group("Statens vegvesen og fylkeskommunen", "regional", 1, 2),
                ],
                "silent": "Borna som mistar ballbingen og må gå ny skuleveg.",
                "know_enough": "unsure",
            },
            "when": {
                "open_phases": ["investigation", "alternatives", "decision"],
                "decision_date": "2027-12-09",
                "hearing_weeks": 6,
            },
            "room": {
                "open": "Plassering og høgder på bygga, leikeareal og trafikkløysing.",
                "decided": "Tomta er sett av til bustader i kommuneplanen.",
                "decision_state": "partly",
                "case_kind": "pbl_plan",
                "plan_type": "reguleringsplan",
                "plan_hearings": ["notice_of_start", "planforslag"],
                "private_proposer": True,
                "decision_maker": "kommune",
                "place_based": True,
            },
        },
        expect={
            "investigation": {"information"},
            "decision": {"information"},
        },
        any_of_in=PLANFORSLAG_HEARD,  # pbl § 12-10
        any_of={"investigation": [PUPILS]},  # children's routes and play areas (RPR, § 5-1)
        # A private proposal is not samskaping ("sender nesten ferdige løsninger på høring");
        # residents do not get the wheel over a private plan.
        absent={
            "participatory_budgeting",
            "advisory_referendum",
            "co_creation",
            "citizens_initiative",
            "committees",
            "institution_board",
            "question_channel",
        },
        pitfalls={"committed_minority", "resourceful_activists"},
        legal={
            "pbl_participation",
            "electronic_dialogue",
            "notice_of_start",
            "private_proposal",
            "hearing_six_weeks",
            "children_in_planning",
            "childrens_representative",
            "children_heard",
            "submissions_are_documents",
        },
        no_legal={"planprogram_hearing", "advisory_referendum", "citizen_initiative"},
        no_warnings={"hearing_too_short", "past_decision"},
        partners={"developer"},  # pbl § 5-1: the proposer facilitates participation
        timeline_within_decision=True,
    ),
    # 4 ------------------------------------------------------------------------------------------
    Case(
        id="ungdomsbudsjett_bindande",
        title="Ungdomsbudsjettet 2028: ungdommen fordeler 1,5 millionar (bindande)",
        source="Deltakelsestrappa: «Hånda på rattet» (deltakende budsjettering); kl § 5-14",
        today="2027-01-18",
        answers={
            "why": {
                "purposes": ["anchoring"],
                "use": "Avstemminga avgjer kva tiltak som får pengar; vedtaket er delegert.",
            },
            "who": {
                "groups": [
                    group(
                        "Ungdom 13–15 år",
                        "youth",
                        3,
                        1,
                        ("13-15",),
                        "på ungdomsskulen",
                        "school_hours",
                        45,
                    ),
                    group(
                        "Ungdom 16–19 år",
                        "youth",
                        3,
                        1,
                        ("16-19",),
                        "vidaregåande skule og ungdomsklubben",
                        "evening",
                        30,
                    ),
                    group("Ungdomsklubbar og idrettslag", "associations", 2, 3, ADULTS),
                    group("Foreldre", "parents", 1, 2, ADULTS),
                ],
                "know_enough": "unsure",
            },
            "when": {
                "open_phases": ["investigation", "decision", "follow_up"],
                "decision_date": "2027-06-10",
            },
            "room": {
                "open": "Kva tiltak for ungdom dei 1,5 millionane skal gå til.",
                "decided": "Summen, og at tiltaka skal vere for ungdom 13–19 år og ferdige i 2028.",
                "decision_state": "open",
                "case_kind": "budget",
                "budget": 1_500_000,
                "budget_to_allocate": True,
                "budget_binding": "binding",
                "decision_maker": "kommune",
                "resources": "high",
            },
        },
        expect={
            "investigation": {"information", "statutory_councils"},  # ungdomsrådet, kl § 5-12
            "decision": {"information", "participatory_budgeting"},  # the vote is the decision
        },
        # Young people bring the ideas themselves, where they are.
        any_of={
            "investigation": [
                {"idea_board", "class_session", "social_media_agenda", "youth_council_assembly"}
            ]
        },
        # The young decide here: an adult population panel is not their channel.
        absent={
            "advisory_referendum",
            "public_inspection",
            "kindergarten_session",
            "residents_panel",
        },
        pitfalls={"diffused_responsibility", "representativeness"},
        legal={
            "delegation_rules",  # a binding vote needs a clear delegation (kl § 5-14)
            "councils_early",
            "children_heard",
            "submissions_are_documents",
            "information_duty",
        },
        no_legal={"advisory_referendum", "pbl_participation"},
        max_rung=5,
        timeline_within_decision=True,
    ),
    # 5 ------------------------------------------------------------------------------------------
    Case(
        id="naermiljomidlar_radgjevande",
        title="Nærmiljømidlar Austbyen: 800 000 kroner, rådgjevande avstemming",
        source="Deltakelsestrappa: deltakende budsjettering; kl § 5-12; Grunnloven § 104",
        today="2027-03-15",
        answers={
            "why": {
                "purposes": ["anchoring", "learning"],
                "use": "Resultatet følgjer budsjettsaka; kommunestyret gjer endeleg vedtak.",
            },
            "who": {
                "groups": [
                    group("Bebuarar i Austbyen", "residents", 3, 2, ADULTS, "", "evening", 20),
                    group(
                        "Eldre på Austbyen omsorgssenter",
                        "elderly",
                        2,
                        0,
                        ("80+",),
                        "på omsorgssenteret",
                        "daytime",
                        30,
                    ),
                    group(
                        "Born på Austbyen skule",
                        "pupils",
                        2,
                        0,
                        ("6-12",),
                        "i klassen",
                        "school_hours",
                        45,
                    ),
                    group("Velforeininga", "associations", 2, 3, ADULTS),
                    group("Butikkane på torget", "business", 1, 2, ADULTS),
                ],
                "silent": "Dei eldre på omsorgssenteret og borna.",
            },
            "when": {
                "open_phases": ["investigation", "alternatives"],
                "decision_date": "2027-11-25",
            },
            "room": {
                "open": "Kva nærmiljøtiltak dei 800 000 kronene skal brukast på.",
                "decided": "Summen; avstemminga er rådgjevande, og kommunestyret vedtek "
                "budsjettet.",
                "decision_state": "open",
                "case_kind": "budget",
                "budget": 800_000,
                "budget_to_allocate": True,
                "budget_binding": "advisory",
                "place_based": True,
                "wider_plan": True,
                "decision_maker": "kommune",
            },
        },
        expect={
            "investigation": {"information", "statutory_councils"},
            "alternatives": {"information", "participatory_budgeting"},
        },
        any_of={"investigation": [PUPILS, OUTREACH | {"user_dialogue"}]},
        absent={"advisory_referendum", "public_inspection"},
        pitfalls={"representativeness"},
        legal={"councils_early", "children_heard", "submissions_are_documents"},
        # Advisory: the council keeps the decision, so no delegation is needed.
        no_legal={"delegation_rules", "advisory_referendum"},
        max_rung=5,
        timeline_within_decision=True,
    ),
    # 6 ------------------------------------------------------------------------------------------
    Case(
        id="arsbudsjett_utan_pott",
        title="Årsbudsjett 2028 og økonomiplan 2028–2031: kvar skal vi spare?",
        source="«Snubletråder» (engasjert mindretall); «Hva er samskaping?» (ikkje for å spare); "
        "kl § 5-12",
        today="2027-09-06",
        answers={
            "why": {
                "purposes": ["information", "learning"],
                "use": "Kommunedirektøren tek innspela med i budsjettframlegget.",
            },
            "who": {
                "groups": [
                    group("Innbyggjarane", "residents", 2, 1, (*ADULTS, *OLD)),
                    group("Tilsette i kommunen", "staff", 3, 3, ADULTS),
                    group("Lag og foreiningar med kommunalt tilskot", "associations", 3, 3),
                    group(
                        "Eldre med heimetenester",
                        "elderly",
                        2,
                        1,
                        OLD,
                        "heime",
                        "daytime",
                        20,
                    ),
                    group("Personar med funksjonsnedsetting", "disabled", 2, 1, ADULTS),
                    group("Ungdom", "youth", 2, 0, ("13-15", "16-19")),
                ],
                "silent": "Ungdom og brukarar av tenestene som ikkje er organiserte.",
                "know_enough": "no",
            },
            "when": {
                "open_phases": ["alternatives", "decision"],
                "decision_date": "2027-12-16",
                "input_weeks": 6,
            },
            "room": {
                "open": "Kva tenester som skal prioriterast når kommunen må spare 25 millionar.",
                "decided": "Innsparingskravet på 25 millionar og dei lovpålagde tenestene.",
                "decision_state": "partly",
                "case_kind": "budget",
                "budget": 1_200_000_000,
                "budget_to_allocate": False,
                "decision_maker": "kommune",
            },
        },
        expect={
            "alternatives": {"information", "statutory_councils"},  # the budget goes to all three
            "decision": {"information"},
        },
        any_of={"alternatives": [PICTURE]},  # know too little; organised voices are loud
        # No pot, no vote; "flytter oppgaver fra det offentlige til det private for å spare" is
        # not samskaping.
        absent={
            "participatory_budgeting",
            "advisory_referendum",
            "public_inspection",
            "committees",
            "institution_board",
            "co_creation",
        },
        pitfalls={"committed_minority", "resourceful_activists"},
        legal={"information_duty", "councils_early", "submissions_are_documents", "children_heard"},
        no_legal={
            "delegation_rules",
            "advisory_referendum",
            "pbl_participation",
            "hearing_six_weeks",
        },
        timeline_within_decision=True,
    ),
    # 7 ------------------------------------------------------------------------------------------
    Case(
        id="ungdomshuset",
        title="Ungdomshuset i den gamle brannstasjonen – drive saman med ungdommen",
        source="Deltakelsestrappa: «Hånda på rattet» (styre for institusjon); kl §§ 5-2, 5-12, "
        "5-14; «Uten fremtidsverkstedet …»",
        today="2027-02-15",
        answers={
            "why": {
                "purposes": ["anchoring", "learning"],
                "use": "Ungdommen utformar huset og er med i styret når det opnar.",
            },
            "who": {
                "groups": [
                    group(
                        "Ungdom 13–15 år",
                        "youth",
                        3,
                        1,
                        ("13-15",),
                        "på ungdomsskulen og i ungdomsklubben",
                        "evening",
                        60,
                    ),
                    group(
                        "Ungdom 16–19 år",
                        "youth",
                        3,
                        2,
                        ("16-19",),
                        "vidaregåande skule og sosiale medium",
                        "evening",
                        60,
                    ),
                    group("Frivillige vaksne i ungdomsklubben", "volunteers", 2, 2, ADULTS),
                    group("Kulturskulen og idrettslaget", "associations", 2, 2, ADULTS),
                    group("Naboar til brannstasjonen", "neighbours", 2, 2, ADULTS, "", "evening"),
                    group("Tilsette i ungdomstenesta", "staff", 2, 2, ADULTS),
                ],
                "know_enough": "unsure",
            },
            "when": {
                "open_phases": ["investigation", "alternatives", "follow_up"],
                "decision_date": "2027-11-04",
            },
            "room": {
                "open": "Kva huset skal innehalde, opningstider, reglar og korleis det skal "
                "drivast.",
                "decided": "Huset kjem i den gamle brannstasjonen; 4 millionar er sette av til "
                "ombygginga.",
                "decision_state": "partly",
                "case_kind": "building",
                "place_based": True,
                "residents_run": True,
                "decision_maker": "kommune",
                "resources": "high",
            },
        },
        expect={
            "investigation": {"information", "statutory_councils"},  # ungdomsrådet early
            "follow_up": {"information", "institution_board"},  # the young users on the board
        },
        any_of={"investigation": [WORKSHOP, YOUTH]},
        absent={
            "participatory_budgeting",
            "advisory_referendum",
            "public_inspection",
            "kindergarten_session",
            "question_channel",
        },
        pitfalls={"diffused_responsibility"},
        legal={"delegated_bodies", "delegation_rules", "councils_early", "children_heard"},
        partners={"volunteers", "associations"},
        max_rung=5,
        timeline_within_decision=True,
    ),
    # 8 ------------------------------------------------------------------------------------------
    Case(
        id="fylkesveg_skuleveg",
        title="Trygg skuleveg langs fv. 5234 og E39 i Nordbygda",
        source="Barnetråkk (skolevegen); «Snubletråder» (ansvarspulverisering); veglova; "
        "Grunnloven § 104",
        today="2027-04-05",
        answers={
            "why": {
                "purposes": ["learning"],
                "use": "Fråsegn frå kommunen til fylkeskommunen og Statens vegvesen.",
            },
            "who": {
                "groups": [
                    group(
                        "Elevar ved Nordbygda skule",
                        "pupils",
                        3,
                        0,
                        ("6-12",),
                        "i klassen",
                        "school_hours",
                        90,
                    ),
                    group(
                        "Ungdom som syklar til ungdomsskulen",
                        "youth",
                        3,
                        1,
                        ("13-15",),
                        "på skulen",
                        "school_hours",
                        45,
                    ),
                    group("Foreldre i Nordbygda", "parents", 3, 3, ADULTS, "", "evening", 60),
                    group("Gardbrukarar langs vegen", "business", 1, 2, ADULTS),
                    group("Fylkeskommunen (vegeigar for fylkesvegen)", "regional", 3, 2),
                    group("Statens vegvesen (E39)", "regional", 2, 3),
                    group("Pendlarar", "day_workers", 2, 0, ADULTS),
                ],
                "silent": "Elevane som går og syklar langs vegen kvar dag.",
            },
            "when": {
                "open_phases": ["investigation", "alternatives"],
                "weeks": 16,
                "input_weeks": 8,
            },
            "room": {
                "open": "Kvar tiltak trengst mest, og kva slags tiltak elevane og foreldra "
                "ønskjer.",
                "decided": "Fylkeskommunen avgjer tiltak på fylkesvegen, Statens vegvesen på E39; "
                "kommunen gir innspel.",
                "decision_state": "open",
                "case_kind": "other",
                "place_based": True,
                "wider_plan": True,
                "decision_maker": "shared",
            },
        },
        expect={
            "investigation": {"information", "barnetrakk", "statutory_councils"},
            "alternatives": {"information"},
        },
        absent={
            "public_inspection",
            "participatory_budgeting",
            "advisory_referendum",
            "committees",
            "institution_board",
        },
        pitfalls={"diffused_responsibility"},  # split remit: who answers for the road?
        legal={"information_duty", "children_heard", "special_laws", "councils_early"},
        no_legal={"pbl_participation", "hearing_six_weeks", "childrens_representative"},
        partners={"regional"},
        # Neither the kommune nor residents decide the road: no hand on the wheel.
        max_rung_at_most=4,
        timeline_within_decision=True,
    ),
    # 9 ------------------------------------------------------------------------------------------
    Case(
        id="bussrute_dalsbygda",
        title="Ny rutestruktur for bussen i Dalsbygda (fylkeskommunen avgjer)",
        source="Grorud: stikkprøver i nærmiljøet; «involver på deltakernes premisser»; "
        "kl § 5-12; yrkestransportlova",
        today="2027-05-03",
        answers={
            "why": {
                "purposes": ["learning"],
                "use": "Kommunen si fråsegn til fylkeskommunen om dei tre rutealternativa.",
            },
            "who": {
                "groups": [
                    group(
                        "Pendlarar",
                        "day_workers",
                        3,
                        1,
                        ADULTS,
                        "på busshaldeplassen om morgonen",
                        "",
                        5,
                    ),
                    group(
                        "Eldre utan bil",
                        "elderly",
                        3,
                        0,
                        OLD,
                        "på senteret og ved legekontoret",
                        "daytime",
                        15,
                    ),
                    group(
                        "Elevar på vidaregåande",
                        "pupils",
                        3,
                        1,
                        ("16-19",),
                        "på skulen",
                        "school_hours",
                        20,
                    ),
                    group(
                        "Ungdomsskuleelevar",
                        "pupils",
                        2,
                        0,
                        ("13-15",),
                        "på skulen",
                        "school_hours",
                        20,
                    ),
                    group("Personar med funksjonsnedsetting", "disabled", 2, 1, ADULTS),
                    group("Fylkeskommunen og kollektivselskapet", "regional", 3, 2),
                ],
                "silent": "Eldre utan bil og ungdom som ikkje les kommunen sine nettsider.",
                "know_enough": "no",
            },
            "when": {
                "open_phases": ["alternatives"],
                "decision_date": "2027-06-28",
                "input_weeks": 4,
            },
            "room": {
                "open": "Kva kommunen meiner om dei tre rutealternativa.",
                "decided": "Fylkeskommunen vedtek ruteendringa; ramma for busstilbodet ligg fast.",
                "decision_state": "partly",
                "case_kind": "service_change",
                "place_based": True,
                "wider_plan": True,
                "decision_maker": "fylkeskommune",
            },
        },
        expect={"alternatives": {"information", "statutory_councils"}},
        any_of={"alternatives": [OUTREACH, PICTURE]},  # at the bus stop, where they are
        # Four weeks of input: no six-week youth assembly or eight-week panel; the fylke decides.
        absent={
            "participatory_budgeting",
            "advisory_referendum",
            "public_inspection",
            "committees",
            "institution_board",
            "youth_council_assembly",
            "residents_panel",
        },
        pitfalls={"single_issue", "representativeness"},
        legal={"councils_early", "children_heard", "special_laws", "submissions_are_documents"},
        no_legal={"pbl_participation", "delegation_rules"},
        partners={"regional"},
        max_rung_at_most=4,
        timeline_within_decision=True,
    ),
    # 10 -----------------------------------------------------------------------------------------
    Case(
        id="eldreomsorg_reform",
        title="Leve heile livet: omstilling av eldreomsorga i Storvik",
        source="kl § 5-12 (eldreråd); offl § 13 og fvl § 13; helse- og omsorgstenestelova; "
        "«Hvilken setting oppsøker vi dem i?»",
        today="2027-01-25",
        answers={
            "why": {
                "purposes": ["learning", "anchoring"],
                "use": "Grunnlag for ny tenestemodell som kommunestyret vedtek i september.",
            },
            "who": {
                "groups": [
                    group(
                        "Brukarar av heimetenesta",
                        "users",
                        3,
                        0,
                        OLD,
                        "heime og på dagsenteret",
                        "daytime",
                        30,
                    ),
                    group(
                        "Bebuarar på Storvik sjukeheim",
                        "users",
                        3,
                        0,
                        ("80+",),
                        "på sjukeheimen",
                        "daytime",
                        20,
                    ),
                    group(
                        "Pårørande",
                        "relatives",
                        3,
                        2,
                        (*ADULTS, "67-79"),
                        "pårørandekveld på sjukeheimen",
                        "evening",
                        90,
                    ),
                    group("Pensjonistlaget", "associations", 2, 3, OLD),
                    group("Frivilligsentralen", "volunteers", 2, 2),
                    group("Tilsette i pleie og omsorg", "staff", 3, 2, ADULTS),
                    group("Innbyggjarar over 60", "elderly", 2, 1, ("20-66", "67-79")),
                ],
                "silent": "Brukarane sjølve, særleg dei som bur på sjukeheimen.",
                "know_enough": "unsure",
            },
            "when": {
                "open_phases": ["investigation", "alternatives", "decision"],
                "decision_date": "2027-09-23",
            },
            "room": {
                "open": "Korleis tenestene skal organiserast: heimetenester, dagtilbod og "
                "omsorgsbustader.",
                "decided": "Den økonomiske ramma i økonomiplanen.",
                "decision_state": "partly",
                "case_kind": "service_change",
                "wider_plan": True,
                "sensitive": True,
                "easy_read": True,
                "decision_maker": "kommune",
            },
        },
        # Meet the users where they are (the care home, at home); the eldreråd early.
        expect={"investigation": {"information", "statutory_councils", "user_dialogue"}},
        absent={
            "barnetrakk",
            "class_session",
            "kindergarten_session",
            "youth_council_assembly",
            "participatory_budgeting",
            "advisory_referendum",
            "public_inspection",
        },
        pitfalls={"single_issue", "committed_minority"},
        legal={"councils_early", "confidentiality", "special_laws", "submissions_are_documents"},
        no_legal={"pbl_participation", "children_heard"},
        partners={"volunteers", "associations"},
        timeline_within_decision=True,
    ),
    # 11 -----------------------------------------------------------------------------------------
    Case(
        id="demens_dagtilbod",
        title="Nytt dagtilbod for personar med demens på Furulund",
        source="offl § 13 og fvl § 13 (teieplikt); kl § 5-12; «Hva med de som blir berørt, men "
        "som ikke sier i fra?»",
        today="2027-03-08",
        answers={
            "why": {
                "purposes": ["learning"],
                "use": "Innhaldet i dagtilbodet før helse- og omsorgsutvalet vedtek det.",
            },
            "who": {
                "groups": [
                    group(
                        "Personar med demens som bur heime",
                        "users",
                        3,
                        0,
                        OLD,
                        "på dagsenteret, med ein kjend tilsett",
                        "daytime",
                        20,
                    ),
                    group(
                        "Pårørande",
                        "relatives",
                        3,
                        2,
                        (*ADULTS, "67-79"),
                        "pårørandeskulen",
                        "evening",
                        60,
                    ),
                    group("Demensforeininga", "associations", 2, 3),
                    group("Tilsette på dagsenteret", "staff", 2, 2, ADULTS),
                    group("Besøksvener", "volunteers", 2, 1),
                ],
                "silent": "Personane med demens kan sjeldan seie ifrå i vanlege møte.",
                "weigh_more": "Brukarane sjølve.",
            },
            "when": {"open_phases": ["investigation", "alternatives"], "weeks": 20},
            "room": {
                "open": "Kva dagtilbodet skal innehalde, opningstider og transport.",
                "decided": "Tilbodet flyttar til Furulund frå 2028.",
                "decision_state": "partly",
                "case_kind": "service_change",
                "sensitive": True,
                "easy_read": True,
                "decision_maker": "committee",
            },
        },
        # Health matters of identifiable people: meet users in a safe setting and give
        # relatives a confidential channel; councils for the elderly and disabled early.
        expect={
            "investigation": {
                "information",
                "user_dialogue",
                "statutory_councils",
                "anonymous_channel",
            }
        },
        # No open agenda-setting on social media about named people's care; a population panel
        # or poll does not reach the few users this is about ("Hvem er representativ?").
        absent={
            "social_media_agenda",
            "residents_panel",
            "opinion_poll",
            "advisory_referendum",
            "participatory_budgeting",
            "public_inspection",
            "barnetrakk",
            "class_session",
            "kindergarten_session",
            "youth_council_assembly",
        },
        pitfalls={"representativeness", "committed_minority"},
        legal={"confidentiality", "councils_early", "special_laws", "submissions_are_documents"},
        no_legal={"pbl_participation", "children_heard"},
        partners={"associations"},
        timeline_within_decision=True,
    ),
    # 12 -----------------------------------------------------------------------------------------
    Case(
        id="ferje_to_veker",
        title="Fråsegn om nedlegging av ferjeavgangen kl. 06.40 – frist om to veker",
        source="«Ting tar tid» (tidshorisont); «Hold det lavterskel»; Grunnloven § 104; kl § 5-12",
        today="2027-08-16",
        answers={
            "why": {
                "purposes": ["learning"],
                "use": "Formannskapet vedtek fråsegna til fylkeskommunen 30. august.",
            },
            "who": {
                "groups": [
                    group(
                        "Pendlarar frå øya",
                        "day_workers",
                        3,
                        1,
                        ADULTS,
                        "på ferjekaien om morgonen",
                        "",
                        5,
                    ),
                    group(
                        "Ungdomsskuleelevar som tek ferja",
                        "pupils",
                        3,
                        0,
                        ("13-15",),
                        "på skulen",
                        "school_hours",
                        20,
                    ),
                    group("Øybuarar", "residents", 3, 2, (*ADULTS, *OLD)),
                    group("Oppdrettsselskapet og butikken på øya", "business", 2, 3),
                    group("Fylkeskommunen", "regional", 3, 2),
                ],
                "silent": "Elevane som tek den første ferja.",
                "know_enough": "no",
            },
            "when": {"open_phases": ["alternatives"], "decision_date": "2027-08-30"},
            "room": {
                "open": "Kva kommunen skriv i fråsegna.",
                "decided": "Fylkeskommunen avgjer ruta; fristen for fråsegna er 30. august.",
                "decision_state": "open",
                "case_kind": "other",
                "place_based": True,
                "decision_maker": "formannskap",
            },
        },
        expect={"alternatives": {"information"}},
        any_of={
            "alternatives": [
                {"survey", "street_sampling", "opinion_poll"},  # fast and broad
                {"class_session", "statutory_councils", "street_sampling"},  # the pupils
            ]
        },
        # Two weeks: nothing that takes six weeks or more.
        absent={
            "youth_council_assembly",
            "residents_panel",
            "participatory_budgeting",
            "advisory_referendum",
            "co_creation",
            "citizens_initiative",
            "public_inspection",
            "committees",
            "institution_board",
        },
        legal={"children_heard", "councils_early"},
        no_warnings={"past_decision"},
        timeline_within_decision=True,
    ),
    # 13 -----------------------------------------------------------------------------------------
    Case(
        id="interkommunal_kystsoneplan",
        title="Interkommunal kystsoneplan for Ytre fjord (tre kommunar)",
        source="pbl kap. 9, §§ 4-1, 5-2, 11-14; «Lokale samarbeidspartnere»; «Snubletråder» "
        "(ansvarspulverisering)",
        today="2027-01-04",
        answers={
            "why": {
                "purposes": ["learning", "anchoring"],
                "use": "Felles planforslag som kvart kommunestyre vedtek for sitt område.",
            },
            "who": {
                "groups": [
                    group("Fiskarar", "business", 3, 2, ADULTS, "på kaia", "", 15),
                    group("Havbruksselskapa", "business", 3, 3, ADULTS),
                    group("Friluftsråd og båtforeiningar", "associations", 2, 3),
                    group("Fastbuande og hytteeigarar langs sjøen", "residents", 2, 2),
                    group("Nabokommunane Vestøy og Nordøy", "neighbour_municipality", 3, 3),
                    group("Fiskeridirektoratet, Kystverket og Statsforvaltaren", "regional", 2, 3),
                ],
                "know_enough": "unsure",
            },
            "when": {
                "open_phases": ["investigation", "alternatives", "decision"],
                "decision_date": "2028-04-27",
                "hearing_weeks": 8,
            },
            "room": {
                "open": "Kvar det kan vere havbruk, fiske, ferdsel, friluftsliv og vern i sjøen.",
                "decided": "Nasjonale føringar; kvart kommunestyre vedtek planen for sitt område.",
                "decision_state": "open",
                "case_kind": "pbl_plan",
                "plan_type": "kommuneplan",
                "plan_hearings": ["planprogram", "planforslag"],
                "decision_maker": "inter_municipal",
                "place_based": True,
                "wider_plan": True,
            },
        },
        expect={
            "investigation": {"information", "hearing", "public_inspection"},  # planprogram
            "decision": {"information"},
        },
        any_of_in=PLANFORSLAG_HEARD,
        any_of={"investigation": [PLACE_INPUT]},  # where in the sea: input on a map
        absent={
            "participatory_budgeting",
            "advisory_referendum",
            "citizens_initiative",
            "kindergarten_session",
        },
        pitfalls={"diffused_responsibility", "time_horizon", "resourceful_activists"},
        legal={
            "pbl_participation",
            "electronic_dialogue",
            "planprogram_hearing",
            "hearing_six_weeks",
            "submissions_are_documents",
            "special_laws",
        },
        no_legal={"private_proposal", "advisory_referendum", "citizen_initiative"},
        no_warnings={"hearing_too_short", "past_decision"},
        partners={"neighbour_municipality", "regional", "business"},
        timeline_within_decision=True,
    ),
    # 14 -----------------------------------------------------------------------------------------
    Case(
        id="folkeroysting_samanslaing",
        title="Rådgjevande folkerøysting om samanslåing av Nordvik og Sørvik",
        source="kl § 12-2; inndelingslova § 10; Deltakelsestrappa: rådgivende folkeavstemninger",
        today="2027-01-11",
        answers={
            "why": {
                "purposes": ["anchoring", "information"],
                "use": "Resultatet er rådgjevande for kommunestyret sitt vedtak 17. juni.",
            },
            "who": {
                "groups": [
                    group(
                        "Alle innbyggjarar frå 16 år",
                        "residents",
                        3,
                        2,
                        ("16-19", *ADULTS, *OLD),
                    ),
                    group(
                        "Ungdom 16–19 år som får røyste",
                        "youth",
                        3,
                        1,
                        ("16-19",),
                        "på vidaregåande",
                        "school_hours",
                        45,
                    ),
                    group("Eldre", "elderly", 3, 2, OLD),
                    group("Tilsette i kommunen", "staff", 3, 2, ADULTS),
                    group("Næringslivet", "business", 2, 2),
                    group("Lag og foreiningar i bygdene", "associations", 2, 2),
                ],
                "public_debate": True,
            },
            "when": {
                "open_phases": ["investigation", "decision"],
                "decision_date": "2027-06-17",
            },
            "room": {
                "open": "Om Nordvik skal slå seg saman med Sørvik: ja eller nei.",
                "decided": "Kommunestyret har vedteke å halde rådgjevande folkerøysting; "
                "kommunestyret gjer endeleg vedtak.",
                "decision_state": "open",
                "case_kind": "other",
                "yes_no_question": True,
                "council_vote": True,
                "decision_maker": "kommune",
            },
        },
        expect={
            "investigation": {"information", "statutory_councils"},
            "decision": {"information", "advisory_referendum"},
        },
        any_of={"investigation": [DIALOGUE]},  # talk about pros and cons before the vote
        # The council has fixed a yes/no question: partners do not define the problem together
        # ("for-programmerte prosesser" are not samskaping).
        absent={
            "participatory_budgeting",
            "public_inspection",
            "citizens_initiative",
            "co_creation",
        },
        pitfalls={"committed_minority"},
        legal={
            "advisory_referendum",
            "councils_early",
            "special_laws",
            "information_duty",
            "children_heard",
        },
        no_legal={"delegation_rules"},  # advisory: the council still decides
        max_rung=5,
        timeline_within_decision=True,
    ),
    # 15 -----------------------------------------------------------------------------------------
    Case(
        id="gagate_hoglytt_mindretal",
        title="Skal Storgata bli gågate? Eit høglytt mindretal og dei som teier",
        source="«Snubletråder»: et engasjert mindretall, ressurssterke aktivister, hvem er "
        "representativ; kl § 12-2 (berre kommunestyret)",
        today="2027-03-01",
        answers={
            "why": {
                "purposes": ["learning", "anchoring"],
                "use": "Til saka om gågate som kommunestyret handsamar i oktober.",
            },
            "who": {
                "groups": [
                    group(
                        "Næringsdrivande i Storgata",
                        "business",
                        3,
                        3,
                        ADULTS,
                        "i butikken",
                        "daytime",
                        10,
                    ),
                    group("Handelsstandsforeininga", "associations", 3, 3),
                    group("Bebuarar i sentrum", "residents", 3, 1, (*ADULTS, *OLD)),
                    group(
                        "Rørslehemma som treng bil nær",
                        "disabled",
                        3,
                        1,
                        (*ADULTS, *OLD),
                    ),
                    group("Eldre i sentrum", "elderly", 3, 0, ("80+",), "på eldresenteret"),
                    group(
                        "Ungdom som heng i sentrum",
                        "youth",
                        2,
                        0,
                        ("13-15", "16-19"),
                        "i sentrum",
                        "evening",
                        5,
                    ),
                ],
                "silent": "Rørslehemma, eldre og ungdom som brukar sentrum, men ikkje er med i "
                "debatten.",
                "weigh_more": "Dei som ikkje har bil og dei som treng tilgjenge.",
                "know_enough": "no",
                "public_debate": True,
            },
            "when": {
                "open_phases": ["investigation", "alternatives", "decision"],
                "decision_date": "2027-10-21",
            },
            "room": {
                "open": "Om Storgata blir gågate heile året eller om sommaren, og korleis "
                "varelevering og parkering for rørslehemma blir løyst.",
                "decided": "Kommunestyret avgjer. Det er ikkje vedteke å halde folkerøysting.",
                "decision_state": "open",
                "case_kind": "other",
                "place_based": True,
                "wider_plan": True,
                "yes_no_question": True,
                "council_vote": False,
                "decision_maker": "kommune",
            },
        },
        expect={"investigation": {"information", "statutory_councils"}},
        any_of={"investigation": [PICTURE]},
        # The silent elderly, disabled and young need someone to go to them, in some phase
        # (at the eldresenter, in the street).
        any_of_in=[(OUTREACH | {"user_dialogue"}, frozenset(PHASES))],
        # A clear yes/no question is not enough: only the council orders a referendum.
        absent={
            "advisory_referendum",
            "participatory_budgeting",
            "public_inspection",
            "citizens_initiative",
        },
        pitfalls={
            "committed_minority",
            "resourceful_activists",
            "representativeness",
            "single_issue",
        },
        legal={"councils_early", "children_heard", "submissions_are_documents"},
        no_legal={"advisory_referendum"},
        timeline_within_decision=True,
    ),
    # 16 -----------------------------------------------------------------------------------------
    Case(
        id="samskaping_ovrebyen",
        title="Levande Øvrebyen: nærmiljøløft saman med lag, næringsliv og frivillige",
        source="«Hva er samskaping?» (Torfing); «Lokale samarbeidspartnere»; "
        "«Uten fremtidsverkstedet …»",
        today="2027-01-18",
        answers={
            "why": {
                "purposes": ["anchoring", "learning"],
                "use": "Partnarane definerer problema, utviklar og driv tiltaka saman med "
                "kommunen.",
            },
            "who": {
                "groups": [
                    group("Bebuarar i Øvrebyen", "residents", 3, 1, (*ADULTS, *OLD)),
                    group("Velforeininga", "associations", 3, 3),
                    group("Idrettslaget", "associations", 2, 2),
                    group("Butikkar og kafear", "business", 2, 2),
                    group("Frivilligsentralen", "volunteers", 2, 2),
                    group("Ildsjeler i nabolaget", "enthusiasts", 2, 3),
                    group(
                        "Innvandrarkvinner",
                        "minority_language",
                        3,
                        0,
                        ADULTS,
                        "språkkafeen på biblioteket",
                        "daytime",
                        60,
                    ),
                    group("Ungdom", "youth", 2, 1, ("13-15", "16-19"), "", "evening"),
                ],
                "silent": "Innvandrarkvinner og bebuarar i dei kommunale utleigebustadene.",
                "know_enough": "unsure",
            },
            "when": {
                "open_phases": ["investigation", "alternatives", "follow_up"],
                "decision_date": "2027-12-09",
            },
            "room": {
                "open": "Kva problem nærmiljøet skal løyse først, og kva tiltak vi utviklar og "
                "driv saman.",
                "decided": "Kommunen stiller med ein koordinator i tre år.",
                "decision_state": "open",
                "case_kind": "other",
                "place_based": True,
                "residents_run": True,
                "languages": "arabisk, somali",
                "resources": "high",
                "decision_maker": "kommune",
            },
        },
        # Samskaping defines the problem together, so it starts in utgreiinga.
        expect={"investigation": {"information", "co_creation"}},
        any_of={"investigation": [OUTREACH, WORKSHOP]},
        # "Det er ikke samskaping når kommunen sender nesten ferdige løsninger på høring."
        absent={"participatory_budgeting", "advisory_referendum", "public_inspection", "hearing"},
        pitfalls={"resourceful_activists", "diffused_responsibility", "representativeness"},
        legal={"children_heard", "councils_early", "submissions_are_documents"},
        partners={"associations", "volunteers", "business", "enthusiasts"},
        max_rung=5,
        timeline_within_decision=True,
    ),
    # 17 -----------------------------------------------------------------------------------------
    Case(
        id="brannstasjon_kontrahert",
        title="Ny brannstasjon på Sandmoen: vedteken og kontrahert – anleggsperioden",
        source="Deltakelsestrappa: «Informere» (kl § 4-1); «Hva er det egentlig rom for at de "
        "påvirker på?»",
        today="2027-04-12",
        answers={
            "why": {
                "purposes": ["information"],
                "use": "Naboane skal vite kva som skjer og få svar på spørsmål.",
            },
            "who": {
                "groups": [
                    group("Naboar på Sandmoen", "neighbours", 3, 2, (*ADULTS, *OLD)),
                    group(
                        "Elevar som går forbi anlegget",
                        "pupils",
                        3,
                        0,
                        ("6-12",),
                        "på Sandmoen skule",
                        "school_hours",
                        20,
                    ),
                    group("Næringsdrivande ved Sandmovegen", "business", 2, 2),
                    group("Brannmannskapet", "staff", 2, 2, ADULTS),
                ],
            },
            "when": {"open_phases": ["follow_up"]},
            "room": {
                "open": "Berre korleis vi informerer og svarar på spørsmål i anleggsperioden.",
                "decided": "Kommunestyret vedtok bygget i 2026, og kontrakten med "
                "entreprenøren er signert. Plassering, utforming og byggjetid ligg fast.",
                "decision_state": "contracted",
                "case_kind": "building",
                "place_based": True,
                "decision_maker": "kommune",
            },
        },
        expect={"follow_up": {"information", "question_channel"}},
        absent=NOT_AFTER_CONTRACT,  # no polls, panels or workshops about a signed contract
        # Nobody takes part in the substance, and the case touches no wider plan.
        no_pitfalls={"single_issue"},
        max_rung_at_most=2,
        legal={"information_duty"},
        no_legal={
            "hearing_six_weeks",
            "pbl_participation",
            "advisory_referendum",
            "delegation_rules",
        },
        no_warnings={"decided_empty"},
    ),
    # 18 -----------------------------------------------------------------------------------------
    Case(
        id="innbyggjarforslag_lysloype",
        title="Innbyggjarforslag: lys i lysløypa på Haugen",
        source="kl § 12-1 (seks månader); «Innbyggerne er med å sette dagsorden»",
        today="2027-02-01",
        answers={
            "why": {
                "purposes": ["learning"],
                "use": "Kommunestyret handsamar forslaget innan seks månader.",
            },
            "who": {
                "groups": [
                    group("Initiativtakarane", "initiators", 3, 3, ADULTS),
                    group("Skiklubben", "associations", 2, 3),
                    group("Naboar til løypa", "neighbours", 2, 2, ADULTS, "", "evening"),
                    group(
                        "Born og unge som går på ski",
                        "children",
                        2,
                        0,
                        ("6-12", "13-15"),
                        "på skulen",
                        "school_hours",
                        30,
                    ),
                ],
            },
            "when": {
                "open_phases": ["investigation", "decision"],
                "decision_date": "2027-07-22",
            },
            "room": {
                "open": "Om kommunen skal betale for lys, og kvar og når lyset skal vere på.",
                "decided": "Forslaget har nok underskrifter og skal handsamast av kommunestyret.",
                "decision_state": "open",
                "case_kind": "other",
                "place_based": True,
                "from_initiative": True,
                "decision_maker": "kommune",
            },
        },
        expect={"investigation": {"information"}, "decision": {"information"}},
        # The initiative is the residents' own: the kommune never "recommends" one.
        absent={
            "citizens_initiative",
            "advisory_referendum",
            "participatory_budgeting",
            "public_inspection",
        },
        legal={"citizen_initiative", "children_heard"},
        no_legal={"initiative_same_period"},
        partners={"initiators", "associations"},
        timeline_within_decision=True,
    ),
    # 19 -----------------------------------------------------------------------------------------
    Case(
        id="innbyggjarforslag_same_valperiode",
        title="Nytt innbyggjarforslag om Sørbygda skule – same innhald som i 2026",
        source="kl § 12-1 (forslag med same innhald i same valperiode); opplæringslova; "
        "Grunnloven § 104",
        today="2027-04-05",
        answers={
            "why": {
                "purposes": ["information", "learning"],
                "use": "Kommunestyret avgjer om det tek opp att saka.",
            },
            "who": {
                "groups": [
                    group("Initiativtakarane", "initiators", 3, 3, ADULTS),
                    group("Foreldre i Sørbygda", "parents", 3, 3, ADULTS, "", "evening"),
                    group(
                        "Elevar ved Sørbygda skule",
                        "pupils",
                        3,
                        1,
                        ("6-12",),
                        "i klassen",
                        "school_hours",
                        45,
                    ),
                    group("Lærarar", "staff", 2, 2, ADULTS),
                ],
                "public_debate": True,
            },
            "when": {
                "open_phases": ["investigation", "decision"],
                "decision_date": "2027-09-30",
            },
            "room": {
                "open": "Om kommunestyret tek opp att saka, og i så fall om skulen skal "
                "haldast open.",
                "decided": "Kommunestyret vedtok i 2025 å leggje ned skulen frå 2028. Eit "
                "innbyggjarforslag med same innhald vart handsama i 2026.",
                "decision_state": "open",
                "case_kind": "service_change",
                "from_initiative": True,
                "earlier_initiative": True,
                "decision_maker": "kommune",
            },
        },
        expect={"investigation": {"information"}, "decision": {"information"}},
        absent={
            "citizens_initiative",
            "advisory_referendum",
            "participatory_budgeting",
            "public_inspection",
        },
        pitfalls={"committed_minority"},
        legal={"citizen_initiative", "initiative_same_period", "children_heard", "special_laws"},
        partners={"initiators"},
        timeline_within_decision=True,
    ),
    # 20 -----------------------------------------------------------------------------------------
    Case(
        id="barnehagestruktur",
        title="Barnehagestruktur i Vestbygda: tre små barnehagar til éin?",
        source="Grunnloven § 104; barnehagelova §§ 3–4 (barns medverknad, foreldreråd og SU); "
        "RPR barn og unge (0–18)",
        today="2027-01-25",
        answers={
            "why": {
                "purposes": ["learning"],
                "use": "Til saka om barnehagestruktur som kommunestyret vedtek i juni.",
            },
            "who": {
                "groups": [
                    group(
                        "Borna i dei tre barnehagane",
                        "children",
                        3,
                        0,
                        ("0-5",),
                        "i barnehagen, med kjende vaksne",
                        "daytime",
                        20,
                    ),
                    group(
                        "Foreldre",
                        "parents",
                        3,
                        3,
                        ADULTS,
                        "ved henting i barnehagen",
                        "daytime",
                        10,
                    ),
                    group(
                        "Foreldreråd og samarbeidsutval",
                        "parents",
                        3,
                        3,
                        ADULTS,
                        "SU-møte",
                        "evening",
                        90,
                    ),
                    group("Tilsette i barnehagane", "staff", 3, 2, ADULTS),
                    group("Naboar til den nye tomta", "neighbours", 1, 2, ADULTS),
                ],
                "silent": "Borna sjølve.",
            },
            "when": {
                "open_phases": ["investigation", "alternatives", "decision"],
                "decision_date": "2027-06-24",
            },
            "room": {
                "open": "Om barnehagane skal slåast saman, og kva som er viktig for borna i "
                "ein ny barnehage.",
                "decided": "Alle born skal framleis ha barnehageplass i bygda.",
                "decision_state": "open",
                "case_kind": "service_change",
                "place_based": True,
                "wider_plan": True,
                "decision_maker": "kommune",
            },
        },
        # The youngest are heard in the barnehage, through play and observation.
        expect={"investigation": {"information", "kindergarten_session"}},
        # Not Barnetråkk (pupils), not a class, not a youth assembly; the parents are a known
        # group asked directly, not through a population panel.
        absent={
            "residents_panel",
            "barnetrakk",
            "class_session",
            "youth_council_assembly",
            "participatory_budgeting",
            "advisory_referendum",
            "public_inspection",
        },
        pitfalls={"committed_minority", "single_issue"},
        legal={"children_heard", "special_laws"},
        no_legal={"pbl_participation", "childrens_representative"},
        timeline_within_decision=True,
    ),
    # 21 -----------------------------------------------------------------------------------------
    Case(
        id="temaplan_friluftsliv",
        title="Temaplan for friluftsliv og nærturterreng 2028–2035",
        source="friluftslova; kl § 5-12; Barnetråkk (stader born likar); pbl berre for arealplanar",
        today="2027-02-01",
        answers={
            "why": {
                "purposes": ["learning", "anchoring"],
                "use": "Prioritering av turområde og tiltak i temaplanen.",
            },
            "who": {
                "groups": [
                    group("Turlaget og idrettslaget", "associations", 2, 3),
                    group(
                        "Born på mellomtrinnet",
                        "pupils",
                        2,
                        0,
                        ("6-12",),
                        "i skuletida",
                        "school_hours",
                        90,
                    ),
                    group("Ungdom", "youth", 2, 1, ("13-15",), "på skulen", "school_hours", 45),
                    group("Eldre", "elderly", 2, 1, ("67-79",), "eldretreff", "daytime", 30),
                    group("Personar med funksjonsnedsetting", "disabled", 2, 1, ADULTS),
                    group("Grunneigarar", "business", 2, 3, ADULTS),
                    group("Statsforvaltaren", "regional", 1, 2),
                ],
                "know_enough": "unsure",
            },
            "when": {
                "open_phases": ["investigation", "alternatives", "decision"],
                "decision_date": "2027-11-18",
            },
            "room": {
                "open": "Kva turområde og stiar som er viktigast, og kva tiltak som skal "
                "prioriterast.",
                "decided": "Arealbruken blir avgjort i kommuneplanen, ikkje i temaplanen.",
                "decision_state": "open",
                "case_kind": "theme_plan",
                "place_based": True,
                "wider_plan": True,
                "decision_maker": "kommune",
            },
        },
        expect={"investigation": {"information", "statutory_councils"}},
        any_of={"investigation": [PUPILS, PLACE_INPUT]},  # a place-based plan: on the map
        # A temaplan is not a pbl plan: no offentlig ettersyn, no pbl checklist.
        absent={"public_inspection", "participatory_budgeting", "advisory_referendum"},
        legal={"children_heard", "councils_early", "special_laws"},
        no_legal={
            "pbl_participation",
            "hearing_six_weeks",
            "childrens_representative",
            "planprogram_hearing",
            "notice_of_start",
        },
        timeline_within_decision=True,
    ),
    # 22 -----------------------------------------------------------------------------------------
    Case(
        id="solbakken_sprak",
        title="Solbakken: uteområde og møteplassar ved dei kommunale bustadene",
        source="«Hva med de som blir berørt, men som ikke sier i fra?»; Grorud stikkprøver; "
        "språklova § 9; «involver på deltakernes premisser»",
        today="2027-03-15",
        answers={
            "why": {
                "purposes": ["learning"],
                "use": "Utforminga av uteområdet før driftsutvalet vedtek prosjektet.",
            },
            "who": {
                "groups": [
                    group(
                        "Polske arbeidsinnvandrarar",
                        "minority_language",
                        3,
                        0,
                        ADULTS,
                        "ved fellesvaskeriet",
                        "evening",
                        15,
                    ),
                    group(
                        "Arabiskspråklege familiar",
                        "minority_language",
                        3,
                        0,
                        ADULTS,
                        "språkkafeen på frivilligsentralen",
                        "weekend",
                        30,
                    ),
                    group(
                        "Born i bustadene",
                        "children",
                        3,
                        0,
                        ("6-12",),
                        "på Solbakken skule",
                        "school_hours",
                        45,
                    ),
                    group("Ungdom", "youth", 2, 1, ("13-15", "16-19"), "", "evening"),
                    group("Velforeininga i nabofeltet", "associations", 2, 3),
                    group("Huseigarar i nabofeltet", "neighbours", 2, 3, ADULTS),
                ],
                "silent": "Familiane i dei kommunale bustadene; mange les lite norsk.",
                "weigh_more": "Borna og familiane som bur i bustadene.",
                "know_enough": "no",
            },
            "when": {"open_phases": ["investigation", "alternatives"], "weeks": 20},
            "room": {
                "open": "Kva uteområdet skal innehalde og korleis møteplassane skal brukast.",
                "decided": "Ramma er 2 millionar; bustadene blir ståande.",
                "decision_state": "partly",
                "case_kind": "other",
                "place_based": True,
                "languages": "polsk, arabisk",
                "easy_read": True,
                "decision_maker": "committee",
            },
        },
        expect={"investigation": {"information"}},
        any_of={"investigation": [OUTREACH, PUPILS]},
        absent={"participatory_budgeting", "advisory_referendum", "public_inspection"},
        pitfalls={"committed_minority", "representativeness", "resourceful_activists"},
        legal={"children_heard", "submissions_are_documents"},
        timeline_within_decision=True,
    ),
    # 23 -----------------------------------------------------------------------------------------
    Case(
        id="liten_kommune_samfunnshus",
        title="Ny bruk av samfunnshuset i Fjellheim (1 100 innbyggjarar)",
        source="«Hold det lavterskel»; «Det viktigste er at vi prøver»; kl § 5-12; «Finn ut hva "
        "medvirkningsrommet er»",
        today="2027-05-03",
        answers={
            "why": {
                "purposes": ["learning", "anchoring"],
                "use": "Til formannskapet før det vel framtidig bruk.",
            },
            "who": {
                "groups": [
                    group(
                        "Bygdefolket",
                        "residents",
                        2,
                        2,
                        (*ADULTS, *OLD),
                        "på butikken",
                        "weekend",
                        10,
                    ),
                    group("Ungdomslaget", "associations", 3, 3),
                    group("Eldre", "elderly", 2, 1, OLD, "eldretreffet", "daytime", 30),
                    group("Born", "pupils", 2, 0, ("6-12",), "på skulen", "school_hours", 45),
                    group("Hyttefolk", "residents", 1, 1),
                ],
            },
            "when": {"open_phases": ["investigation", "alternatives"], "weeks": 16},
            "room": {
                "open": "Kva samfunnshuset skal brukast til, og kven som skal drive det.",
                "decided": "",
                "decision_state": "open",
                "case_kind": "building",
                "place_based": True,
                "resources": "low",
                "decision_maker": "formannskap",
            },
        },
        expect={"investigation": {"information", "statutory_councils"}},
        any_of={"investigation": [OUTREACH | {"democracy_cafe"}, PUPILS]},
        # A small staff: no standing panel drawn by lot, no pot, no vote, no new utval.
        absent={
            "residents_panel",
            "participatory_budgeting",
            "advisory_referendum",
            "committees",
            "public_inspection",
        },
        warnings={"decided_empty"},  # nothing said about what is already fixed
        legal={"children_heard", "councils_early"},
        timeline_within_decision=True,
    ),
    # 24 -----------------------------------------------------------------------------------------
    Case(
        id="kaiomradet_for_kort_tid",
        title="Reguleringsplan for Kaiområdet: offentleg ettersyn rett før vedtaket",
        source="pbl §§ 5-2, 12-10 (minst seks veker); NORWAY.md «Reject shorter deadlines»",
        today="2027-03-01",
        answers={
            "why": {"purposes": ["learning"], "use": "Til andregongs handsaming."},
            "who": {
                "groups": [
                    group("Naboar til kaia", "neighbours", 3, 3, ADULTS, "", "evening"),
                    group("Næringsdrivande på kaia", "business", 3, 3),
                    group("Kystverket og hamnevesenet", "regional", 2, 2),
                    group("Innbyggjarar som brukar kaia", "residents", 2, 2),
                ],
            },
            "when": {
                "open_phases": ["alternatives", "decision"],
                "decision_date": "2027-05-27",
                "hearing_start": "2027-05-03",
            },
            "room": {
                "open": "Utforminga av kaipromenaden og kor høgt det kan byggjast.",
                "decided": "Kaia skal framleis ha hamneverksemd.",
                "decision_state": "open",
                "case_kind": "pbl_plan",
                "plan_type": "reguleringsplan",
                "plan_hearings": ["planforslag"],
                "decision_maker": "kommune",
            },
        },
        any_of_in=PLANFORSLAG_HEARD,
        # Three and a half weeks from the start of the ettersyn to the vedtak: say so, and do
        # not draw a timeline past the decision date.
        warnings={"too_little_time"},
        legal={"hearing_six_weeks", "pbl_participation", "electronic_dialogue"},
        timeline_within_decision=True,
    ),
    # 25 -----------------------------------------------------------------------------------------
    Case(
        id="elvebrua_varsel_om_oppstart",
        title="Detaljregulering for gang- og sykkelbru over Elva – varsel om oppstart",
        source="pbl § 12-8 (rimeleg frist ved varsel om oppstart); §§ 5-1, 5-2, 3-3",
        today="2027-06-07",
        answers={
            "why": {
                "purposes": ["learning"],
                "use": "Innspela blir samanfatta og kommenterte i planomtalen.",
            },
            "who": {
                "groups": [
                    group("Grunneigarar langs Elva", "neighbours", 3, 3, ADULTS),
                    group("Naboar", "neighbours", 2, 2, ADULTS, "", "evening"),
                    group(
                        "Elevar som skal bruke brua",
                        "pupils",
                        3,
                        0,
                        ("6-12", "13-15"),
                        "på Elvebakken skule",
                        "school_hours",
                        45,
                    ),
                    group("Syklistforeininga", "associations", 1, 3),
                    group("NVE og Statens vegvesen", "regional", 2, 2),
                ],
            },
            "when": {
                "open_phases": ["investigation"],
                "decision_date": "2028-03-16",
                "hearing_start": "2027-06-14",
                "hearing_weeks": 3,
            },
            "room": {
                "open": "Kvar brua skal gå, og korleis ho blir kopla til skulevegen.",
                "decided": "Det skal byggjast ei gang- og sykkelbru; pengane er sette av.",
                "decision_state": "partly",
                "case_kind": "pbl_plan",
                "plan_type": "reguleringsplan",
                "plan_hearings": ["notice_of_start"],
                "decision_maker": "kommune",
                "place_based": True,
            },
        },
        expect={"investigation": {"information"}},
        any_of={"investigation": [PUPILS]},
        absent_in={"investigation": {"public_inspection"}},  # no ettersyn at a notice of start
        legal={
            "notice_of_start",
            "pbl_participation",
            "electronic_dialogue",
            "children_in_planning",
            "childrens_representative",
            "children_heard",
        },
        no_legal={"planprogram_hearing", "private_proposal"},
        # A notice of start without a planprogram needs only a reasonable period.
        no_warnings={"hearing_too_short", "too_little_time", "past_decision"},
        timeline_within_decision=True,
    ),
    # 26 -----------------------------------------------------------------------------------------
    Case(
        id="skulesamanslaing_vedteken",
        title="Overgang frå Nordli til Sentrum ungdomsskule etter vedteken samanslåing",
        source="«Hva er det egentlig rom for at de påvirker på?»; Grunnloven § 104; "
        "«Det er ikke samskaping når … for-programmerte prosesser»",
        today="2027-02-08",
        answers={
            "why": {
                "purposes": ["information", "learning"],
                "use": "Korleis overgangen blir organisert til skulestart i august.",
            },
            "who": {
                "groups": [
                    group(
                        "Elevar på 8.–10. trinn ved Nordli",
                        "pupils",
                        3,
                        1,
                        ("13-15",),
                        "i klassen",
                        "school_hours",
                        45,
                    ),
                    group("Foreldre", "parents", 3, 3, ADULTS, "foreldremøte", "evening", 60),
                    group("Lærarar ved begge skulane", "staff", 3, 2, ADULTS),
                    group("Fylkeskommunen (skuleskyss)", "regional", 2, 2),
                ],
            },
            "when": {"open_phases": ["follow_up"]},
            "room": {
                "open": "Skuleskyss, klassesamansetjing og fadderordning ved overgangen.",
                "decided": "Kommunestyret vedtok i desember 2026 å slå saman skulane frå august "
                "2027.",
                "decision_state": "decided",
                "case_kind": "service_change",
                "decision_maker": "kommune",
            },
        },
        expect={"follow_up": {"information"}},
        any_of={"follow_up": [{"class_session", "survey", "street_sampling"}]},  # ask the pupils
        # Decided: only how to carry it out, asked of a known group of pupils and parents. No
        # six-week youth assembly, no vote, no population panel or poll.
        absent={
            "opinion_poll",
            "youth_council_assembly",
            "participatory_budgeting",
            "advisory_referendum",
            "co_creation",
            "residents_panel",
            "citizens_initiative",
            "public_inspection",
            "committees",
            "institution_board",
        },
        legal={"children_heard"},
        max_rung_at_most=3,
    ),
    # 27 -----------------------------------------------------------------------------------------
    Case(
        id="planprogram_torvmoen",
        title="Planprogram for sentrumsområdet på Torvmoen (områderegulering)",
        source="Grorud: stort planprogram med høringsprosess og stikkprøver; pbl §§ 4-1, 5-1, "
        "5-2, 12-9",
        today="2027-02-15",
        answers={
            "why": {
                "purposes": ["learning", "anchoring"],
                "use": "Planprogrammet fastset kva planen skal greie ut.",
            },
            "who": {
                "groups": [
                    group("Beboere på Torvmoen", "residents", 3, 1, (*ADULTS, *OLD)),
                    group(
                        "Ungdom som henger på senteret",
                        "youth",
                        3,
                        0,
                        ("13-15", "16-19"),
                        "på senteret",
                        "evening",
                        5,
                    ),
                    group(
                        "Innvandrere som leser lite norsk",
                        "minority_language",
                        3,
                        0,
                        ADULTS,
                        "på senteret og i moskeen",
                        "weekend",
                        10,
                    ),
                    group("Næringsdrivende på senteret", "business", 3, 3),
                    group("Pendlere", "day_workers", 2, 0, ADULTS, "på stasjonen", "", 5),
                    group("Statens vegvesen og Bane NOR", "regional", 2, 3),
                    group("Eldre", "elderly", 2, 1, OLD),
                ],
                "silent": "Ungdom, innvandrere og pendlere som aldri kommer på folkemøter.",
                "know_enough": "no",
            },
            "when": {
                "open_phases": ["investigation"],
                "decision_date": "2027-06-17",
                "hearing_start": "2027-03-15",
                "hearing_weeks": 6,
            },
            "room": {
                "open": "Hva planen skal utrede, og hvilke temaer som er viktigst.",
                "decided": "Området er satt av til sentrumsformål i kommuneplanen.",
                "decision_state": "open",
                "case_kind": "pbl_plan",
                "plan_type": "planprogram",
                "plan_hearings": ["planprogram"],
                "languages": "urdu, somali, polsk",
                "decision_maker": "kommune",
                "place_based": True,
            },
        },
        expect={
            "investigation": {
                "information",
                "hearing",
                "public_inspection",
                "statutory_councils",
            }
        },
        any_of={"investigation": [OUTREACH]},  # Grorud: stikkprøver where people are
        legal={
            "planprogram_hearing",
            "hearing_six_weeks",
            "pbl_participation",
            "electronic_dialogue",
            "children_in_planning",
            "childrens_representative",
            "children_heard",
            "councils_early",
        },
        no_legal={"private_proposal"},
        pitfalls={"representativeness"},
        no_warnings={"hearing_too_short", "past_decision"},
        timeline_within_decision=True,
    ),
)
