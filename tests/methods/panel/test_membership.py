"""The panel's member side through its actions: joining with consent and age, the profile's
rules, once per municipality (also in a race), changing answers, leaving (erased, audited),
membership per municipality, «Mine data» and erasure."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from medvirk.core.audit_labels import action_label
from medvirk.core.errors import ActionRefused
from medvirk.identity.actions import do_erase_account
from medvirk.identity.models import User
from medvirk.identity.queries import export_my_data
from medvirk.methods.panel import actions, dimensions, queries
from medvirk.methods.panel.models import Dimension, Draw, Invitation, PanelMember
from medvirk.organisations.models import Municipality
from medvirk.processes.models import MethodInstance, ProcessStatus
from tests import factories
from tests.concurrency import in_parallel
from tests.methods.panel.conftest import join, make_panel, resident

pytestmark = pytest.mark.django_db

DISTRICTS = [
    {"key": "sentrum", "label": "Lillevik sentrum"},
    {"key": "nordvik", "label": "Nordvik"},
]
PROFILE = {"alder": "25-34", "kjonn": "female", "krins": "nordvik"}


def name_districts(org: Municipality) -> None:
    dimensions.ensure_defaults(org)
    Dimension.objects.filter(municipality=org, key="krins").update(options=DISTRICTS)


def draw_with_invitation(panel: MethodInstance, member: PanelMember) -> Invitation:
    """A draw of one for a survey in the panel's case, and its invitation of ``member``."""
    survey = factories.method(panel.process, panel.phase, key="survey", title="The survey")
    draw = Draw.objects.create(method_instance=panel, target=survey, size=1, seed="s" * 32)
    return Invitation.objects.create(
        draw=draw,
        member=member,
        code=member.code,
        stratum={"kjonn": member.profile.get("kjonn", "unknown")},
        nonce="n" * 32,
        sent_at=timezone.now(),
    )


# --- joining ------------------------------------------------------------------------------


def test_joining_stores_the_profile_a_random_code_and_the_consent_time(
    org: Municipality, panel_instance: MethodInstance
) -> None:
    name_districts(org)
    person = resident()
    mark = factories.audit_mark()
    before = timezone.now()
    member = actions.do_join(person, panel_instance, PROFILE, consent=True)
    assert member.municipality == org
    assert member.user == person
    assert member.profile == PROFILE
    assert member.consent_at >= before
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", member.code)
    # Joining is the resident's own act: not in the audit log.
    assert not factories.audited_since(mark).exists()
    assert queries.membership(person, org) == member
    assert queries.members(org) == [member]


def test_codes_are_random_and_unique() -> None:
    codes = {actions.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == 9 and not set(c) & set("01OIL") for c in codes)


def test_every_question_is_optional(panel_instance: MethodInstance) -> None:
    member = join(panel_instance, profile={"alder": "", "kjonn": "  ", "krins": ""})
    assert member.profile == {}


def test_joining_needs_consent_and_nothing_is_stored_without(
    panel_instance: MethodInstance,
) -> None:
    with pytest.raises(ActionRefused) as refused:
        actions.do_join(resident(), panel_instance, {"kjonn": "male"}, consent=False)
    assert refused.value.status == 400
    assert "agree" in refused.value.message
    assert not PanelMember.objects.exists()


def test_joining_needs_the_age_confirmation(
    org: Municipality, panel_instance: MethodInstance
) -> None:
    settings = dimensions.settings_of(org)
    settings.min_age = 16
    settings.save()
    with pytest.raises(ActionRefused) as refused:
        actions.do_join(resident(), panel_instance, {}, consent=True, of_age=False)
    assert refused.value.status == 400
    assert "16 years or older" in refused.value.message
    assert not PanelMember.objects.exists()


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        ({"kjonn": "robot"}, "Choose one of the options for “Gender”"),
        ({"alder": "5-9"}, "Choose one of the options for “Age”"),
        ({"krins": "atlantis"}, "Choose one of the options"),
        ({"income": "high"}, "Unknown profile question"),
    ],
)
def test_unknown_questions_and_options_are_refused(
    org: Municipality, panel_instance: MethodInstance, profile: dict[str, str], message: str
) -> None:
    name_districts(org)
    with pytest.raises(ActionRefused) as refused:
        actions.do_join(resident(), panel_instance, profile, consent=True)
    assert refused.value.status == 400
    assert message in refused.value.message
    assert not PanelMember.objects.exists()


def test_age_bands_start_at_the_municipalitys_lowest_age(
    org: Municipality, panel_instance: MethodInstance
) -> None:
    settings = dimensions.settings_of(org)
    settings.min_age = 18
    settings.save()
    with pytest.raises(ActionRefused):
        join(panel_instance, profile={"alder": "15-24"})
    assert join(panel_instance, profile={"alder": "18-24"}).profile == {"alder": "18-24"}


