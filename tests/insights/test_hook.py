"""The ``participants`` hook: what the survey and the panel report, consented only."""

from __future__ import annotations

import pytest
from django.utils import timezone

from medvirk.algorithms.representation import Participant
from medvirk.contributions.models import Channel, Contribution, ModerationState
from medvirk.methods.panel import actions as panel_actions
from medvirk.methods.panel import dimensions
from medvirk.methods.panel import population as panel_population
from medvirk.methods.panel.models import DimensionKind, Draw, Invitation
from medvirk.methods.survey import actions as survey_actions
from medvirk.methods.survey.models import QuestionKind
from medvirk.organisations.models import Municipality
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance
from tests import factories
from tests.methods.panel.conftest import make_panel, resident
from tests.methods.survey import factories as survey_factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def org() -> Municipality:
    return factories.municipality("Lillevik")


def test_the_default_hook_reports_no_one(org: Municipality) -> None:
    instance = survey_factories.survey_method(org)
    plugin = registry.get("information")
    assert list(plugin.participants(instance)) == []


def _age_and_sex_questions(instance: MethodInstance) -> tuple[int, int]:
    staff = factories.administrator(instance.process.municipality)
    age = survey_actions.do_add_question(
        staff,
        instance,
        kind=QuestionKind.SINGLE,
        text="Kor gammal er du?",
        choices=[
            {"key": "under_13", "label": "Under 13 år"},
            {"key": "13_17", "label": "13–17 år"},
            {"key": "18_34", "label": "18–34 år"},
            {"key": "35_66", "label": "35–66 år"},
            {"key": "67_over", "label": "67 år eller eldre"},
        ],
        is_demographic=True,
    )
    sex = survey_actions.do_add_question(
        staff,
        instance,
        kind=QuestionKind.SINGLE,
        text="Kjønn",
        choices=[
            {"key": "kvinne", "label": "Kvinne"},
            {"key": "mann", "label": "Mann"},
            {"key": "anna", "label": "Anna"},
        ],
        is_demographic=True,
    )
    return age.pk, sex.pk


def test_survey_reports_each_answer_set_with_consented_age_and_sex_only(
    org: Municipality,
) -> None:
    s = survey_factories.survey(org)
    age, sex = _age_and_sex_questions(s.instance)
    base = {s.single.pk: "new"}
    old = survey_factories.survey_answer(
        s, {**base, age: "67_over", sex: "kvinne"}, consent=True
    ).contribution.pk
    # Without consent the demographic answers are never stored: nothing to report.
    silent = survey_factories.survey_answer(
        s, {**base, age: "13_17", sex: "mann"}, consent=False
    ).contribution.pk
    child = survey_factories.survey_answer(
        s, {**base, age: "under_13"}, consent=True, channel=Channel.LETTER
    ).contribution.pk
    found = list(registry.get("survey").participants(s.instance))
    # Each carries its answer set, so the case's themes can be counted per group.
    assert found == [
        Participant("web", 67, None, "female", contribution=old),
        Participant("web", contribution=silent),
        Participant("letter", 0, 12, "", contribution=child),
    ]


def test_survey_does_not_read_a_question_that_is_not_about_age_or_sex(org: Municipality) -> None:
    s = survey_factories.survey(org)  # its demographic questions: "young/adult/old", relation
    receipt = survey_factories.survey_answer(
        s, {s.single.pk: "new", s.age.pk: "old", s.relation.pk: "parent"}, consent=True
    )
    (one,) = registry.get("survey").participants(s.instance)
    assert one == Participant("web", contribution=receipt.contribution.pk)


def test_survey_leaves_out_rejected_answer_sets(org: Municipality) -> None:
    s = survey_factories.survey(org)
    survey_factories.survey_answer(s)
    survey_factories.survey_answer(s)
    Contribution.objects.filter(pk=Contribution.objects.order_by("pk").first().pk).update(  # type: ignore[union-attr]
        moderation=ModerationState.REJECTED
    )
    assert len(list(registry.get("survey").participants(s.instance))) == 1


def test_survey_marks_an_account_so_the_total_counts_it_once(org: Municipality) -> None:
    s = survey_factories.survey(org, settings={"allow_anonymous": False})
    person = factories.user(email_verified=True)
    survey_factories.survey_answer(s, person=person)
    (one,) = registry.get("survey").participants(s.instance)
    assert one.person == f"user:{person.pk}"


def test_panel_reports_the_invited_who_answered_with_their_consented_profile(
    org: Municipality,
) -> None:
    panel = make_panel(org)
    district = next(d for d in dimensions.ensure_defaults(org) if d.kind == DimensionKind.DISTRICT)
    panel_population.do_save_options(None, district, labels={}, new=["Nordvik", "Sørstranda"])
    district.refresh_from_db()
    keys = {o.label: o.key for o in dimensions.options_of(district)}
    answered = panel_actions.do_join(
        resident(),
        panel,
        {"alder": "67-79", "kjonn": "female", "krins": keys["Nordvik"]},
        consent=True,
    )
    spans = panel_actions.do_join(
        resident(), panel, {"alder": "15-24", "kjonn": "male", "krins": ""}, consent=True
    )
    silent = panel_actions.do_join(resident(), panel, {"alder": "25-34"}, consent=True)
    draw = Draw.objects.create(method_instance=panel, target=panel, size=3, seed="1")
    now = timezone.now()
    for n, (member, responded) in enumerate(((answered, now), (spans, now), (silent, None))):
        Invitation.objects.create(
            draw=draw,
            member=member,
            code=f"c{n}",
            stratum={"alder": member.profile.get("alder", "unknown")},
            nonce="x" * 32,
            responded_at=responded,
        )
    found = list(registry.get("panel").participants(panel))
    assert found == [
        Participant("web", 67, 79, "female", "Nordvik", person=f"user:{answered.user_id}"),
        # "15–24" spans children's and adults' bands: kept as the range, banded as none.
        Participant("web", 15, 24, "male", "", person=f"user:{spans.user_id}"),
    ]


def test_panel_keeps_the_stratum_after_a_member_leaves(org: Municipality) -> None:
    panel = make_panel(org)
    member = panel_actions.do_join(resident(), panel, {"alder": "35-44"}, consent=True)
    draw = Draw.objects.create(method_instance=panel, target=panel, size=1, seed="1")
    Invitation.objects.create(
        draw=draw,
        member=member,
        code="c1",
        stratum={"alder": "35-44", "kjonn": "unknown"},
        nonce="x" * 32,
        responded_at=timezone.now(),
    )
    member.delete()
    assert list(registry.get("panel").participants(panel)) == [Participant("web", 35, 44)]
