"""What case officers do in the inbox besides answering one input: sort input into themes
and duplicate groups, assign it, write internal notes, keep answer templates, and answer a
whole group with one text (the only bulk answer there is).

Every action checks the officer's capability, changes state in one transaction and writes
an audit row; bad input raises ``ActionRefused`` and changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from medvirk.contributions.models import Contribution, Theme
from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.organisations import capabilities
from medvirk.processes.models import Process
from medvirk.vocabulary import Capability

from .actions import MAX_BULK, do_respond
from .models import AnswerTemplate, Note, Response, ResponseStatus

if TYPE_CHECKING:
    from medvirk.identity.models import User
    from medvirk.organisations.models import Municipality

MAX_THEME_NAME = 120
MAX_NOTE = 2000
MAX_TEMPLATE_TITLE = 120
MAX_TEMPLATE_TEXT = 5000
# Statuses an officer sets by hand: "received" is the automatic acknowledgement.
OFFICER_STATUSES = frozenset(ResponseStatus.values) - {ResponseStatus.RECEIVED}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _require(staff: User, capability: Capability, municipality_id: int) -> None:
    if not capabilities.staff_can(staff, capability, municipality_id):
        raise ActionRefused(_("You cannot do this in this municipality."), status=403)


def _inputs(process: Process, ids: Sequence[int]) -> list[Contribution]:
    """The case's own inputs named by ``ids``, locked; refuse if any is missing."""
    wanted = sorted({int(i) for i in ids})
    if not wanted:
        raise ActionRefused(_("Tick at least one input first."))
    if len(wanted) > MAX_BULK:
        raise ActionRefused(_("Choose at most %(n)d inputs at a time.") % {"n": MAX_BULK})
    found = list(
        Contribution.objects.select_for_update()
        .filter(process=process, pk__in=wanted)
        .order_by("pk")
    )
    if len(found) != len(wanted):
        raise ActionRefused(
            _(
                "Some of the ticked input is no longer in this case (it may have been "
                "deleted). Nothing was changed."
            )
        )
    return found


# -- themes and duplicate groups ----------------------------------------------------------


def _theme_for(staff: User, process: Process, theme: Theme | None, name: str, kind: str) -> Theme:
    """The chosen theme, or one made (or found) by name; locked for the change."""
    if theme is not None:
        if theme.process_id != process.pk:
            raise ActionRefused(_("This theme belongs to another case."), status=404)
        locked = Theme.objects.select_for_update().filter(pk=theme.pk).first()
        if locked is None:
            raise ActionRefused(_("This theme or group no longer exists."))
        return locked
    name = " ".join(name.split())
    if not name:
        raise ActionRefused(_("Choose a theme or group, or give a new one a name."))
    if len(name) > MAX_THEME_NAME:
        raise ActionRefused(
            _("The name is too long: at most %(n)d characters.") % {"n": MAX_THEME_NAME}
        )
    if kind not in Theme.Kind.values:
        raise ActionRefused(_("Choose whether it is a theme or a duplicate group."))
    existing = Theme.objects.select_for_update().filter(process=process, name__iexact=name).first()
    if existing is not None:
        if existing.kind != kind:
            raise ActionRefused(
                _("“%(name)s” already exists as a %(kind)s. Choose it from the list.")
                % {"name": existing.name, "kind": existing.get_kind_display().lower()}
            )
        return existing
    try:
        with transaction.atomic():
            made = Theme.objects.create(process=process, name=name, kind=kind)
    except IntegrityError:
        # Someone made the same name at the same moment: theirs stands, nothing of ours.
        raise ActionRefused(
            _("Someone else just made a theme with this name. Choose it from the list."),
            status=409,
        ) from None
    audit.record(
        "theme.created",
        actor=staff,
        obj=made,
        municipality_id=process.municipality_id,
        data={"process": process.pk, "name": made.name, "kind": made.kind},
    )
    return made


