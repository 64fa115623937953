"""The høyring's main page and comments anchored to a section or paragraph."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from medvirk.accountability.models import ResponseStatus
from medvirk.contributions.actions import do_hide
from medvirk.contributions.models import Contribution, ModerationState
from medvirk.core.errors import ActionRefused
from medvirk.identity.models import AssuranceLevel
from medvirk.methods.hearing import actions, plugin
from medvirk.methods.hearing.models import (
    AnchoredComment,
    HearingDocument,
    Paragraph,
    PlanStage,
    Section,
)
from medvirk.organisations.models import Municipality
from medvirk.processes.models import ProcessStatus
from tests import factories
from tests.documents import files

from .conftest import HearingCase, make_hearing

pytestmark = pytest.mark.django_db

TODAY = dt.date.today


def _comment(case: HearingCase, part: str, text: str = "Keep the old gym.", **extra: Any) -> Any:
    return actions.do_comment(AnonymousUser(), case.instance, part=part, text=text, **extra)


def _post(client: Client, case: HearingCase, **data: Any) -> Any:
    form = {"part": f"p{case.paragraphs[1].pk}", "text": "The temporary classrooms are cold."}
    form.update(data)
    return client.post(case.url("comment"), form)


def _row(html: str, key: str) -> str:
    """The page's row of one section or paragraph: its text and the comments beside it."""
    return html.split(f'id="del-{key}"')[1].split('class="hearing-row"')[0]


# --- the page ---------------------------------------------------------------------------


