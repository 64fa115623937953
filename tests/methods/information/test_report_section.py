"""The information method's section of the council report: the published questions counted
by the municipality's answer (only a final, reasoned answer counts as answered), nothing
held, hidden or rejected, and no text of any question."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from medvirk.contributions.actions import do_hide, do_reject
from medvirk.contributions.models import ModerationState
from medvirk.core.pdf import render
from medvirk.processes import actions, registry
from tests import factories
from tests.report_html import rows


@pytest.fixture(autouse=True)
def english(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def w(db: None) -> factories.World:
    return factories.world()  # its method is a published information instance


def section(w: factories.World) -> str:
    return str(registry.get("information").report_section(w.method))


def test_questions_are_counted_by_their_answer(w: factories.World) -> None:
    moderator = w.moderator
    statuses = ["adopted", "adopted", "not_adopted", "out_of_scope", "received", "under_review"]
    for i, status in enumerate(statuses):
        question = factories.contribution(w.method, text=f"Question {i}")
        factories.response(question, status, "Because." if status != "received" else "")
    factories.contribution(w.method, text="Not answered at all")
    held = factories.contribution(w.method, text="Ring 912 34 567")
    assert held.moderation == ModerationState.HELD
    rejected = factories.contribution(w.method, text="Mail kari@example.org")
    do_reject(moderator, rejected, "Contact details")
    hidden = factories.contribution(w.method, text="Rude question")
    do_hide(moderator, hidden, "Breaks the rules")

    html = section(w)
    table = rows(html)

    assert "4 of 7 published questions have the municipality's reasoned answer." in html
    assert ["Adopted", "2"] in table
    assert ["Not adopted", "1"] in table
    assert ["Outside what is open to influence", "1"] in table
    assert ["Not answered yet", "3"] in table  # received, under review and no answer
    assert ["In all", "7"] in table
    assert not any(r[0] in ("Partly adopted", "Received", "Under review") for r in table)
    for secret in ("912 34 567", "example.org", "Rude", "Question 1"):
        assert secret not in html
    for tag in ("<script", "<form", "<h1", "<h2"):
        assert tag not in html


def test_a_page_without_questions_says_so_or_adds_nothing(w: factories.World) -> None:
    assert "No questions have been published." in section(w)
    actions.do_save_method(
        w.officer,
        w.process,
        phase=w.phase,
        method_key="information",
        slug=w.method.slug,
        title=w.method.title,
        raw_settings={"allow_questions": False},
        is_published=True,
        instance=w.method,
    )
    w.method.refresh_from_db()
    assert section(w) == ""


def test_the_section_makes_a_pdf(w: factories.World) -> None:
    factories.response(factories.contribution(w.method), "adopted", "Ja.")
    html = section(w)
    assert "1 of 1 published question has the municipality's reasoned answer." in html
    pdf = render("<html lang='nn'><head><title>t</title></head><body>" + html + "</body></html>")
    assert pdf is not None and pdf.startswith(b"%PDF")
