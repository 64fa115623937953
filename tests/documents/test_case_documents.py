"""A case's documents: staff add, change and delete them (audited); the public case page lists
the published ones as downloads; drafts, unpublished documents and other municipalities are
not found."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from medvirk.core import uploads
from medvirk.core.errors import ActionRefused
from medvirk.processes import documents
from medvirk.processes.models import CaseDocument, DocumentKind, ProcessStatus
from tests import factories
from tests.documents import files
from tests.documents.files import body, stored_files

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _add(w: factories.World, title: str = "Tilstandsrapport", **values: object) -> CaseDocument:
    checked = uploads.check_upload(files.pdf("tilstand.pdf"), uploads.DOCUMENT_KINDS)
    fields = {"title": title, "kind": DocumentKind.CONDITION, "is_published": True, **values}
    return documents.do_add_document(w.officer, w.process, fields, checked)


def _public_url(doc: CaseDocument) -> str:
    process = doc.process
    return reverse(
        "public:document",
        kwargs={
            "municipality": process.municipality.slug,
            "slug": process.slug,
            "pk": doc.pk,
            "name": doc.name,
        },
    )


# -- staff ---------------------------------------------------------------------------------


def test_staff_add_a_document_with_its_file(
    w: factories.World, client: Client, media: Path
) -> None:
    client.force_login(w.officer)
    url = reverse("staff:documents", kwargs={"pk": w.process.pk})
    mark = factories.audit_mark()
    response = client.post(
        url,
        {
            "title": "Utgreiing av alternativa",
            "kind": DocumentKind.REPORT,
            "description": "Kva kvart alternativ kostar.",
            "file": files.pdf("Utgreiing alternativ.pdf"),
            "is_published": "on",
        },
        **EN,
    )
    assert response.status_code == 302
    doc = CaseDocument.objects.get()
    assert (doc.title, doc.kind, doc.is_published) == ("Utgreiing av alternativa", "report", True)
    assert doc.name == "Utgreiing alternativ.pdf"
    assert doc.content_type == "application/pdf"
    assert doc.size == len(files.pdf_bytes())
    assert doc.uploaded_by == w.officer
    # Stored under a random name, not the staff member's.
    assert doc.file.name.startswith("saker/") and "Utgreiing" not in doc.file.name
    assert [p.relative_to(media).as_posix() for p in stored_files(media)] == [doc.file.name]
    [entry] = factories.audited_since(mark)
    assert entry.action == "case_document.added"
    assert entry.data["process"] == w.process.pk
    page = client.get(url, **EN).content.decode()
    assert "Utgreiing av alternativa" in page
    assert "PDF, " in page


def test_a_refused_file_stores_nothing_and_says_why(
    w: factories.World, client: Client, media: Path
) -> None:
    client.force_login(w.officer)
    response = client.post(
        reverse("staff:documents", kwargs={"pk": w.process.pk}),
        {
            "title": "Teikning",
            "kind": DocumentKind.DRAWING,
            "file": files.upload("teikning.pdf", files.HTML, "application/pdf"),
            "is_published": "on",
        },
        **EN,
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "“teikning.pdf” is a web page" in page
    assert 'value="Teikning"' in page  # what was typed is kept
    assert not CaseDocument.objects.exists()
    assert stored_files(media) == []


def test_a_word_file_is_not_a_case_document(w: factories.World, client: Client) -> None:
    client.force_login(w.officer)
    response = client.post(
        reverse("staff:documents", kwargs={"pk": w.process.pk}),
        {
            "title": "Brev",
            "kind": DocumentKind.OTHER,
            "file": files.upload("brev.docx", files.docx_bytes()),
        },
        **EN,
    )
    assert response.status_code == 400
    assert "which is not accepted here" in response.content.decode()
    assert not CaseDocument.objects.exists()


def test_staff_change_title_kind_and_visibility_audited(w: factories.World, client: Client) -> None:
    doc = _add(w)
    client.force_login(w.officer)
    mark = factories.audit_mark()
    response = client.post(
        reverse("staff:document_edit", kwargs={"pk": w.process.pk, "document_pk": doc.pk}),
        {"title": "Tilstandsrapport 2026", "kind": DocumentKind.REPORT, "description": ""},
    )
    assert response.status_code == 302
    doc.refresh_from_db()
    assert (doc.title, doc.kind, doc.is_published) == ("Tilstandsrapport 2026", "report", False)
    [entry] = factories.audited_since(mark)
    assert entry.action == "case_document.updated"
    assert entry.data["fields"] == ["is_published", "kind", "title"]


def test_staff_delete_a_document_and_its_file_goes_after_commit(
    w: factories.World,
    client: Client,
    media: Path,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    doc = _add(w)
    assert len(stored_files(media)) == 1
    client.force_login(w.officer)
    mark = factories.audit_mark()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("staff:document_delete", kwargs={"pk": w.process.pk, "document_pk": doc.pk})
        )
    assert response.status_code == 302
    assert not CaseDocument.objects.exists()
    assert stored_files(media) == []
    assert [e.action for e in factories.audited_since(mark)] == ["case_document.deleted"]


def test_delete_answers_only_post(w: factories.World, client: Client) -> None:
    doc = _add(w)
    client.force_login(w.officer)
    url = reverse("staff:document_delete", kwargs={"pk": w.process.pk, "document_pk": doc.pk})
    assert client.get(url).status_code == 405
    assert CaseDocument.objects.exists()


def test_staff_download_unpublished_documents(w: factories.World, client: Client) -> None:
    doc = _add(w, is_published=False)
    client.force_login(w.officer)
    response = client.get(
        reverse("staff:document_file", kwargs={"pk": w.process.pk, "document_pk": doc.pk})
    )
    assert response.status_code == 200
    assert body(response) == files.pdf_bytes()
    assert response["Content-Disposition"].startswith("attachment; ")


@pytest.mark.parametrize("who", ["moderator", "resident", "other_officer"])
def test_without_manage_process_the_pages_are_not_found(
    w: factories.World, client: Client, who: str
) -> None:
    doc = _add(w)
    client.force_login(getattr(w, who))
    kw = {"pk": w.process.pk, "document_pk": doc.pk}
    for url in (
        reverse("staff:documents", kwargs={"pk": w.process.pk}),
        reverse("staff:document_edit", kwargs=kw),
        reverse("staff:document_file", kwargs=kw),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("staff:document_delete", kwargs=kw)).status_code == 404
    response = client.post(
        reverse("staff:documents", kwargs={"pk": w.process.pk}),
        {"title": "X", "kind": DocumentKind.OTHER, "file": files.pdf(), "is_published": "on"},
    )
    assert response.status_code == 404
    assert CaseDocument.objects.count() == 1


def test_the_actions_refuse_without_the_capability(w: factories.World) -> None:
    doc = _add(w)
    checked = uploads.check_upload(files.pdf(), uploads.DOCUMENT_KINDS)
    for attempt in (
        lambda: documents.do_add_document(w.moderator, w.process, {"title": "X"}, checked),
        lambda: documents.do_update_document(w.other_officer, doc, {"title": "Y"}),
        lambda: documents.do_delete_document(w.moderator, doc),
    ):
        with pytest.raises(ActionRefused) as refused:
            attempt()
        assert refused.value.status == 403
    doc.refresh_from_db()
    assert doc.title == "Tilstandsrapport"


def test_another_cases_document_is_not_found_through_this_case(
    w: factories.World, client: Client
) -> None:
    doc = _add(w)
    other_case = factories.process(w.org)
    client.force_login(w.officer)
    url = reverse("staff:document_edit", kwargs={"pk": other_case.pk, "document_pk": doc.pk})
    assert client.get(url).status_code == 404


def test_a_title_of_only_hidden_characters_is_refused(w: factories.World) -> None:
    checked = uploads.check_upload(files.pdf(), uploads.DOCUMENT_KINDS)
    with pytest.raises(ActionRefused, match="only invisible or control characters"):
        documents.do_add_document(w.officer, w.process, {"title": "\u200b\u202e"}, checked)


def test_the_case_menu_links_to_documents_for_case_officers_only(w: factories.World) -> None:
    url = reverse("staff:documents", kwargs={"pk": w.process.pk})

    def menu(person: object) -> str:
        request = RequestFactory().get("/")
        request.user = person  # type: ignore[assignment]
        return render_to_string(
            "staff/_process_nav.html", {"process": w.process, "request": request}
        )

    assert url in menu(w.officer)
    assert url in menu(w.admin)
    assert url not in menu(w.moderator)


# -- public --------------------------------------------------------------------------------


def test_the_case_page_lists_published_documents_with_kind_and_size(
    w: factories.World, client: Client
) -> None:
    shown = _add(w, "Tilstandsrapport for skulen")
    _add(w, "Internt utkast", is_published=False)
    page = client.get(w.process.get_absolute_url(), **EN).content.decode()
    assert "Tilstandsrapport for skulen" in page
    assert "Internt utkast" not in page
    assert _public_url(shown) in page
    assert "Condition report (tilstandsrapport)" in page
    assert "PDF, " in page and "bytes" in page


def test_no_documents_no_section(w: factories.World, client: Client) -> None:
    page = client.get(w.process.get_absolute_url(), **EN).content.decode()
    assert 'id="documents-heading"' not in page


def test_the_public_download_is_an_attachment(w: factories.World, client: Client) -> None:
    doc = _add(w)
    response = client.get(_public_url(doc))
    assert response.status_code == 200
    assert body(response) == files.pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"tilstand.pdf\"; filename*=UTF-8''tilstand.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_an_unpublished_document_is_not_found_publicly(w: factories.World, client: Client) -> None:
    doc = _add(w, is_published=False)
    assert client.get(_public_url(doc)).status_code == 404
    client.force_login(w.officer)  # staff too: they use the staff download
    assert client.get(_public_url(doc)).status_code == 404


def test_a_draft_cases_documents_are_not_found_as_the_case(
    w: factories.World, client: Client
) -> None:
    draft = factories.process(w.org, ProcessStatus.DRAFT)
    checked = uploads.check_upload(files.pdf(), uploads.DOCUMENT_KINDS)
    doc = documents.do_add_document(
        w.officer, draft, {"title": "Utkast", "kind": "report", "is_published": True}, checked
    )
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(_public_url(doc)).status_code == 404
    client.force_login(w.officer)  # the municipality's staff see the draft case and its files
    response = client.get(_public_url(doc))
    assert response.status_code == 200
    body(response)


def test_the_document_is_found_only_under_its_own_case(w: factories.World, client: Client) -> None:
    doc = _add(w)
    other_org = w.other_org
    other_case = factories.process(other_org)
    for municipality, slug in ((other_org.slug, other_case.slug), (w.org.slug, "finst-ikkje")):
        url = reverse(
            "public:document",
            kwargs={"municipality": municipality, "slug": slug, "pk": doc.pk, "name": doc.name},
        )
        assert client.get(url).status_code == 404, url


def test_a_wrong_name_in_the_address_leads_to_the_right_one(
    w: factories.World, client: Client
) -> None:
    doc = _add(w)
    url = _public_url(doc).replace("tilstand.pdf", "noko-anna.html")
    response = client.get(url)
    assert response.status_code == 301
    assert response["Location"] == _public_url(doc)


def test_a_file_missing_from_storage_is_not_found(
    w: factories.World, client: Client, media: Path
) -> None:
    doc = _add(w)
    (media / doc.file.name).unlink()
    assert client.get(_public_url(doc)).status_code == 404


def test_the_storage_can_be_swapped_by_settings(
    w: factories.World,
    client: Client,
    settings,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    # Another storage backend (here in memory, as S3 would be elsewhere): nothing on disk.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    doc = _add(w)
    assert stored_files(Path(settings.MEDIA_ROOT)) == []
    response = client.get(_public_url(doc))
    assert body(response) == files.pdf_bytes()
