"""What the audit log's codes mean, in the reader's language.

The log stores stable codes (``response.set``, ``plan.updated``) because its rows are signed
and must not change when a text does. People read labels: :func:`action_label` gives every
code one translated label from :data:`ACTIONS`, and an unknown code still reads as words
("Input hidden") from its two halves, never as the code. ``tests/language`` checks that every
``audit.record("<code>", …)`` in the source has its own label.

A method app that records codes of its own adds their labels with :func:`register` from its
``AppConfig.ready()``, so adding a method still touches only the method's folder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.apps import apps
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry

ACTIONS: dict[str, Promise] = {
    # the log itself
    "audit.actor_pseudonymised": _("A person's name replaced in the log (erasure)"),
    "audit.rekeyed": _("Log changed over to signed rows"),
    # cases, phases and methods
    "process.created": _("Case created"),
    "process.updated": _("Case changed"),
    "phase.saved": _("Phase saved"),
    "method.saved": _("Method saved"),
    "export.downloaded": _("Export downloaded"),
    "process.decided": _("Case marked as decided"),
    "case_document.added": _("Case document added"),
    "case_document.updated": _("Case document changed"),
    "case_document.deleted": _("Case document deleted"),
    # input, answers and decisions
    "contribution.moderated": _("Input moderated"),
    "contribution.registered_offline": _("Input registered on someone's behalf"),
    "contribution.attachments_added": _("Attachments added to input"),
    "contribution.approved": _("Input approved"),
    "contribution.rejected": _("Input not published"),
    "contribution.hidden": _("Input hidden"),
    "contribution.restored": _("Input restored"),
    "contribution.reports_dismissed": _("Reports of input dismissed"),
    "contribution.assigned": _("Input assigned to a case officer"),
    "municipality.moderation_mode": _("Moderation setting changed"),
    "note.added": _("Internal note added"),
    "theme.created": _("Theme created"),
    "theme.inputs_added": _("Input added to a theme"),
    "theme.inputs_removed": _("Input taken out of a theme"),
    "theme.deleted": _("Theme deleted"),
    "theme.answered": _("Input in a theme answered"),
    "theme.suggestion_accepted": _("Suggested theme accepted"),
    "theme.renamed": _("Theme renamed"),
    "theme.merged": _("Themes merged"),
    "answer_template.saved": _("Answer template saved"),
    "answer_template.deleted": _("Answer template deleted"),
    "response.set": _("Answer saved"),
    "decision.saved": _("Decision saved"),
    "decision.announced": _("Decision sent to those who took part and followers"),
    # people and roles
    "role.granted": _("Role given"),
    "role.revoked": _("Role taken away"),
    "identity.verified_in_person": _("Identity checked in person"),
    "identity.in_person_disputed": _("Identity check disputed"),
    "identity.dispute_reviewed": _("Disputed identity check reviewed"),
    "identity.data_exported": _("Own data downloaded"),
    # the participation plan
    "plan.created": _("Plan started"),
    "plan.updated": _("Plan step changed"),
    "plan.published": _("Plan published"),
    "plan.unpublished": _("Plan no longer public"),
    "plan.accepted": _("Recommendation accepted"),
    "plan.activity_status": _("Planned activity marked"),
    # the survey method
    "survey.question_added": _("Survey question added"),
    "survey.question_updated": _("Survey question changed"),
    "survey.question_deleted": _("Survey question deleted"),
    "survey.question_moved": _("Survey question moved"),
    "poll.saved": _("Poll question and options saved"),
    # the consultation (høyring) method
    "hearing.period_saved": _("Consultation period saved"),
    "hearing.document_added": _("Consultation document added"),
    "hearing.document_updated": _("Consultation document changed"),
    "hearing.document_deleted": _("Consultation document deleted"),
    "hearing.section_added": _("Section of a consultation document added"),
    "hearing.section_updated": _("Section of a consultation document changed"),
    "hearing.section_deleted": _("Section of a consultation document deleted"),
    "hearing.paragraph_added": _("Paragraph of a consultation document added"),
    "hearing.paragraph_updated": _("Paragraph of a consultation document changed"),
    "hearing.paragraph_deleted": _("Paragraph of a consultation document deleted"),
    "hearing.text_moved": _("Text of a consultation document moved"),
    "hearing.redaction_added": _("Part of a submission withheld from the public register"),
    "hearing.redaction_removed": _("Withheld part of a submission shown again"),
    "hearing.minor_marked": _("Sender of a submission marked as under 18"),
    "hearing.minor_unmarked": _("Sender of a submission no longer marked as under 18"),
    "hearing.archive_exported": _("Submissions downloaded for the archive (arkivmelding)"),
    "hearing.archive_queued": _("Sending of submissions to the archive started"),
    "hearing.archive_sent": _("Submissions sent to the archive"),
    "hearing.archive_failed": _("Sending of submissions to the archive failed"),
    "panel.left": _("Member left the residents' panel (profile erased)"),
    "panel.settings_saved": _("Residents' panel settings saved"),
    "panel.dimension_added": _("Question added to the residents' panel profile"),
    "panel.dimension_saved": _("Options of a residents' panel question changed"),
    "panel.dimension_deleted": _("Question removed from the residents' panel (answers erased)"),
    "panel.figures_saved": _("Population figures saved"),
    "panel.figures_imported": _("Population figures imported from SSB"),
    "panel.drawn": _("Residents' panel draw made"),
    "panel.invitations_sent": _("Invitations from a panel draw sent"),
    "panel.reminded": _("Reminders from a panel draw sent"),
}

# For codes without a label of their own: the thing (before the dot) and what happened to it.
THINGS: dict[str, Promise] = {
    "answer_template": _("Answer template"),
    "attachment": _("Attachment"),
    "audit": _("Audit log"),
    "case_document": _("Case document"),
    "contribution": _("Input"),
    "decision": _("Decision"),
    "document": _("Case document"),
    "export": _("Export"),
    "group": _("Group of input"),
    "identity": _("Identity"),
    "method": _("Method"),
    "moderation": _("Moderation"),
    "municipality": _("Municipality"),
    "note": _("Internal note"),
    "phase": _("Phase"),
    "plan": _("Participation plan"),
    "process": _("Case"),
    "report": _("Report of input"),
    "response": _("Answer"),
    "role": _("Role"),
    "subscription": _("Following a case"),
    "survey": _("Survey"),
    "template": _("Answer template"),
    "theme": _("Theme"),
}
DONE: dict[str, Promise] = {
    "added": _("added"),
    "approved": _("approved"),
    "assigned": _("assigned"),
    "closed": _("closed"),
    "created": _("created"),
    "deleted": _("deleted"),
    "downloaded": _("downloaded"),
    "grouped": _("grouped"),
    "hidden": _("hidden"),
    "merged": _("merged"),
    "moved": _("moved"),
    "published": _("published"),
    "rejected": _("rejected"),
    "removed": _("removed"),
    "reopened": _("opened again"),
    "reported": _("reported"),
    "restored": _("restored"),
    "saved": _("saved"),
    "sent": _("sent"),
    "tagged": _("tagged"),
    "unpublished": _("no longer public"),
    "updated": _("changed"),
    "uploaded": _("uploaded"),
}


def register(labels: Mapping[str, Promise | str]) -> None:
    """Add labels for a method app's own codes (call from its ``AppConfig.ready()``)."""
    for code, label in labels.items():
        existing = ACTIONS.get(code)
        if existing is not None and str(existing) != str(label):
            raise ValueError(f"audit code {code!r} already has another label")
        ACTIONS[code] = label  # type: ignore[assignment]