def do_add_to_theme(
    staff: User,
    process: Process,
    ids: Sequence[int],
    *,
    theme: Theme | None = None,
    new_name: str = "",
    kind: str = Theme.Kind.THEME,
) -> Theme:
    """Put the inputs into a theme or duplicate group: the chosen one, or a new one by name
    (an existing name of the same kind is reused). Inputs already in it stay as they are."""
    _require(staff, Capability.RESPOND, process.municipality_id)
    with transaction.atomic():
        items = _inputs(process, ids)
        target = _theme_for(staff, process, theme, new_name, kind)
        already = set(
            target.contributions.filter(pk__in=[c.pk for c in items]).values_list("pk", flat=True)
        )
        added = [c for c in items if c.pk not in already]
        target.contributions.add(*added)
        audit.record(
            "theme.inputs_added",
            actor=staff,
            obj=target,
            municipality_id=process.municipality_id,
            data={"contributions": [c.pk for c in added]},
        )
    return target


def do_remove_from_theme(staff: User, process: Process, ids: Sequence[int], theme: Theme) -> int:
    """Take the inputs out of a theme or group; returns how many were in it."""
    _require(staff, Capability.RESPOND, process.municipality_id)
    with transaction.atomic():
        items = _inputs(process, ids)
        target = _theme_for(staff, process, theme, "", "")
        members = list(
            target.contributions.filter(pk__in=[c.pk for c in items]).values_list("pk", flat=True)
        )
        if not members:
            raise ActionRefused(
                _("None of the ticked input is in “%(name)s”.") % {"name": target.name}
            )
        target.contributions.remove(*members)
        audit.record(
            "theme.inputs_removed",
            actor=staff,
            obj=target,
            municipality_id=process.municipality_id,
            data={"contributions": sorted(members)},
        )
    return len(members)


def do_delete_theme(staff: User, process: Process, theme: Theme) -> None:
    """Delete an empty theme or group (one with input must be emptied first, on purpose)."""
    _require(staff, Capability.RESPOND, process.municipality_id)
    with transaction.atomic():
        target = _theme_for(staff, process, theme, "", "")
        if target.contributions.exists():
            raise ActionRefused(_("Take the input out of the group before deleting it."))
        audit.record(
            "theme.deleted",
            actor=staff,
            obj=target,
            municipality_id=process.municipality_id,
            data={"name": target.name, "kind": target.kind},
        )
        target.delete()


# -- assignment ---------------------------------------------------------------------------


def do_assign(staff: User, process: Process, ids: Sequence[int], assignee: User | None) -> int:
    """Give the inputs to one case officer (``None``: to nobody); returns how many changed.

    Only someone who may answer input in the municipality can be given input.
    """
    _require(staff, Capability.RESPOND, process.municipality_id)
    if assignee is not None and not capabilities.staff_can(
        assignee, Capability.RESPOND, process.municipality_id
    ):
        raise ActionRefused(_("This person cannot answer input in this municipality."))
    with transaction.atomic():
        items = _inputs(process, ids)
        new_id = assignee.pk if assignee is not None else None
        changed = [c for c in items if c.assigned_to_id != new_id]
        for c in changed:
            c.assigned_to_id = new_id
        Contribution.objects.bulk_update(changed, ["assigned_to"])
        audit.record(
            "contribution.assigned",
            actor=staff,
            municipality_id=process.municipality_id,
            data={"contributions": [c.pk for c in changed], "assigned_to": new_id},
        )
    return len(changed)


# -- internal notes -----------------------------------------------------------------------


def do_add_note(staff: User, contribution: Contribution, text: str) -> Note:
    """An internal note on an input: staff only, never shown to the resident."""
    municipality_id = contribution.process.municipality_id
    _require(staff, Capability.RESPOND, municipality_id)
    text = text.strip()
    if not text:
        raise ActionRefused(_("Write the note first."))
    if len(text) > MAX_NOTE:
        raise ActionRefused(_("The note is too long: at most %(n)d characters.") % {"n": MAX_NOTE})
    with transaction.atomic():
        note = Note.objects.create(contribution=contribution, author=staff, text=text)
        # The text itself stays out of the log: it may name people.
        audit.record(
            "note.added",
            actor=staff,
            obj=note,
            municipality_id=municipality_id,
            data={"contribution": contribution.pk, "text_sha256": _digest(text)},
        )
    return note


