"""Staff exports of a høyring: the CSV of every submission and comment, one PDF of all
submissions with their answers, and the arkivmelding ZIP — for staff with the export
capability only, never cached."""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from medvirk.accountability.models import ResponseStatus
from medvirk.contributions.models import Contribution
from medvirk.identity.models import User
from medvirk.methods.hearing import actions, exports, staff_actions
from medvirk.methods.hearing.actions import SubmissionDraft
from medvirk.methods.hearing.models import SenderKind
from medvirk.organisations.models import Municipality, Role
from medvirk.processes import registry
from tests import factories

from .conftest import HearingCase

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ANSWER = "Vi tek innspelet med i saksframlegget om skulevegen."


def _export(case: HearingCase, key: str) -> str:
    return registry.get("hearing").export_url(case.instance, key)


def _content(response: object) -> bytes:
    streaming = getattr(response, "streaming_content", None)
    if streaming is not None:
        return b"".join(streaming)
    return bytes(response.content)  # type: ignore[attr-defined]


def pdf_objects(data: bytes) -> bytes:
    """The PDF with its compressed streams (object streams too) decompressed beside it."""
    out = [data]
    # A stream's last byte may be a CR that the pattern takes as the line end: decompressobj
    # gives back what it can read and does not fail on the missing byte.
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out.append(zlib.decompressobj().decompress(raw))
        except zlib.error:
            continue
    return b"\n".join(out)


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def filled(hearing_case: HearingCase, officer: User) -> dict[str, Contribution]:
    """A person's submission (answered), an organisation's (late? no: with a file), a
    minor's, and a comment on paragraph 2.1."""
    person = actions.do_submit(
        AnonymousUser(),
        hearing_case.instance,
        SubmissionDraft(
            text="Skulevegen må få fortau før skulen opnar.",
            author_name="Kari Nordmann",
            show_name=True,
            contact_email="kari@example.org",
        ),
    ).contribution
    organisation = actions.do_submit(
        AnonymousUser(),
        hearing_case.instance,
        SubmissionDraft(
            text="=1+1 FAU støttar framlegget.",
            sender_kind=SenderKind.ORGANISATION,
            author_name="Per Ås",
            organisation_name="FAU Lillevik skule",
            organisation_number="974 760 673",
        ),
        [SimpleUploadedFile("vedtak i FAU.pdf", PDF, content_type="application/pdf")],
    ).contribution
    minor = actions.do_submit(
        AnonymousUser(),
        hearing_case.instance,
        SubmissionDraft(text="Eg vil ha ballbinge.", author_name="Ola Liten", is_minor=True),
    ).contribution
    comment = actions.do_comment(
        AnonymousUser(),
        hearing_case.instance,
        part=f"p{hearing_case.paragraphs[2].pk}",
        text="Kva med gymsalen?",
        author_name="Liv",
        show_name=True,
    ).contribution
    factories.response(person, ResponseStatus.ADOPTED, ANSWER, by=officer)
    staff_actions.do_redact_passage(
        officer, person, passage="før skulen opnar", basis="annet", note="Test."
    )
    return {"person": person, "organisation": organisation, "minor": minor, "comment": comment}


# -- who may download --------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["innspel-csv", "innspel-pdf", "arkivmelding"])
def test_only_staff_with_the_export_capability_download(
    client: Client, hearing_case: HearingCase, org: Municipality, key: str
) -> None:
    url = _export(hearing_case, key)
    response = client.get(url)
    assert response.status_code == 302 and "/konto/logg-inn/" in response["Location"]
    client.force_login(factories.user())
    assert client.get(url).status_code == 403
    client.force_login(factories.staff(org, Role.IDENTITY_OFFICER))
    assert client.get(url).status_code == 403
    client.force_login(factories.staff(factories.municipality("Andrevik"), Role.CASE_OFFICER))
    assert client.get(url).status_code == 403
    client.force_login(factories.staff(org, Role.MODERATOR))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert _content(response)  # read to the end, which closes the file


# -- the CSV ---------------------------------------------------------------------------------


