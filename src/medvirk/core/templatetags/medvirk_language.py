"""``{% load medvirk_language %}{% language_menu %}``: the header's compact language menu.

A ``<details>`` disclosure with one submit button per language in a POST form to
``set_language``: it opens, closes and switches without JavaScript, the keyboard reaches
every button, and screen readers hear the disclosure's state and each language in its own
language (``lang``).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.template.context import Context
from django.utils.translation import get_language

register = template.Library()

# Each language named in itself, so a reader finds their own whatever the page's language.
AUTONYMS = {"nb": "Norsk bokmål", "nn": "Norsk nynorsk", "en": "English"}


@register.inclusion_tag("includes/language_menu.html", takes_context=True)
def language_menu(context: Context) -> dict[str, Any]:
    current = get_language() or settings.LANGUAGE_CODE
    request = context.get("request")
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "current": current,
        "next": request.get_full_path() if request is not None else "/",
        "options": [
            {"code": code, "name": AUTONYMS.get(code, str(name)), "current": code == current}
            for code, name in settings.LANGUAGES
        ],
    }
