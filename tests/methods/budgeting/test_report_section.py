"""The budget's section of the council report: once counted, each project's cost and votes
and what was funded (numbers only from 5 voters); before that, one sentence."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from medvirk.core import pdf
from medvirk.identity.models import User
from medvirk.methods.budgeting import actions, staff_actions
from medvirk.methods.budgeting.models import Project
from medvirk.organisations.models import Municipality
from medvirk.processes import registry
from tests.report_html import row as _row
from tests.report_html import text as _text

from .conftest import Budget, add, make_budget, make_codes, open_vote

pytestmark = pytest.mark.django_db

BUDGET = 100_000
COSTS = {"Klatrevegg": 60_000, "Gapahuk": 50_000, "Skulehage": 30_000}
VOTES = {"Klatrevegg": 6, "Gapahuk": 5, "Skulehage": 4}  # one project per ballot
IDEA = "Bålplass bak gymsalen"  # a resident's idea no moderator has let out


def _greedy(budget: int) -> list[str]:
    """The greedy rule, worked out here: most votes first, funded while it fits."""
    funded, left = [], budget
    for title in sorted(VOTES, key=lambda t: -VOTES[t]):
        if COSTS[title] <= left:
            funded.append(title)
            left -= COSTS[title]
    return funded


def _kr(amount: int) -> str:
    return f"{amount:,} kr"


def _budget(org: Municipality, officer: User, votes: dict[str, int] = VOTES) -> Budget:
    budget = make_budget(org, settings={"voters": "codes", "budget": BUDGET, "rule": "greedy"})
    actions.do_propose(
        AnonymousUser(),
        budget.instance,
        actions.Idea(title=IDEA, description="Ein bålplass der klassane kan grille."),
    )
    for title, cost in COSTS.items():
        add(budget, officer, title, cost)
    open_vote(budget, officer)
    numbers = {p.title: p.number for p in Project.objects.filter(method_instance=budget.instance)}
    codes = iter(make_codes(budget, officer, sum(votes.values())))
    for title, n in votes.items():
        for _ in range(n):
            actions.do_vote(AnonymousUser(), budget.instance, {numbers[title]: 1}, code=next(codes))
    return budget


def _close(budget: Budget, officer: User, capture: Any) -> None:
    with capture(execute=True):
        staff_actions.do_close_vote(officer, budget.instance)


def _section(budget: Budget) -> str:
    return str(registry.get("budgeting").report_section(budget.instance))


def test_the_counted_result(
    org: Municipality, officer: User, django_capture_on_commit_callbacks: Any
) -> None:
    budget = _budget(org, officer)
    _close(budget, officer, django_capture_on_commit_callbacks)
    html = _section(budget)
    words = _text(html)

    funded = _greedy(BUDGET)
    spent = sum(COSTS[t] for t in funded)
    assert _row(html, "Budget") == [_kr(BUDGET)]
    assert _row(html, "Funded") == [_kr(spent)]
    assert _row(html, "Not used") == [_kr(BUDGET - spent)]
    assert _row(html, "Voted") == [f"{sum(VOTES.values())} voters"]
    for place, title in enumerate(funded, start=1):
        assert f"{title} – {_kr(COSTS[title])}" in words
        assert _row(html, title) == [
            _kr(COSTS[title]),
            f"{VOTES[title]} votes",
            f"Yes, as number {place}",
        ]
    for title in set(COSTS) - set(funded):
        assert _row(html, title) == [_kr(COSTS[title]), f"{VOTES[title]} votes", "No"]
    assert "taken in order of votes" in words
    assert 'role="img"' in html and f'id="report-budget-{budget.instance.pk}-0-t"' in html
    assert IDEA not in words
    for tag in ("<script", "<form", "<h1", "<h2", "<h3", "<a "):
        assert tag not in html


def test_fewer_than_five_voters_show_no_numbers(
    org: Municipality, officer: User, django_capture_on_commit_callbacks: Any
) -> None:
    budget = _budget(org, officer, votes={"Klatrevegg": 3, "Gapahuk": 0, "Skulehage": 1})
    _close(budget, officer, django_capture_on_commit_callbacks)
    html = _section(budget)
    words = _text(html)
    assert _row(html, "Voted") == ["fewer than 5"]
    assert "Fewer than 5 people voted here, so no numbers are shown" in words
    assert "Klatrevegg – 60,000 kr" in words  # what was funded is still said
    assert "3 votes" not in words and "<svg" not in html


def test_before_the_count_the_result_is_not_in_the_report(org: Municipality, officer: User) -> None:
    budget = _budget(org, officer)
    html = _section(budget)
    assert _text(html) == "The result is not published yet: the vote is not over."
    assert "Klatrevegg" not in html


def test_the_section_makes_a_pdf(
    org: Municipality, officer: User, django_capture_on_commit_callbacks: Any
) -> None:
    budget = _budget(org, officer)
    _close(budget, officer, django_capture_on_commit_callbacks)
    with translation.override("nn"):
        html = _section(budget)
    document = "<html lang='nn'><head><title>t</title></head><body>" + html + "</body></html>"
    rendered = pdf.render(document)
    assert rendered is not None and rendered.startswith(b"%PDF")
