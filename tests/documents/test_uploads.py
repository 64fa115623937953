"""The one upload API (core/uploads.py): type by content, size limit, hostile names, random
stored names through the configured storage, and downloads that never run as a page."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction

from medvirk.core import filetypes, uploads
from medvirk.core.filetypes import FileKind
from medvirk.core.uploads import ATTACHMENT_KINDS, DOCUMENT_KINDS, UploadRefused, check_upload
from tests.documents import files
from tests.documents.files import body, stored_files, upload


def _named(name: str, content: bytes) -> File[bytes]:
    """A file object that keeps the name exactly as given (no basename applied)."""
    return File(io.BytesIO(content), name=name)


# -- detection by content ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "kind", "content_type"),
    [
        ("utgreiing.pdf", files.pdf_bytes(), FileKind.PDF, "application/pdf"),
        ("teikning.png", files.image_bytes("PNG"), FileKind.PNG, "image/png"),
        ("foto.jpg", files.image_bytes("JPEG"), FileKind.JPEG, "image/jpeg"),
        ("foto.jpeg", files.image_bytes("JPEG"), FileKind.JPEG, "image/jpeg"),
        ("kart.gif", files.image_bytes("GIF"), FileKind.GIF, "image/gif"),
        ("kart.webp", files.image_bytes("WEBP"), FileKind.WEBP, "image/webp"),
        (
            "brev.docx",
            files.docx_bytes(),
            FileKind.DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("brev.odt", files.odt_bytes(), FileKind.ODT, "application/vnd.oasis.opendocument.text"),
    ],
)
def test_each_accepted_kind_is_known_by_its_content(
    name: str, content: bytes, kind: FileKind, content_type: str
) -> None:
    # The browser's claimed type is nonsense on purpose: only the bytes count.
    checked = check_upload(upload(name, content, "text/html"), ATTACHMENT_KINDS)
    assert checked.kind == kind
    assert checked.content_type == content_type
    assert checked.size == len(content)
    assert checked.name == name
    assert checked.file.tell() == 0  # left ready to be stored


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("rapport.pdf", files.HTML, "web page"),
        ("teikning.png", files.SVG, "web page or an SVG/XML file"),
        ("teikning.svg", files.SVG, "web page or an SVG/XML file"),
        ("side.html", files.HTML, "web page"),
        ("arkiv.docx", files.plain_zip(), "not a kind of file we accept"),
        ("makro.docx", files.docx_bytes(macros=True), "not a kind of file we accept"),
        ("feil.odt", files.odt_bytes(b"application/vnd.oasis.opendocument.spreadsheet"), "not a"),
        ("program.pdf", b"MZ\x90\x00" + b"\x00" * 60, "not a kind of file we accept"),
        ("tekst.pdf", b"Just some text", "not a kind of file we accept"),
    ],
)
def test_anything_else_is_refused_whatever_its_name(name: str, content: bytes, says: str) -> None:
    with pytest.raises(UploadRefused) as refused:
        check_upload(upload(name, content, "application/pdf"), ATTACHMENT_KINDS)
    assert says in refused.value.message
    assert name in refused.value.message
    assert "Accepted: PDF, PNG image" in refused.value.message


def test_a_kind_not_taken_here_is_refused_by_name() -> None:
    with pytest.raises(UploadRefused, match=r"is a Word document \(DOCX\), which is not accepted"):
        check_upload(upload("brev.docx", files.docx_bytes()), DOCUMENT_KINDS)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bilete.pdf", files.image_bytes("PNG")),
        ("rapport.png", files.pdf_bytes()),
        ("rapport.html", files.pdf_bytes()),
        ("rapport.svg", files.pdf_bytes()),
        ("brev.pdf", files.docx_bytes()),
        ("brev.zip", files.odt_bytes()),
    ],
)
def test_an_extension_that_contradicts_the_content_is_refused(name: str, content: bytes) -> None:
    with pytest.raises(UploadRefused, match=r"ends in \.\w+ but is a"):
        check_upload(upload(name, content), ATTACHMENT_KINDS)


def test_a_name_without_extension_gets_the_right_one() -> None:
    checked = check_upload(upload("Tilstandsrapport", files.pdf_bytes()), DOCUMENT_KINDS)
    assert checked.name == "Tilstandsrapport.pdf"


def test_names_are_tidied_for_display() -> None:
    decomposed = "Ga\u030ardsrom  plan: ny?.pdf"  # macOS sends å as a + ring
    checked = check_upload(upload(decomposed, files.pdf_bytes()), DOCUMENT_KINDS)
    assert checked.name == "Gårdsrom plan_ ny_.pdf"


# -- hostile names -------------------------------------------------------------------------

HOSTILE = {
    "../../etc/passwd.pdf": "folder path",
    "..\\..\\boot.pdf": "folder path",
    "mappe/rapport.pdf": "folder path",
    "rapport..pdf": "folder path",
    "rapport\u202efdp.exe.pdf": "hidden or control characters",
    "rap\u200bport.pdf": "hidden or control characters",
    "rapport\x07.pdf": "hidden or control characters",
    "line\nbreak.pdf": "hidden or control characters",
    ".htaccess.pdf": "starts with a dot",
    " .skjult.pdf": "starts with a dot",
    "...": "folder path",
    ". .": "only dots or spaces",
    "   ": "no name",
    "": "no name",
    "rapport.pdf.": "ends with a dot or a space",
    "rapport.pdf ": "ends with a dot or a space",
    "CON.pdf": "reserved by Windows",
    "lpt1.pdf": "reserved by Windows",
    "Aux": "reserved by Windows",
    "a" * 197 + ".pdf": "longer than 200 characters",
}


@pytest.mark.parametrize(("name", "says"), list(HOSTILE.items()))
def test_hostile_names_are_refused_with_a_reason(name: str, says: str) -> None:
    with pytest.raises(UploadRefused) as refused:
        check_upload(_named(name, files.pdf_bytes()), DOCUMENT_KINDS)
    message = refused.value.message
    assert says in message
    # The name is quoted back without the characters that would hide or reorder it.
    assert "\u202e" not in message and "\u200b" not in message and "\x07" not in message


def test_a_path_from_the_browser_is_cut_to_the_file_name() -> None:
    # Django's upload handling keeps only the last part of a path a browser sends.
    checked = check_upload(upload("../../rapport.pdf", files.pdf_bytes()), DOCUMENT_KINDS)
    assert checked.name == "rapport.pdf"


def test_reserved_windows_names_are_only_whole_stems() -> None:
    assert filetypes.name_problem("Console.pdf") is None
    assert filetypes.name_problem("com10.pdf") is None
    assert filetypes.name_problem("con.tar.pdf") is filetypes.NameProblem.RESERVED


# -- size ----------------------------------------------------------------------------------


def test_a_file_over_the_limit_is_refused(settings) -> None:  # type: ignore[no-untyped-def]
    settings.MEDVIRK_UPLOAD_MAX_BYTES = 1000
    content = files.pdf_bytes() + b"%" + b"x" * 1000
    with pytest.raises(UploadRefused, match="a file may be at most"):
        check_upload(upload("stor.pdf", content), DOCUMENT_KINDS)
    settings.MEDVIRK_UPLOAD_MAX_BYTES = len(content)
    assert check_upload(upload("stor.pdf", content), DOCUMENT_KINDS).size == len(content)


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(UploadRefused, match="is empty"):
        check_upload(upload("tom.pdf", b""), DOCUMENT_KINDS)


# -- storage -------------------------------------------------------------------------------


def test_store_writes_under_a_random_name_through_the_default_storage(media: Path) -> None:
    checked = check_upload(upload("Kari Nordmann sitt brev.pdf", files.pdf_bytes()), DOCUMENT_KINDS)
    first = uploads.store(checked, "saker")
    second = uploads.store(checked, "saker")
    assert first != second
    for stored in (first, second):
        assert stored.startswith("saker/") and stored.endswith(".pdf")
        assert "Kari" not in stored and "Nordmann" not in stored
        assert storages["default"].exists(stored)
        assert (media / stored).read_bytes() == files.pdf_bytes()
    assert len(stored_files(media)) == 2


def test_files_written_in_a_failed_transaction_are_deleted(media: Path) -> None:
    checked = check_upload(files.pdf(), DOCUMENT_KINDS)
    with pytest.raises(RuntimeError), uploads.discard_on_failure() as written, transaction.atomic():
        written.append(uploads.store(checked, "saker"))
        assert len(stored_files(media)) == 1
        raise RuntimeError("the database said no")
    assert stored_files(media) == []


@pytest.mark.django_db
def test_delete_after_commit_waits_for_the_commit(
    media: Path,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    stored = uploads.store(check_upload(files.pdf(), DOCUMENT_KINDS), "saker")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        uploads.delete_after_commit([stored])
        assert (media / stored).exists()  # not before the commit
    assert len(callbacks) == 1
    assert stored_files(media) == []


# -- downloads -----------------------------------------------------------------------------


class _Field:
    """Enough of a FieldFile for download_response: a name in a storage."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.storage = storages["default"]


