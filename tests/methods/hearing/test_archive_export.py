"""The arkivmelding export: a saksmappe, then one inngående journalpost per submission with
the submission itself as the main document (a PDF) and its files as attachments. Every XML
in the ZIP validates against the KS Fiks Arkiv schema; submissions are marked archived and
the export is audited."""

from __future__ import annotations

import hashlib
import io
import os
import random
import xml.etree.ElementTree as ET
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from medvirk.accountability.actions import do_decide
from medvirk.accountability.models import FINAL_STATUSES
from medvirk.algorithms.archive import arkivmelding as am
from medvirk.algorithms.text import orgnr
from medvirk.contributions.models import Contribution, ModerationState
from medvirk.identity.models import User
from medvirk.methods.hearing import actions, archive, demo, staff_queries
from medvirk.methods.hearing.actions import SubmissionDraft
from medvirk.methods.hearing.models import (
    Hearing,
    HearingDocument,
    PlanStage,
    SenderKind,
    Submission,
)
from medvirk.organisations.models import Municipality
from medvirk.processes import registry
from tests import factories

from .conftest import HearingCase, make_hearing
from .test_exports import pdf_objects

pytestmark = pytest.mark.django_db

SCHEMA = (
    Path(__file__).resolve().parents[3].parent
    / "shared"
    / "data"
    / "fiks-arkiv"
    / "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett.xsd"
)
N = {"a": am.NS, "m": am.MDK}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@cache
def _schema() -> tuple[Any, Any]:
    from lxml import etree

    if not SCHEMA.is_file():
        message = f"Fiks Arkiv schema not found at {SCHEMA} (shared/ beside the repo)"
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return etree, etree.XMLSchema(etree.parse(str(SCHEMA)))


def assert_valid(xml: bytes) -> None:
    etree, schema = _schema()
    assert schema.validate(etree.fromstring(xml)), "\n".join(str(e) for e in schema.error_log)


def zip_of(client: Client, case: HearingCase) -> zipfile.ZipFile:
    response = client.get(registry.get("hearing").export_url(case.instance, "arkivmelding"))
    assert response.status_code == 200, response.status_code
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return zipfile.ZipFile(io.BytesIO(data))


@pytest.fixture
def submissions(hearing_case: HearingCase) -> list[Contribution]:
    person = actions.do_submit(
        AnonymousUser(),
        hearing_case.instance,
        SubmissionDraft(
            text="Eg støttar nybygg.\x0b Skulevegen må bli trygg.",
            author_name="Åse Ødegård",
            show_name=True,
            contact_email="ase@example.org",
        ),
    ).contribution
    organisation = actions.do_submit(
        AnonymousUser(),
        hearing_case.instance,
        SubmissionDraft(
            text="FAU støttar framlegget. Sjå vedtaket.",
            sender_kind=SenderKind.ORGANISATION,
            author_name="Per Ås",
            organisation_name="FAU Lillevik skule",
            organisation_number="974760673",
        ),
        [
            SimpleUploadedFile("Vedtak, FAU.pdf", PDF, content_type="application/pdf"),
            SimpleUploadedFile("kart sør.png", PNG, content_type="image/png"),
        ],
    ).contribution
    minor = actions.do_submit(
        AnonymousUser(),
        hearing_case.instance,
        SubmissionDraft(text="", author_name="Ola Liten", is_minor=True),
        [SimpleUploadedFile("teikning.png", PNG, content_type="image/png")],
    ).contribution
    return [person, organisation, minor]


def _post(root: ET.Element) -> ET.Element:
    post = root.find("a:registrering", N)
    assert post is not None
    return post


def test_every_xml_in_the_zip_validates(
    client: Client, hearing_case: HearingCase, officer: User, submissions: list[Contribution]
) -> None:
    client.force_login(officer)
    with zip_of(client, hearing_case) as package:
        xmls = [n for n in package.namelist() if n.endswith("/arkivmelding.xml")]
        assert len(xmls) == 4
        for name in xmls:
            assert_valid(package.read(name))


