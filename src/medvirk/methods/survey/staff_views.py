"""The staff editor for a survey's questions, at /stab/sak/<pk>/metode/<method pk>/innhald/.

One URL serves the whole editor (the core hands it over after checking the
``manage_process`` capability and the municipality). GET shows the list of questions and a
form to add one; ``?edit=<id>`` shows the form for one question and ``?delete=<id>`` asks
to confirm a deletion. Every change is a POST with an ``action`` field (add, edit, delete,
move_up, move_down) and, except for add, a ``question`` id; on success the editor
redirects back to itself (POST-redirect-GET). No JavaScript is needed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from medvirk.core.errors import ActionRefused
from medvirk.processes import registry
from medvirk.processes.types import MethodInstance
from medvirk.staff import method_pages

from . import actions, queries, role_actions
from .models import CHOICE_KINDS, SCALE_MAX, SCALE_MIN, Question, QuestionKind
from .staff_forms import KIND_HINTS, QuestionForm

if TYPE_CHECKING:
    from medvirk.identity.models import User

# More questions than this and many people stop before the end.
LONG_SURVEY = 15
# More questions about the person than this asks for more than the survey is likely to use.
MANY_DEMOGRAPHIC = 5
ACTIONS = ("add", "edit", "delete", "move_up", "move_down")


@dataclass
class Row:
    """One question as the list shows it."""

    question: Question
    position: int
    options: list[str] = field(default_factory=list)
    is_first: bool = False
    is_last: bool = False

    @property
    def anchor(self) -> str:
        return f"question-{self.question.pk}"


@dataclass
class KindOption:
    value: str
    label: str
    hint: str
    id: str
    checked: bool


def editor(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """The survey's question editor (the plug-in's ``staff_editor``)."""
    if instance.method_key != "survey":
        raise Http404
    if request.method == "POST":
        return _post(request, instance)
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    questions = queries.questions(instance)
    locked = actions.has_answers(instance)
    editing = _from_query(request, questions, "edit")
    deleting = _from_query(request, questions, "delete") if not locked else None
    form: QuestionForm | None
    if editing is not None:
        form = QuestionForm(question=editing, locked=locked)
    else:
        form = None if locked else QuestionForm(initial={"kind": QuestionKind.SINGLE})
    return _render(request, instance, questions, form, editing=editing, deleting=deleting)


def _from_query(request: HttpRequest, questions: list[Question], name: str) -> Question | None:
    raw = request.GET.get(name)
    if raw is None:
        return None
    found = _find(questions, raw)
    if found is None:
        raise Http404
    return found


def _find(questions: list[Question], raw: str | None) -> Question | None:
    if raw is None or not raw.isascii() or not raw.isdigit() or len(raw) > 12:
        return None
    pk = int(raw)
    return next((q for q in questions if q.pk == pk), None)


def _staff(request: HttpRequest) -> User:
    if not request.user.is_authenticated:
        raise Http404
    return request.user


def _post(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    staff = _staff(request)
    questions = queries.questions(instance)
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        return _render(
            request,
            instance,
            questions,
            None,
            page_error=_("The form did not say what to do. Reload the page and try again."),
            status=400,
        )
    if action == "add":
        form = QuestionForm(request.POST)
        return _save(request, instance, questions, form, None)
    question = _find(questions, request.POST.get("question"))
    if question is None:
        if not (request.POST.get("question") or "").isdigit():
            return _render(
                request,
                instance,
                questions,
                None,
                page_error=_("The form did not say which question. Reload the page and try again."),
                status=400,
            )
        raise Http404
    if action == "edit":
        locked = actions.has_answers(instance)
        form = QuestionForm(request.POST, question=question, locked=locked)
        return _save(request, instance, questions, form, question)
    try:
        if action == "delete":
            actions.do_delete_question(staff, question)
            messages.success(
                request, _("The question “%(text)s” was deleted.") % {"text": question.text}
            )
            return HttpResponseRedirect(method_pages.editor_url(instance) + "#questions")
        position = actions.do_move_question(
            staff, question, "up" if action == "move_up" else "down"
        )
    except ActionRefused as refused:
        if refused.status == 404:
            raise Http404 from refused
        return _render(
            request,
            instance,
            queries.questions(instance),
            None,
            page_error=refused.message,
            status=refused.status,
        )
    messages.success(
        request,
        _("The question “%(text)s” is now number %(n)d.") % {"text": question.text, "n": position},
    )
    return HttpResponseRedirect(f"{method_pages.editor_url(instance)}#question-{question.pk}")


def _save(
    request: HttpRequest,
    instance: MethodInstance,
    questions: list[Question],
    form: QuestionForm,
    question: Question | None,
) -> HttpResponse:
    staff = _staff(request)
    status = 400
    if form.is_valid():
        try:
            saved, changed = role_actions.do_save_question(
                staff, instance, question, form.values(), form.role
            )
            if question is None:
                messages.success(request, _("The question was added."))
                return HttpResponseRedirect(
                    f"{method_pages.editor_url(instance)}#question-{saved.pk}"
                )
        except ActionRefused as refused:
            if refused.status == 404:
                raise Http404 from refused
            form.add_error(None, refused.message)
            status = refused.status
        else:
            if changed:
                messages.success(request, _("The question was saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return HttpResponseRedirect(f"{method_pages.editor_url(instance)}#question-{saved.pk}")
    return _render(
        request,
        instance,
        queries.questions(instance),
        form,
        editing=question,
        status=status,
    )


def _rows(questions: list[Question]) -> list[Row]:
    rows = []
    for position, question in enumerate(questions, start=1):
        if question.kind in CHOICE_KINDS:
            options = [str(c["label"]) for c in question.choices]
        elif question.kind == QuestionKind.SCALE:
            options = [
                f"{value} – {question.scale_label(value)}" for value in (SCALE_MIN, SCALE_MAX)
            ]
        else:
            options = []
        rows.append(
            Row(
                question=question,
                position=position,
                options=options,
                is_first=position == 1,
                is_last=position == len(questions),
            )
        )
    return rows


def warnings(instance: MethodInstance, questions: list[Question]) -> list[str]:
    """Known pitfalls of this survey as it stands, for the case officer to weigh."""
    out: list[str] = []
    if not questions:
        out.append(
            _("The survey has no questions yet. Residents who open it see only that it is empty.")
        )
        return out
    if len(questions) > LONG_SURVEY:
        out.append(
            _(
                "The survey has %(n)d questions. Long surveys lose people: many stop before "
                "the end. Aim for %(max)d or fewer."
            )
            % {"n": len(questions), "max": LONG_SURVEY}
        )
    main = [q for q in questions if not q.is_demographic]
    demographic = [q for q in questions if q.is_demographic]
    if not main:
        out.append(
            _(
                "Every question is demographic. People who do not consent have nothing to "
                "answer; add at least one question about the case."
            )
        )
    if len(demographic) > MANY_DEMOGRAPHIC:
        out.append(
            _(
                "The survey asks %(n)d questions about the person. Collect the least: ask "
                "only what you will use to see whom you have not reached."
            )
            % {"n": len(demographic)}
        )
    for question in questions:
        if question.kind == QuestionKind.TEXT and question.required:
            out.append(
                _(
                    "“%(text)s” requires a written answer. Many people give up on a required "
                    "free-text question; consider making it optional."
                )
                % {"text": question.text}
            )
    if not instance.is_published:
        out.append(
            _(
                "The survey is not published. Only staff can open the preview until you "
                "publish it under “Edit method”."
            )
        )
    return out


def _kind_options(form: QuestionForm | None) -> list[KindOption]:
    if form is None or "kind" not in form.fields:
        return []
    chosen = str(form["kind"].value() or "")
    return [
        KindOption(
            value=str(value),
            label=str(label),
            hint=str(KIND_HINTS[QuestionKind(value)]),
            id=f"id_kind_{i}",
            checked=chosen == str(value),
        )
        for i, (value, label) in enumerate(QuestionKind.choices)
    ]


def _render(
    request: HttpRequest,
    instance: MethodInstance,
    questions: list[Question],
    form: QuestionForm | None,
    *,
    editing: Question | None = None,
    deleting: Question | None = None,
    page_error: str = "",
    status: int = 200,
) -> HttpResponse:
    answer_count = queries.answer_sets(instance).count()
    locked = answer_count > 0
    context: dict[str, Any] = {
        "instance": instance,
        "process": instance.process,
        "rows": _rows(questions),
        "form": form,
        "kind_options": _kind_options(form),
        "editing": editing,
        "deleting": deleting,
        "locked": locked,
        "answer_count": answer_count,
        "answer_count_text": ngettext(
            "The survey has %(n)d answer set.", "The survey has %(n)d answer sets.", answer_count
        )
        % {"n": answer_count},
        "warnings": warnings(instance, questions),
        "page_error": page_error,
        "max_questions": actions.MAX_QUESTIONS,
        "full": len(questions) >= actions.MAX_QUESTIONS,
        "urls": {
            "editor": method_pages.editor_url(instance),
            "preview": instance.get_absolute_url(),
            "results": registry.get(instance.method_key).url(instance, "results"),
            "method": reverse(
                "staff:method_edit",
                kwargs={"pk": instance.process_id, "method_pk": instance.pk},
            ),
        },
    }
    return render(request, "survey/staff/editor.html", context, status=status)
