"""What the høyring keeps about a person, in «Mine data», and what erasure does to it.

The text, the name, the e-mail and the files of a comment or a submission are the
contribution's (the core's ``contributions`` section exports and erases them). The rows
here add:

- ``hearing_submissions``: who a submission was sent as (a person or an organisation, its
  name and number), whether the sender said they are under 18, whether it came late and
  when it went to the archive, and what staff withheld from the public register;
- ``hearing_comments``: which part of which document each comment is about;
- ``hearing_redactions``: for staff, the passages they withheld (the staff action, with
  its reason) — the withheld text is the sender's, so it is not in the staff member's export.

A submission is a case document the municipality must keep and archive (offentleglova,
arkivlova): erasure leaves it in the case without the person's name, e-mail and files
(the core's section), and the register then says "Name not shown". An organisation's
name and number are the organisation's, not the person's, and stay with the document.
"""

from __future__ import annotations

from typing import Any

from medvirk.identity.models import User
from medvirk.identity.personal_data import EARLY, PersonalDataSection, iso

from .actions import COMMENT_KIND, SUBMISSION_KIND
from .models import AnchoredComment, Redaction, Submission

EXCERPT_WORDS = 12


def _excerpt(text: str) -> str:
    words = text.split()
    return " ".join(words[:EXCERPT_WORDS]) + (" …" if len(words) > EXCERPT_WORDS else "")


class HearingSubmissions(PersonalDataSection):
    """Each submission the person sent while logged in, with its details beyond the text.

    Erasure changes nothing here: runs before contributions lose their author (the rows
    are found through it), and what it holds belongs to the case document, not the person
    (the name, e-mail and files go with the core's section).
    """

    key = "hearing_submissions"
    models = (Submission,)
    order = EARLY

    def export(self, user: User) -> list[dict[str, Any]]:
        rows = (
            Submission.objects.filter(contribution__author=user, contribution__kind=SUBMISSION_KIND)
            .select_related("contribution__process__municipality", "contribution__method_instance")
            .prefetch_related("contribution__hearing_redactions")
            .order_by("contribution__created_at", "pk")
        )
        out = []
        for s in rows:
            c = s.contribution
            out.append(
                {
                    "contribution": c.pk,
                    "sent_at": iso(c.created_at),
                    "municipality": c.process.municipality.name,
                    "case": c.process.title,
                    "consultation": c.method_instance.title if c.method_instance else "",
                    "sent_as": s.sender_kind,
                    "organisation": s.organisation_name,
                    "organisation_number": s.organisation_number,
                    "under_18": s.is_minor,
                    "late": s.is_late,
                    "archived_at": iso(s.archived_at),
                    # What the public register does not show, and why.
                    "withheld_from_register": [
                        {
                            "passage": r.passage,
                            "file": r.attachment_id is not None,
                            "reason": r.basis,
                            "explanation": r.note,
                        }
                        for r in c.hearing_redactions.all()
                    ],
                }
            )
        return out

    def erase(self, user: User) -> None:
        """Nothing to blank: see the class's docstring."""


class HearingComments(PersonalDataSection):
    """Where each of the person's comments points: the document, section and paragraph.

    Erasure keeps the anchor (it names a part of the municipality's document, not the
    person); the comment itself loses its author with the core's section.
    """

    key = "hearing_comments"
    models = (AnchoredComment,)
    order = EARLY

    def export(self, user: User) -> list[dict[str, Any]]:
        rows = (
            AnchoredComment.objects.filter(
                contribution__author=user, contribution__kind=COMMENT_KIND
            )
            .select_related("contribution", "section__document", "paragraph")
            .order_by("contribution__created_at", "pk")
        )
        return [
            {
                "contribution": a.contribution_id,
                "document": a.section.document.title,
                "section": a.section.heading,
                "paragraph": _excerpt(a.paragraph.text) if a.paragraph is not None else "",
            }
            for a in rows
        ]

    def erase(self, user: User) -> None:
        """Nothing to blank: see the class's docstring."""


class HearingRedactions(PersonalDataSection):
    """The passages a staff member withheld from a register: a staff action in the
    municipality's role (audited). Erasure keeps the redaction — the register must stay
    redacted — without the link to the account."""

    key = "hearing_redactions"
    models = (Redaction,)

    def export(self, user: User) -> list[dict[str, Any]]:
        return [
            {
                "contribution": r.contribution_id,
                "file": r.attachment_id is not None,
                "reason": r.basis,
                "explanation": r.note,
                "created_at": iso(r.created_at),
            }
            for r in Redaction.objects.filter(created_by=user).order_by("created_at", "pk")
        ]

    def erase(self, user: User) -> None:
        Redaction.objects.filter(created_by=user).update(created_by=None)


SECTIONS: tuple[PersonalDataSection, ...] = (
    HearingSubmissions(),
    HearingComments(),
    HearingRedactions(),
)
