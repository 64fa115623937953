"""The consultation period: the six-week rule for plan cases (plan- og bygningsloven), the
notice of start that may be shorter, and what the editor does with each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from medvirk.core.errors import ActionRefused
from medvirk.identity.models import User
from medvirk.methods.hearing import staff_actions
from medvirk.methods.hearing.models import Hearing, PlanStage
from medvirk.methods.hearing.period import LAW_SECTIONS, Period, check_period, minimum_days
from medvirk.organisations.models import Municipality
from tests import factories

from .conftest import HearingCase, make_hearing

pytestmark = pytest.mark.django_db

START = dt.date(2026, 3, 2)
PLAN_STAGES = [
    PlanStage.PLANNING_PROGRAMME,
    PlanStage.MUNICIPAL_PLAN,
    PlanStage.ZONING_PLAN,
]


@pytest.mark.parametrize("stage", PLAN_STAGES)
def test_a_plan_case_needs_exactly_six_weeks(stage: str) -> None:
    assert minimum_days(stage) == 42
    check_period(stage, START, START + dt.timedelta(days=42))  # exactly six weeks: fine
    with pytest.raises(ActionRefused) as refused:
        check_period(stage, START, START + dt.timedelta(days=41))
    message = refused.value.message
    assert "six weeks" in message
    assert LAW_SECTIONS[stage] in message  # the section of law is named
    assert "41 days" in message


def test_the_sections_of_law_are_the_right_ones() -> None:
    assert "§ 12-10" in LAW_SECTIONS[PlanStage.ZONING_PLAN]
    assert "§ 11-14" in LAW_SECTIONS[PlanStage.MUNICIPAL_PLAN]
    assert "§ 4-1" in LAW_SECTIONS[PlanStage.PLANNING_PROGRAMME]


def test_a_notice_of_start_may_be_shorter() -> None:
    assert minimum_days(PlanStage.NOTICE_OF_START) == 0
    check_period(PlanStage.NOTICE_OF_START, START, START + dt.timedelta(days=14))


@pytest.mark.parametrize("days", [0, 1, 10, 41, 400])
def test_not_a_plan_case_has_any_length(days: int) -> None:
    check_period(PlanStage.NOT_PLAN, START, START + dt.timedelta(days=days))


@pytest.mark.parametrize("stage", [PlanStage.NOT_PLAN, *PLAN_STAGES, PlanStage.NOTICE_OF_START])
def test_a_deadline_before_the_first_day_is_refused(stage: str) -> None:
    with pytest.raises(ActionRefused, match="cannot be before the first day"):
        check_period(stage, START, START - dt.timedelta(days=1))


def test_missing_dates_and_unknown_stages_are_refused() -> None:
    with pytest.raises(ActionRefused, match="both the first day and the deadline"):
        check_period(PlanStage.NOT_PLAN, None, START)
    with pytest.raises(ActionRefused, match="Choose what is on consultation"):
        check_period("bygning", START, START + dt.timedelta(days=60))


def test_days_left_and_lateness_count_the_deadline_day() -> None:
    span = Period(START, START + dt.timedelta(days=10))
    assert not span.has_started(START - dt.timedelta(days=1))
    assert span.has_started(START)
    assert span.days_left(START + dt.timedelta(days=10)) == 1  # the deadline day counts
    assert not span.is_late(START + dt.timedelta(days=10))
    assert span.is_late(START + dt.timedelta(days=11))
    assert span.days_left(START + dt.timedelta(days=11)) == 0


# -- the action and the editor's form ----------------------------------------------------


def test_saving_the_period_creates_the_hearing_and_is_audited(
    org: Municipality, officer: User
) -> None:
    case = make_hearing(org, with_row=False)
    mark = factories.audit_mark()
    hearing = staff_actions.do_save_period(
        officer,
        case.instance,
        stage=PlanStage.ZONING_PLAN,
        starts_on=START,
        ends_on=START + dt.timedelta(days=42),
    )
    assert Hearing.objects.get(method_instance=case.instance) == hearing
    rows = list(factories.audited_since(mark))
    assert [r.action for r in rows] == ["hearing.period_saved"]
    assert rows[0].data["created"] is True
    # The same values again change nothing and write nothing.
    staff_actions.do_save_period(
        officer,
        case.instance,
        stage=PlanStage.ZONING_PLAN,
        starts_on=START,
        ends_on=START + dt.timedelta(days=42),
    )
    assert factories.audited_since(mark).count() == 1


def test_a_refused_period_changes_nothing(hearing_case: HearingCase, officer: User) -> None:
    assert hearing_case.hearing is not None
    before = (hearing_case.hearing.starts_on, hearing_case.hearing.ends_on)
    mark = factories.audit_mark()
    with pytest.raises(ActionRefused, match="§ 11-14"):
        staff_actions.do_save_period(
            officer,
            hearing_case.instance,
            stage=PlanStage.MUNICIPAL_PLAN,
            starts_on=START,
            ends_on=START + dt.timedelta(days=30),
        )
    hearing = Hearing.objects.get(pk=hearing_case.hearing.pk)
    assert (hearing.starts_on, hearing.ends_on) == before
    assert hearing.plan_stage == PlanStage.NOT_PLAN
    assert not factories.audited_since(mark).exists()


def _editor(case: HearingCase) -> str:
    return f"/stab/sak/{case.instance.process_id}/metode/{case.instance.pk}/innhald/"


def _post_period(client: Client, case: HearingCase, stage: str, days: int) -> object:
    return client.post(
        _editor(case),
        {
            "action": "save_period",
            "period-plan_stage": stage,
            "period-starts_on": START.isoformat(),
            "period-ends_on": (START + dt.timedelta(days=days)).isoformat(),
        },
    )


def test_the_form_shows_the_reason_and_the_section_then_takes_six_weeks(
    client: Client, org: Municipality, officer: User
) -> None:
    case = make_hearing(org, with_row=False)
    client.force_login(officer)
    response = _post_period(client, case, PlanStage.ZONING_PLAN, 30)
    assert response.status_code == 400  # type: ignore[attr-defined]
    page = response.content.decode()  # type: ignore[attr-defined]
    assert "plan- og bygningsloven § 12-10" in page
    assert 'id="id_period-ends_on-error"' in page  # tied to the field it is about
    assert 'id="error-summary"' in page
    assert not Hearing.objects.filter(method_instance=case.instance).exists()

    response = _post_period(client, case, PlanStage.ZONING_PLAN, 42)
    assert response.status_code == 302  # type: ignore[attr-defined]
    hearing = Hearing.objects.get(method_instance=case.instance)
    assert hearing.plan_stage == PlanStage.ZONING_PLAN
    assert (hearing.ends_on - hearing.starts_on).days == 42


def test_the_form_takes_a_short_notice_of_start(
    client: Client, org: Municipality, officer: User
) -> None:
    case = make_hearing(org, with_row=False)
    client.force_login(officer)
    response = _post_period(client, case, PlanStage.NOTICE_OF_START, 14)
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert Hearing.objects.get(method_instance=case.instance).plan_stage == "notice"


def test_the_form_refuses_a_deadline_before_the_start(
    client: Client, org: Municipality, officer: User
) -> None:
    case = make_hearing(org, with_row=False)
    client.force_login(officer)
    response = _post_period(client, case, PlanStage.NOT_PLAN, -3)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "cannot be before the first day" in response.content.decode()  # type: ignore[attr-defined]
    assert not Hearing.objects.filter(method_instance=case.instance).exists()


def test_the_form_refuses_bad_dates_with_a_message(
    client: Client, org: Municipality, officer: User
) -> None:
    case = make_hearing(org, with_row=False)
    client.force_login(officer)
    response = client.post(
        _editor(case),
        {
            "action": "save_period",
            "period-plan_stage": "bygning",
            "period-starts_on": "2026-02-31",
            "period-ends_on": "",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_period-plan_stage-error"' in page
    assert 'id="id_period-starts_on-error"' in page
    assert 'id="id_period-ends_on-error"' in page
    assert not Hearing.objects.filter(method_instance=case.instance).exists()
