"""Staff import of a Pol.is conversation: upload comments.csv and votes.csv (and, optionally,
participants-votes.csv), at ``<instance>/stab/import/``.

The files are read and checked first (``polis_files``); a file that is not what it should
be is refused with the reason and nothing is imported (400). Otherwise the conversation is
added (``staff_actions.do_import``): what is there already, by the Pol.is ids, is not added
twice. The page then shows what came in and every line that was skipped, with why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _

from medvirk.core.errors import ActionRefused
from medvirk.processes import registry
from medvirk.processes.types import MethodInstance

from . import polis_files, staff_actions
from .forms import MAX_IMPORT_BYTES, ImportForm
from .staff_views import links, staff_page

if TYPE_CHECKING:
    from medvirk.identity.models import User

REPORT = "medvirk.opinion_map.import_report"
# At most this many skipped lines are listed on the page (all are counted).
SHOW_SKIPPED = 100


def _report(
    conversation: polis_files.Conversation, done: staff_actions.ImportReport
) -> dict[str, Any]:
    return {
        "statements_added": done.statements_added,
        "statements_known": done.statements_known,
        "statements_out": done.statements_out,
        "statements_unvoted": done.statements_unvoted,
        "participants_added": done.participants_added,
        "participants_known": done.participants_known,
        "votes_added": done.votes_added,
        "votes_changed": done.votes_changed,
        "votes_known": done.votes_known,
        "replaced": conversation.replaced,
        "from_matrix": conversation.from_matrix,
        "empty_rows": conversation.empty_rows,
        "shortened": conversation.shortened,
        "no_text": conversation.no_text,
        "idle_participants": conversation.idle_participants,
        "skipped_count": conversation.skipped_count,
        "skipped": [
            {"file": s.file, "line": s.line, "reason": s.reason}
            for s in conversation.skipped[:SHOW_SKIPPED]
        ],
    }


@staff_page
def import_page(request: HttpRequest, instance: MethodInstance, staff: User) -> HttpResponse:
    """GET: the form (and the last import's report, once). POST: read and import."""
    url = registry.get(instance.method_key).url(instance, "staff_import")
    status = 200
    report = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                conversation = polis_files.read_export(
                    data["comments"],
                    data.get("votes"),
                    data.get("participants_votes"),
                    max_bytes=MAX_IMPORT_BYTES,
                )
                done = staff_actions.do_import(staff, instance, conversation)
            except ActionRefused as refused:
                form.add_error(None, refused.message)
                status = refused.status
            else:
                request.session[REPORT] = {"instance": instance.pk, **_report(conversation, done)}
                messages.success(
                    request, _("The conversation was imported. The map is being drawn.")
                )
                return HttpResponseRedirect(url + "#import-report")
    else:
        form = ImportForm()
        stored = request.session.pop(REPORT, None)
        if isinstance(stored, dict) and stored.get("instance") == instance.pk:
            report = stored
    context = {
        "instance": instance,
        "process": instance.process,
        "form": form,
        "report": report,
        "links": links(request, instance),
        "action": url,
        "max_mb": MAX_IMPORT_BYTES // (1024 * 1024),
    }
    return render(request, "opinion_map/staff/import.html", context, status=status)


URLS: list[URLPattern | URLResolver] = [
    path("stab/import/", import_page, name="staff_import"),
]
