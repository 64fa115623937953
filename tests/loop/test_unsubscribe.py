"""The link at the foot of every e-mail: it works without JavaScript, cannot be forged, and
every task respects it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from medvirk.accountability import unsubscribe
from medvirk.accountability.actions import do_respond
from medvirk.accountability.models import EmailOptOut, ResponseStatus, Subscription
from medvirk.processes.actions import do_save_process
from medvirk.processes.models import ProcessStatus
from tests import factories

Capture = Any
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LINK = re.compile(r"http://[^/\s]+(/e-post/stopp/\S+/)")


def _answer_mail(
    w: factories.World, capture: Capture, address: str = "ola@example.org"
) -> tuple[str, str]:
    """Give input with an address, answer it, and return the e-mail's body and link path."""
    item = factories.contribution(w.method, contact_email=address)
    with capture(execute=True):
        do_respond(w.officer, w.process, [item.pk], ResponseStatus.ADOPTED, "Vi gjer det.")
    body = str(mail.outbox[-1].body)
    found = LINK.search(body)
    assert found is not None, body
    return body, found.group(1)


def test_the_link_asks_first_then_stops_email_and_the_follow(
    w: factories.World, client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    Subscription.objects.create(
        process=w.process,
        email="ola@example.org",
        token_hash="x",
        confirmed_at=dt.datetime.now(dt.UTC),
    )
    _body, path = _answer_mail(w, django_capture_on_commit_callbacks)
    page = client.get(path, **EN)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Stop e-mail about this case" in html and 'method="post"' in html
    assert w.process.title in html
    assert "ola@example.org" not in html
    assert not EmailOptOut.objects.exists()  # opening the link (a mail scanner) changes nothing
    done = client.post(path, **EN)
    assert done.status_code == 200
    assert "We will send no more e-mail" in done.content.decode()
    opt_out = EmailOptOut.objects.get()
    assert opt_out.process == w.process
    assert "ola" not in opt_out.email_hash and len(opt_out.email_hash) == 64
    assert not Subscription.objects.exists()
    assert client.post(path, **EN).status_code == 200  # twice: still one row
    assert EmailOptOut.objects.count() == 1
    # No more e-mail from any task: the next answer is in the account only.
    mail.outbox.clear()
    item = factories.contribution(w.method, contact_email="OLA@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        do_respond(w.officer, w.process, [item.pk], ResponseStatus.ADOPTED, "Igjen.")
    assert mail.outbox == []


def test_opting_out_of_one_case_leaves_the_others(
    w: factories.World, client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    _body, path = _answer_mail(w, django_capture_on_commit_callbacks)
    client.post(path)
    other = factories.process(w.org)
    assert not unsubscribe.is_opted_out(other.pk, "ola@example.org")
    assert unsubscribe.is_opted_out(w.process.pk, "ola@example.org")


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # the signature
        lambda t: "x" + t,  # the payload
        lambda t: "nonsense",
    ],
)
def test_a_changed_link_is_a_404_page_never_an_error(
    w: factories.World, client: Client, django_capture_on_commit_callbacks: Capture, change: Any
) -> None:
    _body, path = _answer_mail(w, django_capture_on_commit_callbacks)
    token = path.rstrip("/").rsplit("/", 1)[1]
    bad = reverse("public:unsubscribe", kwargs={"token": change(token)})
    for response in (client.get(bad, **EN), client.post(bad, **EN)):
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()
    assert not EmailOptOut.objects.exists()


def test_a_link_cannot_be_pointed_at_another_case_or_address(w: factories.World) -> None:
    other = factories.process(w.org)
    forged = signing.dumps(
        {"p": other.pk, "h": unsubscribe.email_hash("ola@example.org")}, salt="another salt"
    )
    assert unsubscribe.read_token(forged) is None
    genuine = unsubscribe.read_token(unsubscribe.token_for(w.process.pk, "ola@example.org"))
    assert genuine is not None and genuine.process == w.process
    assert genuine.email_hash == unsubscribe.email_hash("OLA@example.org")


def test_a_link_that_is_too_old_is_a_404(
    w: factories.World, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = unsubscribe.token_for(w.process.pk, "ola@example.org")
    monkeypatch.setattr(unsubscribe, "MAX_AGE", dt.timedelta(seconds=-1))
    response = client.get(reverse("public:unsubscribe", kwargs={"token": token}), **EN)
    assert response.status_code == 404


def test_follower_news_carries_the_link_and_the_followers_language(
    w: factories.World, django_capture_on_commit_callbacks: Capture
) -> None:
    Subscription.objects.create(
        process=w.process,
        email="folgjar@example.org",
        language="en",
        token_hash="y",
        confirmed_at=dt.datetime.now(dt.UTC),
    )
    Subscription.objects.create(
        process=w.process,
        email="stoppa@example.org",
        language="nb",
        token_hash="z",
        confirmed_at=dt.datetime.now(dt.UTC),
    )
    # An opt-out recorded while the follow stays (e.g. an old row): no news either.
    EmailOptOut.objects.create(
        process=w.process, email_hash=unsubscribe.email_hash("stoppa@example.org")
    )
    with django_capture_on_commit_callbacks(execute=True):
        do_save_process(w.officer, w.org, {"status": ProcessStatus.CLOSED}, w.process)
    [news] = mail.outbox
    assert news.to == ["folgjar@example.org"]
    assert news.subject == f"News in «{w.process.title}»"
    assert LINK.search(str(news.body))


def test_the_answer_email_carries_the_link(
    w: factories.World, django_capture_on_commit_callbacks: Capture
) -> None:
    body, _path = _answer_mail(w, django_capture_on_commit_callbacks)
    assert "To get no more e-mail about this case" in body
