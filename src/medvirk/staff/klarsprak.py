"""The klarspråk check as you type: the editor's script posts a text, gets the report back.

The same partial is rendered server-side under each text area of the editor, so the check
also works without JavaScript (on every GET and POST of the form).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from medvirk.algorithms.text import readability

from .access import staff_municipality_ids

MAX_TEXT_CHARS = 20_000
TEMPLATE = "staff/_klarsprak.html"


@require_POST
@login_required
def klarsprak(request: HttpRequest) -> HttpResponse:
    """Return the inside of the live region (the script keeps the region itself)."""
    if not staff_municipality_ids(request.user):
        raise Http404
    # Browsers send line breaks as CRLF; count them as one character, as the person sees them.
    text = request.POST.get("text", "").replace("\r\n", "\n")
    context: dict[str, object] = {"klarsprak_inner_only": True}
    if len(text) > MAX_TEXT_CHARS:
        context["klarsprak_error"] = _(
            "The text is too long to check: it has %(length)s characters, the limit is %(limit)s."
        ) % {
            "length": number_format(len(text), force_grouping=True),
            "limit": number_format(MAX_TEXT_CHARS, force_grouping=True),
        }
        return render(request, TEMPLATE, context, status=400)
    context["report"] = readability.analyse(text)
    return render(request, TEMPLATE, context)
