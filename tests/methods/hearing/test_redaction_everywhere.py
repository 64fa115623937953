"""A withheld passage is gone from every public page, not only the register: the stored
public text is the redacted one, the full text stays on the submission for staff and the
archive, and removing the redaction brings the passage back."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from medvirk.contributions import actions as contributions
from medvirk.identity.models import User
from medvirk.methods.hearing import archive, exports, staff_actions, staff_queries
from medvirk.methods.hearing.models import Redaction, Submission
from medvirk.organisations.models import Role
from tests import factories

from .conftest import HearingCase
from .test_redaction import PASSAGE, TEXT, submit

pytestmark = pytest.mark.django_db


def _public_pages(client: Client, case: HearingCase) -> str:
    process = case.instance.process
    pages = [
        reverse(
            "public:contributions",
            kwargs={"municipality": process.municipality.slug, "slug": process.slug},
        ),
        case.url("register"),
        case.url(),
    ]
    html = ""
    for url in pages:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, url
        html += response.content.decode()
    return html


def test_a_withheld_passage_reaches_no_public_page_and_the_archive_keeps_it(
    client: Client, hearing_case: HearingCase, officer: User
) -> None:
    contribution = submit(hearing_case)
    moderator = factories.staff(hearing_case.instance.process.municipality, Role.MODERATOR)
    if contribution.moderation != "published":
        contributions.do_approve(moderator, contribution)
    assert PASSAGE in _public_pages(client, hearing_case)

    staff_actions.do_redact_passage(
        officer, contribution, passage=PASSAGE, basis=Redaction.Basis.CONFIDENTIAL
    )
    contribution.refresh_from_db()
    submission = Submission.objects.get(contribution=contribution)
    assert PASSAGE not in contribution.text
    assert submission.full_text == TEXT and submission.text == TEXT
    assert PASSAGE not in _public_pages(client, hearing_case)
    # Staff and the archive read the full text.
    row = staff_queries.submission_row(hearing_case.instance, contribution.pk)
    assert row is not None and row.submission.text == TEXT
    rows = exports.csv_rows(hearing_case.instance)
    csv_text = "".join(str(cell) for line in rows for cell in line)
    assert PASSAGE in csv_text
    assert archive.sender_name(row)

    # A second passage is checked against the full text, and removing one restores it.
    second = "Skulevegen må få fortau."
    staff_actions.do_redact_passage(
        officer, contribution, passage=second, basis=Redaction.Basis.OTHER, note="Test"
    )
    first = Redaction.objects.get(contribution=contribution, passage=PASSAGE)
    staff_actions.do_remove_redaction(officer, first)
    contribution.refresh_from_db()
    assert PASSAGE in contribution.text and second not in contribution.text
    staff_actions.do_remove_redaction(
        officer, Redaction.objects.get(contribution=contribution, passage=second)
    )
    contribution.refresh_from_db()
    assert contribution.text == TEXT
