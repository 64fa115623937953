"""Staff withhold a passage or a file of a submission from the public register, with the
legal reason (audited); the register shows the passage replaced, the archive keeps it; and
staff mark a sender as under 18."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from medvirk.contributions.models import Attachment, Contribution
from medvirk.core.errors import ActionRefused
from medvirk.identity.models import User
from medvirk.methods.hearing import actions, queries, staff_actions
from medvirk.methods.hearing.actions import SubmissionDraft
from medvirk.methods.hearing.models import Redaction, Submission
from medvirk.organisations.models import Municipality, Role
from tests import factories

from .conftest import HearingCase

pytestmark = pytest.mark.django_db

TEXT = (
    "Eg støttar nybygg på same tomt. Sonen min har astma og blir sjuk av muggen i "
    "kjellaren. Skulevegen må få fortau."
)
PASSAGE = "Sonen min har astma og blir sjuk av muggen i kjellaren."
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def submit(case: HearingCase, text: str = TEXT, **extra: object) -> Contribution:
    draft = SubmissionDraft(
        text=text,
        author_name="Kari Nordmann",
        show_name=True,
        **extra,  # type: ignore[arg-type]
    )
    return actions.do_submit(AnonymousUser(), case.instance, draft).contribution


def _page(case: HearingCase, contribution: Contribution) -> str:
    return case.url("staff_submission", pk=contribution.pk)


def _codes(mark: int) -> list[str]:
    return [row.action for row in factories.audited_since(mark)]


def test_a_passage_is_withheld_audited_and_replaced_in_the_register(
    client: Client, hearing_case: HearingCase, officer: User
) -> None:
    contribution = submit(hearing_case)
    client.force_login(officer)
    mark = factories.audit_mark()
    response = client.post(
        _page(hearing_case, contribution),
        {
            "action": "redact_passage",
            "passage-passage": PASSAGE,
            "passage-basis": Redaction.Basis.CONFIDENTIAL,
            "passage-note": "Helseopplysningar om eit barn.",
        },
    )
    assert response.status_code == 302
    redaction = Redaction.objects.get(contribution=contribution)
    assert redaction.created_by == officer
    rows = list(factories.audited_since(mark))
    assert [r.action for r in rows] == ["hearing.redaction_added"]
    assert rows[0].data["basis"] == "taushetsplikt"
    assert PASSAGE not in str(rows[0].data)  # the log never holds what was withheld

    public = queries.public_text(contribution, [redaction])
    assert PASSAGE not in public
    assert "[withheld: duty of confidentiality]" in public
    assert public.startswith("Eg støttar nybygg på same tomt.")
    # The archive's copy is whole; the contribution's (public) text is the redacted one.
    contribution.refresh_from_db()
    assert PASSAGE not in contribution.text
    assert PASSAGE in Submission.objects.get(contribution=contribution).text
    # The register page and its item show it replaced.
    register = client.get(hearing_case.url("register")).content.decode()
    assert PASSAGE not in register and "[withheld: duty of confidentiality]" in register
    item = client.get(hearing_case.url("register_item", pk=contribution.pk)).content.decode()
    assert PASSAGE not in item and "[withheld: duty of confidentiality]" in item
    # Staff see both the full text and the public one.
    page = client.get(_page(hearing_case, contribution)).content.decode()
    assert PASSAGE in page and "[withheld: duty of confidentiality]" in page


def test_a_passage_not_in_the_text_is_refused_with_a_clear_message(
    client: Client, hearing_case: HearingCase, officer: User
) -> None:
    contribution = submit(hearing_case)
    client.force_login(officer)
    mark = factories.audit_mark()
    response = client.post(
        _page(hearing_case, contribution),
        {
            "action": "redact_passage",
            "passage-passage": "Dottera mi har astma",
            "passage-basis": Redaction.Basis.PERSONAL_DATA,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The passage was not found in the text" in page
    assert 'id="id_passage-passage-error"' in page
    assert not Redaction.objects.exists()
    assert not _codes(mark)


def test_other_reason_needs_an_explanation(
    client: Client, hearing_case: HearingCase, officer: User
) -> None:
    contribution = submit(hearing_case)
    client.force_login(officer)
    response = client.post(
        _page(hearing_case, contribution),
        {"action": "redact_passage", "passage-passage": PASSAGE, "passage-basis": "annet"},
    )
    assert response.status_code == 400
    assert 'id="id_passage-note-error"' in response.content.decode()
    with pytest.raises(ActionRefused, match="Explain the reason"):
        staff_actions.do_redact_passage(officer, contribution, passage=PASSAGE, basis="annet")
    with pytest.raises(ActionRefused, match="legal reason"):
        staff_actions.do_redact_passage(officer, contribution, passage=PASSAGE, basis="lyst")
    assert not Redaction.objects.exists()


def test_a_passage_is_withheld_once(hearing_case: HearingCase, officer: User) -> None:
    contribution = submit(hearing_case)
    staff_actions.do_redact_passage(officer, contribution, passage=PASSAGE, basis="personvern")
    with pytest.raises(ActionRefused, match="already withheld"):
        staff_actions.do_redact_passage(officer, contribution, passage=PASSAGE, basis="personvern")


def test_removing_a_redaction_shows_the_passage_again_and_is_audited(
    client: Client, hearing_case: HearingCase, officer: User
) -> None:
    contribution = submit(hearing_case)
    redaction = staff_actions.do_redact_passage(
        officer, contribution, passage=PASSAGE, basis="personvern"
    )
    client.force_login(officer)
    mark = factories.audit_mark()
    response = client.post(
        _page(hearing_case, contribution),
        {"action": "remove_redaction", "redaction": str(redaction.pk)},
    )
    assert response.status_code == 302
    assert not Redaction.objects.exists()
    assert _codes(mark) == ["hearing.redaction_removed"]
    item = client.get(hearing_case.url("register_item", pk=contribution.pk)).content.decode()
    assert PASSAGE in item
    # Removing it again: a message, not a 500.
    response = client.post(
        _page(hearing_case, contribution),
        {"action": "remove_redaction", "redaction": str(redaction.pk)},
    )
    assert response.status_code == 400


def test_a_file_is_withheld_from_the_register(
    client: Client, hearing_case: HearingCase, officer: User
) -> None:
    draft = SubmissionDraft(text=TEXT, author_name="Kari Nordmann")
    files = [SimpleUploadedFile("legeerklaering.pdf", PDF, content_type="application/pdf")]
    contribution = actions.do_submit(
        AnonymousUser(), hearing_case.instance, draft, files
    ).contribution
    attachment = Attachment.objects.get(contribution=contribution)
    client.force_login(officer)
    mark = factories.audit_mark()
    response = client.post(
        _page(hearing_case, contribution),
        {
            "action": "redact_file",
            "file-attachment": str(attachment.pk),
            "file-basis": "taushetsplikt",
        },
    )
    assert response.status_code == 302
    assert Redaction.objects.get(contribution=contribution).attachment == attachment
    assert _codes(mark) == ["hearing.redaction_added"]
    page = client.get(_page(hearing_case, contribution)).content.decode()
    assert "withheld from the public register" in page
    assert 'id="file-form"' not in page  # no file left to withhold
    # Staff still download it; the log keeps who took a file the public cannot get.
    mark = factories.audit_mark()
    download = client.get(hearing_case.url("staff_file", pk=contribution.pk, file_pk=attachment.pk))
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert [r.data.get("export") for r in factories.audited_since(mark)] == ["hearing-attachment"]
    # The public may not.
    client.logout()
    assert client.get(hearing_case.url("attachment", pk=attachment.pk)).status_code in (403, 404)


def test_a_file_of_another_submission_cannot_be_withheld_here(
    hearing_case: HearingCase, officer: User
) -> None:
    mine = submit(hearing_case)
    other = actions.do_submit(
        AnonymousUser(),
        hearing_case.instance,
        SubmissionDraft(text="Sjå vedlegg.", author_name="Ola"),
        [SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")],
    ).contribution
    foreign = Attachment.objects.get(contribution=other)
    with pytest.raises(ActionRefused, match="Choose one of the submission's files"):
        staff_actions.do_redact_attachment(officer, mine, foreign.pk, basis="personvern")


def test_marking_a_minor_hides_the_name_and_is_audited(
    client: Client, hearing_case: HearingCase, officer: User
) -> None:
    contribution = submit(hearing_case, text="Eg går i 6. klasse og vil ha ny skule.")
    assert contribution.show_name
    client.force_login(officer)
    mark = factories.audit_mark()
    response = client.post(
        _page(hearing_case, contribution), {"action": "set_minor", "is_minor": "yes"}
    )
    assert response.status_code == 302
    submission = Submission.objects.get(contribution=contribution)
    contribution.refresh_from_db()
    assert submission.is_minor and not contribution.show_name
    assert contribution.author_name == "Kari Nordmann"  # kept for the archive
    item = client.get(hearing_case.url("register_item", pk=contribution.pk)).content.decode()
    assert "Kari Nordmann" not in item
    response = client.post(
        _page(hearing_case, contribution), {"action": "set_minor", "is_minor": "no"}
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    contribution.refresh_from_db()
    assert not submission.is_minor and not contribution.show_name  # not shown again by itself
    assert _codes(mark) == ["hearing.minor_marked", "hearing.minor_unmarked"]
    response = client.post(
        _page(hearing_case, contribution), {"action": "set_minor", "is_minor": "maybe"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.MODERATOR, True),
        (Role.CASE_OFFICER, True),
        (Role.ADMINISTRATOR, True),
        (Role.IDENTITY_OFFICER, False),
    ],
)
def test_who_may_redact(
    client: Client, hearing_case: HearingCase, org: Municipality, role: str, allowed: bool
) -> None:
    contribution = submit(hearing_case)
    person = factories.staff(org, role)
    if allowed:
        staff_actions.do_redact_passage(person, contribution, passage=PASSAGE, basis="personvern")
        assert Redaction.objects.count() == 1
    else:
        with pytest.raises(ActionRefused) as refused:
            staff_actions.do_redact_passage(
                person, contribution, passage=PASSAGE, basis="personvern"
            )
        assert refused.value.status == 403
        client.force_login(person)
        response = client.post(
            _page(hearing_case, contribution),
            {"action": "redact_passage", "passage-passage": PASSAGE, "passage-basis": "personvern"},
        )
        assert response.status_code == 403
        assert not Redaction.objects.exists()


def test_staff_of_another_municipality_do_not_see_the_submission(
    client: Client, hearing_case: HearingCase
) -> None:
    contribution = submit(hearing_case)
    stranger = factories.staff(factories.municipality("Andrevik"), Role.CASE_OFFICER)
    client.force_login(stranger)
    assert client.get(_page(hearing_case, contribution)).status_code == 403
    with pytest.raises(ActionRefused):
        staff_actions.do_redact_passage(stranger, contribution, passage=PASSAGE, basis="personvern")


def test_a_comment_is_not_a_submission_to_redact(
    hearing_case: HearingCase, officer: User, client: Client
) -> None:
    comment = actions.do_comment(
        AnonymousUser(),
        hearing_case.instance,
        part=f"p{hearing_case.paragraphs[0].pk}",
        text="Eit innspel med namn.",
    ).contribution
    with pytest.raises(ActionRefused) as refused:
        staff_actions.do_redact_passage(officer, comment, passage="namn", basis="personvern")
    assert refused.value.status == 404
    client.force_login(officer)
    assert client.get(_page(hearing_case, comment)).status_code == 404
