"""The panel's section of the council report: how many are in the panel (under 5 hidden)
and each published draw with its quotas beside those invited (1 to 4 hidden), as the
draw's public page shows them; never a name, an e-mail address or a member code."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from medvirk.core import pdf
from medvirk.methods.panel import draws
from medvirk.methods.panel.models import Draw
from medvirk.methods.survey.models import Question
from medvirk.organisations.models import Municipality
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance
from tests.methods.panel.conftest import join, make_panel
from tests.methods.panel.test_draw import add_members, invited_counts, set_up_figures, survey_in
from tests.report_html import text as _text

pytestmark = pytest.mark.django_db

MEMBERS = 60
SIZE = 12


def _section(panel: MethodInstance) -> str:
    return str(registry.get("panel").report_section(panel))


def _quota_cells(html: str) -> dict[tuple[str, str], str]:
    """(question, group) → the "Invited" cell of the quota table."""
    rows = re.findall(
        r'<tr><td>(.*?)</td><th scope="row">(.*?)</th>(?:<td[^>]*>.*?</td>){3}<td[^>]*>(.*?)</td>',
        html,
    )
    return {(_text(q), _text(g)): _text(n) for q, g, n in rows}


def _drawn(org: Municipality) -> tuple[MethodInstance, Draw, tuple[MethodInstance, Question]]:
    panel = make_panel(org)
    survey = survey_in(panel)
    set_up_figures(org)
    add_members(org, MEMBERS)
    draw = draws.do_draw(
        None, panel, target=survey[0], size=SIZE, dimensions=["alder", "kjonn", "krins"]
    )
    return panel, draw, survey


def test_the_panel_and_its_draws(org: Municipality) -> None:
    panel, draw, _survey = _drawn(org)
    html = _section(panel)
    words = _text(html)

    assert f"The panel has {MEMBERS} members." in words
    assert f"{SIZE} members invited to “Survey about the school”" in words
    assert f"Drawn from: {MEMBERS} panel members." in words
    labels = draws.labels_of(draw)
    cells = _quota_cells(html)
    counts = invited_counts(draw)
    assert len(cells) == len(draw.lottery["quotas"])
    small = 0
    for quota in draw.lottery["quotas"]:
        key, value = quota["feature"], quota["value"]
        n = counts.get((key, value), 0)
        shown = cells[(labels.name(key), labels.option(key, value))]
        if 0 < n < 5:
            small += 1
            assert shown == "fewer than 5"
        else:
            assert shown == str(n)
    assert small  # the draw has small groups, and they are hidden
    # Members are never named: no code, username or address.
    for code in draw.lottery["selected"]:
        assert code not in html
    assert "@example.org" not in html
    for tag in ("<script", "<form", "<h1", "<h2", "<h3", "<a "):
        assert tag not in html


def test_a_small_panel_is_not_counted_and_without_draws_says_so(org: Municipality) -> None:
    panel = make_panel(org)
    for _ in range(3):
        join(panel)
    words = _text(_section(panel))
    assert "The panel has fewer than 5 members." in words
    assert "3" not in words
    assert "No one has been drawn from the panel yet." in words


def test_the_section_makes_a_pdf(org: Municipality) -> None:
    panel, _draw, _survey = _drawn(org)
    with translation.override("nn"):
        html = _section(panel)
    document = "<html lang='nn'><head><title>t</title></head><body>" + html + "</body></html>"
    rendered = pdf.render(document)
    assert rendered is not None and rendered.startswith(b"%PDF")
