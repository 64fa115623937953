"""Accessible bar charts drawn on the server as SVG: no JavaScript, no colour-only meaning.

Every bar has its label and value written as text; the chart has a role, a title and a
description, and the page shows the same numbers in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 600
ROW_HEIGHT = 46
BAR_HEIGHT = 18
LABEL_MAX = 70
_ids = count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # drawn length; 0 draws no bar
    text: str  # the number shown after the bar, e.g. "12 (30 %)" or "<5"


def _short(label: str) -> str:
    return label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1].rstrip() + "…"


def bar_chart(title: str, description: str, bars: Sequence[Bar], *, uid: str = "") -> SafeString:
    """A horizontal bar chart: the label above each bar, the value written after it."""
    uid = uid or f"chart-{next(_ids)}"
    height = ROW_HEIGHT * max(len(bars), 1) + 8
    top = max((b.value for b in bars), default=0) or 1
    usable = WIDTH - 140  # room for the value text after the longest bar
    parts = [
        f'<svg class="survey-chart chart" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape(description)}</desc>',
    ]
    for i, bar in enumerate(bars):
        y = i * ROW_HEIGHT + 16
        length = round(usable * max(bar.value, 0) / top, 1)
        parts.append(
            f'<text class="survey-chart__label" x="0" y="{y}" font-size="14" '
            f'fill="currentColor">{escape(_short(bar.label))}</text>'
        )
        if length > 0:
            parts.append(
                f'<rect class="survey-chart__bar" x="0" y="{y + 6}" width="{length}" '
                f'height="{BAR_HEIGHT}" rx="2" fill="#1e5ea8"></rect>'
            )
        parts.append(
            f'<text class="survey-chart__value" x="{length + 6}" y="{y + 20}" font-size="14" '
            f'fill="currentColor">{escape(bar.text)}</text>'
        )
    if not bars:
        parts.append('<text x="0" y="20" font-size="14" fill="currentColor">–</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
