"""Formal submissions (høyringsinnspel): the form, the sender, the files, the period."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from medvirk.contributions.models import Attachment, Contribution, ModerationState
from medvirk.core import uploads
from medvirk.core.errors import ActionRefused
from medvirk.identity.models import AssuranceLevel
from medvirk.methods.hearing import actions
from medvirk.methods.hearing.forms import organisation_number_error
from medvirk.methods.hearing.models import SenderKind, Submission
from medvirk.organisations.models import Municipality
from medvirk.processes.models import ProcessStatus
from tests import factories
from tests.documents import files
from tests.documents.files import stored_files

from .conftest import HearingCase, make_hearing

pytestmark = pytest.mark.django_db

FNR = "01019000083"
ORGNR = "974760673"  # a valid organisation number (mod-11)


def today() -> dt.date:
    return timezone.localdate()


def _form(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "sender_kind": SenderKind.PERSON,
        "author_name": "Kari Nordmann",
        "text": "Keep the school in the village centre.",
    }
    data.update(extra)
    return data


def _nothing_stored(media: Path) -> None:
    assert not Contribution.objects.exists()
    assert not Submission.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


# --- the form ---------------------------------------------------------------------------


def test_the_form_has_every_field_and_is_private(hearing_case: HearingCase, client: Client) -> None:
    response = client.get(hearing_case.url("submit"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    for name in (
        "sender_kind",
        "author_name",
        "organisation_name",
        "organisation_number",
        "is_minor",
        "show_name",
        "text",
        "attachments",
        "contact_email",
    ):
        assert f'name="{name}"' in html
    assert "<legend" in html and "Who is sending the submission?" in html
    assert "never shown online" in html
    assert 'id="late-warning"' not in html


def test_a_person_sends_a_submission(hearing_case: HearingCase, client: Client) -> None:
    response = client.post(hearing_case.url("submit"), _form(contact_email="kari@example.org"))
    contribution = Contribution.objects.get()
    assert response.status_code == 302
    assert response["Location"] == contribution.receipt_url()
    assert contribution.kind == actions.SUBMISSION_KIND
    assert contribution.author_name == "Kari Nordmann"
    assert contribution.show_name is False
    assert contribution.contact_email == "kari@example.org"
    assert contribution.moderation == ModerationState.PUBLISHED
    submission = Submission.objects.get(contribution=contribution)
    assert submission.sender_kind == SenderKind.PERSON
    assert (submission.organisation_name, submission.organisation_number) == ("", "")
    assert submission.is_late is False and submission.is_minor is False


def test_an_organisation_sends_with_its_number(hearing_case: HearingCase, client: Client) -> None:
    response = client.post(
        hearing_case.url("submit"),
        _form(
            sender_kind=SenderKind.ORGANISATION,
            organisation_name="Lillevik  idrettslag",
            organisation_number="974 760 673",
        ),
    )
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.sender_kind == SenderKind.ORGANISATION
    assert submission.organisation_name == "Lillevik idrettslag"
    assert submission.organisation_number == ORGNR


def test_organisation_details_typed_for_a_person_are_not_kept(
    hearing_case: HearingCase, client: Client
) -> None:
    client.post(
        hearing_case.url("submit"),
        _form(organisation_name="Firma AS", organisation_number="123"),
    )
    submission = Submission.objects.get()
    assert (submission.organisation_name, submission.organisation_number) == ("", "")


@pytest.mark.parametrize(
    ("number", "says"),
    [
        ("12345678", "An organisation number has 9 digits"),
        ("97476067A", "An organisation number has 9 digits"),
        ("974-760-673", "An organisation number has 9 digits"),
        ("974760674", "974760674 is not a valid organisation number"),
    ],
)
def test_a_wrong_organisation_number_is_explained(
    hearing_case: HearingCase, client: Client, media: Path, number: str, says: str
) -> None:
    response = client.post(
        hearing_case.url("submit"),
        _form(
            sender_kind=SenderKind.ORGANISATION,
            organisation_name="Lillevik idrettslag",
            organisation_number=number,
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert says in html
    assert 'value="Lillevik idrettslag"' in html  # what was typed stays
    _nothing_stored(media)
    assert organisation_number_error(number).startswith(says)


def test_an_organisation_needs_its_name_and_everyone_a_name(
    hearing_case: HearingCase, client: Client, media: Path
) -> None:
    response = client.post(
        hearing_case.url("submit"), _form(sender_kind=SenderKind.ORGANISATION, author_name=" ")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Write the name of the organisation you send the submission for." in html
    assert "Write your name." in html
    assert 'id="error-summary"' in html
    _nothing_stored(media)


def test_the_text_is_needed_unless_a_file_is_attached(
    hearing_case: HearingCase, client: Client, media: Path
) -> None:
    response = client.post(hearing_case.url("submit"), _form(text="  "))
    assert response.status_code == 400
    assert "Write your submission, or attach at least one file." in response.content.decode()
    _nothing_stored(media)
    response = client.post(hearing_case.url("submit"), _form(text="", attachments=[files.pdf()]))
    assert response.status_code == 302
    assert Attachment.objects.count() == 1


def test_actions_check_the_draft_too(hearing_case: HearingCase, media: Path) -> None:
    cases = [
        (actions.SubmissionDraft(text="x", sender_kind="robot", author_name="A"), "Choose whether"),
        (actions.SubmissionDraft(text="x", author_name=" "), "Write your name."),
        (actions.SubmissionDraft(text=" ", author_name="A"), "attach at least one file"),
        (
            actions.SubmissionDraft(text="x", author_name="A", sender_kind=SenderKind.ORGANISATION),
            "Write the name of the organisation",
        ),
        (
            actions.SubmissionDraft(
                text="x",
                author_name="A",
                sender_kind=SenderKind.ORGANISATION,
                organisation_name="Lag",
                organisation_number="974760674",
            ),
            "not a valid organisation number",
        ),
    ]
    for draft, says in cases:
        with pytest.raises(ActionRefused, match=says):
            actions.do_submit(AnonymousUser(), hearing_case.instance, draft)
    _nothing_stored(media)


# --- files ------------------------------------------------------------------------------


def test_files_are_stored_and_a_moderator_looks_first(
    hearing_case: HearingCase, client: Client, media: Path
) -> None:
    response = client.post(
        hearing_case.url("submit"),
        _form(attachments=[files.pdf("innspel.pdf"), files.png("kart.png")]),
    )
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    # Screening cannot read files: a moderator looks before it is published.
    assert contribution.moderation == ModerationState.PENDING
    names = sorted(
        Attachment.objects.filter(contribution=contribution).values_list("name", flat=True)
    )
    assert names == ["innspel.pdf", "kart.png"]
    stored = stored_files(media)
    assert len(stored) == 2
    assert all("hoyringsinnspel" in str(p) and "innspel" not in p.name for p in stored)


@pytest.mark.parametrize(
    ("upload", "says"),
    [
        # a wrong type: a web page, whatever it is called
        (lambda: files.upload("brev.pdf", files.HTML, "application/pdf"), "is a web page"),
        (lambda: files.upload("arkiv.zip", files.plain_zip(), "application/zip"), "not a kind"),
        # a fake extension: a PNG image named .pdf
        (
            lambda: files.upload("kart.pdf", files.image_bytes("PNG"), "application/pdf"),
            "ends in .pdf",
        ),
        # a hostile name
        (lambda: files.pdf("rapport\u202efdp.exe"), "ends in .exe but is a PDF"),
        (lambda: files.pdf("CON.pdf"), "reserved by Windows"),
        (lambda: files.pdf(".htaccess.pdf"), "starts with a dot"),
    ],
)
def test_a_refused_file_stores_nothing(
    hearing_case: HearingCase, client: Client, media: Path, upload: Any, says: str
) -> None:
    response = client.post(
        hearing_case.url("submit"), _form(attachments=[files.pdf("ok.pdf"), upload()])
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert says in html
    assert "No file was saved: choose the files again." in html
    assert "Keep the school in the village centre." in html
    _nothing_stored(media)


def test_a_file_over_the_limit_stores_nothing(
    hearing_case: HearingCase, client: Client, media: Path, settings: Any
) -> None:
    settings.MEDVIRK_UPLOAD_MAX_BYTES = 100
    response = client.post(hearing_case.url("submit"), _form(attachments=[files.pdf()]))
    assert response.status_code == 400
    assert "a file may be at most" in response.content.decode()
    _nothing_stored(media)


def test_more_than_five_files_store_nothing(
    hearing_case: HearingCase, client: Client, media: Path
) -> None:
    six = [files.pdf(f"side-{n}.pdf") for n in range(6)]
    response = client.post(hearing_case.url("submit"), _form(attachments=six))
    assert response.status_code == 400
    assert "Choose at most 5 files (you chose 6)" in response.content.decode()
    _nothing_stored(media)


@pytest.mark.parametrize(
    ("content", "name", "says"),
    [
        (files.HTML, "brev.pdf", "is a web page"),
        (files.image_bytes("PNG"), "kart.pdf", "ends in .pdf"),
        (files.pdf_bytes(), "CON.pdf", "reserved by Windows"),
    ],
)
def test_do_submit_checks_every_file_before_writing(
    hearing_case: HearingCase, media: Path, content: bytes, name: str, says: str
) -> None:
    draft = actions.SubmissionDraft(text="Med vedlegg.", author_name="Ola")
    good = ContentFile(files.pdf_bytes(), name="ok.pdf")
    with pytest.raises(uploads.UploadRefused, match=says):
        actions.do_submit(
            AnonymousUser(), hearing_case.instance, draft, [good, ContentFile(content, name=name)]
        )
    _nothing_stored(media)


def test_do_submit_refuses_an_oversize_file(
    hearing_case: HearingCase, media: Path, settings: Any
) -> None:
    settings.MEDVIRK_UPLOAD_MAX_BYTES = 100
    draft = actions.SubmissionDraft(text="Med vedlegg.", author_name="Ola")
    with pytest.raises(uploads.UploadRefused, match="a file may be at most"):
        actions.do_submit(
            AnonymousUser(), hearing_case.instance, draft, [ContentFile(files.pdf_bytes(), "a.pdf")]
        )
    with pytest.raises(ActionRefused, match="at most 5 files"):
        actions.do_submit(
            AnonymousUser(),
            hearing_case.instance,
            draft,
            [ContentFile(b"%PDF-1.4", name=f"{n}.pdf") for n in range(6)],
        )
    _nothing_stored(media)


def test_files_written_before_a_failure_are_deleted(
    hearing_case: HearingCase, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_create = Attachment.objects.create
    calls = {"n": 0}

    def fail_on_second(**kwargs: Any) -> Attachment:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("the database went away")
        return real_create(**kwargs)

    monkeypatch.setattr(Attachment.objects, "create", fail_on_second)
    draft = actions.SubmissionDraft(text="To filer.", author_name="Ola")
    with pytest.raises(RuntimeError):
        actions.do_submit(
            AnonymousUser(),
            hearing_case.instance,
            draft,
            [ContentFile(files.pdf_bytes(), "a.pdf"), ContentFile(files.image_bytes(), "b.png")],
        )
    _nothing_stored(media)


# --- the period, the settings, the case -------------------------------------------------


def test_before_the_first_day_the_page_explains_when(
    org: Municipality, client: Client, media: Path
) -> None:
    start = today() + dt.timedelta(days=4)
    case = make_hearing(org, starts_on=start, ends_on=start + dt.timedelta(days=42))
    response = client.get(case.url("submit"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Submissions can be sent from" in html
    assert str(start.year) in html
    assert case.url() in html  # the way to the documents
    assert client.post(case.url("submit"), _form()).status_code == 403
    _nothing_stored(media)
    page = client.get(case.url()).content.decode()
    assert 'id="send-submission"' not in page


def test_after_the_deadline_a_submission_is_taken_and_marked_late(
    org: Municipality, client: Client
) -> None:
    case = make_hearing(
        org, starts_on=today() - dt.timedelta(days=50), ends_on=today() - dt.timedelta(days=1)
    )
    form = client.get(case.url("submit"))
    assert form.status_code == 200
    assert 'id="late-warning"' in form.content.decode()
    assert "marked late" in form.content.decode()
    response = client.post(case.url("submit"), _form(), follow=True)
    assert response.status_code == 200
    assert "It came after the deadline and is marked late." in response.content.decode()
    assert Submission.objects.get().is_late is True
    assert 'id="send-submission"' in client.get(case.url()).content.decode()


def test_on_the_deadline_day_it_is_on_time(org: Municipality, client: Client) -> None:
    case = make_hearing(org, starts_on=today() - dt.timedelta(days=50), ends_on=today())
    client.post(case.url("submit"), _form())
    assert Submission.objects.get().is_late is False


def test_submissions_can_be_turned_off(org: Municipality, client: Client) -> None:
    case = make_hearing(org, settings={"submissions": False})
    assert client.get(case.url("submit")).status_code == 403
    assert client.post(case.url("submit"), _form()).status_code == 403
    assert not Contribution.objects.exists()
    assert 'id="send-submission"' not in client.get(case.url()).content.decode()


@pytest.mark.parametrize("how", ["closed", "decided"])
def test_a_closed_method_or_decided_case_takes_no_submission(
    hearing_case: HearingCase, client: Client, how: str
) -> None:
    instance = hearing_case.instance
    if how == "closed":
        instance.closed_at = timezone.now()
        instance.save(update_fields=["closed_at"])
    else:
        instance.process.status = ProcessStatus.DECIDED
        instance.process.save(update_fields=["status"])
    response = client.post(hearing_case.url("submit"), _form())
    assert response.status_code == 403
    assert not Contribution.objects.exists()


def test_an_identity_level_asks_to_log_in(org: Municipality, client: Client) -> None:
    case = make_hearing(org, identity_levels={"submit": AssuranceLevel.EMAIL})
    response = client.get(case.url("submit"))
    assert response.status_code == 403
    assert "/konto/logg-inn/?next=" in response.content.decode()


def test_a_verified_account_is_not_asked_for_an_address(
    hearing_case: HearingCase, client: Client
) -> None:
    person = factories.user("ola", email="ola@example.org", email_verified=True)
    client.force_login(person)
    assert 'name="contact_email"' not in client.get(hearing_case.url("submit")).content.decode()
    client.post(hearing_case.url("submit"), _form())
    contribution = Contribution.objects.get()
    assert contribution.contact_email == "ola@example.org"
    assert contribution.author == person


def test_submissions_are_rate_limited_and_the_text_kept(
    hearing_case: HearingCase, client: Client, settings: Any
) -> None:
    settings.MEDVIRK_RATE_LIMITS = {**settings.MEDVIRK_RATE_LIMITS, "input": "1/h"}
    assert client.post(hearing_case.url("submit"), _form()).status_code == 302
    response = client.post(hearing_case.url("submit"), _form(text="A second submission."))
    assert response.status_code == 429
    assert response["Retry-After"]
    assert "A second submission." in response.content.decode()
    assert Contribution.objects.count() == 1


# --- privacy ----------------------------------------------------------------------------


def test_a_minor_never_shows_the_name_but_it_is_kept(
    hearing_case: HearingCase, client: Client
) -> None:
    client.post(
        hearing_case.url("submit"), _form(author_name="Ola Ung", show_name="on", is_minor="on")
    )
    contribution = Contribution.objects.get()
    assert contribution.author_name == "Ola Ung"
    assert contribution.show_name is False
    assert Submission.objects.get().is_minor is True
    receipt = actions.do_submit(
        AnonymousUser(),
        hearing_case.instance,
        actions.SubmissionDraft(text="Ja.", author_name="Per Ung", show_name=True, is_minor=True),
    )
    assert receipt.contribution.show_name is False


@pytest.mark.parametrize("where", ["text", "author_name", "organisation_name"])
def test_a_fodselsnummer_anywhere_is_masked_and_held(
    hearing_case: HearingCase, client: Client, where: str
) -> None:
    form = _form(sender_kind=SenderKind.ORGANISATION, organisation_name="Lillevik bondelag")
    form[where] = f"{form[where]} {FNR}"
    assert client.post(hearing_case.url("submit"), form).status_code == 302
    contribution = Contribution.objects.get()
    submission = Submission.objects.get()
    assert contribution.moderation == ModerationState.HELD
    stored = f"{contribution.text} {contribution.author_name} {submission.organisation_name}"
    assert FNR not in stored
    assert "organisation_name" in contribution.held_reason or where != "organisation_name"