# -- answer templates ---------------------------------------------------------------------

# Templates are the municipality's shared wording, so administrators (who also keep the
# roles) edit them; everyone who answers input can use them (docs/architecture.md).
EDIT_TEMPLATES = Capability.MANAGE_ROLES


def _check_template(title: str, status: str, text: str) -> None:
    if not title.strip() or not text.strip():
        raise ActionRefused(_("Give the template a title and a text."))
    if len(title.strip()) > MAX_TEMPLATE_TITLE or len(text) > MAX_TEMPLATE_TEXT:
        raise ActionRefused(_("The title or the text is too long."))
    if status and status not in OFFICER_STATUSES:
        raise ActionRefused(_("Choose a status from the list."))


def do_save_answer_template(
    staff: User,
    municipality: Municipality,
    *,
    title: str,
    status: str,
    text: str,
    template: AnswerTemplate | None = None,
) -> AnswerTemplate:
    """Add or change one of the municipality's answer templates."""
    _require(staff, EDIT_TEMPLATES, municipality.pk)
    _check_template(title, status, text)
    if template is not None and template.municipality_id != municipality.pk:
        raise ActionRefused(_("This template belongs to another municipality."), status=404)
    saved = template or AnswerTemplate(municipality=municipality)
    saved.title, saved.status, saved.text = title.strip(), status, text.strip()
    try:
        with transaction.atomic():
            saved.save()
            audit.record(
                "answer_template.saved",
                actor=staff,
                obj=saved,
                municipality_id=municipality.pk,
                data={"title": saved.title, "status": saved.status, "new": template is None},
            )
    except IntegrityError:
        raise ActionRefused(_("A template with this title exists already.")) from None
    return saved


def do_delete_answer_template(
    staff: User, municipality: Municipality, template: AnswerTemplate
) -> None:
    _require(staff, EDIT_TEMPLATES, municipality.pk)
    if template.municipality_id != municipality.pk:
        raise ActionRefused(_("This template belongs to another municipality."), status=404)
    with transaction.atomic():
        audit.record(
            "answer_template.deleted",
            actor=staff,
            obj=template,
            municipality_id=municipality.pk,
            data={"title": template.title},
        )
        template.delete()


# -- answering a group --------------------------------------------------------------------


class GroupChanged(ActionRefused):
    """Input was added to or taken out of the group after the preview: nothing was sent."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "The group changed after your preview (input was added or taken out), so "
                "nothing was sent. Check the new preview and send again."
            ),
            status=409,
        )


def do_answer_group(
    staff: User,
    process: Process,
    theme: Theme,
    *,
    previewed: Sequence[int],
    status: str,
    reason: str,
    versions: Mapping[int, int],
) -> list[Response]:
    """Answer every input of a theme or duplicate group with one text, as previewed.

    ``previewed`` are the inputs the preview showed and ``versions`` the answer version of
    each as shown (0: none). If the group holds other inputs now, :class:`GroupChanged`;
    if an answer changed since, ``ResponseConflict`` (from ``do_respond``). Either way
    nothing is sent.
    """
    _require(staff, Capability.RESPOND, process.municipality_id)
    if status not in OFFICER_STATUSES:
        raise ActionRefused(_("Choose a status for the answer."))
    with transaction.atomic():
        target = _theme_for(staff, process, theme, "", "")
        members = set(target.contributions.values_list("pk", flat=True))
        if not members:
            raise ActionRefused(_("The group is empty: there is nothing to answer."))
        if members != {int(i) for i in previewed}:
            raise GroupChanged
        # Every member was previewed, so every one is checked against the version shown.
        seen = {pk: versions.get(pk, 0) for pk in members}
        written = do_respond(staff, process, sorted(members), status, reason, versions=seen)
        audit.record(
            "theme.answered",
            actor=staff,
            obj=target,
            municipality_id=process.municipality_id,
            data={
                "contributions": sorted(members),
                "status": status,
                "reason_sha256": _digest(reason.strip()),
            },
        )
    return written
