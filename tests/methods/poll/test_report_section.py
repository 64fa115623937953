"""The quick poll's section of the council report: the result once the poll has closed
(small counts hidden as on its page), and before that one sentence instead."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation

from medvirk.core import pdf
from medvirk.methods.poll import actions
from medvirk.organisations.models import Municipality
from medvirk.processes import registry
from tests.factories import DAY
from tests.report_html import row as _row
from tests.report_html import text as _text

from .conftest import OPTIONS, Poll, make_poll

pytestmark = pytest.mark.django_db

NOT_YET = "The result is not published yet: everyone sees it when the poll closes."


def _votes(poll: Poll, counts: list[int]) -> None:
    n = 0
    for option, count in zip(poll.options, counts, strict=True):
        for _ in range(count):
            n += 1
            actions.do_vote(AnonymousUser(), poll.instance, option.pk, session_key=f"b-{n}")


def _close(poll: Poll) -> None:
    phase = poll.instance.phase
    phase.start, phase.end = timezone.now() - 10 * DAY, timezone.now() - DAY
    phase.save()


def _section(poll: Poll) -> str:
    return str(registry.get("poll").report_section(poll.instance))


def test_the_result_of_a_closed_poll(poll: Poll) -> None:
    counts = [8, 6, 5]
    _votes(poll, counts)
    _close(poll)
    html = _section(poll)
    total = sum(counts)
    assert f"{total} votes." in _text(html)
    for label, count in zip(OPTIONS, counts, strict=True):
        assert _row(html, label) == [str(count), f"{round(100 * count / total)} %"]
    assert 'role="img"' in html and "<caption>What matters most?</caption>" in html
    for tag in ("<script", "<form", "<h1", "<h2", "<h3", "<a "):
        assert tag not in html


def test_small_counts_are_hidden(poll: Poll) -> None:
    _votes(poll, [7, 6, 2])
    _close(poll)
    html = _section(poll)
    # The small count is hidden, and the next smallest too, so the total cannot give it.
    assert _row(html, OPTIONS[2]) == ["<5", "–"]
    assert _row(html, OPTIONS[1]) == ["<5", "–"]
    assert _row(html, OPTIONS[0])[0] == "7"
    assert "“<5” means fewer than 5 votes" in _text(html)


def test_an_open_poll_s_result_is_not_in_the_report(org: Municipality) -> None:
    poll = make_poll(org, settings={"results_shown": actions.AFTER_VOTE})
    _votes(poll, [8, 6, 5])
    html = _section(poll)
    assert _text(html) == NOT_YET
    assert OPTIONS[0] not in html and "<table" not in html


def test_the_section_makes_a_pdf(poll: Poll) -> None:
    _votes(poll, [8, 6, 5])
    _close(poll)
    with translation.override("nn"):
        html = _section(poll)
    document = "<html lang='nn'><head><title>t</title></head><body>" + html + "</body></html>"
    rendered = pdf.render(document)
    assert rendered is not None and rendered.startswith(b"%PDF")


def test_a_closed_poll_without_a_question_adds_nothing(org: Municipality) -> None:
    poll = make_poll(org, question=False)
    _close(poll)
    assert _section(poll) == ""
