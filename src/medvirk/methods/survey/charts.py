"""The survey's result charts: :mod:`medvirk.core.charts` with the survey's CSS classes."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.safestring import SafeString

from medvirk.core.charts import FONT_SIZE, LABEL_WIDTH, Bar
from medvirk.core.charts import bar_chart as _bar_chart

__all__ = ["FONT_SIZE", "LABEL_WIDTH", "Bar", "bar_chart"]


def bar_chart(title: str, description: str, bars: Sequence[Bar], *, uid: str = "") -> SafeString:
    return _bar_chart(title, description, bars, uid=uid, css="survey-chart")
