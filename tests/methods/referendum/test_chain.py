"""The count record's chain and recount, alone (``chain.py`` imports no Django): an intact
record verifies; every kind of tampering is found and named."""

from __future__ import annotations

import copy
import importlib
import sys
import uuid
from typing import Any

import pytest

from medvirk.methods.referendum import chain

YES, NO = 11, 12


def _ballots(yes: int, no: int, blank: int) -> list[list[Any]]:
    choices: list[int | None] = [YES] * yes + [NO] * no + [None] * blank
    rows = [[str(uuid.uuid4()), c] for c in choices]
    return sorted(rows, key=lambda r: r[0])


def build(
    *,
    yes: int = 6,
    no: int = 3,
    blank: int = 1,
    paper: tuple[int, int, int, int] = (4, 2, 1, 1),
    roll: int | None = 40,
    floor: int | None = 25,
) -> dict[str, Any]:
    """A closed referendum's record as the server writes it."""
    entries: list[dict[str, Any]] = []

    def add(kind: str, data: dict[str, Any]) -> None:
        prev = entries[-1]["hash"] if entries else chain.GENESIS
        entries.append(chain.make_entry(len(entries), kind, data, prev))

    add(
        chain.OPENED,
        {
            "question": "Skal Lillevik ha eigen skule?",
            "options": [{"id": YES, "label": "Ja"}, {"id": NO, "label": "Nei"}],
            "blank_vote": True,
            "roll_size": roll,
            "turnout_floor_percent": floor,
        },
    )
    p_yes, p_no, p_blank, p_rejected = paper
    counts = {"options": {str(YES): p_yes, str(NO): p_no}, "blank": p_blank, "rejected": p_rejected}
    add(chain.PAPER, {"place": "skulen", "counts": counts})
    ballots = _ballots(yes, no, blank)
    add(
        chain.ELECTRONIC,
        {"ballots": ballots, "totals": {"options": {str(YES): yes, str(NO): no}, "blank": blank}},
    )
    add(chain.CLOSED, {"closed_at": "2026-03-20T21:00:00+01:00"})
    valid = yes + no + p_yes + p_no
    voters = {"electronic": len(ballots), "paper": sum(paper), "total": len(ballots) + sum(paper)}
    add(
        chain.RESULT,
        {
            "options": [
                {
                    "id": YES,
                    "label": "Ja",
                    "electronic": yes,
                    "paper": p_yes,
                    "total": yes + p_yes,
                    "percent": chain.percent(yes + p_yes, valid),
                },
                {
                    "id": NO,
                    "label": "Nei",
                    "electronic": no,
                    "paper": p_no,
                    "total": no + p_no,
                    "percent": chain.percent(no + p_no, valid),
                },
            ],
            "blank": {"electronic": blank, "paper": p_blank, "total": blank + p_blank},
            "rejected": {"paper": p_rejected},
            "valid_votes": valid,
            "voters": voters,
            "turnout_percent": chain.percent(voters["total"], roll),
            "floor_reached": chain.floor_reached(voters["total"], roll, floor),
        },
    )
    return chain.document({"municipality": "Lillevik"}, entries)


def rehash(doc: dict[str, Any], start: int = 0) -> None:
    """What a forger does after changing an entry: rewrite the hashes from there on."""
    entries = doc["entries"]
    for n in range(start, len(entries)):
        prev = entries[n - 1]["hash"] if n else chain.GENESIS
        entries[n]["prev"] = prev
        entries[n]["hash"] = chain.entry_hash(n, entries[n]["kind"], entries[n]["data"], prev)
    doc["head"] = entries[-1]["hash"]


def test_an_intact_record_verifies_and_the_recount_agrees() -> None:
    doc = build()
    report = chain.verify(doc, head=doc["head"])
    assert report.ok, report.problems
    assert report.entries == 5
    assert report.lines()[0].startswith("OK: the chain of 5 entries is intact")
    assert (
        "Recount agrees: 10 electronic ballots and 1 paper batch(es); Ja 10, Nei 5"
        in report.lines()[1]
    )
    assert "turnout 45.0 %" in report.lines()[1]
    assert "floor of 25 % was reached" in report.lines()[1]


def test_the_record_survives_a_json_round_trip() -> None:
    import json

    doc = build()
    assert chain.verify(json.loads(json.dumps(doc, indent=2))).ok


def test_a_changed_ballot_breaks_the_chain_at_that_entry() -> None:
    doc = build()
    ballot = doc["entries"][2]["data"]["ballots"][0]
    ballot[1] = NO if ballot[1] == YES else YES
    report = chain.verify(doc)
    assert not report.ok
    assert "entry 2 (electronic): its content does not match its hash" in report.problems[0]
    assert report.lines()[0].startswith("BROKEN")


def test_a_changed_ballot_rehashed_no_longer_matches_the_result() -> None:
    doc = build()
    for ballot in doc["entries"][2]["data"]["ballots"]:
        if ballot[1] == NO:
            ballot[1] = YES
            break
    rehash(doc, 2)
    report = chain.verify(doc)
    assert not report.ok
    assert "totals are not the count of the ballots" in report.problems[0]


