"""An accessible horizontal bar chart drawn on the server as SVG (no JavaScript).

Same style as the survey's charts (methods do not import each other): every bar's label and
value are written as text at 16 CSS px (never scaled: at least 12 px on every screen), the
chart has a role, a title and a description, and the page shows the same numbers in a table.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT_SIZE = 16
LINE_HEIGHT = 20
BAR_HEIGHT = 18
ROW_GAP = 14
LABEL_WIDTH = 30  # characters per label line: fits a 288 px column at 16 px
LABEL_LINES = 3
BAR_SPAN = 68  # percent of the width the longest bar takes; the value text follows it


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str


def _lines(label: str) -> list[str]:
    lines = textwrap.wrap(label, LABEL_WIDTH, break_long_words=True) or [""]
    if len(lines) > LABEL_LINES:
        lines = lines[:LABEL_LINES]
        lines[-1] = lines[-1][: LABEL_WIDTH - 1].rstrip() + "…"
    return lines


def bar_chart(title: str, description: str, bars: Sequence[Bar], *, uid: str) -> SafeString:
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
            f'<text x="0" y="{y + FONT_SIZE}" font-size="{FONT_SIZE}" '
            f'fill="currentColor">{spans}</text>'
        )
        bar_top = y + LINE_HEIGHT * len(lines) + 4
        length = round(BAR_SPAN * max(bar.value, 0) / top, 2)
        if length > 0:
            body.append(
                f'<rect class="poll-chart__bar" x="0" y="{bar_top}" width="{length}%" '
                f'height="{BAR_HEIGHT}" rx="2" fill="#1e5ea8"></rect>'
            )
        body.append(
            f'<text x="{length}%" dx="6" y="{bar_top + 15}" font-size="{FONT_SIZE}" '
            f'fill="currentColor">{escape(bar.text)}</text>'
        )
        y = bar_top + BAR_HEIGHT + ROW_GAP
    parts = [
        f'<svg class="poll-chart" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'width="100%" height="{max(y, 28)}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape(description)}</desc>',
        *body,
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
