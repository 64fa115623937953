"""The staff editor: who may open it, documents with a PDF, sections and paragraphs added,
changed, moved and deleted (each audited), text with comments kept, and the staff pages
under the instance's address that check their own capability."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from medvirk.core.errors import ActionRefused
from medvirk.identity.models import User
from medvirk.methods.hearing import actions, staff_actions
from medvirk.methods.hearing.actions import SubmissionDraft
from medvirk.methods.hearing.models import Hearing, HearingDocument, Paragraph, Section
from medvirk.organisations.models import Municipality, Role
from tests import factories

from .conftest import HearingCase, make_hearing

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _editor(case: HearingCase) -> str:
    return f"/stab/sak/{case.instance.process_id}/metode/{case.instance.pk}/innhald/"


def _pdf(name: str = "framlegg.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _codes(mark: int) -> list[str]:
    return [row.action for row in factories.audited_since(mark)]


# -- who may open it -------------------------------------------------------------------------


def test_only_staff_who_manage_cases_open_the_editor(
    client: Client, hearing_case: HearingCase, org: Municipality, officer: User
) -> None:
    url = _editor(hearing_case)
    response = client.get(url)
    assert response.status_code == 302 and "/konto/logg-inn/" in response["Location"]
    client.force_login(factories.user())
    assert client.get(url).status_code == 404
    client.force_login(factories.staff(org, Role.MODERATOR))
    assert client.get(url).status_code == 404
    client.force_login(factories.staff(factories.municipality("Andrevik"), Role.CASE_OFFICER))
    assert client.get(url).status_code == 404
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    page = response.content.decode()
    assert "The chief executive recommends a new building on the same site." in page
    assert "<strong>2.1</strong>" in page  # paragraphs numbered as residents see them


def test_the_editor_shows_the_phase_dates_until_the_period_is_saved(
    client: Client, org: Municipality, officer: User
) -> None:
    case = make_hearing(org, with_row=False)
    client.force_login(officer)
    page = client.get(_editor(case)).content.decode()
    assert 'id="period-missing"' in page
    assert 'id="documents-need-period"' in page
    with pytest.raises(ActionRefused, match="Save the period first"):
        staff_actions.do_add_document(officer, case.instance, title="Framlegg")


def test_the_actions_refuse_staff_of_another_role_or_municipality(
    hearing_case: HearingCase, org: Municipality
) -> None:
    moderator = factories.staff(org, Role.MODERATOR)
    stranger = factories.staff(factories.municipality("Andrevik"), Role.CASE_OFFICER)
    for person in (moderator, stranger):
        with pytest.raises(ActionRefused) as refused:
            staff_actions.do_add_section(person, hearing_case.document, "Bakgrunn")  # type: ignore[arg-type]
        assert refused.value.status == 403
    assert Section.objects.count() == 2


# -- documents -------------------------------------------------------------------------------


def test_a_document_with_a_pdf_is_added_audited_and_downloadable(
    client: Client, hearing_case: HearingCase, officer: User
) -> None:
    client.force_login(officer)
    mark = factories.audit_mark()
    response = client.post(
        _editor(hearing_case),
        {
            "action": "add_document",
            "document-title": "Kostnadsoverslag",
            "document-summary": "Kva nybygget kostar.",
            "document-file": _pdf(),
        },
    )
    assert response.status_code == 302
    document = HearingDocument.objects.get(title="Kostnadsoverslag")
    assert document.order == 2
    assert document.file_name == "framlegg.pdf"
    assert document.content_type == "application/pdf"
    assert _codes(mark) == ["hearing.document_added"]
    page = client.get(_editor(hearing_case)).content.decode()
    assert "Document 2: Kostnadsoverslag" in page
    download = client.get(hearing_case.url("staff_document", pk=document.pk))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]


def test_a_document_that_is_not_a_pdf_is_refused_and_nothing_stored(
    client: Client, hearing_case: HearingCase, officer: User, media: object
) -> None:
    client.force_login(officer)
    png = SimpleUploadedFile(
        "kart.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="application/pdf"
    )
    response = client.post(
        _editor(hearing_case),
        {"action": "add_document", "document-title": "Kart", "document-file": png},
    )
    assert response.status_code == 400
    assert 'id="id_document-file-error"' in response.content.decode()
    assert not HearingDocument.objects.filter(title="Kart").exists()
    assert not any(p.is_file() for p in media.rglob("*"))  # type: ignore[attr-defined]


def test_a_document_without_a_title_is_refused(
    client: Client, hearing_case: HearingCase, officer: User
) -> None:
    client.force_login(officer)
    response = client.post(
        _editor(hearing_case), {"action": "add_document", "document-title": " \u200b "}
    )
    assert response.status_code == 400
    assert HearingDocument.objects.count() == 1


def test_a_document_is_edited_its_pdf_replaced_and_removed(
    client: Client, hearing_case: HearingCase, officer: User
) -> None:
    document = hearing_case.document
    assert document is not None
    client.force_login(officer)
    mark = factories.audit_mark()
    response = client.post(
        _editor(hearing_case),
        {
            "action": "edit",
            "target": f"d{document.pk}",
            "document-title": "Framlegg til vedtak",
            "document-summary": "Ny samandrag.",
            "document-file": _pdf("ny.pdf"),
        },
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.title, document.file_name) == ("Framlegg til vedtak", "ny.pdf")
    response = client.post(
        _editor(hearing_case),
        {
            "action": "edit",
            "target": f"d{document.pk}",
            "document-title": "Framlegg til vedtak",
            "document-summary": "Ny samandrag.",
            "document-remove_file": "on",
        },
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert not document.file and document.file_name == ""
    assert _codes(mark) == ["hearing.document_updated", "hearing.document_updated"]


def test_a_document_without_comments_is_deleted(
    client: Client, hearing_case: HearingCase, officer: User
) -> None:
    document = hearing_case.document
    assert document is not None
    client.force_login(officer)
    confirm = client.get(_editor(hearing_case) + f"?delete=d{document.pk}")
    assert 'id="delete-form"' in confirm.content.decode()
    mark = factories.audit_mark()
    response = client.post(_editor(hearing_case), {"action": "delete", "target": f"d{document.pk}"})
    assert response.status_code == 302
    assert not HearingDocument.objects.exists()
    assert not Paragraph.objects.exists()
    assert _codes(mark) == ["hearing.document_deleted"]


# -- sections and paragraphs -----------------------------------------------------------------


def test_sections_and_paragraphs_are_added_edited_and_audited(
    client: Client, hearing_case: HearingCase, officer: User
) -> None:
    document = hearing_case.document
    assert document is not None
    client.force_login(officer)
    mark = factories.audit_mark()
    form = client.get(_editor(hearing_case) + f"?add=d{document.pk}").content.decode()
    assert 'name="section-heading"' in form
    response = client.post(
        _editor(hearing_case),
        {"action": "add_section", "target": f"d{document.pk}", "section-heading": "Skuleveg"},
    )
    assert response.status_code == 302
    section = Section.objects.get(heading="Skuleveg")
    assert section.order == 3
    response = client.post(
        _editor(hearing_case),
        {
            "action": "add_paragraph",
            "target": f"s{section.pk}",
            "paragraph-text": "Fortau  heile vegen.\r\n\r\n\r\nOg lys.",
        },
    )
    assert response.status_code == 302
    paragraph = Paragraph.objects.get(section=section)
    assert paragraph.text == "Fortau heile vegen.\n\nOg lys."
    response = client.post(
        _editor(hearing_case),
        {"action": "edit", "target": f"s{section.pk}", "section-heading": "Trygg skuleveg"},
    )
    assert response.status_code == 302
    response = client.post(
        _editor(hearing_case),
        {"action": "edit", "target": f"p{paragraph.pk}", "paragraph-text": "Fortau og lys."},
    )
    assert response.status_code == 302
    page = client.get(_editor(hearing_case)).content.decode()
    assert "3 Trygg skuleveg" in page
    assert "<strong>3.1</strong> Fortau og lys." in page
    assert _codes(mark) == [
        "hearing.section_added",
        "hearing.paragraph_added",
        "hearing.section_updated",
        "hearing.paragraph_updated",
    ]


def test_an_empty_paragraph_is_a_form_error(
    client: Client, hearing_case: HearingCase, officer: User
) -> None:
    section = hearing_case.sections[0]
    client.force_login(officer)
    response = client.post(
        _editor(hearing_case),
        {"action": "add_paragraph", "target": f"s{section.pk}", "paragraph-text": "  "},
    )
    assert response.status_code == 400
    assert 'id="id_paragraph-text-error"' in response.content.decode()
    assert Paragraph.objects.filter(section=section).count() == 2


def test_moving_renumbers_and_is_audited(
    client: Client, hearing_case: HearingCase, officer: User
) -> None:
    first, second = hearing_case.paragraphs[0], hearing_case.paragraphs[1]
    client.force_login(officer)
    mark = factories.audit_mark()
    response = client.post(_editor(hearing_case), {"action": "move_down", "target": f"p{first.pk}"})
    assert response.status_code == 302
    ordered = list(Paragraph.objects.filter(section=first.section_id).values_list("pk", flat=True))
    assert ordered == [second.pk, first.pk]
    # Already last: refused with a message, nothing changes.
    response = client.post(_editor(hearing_case), {"action": "move_down", "target": f"p{first.pk}"})
    assert response.status_code == 400
    assert "already last" in response.content.decode()
    sections = hearing_case.sections
    response = client.post(
        _editor(hearing_case), {"action": "move_up", "target": f"s{sections[1].pk}"}
    )
    assert response.status_code == 302
    assert list(Section.objects.values_list("pk", flat=True)) == [sections[1].pk, sections[0].pk]
    assert _codes(mark) == ["hearing.text_moved", "hearing.text_moved"]


def test_text_with_comments_cannot_be_deleted_but_can_be_reworded(
    client: Client, hearing_case: HearingCase, officer: User
) -> None:
    paragraph = hearing_case.paragraphs[0]
    actions.do_comment(
        AnonymousUser(), hearing_case.instance, part=f"p{paragraph.pk}", text="Godt framlegg."
    )
    client.force_login(officer)
    mark = factories.audit_mark()
    for target in (f"p{paragraph.pk}", f"s{paragraph.section_id}", f"d{hearing_case.document.pk}"):  # type: ignore[union-attr]
        response = client.post(_editor(hearing_case), {"action": "delete", "target": target})
        assert response.status_code == 400, target
        assert "cannot be deleted" in response.content.decode()
    assert Paragraph.objects.filter(pk=paragraph.pk).exists()
    assert not _codes(mark)
    # The confirmation page says so before anyone tries.
    page = client.get(_editor(hearing_case) + f"?delete=p{paragraph.pk}").content.decode()
    assert 'id="delete-refused"' in page and 'id="delete-form"' not in page
    # Rewording is allowed, with a note that comments point at it.
    page = client.get(_editor(hearing_case) + f"?edit=p{paragraph.pk}").content.decode()
    assert 'id="comments-note"' in page
    response = client.post(
        _editor(hearing_case),
        {"action": "edit", "target": f"p{paragraph.pk}", "paragraph-text": "Skulen frå 1962."},
    )
    assert response.status_code == 302
    assert _codes(mark) == ["hearing.paragraph_updated"]


def test_a_target_of_another_hearing_is_not_found(
    client: Client, hearing_case: HearingCase, org: Municipality, officer: User
) -> None:
    other = make_hearing(org)
    client.force_login(officer)
    foreign = other.paragraphs[0]
    response = client.post(_editor(hearing_case), {"action": "delete", "target": f"p{foreign.pk}"})
    assert response.status_code == 404
    assert client.get(_editor(hearing_case) + f"?edit=p{foreign.pk}").status_code == 404
    assert client.get(_editor(hearing_case) + "?edit=x1").status_code == 404
    assert Paragraph.objects.filter(pk=foreign.pk).exists()


@pytest.mark.parametrize(
    "data",
    [{}, {"action": "explode"}, {"action": "delete"}, {"action": "delete", "target": "p1; DROP"}],
)
def test_a_garbled_post_is_a_400_with_a_message(
    client: Client, hearing_case: HearingCase, officer: User, data: dict[str, str]
) -> None:
    client.force_login(officer)
    response = client.post(_editor(hearing_case), data)
    assert response.status_code == 400
    assert 'id="page-error"' in response.content.decode()


# -- the staff pages under the instance's address --------------------------------------------


@pytest.mark.parametrize("name", ["staff_submissions"])
def test_submission_pages_check_the_capability_themselves(
    client: Client, hearing_case: HearingCase, org: Municipality, name: str
) -> None:
    url = hearing_case.url(name)
    response = client.get(url)
    assert response.status_code == 302 and "/konto/logg-inn/" in response["Location"]
    client.force_login(factories.user())
    response = client.get(url)
    assert response.status_code == 403
    assert 'id="refusal"' in response.content.decode()
    client.force_login(factories.staff(org, Role.IDENTITY_OFFICER))
    assert client.get(url).status_code == 403
    for role in (Role.MODERATOR, Role.CASE_OFFICER, Role.ADMINISTRATOR):
        client.force_login(factories.staff(org, role))
        response = client.get(url)
        assert response.status_code == 200, role
        assert response["Cache-Control"] == "private, no-store"


def test_a_hearing_without_a_row_still_has_working_staff_pages(
    client: Client, org: Municipality, officer: User
) -> None:
    case = make_hearing(org, with_row=False)
    client.force_login(officer)
    assert client.get(case.url("staff_submissions")).status_code == 200
    assert client.get(_editor(case)).status_code == 200
    assert not Hearing.objects.filter(method_instance=case.instance).exists()


def test_clean_text_keeps_paragraph_breaks_and_drops_hidden_characters() -> None:
    text = staff_actions.clean_text("A\u202e b\r\nc\u200b\n\n\n\nd\x00 ", max_length=100)
    assert text == "A b\nc\n\nd"
    with pytest.raises(ActionRefused, match="too long"):
        staff_actions.clean_text("x" * 11, max_length=10)


def _queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_submissions_list_makes_a_fixed_number_of_queries(
    client: Client, hearing_case: HearingCase, officer: User
) -> None:
    def add(n: int) -> None:
        for i in range(n):
            actions.do_submit(
                AnonymousUser(),
                hearing_case.instance,
                SubmissionDraft(text=f"Innspel {i}.", author_name=f"Person {i}"),
                [_pdf(f"vedlegg-{i}.pdf")] if i % 2 else [],
            )

    client.force_login(officer)
    url = hearing_case.url("staff_submissions")
    add(3)
    few = _queries_for(client, url)
    add(27)
    assert _queries_for(client, url) == few