def test_a_fully_consistent_forgery_is_caught_by_the_published_head() -> None:
    original = build()
    forged = copy.deepcopy(original)
    data = forged["entries"][2]["data"]
    for ballot in data["ballots"]:
        if ballot[1] == NO:
            ballot[1] = YES
            break
    data["totals"]["options"] = {str(YES): 7, str(NO): 2}
    result = forged["entries"][4]["data"]
    result["options"][0].update(electronic=7, total=11)
    result["options"][1].update(electronic=2, total=4)
    result["options"][0]["percent"] = chain.percent(11, 15)
    result["options"][1]["percent"] = chain.percent(4, 15)
    rehash(forged, 2)
    assert chain.verify(forged).ok  # internally consistent …
    report = chain.verify(forged, head=original["head"])
    assert not report.ok  # … but not the record whose head the council's report printed
    assert "not in the head you gave" in report.problems[0]


def test_a_removed_or_reordered_entry_is_found() -> None:
    doc = build()
    del doc["entries"][1]
    report = chain.verify(doc)
    assert "its number is 2, expected 1" in report.problems[0]
    doc = build()
    doc["entries"][1], doc["entries"][2] = doc["entries"][2], doc["entries"][1]
    assert not chain.verify(doc).ok


def test_a_changed_paper_batch_rehashed_no_longer_matches_the_result() -> None:
    doc = build()
    doc["entries"][1]["data"]["counts"]["options"][str(YES)] += 5
    rehash(doc, 1)
    report = chain.verify(doc)
    assert "option 'Ja' says" in report.problems[0]


def test_a_ballot_listed_twice_or_for_an_unknown_option_is_found() -> None:
    doc = build()
    ballots = doc["entries"][2]["data"]["ballots"]
    ballots.append(list(ballots[0]))
    ballots.sort(key=lambda b: b[0])
    rehash(doc, 2)
    assert "listed twice" in chain.verify(doc).problems[0]
    doc = build()
    doc["entries"][2]["data"]["ballots"][0][1] = 99
    rehash(doc, 2)
    assert "not announced" in chain.verify(doc).problems[0]


def test_a_wrong_turnout_or_floor_is_found() -> None:
    doc = build()
    doc["entries"][4]["data"]["floor_reached"] = False
    rehash(doc, 4)
    assert "floor reached" in chain.verify(doc).problems[0]
    doc = build()
    doc["entries"][4]["data"]["turnout_percent"] = "99.0"
    rehash(doc, 4)
    assert "turnout" in chain.verify(doc).problems[0]


def test_something_else_is_refused_plainly() -> None:
    assert "not a count record" in chain.verify({"x": 1}).problems[0]
    assert "not a count record" in chain.verify([1, 2]).problems[0]
    doc = build()
    doc["entries"][4]["data"]["voters"] = "many"
    rehash(doc, 4)
    assert not chain.verify(doc).ok  # never an exception


def test_paper_voters_differing_from_paper_ballots_is_a_note_not_a_failure() -> None:
    doc = build()
    doc["entries"][4]["data"]["voters"]["paper"] += 1
    doc["entries"][4]["data"]["voters"]["total"] += 1
    doc["entries"][4]["data"]["turnout_percent"] = chain.percent(
        doc["entries"][4]["data"]["voters"]["total"], 40
    )
    rehash(doc, 4)
    report = chain.verify(doc)
    assert report.ok, report.problems
    assert any("marked as voting on paper" in n for n in report.notes)


def test_floats_are_refused_and_percentages_are_exact_text() -> None:
    with pytest.raises(ValueError):
        chain.make_entry(0, chain.OPENED, {"share": 0.5}, chain.GENESIS)
    assert chain.percent(1, 3) == "33.3"
    assert chain.percent(2, 3) == "66.7"
    assert chain.percent(1, 8) == "12.5"
    assert chain.percent(1, 0) is None and chain.percent(1, None) is None
    assert chain.floor_reached(25, 100, 25) is True
    assert chain.floor_reached(24, 100, 25) is False
    assert chain.floor_reached(24, None, 25) is None and chain.floor_reached(24, 100, None) is None


def test_the_module_imports_no_django() -> None:
    saved = {k: v for k, v in sys.modules.items() if k == "django" or k.startswith("django.")}
    try:
        for key in saved:
            sys.modules[key] = None  # type: ignore[assignment]  # importing it would fail
        sys.modules.pop("medvirk.methods.referendum.chain", None)
        module = importlib.import_module("medvirk.methods.referendum.chain")
        assert module.verify(build()).ok
    finally:
        sys.modules.update(saved)
        sys.modules.pop("medvirk.methods.referendum.chain", None)
        importlib.import_module("medvirk.methods.referendum.chain")


def test_percentages_are_written_the_readers_way() -> None:
    from django.utils import translation

    from medvirk.methods.referendum.queries import _percent

    with translation.override("nn"):
        assert _percent("55.7") == "55,7"
        assert _percent("40") == "40"
    with translation.override("en"):
        assert _percent("55.7") == "55.7"
    assert _percent(None) is None
