from __future__ import annotations

import datetime as dt
import re

from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from medvirk.accountability.actions import do_decide
from medvirk.accountability.models import Subscription
from medvirk.processes.actions import do_save_process
from medvirk.processes.models import ProcessStatus
from tests import factories
from tests.fixtures import clear_own_cache

TODAY = dt.date(2026, 12, 1)


def test_follow_confirm_and_hear_about_a_decision(
    w: factories.World,
    client: Client,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    url = reverse("public:subscribe", kwargs={"municipality": w.org.slug, "slug": w.process.slug})
    client.post(url, {"email": "Fylgjar@Example.org"})
    client.post(url, {"email": "fylgjar@example.org"})  # twice: no duplicate, no error
    assert Subscription.objects.count() == 1
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+", mail.outbox[0].body)
    assert link is not None
    path = link.group(0).split("8000", 1)[1]
    # Nothing is sent before confirmation.
    with django_capture_on_commit_callbacks(execute=True):
        do_decide(w.officer, w.process, body="K", text="Vedtak", date=TODAY, pending=False)
    assert len(mail.outbox) == 1
    assert client.get(path).status_code == 302
    assert Subscription.objects.get().confirmed_at is not None
    # A pending decision is no news yet; a decision made is told once (not also as the
    # case's change of status to "decided").
    with django_capture_on_commit_callbacks(execute=True):
        do_decide(w.officer, w.process, body="K", text="Vedtak 2", date=None, pending=True)
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        do_decide(w.officer, w.process, body="K", text="Vedtak 3", date=TODAY, pending=False)
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["fylgjar@example.org"]
    assert "Vedtak 3" in mail.outbox[1].body


def test_bad_confirmation_link_is_404(w: factories.World, client: Client) -> None:
    assert client.get("/kvittering/folg/1/forged/").status_code == 404


def test_invalid_email_is_explained(w: factories.World, client: Client) -> None:
    url = reverse("public:subscribe", kwargs={"municipality": w.org.slug, "slug": w.process.slug})
    res = client.post(url, {"email": "nope"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Enter a valid e-mail address." in res.content.decode()
    assert Subscription.objects.count() == 0


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "rl-test",
        }
    }
)
def test_subscribing_is_rate_limited(w: factories.World, client: Client) -> None:
    clear_own_cache()
    url = reverse("public:subscribe", kwargs={"municipality": w.org.slug, "slug": w.process.slug})
    for i in range(10):
        client.post(url, {"email": f"p{i}@example.org"})
    res = client.post(url, {"email": "p11@example.org"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Too many attempts" in res.content.decode()
    assert Subscription.objects.count() == 10


def test_followers_hear_when_the_case_changes_status(
    w: factories.World,
    client: Client,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    url = reverse("public:subscribe", kwargs={"municipality": w.org.slug, "slug": w.process.slug})
    client.post(url, {"email": "folgjar@example.org"})
    link = re.search(r"http://\S+", mail.outbox[0].body)
    assert link is not None
    assert client.get(link.group(0).split("8000", 1)[1]).status_code == 302
    mail.outbox.clear()
    # Saving without a change of status tells nobody; a new status tells the follower.
    with django_capture_on_commit_callbacks(execute=True):
        do_save_process(w.officer, w.org, {"title": "Nytt namn"}, w.process)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        do_save_process(w.officer, w.org, {"status": ProcessStatus.CLOSED}, w.process)
    assert [m.to for m in mail.outbox] == [["folgjar@example.org"]]
