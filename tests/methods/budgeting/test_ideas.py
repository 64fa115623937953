"""Ideas and their review: an idea is a contribution with a receipt; staff cost it and put it
on the ballot, reject it with the reason or merge a duplicate, and the author gets the
answer; staff add projects; the ballot is fixed once the vote opens; the stages follow the
case's phases."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.test import Client

from medvirk.accountability.models import Response
from medvirk.contributions.models import Contribution
from medvirk.core.errors import ActionRefused
from medvirk.identity.models import User
from medvirk.methods.budgeting import actions, staff_actions
from medvirk.methods.budgeting.models import Project
from medvirk.organisations.models import Municipality, Role
from medvirk.processes.models import PhaseKind
from tests import factories

from .conftest import EN, Budget, add, at, make_budget, make_codes, open_vote

pytestmark = pytest.mark.django_db

IDEA = {
    "title": "Gapahuk ved skulen",
    "description": "Ein gapahuk der klassane kan ha uteskule når det regnar.",
    "proposed_cost": "60000",
    "district": "",
    "author_name": "Ida",
    "show_name": "on",
    "contact_email": "ida@example.org",
}


def _propose(budget: Budget, title: str = "Gapahuk", **extra: Any) -> Project:
    idea = actions.Idea(title=title, description=f"{title} ved skulen, for alle klassane.", **extra)
    return actions.do_propose(AnonymousUser(), budget.instance, idea).project


def test_an_idea_is_a_contribution_with_a_receipt(
    org: Municipality, django_capture_on_commit_callbacks: Any
) -> None:
    budget = make_budget(org)
    client = Client(**EN)
    form = client.get(budget.url("propose"))
    assert form.status_code == 200
    assert 'name="proposed_cost"' in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(budget.url("propose"), IDEA)
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert response["Location"] == contribution.receipt_url()
    assert contribution.kind == "idea" and contribution.data["title"] == "Gapahuk ved skulen"
    project = Project.objects.get()
    assert (project.number, project.title, project.proposed_cost) == (
        1,
        "Gapahuk ved skulen",
        60_000,
    )
    assert project.status == "proposed" and project.contribution == contribution
    assert mail.outbox and "ida@example.org" in mail.outbox[0].to  # the receipt
    page = client.get(budget.url()).content.decode()
    assert "Gapahuk ved skulen" in page


def test_a_bad_idea_is_refused_and_nothing_is_stored(org: Municipality) -> None:
    budget = make_budget(org)
    client = Client(**EN)
    for bad in ({"title": ""}, {"description": "kort"}, {"proposed_cost": "mange"}):
        response = client.post(budget.url("propose"), {**IDEA, **bad})
        assert response.status_code == 400, bad
    response = client.post(budget.url("propose"), {**IDEA, "district": "Månen"})
    assert response.status_code == 400
    assert not Project.objects.exists() and not Contribution.objects.exists()


def test_a_national_id_in_an_idea_is_masked_and_held(org: Municipality) -> None:
    budget = make_budget(org)
    project = _propose(budget, "Lys 01819012365")
    assert "01819012365" not in project.title
    assert project.contribution is not None and project.contribution.moderation == "held"
    # Held ideas are not shown to the public.
    page = Client(**EN).get(budget.url()).content.decode()
    assert project.title not in page


@pytest.mark.parametrize(
    ("kind", "stage"),
    [
        (PhaseKind.INVESTIGATION, "ideas"),
        (PhaseKind.ALTERNATIVES, "review"),
        (PhaseKind.DECISION, "vote"),
        (PhaseKind.FOLLOW_UP, "results"),
    ],
)
def test_the_stage_follows_the_kind_of_the_case_phase(
    org: Municipality, kind: str, stage: str
) -> None:
    budget = make_budget(org, kind=kind)
    assert actions.stage_of(budget.instance) == stage
    response = Client(**EN).get(budget.url("propose"))
    assert response.status_code == (200 if stage == "ideas" else 403)


def test_a_phase_can_be_given_another_stage(org: Municipality) -> None:
    budget = make_budget(org)
    instance = budget.instance
    instance.phase_settings = {str(instance.phase_id): {"stage": "review"}}
    instance.save()
    assert actions.stage_of(instance) == "review"
    # A vote phase that has ended is over: results.
    instance.phase_settings = {str(instance.phase_id): {"stage": "vote"}}
    assert actions.stage_of(instance, now=at(30)) == "results"
    assert actions.stage_of(instance, now=at(-30)) == "upcoming"


def test_accepting_puts_it_on_the_ballot_and_answers_the_author(
    org: Municipality, officer: User, django_capture_on_commit_callbacks: Any
) -> None:
    budget = make_budget(org)
    author = factories.user("forfattar", email_verified=True)
    idea = actions.Idea(title="Gapahuk", description="Ein gapahuk ved skulen for alle.")
    project = actions.do_propose(author, budget.instance, idea).project
    mark = factories.audit_mark()
    with django_capture_on_commit_callbacks(execute=True):
        staff_actions.do_review(
            officer,
            budget.instance,
            project.number,
            staff_actions.Review(
                "accept", staff_actions.Ballotline("Gapahuk med benkar", "Tak og benkar.", 70_000)
            ),
        )
    project.refresh_from_db()
    assert (project.status, project.cost, project.title) == (
        "accepted",
        70_000,
        "Gapahuk med benkar",
    )
    response = Response.objects.get(contribution=project.contribution)
    assert response.status == "adopted"
    assert (
        "on the ballot as «Gapahuk med benkar»" in response.reason
        and "70,000 kr" in response.reason
    )
    assert author.notifications.exists()
    assert [e.action for e in factories.audited_since(mark)].count("budgeting.reviewed") == 1


def test_rejecting_needs_a_reason_which_the_author_gets(org: Municipality, officer: User) -> None:
    budget = make_budget(org)
    project = _propose(budget, "Basseng")
    with pytest.raises(ActionRefused, match="Say why"):
        staff_actions.do_review(
            officer, budget.instance, project.number, staff_actions.Review("reject")
        )
    staff_actions.do_review(
        officer,
        budget.instance,
        project.number,
        staff_actions.Review("reject", reason="Kostar millionar.", refusal="out_of_scope"),
    )
    project.refresh_from_db()
    assert project.status == "rejected"
    assert Response.objects.get(contribution=project.contribution).status == "out_of_scope"


def test_a_project_costing_more_than_the_budget_cannot_go_on_the_ballot(
    org: Municipality, officer: User
) -> None:
    budget = make_budget(org, settings={"budget": 100_000})
    project = _propose(budget)
    with pytest.raises(ActionRefused, match="more than the whole budget"):
        staff_actions.do_review(
            officer,
            budget.instance,
            project.number,
            staff_actions.Review("accept", staff_actions.Ballotline("Gapahuk", "", 150_000)),
        )
    assert Project.objects.get().status == "proposed"


def test_merging_a_duplicate(org: Municipality, officer: User) -> None:
    budget = make_budget(org)
    kept = add(budget, officer, "Fotballmål", 30_000)
    duplicate = _propose(budget, "Nye fotballmål")
    other = _propose(budget, "Huske")
    with pytest.raises(ActionRefused, match="accept that one first"):
        staff_actions.do_review(
            officer,
            budget.instance,
            duplicate.number,
            staff_actions.Review("merge", merge_into=other.number),
        )
    staff_actions.do_review(
        officer,
        budget.instance,
        duplicate.number,
        staff_actions.Review("merge", merge_into=kept.number),
    )
    duplicate.refresh_from_db()
    assert duplicate.status == "merged" and duplicate.merged_into == kept
    answer = Response.objects.get(contribution=duplicate.contribution)
    assert "«Fotballmål»" in answer.reason
    # The kept project cannot now be rejected from under the merged idea.
    with pytest.raises(ActionRefused, match="merged into this project"):
        staff_actions.do_review(
            officer, budget.instance, kept.number, staff_actions.Review("reject", reason="Nei.")
        )


def test_the_ballot_is_fixed_once_the_vote_opens(org: Municipality, officer: User) -> None:
    budget = make_budget(org, settings={"voters": "codes"})
    add(budget, officer, "Fotballmål", 30_000)
    waiting = _propose(budget)
    open_vote(budget, officer)
    with pytest.raises(ActionRefused, match="ballot is fixed"):
        add(budget, officer, "Huske", 40_000)
    with pytest.raises(ActionRefused, match="ballot is fixed"):
        staff_actions.do_review(
            officer,
            budget.instance,
            waiting.number,
            staff_actions.Review("accept", staff_actions.Ballotline("Gapahuk", "", 10_000)),
        )
    assert make_codes(budget, officer, 2)  # codes can still be made during the vote


def test_districts_need_a_district_on_accept(org: Municipality, officer: User) -> None:
    budget = make_budget(org, settings={"districts": "Sentrum: 100000\nKaia: 50000"})
    project = _propose(budget, district="kaia")
    assert project.district == "Kaia"
    with pytest.raises(ActionRefused, match="Choose the district"):
        staff_actions.do_review(
            officer,
            budget.instance,
            project.number,
            staff_actions.Review("accept", staff_actions.Ballotline("Gapahuk", "", 10_000)),
        )
    with pytest.raises(ActionRefused, match="more than the whole budget"):
        add(budget, officer, "Brygge", 60_000, "Kaia")
    assert add(budget, officer, "Brygge", 50_000, "Kaia").district == "Kaia"


# -- staff pages ---------------------------------------------------------------------------


def test_the_staff_pages_need_the_role(org: Municipality, officer: User) -> None:
    budget = make_budget(org)
    project = _propose(budget)
    urls = [
        budget.url("staff_project", number=project.number),
        budget.url("staff_add"),
        budget.url("staff_codes"),
    ]
    anonymous = Client(**EN)
    for url in urls:
        assert anonymous.get(url).status_code == 302  # to the login page
    moderator = Client(**EN)
    moderator.force_login(factories.staff(org, Role.MODERATOR))
    for url in urls:
        response = moderator.get(url)
        assert response.status_code == 403
        assert "Your role in" in response.content.decode()


def test_review_and_add_through_the_staff_pages(
    org: Municipality, officer: User, staff_client: Client
) -> None:
    budget = make_budget(org)
    project = _propose(budget)
    editor = staff_client.get(
        f"/stab/sak/{budget.instance.process_id}/metode/{budget.instance.pk}/innhald/"
    )
    assert editor.status_code == 200 and "Gapahuk" in editor.content.decode()
    url = budget.url("staff_project", number=project.number)
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(url, {"action": "review", "decision": "reject", "reason": ""})
    assert response.status_code == 400
    assert "Say why" in response.content.decode()
    response = staff_client.post(
        url,
        {"action": "review", "decision": "accept", "title": "Gapahuk", "cost": "70000"},
    )
    assert response.status_code == 302
    assert Project.objects.get(pk=project.pk).status == "accepted"
    response = staff_client.post(
        budget.url("staff_add"),
        {"title": "Sykkelstativ", "description": "Med tak.", "cost": "38000"},
    )
    assert response.status_code == 302
    assert Project.objects.filter(status="accepted").count() == 2
    assert (
        staff_client.post(budget.url("staff_add"), {"title": "X", "cost": "-4"}).status_code == 400
    )


def test_codes_through_the_staff_pages_and_the_printable_list(
    org: Municipality, officer: User, staff_client: Client
) -> None:
    budget = make_budget(org, settings={"voters": "codes"})
    response = staff_client.post(
        budget.url("staff_codes"), {"action": "make", "label": "7A", "count": "25"}
    )
    assert response.status_code == 302
    mark = factories.audit_mark()
    listing = staff_client.get(response["Location"])
    assert listing.status_code == 200
    assert listing.content.decode().count('class="budget-slip"') == 25
    assert listing["Cache-Control"] == "private, no-store"
    assert [e.action for e in factories.audited_since(mark)] == ["budgeting.codes_shown"]
    assert (
        staff_client.post(
            budget.url("staff_codes"), {"action": "make", "label": "", "count": "5000"}
        ).status_code
        == 400
    )


def test_open_and_close_from_the_editor(
    org: Municipality, officer: User, staff_client: Client
) -> None:
    budget = make_budget(org, settings={"voters": "codes"})
    editor = f"/stab/sak/{budget.instance.process_id}/metode/{budget.instance.pk}/innhald/"
    soon = at(2).strftime("%Y-%m-%dT%H:%M")
    response = staff_client.post(editor, {"action": "open", "closes_at": soon})
    assert response.status_code == 409  # nothing on the ballot yet
    assert "at least one project on the ballot" in response.content.decode()
    add(budget, officer, "Fotballmål", 30_000)
    response = staff_client.post(editor, {"action": "open", "closes_at": "2001-01-01T12:00"})
    assert response.status_code == 400
    response = staff_client.post(editor, {"action": "open", "closes_at": soon})
    assert response.status_code == 302
    assert actions.stage_of(budget.instance) == "vote"
    assert staff_client.post(editor, {"action": "close"}).status_code == 400  # not confirmed
    response = staff_client.post(editor, {"action": "close", "close-confirm": "on"})
    assert response.status_code == 302
    assert actions.stage_of(budget.instance) == "results"
    assert staff_client.post(editor, {"action": "nonsense"}).status_code == 400
