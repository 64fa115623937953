"""The survey's section of the council report: the public results per question, with the
chart and the table, only when the results are public; never a written answer."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from medvirk.contributions.actions import do_reject
from medvirk.contributions.models import Contribution, ModerationState
from medvirk.core import pdf
from medvirk.identity.models import User
from medvirk.organisations.models import Municipality
from medvirk.processes import registry
from tests.methods.survey import factories as survey_factories
from tests.methods.survey.factories import Survey
from tests.report_html import row as _row
from tests.report_html import text as _text

pytestmark = pytest.mark.django_db

# (single choice, options ticked, scale, written answer) per answer set.
ANSWERS = [
    ("new", ["pupil"], 5, "Build it near the lake."),
    ("new", ["pupil", "sport"], 4, ""),
    ("new", ["parent"], 4, ""),
    ("renovate", ["sport"], 2, "Mend the roof first."),
    ("renovate", ["pupil", "parent"], 3, ""),
    ("new", [], 5, ""),
    ("close", ["pupil"], 1, ""),
]
# A national identity number holds an answer set for a moderator (synthetic number).
HELD = ("close", ["sport"], 3, "Held: my number is 01019000083.")
REJECTED = ("close", ["sport"], 1, "Rejected: call 01019000083 about the neighbours.")


def _answer(survey: Survey, row: tuple[str, list[str], int, str]) -> Contribution:
    single, ticked, scale, text = row
    responses: dict[int, object] = {survey.single.pk: single, survey.scale.pk: scale}
    if ticked:
        responses[survey.multiple.pk] = ticked
    if text:
        responses[survey.text.pk] = text
    return survey_factories.survey_answer(survey, responses).contribution


def _section(survey: Survey) -> str:
    return str(registry.get("survey").report_section(survey.instance))


@pytest.fixture
def public_survey(org: Municipality) -> Survey:
    return survey_factories.survey(org, settings={"results_public": True})


def test_the_public_results_are_in_the_report(public_survey: Survey, moderator: User) -> None:
    for row in ANSWERS:
        _answer(public_survey, row)
    held = _answer(public_survey, HELD)
    rejected = _answer(public_survey, REJECTED)
    assert held.moderation == rejected.moderation == ModerationState.HELD
    do_reject(moderator, rejected, "Off topic.")
    # The results page counts every answer set but those rejected (the ticks of one held
    # for its written answer count; the text never shows): the report counts the same.
    counted = [*ANSWERS, HELD]

    html = _section(public_survey)
    words = _text(html)

    assert f"{len(counted)} answer sets." in words
    singles = Counter(single for single, *_rest in counted)
    for key in ("new", "renovate", "close"):
        share = round(100 * singles[key] / len(counted))
        assert _row(html, key.title()) == [str(singles[key]), f"{share} %"]
    ticked = Counter(t for _s, options, *_r in counted for t in options)
    with_ticks = sum(1 for _s, options, *_r in counted if options)
    assert f"{with_ticks} people answered." in words
    assert _row(html.split("How do you use it?", 1)[1], "Sport")[0] == str(ticked["sport"])
    mean = sum(scale for _s, _o, scale, _t in counted) / len(counted)
    assert f"Average: {mean:.1f} on a scale from 1 to 5." in words
    written = sum(1 for *_rest, text in counted if text)
    assert f"{written} people wrote an answer." in words
    # A chart beside each table, drawn by the survey's own helper.
    assert f'aria-labelledby="chart-q{public_survey.single.pk}-t' in html
    assert html.count("<table") == html.count("<caption>")
    # No written answer is printed, and the rejected answer set is not counted.
    for *_rest, text in [*ANSWERS, HELD, REJECTED]:
        if text:
            assert text not in words
    assert "01019000083" not in words
    for tag in ("<script", "<form", "<h1", "<h2", "<a "):
        assert tag not in html


def test_small_demographic_groups_stay_hidden(public_survey: Survey) -> None:
    for n, (single, *_rest) in enumerate(ANSWERS):
        responses: dict[int, object] = {public_survey.single.pk: single}
        if n < 3:  # three people give their age: fewer than 5
            responses[public_survey.age.pk] = "adult"
        survey_factories.survey_answer(public_survey, responses, consent=True)
    words = _text(_section(public_survey))
    assert "About those who answered" in words
    assert "Fewer than 5 people answered this question, so the results are not shown." in words
    assert "Adult" not in words


def test_results_that_are_not_public_are_not_in_the_report(survey: Survey) -> None:
    for row in ANSWERS:
        _answer(survey, row)
    html = _section(survey)
    words = _text(html)
    assert "The results of this survey are not public, so this report does not show them." in (
        words
    )
    assert survey.single.text not in words
    assert "<table" not in html and "<svg" not in html


def test_the_section_makes_a_pdf(public_survey: Survey) -> None:
    for row in ANSWERS:
        _answer(public_survey, row)
    with translation.override("nn"):
        html = _section(public_survey)
    document = "<html lang='nn'><head><title>t</title></head><body>" + html + "</body></html>"
    rendered = pdf.render(document)
    assert rendered is not None and rendered.startswith(b"%PDF")


def test_no_answers_yet(public_survey: Survey) -> None:
    words = _text(_section(public_survey))
    assert "0 answer sets." in words
    assert "0 people answered." in words


def test_the_section_makes_the_same_queries_for_few_and_many_answers(
    public_survey: Survey,
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            _section(public_survey)
        return len(captured)

    _answer(public_survey, ANSWERS[0])
    few = queries()
    for row in ANSWERS[1:]:
        _answer(public_survey, row)
    assert queries() == few