def test_the_page_numbers_the_text_and_offers_a_comment_link_per_part(
    hearing_case: HearingCase, client: Client
) -> None:
    response = client.get(hearing_case.url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Proposal: a new school building" in html
    assert '<span class="hearing-num">1</span> Background' in html
    assert '<span class="hearing-num">2.2</span> Pupils move' in html
    p12 = hearing_case.paragraphs[1]
    assert f'href="{hearing_case.url("comment")}?del=p{p12.pk}"' in html
    assert ">Comment on 1.2<" in html
    assert ">Comment on section 2<" in html
    # The period, the days left, the way to send a submission and the register.
    end = timezone.localdate() + dt.timedelta(days=30)
    assert "31 days, including today" in html
    assert f"{end.day} " in html
    assert hearing_case.url("submit") in html
    assert hearing_case.url("register") in html
    assert "still received and answered, but marked late" in html


def test_the_page_names_a_plan_stage(org: Municipality, client: Client) -> None:
    case = make_hearing(org, stage=PlanStage.ZONING_PLAN, ends_on=TODAY() + dt.timedelta(days=50))
    html = client.get(case.url()).content.decode()
    assert "Zoning plan (reguleringsplan)" in html


def test_a_document_pdf_is_a_download_of_its_own_instance(
    hearing_case: HearingCase, org: Municipality, client: Client
) -> None:
    doc = hearing_case.document
    assert doc is not None
    doc.file.save("x.pdf", ContentFile(files.pdf_bytes()), save=False)
    doc.file_name, doc.content_type, doc.size = "forslag.pdf", "application/pdf", 500
    doc.save()
    html = client.get(hearing_case.url()).content.decode()
    url = hearing_case.url("document", pk=doc.pk)
    assert url in html and "PDF, 500" in html
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="forslag.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    b"".join(response.streaming_content)  # type: ignore[attr-defined]
    other = make_hearing(org)
    assert client.get(other.url("document", pk=doc.pk)).status_code == 404


def test_a_hearing_made_from_the_planner_shows_the_phase_period(
    org: Municipality, client: Client
) -> None:
    case = make_hearing(org, with_row=False)
    html = client.get(case.url()).content.decode()
    assert "not published here yet" in html
    assert client.get(case.url("comment")).status_code == 403


# --- the comment form -------------------------------------------------------------------


def test_a_link_from_a_paragraph_chooses_and_quotes_it(
    hearing_case: HearingCase, client: Client
) -> None:
    p = hearing_case.paragraphs[3]
    response = client.get(f"{hearing_case.url('comment')}?del=p{p.pk}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    html = response.content.decode()
    assert f'<option value="p{p.pk}" selected>2.2 Pupils move' in html
    assert 'id="quoted-part"' in html and "Paragraph 2.2" in html
    assert "two years of building." in html
    for name in ("part", "text", "author_name", "show_name", "is_minor", "contact_email"):
        assert f'name="{name}"' in html


@pytest.mark.parametrize("value", ["p999999", "x1", "p", "s-1", "<script>"])
def test_an_unknown_part_in_the_address_is_ignored(
    hearing_case: HearingCase, client: Client, value: str
) -> None:
    response = client.get(hearing_case.url("comment"), {"del": value})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="quoted-part"' not in html
    assert '<option value="" selected>' in html
    assert "<script>" not in html


def test_a_comment_on_a_paragraph_is_stored_and_shown_beside_it(
    hearing_case: HearingCase, client: Client
) -> None:
    response = _post(client, hearing_case, author_name="Kari Nordmann", show_name="on")
    contribution = Contribution.objects.get(kind=actions.COMMENT_KIND)
    assert response.status_code == 302
    assert response["Location"] == contribution.receipt_url()
    anchor = AnchoredComment.objects.get(contribution=contribution)
    assert anchor.paragraph == hearing_case.paragraphs[1]
    assert anchor.section == hearing_case.sections[0]
    html = client.get(hearing_case.url()).content.decode()
    row = _row(html, f"p{hearing_case.paragraphs[1].pk}")
    assert "The temporary classrooms are cold." in row
    assert "Kari Nordmann" in row
    assert "Not answered yet." in row


def test_a_comment_on_a_section_has_no_paragraph(hearing_case: HearingCase, client: Client) -> None:
    section = hearing_case.sections[1]
    assert _post(client, hearing_case, part=f"s{section.pk}").status_code == 302
    anchor = AnchoredComment.objects.get()
    assert (anchor.section, anchor.paragraph) == (section, None)
    html = client.get(hearing_case.url()).content.decode()
    row = _row(html, f"s{section.pk}")
    assert "The temporary classrooms are cold." in row
    assert "Name not shown" in row


def test_a_part_of_another_hearing_or_no_text_is_refused(
    hearing_case: HearingCase, org: Municipality, client: Client
) -> None:
    other = make_hearing(org)
    response = _post(client, hearing_case, part=f"p{other.paragraphs[0].pk}")
    assert response.status_code == 400
    assert "Choose the part of the text you comment on." in response.content.decode()
    response = _post(client, hearing_case, text="   ")
    assert response.status_code == 400
    assert "Write your comment." in response.content.decode()
    assert not Contribution.objects.exists()
    for part in ("", "p", "q1", f"s{other.sections[0].pk}", f"p{other.paragraphs[0].pk}"):
        with pytest.raises(ActionRefused, match="Choose the part"):
            _comment(hearing_case, part)
    assert not Contribution.objects.exists()


def test_comments_open_on_the_first_day(org: Municipality, client: Client) -> None:
    case = make_hearing(
        org, starts_on=TODAY() + dt.timedelta(days=3), ends_on=TODAY() + dt.timedelta(days=40)
    )
    response = client.get(case.url("comment"))
    assert response.status_code == 403
    assert "Comments on the text open on" in response.content.decode()
    assert _post(client, case, part=f"p{case.paragraphs[0].pk}").status_code == 403
    assert not Contribution.objects.exists()
    html = client.get(case.url()).content.decode()
    assert "?del=" not in html
    assert "Comments on the text open on" in html
    assert "Opens on" in html


def test_comments_close_after_the_deadline(org: Municipality, client: Client) -> None:
    case = make_hearing(
        org, starts_on=TODAY() - dt.timedelta(days=50), ends_on=TODAY() - dt.timedelta(days=1)
    )
    response = _post(client, case, part=f"p{case.paragraphs[0].pk}")
    assert response.status_code == 403
    assert "The deadline for comments on the text was" in response.content.decode()
    assert not Contribution.objects.exists()
    html = client.get(case.url()).content.decode()
    assert "?del=" not in html
    assert "The deadline for comments on the text was" in html
    assert "A submission sent now is still received" in html


def test_the_deadline_day_is_still_open(org: Municipality, client: Client) -> None:
    case = make_hearing(org, starts_on=TODAY() - dt.timedelta(days=10), ends_on=TODAY())
    assert _post(client, case, part=f"p{case.paragraphs[0].pk}").status_code == 302
    assert "1 day, including today" in client.get(case.url()).content.decode()


def test_comments_can_be_turned_off(org: Municipality, client: Client) -> None:
    case = make_hearing(org, settings={"comments": False})
    assert client.get(case.url("comment")).status_code == 403
    html = client.get(case.url()).content.decode()
    assert "?del=" not in html


@pytest.mark.parametrize("how", ["closed", "decided"])
def test_a_closed_method_or_decided_case_takes_no_comment(
    hearing_case: HearingCase, client: Client, how: str
) -> None:
    instance = hearing_case.instance
    if how == "closed":
        instance.closed_at = timezone.now()
        instance.save(update_fields=["closed_at"])
    else:
        instance.process.status = ProcessStatus.DECIDED
        instance.process.save(update_fields=["status"])
    assert _post(client, hearing_case).status_code == 403
    assert not Contribution.objects.exists()


def test_an_identity_level_asks_to_log_in(org: Municipality, client: Client) -> None:
    case = make_hearing(org, identity_levels={"comment": AssuranceLevel.EMAIL})
    response = client.get(case.url("comment"))
    assert response.status_code == 403
    assert "/konto/logg-inn/?next=" in response.content.decode()
    # The page still shows the way in.
    assert "?del=" in client.get(case.url()).content.decode()


def test_a_minor_is_never_named_but_the_name_is_kept(
    hearing_case: HearingCase, client: Client
) -> None:
    _post(client, hearing_case, author_name="Ola Ung", show_name="on", is_minor="on")
    contribution = Contribution.objects.get()
    assert contribution.author_name == "Ola Ung"
    assert contribution.show_name is False
    assert contribution.data == {"under_18": True}
    assert "Ola Ung" not in client.get(hearing_case.url()).content.decode()


def test_a_verified_account_is_not_asked_for_an_address(
    hearing_case: HearingCase, client: Client
) -> None:
    person = factories.user("kari", email="kari@example.org", email_verified=True)
    client.force_login(person)
    html = client.get(hearing_case.url("comment")).content.decode()
    assert 'name="contact_email"' not in html
    assert "k…i@example.org" in html
    _post(client, hearing_case)
    assert Contribution.objects.get().contact_email == "kari@example.org"


def test_hidden_comments_show_the_reason_and_answers_show_beside(
    hearing_case: HearingCase, org: Municipality, client: Client
) -> None:
    p = hearing_case.paragraphs[0]
    hidden = _comment(hearing_case, f"p{p.pk}", "Rude words here.").contribution
    answered = _comment(hearing_case, f"p{p.pk}", "Build it of wood.").contribution
    do_hide(factories.administrator(org), hidden, "Offensive language.")
    factories.response(answered, ResponseStatus.PARTLY_ADOPTED, "We look at wood for the gym.")
    html = client.get(hearing_case.url()).content.decode()
    assert "Rude words here." not in html
    assert "Hidden by a moderator: Offensive language." in html
    assert "Partly adopted" in html and "We look at wood for the gym." in html


def test_waiting_comments_are_not_shown(hearing_case: HearingCase, client: Client) -> None:
    org = hearing_case.instance.process.municipality
    org.moderation_mode = "pre"
    org.save(update_fields=["moderation_mode"])
    receipt = _comment(hearing_case, f"p{hearing_case.paragraphs[0].pk}", "Waiting text.")
    assert receipt.contribution.moderation == ModerationState.PENDING
    assert "Waiting text." not in client.get(hearing_case.url()).content.decode()


def test_a_fodselsnummer_in_a_comment_never_reaches_the_page(
    hearing_case: HearingCase, client: Client
) -> None:
    _post(client, hearing_case, text="My number is 01019000083, please note it.")
    contribution = Contribution.objects.get()
    assert contribution.moderation == ModerationState.HELD
    assert "01019000083" not in contribution.text
    assert "01019000083" not in client.get(hearing_case.url()).content.decode()


def test_comments_are_rate_limited_and_the_text_kept(
    hearing_case: HearingCase, client: Client, settings: Any
) -> None:
    settings.MEDVIRK_RATE_LIMITS = {**settings.MEDVIRK_RATE_LIMITS, "input": "1/h"}
    assert _post(client, hearing_case).status_code == 302
    response = _post(client, hearing_case, text="A second thought.")
    assert response.status_code == 429
    assert "A second thought." in response.content.decode()
    assert Contribution.objects.count() == 1


def test_only_get_and_post(hearing_case: HearingCase, client: Client) -> None:
    assert client.put(hearing_case.url("comment")).status_code == 405
    assert client.post(hearing_case.url()).status_code == 405


def test_the_page_makes_a_fixed_number_of_queries(
    hearing_case: HearingCase, client: Client
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(hearing_case.url()).status_code == 200
        return len(ctx.captured_queries)

    for n in range(3):
        c = _comment(hearing_case, f"p{hearing_case.paragraphs[n % 4].pk}", f"Comment {n}")
        factories.response(c.contribution, ResponseStatus.ADOPTED, "Yes.")
    few = count()
    for n in range(27):
        _comment(hearing_case, f"s{hearing_case.sections[n % 2].pk}", f"More {n}", show_name=True)
    assert count() == few


def test_the_names_match_the_plugin() -> None:
    assert (actions.COMMENT, actions.SUBMIT) == (plugin.COMMENT, plugin.SUBMIT)
    assert (actions.COMMENT_KIND, actions.SUBMISSION_KIND) == (
        plugin.COMMENT_KIND,
        plugin.SUBMISSION_KIND,
    )


def test_without_a_link_no_part_is_chosen_for_the_person(
    hearing_case: HearingCase, client: Client
) -> None:
    html = client.get(hearing_case.url("comment")).content.decode()
    assert '<option value="" selected>Choose a section or paragraph</option>' in html
    response = _post(client, hearing_case, part="")
    assert response.status_code == 400
    assert "Choose the part of the text you comment on." in response.content.decode()
    assert not Contribution.objects.exists()


def test_several_documents_are_grouped_by_title(hearing_case: HearingCase, client: Client) -> None:
    assert hearing_case.hearing is not None
    second = HearingDocument.objects.create(hearing=hearing_case.hearing, order=2, title="Costs")
    section = Section.objects.create(document=second, order=1, heading="Building costs")
    Paragraph.objects.create(section=section, order=1, text="The new school costs 300 million.")
    html = client.get(hearing_case.url("comment")).content.decode()
    assert '<optgroup label="Costs">' in html
    assert '<optgroup label="Proposal: a new school building">' in html
    page = client.get(hearing_case.url()).content.decode()
    # Each document is numbered from 1.
    assert '<span class="hearing-num">1.1</span> The new school costs' in page
