"""The panel's participants name the input each invited member gave to the draw's target
(``Participant.contribution``) when there is exactly one; else None."""

from __future__ import annotations

import secrets

import pytest
from django.utils import timezone

from medvirk.contributions.models import Contribution, ModerationState
from medvirk.identity.models import User
from medvirk.methods.panel.models import Draw, Invitation, PanelMember
from medvirk.methods.survey import actions as survey_actions
from medvirk.methods.survey.models import QuestionKind
from medvirk.organisations.models import Municipality
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance
from tests import factories
from tests.methods.panel.conftest import join, make_panel

pytestmark = pytest.mark.django_db


def target_survey(panel: MethodInstance) -> MethodInstance:
    """A survey in the panel's case, with one question, that anyone may answer often."""
    survey = factories.method(panel.process, panel.phase, key="survey", title="Survey")
    survey_actions.do_add_question(
        None,
        survey,
        kind=QuestionKind.SINGLE,
        text="Keep the school?",
        choices=[{"key": "yes", "label": "Yes"}, {"key": "no", "label": "No"}],
    )
    return survey


def answer(survey: MethodInstance, user: User) -> int:
    question = survey.survey_questions.get()  # type: ignore[attr-defined]
    receipt = survey_actions.do_answer(
        user, survey, {question.pk: "yes"}, key=secrets.token_hex(16)
    )
    return int(receipt.contribution.pk)


def invite(draw: Draw, member: PanelMember, code: str) -> Invitation:
    return Invitation.objects.create(
        draw=draw,
        member=member,
        code=code,
        stratum={},
        nonce="x" * 32,
        responded_at=timezone.now(),
    )


def test_each_answered_invitation_names_the_one_answer_the_member_gave(
    org: Municipality,
) -> None:
    panel = make_panel(org)
    survey = target_survey(panel)
    once, twice, rejected_one, elsewhere = (join(panel) for _n in range(4))
    draw = Draw.objects.create(method_instance=panel, target=survey, size=4, seed="1")
    for n, member in enumerate((once, twice, rejected_one, elsewhere)):
        invite(draw, member, f"c{n}")
    given = answer(survey, once.user)
    answer(survey, twice.user)
    answer(survey, twice.user)  # two answer sets: which one is "theirs" is not known
    kept = answer(survey, rejected_one.user)
    spam = answer(survey, rejected_one.user)
    Contribution.objects.filter(pk=spam).update(moderation=ModerationState.REJECTED)
    # An answer to another method of the case is not an answer to the target.
    other = target_survey(panel)
    answer(other, elsewhere.user)

    found = list(registry.get("panel").participants(panel))
    assert [(p.person, p.contribution) for p in found] == [
        (f"user:{once.user_id}", given),
        (f"user:{twice.user_id}", None),
        (f"user:{rejected_one.user_id}", kept),
        (f"user:{elsewhere.user_id}", None),
    ]


def test_a_member_who_left_is_no_ones_answer(org: Municipality) -> None:
    panel = make_panel(org)
    survey = target_survey(panel)
    member = join(panel)
    draw = Draw.objects.create(method_instance=panel, target=survey, size=1, seed="1")
    invitation = invite(draw, member, "c0")
    answer(survey, member.user)
    Invitation.objects.filter(pk=invitation.pk).update(member=None)
    (one,) = registry.get("panel").participants(panel)
    assert one.contribution is None and one.person == ""
