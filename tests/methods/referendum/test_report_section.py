"""The referendum's section of the council report: the published result (per option and
channel, blank, turnout, the floor, districts with fewer than five voters hidden), and
before the count only a sentence that it is not published."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone, translation

from medvirk.core import pdf
from medvirk.methods.referendum import actions, staff_actions
from medvirk.organisations.models import Municipality
from medvirk.processes import registry
from tests.factories import DAY
from tests.report_html import row as _row
from tests.report_html import text as _text

from .conftest import Vote, announce, make_instance, vote_as, voter

pytestmark = pytest.mark.django_db

NOT_YET = (
    "The result is not published yet: it is published when voting has closed and the votes "
    "are counted."
)
ROLL = 880  # conftest.prepare's people entitled to vote
# Electronic ballots per district: option index, or "blank".
BALLOTS: dict[str, list[int | str]] = {
    "Sentrum": [0] * 7 + [1] * 4 + ["blank"],
    "Nordbygda": [0, 1],  # two voters: fewer than five, hidden
}


def _section(vote: Vote) -> str:
    return str(registry.get("referendum").report_section(vote.instance))


def _voted(org: Municipality, officer: Any) -> Vote:
    vote = make_instance(org, settings={"turnout_floor": 2})
    now = timezone.now()
    announce(vote, officer, opens=now - DAY, closes=now + DAY)
    options = actions.options_of(vote.referendum)
    for district, choices in BALLOTS.items():
        for choice in choices:
            value = options[choice].pk if isinstance(choice, int) else choice
            vote_as(vote, voter(), value, district=district)
    return vote


def _close(vote: Vote, officer: Any) -> None:
    staff_actions.do_close(officer, vote.instance, now=timezone.now() + 2 * DAY)


def test_the_published_result(org: Municipality, officer: Any) -> None:
    vote = _voted(org, officer)
    _close(vote, officer)
    html = _section(vote)
    words = _text(html)

    ballots = [c for choices in BALLOTS.values() for c in choices]
    yes, no, blank = ballots.count(0), ballots.count(1), ballots.count("blank")
    valid = yes + no
    assert _row(html, "Ja") == [str(yes), "0", str(yes), f"{100 * yes / valid:.1f} %"]
    assert _row(html, "Nei") == [str(no), "0", str(no), f"{100 * no / valid:.1f} %"]
    assert _row(html, "Blank") == [str(blank), "0", str(blank), "–"]
    assert "Most votes: “Ja”." in words
    assert f"{len(ballots)} of {ROLL} people entitled to vote took part" in words
    assert f"{100 * len(ballots) / ROLL:.1f} %" in words
    assert "The turnout floor of 2 % was not reached." in words
    assert _row(html, "Sentrum")[0] == str(len(BALLOTS["Sentrum"]))
    assert _row(html, "Nordbygda")[0] == "<5"
    assert 'role="img"' in html and f"{vote.referendum.result['head']}" in words
    for tag in ("<script", "<form", "<h1", "<h2", "<h3", "<a "):
        assert tag not in html


def test_before_the_count_the_result_is_not_in_the_report(org: Municipality, officer: Any) -> None:
    vote = _voted(org, officer)
    html = _section(vote)
    assert _text(html) == NOT_YET
    assert "Ja" not in html and "<table" not in html


def test_a_referendum_not_prepared_adds_nothing(vote: Vote) -> None:
    assert _section(vote) == ""


def test_the_section_makes_a_pdf(org: Municipality, officer: Any) -> None:
    vote = _voted(org, officer)
    _close(vote, officer)
    with translation.override("nn"):
        html = _section(vote)
    document = "<html lang='nn'><head><title>t</title></head><body>" + html + "</body></html>"
    rendered = pdf.render(document)
    assert rendered is not None and rendered.startswith(b"%PDF")