def test_the_zip_files_each_submission_with_its_main_document_and_files(
    client: Client, hearing_case: HearingCase, officer: User, submissions: list[Contribution]
) -> None:
    person, organisation, minor = submissions
    client.force_login(officer)
    with zip_of(client, hearing_case) as package:
        names = package.namelist()
        folder = ET.fromstring(package.read("001-saksmappe/arkivmelding.xml"))
        mappe = folder.find("a:mappe", N)
        assert mappe is not None
        assert mappe.findtext("a:tittel", namespaces=N) == hearing_case.instance.process.title
        assert mappe.findtext("a:saksansvarlig/m:navn", namespaces=N) == officer.username
        prefix = f"003-innspel-{organisation.pk}/"
        root = ET.fromstring(package.read(prefix + "arkivmelding.xml"))
        post = _post(root)
        assert post.findtext("a:journalposttype/m:kode", namespaces=N) == "I"
        part = post.find("a:korrespondansepart", N)
        assert part is not None
        assert part.findtext("a:korrespondansepartNavn", namespaces=N) == "FAU Lillevik skule"
        assert part.findtext("a:organisasjonid", namespaces=N) == "974760673"
        assert part.findtext("a:kontaktperson", namespaces=N) == "Per Ås"
        docs = post.findall("a:dokumentbeskrivelse", N)
        assert [d.findtext("a:tilknyttetRegistreringSom/m:kode", namespaces=N) for d in docs] == [
            "H",
            "V",
            "V",
        ]
        objects = [d.find("a:dokumentobjekt", N) for d in docs]
        files = [
            o.findtext("a:referanseDokumentfil", namespaces=N) for o in objects if o is not None
        ]
        assert files[0] is not None and files[0].endswith(".pdf")
        assert [f for f in files[1:]] == ["02-Vedtak-FAU.pdf", "03-kart-soer.png"]
        for obj, name in zip(objects, files, strict=True):
            assert obj is not None and name is not None
            content = package.read(prefix + name)
            assert obj.findtext("a:sjekksum", namespaces=N) == hashlib.sha256(content).hexdigest()
            assert obj.findtext("a:filstoerrelse", namespaces=N) == str(len(content))
        main = package.read(prefix + str(files[0]))
        assert main.startswith(b"%PDF-") and b"/StructTreeRoot" in pdf_objects(main)
        assert package.read(prefix + "02-Vedtak-FAU.pdf") == PDF
        # Each submission has its own folder; the minor's has a main document and a drawing.
        assert f"002-innspel-{person.pk}/arkivmelding.xml" in names
        assert any(n.startswith(f"004-innspel-{minor.pk}/02-teikning") for n in names)


def test_names_of_people_are_shielded_unless_shown_and_not_a_minor(
    client: Client, hearing_case: HearingCase, officer: User, submissions: list[Contribution]
) -> None:
    person, _organisation, minor = submissions
    client.force_login(officer)
    with zip_of(client, hearing_case) as package:

        def part(folder: str) -> ET.Element:
            found = _post(ET.fromstring(package.read(f"{folder}/arkivmelding.xml"))).find(
                "a:korrespondansepart", N
            )
            assert found is not None
            return found

        shown = part(f"002-innspel-{person.pk}")
        assert shown.findtext("a:korrespondansepartNavn", namespaces=N) == "Åse Ødegård"
        assert shown.findtext("a:epostadresse", namespaces=N) == "ase@example.org"
        assert shown.find("a:erSkjermet", N) is None
        young = part(f"004-innspel-{minor.pk}")
        assert young.findtext("a:korrespondansepartNavn", namespaces=N) == "Ola Liten"
        assert young.findtext("a:erSkjermet", namespaces=N) == "true"
        post = _post(ET.fromstring(package.read(f"004-innspel-{minor.pk}/arkivmelding.xml")))
        assert "Ola" not in (post.findtext("a:offentligTittel", namespaces=N) or "")


