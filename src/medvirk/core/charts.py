"""Accessible bar charts drawn on the server as SVG: no JavaScript, no colour-only meaning.

Shared by the methods (the survey's results, the poll's), which may not import each other;
each passes its own CSS class prefix (``css``).

Every bar has its label and value written as text; the chart has a role, a title and a
description, and the page shows the same numbers in a table beside it.

The SVG has no ``viewBox``: it is as wide as its column and its text is drawn at its real
size (``FONT_SIZE`` CSS pixels), so labels never shrink below 12 px on a phone. Bars are
drawn in percent of the width; long labels wrap onto lines short enough for a 288 px column
(the narrowest the results grid makes).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT_SIZE = 16  # CSS px, never scaled: at least 12 px on every screen
LINE_HEIGHT = 20
BAR_HEIGHT = 18
ROW_GAP = 14
LABEL_WIDTH = 30  # characters per label line: fits a 288 px column at 16 px
LABEL_LINES = 3
BAR_SPAN = 68  # percent of the width the longest bar takes; the value text follows it
_ids = count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # drawn length; 0 draws no bar
    text: str  # the number shown after the bar, e.g. "12 (30 %)" or "<5"


def _lines(label: str) -> list[str]:
    lines = textwrap.wrap(label, LABEL_WIDTH, break_long_words=True) or [""]
    if len(lines) > LABEL_LINES:
        lines = lines[:LABEL_LINES]
        lines[-1] = lines[-1][: LABEL_WIDTH - 1].rstrip() + "…"
    return lines


def bar_chart(
    title: str, description: str, bars: Sequence[Bar], *, uid: str = "", css: str = "chart"
) -> SafeString:
    """A horizontal bar chart: the label above each bar, the value written after it.

    ``css`` names the chart's classes: ``<css>`` on the SVG and ``<css>__label``,
    ``<css>__bar`` and ``<css>__value`` on its parts.
    """
    uid = uid or f"chart-{next(_ids)}"
    top = max((b.value for b in bars), default=0) or 1
    body: list[str] = []
    y = 0
    for bar in bars:
        lines = _lines(bar.label)
        spans = "".join(
            f'<tspan x="0" dy="{LINE_HEIGHT if n else 0}">{escape(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        body.append(
            f'<text class="{css}__label" x="0" y="{y + FONT_SIZE}" '
            f'font-size="{FONT_SIZE}" fill="currentColor">{spans}</text>'
        )
        bar_top = y + LINE_HEIGHT * len(lines) + 4
        length = round(BAR_SPAN * max(bar.value, 0) / top, 2)
        if length > 0:
            body.append(
                f'<rect class="{css}__bar" x="0" y="{bar_top}" width="{length}%" '
                f'height="{BAR_HEIGHT}" rx="2" fill="#1e5ea8"></rect>'
            )
        body.append(
            f'<text class="{css}__value" x="{length}%" dx="6" y="{bar_top + 15}" '
            f'font-size="{FONT_SIZE}" fill="currentColor">{escape(bar.text)}</text>'
        )
        y = bar_top + BAR_HEIGHT + ROW_GAP
    if not bars:
        body.append(f'<text x="0" y="20" font-size="{FONT_SIZE}" fill="currentColor">–</text>')
        y = 28
    parts = [
        f'<svg class="{css} chart" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'width="100%" height="{y}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape(description)}</desc>',
        *body,
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
