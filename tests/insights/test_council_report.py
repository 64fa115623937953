"""The council report: what it holds (public input only, names only when shown), the
municipality's language, a tagged PDF, the staff pages with their audit, and the
arkivmelding that validates against the Fiks Arkiv schema."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from medvirk.accountability.models import Decision, ResponseStatus
from medvirk.contributions.models import Contribution, ModerationState, Theme
from medvirk.core import pdf as core_pdf
from medvirk.insights.models import PublishedReport
from medvirk.insights.report import content, document
from medvirk.organisations.models import Role
from tests import factories
from tests.algorithms.test_arkivmelding import _assert_valid
from tests.methods.hearing.test_exports import pdf_objects

pytestmark = pytest.mark.django_db

SHOWN = "Fortauet langs fylkesvegen manglar heilt, og borna går i vegkanten."
NAMED = "Gymsalen bør vere open for idrettslaget om kvelden."
HELD = "Dette innspelet ventar på ein moderator."
REJECTED = "Reklame for ein bilforhandlar."
HIDDEN = "Eit innspel som namngav ein nabo."
UNPUBLISHED_METHOD = "Innspel til ein metode som ikkje er publisert."


def _case() -> factories.World:
    w = factories.world()
    w.org.default_language = "nn"
    w.org.save(update_fields=["default_language"])
    shown = factories.contribution(w.method, text=SHOWN, author_name="Kari Løyndom")
    named = factories.contribution(w.method, text=NAMED, author_name="Per Open", show_name=True)
    for text, state in (
        (HELD, ModerationState.HELD),
        (REJECTED, ModerationState.REJECTED),
        (HIDDEN, ModerationState.HIDDEN),
    ):
        item = factories.contribution(w.method, text=text)
        Contribution.objects.filter(pk=item.pk).update(
            moderation=state, hidden_reason="Namngav ein person" if state == "hidden" else ""
        )
    later = factories.method(w.process, w.phase, published=True, title="Trekt metode")
    factories.contribution(later, text=UNPUBLISHED_METHOD)
    later.is_published = False
    later.save(update_fields=["is_published"])
    factories.response(shown, ResponseStatus.ADOPTED, "Vi byggjer fortau i 2027.", by=w.officer)
    theme = Theme.objects.create(process=w.process, name="Skuleveg")
    theme.contributions.add(shown, named, *Contribution.objects.filter(text=HELD))
    Decision.objects.create(
        process=w.process, body="Kommunestyret", text="Nybygg på same tomt.", is_pending=False
    )
    return w


def test_the_report_holds_public_input_only_and_names_only_when_shown() -> None:
    w = _case()
    report = content.build(w.process)
    texts = [c.text for c in report.appendix if c.moderation == ModerationState.PUBLISHED]
    assert sorted(texts) == sorted([SHOWN, NAMED])
    assert report.inputs == 2
    assert report.answered == 1
    assert report.unanswered == 1
    assert [m.instance.pk for m in report.methods] == [w.method.pk]
    [theme] = report.themes
    assert (theme.name, theme.count, theme.unanswered) == ("Skuleveg", 2, 1)
    assert theme.reasons == ["Vi byggjer fortau i 2027."]
    html = document.render_html(w.process).html
    for secret in (HELD, REJECTED, HIDDEN, UNPUBLISHED_METHOD, "Kari Løyndom"):
        assert secret not in html
    assert SHOWN in html and NAMED in html and "Per Open" in html
    assert "Namngav ein person" in html  # a hidden input's reason stands in its place
    assert "Nybygg på same tomt." in html


def test_the_report_is_in_the_municipalitys_language_and_a_tagged_pdf() -> None:
    w = _case()
    rendered = document.render_html(w.process)
    assert rendered.language == "nn"
    assert '<html lang="nn">' in rendered.html
    made = document.pdf(w.process)
    if made is None:
        pytest.skip("WeasyPrint cannot run here (no Pango)")
    assert made.startswith(b"%PDF")
    objects = pdf_objects(made)
    assert b"/StructTreeRoot" in objects and b"/MarkInfo" in objects  # tagged (PDF/UA-1)
    assert b"/Lang (nn)" in objects or b"/Lang(nn)" in objects


def test_staff_pages_need_the_export_right_and_downloads_are_audited(client: Client) -> None:
    w = _case()
    pages = [f"/stab/sak/{w.process.pk}/rapport/{tail}" for tail in ("", "utskrift/")]
    for url in pages:
        assert client.get(url).status_code == 302  # to the login page
    client.force_login(w.other_officer)
    for url in pages:
        assert client.get(url).status_code == 404
    client.force_login(factories.staff(w.org, Role.IDENTITY_OFFICER))
    assert client.get(pages[0]).status_code == 404
    client.force_login(w.officer)
    page = client.get(pages[0])
    assert page.status_code == 200
    assert b"/rapport/pdf/" in page.content
    mark = factories.audit_mark()
    printed = client.get(pages[1])
    assert printed.status_code == 200 and SHOWN in printed.content.decode()
    [entry] = factories.audited_since(mark)
    assert entry.action == "export.downloaded"
    assert entry.data["export"] == "council_report_html"


def test_the_archive_export_is_a_valid_arkivmelding_with_the_pdf(client: Client) -> None:
    w = _case()
    client.force_login(w.officer)
    response = client.get(f"/stab/sak/{w.process.pk}/rapport/arkiv/")
    if response.status_code == 302:
        pytest.skip("WeasyPrint cannot run here (no Pango)")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = sorted(archive.namelist())
        xmls = [n for n in names if n.endswith("arkivmelding.xml")]
        assert len(xmls) == 2
        for name in xmls:
            _assert_valid(archive.read(name))
        [pdf_name] = [n for n in names if n.endswith(".pdf")]
        assert archive.read(pdf_name).startswith(b"%PDF")
        journalpost = archive.read("002-rapport/arkivmelding.xml").decode()
    assert "<n5mdk:kode>X</n5mdk:kode>" in journalpost
    assert f"sak-{w.process.pk}" in journalpost


def test_staff_publish_the_report_and_residents_read_the_stored_copy(
    client: Client, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    if core_pdf.render("<p>x</p>") is None:
        pytest.skip("WeasyPrint cannot run here (no Pango)")
    w = _case()
    url = f"/{w.org.slug}/{w.process.slug}/medverknadsrapport.pdf"
    case_page = w.process.get_absolute_url()
    assert client.get(url).status_code == 404  # nothing published: nothing made from outside
    assert url not in client.get(case_page).content.decode()
    publish_url = f"/stab/sak/{w.process.pk}/rapport/publiser/"
    client.force_login(w.moderator)  # may download, may not publish
    assert client.post(publish_url, {"action": "publish"}).status_code == 404
    client.force_login(w.officer)
    mark = factories.audit_mark()
    with django_capture_on_commit_callbacks(execute=True):  # the task runs after commit
        response = client.post(publish_url, {"action": "publish"})
    assert response.status_code == 302
    [entry] = factories.audited_since(mark)
    assert entry.action == "report.published"
    anonymous = Client()
    first = anonymous.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert first.content.startswith(b"%PDF")
    assert url in anonymous.get(case_page).content.decode()
    # Residents get the stored file: opening it never makes a PDF.
    monkeypatch.setattr(document, "render_html", lambda *a, **k: pytest.fail("made again"))
    assert anonymous.get(url).content == first.content
    monkeypatch.undo()
    assert client.post(publish_url, {"action": "unpublish"}).status_code == 302
    assert anonymous.get(url).status_code == 404
    draft = factories.process(w.org, status="draft")
    client.post(f"/stab/sak/{draft.pk}/rapport/publiser/", {"action": "publish"})
    assert not PublishedReport.objects.filter(process=draft).exists()
    assert client.get(f"/{w.org.slug}/{draft.slug}/medverknadsrapport.pdf").status_code == 404


def test_the_case_page_does_not_load_the_stored_pdf(client: Client) -> None:
    w = _case()
    PublishedReport.objects.create(
        process=w.process,
        requested_at=w.process.created_at,
        made_at=w.process.created_at,
        pdf=b"%PDF" + b"x" * 1000,
        filename="r.pdf",
    )
    with CaptureQueriesContext(connection) as queries:
        client.get(w.process.get_absolute_url())
    report_reads = [q["sql"] for q in queries if "insights_publishedreport" in q["sql"]]
    assert report_reads and all('"pdf"' not in sql for sql in report_reads)