def test_the_export_marks_submissions_archived_once_and_is_audited(
    client: Client, hearing_case: HearingCase, officer: User, submissions: list[Contribution]
) -> None:
    client.force_login(officer)
    mark = factories.audit_mark()
    zip_of(client, hearing_case).close()
    first = dict(Submission.objects.values_list("pk", "archived_at"))
    assert all(first.values())
    codes = [r.action for r in factories.audited_since(mark)]
    assert codes == ["hearing.archive_exported", "export.downloaded"]
    zip_of(client, hearing_case).close()
    assert dict(Submission.objects.values_list("pk", "archived_at")) == first
    page = client.get(hearing_case.url("staff_submissions")).content.decode()
    assert "downloaded as an arkivmelding" in page


def test_a_second_export_gives_the_same_ids(
    hearing_case: HearingCase, officer: User, submissions: list[Contribution]
) -> None:
    rows = staff_queries.submissions(hearing_case.instance)
    first = [p.message.xml for p in archive.packages(hearing_case.instance, officer, rows)]
    again = [p.message.xml for p in archive.packages(hearing_case.instance, officer, rows)]
    assert first == again


def test_an_empty_hearing_exports_its_case_folder(
    client: Client, hearing_case: HearingCase, officer: User
) -> None:
    client.force_login(officer)
    with zip_of(client, hearing_case) as package:
        assert package.namelist() == ["001-saksmappe/arkivmelding.xml"]
        assert_valid(package.read("001-saksmappe/arkivmelding.xml"))


def test_a_saksnummer_recorded_on_a_decision_is_used(
    hearing_case: HearingCase, officer: User, submissions: list[Contribution]
) -> None:
    do_decide(
        officer,
        hearing_case.instance.process,
        body="Kommunestyret",
        text="Vedtak kjem.",
        date=None,
        pending=True,
        case_number="2026/314",
    )
    rows = staff_queries.submissions(hearing_case.instance)
    packages = list(archive.packages(hearing_case.instance, officer, rows))
    folder = ET.fromstring(packages[0].message.xml).find("a:mappe", N)
    assert folder is not None
    assert folder.findtext("a:saksaar", namespaces=N) == "2026"
    assert folder.findtext("a:sakssekvensnummer", namespaces=N) == "314"
    for package in packages:
        assert_valid(package.message.xml)


def test_the_demo_hearing_is_filled_answered_and_exports_valid_xml(
    org: Municipality, officer: User
) -> None:
    case = make_hearing(org, with_row=False, with_document=False)
    count = demo.seed(case.instance, random.Random(7))
    contributions = Contribution.objects.filter(method_instance=case.instance)
    assert count == contributions.count() >= 10
    hearing = Hearing.objects.get(method_instance=case.instance)
    assert hearing.plan_stage == PlanStage.NOT_PLAN
    assert (hearing.ends_on - hearing.starts_on).days == 42
    assert HearingDocument.objects.get(hearing=hearing).file_name.endswith(".pdf")
    submissions = Submission.objects.filter(contribution__method_instance=case.instance)
    assert 5 <= submissions.count() <= 7
    assert submissions.filter(is_minor=True, contribution__show_name=False).exists()
    fau = submissions.get(organisation_name="FAU Lillevik skule")
    assert orgnr.is_valid(fau.organisation_number)
    assert fau.contribution.attachments.count() == 1
    assert submissions.filter(contribution__moderation=ModerationState.HELD).exists()
    answered = submissions.filter(contribution__response__status__in=FINAL_STATUSES)
    assert answered.count() > submissions.count() / 2
    assert all(r.contribution.response.reason for r in answered)
    rows = staff_queries.submissions(case.instance)
    for package in archive.packages(case.instance, officer, rows):
        assert_valid(package.message.xml)