def test_joining_needs_a_verified_email_and_a_login(panel_instance: MethodInstance) -> None:
    for person in (resident(verified=False), AnonymousUser()):
        with pytest.raises(ActionRefused) as refused:
            actions.do_join(person, panel_instance, {}, consent=True)
        assert refused.value.status == 403
        assert "log in with" in refused.value.message
    assert not PanelMember.objects.exists()


def test_no_joining_when_the_case_is_decided_but_leaving_still_works(
    org: Municipality, panel_instance: MethodInstance
) -> None:
    person = resident()
    join(panel_instance, person)
    newcomer = resident()
    panel_instance.process.status = ProcessStatus.DECIDED
    panel_instance.process.save()
    with pytest.raises(ActionRefused) as refused:
        actions.do_join(newcomer, panel_instance, {}, consent=True)
    assert refused.value.status == 403
    actions.do_update_profile(person, org, {"kjonn": "male"})
    actions.do_leave(person, org)
    assert not PanelMember.objects.exists()


def test_a_second_join_is_refused_and_changes_nothing(
    org: Municipality, panel_instance: MethodInstance
) -> None:
    person = resident()
    first = join(panel_instance, person, {"kjonn": "female"})
    with pytest.raises(actions.AlreadyMember) as refused:
        actions.do_join(person, panel_instance, {"kjonn": "male"}, consent=True)
    assert refused.value.status == 409
    assert list(PanelMember.objects.values_list("pk", "profile")) == [
        (first.pk, {"kjonn": "female"})
    ]


@pytest.mark.django_db(transaction=True)
def test_parallel_joins_of_one_person_make_one_member(org: Municipality) -> None:
    panel = make_panel(org)
    person = resident()

    def attempt(i: int) -> str:
        try:
            actions.do_join(person, panel, {"kjonn": "female"}, consent=True)
        except actions.AlreadyMember:
            return "already"
        return "joined"

    outcomes = in_parallel(attempt, 6)
    assert sorted(outcomes) == ["already"] * 5 + ["joined"]
    assert PanelMember.objects.filter(user=person).count() == 1


