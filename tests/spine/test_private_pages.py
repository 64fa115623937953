"""Pages with a form someone fills in, or with a private receipt, are never cached by a
shared cache and never leak their address to another site through the Referer header
(``Cache-Control: private, no-store``, ``Referrer-Policy: same-origin``)."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from medvirk.contributions.models import Contribution
from tests import factories
from tests.methods.survey import factories as survey_factories

pytestmark = pytest.mark.django_db


def assert_private(response: HttpResponse) -> None:
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives, response["Cache-Control"]
    # Nothing goes to other sites; "no-referrer" would make browsers post the page's forms
    # with `Origin: null`, refused by CSRF (see test_private_pages_browser.py).
    assert response["Referrer-Policy"] == "same-origin"


def test_survey_form_page_thanks_page_and_errors_are_private(w: factories.World) -> None:
    survey = survey_factories.survey(w.org)
    client = Client()
    page = client.get(survey.url)
    assert page.status_code == 200
    assert_private(page)
    # A form sent back with errors shows the person's answers again.
    invalid = client.post(
        survey.url, survey_factories.survey_form(survey, **{survey.scale.field_name: "9"})
    )
    assert invalid.status_code == 400
    assert_private(invalid)
    data = survey_factories.survey_form(survey)
    sent = client.post(survey.url, data)
    assert sent.status_code == 302
    assert_private(sent)
    thanks = client.get(sent["Location"])
    assert thanks.status_code == 200
    assert_private(thanks)
    # The same key again with other answers: 409, the answers shown back.
    conflict = client.post(survey.url, {**data, survey.text.field_name: "Noko anna"})
    assert conflict.status_code == 409
    assert_private(conflict)


def test_information_question_page_is_private(w: factories.World) -> None:
    client = Client()
    url = w.method.get_absolute_url()
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="text"' in page.content.decode()
    assert_private(page)
    invalid = client.post(url, {"text": ""})
    assert invalid.status_code == 400
    assert_private(invalid)


def test_receipt_page_is_private(w: factories.World) -> None:
    contribution = factories.contribution(w.method, text="Kva kostar det?")
    page = Client().get(contribution.receipt_url())
    assert page.status_code == 200
    assert_private(page)


def test_staff_answer_forms_are_private(w: factories.World) -> None:
    contribution: Contribution = factories.contribution(w.method, text="Innspel")
    client = Client()
    client.force_login(w.officer)
    detail = client.get(reverse("staff:contribution", kwargs={"pk": contribution.pk}))
    assert detail.status_code == 200
    assert_private(detail)
    invalid = client.post(
        reverse("staff:contribution", kwargs={"pk": contribution.pk}),
        {"form": "respond", "status": "adopted", "reason": ""},
    )
    assert invalid.status_code in (400, 409)
    assert_private(invalid)
    inbox = client.get(reverse("staff:inbox", kwargs={"pk": w.process.pk}))
    assert inbox.status_code == 200
    assert_private(inbox)
