"""A decision reaches everyone who took part and every follower once, in their language; the
case is decided, its methods close, and input is refused after."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from medvirk.accountability import unsubscribe
from medvirk.accountability.actions import do_decide
from medvirk.accountability.models import Decision, Notification, Subscription
from medvirk.contributions.models import Contribution
from medvirk.core.errors import ActionRefused
from medvirk.core.models import AuditEntry
from medvirk.identity.models import User
from medvirk.processes import permissions
from medvirk.processes.models import MethodInstance, Process, ProcessStatus
from tests import factories
from tests.concurrency import in_parallel

Capture = Any  # pytest-django's django_capture_on_commit_callbacks
DAY = dt.date(2026, 12, 1)
MOTEBOK = "https://innsyn.example.org/mote/42"


def _follow(process: Process, email: str, language: str, *, confirmed: bool = True) -> None:
    Subscription.objects.create(
        process=process,
        email=email,
        language=language,
        token_hash=f"t-{email}",
        confirmed_at=timezone.now() if confirmed else None,
    )


def _give(instance: MethodInstance, language: str, **kwargs: Any) -> Contribution:
    with translation.override(language):
        return factories.contribution(instance, **kwargs)


def _decide(w: factories.World, **extra: Any) -> Decision:
    return do_decide(
        w.officer,
        w.process,
        body="Kommunestyret",
        text="Ny skule ved fjorden.",
        date=DAY,
        pending=False,
        case_number="2026/1234",
        meeting_record_url=MOTEBOK,
        **extra,
    )


def _to(address: str) -> list[EmailMessage]:
    return [m for m in mail.outbox if [a.lower() for a in m.to] == [address]]


@pytest.fixture
def people(w: factories.World, verified: User) -> dict[str, Any]:
    """Who took part, in which language, and who must not be told."""
    verified.preferred_language = "en"
    verified.save(update_fields=["preferred_language"])
    out: dict[str, Any] = {"kari": verified}
    out["anne"] = _give(w.method, "nb", contact_email="anne@example.org")
    # Kari twice: once logged in, once without logging in but with her address.
    out["kari_1"] = _give(w.method, "nb", author=verified)
    out["kari_2"] = _give(w.method, "nn", contact_email="KARI.Nordmann@example.org")
    _give(w.method, "nb")  # no address, no account: nobody to tell
    out["stopped"] = _give(w.method, "nb", contact_email="ut@example.org")
    unsubscribe.do_unsubscribe(unsubscribe.token_for(w.process.pk, "ut@example.org"))
    _follow(w.process, "folgjar@example.org", "nn")
    _follow(w.process, "ANNE@example.org", "nn")  # Anne follows too: told once
    _follow(w.process, "ubekrefta@example.org", "nb", confirmed=False)
    other = factories.process(w.org)
    _give(factories.method(other, factories.phase(other)), "nb", contact_email="annan@example.org")
    return out


def test_a_decision_reaches_everyone_once_in_their_language(
    w: factories.World, people: dict[str, Any], django_capture_on_commit_callbacks: Capture
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decision = _decide(w)
    assert sorted(address for m in mail.outbox for address in m.to) == [
        "anne@example.org",
        "folgjar@example.org",
        "kari.nordmann@example.org",
    ]
    [kari] = _to("kari.nordmann@example.org")
    [anne] = _to("anne@example.org")
    [follower] = _to("folgjar@example.org")
    # Each in the person's language: the account's choice, else the language of the input.
    assert kari.subject == f"Decision in «{w.process.title}»"
    with translation.override("nn"):
        nn_subject = translation.gettext("Decision in «%(title)s»") % {"title": w.process.title}
    assert follower.subject == nn_subject
    assert "1 December 2026" in kari.body
    assert "1. desember 2026" in anne.body and "1. desember 2026" in follower.body
    for message in (kari, anne, follower):
        body = str(message.body)
        assert "Kommunestyret" in body and "Ny skule ved fjorden." in body
        assert "2026/1234" in body and MOTEBOK in body
        assert re.search(r"http://\S+/e-post/stopp/\S+/", body)
    # Links to the person's own input: both of Kari's, none for a follower only.
    assert people["kari_1"].receipt_url() in kari.body
    assert people["kari_2"].receipt_url() in kari.body
    assert people["anne"].receipt_url() in anne.body
    assert "/kvittering/" not in follower.body
    with translation.override("nn"):
        follows = translation.gettext("You follow «%(title)s». The case has now been decided.")
    assert follows % {"title": w.process.title} in follower.body
    # Kari's account has the message too.
    assert Notification.objects.filter(user=people["kari"], subject=kari.subject).count() == 1
    decision.refresh_from_db()
    assert decision.announced_at is not None


def test_the_announcement_is_audited_with_counts_only(
    w: factories.World, people: dict[str, Any], django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        decision = _decide(w)
    row = AuditEntry.objects.get(action="decision.announced")
    assert row.object_id == str(decision.pk)
    assert row.data == {"emails": 3, "accounts": 1, "opted_out": 1, "people": 4}
    assert "@" not in json.dumps(row.data)
    saved = AuditEntry.objects.filter(action="decision.saved").last()
    assert saved is not None and saved.data["announced"] is True


def test_editing_a_decision_sends_nothing_again(
    w: factories.World, people: dict[str, Any], django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        decision = _decide(w)
    mail.outbox.clear()
    first = Decision.objects.get().announced_at
    with django_capture_on_commit_callbacks(execute=True):
        _decide(w, decision=decision, link_statuses=[])
        do_decide(
            w.officer,
            w.process,
            body="Kommunestyret",
            text="Retta skrivefeil.",
            date=DAY,
            pending=False,
            decision=decision,
        )
    assert mail.outbox == []
    decision.refresh_from_db()
    assert decision.announced_at == first
    assert decision.text == "Retta skrivefeil."
    assert decision.case_number == "2026/1234"  # not given: kept
    assert AuditEntry.objects.filter(action="decision.announced").count() == 1


def test_a_pending_decision_tells_nobody_and_decides_nothing(
    w: factories.World, people: dict[str, Any], django_capture_on_commit_callbacks: Capture
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decision = do_decide(
            w.officer, w.process, body="Kommunestyret", text="Kjem i mars.", date=None, pending=True
        )
    assert mail.outbox == []
    w.process.refresh_from_db()
    assert w.process.status == ProcessStatus.PUBLISHED
    # Made later: now everyone is told, once.
    with django_capture_on_commit_callbacks(execute=True):
        _decide(w, decision=decision)
    assert len(mail.outbox) == 3


def test_the_case_is_decided_its_methods_close_and_input_is_refused(
    w: factories.World, client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    second = factories.method(w.process, w.phase, slug="to")
    with django_capture_on_commit_callbacks(execute=True):
        _decide(w)
    w.process.refresh_from_db()
    assert w.process.status == ProcessStatus.DECIDED
    closed = MethodInstance.objects.filter(process=w.process)
    assert all(m.closed_at is not None for m in closed) and closed.count() == 2
    verdict = permissions.can_act(
        w.resident, MethodInstance.objects.get(pk=second.pk), "ask_question"
    )
    assert not verdict
    assert verdict.reason == "This case has been decided. Input can no longer be given."
    with pytest.raises(ActionRefused, match="decided"):
        factories.contribution(MethodInstance.objects.get(pk=w.method.pk))
    page = client.post(
        w.method.get_absolute_url(), {"text": "For seint?"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert page.status_code == 403
    assert "This case has been decided" in page.content.decode()
    assert not Contribution.objects.filter(text="For seint?").exists()
    audited = AuditEntry.objects.get(action="process.decided")
    assert audited.data == {"from": "published", "closed_methods": 2}


def test_a_closed_method_refuses_input_with_its_reason(w: factories.World) -> None:
    MethodInstance.objects.filter(pk=w.method.pk).update(closed_at=timezone.now())
    verdict = permissions.can_act(
        w.resident, MethodInstance.objects.get(pk=w.method.pk), "ask_question"
    )
    assert verdict.reason == "This is closed. Input can no longer be given here."


def test_followers_hear_of_the_decision_once_not_also_as_a_status_change(
    w: factories.World, django_capture_on_commit_callbacks: Capture
) -> None:
    _follow(w.process, "folgjar@example.org", "nb")
    with django_capture_on_commit_callbacks(execute=True):
        _decide(w)
    assert [m.to for m in mail.outbox] == [["folgjar@example.org"]]
    assert "News in" not in mail.outbox[0].subject


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_once_announce_once() -> None:
    w = factories.world()
    _follow(w.process, "folgjar@example.org", "nb")
    decision = do_decide(
        w.officer, w.process, body="Kommunestyret", text="Vedtak", date=None, pending=True
    )
    mail.outbox.clear()

    def save(_i: int) -> None:
        do_decide(
            w.officer,
            Process.objects.get(pk=w.process.pk),
            body="Kommunestyret",
            text="Vedtak",
            date=DAY,
            pending=False,
            decision=Decision.objects.get(pk=decision.pk),
        )

    in_parallel(save, 4)
    assert [m.to for m in mail.outbox] == [["folgjar@example.org"]]
    assert AuditEntry.objects.filter(action="decision.announced").count() == 1


# --- the staff form ---------------------------------------------------------------------


def test_the_decision_form_takes_the_case_number_and_the_meeting_record(
    w: factories.World, client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    _follow(w.process, "folgjar@example.org", "nb")
    client.force_login(w.officer)
    url = reverse("staff:decisions", kwargs={"pk": w.process.pk})
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="case_number"' in page and 'name="meeting_record_url"' in page
    with django_capture_on_commit_callbacks(execute=True):
        res = client.post(
            url,
            {
                "body": "Kommunestyret",
                "date": "2026-12-01",
                "text": "Ny skule.",
                "case_number": "2026/77",
                "meeting_record_url": MOTEBOK,
            },
        )
    assert res.status_code == 302
    decision = Decision.objects.get()
    assert (decision.case_number, decision.meeting_record_url) == ("2026/77", MOTEBOK)
    assert len(mail.outbox) == 1
    listing = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Everyone told" in listing and MOTEBOK in listing
    edit = reverse("staff:decision_edit", kwargs={"pk": w.process.pk, "decision_pk": decision.pk})
    assert "sends nothing again" in client.get(edit, HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://arkiv.example.org/mote", "nei"])
def test_the_meeting_record_must_be_a_web_address(
    w: factories.World, client: Client, link: str
) -> None:
    client.force_login(w.officer)
    res = client.post(
        reverse("staff:decisions", kwargs={"pk": w.process.pk}),
        {"body": "K", "date": "2026-12-01", "text": "T", "meeting_record_url": link},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert res.status_code == 400
    assert "Give a web address starting with https://" in res.content.decode()
    assert not Decision.objects.exists()
    with pytest.raises(ActionRefused):
        do_decide(
            w.officer,
            w.process,
            body="K",
            text="T",
            date=DAY,
            pending=False,
            meeting_record_url=link,
        )


def test_the_case_page_shows_where_the_case_stands_and_the_decision(
    w: factories.World, client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    url = w.process.get_absolute_url()
    before = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Where the case stands: open." in before
    timeline = before.split('id="timeline-heading"')[1].split("</section>")[0]
    assert 'aria-current="step"' in timeline and "You are here" in timeline
    assert w.phase.name in timeline
    with django_capture_on_commit_callbacks(execute=True):
        _decide(w)
    after = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Where the case stands: decided." in after
    timeline = after.split('id="timeline-heading"')[1].split("</section>")[0]
    current = timeline.split('aria-current="step"')[1]
    assert current.lstrip(">").strip().startswith("Decision")
    assert "Kommunestyret" in current and "2026/1234" in current
    decisions = after.split('id="decisions-heading"')[1].split("</section>")[0]
    assert MOTEBOK in decisions and "Case number 2026/1234" in decisions
    assert "Ny skule ved fjorden." in decisions
    take_part = after.split('id="take-part-heading"')[1].split("</section>")[0]
    assert "Closed" in take_part
