"""The public register of submissions, its files, its open-data file, and what never
reaches a public page (a minor's name, a national identity number, withheld text)."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format

from medvirk.accountability.models import ResponseStatus
from medvirk.contributions.actions import do_approve, do_hide
from medvirk.contributions.models import Attachment, Contribution, ModerationState
from medvirk.core.models import AuditEntry
from medvirk.identity import actions as identity_actions
from medvirk.identity.models import User
from medvirk.identity.queries import export_my_data
from medvirk.methods.hearing import actions, public_exports, queries
from medvirk.methods.hearing.models import Redaction, SenderKind, Submission
from medvirk.organisations.models import Municipality, Role
from medvirk.processes import registry
from tests import factories
from tests.documents import files

from .conftest import HearingCase, make_hearing

pytestmark = pytest.mark.django_db

FNR = "01019000083"
MINOR = "Ola Ungdomsen"


def _submit(case: HearingCase, text: str = "Keep the school.", **draft: Any) -> Contribution:
    files_ = draft.pop("files", ())
    user = draft.pop("user", AnonymousUser())
    draft.setdefault("author_name", "Kari Nordmann")
    receipt = actions.do_submit(
        user, case.instance, actions.SubmissionDraft(text=text, **draft), files_
    )
    return receipt.contribution


def _pdf(name: str = "vedlegg.pdf") -> ContentFile[bytes]:
    return ContentFile(files.pdf_bytes(), name=name)


def _csv(client: Client, case: HearingCase) -> list[list[str]]:
    response = client.get(registry.get("hearing").export_url(case.instance, "register-csv"))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(text)))


def _redact(contribution: Contribution, by: User, **values: Any) -> Redaction:
    return Redaction.objects.create(contribution=contribution, created_by=by, **values)


# --- what the register shows ------------------------------------------------------------


def test_the_register_numbers_and_shows_each_sender_as_chosen(
    hearing_case: HearingCase, client: Client
) -> None:
    _submit(hearing_case, "First, anonymous.")
    _submit(hearing_case, "Second, named.", author_name="Per Viser", show_name=True)
    _submit(
        hearing_case,
        "Third, from the club.",
        sender_kind=SenderKind.ORGANISATION,
        organisation_name="Lillevik idrettslag",
        organisation_number="974760673",
    )
    _submit(hearing_case, "Fourth, a minor.", author_name=MINOR, show_name=True, is_minor=True)
    html = client.get(hearing_case.url("register")).content.decode()
    for n in range(1, 5):
        assert f"Submission no. {n}" in html
    assert html.index("First, anonymous.") < html.index("Fourth, a minor.")
    assert html.count("Name not shown") == 2
    assert "Per Viser" in html and "Lillevik idrettslag" in html
    assert "Kari Nordmann" not in html  # the contact person of the club, and the others
    assert MINOR not in html
    assert "Not answered yet." in html


def test_a_minor_shown_by_mistake_is_still_not_named(
    hearing_case: HearingCase, client: Client
) -> None:
    c = _submit(hearing_case, "Text.", author_name=MINOR, is_minor=True)
    Contribution.objects.filter(pk=c.pk).update(show_name=True)  # e.g. staff marked it later
    assert MINOR not in client.get(hearing_case.url("register")).content.decode()
    assert MINOR not in client.get(hearing_case.url("register_item", pk=c.pk)).content.decode()


def test_late_submissions_are_tagged_and_the_date_only_is_shown(
    hearing_case: HearingCase, client: Client
) -> None:
    c = _submit(hearing_case)
    Submission.objects.filter(contribution=c).update(is_late=True)
    html = client.get(hearing_case.url("register")).content.decode()
    assert ">Late</span>" in html
    local = queries.register(hearing_case.instance).entries[0].received_on
    assert f"Received {date_format(local, 'DATE_FORMAT')}" in html
    assert not re.search(r"\d\d:\d\d", html.split('id="innspel-')[1])  # no time of day


def test_waiting_submissions_are_counted_not_shown(
    hearing_case: HearingCase, client: Client, org: Municipality
) -> None:
    _submit(hearing_case, "Published one.")
    _submit(hearing_case, "Has a file.", files=[_pdf()])
    _submit(hearing_case, f"Held for {FNR}.")
    html = client.get(hearing_case.url("register")).content.decode()
    assert "2 received submissions are being checked before they are published." in html
    assert "Has a file." not in html and "Held for" not in html
    assert "Submission no. 1" in html and "Submission no. 2" not in html
    # Once approved it keeps its number in the order received.
    do_approve(factories.administrator(org), Contribution.objects.get(text="Has a file."))
    html = client.get(hearing_case.url("register")).content.decode()
    assert "Submission no. 2" in html
    assert "1 received submission is being checked before it is published." in html


def test_hidden_submissions_show_the_reason_in_place(
    hearing_case: HearingCase, client: Client, org: Municipality
) -> None:
    c = _submit(hearing_case, "Something rude.", author_name="Per Viser", show_name=True)
    do_hide(factories.administrator(org), c, "Offensive language.")
    html = client.get(hearing_case.url("register")).content.decode()
    assert "Hidden by a moderator: Offensive language." in html
    assert "Something rude." not in html and "Per Viser" not in html
    item = client.get(hearing_case.url("register_item", pk=c.pk)).content.decode()
    assert "Hidden by a moderator: Offensive language." in item


def test_withheld_passages_are_replaced_with_the_reason(
    hearing_case: HearingCase, client: Client, officer: User
) -> None:
    c = _submit(hearing_case, "My son Per has asthma.\nThe air in the old school is bad.")
    _redact(c, officer, passage="Per has  asthma", basis=Redaction.Basis.CONFIDENTIAL)
    _redact(c, officer, passage="My son", basis=Redaction.Basis.PERSONAL_DATA)
    html = client.get(hearing_case.url("register")).content.decode()
    assert "asthma" not in html and "My son" not in html
    assert "[withheld: personal data] [withheld: duty of confidentiality]." in html
    assert "The air in the old school is bad." in html
    [entry] = queries.register(hearing_case.instance).entries
    assert entry.text.startswith("[withheld: personal data]")


def test_an_answer_is_shown_with_its_status_and_reason(
    hearing_case: HearingCase, client: Client
) -> None:
    c = _submit(hearing_case)
    factories.response(c, ResponseStatus.NOT_ADOPTED, "The site is too small.")
    html = client.get(hearing_case.url("register_item", pk=c.pk)).content.decode()
    assert "Not adopted" in html and "The site is too small." in html


def test_the_register_is_paged(
    hearing_case: HearingCase, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queries, "PER_PAGE", 2)
    for n in range(5):
        _submit(hearing_case, f"Submission text {n}.")
    html = client.get(hearing_case.url("register"), {"side": "3"}).content.decode()
    assert "Submission text 4." in html and "Submission text 3." not in html
    assert "Page 3 of 3" in html
    html = client.get(hearing_case.url("register"), {"side": "x99"}).content.decode()
    assert "Submission text 0." in html


def test_the_register_item_is_found_only_when_public(
    hearing_case: HearingCase, client: Client, org: Municipality
) -> None:
    waiting = _submit(hearing_case, "Has a file.", files=[_pdf()])
    assert client.get(hearing_case.url("register_item", pk=waiting.pk)).status_code == 404
    other = make_hearing(org)
    theirs = _submit(other)
    assert client.get(hearing_case.url("register_item", pk=theirs.pk)).status_code == 404
    assert client.get(other.url("register_item", pk=theirs.pk)).status_code == 200


def test_anchored_comments_are_not_in_the_register(
    hearing_case: HearingCase, client: Client
) -> None:
    actions.do_comment(
        AnonymousUser(),
        hearing_case.instance,
        part=f"p{hearing_case.paragraphs[0].pk}",
        text="A comment on 1.1.",
    )
    html = client.get(hearing_case.url("register")).content.decode()
    assert "A comment on 1.1." not in html
    assert "No submissions are published yet." in html


def test_a_register_that_is_off_is_not_found(org: Municipality, client: Client) -> None:
    case = make_hearing(org, settings={"register_public": False})
    c = _submit(case, files=[_pdf()])
    do_approve(factories.administrator(org), c)
    attachment = Attachment.objects.get()
    assert client.get(case.url("register")).status_code == 404
    assert client.get(case.url("register_item", pk=c.pk)).status_code == 404
    assert client.get(case.url("attachment", pk=attachment.pk)).status_code == 404
    assert case.url("register") not in client.get(case.url()).content.decode()
    assert not public_exports.register_available(case.instance)


def test_the_register_makes_a_fixed_number_of_queries(
    hearing_case: HearingCase, client: Client, officer: User
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(hearing_case.url("register")).status_code == 200
        return len(ctx.captured_queries)

    def add(n: int) -> None:
        c = _submit(hearing_case, f"Text {n} with a secret.", show_name=n % 2 == 0)
        if n % 3 == 0:
            factories.response(c, ResponseStatus.ADOPTED, "Yes.")
        if n % 4 == 0:
            _redact(c, officer, passage="secret", basis=Redaction.Basis.OTHER)

    for n in range(3):
        add(n)
    few = count()
    for n in range(3, 30):
        add(n)
    assert count() == few
    assert few <= 8


# --- files ------------------------------------------------------------------------------


def test_published_files_are_downloads_for_everyone(
    hearing_case: HearingCase, client: Client, org: Municipality
) -> None:
    c = _submit(hearing_case, files=[_pdf("innspel.pdf")])
    attachment = Attachment.objects.get()
    url = hearing_case.url("attachment", pk=attachment.pk)
    assert client.get(url).status_code == 404  # waits for a moderator
    do_approve(factories.administrator(org), c)
    html = client.get(hearing_case.url("register")).content.decode()
    assert url in html and "innspel.pdf" in html
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


def test_withheld_and_foreign_files_are_refused_but_staff_may_download(
    hearing_case: HearingCase, client: Client, org: Municipality, officer: User
) -> None:
    c = _submit(hearing_case, files=[_pdf("a.pdf"), _pdf("helse.pdf")])
    do_approve(factories.administrator(org), c)
    kept, withheld = Attachment.objects.order_by("pk")
    _redact(c, officer, attachment=withheld, basis=Redaction.Basis.CONFIDENTIAL)
    html = client.get(hearing_case.url("register")).content.decode()
    assert "helse.pdf" not in html
    assert "1 attached file is withheld from publication." in html
    withheld_url = hearing_case.url("attachment", pk=withheld.pk)
    assert client.get(withheld_url).status_code == 404
    other = make_hearing(org)
    assert client.get(other.url("attachment", pk=kept.pk)).status_code == 404
    # A moderator without export, a resident: no. Staff who export: yes, and it is audited.
    client.force_login(factories.staff(org, Role.IDENTITY_OFFICER))
    assert client.get(withheld_url).status_code == 404
    client.force_login(officer)
    before = AuditEntry.objects.filter(action="export.downloaded").count()
    response = client.get(withheld_url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert AuditEntry.objects.filter(action="export.downloaded").count() == before + 1


# --- the open-data file -----------------------------------------------------------------


def test_the_csv_holds_what_the_register_shows_and_nothing_more(
    hearing_case: HearingCase, client: Client, officer: User, org: Municipality
) -> None:
    assert not public_exports.register_available(hearing_case.instance)
    named = _submit(
        hearing_case,
        "=SUM(A1) My son has asthma.",
        author_name="Per Viser",
        show_name=True,
        contact_email="per@example.org",
    )
    _redact(named, officer, passage="My son has asthma", basis=Redaction.Basis.CONFIDENTIAL)
    factories.response(named, ResponseStatus.ADOPTED, "We agree.")
    _submit(hearing_case, "From a minor.", author_name=MINOR, show_name=True, is_minor=True)
    hidden = _submit(hearing_case, "Hidden text.")
    do_hide(factories.administrator(org), hidden, "Spam.")
    _submit(hearing_case, "Waiting with a file.", files=[_pdf()])
    assert public_exports.register_available(hearing_case.instance)

    rows = _csv(client, hearing_case)
    header, *body = rows
    assert header[:4] == ["No.", "Received", "Late", "From"]
    assert len(body) == 2
    first, second = body
    assert first[0] == "1" and first[2] == "no" and first[3] == "Per Viser"
    assert first[4] == "'=SUM(A1) [withheld: duty of confidentiality]."
    assert first[6:] == ["Adopted", "We agree."]
    assert second[3] == "Name not shown" and second[6] == "Not answered yet"
    flat = " ".join(" ".join(r) for r in rows)
    for secret in ("asthma", "per@example.org", MINOR, "Hidden text.", "Waiting"):
        assert secret not in flat
    assert not re.search(r"\d\d:\d\d", flat)  # the day received, never the time
    # Listed on the case's open-data page.
    process = hearing_case.instance.process
    page = client.get(
        reverse("public:open_data", args=[process.municipality.slug, process.slug])
    ).content.decode()
    assert "register-csv" in page
    assert MINOR not in page


# --- a minor's name and a national identity number never reach a public page -----------


def test_privacy_on_every_public_page(
    hearing_case: HearingCase, client: Client, org: Municipality
) -> None:
    comment = actions.do_comment(
        AnonymousUser(),
        hearing_case.instance,
        part=f"p{hearing_case.paragraphs[0].pk}",
        text="A comment from a minor.",
        author_name=MINOR,
        show_name=True,
        is_minor=True,
    ).contribution
    minor = _submit(hearing_case, "From a minor.", author_name=MINOR, show_name=True, is_minor=True)
    held = [
        _submit(hearing_case, f"My number is {FNR}."),
        _submit(hearing_case, "Name with a number.", author_name=f"Kari {FNR}", show_name=True),
        _submit(
            hearing_case,
            "Organisation with a number.",
            sender_kind=SenderKind.ORGANISATION,
            organisation_name=f"Lag {FNR}",
        ),
    ]
    assert all(c.moderation == ModerationState.HELD for c in held)
    # A moderator publishes them (the number stays masked).
    admin = factories.administrator(org)
    for c in held:
        do_approve(admin, c)
    process = hearing_case.instance.process
    pages = [
        hearing_case.url(),
        hearing_case.url("register"),
        hearing_case.url("register_item", pk=minor.pk),
        hearing_case.url("comment"),
        *(hearing_case.url("register_item", pk=c.pk) for c in held),
        reverse("public:contributions", args=[process.municipality.slug, process.slug]),
        reverse("public:open_data", args=[process.municipality.slug, process.slug]),
        process.get_absolute_url(),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert MINOR not in html, url
        assert FNR not in html, url
    assert "A comment from a minor." in client.get(hearing_case.url()).content.decode()
    flat = str(_csv(client, hearing_case))
    assert MINOR not in flat and FNR not in flat
    assert Contribution.objects.get(pk=comment.pk).author_name == MINOR  # kept for the case


# --- «Mine data» and erasure ------------------------------------------------------------


def test_the_export_shows_a_persons_submissions_and_comments(
    hearing_case: HearingCase, officer: User
) -> None:
    person = factories.user("kari")
    c = _submit(
        hearing_case,
        "My son has asthma.",
        user=person,
        sender_kind=SenderKind.ORGANISATION,
        organisation_name="Lillevik idrettslag",
        organisation_number="974760673",
        files=[_pdf()],
    )
    _redact(c, officer, passage="My son has asthma", basis=Redaction.Basis.CONFIDENTIAL)
    actions.do_comment(
        person,
        hearing_case.instance,
        part=f"p{hearing_case.paragraphs[3].pk}",
        text="Cold classrooms.",
    )
    data = export_my_data(person)
    [submission] = data["hearing_submissions"]
    assert submission["sent_as"] == "organisation"
    assert submission["organisation"] == "Lillevik idrettslag"
    assert submission["organisation_number"] == "974760673"
    assert submission["under_18"] is False and submission["late"] is False
    assert submission["withheld_from_register"][0]["passage"] == "My son has asthma"
    [comment] = data["hearing_comments"]
    assert comment["section"] == "Recommendation"
    assert comment["paragraph"].startswith("Pupils move")
    assert data["hearing_redactions"] == []
    staff_export = export_my_data(officer)["hearing_redactions"]
    assert staff_export[0]["reason"] == "taushetsplikt"
    assert "passage" not in staff_export[0]


def test_erasure_keeps_the_case_document_without_the_person(
    hearing_case: HearingCase, client: Client, officer: User
) -> None:
    person = factories.user("per")
    c = _submit(
        hearing_case, "Keep the old gym.", user=person, author_name="Per Viser", show_name=True
    )
    _redact(c, officer, passage="old", basis=Redaction.Basis.OTHER)
    identity_actions.do_erase_account(person)
    c.refresh_from_db()
    assert c.author is None and c.author_name == "" and c.text == "Keep the old gym."
    assert Submission.objects.filter(contribution=c).exists()
    html = client.get(hearing_case.url("register")).content.decode()
    assert "Per Viser" not in html and "Name not shown" in html
    assert "Keep the [withheld: other reason] gym." in html
    identity_actions.do_erase_account(officer)
    assert Redaction.objects.get().created_by is None