def test_download_is_an_attachment_that_never_runs_as_a_page(media: Path) -> None:
    stored = uploads.store(check_upload(files.pdf(), DOCUMENT_KINDS), "saker")
    name = "Tilstandsrapport «Lillevik skule» 2026.pdf"
    response = uploads.download_response(_Field(stored), name, "application/pdf")  # type: ignore[arg-type]
    assert body(response) == files.pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert f"filename*=UTF-8''{quote(name, safe='')}" in disposition
    assert 'filename="Tilstandsrapport_Lillevik_skule_2026.pdf"' in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-cache"


def test_a_stored_type_we_do_not_serve_becomes_octet_stream(media: Path) -> None:
    stored = uploads.store(check_upload(files.pdf(), DOCUMENT_KINDS), "saker")
    response = uploads.download_response(_Field(stored), "x.html", "text/html", personal=True)  # type: ignore[arg-type]
    body(response)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment; ")
    assert response["Cache-Control"] == "private, no-store"


def test_a_missing_file_is_not_found(media: Path) -> None:
    from django.http import Http404

    with pytest.raises(Http404):
        uploads.download_response(_Field("saker/borte.pdf"), "borte.pdf", "application/pdf")  # type: ignore[arg-type]


def test_header_injection_through_the_name_is_impossible() -> None:
    header = uploads.content_disposition('a"; filename="evil.html\r\nSet-Cookie: x=1')
    assert "\r" not in header and "\n" not in header
    assert 'filename="a___filename__evil.html__Set-Cookie__x_1"' in header


def test_describe_says_kind_and_size_in_words() -> None:
    # Django's size words keep number and unit together (a no-break space).
    assert uploads.describe("application/pdf", 1_200_000) == "PDF, 1.1\xa0MB"
    assert uploads.describe("image/png", 2048) == "PNG image, 2.0\xa0KB"
    assert uploads.describe("text/html", 10).startswith("File, ")
