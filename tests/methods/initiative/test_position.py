"""The council's position: a decision of the case with its reasons, the answer to the
proposal in the inbox's way, and every e-ID signer told once — without closing the case."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from medvirk.accountability.models import Decision, Notification, Response, ResponseStatus
from medvirk.core.errors import ActionRefused
from medvirk.identity.models import User
from medvirk.methods.initiative import staff_actions, tasks
from medvirk.methods.initiative.models import Initiative, Status
from medvirk.processes.models import MethodInstance, ProcessStatus
from tests import factories

from .conftest import EN, Initiatives, collecting, make_instance, resident, sign_many

pytestmark = pytest.mark.django_db


def _position(**values: Any) -> staff_actions.Position:
    fields: dict[str, Any] = {
        "body": "Kommunestyret",
        "date": timezone.localdate(),
        "position": ResponseStatus.PARTLY_ADOPTED,
        "decision_text": "Kommunestyret vedtek å setje opp lys på den mørkaste delen av vegen.",
        "reason": "Heile strekninga kostar meir enn budsjettet gir rom for i år.",
        "case_number": "2026/118",
        "meeting_record_url": "https://lillevik.example.org/mote/2026-05-12",
    }
    fields.update(values)
    return staff_actions.Position(**fields)


def _delivered(
    initiatives: Initiatives, officer: User, signers: int = 3
) -> tuple[Initiative, User, list[User]]:
    small = factories.municipality("Smaavik", inhabitants=150)  # 3 signatures
    instance = make_instance(small).instance
    small_officer = factories.staff(small)
    author = resident(email="forslag@example.org", email_verified=True)
    initiative = collecting(instance, small_officer, author)
    people = [
        resident(email=f"signer{n}@example.org", email_verified=n != 1) for n in range(signers)
    ]
    from medvirk.methods.initiative import actions

    for person in people:
        actions.do_sign(person, instance, initiative, address="Kaivegen 1", lives_here=True)
    initiative.refresh_from_db()
    assert initiative.status == Status.DELIVERED
    return initiative, small_officer, people


def test_the_position_is_a_decision_and_the_answer_and_every_signer_hears(
    initiatives: Initiatives,
    officer: User,
    django_capture_on_commit_callbacks: Any,
    mailoutbox: Any,
) -> None:
    initiative, staff, people = _delivered(initiatives, officer)
    other_method = factories.method(
        initiative.method_instance.process, initiative.method_instance.phase, key="information"
    )
    mailoutbox.clear()
    mark = factories.audit_mark()
    with django_capture_on_commit_callbacks(execute=True):
        decision = staff_actions.do_record_position(staff, initiative, _position())
    initiative.refresh_from_db()
    assert initiative.status == Status.DECIDED
    assert initiative.decision == decision
    assert decision.is_pending is False and decision.announced_at is not None
    assert decision.case_number == "2026/118"
    response = Response.objects.get(contribution=initiative.contribution)
    assert response.status == ResponseStatus.PARTLY_ADOPTED
    assert list(decision.responses.all()) == [response]
    # The case and its other methods stay open: this decision concerns one proposal.
    process = initiative.method_instance.process
    process.refresh_from_db()
    assert process.status == ProcessStatus.PUBLISHED
    assert MethodInstance.objects.get(pk=other_method.pk).closed_at is None
    assert MethodInstance.objects.get(pk=initiative.method_instance_id).closed_at is None
    # Each e-ID signer has a message; those with a verified address an e-mail too.
    assert Notification.objects.filter(user__in=people).count() == 3
    to = sorted(address for m in mailoutbox for address in m.to)
    assert "signer0@example.org" in to and "signer2@example.org" in to
    assert "signer1@example.org" not in to  # not verified
    assert "forslag@example.org" in to  # the proposer, as the answer to the proposal
    position_mail = next(m for m in mailoutbox if m.to == ["signer0@example.org"])
    assert "Heile strekninga kostar" in position_mail.body
    assert "List-Unsubscribe" in position_mail.extra_headers
    assert initiative.signers_told_at is not None
    # Told once: the task run again sends nothing.
    mailoutbox.clear()
    assert tasks.tell_signers.call(initiative.pk) == 0
    assert mailoutbox == []
    logged = [e.action for e in factories.audited_since(mark)]
    assert "initiative.position_recorded" in logged and "response.set" in logged
    page = Client(**EN).get(factories_url(initiative, "initiative")).content.decode()
    assert 'id="position"' in page and "Heile strekninga kostar" in page


def factories_url(initiative: Initiative, name: str) -> str:
    from medvirk.processes import registry

    return registry.get("initiative").url(initiative.method_instance, name, pk=initiative.pk)


def test_the_position_is_recorded_once_and_only_after_delivery(
    initiatives: Initiatives, officer: User
) -> None:
    waiting = collecting(initiatives.instance, officer)
    with pytest.raises(ActionRefused, match="once the proposal is delivered"):
        staff_actions.do_record_position(officer, waiting, _position())
    initiative, staff, _people = _delivered(initiatives, officer)
    staff_actions.do_record_position(staff, initiative, _position())
    with pytest.raises(ActionRefused) as twice:
        staff_actions.do_record_position(staff, initiative, _position())
    assert twice.value.status == 409
    assert Decision.objects.count() == 1


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"reason": "  "}, "Give the reasons"),
        ({"body": ""}, "who decided"),
        ({"position": "received"}, "Choose the council's position"),
        ({"date": dt.date(2999, 1, 1)}, "cannot be in the future"),
        ({"date": dt.date(2000, 1, 1)}, "before the proposal was delivered"),
        ({"meeting_record_url": "javascript:alert(1)"}, "web address"),
        ({"case_number": "x" * 51}, "at most 50"),
    ],
)
def test_a_bad_position_is_refused_and_nothing_is_written(
    initiatives: Initiatives, officer: User, values: dict[str, Any], message: str
) -> None:
    initiative, staff, _people = _delivered(initiatives, officer)
    with pytest.raises(ActionRefused, match=message):
        staff_actions.do_record_position(staff, initiative, _position(**values))
    assert not Decision.objects.exists()
    # The answer is still the one from the check.
    answer = Response.objects.get(contribution=initiative.contribution)
    assert answer.status == ResponseStatus.UNDER_REVIEW
    initiative.refresh_from_db()
    assert initiative.status == Status.DELIVERED


def test_only_those_who_decide_record_the_position(initiatives: Initiatives, officer: User) -> None:
    initiative, _staff, _people = _delivered(initiatives, officer)
    moderator = factories.staff(initiative.method_instance.process.municipality, "moderator")
    with pytest.raises(ActionRefused) as refused:
        staff_actions.do_record_position(moderator, initiative, _position())
    assert refused.value.status == 403


def test_the_position_through_the_staff_page(initiatives: Initiatives, officer: User) -> None:
    initiative, staff, _people = _delivered(initiatives, officer)
    client = Client(**EN)
    client.force_login(staff)
    url = factories_url(initiative, "staff_initiative")
    page = client.get(url).content.decode()
    assert 'id="position-form"' in page and 'id="refer-form"' in page
    bad = client.post(url, {"action": "position", "body": "Kommunestyret"})
    assert bad.status_code == 400
    done = client.post(
        url,
        {
            "action": "position",
            "body": "Kommunestyret",
            "date": timezone.localdate().isoformat(),
            "position": "adopted",
            "decision_text": "Forslaget blir vedteke.",
            "reason": "Kommunestyret er einig i forslaget.",
            "case_number": "",
            "meeting_record_url": "",
        },
    )
    assert done.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == Status.DECIDED


def test_the_proposer_is_told_of_the_delivery(
    initiatives: Initiatives,
    officer: User,
    django_capture_on_commit_callbacks: Any,
    mailoutbox: Any,
) -> None:
    small = factories.municipality("Smaavik", inhabitants=50)
    instance = make_instance(small).instance
    author = resident(email="forslag@example.org", email_verified=True)
    initiative = collecting(instance, factories.staff(small), author)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sign_many(instance, initiative, 1)
    delivered = [m for m in mailoutbox if m.to == ["forslag@example.org"]]
    assert len(delivered) == 1
    assert "must take a position on it by" in delivered[0].body
