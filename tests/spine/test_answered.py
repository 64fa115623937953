"""Only a reasoned answer counts as answered: "received" and "under review" are
acknowledgements, keep the input in the unanswered list, and an empty one tells the
resident nothing."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse

from medvirk.accountability import queries
from medvirk.accountability.actions import do_respond
from medvirk.accountability.models import Notification, ResponseStatus
from tests import factories


def _unanswered_ids(w: factories.World) -> set[int]:
    return set(queries.inbox(w.process, "unanswered").values_list("pk", flat=True))


def test_a_bare_received_is_not_an_answer_and_sends_nothing(
    w: factories.World, django_capture_on_commit_callbacks: Any
) -> None:
    item = factories.contribution(w.method, text="Kor mykje kostar det?", contact_email="a@b.no")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        do_respond(w.officer, w.process, [item.pk], ResponseStatus.RECEIVED, "")
    assert item.pk in _unanswered_ids(w)
    assert item.pk not in set(queries.inbox(w.process, "answered").values_list("pk", flat=True))
    assert mail.outbox == []
    assert not Notification.objects.exists()
    case = queries.staff_cases([w.org.pk]).get(pk=w.process.pk)
    assert case.n_unanswered == 1


def test_under_review_with_a_reason_is_told_but_still_waits_for_the_answer(
    w: factories.World, django_capture_on_commit_callbacks: Any
) -> None:
    item = factories.contribution(w.method, text="Kva med skulevegen?", contact_email="a@b.no")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        do_respond(
            w.officer, w.process, [item.pk], ResponseStatus.UNDER_REVIEW, "Vi ser på det no."
        )
    assert item.pk in _unanswered_ids(w)
    assert len(mail.outbox) == 1


def test_a_final_status_with_its_reason_is_answered_and_told_once(
    w: factories.World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    item = factories.contribution(w.method, text="Bygg ny skule.", contact_email="a@b.no")
    other = factories.contribution(w.method, text="Behald skulen.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        do_respond(w.officer, w.process, [item.pk], ResponseStatus.ADOPTED, "Vi tek det med.")
    assert _unanswered_ids(w) == {other.pk}
    assert item.pk in set(queries.inbox(w.process, "answered").values_list("pk", flat=True))
    assert len(mail.outbox) == 1
    case = queries.staff_cases([w.org.pk]).get(pk=w.process.pk)
    assert case.n_unanswered == 1  # the other input
    client.force_login(w.officer)
    page = client.get(reverse("staff:inbox", kwargs={"pk": w.process.pk}))
    assert "Behald skulen." in page.content.decode()
    assert "Bygg ny skule." not in page.content.decode()
