"""Survey pages: the form (GET shows, POST takes an answer set), thanks, results, CSV."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from medvirk.contributions.models import Contribution
from medvirk.core.errors import ActionRefused
from medvirk.core.tokens import check_receipt_token
from medvirk.processes import lookups, permissions
from medvirk.processes.models import MethodInstance

from . import actions, charts, queries
from .forms import SurveyForm
from .models import Question, QuestionKind


def _urls(instance: MethodInstance) -> dict[str, str]:
    kwargs = {
        "municipality": instance.process.municipality.slug,
        "slug": instance.process.slug,
        "method": instance.slug,
    }
    return {
        "page": instance.get_absolute_url(),
        "results": reverse("processes:survey:results", kwargs=kwargs),
        "export": reverse("processes:survey:export", kwargs=kwargs),
        "contributions": reverse(
            "processes:contributions",
            kwargs={"municipality": kwargs["municipality"], "slug": kwargs["slug"]},
        ),
    }


def _is_staff(request: HttpRequest, instance: MethodInstance) -> bool:
    return bool(permissions.roles(request.user, instance.process.municipality_id))


def _can_see_results(request: HttpRequest, instance: MethodInstance) -> bool:
    return bool(instance.settings.get("results_public", False)) or _is_staff(request, instance)


def page(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """The survey: GET shows the form, POST stores an answer set and redirects."""
    if instance.method_key != "survey":
        raise Http404
    questions = queries.questions(instance)
    ask_email = bool(instance.settings.get("ask_contact_email", True))
    refusal = ""
    try:
        actions.check_answer(request.user, instance)
    except ActionRefused as refused:
        refusal = refused.message
    if request.method == "POST":
        if refusal:
            return _render_page(request, instance, None, refusal, status=403)
        form = SurveyForm(questions, request.POST, ask_email=ask_email)
        if form.is_valid():
            try:
                receipt = actions.do_answer(request.user, instance, form.responses, **form.cleaned)
            except actions.AnswersInvalid as invalid:
                form.errors.update(invalid.errors)
            except ActionRefused as refused:
                form.form_errors.append(refused.message)
                if refused.status == 403:
                    return _render_page(request, instance, None, refused.message, status=403)
            else:
                contribution = receipt.contribution
                return redirect(
                    "processes:survey:thanks",
                    municipality=instance.process.municipality.slug,
                    slug=instance.process.slug,
                    method=instance.slug,
                    pk=contribution.pk,
                    token=receipt.token,
                )
        return _render_page(request, instance, form, "", status=400)
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    empty = SurveyForm(questions, ask_email=ask_email) if not refusal else None
    return _render_page(request, instance, empty, refusal)


def _render_page(
    request: HttpRequest,
    instance: MethodInstance,
    form: SurveyForm | None,
    refusal: str,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "survey/page.html",
        {
            "instance": instance,
            "process": instance.process,
            "form": form,
            "refusal": refusal,
            "has_questions": bool(form and form.questions),
            "results_visible": _can_see_results(request, instance),
            "urls": _urls(instance),
        },
        status=status,
    )


def thanks(
    request: HttpRequest, municipality: str, slug: str, method: str, pk: int, token: str
) -> HttpResponse:
    """Thank you, with the private receipt link. The token is a path segment, not a query."""
    instance = lookups.method_instance(request, municipality, slug, method, key="survey")
    contribution = Contribution.objects.filter(pk=pk, method_instance=instance).first()
    if contribution is None or not check_receipt_token(pk, contribution.receipt_nonce, token):
        raise Http404
    receipt_url = request.build_absolute_uri(contribution.receipt_url())
    response = render(
        request,
        "survey/thanks.html",
        {
            "instance": instance,
            "process": instance.process,
            "contribution": contribution,
            "receipt_url": receipt_url,
            "results_visible": _can_see_results(request, instance),
            "urls": _urls(instance),
        },
    )
    # The address holds a private token: keep it out of caches and other sites' logs.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _chart_for(result: queries.QuestionResult) -> str:
    question = result.question
    if result.too_few or question.kind == QuestionKind.TEXT or not result.rows:
        return ""
    if question.kind == QuestionKind.RANKING:
        bars = [
            charts.Bar(
                r.label,
                float(r.points or 0),
                _("%(points)s points") % {"points": number_format(r.points or 0)},
            )
            for r in result.rows
        ]
        desc = _("Points per option: the first place gives most points. Ranked by %(n)s people.")
    else:
        bars = [
            charts.Bar(
                r.label,
                0.0 if r.count is None else float(r.count),
                "<5"
                if r.count is None
                else f"{r.count} ({r.percent})"
                if r.percent
                else str(r.count),
            )
            for r in result.rows
        ]
        desc = _("Number of answers per option, out of %(n)s people who answered the question.")
    return charts.bar_chart(
        question.text,
        desc % {"n": number_format(result.respondents)},
        bars,
        uid=f"chart-q{question.pk}",
    )


def results(request: HttpRequest, municipality: str, slug: str, method: str) -> HttpResponse:
    instance = lookups.method_instance(request, municipality, slug, method, key="survey")
    if not _can_see_results(request, instance):
        return render(
            request,
            "survey/results_hidden.html",
            {"instance": instance, "process": instance.process, "urls": _urls(instance)},
            status=403,
        )
    data = queries.results(instance)
    for result in data.results:
        result.chart = _chart_for(result)
    return render(
        request,
        "survey/results.html",
        {
            "instance": instance,
            "process": instance.process,
            "data": data,
            "can_export": permissions.staff_can(
                request.user, "export", instance.process.municipality_id
            ),
            "urls": _urls(instance),
            "suppress_below": queries.SUPPRESS_BELOW,
        },
    )


# --- CSV ------------------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _answer_cell(question: Question, rows: list[Any]) -> str:
    if not rows:
        return ""
    if question.kind == QuestionKind.SCALE:
        return str(rows[0].value)
    if question.kind == QuestionKind.TEXT:
        return str(rows[0].text)
    if question.kind == QuestionKind.RANKING:
        return " > ".join(
            question.option_label(a.choice) for a in sorted(rows, key=lambda a: a.rank)
        )
    order = {k: i for i, k in enumerate(question.option_keys())}
    chosen = sorted(rows, key=lambda a: order.get(a.choice, 99))
    return "; ".join(question.option_label(a.choice) for a in chosen)


def csv_lines(instance: MethodInstance) -> Iterator[str]:
    questions = queries.questions(instance)
    writer = csv.writer(_Echo())
    header: list[str] = [_("Answer set"), _("Received"), _("Channel")]
    header += [q.text for q in questions]
    yield "\ufeff" + writer.writerow([safe_cell(h) for h in header])
    for contribution in queries.export_rows(instance):
        by_question: dict[int, list[Any]] = {}
        for answer in contribution.survey_answers.all():
            by_question.setdefault(answer.question_id, []).append(answer)
        row: list[Any] = [
            contribution.pk,
            timezone.localtime(contribution.created_at).isoformat(timespec="seconds"),
            contribution.channel,
        ]
        row += [_answer_cell(q, by_question.get(q.pk, [])) for q in questions]
        yield writer.writerow([safe_cell(c) for c in row])


def export_csv(request: HttpRequest, instance: MethodInstance) -> StreamingHttpResponse:
    """The staff export: one row per answer set, one column per question; streamed."""
    if not permissions.staff_can(request.user, "export", instance.process.municipality_id):
        raise PermissionDenied
    lines: Iterable[str] = csv_lines(instance)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    filename = f"{instance.process.slug}-{instance.slug}-svar.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def export(request: HttpRequest, municipality: str, slug: str, method: str) -> HttpResponseBase:
    instance = lookups.method_instance(request, municipality, slug, method, key="survey")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return export_csv(request, instance)
