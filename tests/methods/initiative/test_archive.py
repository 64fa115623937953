"""Downloads: the arkivmelding for the kommune's archive (valid against the KS Fiks Arkiv
schema), the staff's signature list (private, audited) and the open data (counts only)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import xml.etree.ElementTree as ET
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from medvirk.algorithms.archive import arkivmelding as am
from medvirk.identity.models import User
from medvirk.methods.initiative import archive, staff_actions
from medvirk.methods.initiative.models import Initiative
from medvirk.methods.initiative.staff_actions import PaperRow
from tests import factories

from .conftest import EN, Initiatives, collecting, make_instance, propose, resident, sign_many

pytestmark = pytest.mark.django_db

SCHEMA = (
    Path(__file__).resolve().parents[3].parent
    / "shared"
    / "data"
    / "fiks-arkiv"
    / "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett.xsd"
)
N = {"a": am.NS, "m": am.MDK}


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


def _delivered(show_name: bool = True) -> tuple[Initiative, User]:
    small = factories.municipality("Smaavik", inhabitants=200)  # 4 signatures
    instance = make_instance(small).instance
    officer = factories.staff(small)
    author = resident(first_name="Ingrid", last_name="Fjellstad")
    initiative = collecting(instance, officer, author, show_name=show_name)
    sign_many(instance, initiative, 2)
    staff_actions.do_register_paper(
        officer,
        initiative,
        [
            PaperRow("Olav Haugland", "Nordbygdvegen 31", dt.date(1941, 3, 14)),
            PaperRow("=cmd|' /C calc'!A0", "Kaivegen 1", dt.date(1990, 1, 1)),
        ],
        checked=True,
    )
    initiative.refresh_from_db()
    return initiative, officer


def _url(initiative: Initiative, name: str) -> str:
    from medvirk.processes import registry

    return registry.get("initiative").url(initiative.method_instance, name, pk=initiative.pk)


def test_the_arkivmelding_validates_and_holds_the_proposal_and_the_list() -> None:
    initiative, officer = _delivered()
    packages = archive.packages(initiative, officer)
    assert [p.folder for p in packages] == ["001-saksmappe", "002-forslag"]
    for package in packages:
        assert_valid(package.xml)
    folder = ET.fromstring(packages[0].xml)
    assert folder.find("a:mappe/a:tittel", N) is not None
    assert "Gatelys" in (folder.findtext("a:mappe/a:tittel", namespaces=N) or "")
    post = ET.fromstring(packages[1].xml)
    assert post.findtext("a:registrering/a:journalposttype/m:kode", namespaces=N) == "I"
    sender = post.find("a:registrering/a:korrespondansepart", N)
    assert sender is not None
    assert sender.findtext("a:korrespondansepartNavn", namespaces=N) == "Ingrid Fjellstad"
    assert sender.find("a:erSkjermet", N) is None  # the proposer chose to show the name
    # The main document and the signature list travel beside the XML, named in it.
    names = [n for n, _content in packages[1].files]
    referenced = [e.text for e in post.iterfind(".//a:dokumentobjekt/a:referanseDokumentfil", N)]
    assert names == referenced and len(names) == 2
    listed = dict(packages[1].files)[names[1]].decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(listed)))
    assert len(rows) == 1 + 4
    assert "Olav Haugland" in listed
    assert "1941" not in listed  # no date of birth in the archive's list
    assert "'=cmd" in listed  # a formula is made text


def test_a_shielded_proposer_and_the_zip_download(
    django_capture_on_commit_callbacks: Any,
) -> None:
    initiative, officer = _delivered(show_name=False)
    post = ET.fromstring(archive.packages(initiative, officer)[1].xml)
    assert post.findtext(".//a:korrespondansepart/a:erSkjermet", namespaces=N) == "true"
    client = Client(**EN)
    client.force_login(officer)
    mark = factories.audit_mark()
    response = client.get(_url(initiative, "staff_archive"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    with zipfile.ZipFile(io.BytesIO(response.content)) as packed:
        names = packed.namelist()
        assert "001-saksmappe/arkivmelding.xml" in names
        assert "002-forslag/arkivmelding.xml" in names
        for name in names:
            if name.endswith(".xml"):
                assert_valid(packed.read(name))
    logged = list(factories.audited_since(mark))
    assert [(e.action, e.data["what"]) for e in logged] == [("initiative.exported", "arkivmelding")]


def test_the_staff_signature_list_is_private_and_audited() -> None:
    initiative, officer = _delivered()
    client = Client(**EN)
    client.force_login(officer)
    mark = factories.audit_mark()
    response = client.get(_url(initiative, "staff_signatures"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "No." and len(rows) == 5
    assert "1941-03-14" in text  # staff see the date of birth from the paper list
    eid_rows = [r for r in rows[1:] if r[2] == "With e-ID"]
    assert len(eid_rows) == 2 and all(r[5] == "" for r in eid_rows)  # no names for e-ID
    assert [e.action for e in factories.audited_since(mark)] == ["initiative.exported"]
    moderator = Client(**EN)
    moderator.force_login(
        factories.staff(initiative.method_instance.process.municipality, "politician")
    )
    assert moderator.get(_url(initiative, "staff_signatures")).status_code == 403


def test_open_data_has_counts_only_and_hides_counts_under_five(
    initiatives: Initiatives, officer: User
) -> None:
    few = collecting(initiatives.instance, officer, title="Benkar i parken")
    sign_many(initiatives.instance, few, 3)
    many = collecting(initiatives.instance, officer, title="Ny ballbinge")
    people = sign_many(initiatives.instance, many, 6)
    waiting_title = "Ventar på sjekk"
    propose(initiatives.instance, title=waiting_title)
    response = Client(**EN).get(initiatives.export_url("forslag-csv"))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = {r[1]: r for r in csv.reader(io.StringIO(text))}
    assert rows["Benkar i parken"][6] == "fewer than 5"
    assert rows["Ny ballbinge"][6] == "6"
    assert waiting_title not in text  # not public before signing starts
    for person in people:
        assert person.username not in text
    assert "Skulevegen" not in text  # no addresses
    assert "Cache-Control" not in response or "private" not in response["Cache-Control"]


def test_the_staff_overview_export_has_exact_counts(
    initiatives: Initiatives, officer: User, staff_client: Client
) -> None:
    few = collecting(initiatives.instance, officer, title="Benkar i parken")
    sign_many(initiatives.instance, few, 3)
    response = staff_client.get(initiatives.export_url("forslag-stab-csv"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    row = next(r for r in csv.reader(io.StringIO(text)) if r[1] == "Benkar i parken")
    assert row[7] == "3" and row[8] == "3" and row[9] == "0"
