"""Survey pages: the form (GET shows, POST takes an answer set), thanks, results, CSV."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from medvirk.accountability import contact
from medvirk.core import ratelimit
from medvirk.core.errors import ActionRefused
from medvirk.core.responses import private, session_key, start_session
from medvirk.core.tokens import check_receipt_token
from medvirk.organisations import capabilities
from medvirk.processes import registry
from medvirk.processes.types import MethodInstance

from . import actions, charts, queries
from .forms import SurveyForm
from .models import QuestionKind

# Put in a new session so that it is stored (an empty one is not): "started for a form".


def _urls(instance: MethodInstance) -> dict[str, str]:
    plugin = registry.get(instance.method_key)
    return {
        "page": instance.get_absolute_url(),
        "results": plugin.url(instance, "results"),
        "export": plugin.export_url(instance, "svar-csv"),
        "contributions": reverse(
            "public:contributions",
            kwargs={
                "municipality": instance.process.municipality.slug,
                "slug": instance.process.slug,
            },
        ),
    }


def _is_staff(request: HttpRequest, instance: MethodInstance) -> bool:
    return bool(capabilities.roles(request.user, instance.process.municipality_id))


def _can_see_results(request: HttpRequest, instance: MethodInstance) -> bool:
    return bool(instance.settings.get("results_public", False)) or _is_staff(request, instance)


def page(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
    """The survey: GET shows the form, POST stores an answer set and redirects."""
    questions = queries.questions(instance)
    # A verified account is never asked for an address: the receipt and answer go there.
    own_address = contact.account_email(request.user)
    offer_email = bool(instance.settings.get("ask_contact_email", True))
    ask_email = offer_email and not own_address
    refusal = ""
    try:
        actions.check_answer(request.user, instance)
    except ActionRefused as refused:
        refusal = refused.message
    if not refusal and actions.once_key(request.user, instance) is not None:
        earlier = queries.own_answer_set(instance, request.user)
        if earlier is not None:
            return _already_answered(request, instance, earlier.receipt_url())
    if request.method == "POST":
        if refusal:
            return _render_page(request, instance, None, refusal, status=403)
        form = SurveyForm(questions, request.POST, ask_email=ask_email)
        if form.is_valid():
            details = form.cleaned
            if own_address and offer_email:
                details["contact_email"] = own_address
            try:
                # Answer sets per client and survey are limited: one client cannot fill
                # the results (MEDVIRK_RATE_LIMITS["input"]).
                ratelimit.check_client(request, "input", instance.pk)
                receipt = actions.do_answer(
                    request.user,
                    instance,
                    form.responses,
                    session_key=session_key(request),
                    **details,
                )
            except actions.AlreadyAnswered:
                # Answered meanwhile (another tab, a parallel request): nothing was stored.
                earlier = queries.own_answer_set(instance, request.user)
                return _already_answered(
                    request, instance, earlier.receipt_url() if earlier else ""
                )
            except actions.AnswersInvalid as invalid:
                form.errors.update(invalid.errors)
            except actions.KeyAlreadyUsed as used:
                # Nothing stored; the sender's own answers come back with a fresh key.
                form.renew_key()
                form.form_errors.append(used.message)
                return _render_page(request, instance, form, "", status=409)
            except ratelimit.Limited as limited:
                # Nothing stored; the answers stay in the form for later.
                form.form_errors.append(limited.message)
                page = _render_page(request, instance, form, "", status=429)
                return ratelimit.retry_later(page, limited.retry_after)
            except ActionRefused as refused:
                form.form_errors.append(refused.message)
                if refused.status == 403:
                    return _render_page(request, instance, None, refused.message, status=403)
            else:
                contribution = receipt.contribution
                return private(
                    redirect(
                        registry.get(instance.method_key).url(
                            instance, "thanks", pk=contribution.pk, token=receipt.token
                        )
                    )
                )
        return _render_page(request, instance, form, "", status=400)
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    empty = SurveyForm(questions, ask_email=ask_email) if not refusal else None
    if empty is not None:
        start_session(request)
    return _render_page(request, instance, empty, refusal)


def _already_answered(
    request: HttpRequest, instance: MethodInstance, receipt_url: str
) -> HttpResponse:
    """One answer per person: the page says so, with the way to the first answers (409 for
    a form that was sent, a plain page when the person only opens the survey)."""
    return private(
        render(
            request,
            "survey/page.html",
            {
                "instance": instance,
                "process": instance.process,
                "form": None,
                "refusal": actions.AlreadyAnswered().message,
                "own_receipt_url": receipt_url,
                "has_questions": True,
                "results_visible": _can_see_results(request, instance),
                "urls": _urls(instance),
            },
            status=409 if request.method == "POST" else 200,
        )
    )


def _render_page(
    request: HttpRequest,
    instance: MethodInstance,
    form: SurveyForm | None,
    refusal: str,
    status: int = 200,
) -> HttpResponse:
    own_address = contact.account_email(request.user)
    return private(
        render(
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
                "masked_address": contact.masked_email(own_address) if own_address else "",
                "one_per_person": actions.one_per_person(instance),
            },
            status=status,
        )
    )


def thanks(request: HttpRequest, instance: MethodInstance, pk: int, token: str) -> HttpResponse:
    """Thank you, with the private receipt link. The token is a path segment, not a query."""
    contribution = queries.answer_set(instance, pk)
    if contribution is None or not check_receipt_token(pk, contribution.receipt_nonce, token):
        raise Http404
    receipt_url = request.build_absolute_uri(contribution.receipt_url())
    address = contribution.contact_email or contact.account_email(contribution.author)
    response = render(
        request,
        "survey/thanks.html",
        {
            "instance": instance,
            "process": instance.process,
            "contribution": contribution,
            "receipt_url": receipt_url,
            "masked_address": contact.masked_email(address) if address else "",
            "results_visible": _can_see_results(request, instance),
            "urls": _urls(instance),
        },
    )
    # The address holds a private token: keep it out of caches and other sites' logs.
    return private(response)


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


def results(request: HttpRequest, instance: MethodInstance) -> HttpResponse:
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
            "can_export": capabilities.staff_can(
                request.user, "export", instance.process.municipality_id
            ),
            "one_per_person": actions.one_per_person(instance),
            "urls": _urls(instance),
            "suppress_below": queries.SUPPRESS_BELOW,
        },
    )
