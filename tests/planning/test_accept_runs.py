"""Accepting the planner's recommendation of a høyring, an offentleg ettersyn or an
innbyggarpanel creates an instance of the plug-in that runs it, and once published it runs:
its page answers and residents can act."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from medvirk.planning import actions, library, rules
from medvirk.planning.models import Plan
from medvirk.processes import registry
from medvirk.processes.actions import do_save_method
from medvirk.processes.models import PhaseKind
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.planning.urls")]

WANTED = {"hearing": "hearing", "public_inspection": "hearing", "residents_panel": "panel"}


def _plan_case(client: Client, process_pk: int, case_kind: str, plan_type: str) -> None:
    base = f"/stab/sak/{process_pk}/plan/"
    assert client.post(f"{base}start/").status_code == 302
    client.post(f"{base}steg/1/", {"purposes": ["learning", "anchoring"], "use": "Vedtak."})
    who = {"silent": "", "weigh_more": "", "know_enough": "no"}
    for key in ("children", "youth", "day_workers", "silent_affected"):
        who[f"{key}__affected"] = "3"
        who[f"{key}__speaks_up"] = "1"
    assert client.post(f"{base}steg/2/", who).status_code == 302
    when = {"open_phases": ["investigation", "alternatives"], "weeks": "12", "note": ""}
    assert client.post(f"{base}steg/3/", when).status_code == 302
    room = {"open": "Planen.", "decided": "", "case_kind": case_kind, "plan_type": plan_type,
            "decision_maker": "kommune", "resources": "high"}  # fmt: skip
    assert client.post(f"{base}steg/4/", room).status_code == 302
    assert client.post(f"{base}steg/5/", {"prepare": "F.", "role": "L."}).status_code == 302


@pytest.mark.parametrize(
    ("case_kind", "plan_type"), [("pbl_plan", "reguleringsplan"), ("service_change", "")]
)
def test_accepted_recommendations_create_runnable_instances(case_kind: str, plan_type: str) -> None:
    org = factories.municipality()
    officer = factories.staff(org)
    process = factories.process(org)
    now = timezone.now()
    factories.phase(process, kind=PhaseKind.INVESTIGATION, start=now - 60 * factories.DAY, end=now)
    factories.phase(process, kind=PhaseKind.ALTERNATIVES, start=now, end=now + 60 * factories.DAY)
    staff_client = Client()
    staff_client.force_login(officer)
    _plan_case(staff_client, process.pk, case_kind, plan_type)
    plan = Plan.objects.get(process=process)
    recommendation = rules.recommend(rules.parse_answers(plan.answers), library.catalogue())
    picks = [
        (p.key, advice.phase)
        for advice in recommendation.phases
        for p in advice.picks
        if p.key in WANTED
    ]
    if case_kind == "pbl_plan":
        assert {"hearing", "public_inspection"} & {key for key, _phase in picks}
    seen: set[str] = set()
    for key, phase in picks:
        if key in seen:
            continue
        seen.add(key)
        activity = actions.do_accept(officer, plan, key, phase)
        instance = activity.method_instance
        assert instance is not None and instance.method_key == WANTED[key]
        do_save_method(
            officer,
            process,
            phase=instance.phase,
            method_key=instance.method_key,
            slug=instance.slug,
            title=instance.title,
            description=instance.description,
            raw_settings=instance.settings,
            is_published=True,
            instance=instance,
        )
        resident = Client()
        assert resident.get(instance.get_absolute_url()).status_code == 200
        plugin = registry.get(instance.method_key)
        for kind in plugin.contribution_kinds:
            response = resident.get(plugin.url(instance, kind.url_name), HTTP_ACCEPT_LANGUAGE="en")
            if kind.key == "hearing_comment":
                # Comments need the text on consultation, which staff write first.
                assert response.status_code == 403
                assert "There is no text to comment on yet." in response.content.decode()
            else:
                assert response.status_code == 200, kind.key
