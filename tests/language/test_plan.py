"""The plan's change log and step names in the reader's language; the plan PDF is tagged."""

from __future__ import annotations

import re
import zlib

import pytest
from django.test import Client
from django.utils import translation

from medvirk.core import audit_labels
from medvirk.planning import actions, explain
from medvirk.planning.models import Plan
from medvirk.processes.models import PhaseKind
from tests import factories
from tests.planning.test_views import post_steps

pytestmark = pytest.mark.django_db

CODE = re.compile(r"\b(?:why|who|when|room|reflect|plan)\.[a-z_.]+\b")


@pytest.fixture
def planned():  # type: ignore[no-untyped-def]
    org = factories.municipality()
    officer = factories.staff(org)
    process = factories.process(org)
    factories.phase(process, kind=PhaseKind.INVESTIGATION)
    client = Client()
    client.force_login(officer)
    post_steps(client, process)
    plan = Plan.objects.get(process=process)
    actions.do_save_step(
        officer, plan, "when", {"open_phases": ["investigation", "alternatives"], "weeks": 12}
    )
    client.post(
        f"/stab/sak/{process.pk}/plan/godta/", {"method": "barnetrakk", "phase": "investigation"}
    )
    return process, client


def _visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_the_change_log_speaks_the_readers_language(planned, lang: str) -> None:  # type: ignore[no-untyped-def]
    process, client = planned
    html = client.get(f"/stab/sak/{process.pk}/plan/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    text = _visible(html)
    assert not CODE.search(text), CODE.search(text)
    assert "user:" not in text
    assert html.count('class="table-wrap table-scroll__region"') == 1  # accepted activities
    with translation.override(lang):
        assert str(audit_labels.ACTIONS["plan.updated"]) in text
        assert str(audit_labels.ACTIONS["plan.accepted"]) in text
        assert f"{audit_labels.ACTIONS['plan.updated']}: {explain.STEP_LABELS['when']}" in text
        assert str(explain.PHASE_LABELS["alternatives"]) in text  # a choice shown by its label
    if lang == "en":
        assert "Weeks until the decision, if there is no date yet: «10» → «12»" in text
        assert "Do we know enough about what residents think?: «–» → «No»" in text
        assert "Children (under 13): how much affected: «–» → «Much»" in text
        assert re.search(r"Barnetråkk [^·]*\(Investigation \(utgreiing\)\)", text)


def _pdf_text(pdf: bytes) -> bytes:
    """The PDF with its compressed streams (object streams too) inflated, for searching."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, flags=re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(parts)


@pytest.mark.parametrize("lang", ["nn", "en"])
def test_the_plan_pdf_is_tagged_with_language_and_title(planned, lang: str) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("weasyprint")
    process, client = planned
    client.post(f"/stab/sak/{process.pk}/plan/publiser/")
    r = Client().get(
        f"/{process.municipality.slug}/{process.slug}/medverknadsplan.pdf",
        HTTP_ACCEPT_LANGUAGE=lang,
    )
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    data = _pdf_text(r.content)
    assert b"/StructTreeRoot" in data and b"/MarkInfo" in data
    assert re.search(rb"/Lang\s*\(" + lang.encode() + rb"\)", data)
    assert b"pdfuaid:part" in data  # the PDF/UA-1 identification in the XMP metadata
    assert b"/DisplayDocTitle true" in data
    for tag in (b"/S /H1", b"/S /H2", b"/S /L", b"/S /LI"):
        assert tag in data, tag
    assert b"/Title" in data and b"/Author" in data
