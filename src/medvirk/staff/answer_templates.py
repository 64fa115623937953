"""A municipality's answer templates: the shared wording officers start an answer from.

Everyone who answers input (``respond``) sees and uses them; administrators
(``manage_roles``, as for the roles page) add, change and delete them, because they are the
whole municipality's wording, not one case's. The officer always edits the prefilled text
before it is sent.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from medvirk.accountability import inbox as inbox_actions
from medvirk.accountability import inbox_queries
from medvirk.accountability.types import AnswerTemplate
from medvirk.core.errors import ActionRefused
from medvirk.organisations import capabilities
from medvirk.organisations.types import Municipality
from medvirk.vocabulary import Capability

from .access import acting, staff_municipality
from .inbox_forms import AnswerTemplateForm


def _save(
    request: HttpRequest,
    org: Municipality,
    form: AnswerTemplateForm,
    template: AnswerTemplate | None,
) -> int:
    """Save the posted template; the status of the page (a redirect is 302)."""
    if not form.is_valid():
        return 400
    try:
        inbox_actions.do_save_answer_template(
            acting(request),
            org,
            title=form.cleaned_data["title"],
            status=form.cleaned_data["status"] or "",
            text=form.cleaned_data["text"],
            template=template,
        )
    except ActionRefused as refused:
        form.add_error(None, refused.message)
        return refused.status
    messages.success(request, _("The answer template was saved."))
    return 302


@login_required
@require_http_methods(["GET", "POST"])
def answer_templates(request: HttpRequest, municipality: int) -> HttpResponse:
    org = staff_municipality(request, municipality, Capability.RESPOND)
    can_edit = capabilities.staff_can(request.user, inbox_actions.EDIT_TEMPLATES, org)
    form = AnswerTemplateForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = _save(request, org, form, None)
        if status == 302:
            return redirect("staff:answer_templates", municipality=org.pk)
    return render(
        request,
        "staff/answer_templates.html",
        {
            "org": org,
            "templates": inbox_queries.answer_templates(org.pk),
            "form": form,
            "can_edit": can_edit,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def answer_template_edit(request: HttpRequest, municipality: int, pk: int) -> HttpResponse:
    org = staff_municipality(request, municipality, Capability.RESPOND)
    template = inbox_queries.answer_template_of(org.pk, pk)
    if template is None:
        raise Http404
    if not capabilities.staff_can(request.user, inbox_actions.EDIT_TEMPLATES, org):
        raise PermissionDenied
    status = 200
    if request.method == "POST" and request.POST.get("form") == "delete":
        try:
            inbox_actions.do_delete_answer_template(acting(request), org, template)
        except ActionRefused as refused:
            messages.error(request, refused.message)
            status = refused.status
        else:
            messages.success(request, _("The answer template was deleted."))
            return redirect("staff:answer_templates", municipality=org.pk)
    initial = {"title": template.title, "status": template.status, "text": template.text}
    saving = request.method == "POST" and request.POST.get("form") != "delete"
    form = AnswerTemplateForm(request.POST if saving else None, initial=initial)
    if saving:
        status = _save(request, org, form, template)
        if status == 302:
            return redirect("staff:answer_templates", municipality=org.pk)
    return render(
        request,
        "staff/answer_template_form.html",
        {"org": org, "template": template, "form": form},
        status=status,
    )
