"""The poll's result chart: :mod:`medvirk.core.charts` with the poll's CSS classes."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.safestring import SafeString

from medvirk.core.charts import Bar
from medvirk.core.charts import bar_chart as _bar_chart

__all__ = ["Bar", "bar_chart"]


def bar_chart(title: str, description: str, bars: Sequence[Bar], *, uid: str) -> SafeString:
    return _bar_chart(title, description, bars, uid=uid, css="poll-chart")