def has_label(code: str) -> bool:
    return code in ACTIONS


def action_label(code: str) -> str:
    """The label of an audit code; an unknown code in words made from its parts."""
    known = ACTIONS.get(code)
    if known is not None:
        return str(known)
    head, _sep, tail = code.partition(".")
    thing = THINGS.get(head)
    done = DONE.get(tail.rpartition("_")[2] if tail else "")
    if thing is not None and done is not None:
        return gettext("%(thing)s %(done)s") % {"thing": thing, "done": done}
    if thing is not None:
        return gettext("Other change: %(thing)s") % {"thing": thing}
    return gettext("Other action")


def object_label(object_type: str, object_id: str = "") -> str:
    """ "Answer 21" for ``accountability.response`` 21: the model's own translated name."""
    if not object_type:
        return ""
    try:
        name = capfirst(str(apps.get_model(object_type)._meta.verbose_name))
    except (LookupError, ValueError):
        name = gettext("Record")
    return f"{name} {object_id}".strip()


def actor_label(label: str) -> str:
    """Who did it, as a person reads it: the username, "Medvirk", or an erased person."""
    kind, _sep, rest = label.partition(":")
    if kind == "user":
        return rest.partition(":")[2] or rest
    if kind == "erased":
        return gettext("Erased person (%(pseudonym)s)") % {"pseudonym": rest[:8]}
    if label == "system":
        return gettext("Medvirk (automatic)")
    return label


@dataclass(frozen=True)
class Row:
    """One audit row as the log page shows it."""

    seq: int
    created_at: dt.datetime
    who: str
    action: str
    code: str
    object: str


def row(entry: AuditEntry) -> Row:
    return Row(
        seq=entry.seq,
        created_at=entry.created_at,
        who=actor_label(entry.actor_label),
        action=action_label(entry.action),
        code=entry.action,
        object=object_label(entry.object_type, entry.object_id),
    )
