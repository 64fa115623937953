"""Accepting never stops at a missing phase; planned activities show on the staff case page;
a draft case cannot have a public plan."""

from __future__ import annotations

import pytest
from django.test import Client

from medvirk.core.errors import ActionRefused
from medvirk.planning import actions, advice, library
from medvirk.planning.models import PlanStatus
from medvirk.processes.actions import do_set_status
from medvirk.processes.models import Phase, ProcessStatus
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.planning.urls")]

ANSWERS = {
    "why": {"purposes": ["learning"], "use": "Til saka om barnehagen."},
    "who": {
        "groups": [
            {
                "name": "Borna i Vika barnehage",
                "kind": "children",
                "affected": 3,
                "speaks_up": 0,
                "ages": ["0-5"],
                "setting": "I barnehagen",
            },
        ]
    },
    "when": {"open_phases": ["investigation"], "weeks": 10},
    "room": {
        "open": "Uteområdet.",
        "decided": "Tomta.",
        "decision_state": "open",
        "case_kind": "building",
    },
    "reflect": {"prepare": "Kva som er bestemt."},
}


def _plan(status: str = ProcessStatus.PUBLISHED):  # type: ignore[no-untyped-def]
    org = factories.municipality()
    officer = factories.staff(org)
    process = factories.process(org, status)
    plan = actions.do_start_plan(officer, process)
    for step, values in ANSWERS.items():
        plan = actions.do_save_step(officer, plan, step, values)
    return org, officer, process, plan


def test_accepting_creates_the_missing_phase_and_the_activity_shows_on_the_case_page() -> None:
    _org, officer, process, plan = _plan()
    assert not Phase.objects.filter(process=process).exists()
    pick = advice.recommendation(plan).pick("kindergarten_session", "investigation")
    assert pick is not None and pick.medvirk_method is None  # a planned activity
    activity = actions.do_accept(officer, plan, "kindergarten_session", "investigation")
    assert activity.phase is not None and activity.phase.kind == "investigation"
    client = Client()
    client.force_login(officer)
    page = client.get(f"/stab/sak/{process.pk}/").content.decode()
    name = library.catalogue().method("kindergarten_session").name("nb")
    assert name in page
    assert "Borna i Vika barnehage" in client.get(f"/stab/sak/{process.pk}/plan/").content.decode()


def test_a_draft_case_cannot_have_a_public_plan() -> None:
    org, officer, process, plan = _plan(ProcessStatus.DRAFT)
    with pytest.raises(ActionRefused):
        actions.do_publish(officer, plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    do_set_status(factories.administrator(org), process, ProcessStatus.PUBLISHED)
    plan.refresh_from_db()
    assert actions.do_publish(officer, plan).status == PlanStatus.PUBLISHED
