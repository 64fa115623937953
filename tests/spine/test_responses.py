from __future__ import annotations

import pytest
from django.core import mail

from medvirk.accountability.actions import do_decide, do_respond
from medvirk.accountability.models import Notification, Response, ResponseStatus
from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.core.models import AuditEntry
from tests import factories


def contribute(w: factories.World, n: int, email: str = "") -> list[int]:
    return [
        factories.contribution(w.method, text=f"Innspel {i}", contact_email=email).pk
        for i in range(n)
    ]


def test_bulk_response_to_51_notifies_each_author(
    w: factories.World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    ids = contribute(w, 51, email="innbyggjar@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        written = do_respond(w.officer, w.process, ids, ResponseStatus.ADOPTED, "Vi tek det med.")
    assert len(written) == 51
    assert Response.objects.filter(status=ResponseStatus.ADOPTED).count() == 51
    assert len(mail.outbox) == 51
    first = mail.outbox[0]
    assert "/kvittering/" in first.body
    assert Notification.objects.filter(sent_at__isnull=False).count() == 51
    assert AuditEntry.objects.filter(action="response.set").count() == 51
    assert audit.verify() == []


def test_final_status_needs_a_reason(w: factories.World) -> None:
    ids = contribute(w, 2)
    with pytest.raises(ActionRefused, match="reason"):
        do_respond(w.officer, w.process, ids, ResponseStatus.NOT_ADOPTED, "   ")
    assert Response.objects.count() == 0


def test_received_needs_no_reason(w: factories.World) -> None:
    ids = contribute(w, 1)
    do_respond(w.officer, w.process, ids, ResponseStatus.RECEIVED, "")
    assert Response.objects.get().status == ResponseStatus.RECEIVED


def test_ids_from_another_process_write_nothing(w: factories.World) -> None:
    ids = contribute(w, 3)
    other_process = factories.process(w.org)
    other_method = factories.method(other_process, factories.phase(other_process))
    foreign = factories.contribution(other_method, text="x").pk
    with pytest.raises(ActionRefused, match="does not belong"):
        do_respond(w.officer, w.process, [*ids, foreign], ResponseStatus.ADOPTED, "Ja")
    assert Response.objects.count() == 0


def test_only_staff_with_the_role_can_respond(w: factories.World) -> None:
    ids = contribute(w, 1)
    for person in (w.other_officer, w.moderator, w.resident):
        with pytest.raises(ActionRefused):
            do_respond(person, w.process, ids, ResponseStatus.ADOPTED, "Ja")
    assert Response.objects.count() == 0


def test_changing_a_response_is_versioned_and_audited(
    w: factories.World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    ids = contribute(w, 1, email="a@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        do_respond(w.officer, w.process, ids, ResponseStatus.UNDER_REVIEW, "Vi ser på det.")
        do_respond(w.officer, w.process, ids, ResponseStatus.PARTLY_ADOPTED, "Delvis.")
        do_respond(w.officer, w.process, ids, ResponseStatus.PARTLY_ADOPTED, "Delvis.")  # no change
    response = Response.objects.get()
    assert response.version == 2
    assert AuditEntry.objects.filter(action="response.set").count() == 2
    assert len(mail.outbox) == 2


def test_decision_links_responses(w: factories.World) -> None:
    ids = contribute(w, 2)
    responses = do_respond(w.officer, w.process, ids, ResponseStatus.ADOPTED, "Ja")
    decision = do_decide(
        w.officer,
        w.process,
        body="Kommunestyret",
        text="Vi byggjer ny skule.",
        date=None,
        pending=True,
        response_ids=[r.pk for r in responses],
    )
    assert decision.responses.count() == 2
    with pytest.raises(ActionRefused, match="date"):
        do_decide(w.officer, w.process, body="K", text="T", date=None, pending=False)


@pytest.mark.django_db(transaction=True)
def test_two_officers_answering_the_same_input_at_once_never_fail_or_duplicate() -> None:
    """Both officers loaded the same (unanswered) version of 20 inputs and answer them all at
    once, in real threads with their own connections: exactly one is saved, the other is
    refused with 409 (nothing of it written), and each resident hears exactly once."""
    import threading

    from django.db import connection

    from medvirk.accountability.actions import ResponseConflict
    from medvirk.organisations.models import Role

    w = factories.world()
    second = factories.staff(w.org, Role.CASE_OFFICER)
    ids = contribute(w, 20, email="innbyggjar@example.org")
    # The receipts ("mottatt") went out when the input came in: count the answers only.
    mail.outbox.clear()
    Notification.objects.all().delete()
    seen = {i: 0 for i in ids}  # the version both officers loaded: not answered yet
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}
    errors: list[BaseException] = []

    def answer(person: object, status: str) -> None:
        barrier.wait()
        try:
            do_respond(person, w.process, ids, status, "Svar", versions=seen)  # type: ignore[arg-type]
        except ResponseConflict as conflict:
            assert conflict.status == 409
            assert sorted(r.contribution_id for r in conflict.conflicts) == ids
            outcomes[status] = "409"
        except BaseException as exc:
            errors.append(exc)
        else:
            outcomes[status] = "saved"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=answer, args=(w.officer, ResponseStatus.ADOPTED)),
        threading.Thread(target=answer, args=(second, ResponseStatus.NOT_ADOPTED)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(outcomes.values()) == ["409", "saved"]
    winner = next(status for status, outcome in outcomes.items() if outcome == "saved")
    assert Response.objects.count() == 20  # one answer each
    assert {(r.status, r.version) for r in Response.objects.all()} == {(winner, 1)}
    # One notification and one e-mail per input: the refused officer told nobody.
    assert Notification.objects.count() == 20
    assert len(mail.outbox) == 20
    assert AuditEntry.objects.filter(action="response.set").count() == 20
    assert audit.verify() == []
