"""Downloads of personal data leave a trace (issue 15).

A staff export (the survey's answers as CSV) and a person's own «Mine data» download each
write an audit row: who, which instance or whose data, which export, when. Before the fix
neither did, so a copied answer file could not be traced to anyone.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from medvirk.core import audit
from medvirk.core.models import AuditEntry
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance
from tests import factories


@pytest.fixture
def w(db: None) -> factories.World:
    return factories.world()


@pytest.fixture
def survey(w: factories.World) -> MethodInstance:
    return factories.method(w.process, w.phase, key="survey")


def _download(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    content: bytes = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )  # type: ignore[attr-defined]
    return content


def test_staff_export_writes_an_audit_row_naming_who_what_and_which_instance(
    w: factories.World, survey: MethodInstance, client: Client
) -> None:
    url = registry.get("survey").export_url(survey, "svar-csv")
    mark = factories.audit_mark()
    client.force_login(w.officer)
    _download(client, url)
    rows = list(factories.audited_since(mark).filter(action="export.downloaded"))
    assert len(rows) == 1
    row = rows[0]
    assert row.actor_id == w.officer.pk
    assert row.municipality_id_ref == w.org.pk
    assert (row.object_type, row.object_id) == ("processes.methodinstance", str(survey.pk))
    assert row.data["export"] == "svar-csv"
    assert row.data["audience"] == "staff"
    assert row.data["process"] == w.process.pk
    assert row.created_at is not None
    assert audit.verify() == []


def test_each_download_is_audited_again(
    w: factories.World, survey: MethodInstance, client: Client
) -> None:
    url = registry.get("survey").export_url(survey, "svar-csv")
    mark = factories.audit_mark()
    client.force_login(w.moderator)
    _download(client, url)
    _download(client, url)
    rows = factories.audited_since(mark).filter(action="export.downloaded")
    assert [r.actor_id for r in rows] == [w.moderator.pk, w.moderator.pk]


def test_refused_export_writes_no_row(
    w: factories.World, survey: MethodInstance, client: Client
) -> None:
    url = registry.get("survey").export_url(survey, "svar-csv")
    mark = factories.audit_mark()
    client.force_login(w.other_officer)
    assert client.get(url).status_code in {403, 404}
    client.force_login(w.resident)
    assert client.get(url).status_code == 403
    assert not factories.audited_since(mark).filter(action="export.downloaded").exists()


def test_public_open_data_download_by_the_public_is_not_audited(
    w: factories.World, client: Client
) -> None:
    # Public, aggregated files are open data: logging every anonymous download would only
    # fill the log. (Staff downloading what the public cannot see are audited above.)
    survey = factories.method(w.process, w.phase, key="survey", settings={"results_public": True})
    url = registry.get("survey").export_url(survey, "resultat-csv")
    mark = factories.audit_mark()
    _download(client, url)
    assert not factories.audited_since(mark).filter(action="export.downloaded").exists()


def test_staff_download_of_results_not_yet_public_is_audited(
    w: factories.World, survey: MethodInstance, client: Client
) -> None:
    url = registry.get("survey").export_url(survey, "resultat-csv")
    assert client.get(url).status_code == 404  # not public yet
    mark = factories.audit_mark()
    client.force_login(w.officer)
    _download(client, url)
    row = factories.audited_since(mark).get(action="export.downloaded")
    assert (row.actor_id, row.data["export"]) == (w.officer.pk, "resultat-csv")


def test_my_data_download_writes_an_audit_row_with_the_person_as_actor(
    w: factories.World, client: Client
) -> None:
    mark = factories.audit_mark()
    client.force_login(w.resident)
    _download(client, reverse("identity:my_data"))
    row = factories.audited_since(mark).get(action="identity.data_exported")
    assert row.actor_id == w.resident.pk
    assert (row.object_type, row.object_id) == ("identity.user", str(w.resident.pk))
    assert row.municipality_id_ref is None
    assert audit.verify() == []
    assert AuditEntry.objects.filter(action="identity.data_exported").count() == 1
