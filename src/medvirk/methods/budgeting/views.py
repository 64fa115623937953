"""Residents' pages of a participatory budget: the overview, handing in an idea, a
project's page, the ballot, the results and the follow-up photos.

Thin views: reads through ``queries``, writes through ``actions``. Plain POST forms that
redirect (no JavaScript needed: the knapsack ballot's running total has an "Update the
total" button that shows the page again with the choices kept); 400 for what the voter
must correct, 403 with the reason when the person may not act, 409 when the vote closed
meanwhile, 429 when a connection tries too many wrong codes.

The ballot (``stem/``) takes plain fields, so a load test can post it directly:
``code`` (voting codes), ``district`` (when the voter chooses one), ``lives_here``
(declared residence), ``project`` once per ticked project (approval and knapsack) or
``points-<number>`` (cumulative), and ``action`` ("cast", or "update" to count again).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from medvirk.accountability import contact
from medvirk.contributions.types import ModerationState
from medvirk.core import charts, ratelimit
from medvirk.core.errors import ActionRefused
from medvirk.core.responses import not_allowed, private, start_session
from medvirk.core.uploads import download_response
from medvirk.processes import registry
from medvirk.processes.permissions import NeedsLogin
from medvirk.processes.types import MethodInstance
from medvirk.staff import method_pages
from medvirk.vocabulary import Capability

from . import actions, ballots, keys, queries, stages
from .config import APPROVAL, CODES, CUMULATIVE, KNAPSACK, Rules, rules_of
from .explain import support_text
from .forms import CodeForm, IdeaForm

# Failed code attempts per connection and budget share this limit's window.
CODE_LIMIT = "opinion_vote"


def _urls(instance: MethodInstance) -> dict[str, str]:
    plugin = registry.get(instance.method_key)
    return {
        "page": instance.get_absolute_url(),
        "propose": plugin.url(instance, "propose"),
        "vote": plugin.url(instance, "vote"),
        "results": plugin.url(instance, "results"),
        "process": instance.process.get_absolute_url(),
        "editor": method_pages.editor_url(instance),
    }


def _base(request: HttpRequest, instance: MethodInstance) -> dict[str, Any]:
    rules = rules_of(instance)
    stage = queries.stage(instance)
    return {
        "instance": instance,
        "process": instance.process,
        "rules": rules,
        "stage": stage,
        "stage_label": stages.label(stage),
        "urls": _urls(instance),
        "can_manage": method_pages.can(request, instance, Capability.MANAGE_PROCESS),
        "budgets": [(d, ballots.kr(b)) for d, b in rules.elections()],
        "suppress_below": queries.SUPPRESS_BELOW,
    }


def _project_url(instance: MethodInstance, number: int) -> str:
    return registry.instance_url(instance, "project", number=number)


def _refusal(check: Any, *args: Any) -> ActionRefused | None:
    try:
        check(*args)
    except ActionRefused as refused:
        return refused
    return None


# -- the overview ----------------------------------------------------------------------------


def page(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    if request.method not in ("GET", "HEAD"):
        return not_allowed("GET, HEAD")
    context = _base(request, instance)
    stage = context["stage"]
    projects = list(queries.public_projects(instance))
    for project in projects:
        project.url = _project_url(instance, project.number)  # type: ignore[attr-defined]
        project.cost_text = ballots.kr(project.cost) if project.cost is not None else ""  # type: ignore[attr-defined]
    refusal = _refusal(actions.check_propose, request.user, instance)
    results = queries.results(instance, context["rules"]) if stage == stages.Stage.RESULTS else []
    funded = queries.funded_projects(instance) if stage == stages.Stage.RESULTS else []
    for project in funded:
        project.url = _project_url(instance, project.number)  # type: ignore[attr-defined]
    context.update(
        {
            "on_ballot": [p for p in projects if p.status == "accepted"],
            "ideas": [p for p in projects if p.status != "accepted"],
            "propose_refusal": refusal.message if refusal else "",
            "propose_needs_login": isinstance(refusal, NeedsLogin),
            "results": [
                (
                    result.district,
                    [(item.title, _project_url(instance, item.number)) for item in result.funded],
                )
                for result in results
            ],
            "election": queries.election(instance),
            "funded": funded,
        }
    )
    return render(request, "budgeting/page.html", context)


# -- ideas -------------------------------------------------------------------------------------


def _idea_form(request: HttpRequest, rules: Rules, data: Any = None) -> IdeaForm:
    return IdeaForm(data, districts=rules.district_names)


def propose(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """GET: the idea form; POST: hand the idea in and go to its private receipt."""
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed("GET, HEAD, POST")
    context = _base(request, instance)
    own = contact.account_email(request.user)
    context["masked_address"] = contact.masked_email(own) if own else ""
    refusal = _refusal(actions.check_propose, request.user, instance)
    if refusal is not None:
        context.update(refusal=refusal.message, needs_login=isinstance(refusal, NeedsLogin))
        return private(render(request, "budgeting/propose.html", context, status=refusal.status))
    rules: Rules = context["rules"]
    if request.method != "POST":
        context["form"] = _idea_form(request, rules)
        start_session(request)
        return private(render(request, "budgeting/propose.html", context))
    form = _idea_form(request, rules, request.POST)
    context["form"] = form
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        idea = actions.Idea(
            title=data["title"],
            description=data["description"],
            proposed_cost=data.get("proposed_cost"),
            district=data.get("district") or "",
            contact_email=own or data.get("contact_email") or "",
            author_name=data.get("author_name") or "",
            show_name=bool(data.get("show_name")),
        )
        try:
            ratelimit.check_client(request, "input", instance.pk)
            proposed = actions.do_propose(request.user, instance, idea)
        except ratelimit.Limited as limited:
            form.add_error(None, limited.message)
            response = render(request, "budgeting/propose.html", context, status=429)
            return private(ratelimit.retry_later(response, limited.retry_after))
        except ActionRefused as refused:
            form.add_error(None, refused.message)
            status = refused.status
        else:
            contribution = proposed.receipt.contribution
            if contribution.moderation == ModerationState.PUBLISHED:
                text = _("Thank you. Your idea is handed in; the municipality reviews every idea.")
            else:
                text = _(
                    "Thank you. Your idea is handed in. A moderator looks at it before it is "
                    "shown; the municipality reviews every idea."
                )
            messages.success(request, text)
            return HttpResponseRedirect(contribution.receipt_url())
    return private(render(request, "budgeting/propose.html", context, status=status))


def project(request: HttpRequest, instance: MethodInstance, number: int) -> HttpResponseBase:
    if request.method not in ("GET", "HEAD"):
        return not_allowed("GET, HEAD")
    found = queries.public_project(instance, number)
    if found is None:
        raise Http404
    context = _base(request, instance)
    explained = queries.explained_project(instance, number)
    updates = list(found.updates.all())
    for update in updates:
        if update.photo:
            update.photo_url = registry.instance_url(instance, "photo", pk=update.pk)  # type: ignore[attr-defined]
    context.update(
        {
            "project": found,
            "response": getattr(found.contribution, "response", None)
            if found.contribution
            else None,
            "shows_name": bool(
                found.contribution is not None
                and found.contribution.show_name
                and found.contribution.moderation == ModerationState.PUBLISHED
            ),
            "merged_into_url": _project_url(instance, found.merged_into.number)
            if found.merged_into
            else "",
            "election_result": explained[0] if explained else None,
            "explained": explained[1] if explained else None,
            "updates": updates,
            "cost": ballots.kr(found.cost) if found.cost is not None else "",
            "proposed_cost": ballots.kr(found.proposed_cost)
            if found.proposed_cost is not None
            else "",
        }
    )
    return render(request, "budgeting/project.html", context)


def photo(request: HttpRequest, instance: MethodInstance, pk: int) -> HttpResponseBase:
    update = queries.update_with_photo(instance, pk)
    if update is None:
        raise Http404
    extension = update.photo.name.rsplit(".", 1)[-1]
    name = f"prosjekt-{update.project.number}-{update.date.isoformat()}.{extension}"
    return download_response(update.photo, name, update.photo_type)


# -- the ballot ------------------------------------------------------------------------------


# A voting code is remembered on the voter's device in a signed cookie for the budget's
# own address, not in the server's session: a ballot by code then writes nothing but the
# ballot (a session would cost a database write per voter at the busiest moment).
CODE_COOKIE = "medvirk-budget-code"
CODE_COOKIE_SALT = "medvirk.budgeting.code"
CODE_COOKIE_DAYS = 120
_CHANGED = "_medvirk_budget_code"  # this request's change, applied to its response


def _session_code(request: HttpRequest, instance: MethodInstance) -> str:
    changed = getattr(request, _CHANGED, None)
    if changed is not None:
        return str(changed)
    code = request.get_signed_cookie(
        CODE_COOKIE, default="", salt=f"{CODE_COOKIE_SALT}:{instance.pk}"
    )
    return code if isinstance(code, str) else ""


def _remember_code(request: HttpRequest, instance: MethodInstance, code: str) -> None:
    setattr(request, _CHANGED, code)


def _forget_code(request: HttpRequest, instance: MethodInstance) -> None:
    setattr(request, _CHANGED, "")


def _with_code_cookie(
    request: HttpRequest, instance: MethodInstance, response: HttpResponseBase
) -> HttpResponseBase:
    """Set or delete the code's cookie when this request remembered or forgot it."""
    changed = getattr(request, _CHANGED, None)
    if changed is None:
        return response
    path = instance.get_absolute_url()
    if changed:
        response.set_signed_cookie(
            CODE_COOKIE,
            changed,
            salt=f"{CODE_COOKIE_SALT}:{instance.pk}",
            max_age=CODE_COOKIE_DAYS * 24 * 3600,
            path=path,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    else:
        response.delete_cookie(CODE_COOKIE, path=path, samesite="Lax")
    return response


def _chosen(request: HttpRequest, rules: Rules) -> dict[int, int]:
    """The ticks or points as posted; anything that is not a project number is refused."""
    if rules.ballot == CUMULATIVE:
        raw: dict[int, str] = {}
        for name in request.POST:
            value = str(request.POST.get(name, ""))
            if name.startswith("points-"):
                suffix = name.removeprefix("points-")
                if not suffix.isdigit() or len(suffix) > 9:
                    raise ActionRefused(
                        _(
                            "One of the projects you chose is not on this ballot. Reload the "
                            "page and choose again."
                        )
                    )
                raw[int(suffix)] = value
        return ballots.parse_points(raw)
    chosen: dict[int, int] = {}
    for value in request.POST.getlist("project"):
        if not value.isdigit() or len(value) > 9:
            raise ActionRefused(
                _(
                    "One of the projects you chose is not on this ballot. Reload the page and "
                    "choose again."
                )
            )
        chosen[int(value)] = 1
    return chosen


def _ballot_rows(
    instance: MethodInstance, district: str, chosen: dict[int, int]
) -> list[dict[str, Any]]:
    return [
        {
            "project": p,
            "cost": ballots.kr(p.cost or 0),
            "value": chosen.get(p.number, 0),
            "url": _project_url(instance, p.number),
        }
        for p in queries.on_ballot(instance, district)
    ]


def _total_texts(rules: Rules) -> dict[str, str]:
    """The running total's sentences with ``{placeholders}``, for the server and the script."""
    keep = {k: "{" + k + "}" for k in ("spent", "budget", "left", "over", "n", "k", "p")}
    if rules.ballot == KNAPSACK:
        return {
            "total": _("You have chosen %(spent)s of %(budget)s. Left: %(left)s.") % keep,
            "over": _("That is %(over)s over the budget: take something away before you vote.")
            % keep,
        }
    if rules.ballot == APPROVAL:
        return {
            "total": _("You have chosen %(n)s of at most %(k)s projects.") % keep,
            "over": _("That is more than %(k)s: take something away before you vote.") % keep,
        }
    return {
        "total": _("You have given %(n)s of %(p)s points. Left: %(left)s.") % keep,
        "over": _("That is more than %(p)s points: take some away before you vote.") % keep,
    }


def _fill(template: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template


def _totals(
    rules: Rules, rows: list[dict[str, Any]], budget: int, chosen: dict[int, int]
) -> dict[str, Any]:
    """The running total as text (shown, and spoken by the live region) and whether over."""
    texts = _total_texts(rules)
    picked = {r["project"].number for r in rows if r["value"]}
    if rules.ballot == KNAPSACK:
        spent = sum(r["project"].cost or 0 for r in rows if r["project"].number in picked)
        values = {
            "spent": ballots.kr(spent),
            "budget": ballots.kr(budget),
            "left": ballots.kr(max(budget - spent, 0)),
            "over": ballots.kr(max(spent - budget, 0)),
        }
        over = spent > budget
    elif rules.ballot == APPROVAL:
        values = {"n": str(len(picked)), "k": str(rules.max_choices)}
        over = len(picked) > rules.max_choices
    else:
        given = sum(v for v in chosen.values() if v > 0)
        values = {
            "n": str(given),
            "p": str(rules.points),
            "left": str(max(rules.points - given, 0)),
        }
        over = given > rules.points
    return {
        "text": _fill(texts["total"], values),
        "over_text": _fill(texts["over"], values) if over else "",
        "templates": texts,
    }


def _stored(request: HttpRequest, instance: MethodInstance, cast: actions.Cast) -> HttpResponse:
    messages.success(
        request,
        _("Your vote is changed. The last vote you give before the vote closes counts.")
        if cast.changed
        else _(
            "Your vote is stored. You can change it until the vote closes: the "
            "last vote you give counts."
        ),
    )
    target = registry.instance_url(instance, "vote")
    if not cast.district_fixed:
        target += f"?krins={cast.district}"
    return HttpResponseRedirect(target + "#din-stemme")


def _cast_at_once(request: HttpRequest, instance: MethodInstance) -> HttpResponse | None:
    """A complete ballot posted: store it without building the page (the busy path of a
    vote). None when anything is missing or refused: the full page then says why, with
    the form; a refused ballot changed nothing, so checking it twice is safe."""
    rules = rules_of(instance)
    code = str(request.POST.get("code", "")) or _session_code(request, instance)
    if rules.voters == CODES and not code:
        return None
    try:
        chosen = _chosen(request, rules)
        cast = actions.do_vote(
            request.user,
            instance,
            chosen,
            code=code,
            district=str(request.POST.get("district", "")),
            lives_here=request.POST.get("lives_here") == "on",
        )
    except ActionRefused:
        return None
    if rules.voters == CODES and not _session_code(request, instance):
        _remember_code(request, instance, code)
    return _stored(request, instance, cast)


def vote(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    """GET: the ballot (or the code form, or the district choice); POST: store it."""
    return _with_code_cookie(request, instance, _vote(request, instance))


def _vote(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    if request.method not in ("GET", "HEAD", "POST"):
        return not_allowed("GET, HEAD, POST")
    if request.method == "POST" and request.POST.get("action", "cast") == "cast":
        done = _cast_at_once(request, instance)
        if done is not None:
            return done
    context = _base(request, instance)
    rules: Rules = context["rules"]
    try:
        actions.check_vote_open(request.user, instance)
    except ActionRefused as refused:
        context.update(refusal=refused.message, needs_login=isinstance(refused, NeedsLogin))
        return private(render(request, "budgeting/vote.html", context, status=refused.status))
    action = str(request.POST.get("action", "cast")) if request.method == "POST" else ""
    if rules.voters == CODES and action in ("code", "forget"):
        return _code_post(request, instance, context, action)
    code = str(request.POST.get("code", "")) if request.method == "POST" else ""
    code = code or _session_code(request, instance)
    if rules.voters == CODES and not code:
        context["code_form"] = CodeForm()
        return private(render(request, "budgeting/vote.html", context))
    lives_here = request.POST.get("lives_here") == "on"
    try:
        voter = actions.identify(
            request.user,
            instance,
            rules,
            code=code,
            # The tick is asked on the ballot itself: casting without it is refused there.
            lives_here=True,
        )
    except actions.BadCode as bad:
        return _bad_code(request, instance, context, bad, code)
    except ActionRefused as refused:
        context.update(refusal=refused.message, needs_login=isinstance(refused, NeedsLogin))
        return private(render(request, "budgeting/vote.html", context, status=refused.status))
    if rules.voters == CODES and not _session_code(request, instance):
        _remember_code(request, instance, code)
    current = actions.ballot_for(instance, voter.key)
    district = voter.district
    if district is None and rules.has_districts:
        asked = str(request.POST.get("district") or request.GET.get("krins") or "")
        district = rules.district_named(asked) if asked else None
        choosing = "krins" in request.GET and not asked
        if district is None and current is not None and not asked and not choosing:
            district = current.district or None
        if district is None:
            context.update(
                choose_district=True,
                district_error=bool(asked) or request.method == "POST",
                voter_code=code if rules.voters == CODES else "",
            )
            status = 400 if request.method == "POST" else 200
            return private(render(request, "budgeting/vote.html", context, status=status))
    where = district or ""
    context.update(
        district=where,
        district_fixed=voter.district is not None or not rules.has_districts,
        budget=rules.budget_for(where),
        budget_text=ballots.kr(rules.budget_for(where)),
        current=current,
        asks_lives_here=actions.needs_lives_here(rules),
        lives_here=lives_here,
        voting_with_code=keys_shown(code) if rules.voters == CODES else "",
    )
    status = 200
    error = ""
    if request.method == "POST":
        try:
            chosen = _chosen(request, rules)
        except ActionRefused as refused:
            chosen, error, status = {}, refused.message, refused.status
        if not error and action != "update":
            try:
                cast = actions.do_vote(
                    request.user,
                    instance,
                    chosen,
                    code=code,
                    district=where,
                    lives_here=lives_here,
                )
            except ActionRefused as refused:
                error, status = refused.message, refused.status
            else:
                return _stored(request, instance, cast)
    else:
        chosen = (
            {int(k): int(v) for k, v in current.choices.items() if str(k).isdigit()}
            if current is not None and current.district == where
            else {}
        )
    rows = _ballot_rows(instance, where, chosen)
    context.update(
        rows=rows,
        totals=_totals(rules, rows, context["budget"], chosen),
        error=error,
        updated=action == "update",
        current_titles=_current_titles(instance, current),
    )
    return private(render(request, "budgeting/vote.html", context, status=status))


def keys_shown(code: str) -> str:
    cleaned = keys.normalise(code)
    return keys.shown(cleaned) if cleaned else ""


def _current_titles(instance: MethodInstance, current: Any) -> list[str]:
    if current is None:
        return []
    titles = queries.titles_of(instance)
    return [
        titles.get(str(k), str(k)) + (f" ({v})" if rules_of(instance).ballot == CUMULATIVE else "")
        for k, v in sorted(current.choices.items(), key=lambda kv: int(kv[0]))
    ]


def _code_post(
    request: HttpRequest, instance: MethodInstance, context: dict[str, Any], action: str
) -> HttpResponseBase:
    target = registry.instance_url(instance, "vote")
    if action == "forget":
        _forget_code(request, instance)
        messages.success(request, _("The code is forgotten on this device."))
        return HttpResponseRedirect(target)
    form = CodeForm(request.POST)
    context["code_form"] = form
    if not form.is_valid():
        return private(render(request, "budgeting/vote.html", context, status=400))
    typed = form.cleaned_data["code"]
    try:
        found = _checked_code(request, instance, typed)
    except ratelimit.Limited as limited:
        form.add_error(None, limited.message)
        response = render(request, "budgeting/vote.html", context, status=429)
        return private(ratelimit.retry_later(response, limited.retry_after))
    except actions.BadCode as bad:
        form.add_error("code", bad.message)
        return private(render(request, "budgeting/vote.html", context, status=bad.status))
    _remember_code(request, instance, found)
    return HttpResponseRedirect(target)


def _checked_code(request: HttpRequest, instance: MethodInstance, typed: str) -> str:
    """The stored code for what was typed; wrong codes count against the connection."""
    if ratelimit.over_limit(request, CODE_LIMIT, "budgeting-code", instance.pk):
        raise ratelimit.Limited(ratelimit.too_many_message(), CODE_LIMIT)
    try:
        return actions.find_code(instance, typed).code
    except actions.BadCode:
        ratelimit.allow_client(request, CODE_LIMIT, "budgeting-code", instance.pk)
        raise


def _bad_code(
    request: HttpRequest,
    instance: MethodInstance,
    context: dict[str, Any],
    bad: actions.BadCode,
    code: str,
) -> HttpResponseBase:
    """A code posted with the ballot (or remembered) that is not valid (any more)."""
    try:
        _checked_code(request, instance, code)
    except ratelimit.Limited as limited:
        context["code_form"] = CodeForm(initial={"code": code})
        context["code_form"].is_valid()
        context["refusal"] = limited.message
        response = render(request, "budgeting/vote.html", context, status=429)
        return private(ratelimit.retry_later(response, limited.retry_after))
    except actions.BadCode:
        pass
    _forget_code(request, instance)
    form = CodeForm({"code": code})
    form.is_valid()
    form.add_error("code", bad.message)
    context["code_form"] = form
    return private(render(request, "budgeting/vote.html", context, status=bad.status))


# -- results ---------------------------------------------------------------------------------


def chart(result: queries.ElectionResult, title: str, uid: str = "") -> str:
    """Votes (or points) per project, most first, each bar saying whether it was funded;
    ``uid`` names the drawing (default: from the district)."""
    bars = [
        charts.Bar(
            (_("%(title)s (funded)") if item.funded else _("%(title)s (not funded)"))
            % {"title": item.title},
            item.support,
            support_text(item.support, result.cumulative),
        )
        for item in sorted(result.items, key=lambda i: -i.support)
    ]
    description = (
        _("Points per project, from most to fewest; each bar says whether it was funded.")
        if result.cumulative
        else _("Votes per project, from most to fewest; each bar says whether it was funded.")
    )
    uid = uid or f"chart-{slug_of(result.district) or 'alle'}"
    return charts.bar_chart(title, description, bars, uid=uid, css="budget-chart")


def slug_of(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def results(request: HttpRequest, instance: MethodInstance) -> HttpResponseBase:
    if request.method not in ("GET", "HEAD"):
        return not_allowed("GET, HEAD")
    context = _base(request, instance)
    found = queries.results(instance, context["rules"]) if context["stage"] == "results" else []
    blocks = []
    for result in found:
        title = (
            _("Votes for the projects in %(district)s") % {"district": result.district}
            if result.district
            else _("Votes for the projects")
        )
        blocks.append(
            {
                "result": result,
                "chart": chart(result, title) if result.shown else "",
                "title": title,
                "anchor": slug_of(result.district) or "alle",
                "budget": ballots.kr(result.budget),
                "cost": ballots.kr(result.cost),
                "left": ballots.kr(result.left),
                "rows": [
                    {
                        "item": item,
                        "url": _project_url(instance, item.number),
                        "cost": ballots.kr(item.cost),
                        "support": support_text(item.support, result.cumulative),
                    }
                    for item in result.items
                ],
                "ballots_text": ngettext("%(n)d voter", "%(n)d voters", result.ballots)
                % {"n": result.ballots},
            }
        )
    plugin = registry.get(instance.method_key)
    exports = [
        (e.label, plugin.export_url(instance, e.key))
        for e in plugin.exports
        if e.audience == "public" and e.available(instance)
    ]
    context.update(
        blocks=blocks, election=queries.election(instance), exports=exports, counted=bool(found)
    )
    return render(request, "budgeting/results.html", context)


URLS: list[URLPattern | URLResolver] = [
    path("forslag/", propose, name="propose"),
    path("prosjekt/<int:number>/", project, name="project"),
    path("stem/", vote, name="vote"),
    path("resultat/", results, name="results"),
    path("bilete/<int:pk>/", photo, name="photo"),
]
