"""The staff's side: the check with a reasoned answer and the similar earlier proposals of the
valgperiode, closing and delivering, the plan case, the pages' gates, and the audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from medvirk.accountability.models import Response, ResponseStatus
from medvirk.core.errors import ActionRefused
from medvirk.identity.models import User
from medvirk.methods.initiative import actions, queries, staff_actions
from medvirk.methods.initiative.models import Initiative, Status
from medvirk.organisations.models import Municipality, Role
from tests import factories

from .conftest import EN, LAMPS_TEXT, Initiatives, collecting, make_instance, propose, sign_many

pytestmark = pytest.mark.django_db


def test_starting_signing_answers_the_proposer_and_is_audited(
    initiatives: Initiatives, officer: User
) -> None:
    initiative = propose(initiatives.instance)
    mark = factories.audit_mark()
    staff_actions.do_check(officer, initiative, approve=True)
    initiative.refresh_from_db()
    assert initiative.status == Status.COLLECTING
    assert initiative.checked_by == officer
    assert initiative.threshold == 81
    response = Response.objects.get(contribution=initiative.contribution)
    assert response.status == ResponseStatus.UNDER_REVIEW
    assert "81 signatures are needed" in response.reason
    actions_logged = [e.action for e in factories.audited_since(mark)]
    assert "initiative.checked" in actions_logged and "response.set" in actions_logged
    with pytest.raises(ActionRefused, match="checked already") as again:
        staff_actions.do_check(officer, initiative, approve=True)
    assert again.value.status == 409


def test_refusing_needs_reasons(initiatives: Initiatives, officer: User) -> None:
    initiative = propose(initiatives.instance)
    with pytest.raises(ActionRefused, match="reasoned answer"):
        staff_actions.do_check(officer, initiative, approve=False, reason="  ")
    staff_actions.do_check(
        officer, initiative, approve=False, reason="Saka gjeld fylkesvegen, ikkje kommunen."
    )
    initiative.refresh_from_db()
    assert initiative.status == Status.REFUSED
    assert initiative.signing_opens_at is None
    response = Response.objects.get(contribution=initiative.contribution)
    assert response.status == ResponseStatus.OUT_OF_SCOPE
    # Not public, but the proposer sees the answer on their own page.
    assert Client(**EN).get(initiatives.url("initiative", pk=initiative.pk)).status_code == 404


def test_a_held_text_must_be_moderated_before_signing(
    initiatives: Initiatives, officer: User
) -> None:
    initiative = propose(initiatives.instance, text=LAMPS_TEXT + " Sjå https://example.org/lys")
    with pytest.raises(ActionRefused, match="not published yet") as refused:
        staff_actions.do_check(officer, initiative, approve=True)
    assert refused.value.status == 409
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED


def test_roles_decide_who_does_what(initiatives: Initiatives, moderator: User) -> None:
    initiative = propose(initiatives.instance)
    with pytest.raises(ActionRefused) as refused:
        staff_actions.do_check(moderator, initiative, approve=True)
    assert refused.value.status == 403
    other_officer = factories.staff(factories.municipality("Andrevik"))
    with pytest.raises(ActionRefused):
        staff_actions.do_check(other_officer, initiative, approve=True)


def test_the_staff_pages_are_gated(
    initiatives: Initiatives, officer: User, moderator: User
) -> None:
    initiative = propose(initiatives.instance)
    url = initiatives.url("staff_initiative", pk=initiative.pk)
    anonymous = Client(**EN).get(url)
    assert anonymous.status_code == 302 and "/konto/logg-inn/" in anonymous["Location"]
    as_moderator = Client(**EN)
    as_moderator.force_login(moderator)
    refused = as_moderator.get(url)
    assert refused.status_code == 403
    assert "do not have access" in refused.content.decode()
    assert as_moderator.get(initiatives.url("staff_paper", pk=initiative.pk)).status_code == 403
    as_resident = Client(**EN)
    as_resident.force_login(factories.user())
    assert as_resident.get(initiatives.url("staff_signatures", pk=initiative.pk)).status_code == 403
    staff = Client(**EN)
    staff.force_login(officer)
    page = staff.get(url)
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    other = make_instance(factories.municipality("Andrevik"))
    assert staff.get(other.url("staff_initiative", pk=initiative.pk)).status_code in (403, 404)
    assert staff.get(initiatives.url("staff_initiative", pk=999_999)).status_code == 404


def test_the_check_through_the_page(initiatives: Initiatives, staff_client: Client) -> None:
    initiative = propose(initiatives.instance)
    url = initiatives.url("staff_initiative", pk=initiative.pk)
    html = staff_client.get(url).content.decode()
    assert 'id="check-form"' in html and 'id="liknande"' in html
    missing = staff_client.post(url, {"action": "check", "outcome": "refuse", "reason": ""})
    assert missing.status_code == 400
    assert "reasoned answer" in missing.content.decode()
    unknown = staff_client.post(url, {"action": "explode"})
    assert unknown.status_code == 400
    done = staff_client.post(url, {"action": "check", "outcome": "approve", "reason": ""})
    assert done.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == Status.COLLECTING


def test_similar_earlier_proposals_of_the_valgperiode_are_shown(
    org: Municipality, initiatives: Initiatives, officer: User, staff_client: Client
) -> None:
    earlier = collecting(initiatives.instance, officer, title="Gatelys langs skulevegen")
    unrelated = propose(
        initiatives.instance,
        title="Lengre opningstider på biblioteket",
        text="Biblioteket bør vere ope i helgane, med lesesal for studentar og eldre som vil lese.",
    )
    # Another instance of the same kommune counts too; another kommune does not.
    elsewhere = make_instance(factories.municipality("Andrevik"))
    propose(elsewhere.instance, title="Gatelys langs skulevegen")
    same_again = propose(
        make_instance(org).instance,
        title="Lys på skulevegen",
        text="Skulevegen frå Nordbygda er mørk om vinteren. Set opp gatelys langs vegen, så "
        "borna går trygt til skulen.",
    )
    found = queries.similar_earlier(same_again)
    assert [s.initiative for s in found] == [earlier]
    assert found[0].score >= 0.25
    html = staff_client.get(make_instance_url(same_again, "staff_initiative")).content.decode()
    assert "Gatelys langs skulevegen" in html
    del unrelated


def make_instance_url(initiative: Initiative, name: str) -> str:
    from medvirk.processes import registry

    instance = initiative.method_instance
    return registry.get("initiative").url(instance, name, pk=initiative.pk)


def test_a_proposal_of_an_earlier_valgperiode_is_not_compared(
    initiatives: Initiatives, officer: User
) -> None:
    old = propose(initiatives.instance)
    # Sent in before 1 October of the last election year: another valgperiode.
    start, _end = queries.config.valgperiode(timezone.localdate())
    Initiative.objects.filter(pk=old.pk).update(
        submitted_at=timezone.make_aware(dt.datetime.combine(start, dt.time(0)))
        - dt.timedelta(days=1)
    )
    new = propose(initiatives.instance)
    assert queries.similar_earlier(new) == []


def test_closing_and_delivering_below_the_threshold(
    initiatives: Initiatives, officer: User, staff_client: Client
) -> None:
    initiative = collecting(initiatives.instance, officer)
    sign_many(initiatives.instance, initiative, 5)
    url = initiatives.url("staff_initiative", pk=initiative.pk)
    assert staff_client.post(url, {"action": "close"}).status_code == 400  # not confirmed
    assert staff_client.post(url, {"action": "close", "close-confirm": "on"}).status_code == 302
    initiative.refresh_from_db()
    assert not actions.is_open(initiative)
    with pytest.raises(ActionRefused, match="not open"):
        staff_actions.do_close_signing(officer, initiative)
    refused = staff_client.post(url, {"action": "deliver"})
    assert refused.status_code == 400
    assert "5 of the 81 signatures" in refused.content.decode()
    assert staff_client.post(url, {"action": "deliver", "below_threshold": "on"}).status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == Status.DELIVERED
    assert initiative.delivered_by == officer
    row = queries.row_of(initiative)
    assert not row.obliged and row.deadline is None  # the council is not bound
    public = Client(**EN).get(initiatives.url("initiative", pk=initiative.pk)).content.decode()
    assert "not bound" in public


def test_referring_to_a_plan_case_removes_the_deadline(
    initiatives: Initiatives, officer: User, staff_client: Client
) -> None:
    small = factories.municipality("Smaavik", inhabitants=50)
    instance = make_instance(small).instance
    small_officer = factories.staff(small)
    initiative = collecting(instance, small_officer)
    sign_many(instance, initiative, 1)
    initiative.refresh_from_db()
    assert queries.row_of(initiative).deadline is not None
    with pytest.raises(ActionRefused, match="Name the plan case"):
        staff_actions.do_refer(small_officer, initiative, referred=True, plan_case=" ")
    staff_actions.do_refer(
        small_officer, initiative, referred=True, plan_case="Kommuneplanens arealdel 2026"
    )
    initiative.refresh_from_db()
    assert queries.row_of(initiative).deadline is None
    staff_actions.do_refer(small_officer, initiative, referred=False)
    initiative.refresh_from_db()
    assert queries.row_of(initiative).deadline is not None
    waiting = propose(instance)
    with pytest.raises(ActionRefused, match="Only a delivered"):
        staff_actions.do_refer(small_officer, waiting, referred=True, plan_case="x")


def test_the_editor_lists_every_proposal_and_warns_of_deadlines(
    initiatives: Initiatives, officer: User, staff_client: Client
) -> None:
    propose(initiatives.instance, title="Ventar på sjekk")
    collecting(initiatives.instance, officer, title="Samlar underskrifter")
    instance = initiatives.instance
    editor = f"/stab/sak/{instance.process_id}/metode/{instance.pk}/innhald/"
    html = staff_client.get(editor).content.decode()
    assert "Ventar på sjekk" in html and "Samlar underskrifter" in html
    assert 'id="to-check"' in html
    assert 'id="deadline-warnings"' not in html
    # A delivered proposal whose deadline is ten days away is warned of.
    Initiative.objects.filter(title="Samlar underskrifter").update(
        status=Status.DELIVERED,
        delivered_at=timezone.now() - dt.timedelta(days=175),
        delivered_count=81,
    )
    html = staff_client.get(editor).content.decode()
    assert 'id="deadline-warnings"' in html
    as_moderator = Client(**EN)
    as_moderator.force_login(factories.staff(instance.process.municipality, Role.MODERATOR))
    assert as_moderator.get(editor).status_code in (403, 404)
