"""A theme or duplicate group: its input in full, and one answer for the whole group.

The only bulk answer there is. The officer writes the answer, previews it beside each
input (seeing which already have an answer it would replace), then sends it to exactly the
inputs and answer versions the preview showed: if the group or an answer changed since,
nothing is sent (409) and a fresh preview is shown.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from medvirk.accountability import actions as accountability
from medvirk.accountability import inbox as inbox_actions
from medvirk.accountability import inbox_queries
from medvirk.accountability.types import Response, ResponseStatus
from medvirk.contributions.types import Contribution, Theme
from medvirk.core.errors import ActionRefused
from medvirk.processes.types import Process
from medvirk.vocabulary import Capability

from .access import acting, owned_by, staff_process
from .inbox import officers_answer, parse_version, private_page
from .inbox_forms import AnswerForm, TemplatePickForm


def _posted_ids(data: QueryDict) -> list[int]:
    return [int(v) for v in data.getlist("ids") if v.isascii() and v.isdigit() and len(v) < 10]


def _posted_versions(data: QueryDict) -> dict[int, int]:
    """The answer versions the preview showed, from its ``version-<id>`` fields."""
    versions: dict[int, int] = {}
    for name in data:
        if name.startswith("version-"):
            pk, seen = parse_version(name.removeprefix("version-")), parse_version(data.get(name))
            if pk is not None and seen is not None:
                versions[pk] = seen
    return versions


def _url(process: Process, theme: Theme) -> str:
    return reverse("staff:theme", kwargs={"pk": process.pk, "theme_pk": theme.pk})


def _replaced(members: list[Contribution], status: str, reason: str) -> set[int]:
    """The inputs whose answer the group answer would change (a final or "under review"
    answer already there and different; a bare receipt is no answer)."""
    out = set()
    for c in members:
        response: Response | None = getattr(c, "response", None)
        if response is None or response.status == ResponseStatus.RECEIVED:
            continue
        if (response.status, response.reason) != (status, reason.strip()):
            out.add(c.pk)
    return out


@login_required
@require_http_methods(["GET", "POST"])
def theme(request: HttpRequest, pk: int, theme_pk: int) -> HttpResponse:
    process = staff_process(request, pk, Capability.RESPOND)
    group = owned_by(inbox_queries.theme_of, theme_pk, process)
    assert group is not None
    staff = acting(request)
    templates = list(inbox_queries.answer_templates(process.municipality_id))
    choices = [(str(t.pk), t.title) for t in templates]
    sent = request.POST.get("form", "") if request.method == "POST" else ""
    then = request.POST.get("then", "") if sent == "answer" else ""
    form = AnswerForm(request.POST if sent == "answer" and then != "template" else None)
    template_form = TemplatePickForm(request.POST if sent == "answer" else None, templates=choices)
    preview = False
    conflicts: list[Response] = []
    status = 200
    if request.method == "POST":
        status = 400
        try:
            if sent == "remove":
                raw = request.POST.get("id", "")
                ids = [int(raw)] if raw.isascii() and raw.isdigit() and len(raw) < 10 else []
                inbox_actions.do_remove_from_theme(staff, process, ids, group)
                messages.success(
                    request, _("Input #%(n)s was taken out of the group.") % {"n": raw}
                )
                return redirect(_url(process, group))
            if sent == "delete":
                inbox_actions.do_delete_theme(staff, process, group)
                messages.success(request, _("“%(name)s” was deleted.") % {"name": group.name})
                return redirect("staff:inbox", pk=process.pk)
            if sent != "answer":
                raise ActionRefused(_("The form was not understood. Nothing was changed."))
            if then == "template":
                valid = template_form.is_valid()
                raw = str(template_form.cleaned_data.get("template") or "") if valid else ""
                chosen = (
                    inbox_queries.answer_template_of(process.municipality_id, int(raw))
                    if raw
                    else None
                )
                if chosen is None:
                    raise ActionRefused(_("Choose a template first."))
                kept = str(request.POST.get("status", ""))
                form = AnswerForm(initial={"status": chosen.status or kept, "reason": chosen.text})
                status = 200
            elif not form.is_valid():
                pass  # the form shows its errors (400)
            elif then == "preview":
                preview, status = True, 200
            elif then == "send":
                written = inbox_actions.do_answer_group(
                    staff,
                    process,
                    group,
                    previewed=_posted_ids(request.POST),
                    status=form.cleaned_data["status"],
                    reason=form.cleaned_data["reason"],
                    versions=_posted_versions(request.POST),
                )
                messages.success(
                    request,
                    ngettext(
                        "The answer was sent to %(n)d input. The author is told.",
                        "The answer was sent to %(n)d inputs. The authors are told.",
                        len(written),
                    )
                    % {"n": len(written)},
                )
                return redirect(_url(process, group))
            else:
                status = 200  # "change the answer": back to the form, text kept
        except accountability.ResponseConflict as conflict:
            # Nothing was sent. The answers saved meanwhile are shown beside the officer's
            # text, and a fresh preview carries the versions now saved.
            conflicts, preview, status = conflict.conflicts, True, conflict.status
            messages.error(request, conflict.message)
        except inbox_actions.GroupChanged as changed:
            preview, status = True, changed.status
            messages.error(request, changed.message)
        except ActionRefused as refused:
            messages.error(request, refused.message)
            status = refused.status
    members = list(inbox_queries.theme_members(group))
    answer = (
        {**officers_answer(form.cleaned_data["status"], form.cleaned_data["reason"])}
        if preview and form.is_valid()
        else None
    )
    replaced = (
        _replaced(members, form.cleaned_data["status"], form.cleaned_data["reason"])
        if answer
        else set()
    )
    return private_page(
        render(
            request,
            "staff/theme.html",
            {
                "process": process,
                "group": group,
                "members": members,
                "form": form,
                "template_form": template_form,
                "has_templates": bool(templates),
                "preview": answer is not None,
                "answer": answer,
                "replaced": replaced,
                "conflicts": conflicts,
            },
            status=status,
        )
    )
