"""Small helpers shared by the inbox tests."""

from __future__ import annotations

from django.urls import reverse

from medvirk.accountability.inbox import do_add_to_theme
from medvirk.contributions.models import Contribution, Theme
from tests import factories


def inbox_url(w: factories.World, query: str = "") -> str:
    url = reverse("staff:inbox", kwargs={"pk": w.process.pk})
    return f"{url}?{query}" if query else url


def group_url(w: factories.World, theme: Theme) -> str:
    return reverse("staff:theme", kwargs={"pk": w.process.pk, "theme_pk": theme.pk})


def detail_url(item: Contribution, query: str = "") -> str:
    url = reverse("staff:contribution", kwargs={"pk": item.pk})
    return f"{url}?{query}" if query else url


def group(w: factories.World, name: str, *items: Contribution, kind: str = "duplicates") -> Theme:
    """A group of the case's input, made through the action."""
    return do_add_to_theme(w.officer, w.process, [c.pk for c in items], new_name=name, kind=kind)