def test_a_taken_code_is_drawn_again(
    panel_instance: MethodInstance, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = join(panel_instance)
    codes = iter([first.code, first.code, "WXYZ-2345"])
    monkeypatch.setattr(actions, "new_code", lambda: next(codes))
    second = join(panel_instance)
    assert second.code == "WXYZ-2345"
    assert PanelMember.objects.count() == 2


def test_when_no_free_code_is_found_the_join_fails_cleanly(
    panel_instance: MethodInstance, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = join(panel_instance)
    monkeypatch.setattr(actions, "new_code", lambda: first.code)
    with pytest.raises(ActionRefused) as refused:
        join(panel_instance)
    assert refused.value.status == 503
    assert PanelMember.objects.count() == 1


# --- one membership per municipality ----------------------------------------------------


def test_membership_belongs_to_the_municipality_not_the_case(
    org: Municipality, panel_instance: MethodInstance
) -> None:
    person = resident()
    member = join(panel_instance, person)
    elsewhere_in_lillevik = make_panel(org, title="Panel in another case")
    assert queries.membership(person, elsewhere_in_lillevik.process.municipality) == member
    with pytest.raises(actions.AlreadyMember):
        actions.do_join(person, elsewhere_in_lillevik, {}, consent=True)

    other_org = factories.municipality("Andrevik")
    other_panel = make_panel(other_org)
    assert queries.membership(person, other_org) is None
    assert queries.members(other_org) == []
    other_member = actions.do_join(person, other_panel, {}, consent=True)
    assert other_member.pk != member.pk
    assert queries.members(org) == [member]
    # Leaving one panel leaves the other alone.
    actions.do_leave(person, other_org)
    assert queries.membership(person, org) == member


def test_two_municipalities_may_have_the_same_code(
    org: Municipality, panel_instance: MethodInstance, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(actions, "new_code", lambda: "SAME-CODE")
    join(panel_instance)
    join(make_panel(factories.municipality("Andrevik")))
    assert PanelMember.objects.filter(code="SAME-CODE").count() == 2


# --- changing the profile -----------------------------------------------------------------


def test_the_member_changes_and_removes_answers(
    org: Municipality, panel_instance: MethodInstance
) -> None:
    name_districts(org)
    person = resident()
    member = join(panel_instance, person, PROFILE)
    updated = actions.do_update_profile(person, org, {"alder": "35-44", "kjonn": "", "krins": ""})
    assert updated.pk == member.pk
    member.refresh_from_db()
    assert member.profile == {"alder": "35-44"}
    assert member.code == updated.code


def test_a_bad_change_is_refused_and_changes_nothing(
    org: Municipality, panel_instance: MethodInstance
) -> None:
    person = resident()
    member = join(panel_instance, person, {"kjonn": "female"})
    with pytest.raises(ActionRefused) as refused:
        actions.do_update_profile(person, org, {"kjonn": "robot"})
    assert refused.value.status == 400
    member.refresh_from_db()
    assert member.profile == {"kjonn": "female"}


def test_only_a_member_can_change_a_profile(
    org: Municipality, panel_instance: MethodInstance
) -> None:
    join(panel_instance)
    for person in (resident(), AnonymousUser()):
        with pytest.raises(actions.NotMember) as refused:
            actions.do_update_profile(person, org, {"kjonn": "male"})
        assert refused.value.status == 404


# --- leaving ------------------------------------------------------------------------------


def test_leaving_erases_the_member_keeps_the_stratum_and_is_audited(
    org: Municipality, panel_instance: MethodInstance
) -> None:
    person = resident()
    member = join(panel_instance, person, {"kjonn": "female", "alder": "25-34"})
    invitation = draw_with_invitation(panel_instance, member)
    stayer = join(panel_instance)
    mark = factories.audit_mark()

    actions.do_leave(person, org)

    assert not PanelMember.objects.filter(pk=member.pk).exists()
    assert queries.membership(person, org) is None
    assert queries.members(org) == [stayer]
    invitation.refresh_from_db()
    assert invitation.member is None
    assert invitation.stratum == {"kjonn": "female"}
    [entry] = factories.audited_since(mark)
    assert entry.action == "panel.left"
    assert entry.actor_id == person.pk
    assert entry.municipality_id_ref == org.pk
    assert entry.object_type == "panel.panelmember"
    # Neither the profile nor the published code is tied to the account in the log.
    logged = json.dumps(entry.data)
    assert member.code not in logged
    assert "female" not in logged and "25-34" not in logged
    assert entry.data == {"invitations": 1}
    assert action_label("panel.left") != "panel.left"


def test_leaving_twice_or_without_membership_is_refused(
    org: Municipality, panel_instance: MethodInstance
) -> None:
    person = resident()
    join(panel_instance, person)
    actions.do_leave(person, org)
    mark = factories.audit_mark()
    with pytest.raises(actions.NotMember):
        actions.do_leave(person, org)
    assert not factories.audited_since(mark).exists()


def test_a_member_who_left_can_join_again_with_a_new_code(
    org: Municipality, panel_instance: MethodInstance
) -> None:
    person = resident()
    first = join(panel_instance, person)
    actions.do_leave(person, org)
    again = join(panel_instance, person)
    assert again.pk != first.pk


# --- «Mine data» and erasure ----------------------------------------------------------


def test_my_data_has_the_membership_with_answers_in_words_and_invitations(
    org: Municipality, panel_instance: MethodInstance
) -> None:
    name_districts(org)
    person = resident()
    member = join(panel_instance, person, PROFILE)
    draw_with_invitation(panel_instance, member)
    join(panel_instance, profile={"kjonn": "male"})  # someone else

    data = export_my_data(person)
    json.dumps(data)
    [mine] = data["panel_memberships"]
    assert mine["municipality"] == org.name
    assert mine["member_code"] == member.code
    assert mine["consent_given_at"] == member.consent_at.isoformat()
    assert mine["profile"] == [
        {"question": "Age", "answer": "25–34 years"},
        {"question": "Gender", "answer": "Woman"},
        {"question": "Where you live (district)", "answer": "Nordvik"},
    ]
    [invitation] = mine["invitations"]
    assert invitation["invited_to"] == "The survey"
    assert invitation["sent_at"] is not None
    assert invitation["answered_at"] is None
    assert data["panel_draws_made"] == []


def test_my_data_of_staff_lists_the_draws_they_made(
    org: Municipality, panel_instance: MethodInstance, officer: User
) -> None:
    member = join(panel_instance)
    invitation = draw_with_invitation(panel_instance, member)
    Draw.objects.filter(pk=invitation.draw_id).update(created_by=officer)
    [made] = export_my_data(officer)["panel_draws_made"]
    assert made["size"] == 1
    assert made["invited_to"] == "The survey"
    do_erase_account(officer)
    assert Draw.objects.get(pk=invitation.draw_id).created_by is None


def test_erasing_the_account_deletes_the_membership(
    org: Municipality, panel_instance: MethodInstance
) -> None:
    person = resident()
    member = join(panel_instance, person, {"kjonn": "female"})
    invitation = draw_with_invitation(panel_instance, member)
    other = join(panel_instance)
    do_erase_account(person)
    assert list(PanelMember.objects.all()) == [other]
    invitation.refresh_from_db()
    assert invitation.member is None
    assert invitation.code == member.code  # the published lottery still checks out
