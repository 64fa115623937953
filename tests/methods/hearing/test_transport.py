"""Sending to the archive: off by default (the ZIP works without it); a transport from
settings; the directory transport writes each message to a folder; sending runs as a task,
is audited, and a failure is shown on the staff page and never lost."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from medvirk.algorithms.archive import arkivmelding as am
from medvirk.identity.models import User
from medvirk.methods.hearing import actions, transport
from medvirk.methods.hearing.actions import SubmissionDraft
from medvirk.methods.hearing.models import Submission
from medvirk.methods.hearing.transport import (
    DirectoryTransport,
    OutgoingMessage,
    PackagedFile,
    TransportError,
)
from medvirk.organisations.models import Municipality, Role
from tests import factories

from .conftest import HearingCase

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
DIRECTORY = "medvirk.methods.hearing.transport.DirectoryTransport"
SENT: list[OutgoingMessage] = []


class Recording:
    """A transport that keeps what it was given (a stand-in for a Fiks IO client)."""

    def send(self, message: OutgoingMessage) -> str:
        SENT.append(message)
        return f"fiks-{len(SENT)}"


class FailsOnThird:
    """Delivers two messages, then the archive is down."""

    def send(self, message: OutgoingMessage) -> str:
        SENT.append(message)
        if len(SENT) == 3:
            raise ConnectionError("the archive did not answer")
        return f"fiks-{len(SENT)}"


class NoSend:
    pass


@pytest.fixture(autouse=True)
def _clear() -> None:
    SENT.clear()


def _submit(case: HearingCase, n: int) -> list[int]:
    ids = []
    for i in range(n):
        contribution = actions.do_submit(
            AnonymousUser(),
            case.instance,
            SubmissionDraft(text=f"Innspel nummer {i + 1}.", author_name=f"Person {i + 1}"),
            [SimpleUploadedFile(f"vedlegg {i + 1}.pdf", PDF, content_type="application/pdf")],
        ).contribution
        ids.append(contribution.pk)
    return ids


# -- off by default --------------------------------------------------------------------------


def test_sending_is_off_by_default(
    client: Client, hearing_case: HearingCase, officer: User, settings: Any
) -> None:
    assert settings.MEDVIRK_FIKS_ARKIV_TRANSPORT == ""
    assert not transport.is_configured()
    assert transport.load_transport() is None
    client.force_login(officer)
    page = client.get(hearing_case.url("staff_submissions")).content.decode()
    assert 'id="transport-off"' in page
    assert 'id="archive-send"' not in page
    assert 'id="export-zip"' in page  # the download works without it
    response = client.post(hearing_case.url("staff_submissions"), {"action": "send_new"})
    assert response.status_code == 409
    assert "not set up" in response.content.decode()


def test_a_wrong_transport_setting_is_shown_not_a_500(
    client: Client, hearing_case: HearingCase, officer: User, settings: Any
) -> None:
    settings.MEDVIRK_FIKS_ARKIV_TRANSPORT = "medvirk.nowhere.Transport"
    with pytest.raises(ImproperlyConfigured):
        transport.load_transport()
    client.force_login(officer)
    page = client.get(hearing_case.url("staff_submissions")).content.decode()
    assert 'id="transport-problem"' in page
    settings.MEDVIRK_FIKS_ARKIV_TRANSPORT = f"{__name__}.NoSend"
    with pytest.raises(ImproperlyConfigured, match="no send"):
        transport.load_transport()


# -- the directory transport -----------------------------------------------------------------


def test_the_directory_transport_writes_each_message_to_a_folder(tmp_path: Path) -> None:
    sender = DirectoryTransport(tmp_path)
    message = OutgoingMessage(
        "sak-1/innspel-2",
        b"<arkivmelding/>",
        (PackagedFile("01-innspel.pdf", PDF, "application/pdf"),),
    )
    name = sender.send(message)
    folder = tmp_path / name
    assert folder.is_dir() and name.endswith("sak-1-innspel-2")
    assert (folder / "arkivmelding.xml").read_bytes() == b"<arkivmelding/>"
    assert (folder / "01-innspel.pdf").read_bytes() == PDF
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # nothing half-done
    assert sender.send(message) != name  # two sendings never clash


def test_the_directory_transport_refuses_what_it_cannot_do(tmp_path: Path) -> None:
    with pytest.raises(TransportError, match="not set"):
        DirectoryTransport().send(OutgoingMessage("r", b"<x/>"))
    with pytest.raises(TransportError, match="does not exist"):
        DirectoryTransport(tmp_path / "missing").send(OutgoingMessage("r", b"<x/>"))
    for bad in ("../escape.pdf", "a/b.pdf", "arkivmelding.xml", ""):
        with pytest.raises(TransportError, match="unsafe"):
            DirectoryTransport(tmp_path).send(
                OutgoingMessage("r", b"<x/>", (PackagedFile(bad, PDF, "application/pdf"),))
            )
    assert not list(tmp_path.iterdir())


# -- sending from the staff page -------------------------------------------------------------


def test_staff_send_to_a_folder_and_the_submissions_are_marked(
    client: Client,
    hearing_case: HearingCase,
    officer: User,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.MEDVIRK_FIKS_ARKIV_TRANSPORT = DIRECTORY
    outbox = tmp_path / "arkiv"
    outbox.mkdir()
    settings.MEDVIRK_FIKS_ARKIV_DIRECTORY = str(outbox)
    _submit(hearing_case, 2)
    client.force_login(officer)
    page = client.get(hearing_case.url("staff_submissions")).content.decode()
    assert 'id="archive-send"' in page
    mark = factories.audit_mark()
    response = client.post(hearing_case.url("staff_submissions"), {"action": "send_new"})
    assert response.status_code == 302  # the task ran in-process (ImmediateBackend)
    folders = sorted(p for p in outbox.iterdir())
    assert len(folders) == 3
    for folder in folders:
        ET.fromstring((folder / "arkivmelding.xml").read_bytes())
    assert sum(1 for f in folders for p in f.iterdir() if p.suffix == ".pdf") == 4
    assert not Submission.objects.filter(archived_at__isnull=True).exists()
    codes = [r.action for r in factories.audited_since(mark)]
    assert codes == ["hearing.archive_queued", "hearing.archive_sent"]
    page = client.get(hearing_case.url("staff_submissions")).content.decode()
    assert "2 submissions sent" in page
    # "Send to the archive" again sends only the saksmappe: nothing new.
    client.post(hearing_case.url("staff_submissions"), {"action": "send_new"})
    assert len(list(outbox.iterdir())) == 4


def test_a_failure_is_kept_and_shown_and_the_rest_stays_unarchived(
    client: Client, hearing_case: HearingCase, officer: User, settings: Any
) -> None:
    settings.MEDVIRK_FIKS_ARKIV_TRANSPORT = f"{__name__}.FailsOnThird"
    first, second, third = _submit(hearing_case, 3)
    client.force_login(officer)
    mark = factories.audit_mark()
    response = client.post(hearing_case.url("staff_submissions"), {"action": "send_new"})
    assert response.status_code == 302
    archived = set(
        Submission.objects.filter(archived_at__isnull=False).values_list(
            "contribution_id", flat=True
        )
    )
    assert archived == {first}
    rows = list(factories.audited_since(mark))
    assert [r.action for r in rows] == [
        "hearing.archive_queued",
        "hearing.archive_sent",
        "hearing.archive_failed",
    ]
    assert "the archive did not answer" in rows[-1].data["error"]
    page = client.get(hearing_case.url("staff_submissions")).content.decode()
    assert "Failed" in page and "the archive did not answer" in page
    assert "2 submissions are not yet in the archive" in page
    # Fixed: sending again continues with what is left (and the saksmappe again).
    settings.MEDVIRK_FIKS_ARKIV_TRANSPORT = f"{__name__}.Recording"
    SENT.clear()
    client.post(hearing_case.url("staff_submissions"), {"action": "send_new"})
    assert [m.reference.rsplit("/", 1)[-1] for m in SENT] == [
        SENT[0].reference,
        f"innspel-{second}",
        f"innspel-{third}",
    ]
    assert SENT[0].message_type == am.MESSAGE_TYPE
    assert not Submission.objects.filter(archived_at__isnull=True).exists()


def test_send_all_again_resends_everything(
    client: Client, hearing_case: HearingCase, officer: User, settings: Any
) -> None:
    settings.MEDVIRK_FIKS_ARKIV_TRANSPORT = f"{__name__}.Recording"
    _submit(hearing_case, 2)
    client.force_login(officer)
    client.post(hearing_case.url("staff_submissions"), {"action": "send_new"})
    SENT.clear()
    client.post(hearing_case.url("staff_submissions"), {"action": "send_all"})
    assert len(SENT) == 3


def test_sending_needs_the_export_capability(
    client: Client, hearing_case: HearingCase, org: Municipality, settings: Any
) -> None:
    settings.MEDVIRK_FIKS_ARKIV_TRANSPORT = f"{__name__}.Recording"
    _submit(hearing_case, 1)
    # A moderator may export; an officer of another kommune may not see the page at all.
    stranger = factories.staff(factories.municipality("Andrevik"), Role.CASE_OFFICER)
    client.force_login(stranger)
    response = client.post(hearing_case.url("staff_submissions"), {"action": "send_new"})
    assert response.status_code == 403
    assert not SENT
    assert not Submission.objects.filter(archived_at__isnull=False).exists()


def test_a_garbled_send_is_a_400(
    client: Client, hearing_case: HearingCase, officer: User, settings: Any
) -> None:
    settings.MEDVIRK_FIKS_ARKIV_TRANSPORT = f"{__name__}.Recording"
    client.force_login(officer)
    response = client.post(hearing_case.url("staff_submissions"), {"action": "send_everything"})
    assert response.status_code == 400
    assert not SENT
