"""Tables that scroll say so; chart text is drawn at its real size (never scaled below 12 px)."""

from __future__ import annotations

import re

from django.template import Context, Template
from django.utils import translation

from medvirk.methods.survey.charts import FONT_SIZE, LABEL_WIDTH, Bar, bar_chart


def _render(source: str) -> str:
    return Template("{% load i18n medvirk_tables %}" + source).render(Context({}))


def test_scroll_table_is_a_labelled_focusable_region_with_a_hint() -> None:
    with translation.override("en"):
        html = _render(
            '{% scroll_table _("Audit log") %}<table><tr><td>1</td></tr></table>'
            "{% end_scroll_table %}"
            '{% scroll_table "Second" %}<table></table>{% end_scroll_table %}'
        )
    regions = re.findall(r'<div class="table-wrap table-scroll__region"[^>]*>', html)
    assert len(regions) == 2
    first = regions[0]
    assert (
        'tabindex="0"' in first and 'role="region"' in first and 'aria-label="Audit log"' in first
    )
    hint_ids = re.findall(r'aria-describedby="([^"]+)"', html)
    assert len(set(hint_ids)) == 2  # unique per table on one page
    for hint in hint_ids:
        assert f'id="{hint}"' in html
    assert "Scroll sideways to see the whole table" in html
    assert "<table><tr><td>1</td></tr></table>" in html


def test_scroll_table_label_is_escaped_and_translated() -> None:
    with translation.override("en"):
        html = Template(
            "{% load medvirk_tables %}{% scroll_table name %}x{% end_scroll_table %}"
        ).render(Context({"name": '<b>"x"</b>'}))
    assert "<b>" not in html and "&lt;b&gt;" in html


def test_chart_text_is_never_scaled() -> None:
    svg = str(bar_chart("T", "D", [Bar("Ja", 3, "3 (60 %)"), Bar("Nei", 2, "2 (40 %)")], uid="c"))
    assert "viewBox" not in svg  # a viewBox would shrink the text with the column
    sizes = [int(s) for s in re.findall(r'font-size="(\d+)"', svg)]
    assert sizes and min(sizes) >= 12 and FONT_SIZE >= 12
    assert 'width="68.0%"' in svg  # the longest bar, in percent of the width
    assert re.search(r'<svg[^>]* height="\d+"', svg)


def test_long_labels_wrap_instead_of_running_off_a_phone() -> None:
    label = (
        "Ein lang svaralternativ-tekst som ikkje får plass på ei linje på ein telefon i det heile"
    )
    svg = str(bar_chart("T", "D", [Bar(label, 1, "1")], uid="c"))
    lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert len(lines) >= 2 and all(len(line) <= LABEL_WIDTH for line in lines)
    assert " ".join(lines).startswith("Ein lang svaralternativ-tekst")