def test_the_csv_has_every_submission_and_comment_in_full(
    client: Client,
    hearing_case: HearingCase,
    officer: User,
    filled: dict[str, Contribution],
) -> None:
    client.force_login(officer)
    response = client.get(_export(hearing_case, "innspel-csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "private, no-store"
    text = _content(response).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "Type",
        "Number",
        "Received",
        "Late",
        "Sent by",
        "Name",
        "Name shown publicly",
        "Organisation",
        "Organisation number",
        "Under 18",
        "Document",
        "Part",
        "Text",
        "Files",
        "Withheld from the register",
        "Moderation",
        "Answer",
        "Reason given",
        "Answered on",
    ]
    by_number = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert len(by_number) == 4
    person = by_number[str(filled["person"].pk)]
    assert person["Type"] == "Submission"
    assert person["Name"] == "Kari Nordmann"
    assert person["Text"] == "Skulevegen må få fortau før skulen opnar."  # full, not redacted
    assert person["Withheld from the register"] == "før skulen opnar"
    assert person["Answer"] == "Adopted" and person["Reason given"] == ANSWER
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", person["Received"])
    assert "kari@example.org" not in text  # no e-mail addresses
    organisation = by_number[str(filled["organisation"].pk)]
    assert organisation["Organisation"] == "FAU Lillevik skule"
    assert organisation["Organisation number"] == "974760673"
    assert organisation["Files"] == "vedtak i FAU.pdf"
    assert organisation["Text"].startswith("'=1+1")  # never a formula
    minor = by_number[str(filled["minor"].pk)]
    assert minor["Under 18"] == "Yes" and minor["Name shown publicly"] == "No"
    assert minor["Name"] == "Ola Liten"  # the case file has it
    comment = by_number[str(filled["comment"].pk)]
    assert comment["Type"] == "Comment"
    assert (comment["Document"], comment["Part"]) == ("1", "2.1")
    assert comment["Answer"] == ""


# -- the PDF ---------------------------------------------------------------------------------


def test_the_pdf_is_one_tagged_pdf_with_the_answers(
    monkeypatch: pytest.MonkeyPatch,
    client: Client,
    hearing_case: HearingCase,
    officer: User,
    filled: dict[str, Contribution],
) -> None:
    # The text is checked in the HTML the PDF is made from: reading text back out of a PDF
    # without a PDF library depends on the fonts the machine has (flaky across machines).
    rendered: list[str] = []
    real_render = exports.pdf.render

    def spy(html: str, base_url: str) -> bytes | None:
        rendered.append(html)
        return real_render(html, base_url)

    monkeypatch.setattr(exports.pdf, "render", spy)
    client.force_login(officer)
    response = client.get(_export(hearing_case, "innspel-pdf"))
    assert response.status_code == 200
    data = _content(response)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert data.startswith(b"%PDF-")
    objects = pdf_objects(data)
    assert b"/StructTreeRoot" in objects and b"/MarkInfo" in objects  # tagged (PDF/UA-1)
    assert len(rendered) == 1  # one PDF for all
    text = _flat(rendered[0])
    assert _flat(ANSWER) in text
    assert _flat("Kari Nordmann") in text  # full names: it is for the case file
    assert _flat("FAU Lillevik skule") in text
    assert _flat("Not answered yet") in text
    assert _flat(hearing_case.instance.process.title) in text


def test_the_bundle_numbers_submissions_and_marks_late_ones(
    hearing_case: HearingCase, filled: dict[str, Contribution]
) -> None:
    filled_submission = filled["minor"].hearing_submission  # type: ignore[attr-defined]
    filled_submission.is_late = True
    filled_submission.save()
    html = exports.bundle_html(hearing_case.instance, lang="en")
    assert f"Submission 3 (#{filled['minor'].pk}) – Late" in html
    assert "vedtak i FAU.pdf" in html
    assert html.count('class="submission"') == 3


# -- the ZIP (validated in test_archive_export) ----------------------------------------------


def test_the_zip_download_holds_a_folder_per_message(
    client: Client,
    hearing_case: HearingCase,
    officer: User,
    filled: dict[str, Contribution],
) -> None:
    client.force_login(officer)
    response = client.get(_export(hearing_case, "arkivmelding"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(_content(response))) as archive:
        folders = sorted({name.split("/")[0] for name in archive.namelist()})
    assert len(folders) == 1 + 3
    assert folders[0] == "001-saksmappe"
