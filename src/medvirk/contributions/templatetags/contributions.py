"""Template filters for staff pages that show input: why an item is held, in the reader's
language (the stored reason is a language-neutral code, see ``contributions.screening``)."""

from __future__ import annotations

from django import template

from medvirk.contributions import screening

register = template.Library()


@register.filter
def held_reasons(code: str) -> list[str]:
    """``{% for line in c.held_reason|held_reasons %}``: one sentence per field and kind."""
    return screening.reasons(code or "")
