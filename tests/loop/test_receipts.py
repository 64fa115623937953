"""The receipt ("mottatt") is e-mailed when input comes in with an address, and a logged-in
resident with a verified address is never asked for one again."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from medvirk.accountability import unsubscribe
from medvirk.accountability.models import Notification, Subscription
from medvirk.contributions.actions import OFFLINE_KIND
from medvirk.contributions.models import Channel, Contribution
from medvirk.identity.models import User
from tests import factories
from tests.methods.survey import factories as survey_factories

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
Capture = Any  # pytest-django's django_capture_on_commit_callbacks


def _ask(client: Client, w: factories.World, **data: str) -> Any:
    return client.post(w.method.get_absolute_url(), {"text": "Kor mange elevar?", **data}, **EN)


# --- the acknowledgement ----------------------------------------------------------------


def test_a_question_with_an_address_gets_the_receipt_by_email(
    w: factories.World, client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, w, contact_email="Ola@Example.org")
    assert response.status_code == 302
    item = Contribution.objects.get()
    [email] = mail.outbox
    assert email.to == ["Ola@Example.org"]
    assert email.subject == f"We have received your input to «{w.process.title}»"
    body = str(email.body)
    assert item.receipt_url() in body  # the private link, absolute
    assert "http://" in body.split(item.receipt_url())[0][-40:]
    assert w.process.title in body
    assert "What happens next" in body
    assert "reasoned answer" in body and "28 days" in body
    assert w.process.decided_by in body
    # The way out, in the foot and in the header.
    link = re.search(r"http://\S+/e-post/stopp/\S+/", body)
    assert link is not None
    assert email.extra_headers["List-Unsubscribe"] == f"<{link.group(0)}>"


def test_no_address_no_email(
    w: factories.World, client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert _ask(client, w).status_code == 302
    assert Contribution.objects.count() == 1
    assert mail.outbox == []
    assert Notification.objects.count() == 0


def test_the_receipt_is_written_in_the_language_the_input_was_given_in(
    w: factories.World, django_capture_on_commit_callbacks: Capture
) -> None:
    with translation.override("nn"), django_capture_on_commit_callbacks(execute=True):
        factories.contribution(w.method, contact_email="nn@example.org")
    assert Contribution.objects.get().language == "nn"
    with translation.override("nn"):
        expected = translation.gettext("We have received your input to «%(title)s»") % {
            "title": w.process.title
        }
    assert mail.outbox[0].subject == expected


def test_a_logged_in_author_gets_it_in_the_account_and_at_the_verified_address(
    w: factories.World, verified: User, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        item = factories.contribution(w.method, verified)
    [email] = mail.outbox
    assert email.to == ["kari.nordmann@example.org"]
    message = Notification.objects.get(user=verified)
    assert message.contribution == item and message.sent_at is not None
    assert item.receipt_url() in message.link


def test_an_unverified_account_gets_the_message_but_no_email(
    w: factories.World, django_capture_on_commit_callbacks: Capture
) -> None:
    person = factories.user("uverifisert", email="ikkje@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        factories.contribution(w.method, person)
    assert mail.outbox == []
    assert Notification.objects.get(user=person).sent_at is None


def test_offline_input_with_an_address_gets_the_receipt(
    w: factories.World, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        item = factories.contribution(
            w.method,
            text="Sagt på folkemøtet",
            kind=OFFLINE_KIND,
            action="",
            registered_by=w.officer,
            channel=Channel.MEETING,
            contact_email="brev@example.org",
        )
    [email] = mail.outbox
    assert email.to == ["brev@example.org"]
    assert item.receipt_url() in str(email.body)


def test_an_address_that_opted_out_gets_no_receipt(
    w: factories.World, django_capture_on_commit_callbacks: Capture
) -> None:
    token = unsubscribe.token_for(w.process.pk, "stopp@example.org")
    unsubscribe.do_unsubscribe(token)
    with django_capture_on_commit_callbacks(execute=True):
        factories.contribution(w.method, contact_email="STOPP@example.org")
    assert mail.outbox == []


def test_a_survey_answer_with_an_address_gets_the_receipt(
    w: factories.World, django_capture_on_commit_callbacks: Capture
) -> None:
    survey = survey_factories.survey(w.org)
    with django_capture_on_commit_callbacks(execute=True):
        receipt = survey_factories.survey_answer(survey, contact_email="svar@example.org")
    [email] = mail.outbox
    assert email.to == ["svar@example.org"]
    assert receipt.contribution.receipt_url() in str(email.body)


def test_ticks_only_from_a_logged_in_person_are_not_emailed(
    w: factories.World, verified: User, django_capture_on_commit_callbacks: Capture
) -> None:
    """A survey of ticks only asks nothing: the account gets the receipt, the inbox no mail."""
    survey = survey_factories.survey(w.org)
    with django_capture_on_commit_callbacks(execute=True):
        receipt = survey_factories.survey_answer(survey, person=verified)
    assert receipt.contribution.needs_answer is False
    assert mail.outbox == []
    assert Notification.objects.filter(user=verified, contribution=receipt.contribution).exists()


# --- a verified account is never asked again ---------------------------------------------


def test_the_question_form_does_not_ask_a_verified_resident_for_an_address(
    w: factories.World, verified: User, client: Client
) -> None:
    client.force_login(verified)
    html = client.get(w.method.get_absolute_url(), **EN).content.decode()
    assert 'name="contact_email"' not in html
    assert "The receipt and the answer go to k…n@example.org (your account)." in html
    assert "kari.nordmann@example.org" not in html
    # An address sent anyway is not taken: the account's is.
    assert _ask(client, w, contact_email="annan@example.org").status_code == 302
    assert Contribution.objects.get().contact_email == "kari.nordmann@example.org"


def test_an_unverified_or_anonymous_resident_is_asked_as_before(
    w: factories.World, client: Client
) -> None:
    assert 'name="contact_email"' in client.get(w.method.get_absolute_url()).content.decode()
    client.force_login(factories.user("uverifisert"))
    assert 'name="contact_email"' in client.get(w.method.get_absolute_url()).content.decode()


def test_the_survey_does_not_ask_a_verified_resident_for_an_address(
    w: factories.World, verified: User, client: Client
) -> None:
    survey = survey_factories.survey(w.org)
    client.force_login(verified)
    html = client.get(survey.url, **EN).content.decode()
    assert 'name="email"' not in html
    assert "The receipt and the answer go to k…n@example.org (your account)." in html
    posted = client.post(survey.url, survey_factories.survey_form(survey), **EN)
    assert posted.status_code == 302
    item = Contribution.objects.get(method_instance=survey.instance)
    assert (item.author, item.contact_email) == (verified, "kari.nordmann@example.org")
    thanks = client.get(posted["Location"], **EN).content.decode()
    assert "We e-mail this link to k…n@example.org" in thanks


def test_following_with_a_verified_account_is_one_button_confirmed_at_once(
    w: factories.World, verified: User, client: Client
) -> None:
    client.force_login(verified)
    page = client.get(w.process.get_absolute_url(), **EN).content.decode()
    follow = page.split('id="follow-heading"', 1)[1]
    assert 'name="email"' not in follow
    assert "k…n@example.org (your account)" in follow
    url = reverse("public:subscribe", kwargs={"municipality": w.org.slug, "slug": w.process.slug})
    res = client.post(url, {}, HTTP_ACCEPT_LANGUAGE="nn")
    assert res.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.email == "kari.nordmann@example.org"
    assert subscription.confirmed_at is not None
    assert subscription.language == "nn"
    assert mail.outbox == []  # nothing to confirm
    again = client.get(w.process.get_absolute_url(), **EN).content.decode()
    assert "You follow this case. News goes to k…n@example.org (your account)." in again
    # Twice is still one follow.
    client.post(url, {}, **EN)
    assert Subscription.objects.count() == 1


def test_following_after_opting_out_starts_the_emails_again(
    w: factories.World, verified: User, client: Client
) -> None:
    unsubscribe.do_unsubscribe(unsubscribe.token_for(w.process.pk, verified.email))
    assert unsubscribe.is_opted_out(w.process.pk, verified.email)
    client.force_login(verified)
    url = reverse("public:subscribe", kwargs={"municipality": w.org.slug, "slug": w.process.slug})
    client.post(url, {})
    assert not unsubscribe.is_opted_out(w.process.pk, verified.email)


def test_anonymous_follow_still_asks_and_confirms_by_email(
    w: factories.World, client: Client
) -> None:
    page = client.get(w.process.get_absolute_url()).content.decode()
    assert 'name="email"' in page.split('id="follow-heading"', 1)[1]
    url = reverse("public:subscribe", kwargs={"municipality": w.org.slug, "slug": w.process.slug})
    client.post(url, {"email": "folgjar@example.org"}, HTTP_ACCEPT_LANGUAGE="nn")
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None and subscription.language == "nn"
    assert len(mail.outbox) == 1


# --- My page ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_my_page_lists_all_my_input_with_its_state(
    w: factories.World, verified: User, client: Client
) -> None:
    answered = factories.contribution(w.method, verified, text="Kvifor no?")
    factories.response(answered, "adopted", "Fordi bygget er gammalt.")
    acknowledged = factories.contribution(w.method, verified, text="Og kva kostar det?")
    factories.response(acknowledged, "received", "")
    waiting = factories.contribution(w.method, verified, text="Kor går skulevegen?")
    # Input that asks nothing (a survey answer without text) waits for no answer.
    counted = factories.contribution(w.method, verified, text="", needs_answer=False)
    factories.contribution(w.method, text="Nokon andre sitt")  # not mine
    client.force_login(verified)
    html = client.get(reverse("identity:account"), **EN).content.decode()
    for item in (answered, acknowledged, waiting, counted):
        assert item.receipt_url() in html
    assert html.count("/kvittering/") == 4

    def state(item: Contribution) -> str:
        return html.split(item.receipt_url())[1].split("</li>")[0]

    assert "Adopted" in state(answered)
    assert "Received – not answered yet" in state(acknowledged)
    assert "Received – not answered yet" in state(waiting)
    assert "Counts in the results" in state(counted)
