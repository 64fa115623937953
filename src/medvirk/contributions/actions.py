"""Writing contributions: every channel goes through :func:`do_contribute`; themes made from
suggestions are accepted, renamed and merged here (``do_accept_theme`` …)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.core.text import clean_line, clean_name
from medvirk.core.tokens import new_nonce, receipt_token
from medvirk.organisations import capabilities
from medvirk.organisations.models import Municipality
from medvirk.processes import permissions, registry
from medvirk.processes.models import MethodInstance, Process
from medvirk.vocabulary import Capability

from . import moderation, screening, signals
from .models import Channel, Contribution, ModerationMode, ModerationState, Report, Theme
from .screening import Finding

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from medvirk.identity.models import User


# Input registered by staff from a meeting, letter or phone call fits any method.
OFFLINE_KIND = "offline_input"


@dataclass
class Draft:
    """What a person (or staff on their behalf) submits."""

    kind: str
    text: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    channel: str = Channel.WEB
    contact_email: str = ""
    author_name: str = ""
    show_name: bool = False
    # National identity numbers a method found (with screening.screen) in texts it stores in
    # its own models, e.g. the survey's free-text answers: they hold the contribution too.
    findings: Sequence[Finding] = ()
    # False when the input asks or proposes nothing (a survey answer without free text): it
    # is fed back through the published result, and does not wait in the inbox.
    needs_answer: bool = True
    # Offline input: the day and the place it was given (a meeting's date, not today).
    given_on: dt.date | None = None
    given_at_place: str = ""
    # Set when the method takes one contribution per person (e.g. "user:<pk>"): a second one
    # from the same person is refused (409), enforced by a unique constraint.
    once_key: str | None = None
    # Does the input carry free text (what moderation judges)? None: decided from ``text``
    # and the strings in ``data``. A method says False when its data holds only choices.
    # A name shown publicly always counts (contributions.moderation).
    has_free_text: bool | None = None
    # True: a moderator looks before it is published, whatever the moderation mode (the
    # høyring's submissions with files, which screening cannot read).
    review: bool = False


@dataclass(frozen=True)
class Receipt:
    contribution: Contribution
    token: str  # shown once; the private link to the receipt page


def check_contribute(
    user: User | AnonymousUser,
    method: MethodInstance | None,
    action_key: str,
    draft: Draft,
    registered_by: User | None = None,
    process: Process | None = None,
) -> None:
    """Raise :class:`ActionRefused` with a readable message when the input cannot be taken.

    ``method`` is None only for offline input about the case as a whole (``process``).
    """
    if method is None and (registered_by is None or process is None):
        raise ActionRefused(_("Choose where the input belongs."))
    case = process if method is None else method.process
    assert case is not None
    if registered_by is not None:
        if not capabilities.staff_can(registered_by, "register_offline", case.municipality_id):
            raise ActionRefused(_("You cannot register input for this municipality."), status=403)
        if draft.channel == Channel.WEB:
            raise ActionRefused(_("Choose the channel the input came through."))
        if method is not None and method.process_id != case.pk:
            raise ActionRefused(_("Choose where the input belongs."))
        if draft.given_on is not None and draft.given_on > timezone.localdate():
            raise ActionRefused(_("The date the input was given cannot be in the future."))
    else:
        assert method is not None
        verdict = permissions.can_act(user, method, action_key)
        if not verdict:
            raise ActionRefused(verdict.reason, status=403)
    if draft.channel not in Channel.values:
        raise ActionRefused(_("Unknown channel."))
    if len(draft.text) > settings.MEDVIRK_MAX_TEXT_LENGTH:
        raise ActionRefused(
            _("The text is too long: at most %(max)d characters.")
            % {"max": settings.MEDVIRK_MAX_TEXT_LENGTH}
        )
    offline_ok = registered_by is not None and draft.kind == OFFLINE_KIND
    if not offline_ok and (method is None or _kinds(method).get(draft.kind) != action_key):
        raise ActionRefused(_("This kind of input is not taken here."))
    if draft.contact_email:
        try:
            validate_email(draft.contact_email)
        except ValidationError as exc:
            raise ActionRefused(_("The e-mail address is not valid.")) from exc


def _kinds(method: MethodInstance) -> dict[str, str]:
    """Kind of input -> the action that creates it, as the method's plug-in declares."""
    return {k.key: k.action for k in registry.get(method.method_key).contribution_kinds}


@dataclass(frozen=True)
class Screened:
    """A draft's publishable texts with every national identity number masked."""

    text: str
    author_name: str
    data: dict[str, Any]
    findings: list[Finding]


def screen_draft(
    user: User | AnonymousUser, draft: Draft, registered_by: User | None = None
) -> Screened:
    """The one gate every publishable text of a contribution passes (issue 15).

    Screens the text, the name given, the account's public name when that is the name that
    will show, and every string in ``draft.data`` (a method may show any of them), and adds
    the findings the method made in its own fields. A match means: masked here, held by
    :func:`do_contribute`, and the moderator is told which field and what kind of number.
    """
    text, found = screening.screen(screening.TEXT, draft.text)
    name, more = screening.screen(screening.AUTHOR_NAME, draft.author_name)
    found += more
    if draft.show_name and not name.strip() and registered_by is None and user.is_authenticated:
        # No name given, so the account's public name would show (a sign-up username is free
        # text): on a match, the masked name is stored and shown instead.
        public, more = screening.screen(screening.PUBLIC_NAME, str(user.public_name()))
        if more:
            name, found = public, found + more
    data, more = screening.screen_data(draft.data)
    found += more
    found += draft.findings
    return Screened(text=text, author_name=name, data=data, findings=found)


def _has_free_text(draft: Draft, screened: Screened) -> bool:
    if draft.show_name and draft.author_name.strip():
        return True  # a name the person typed is shown publicly
    if draft.has_free_text is not None:
        return draft.has_free_text
    return bool(screened.text.strip()) or moderation.has_free_text(screened.data)


def do_contribute(
    user: User | AnonymousUser,
    method: MethodInstance | None,
    action_key: str,
    draft: Draft,
    registered_by: User | None = None,
    process: Process | None = None,
) -> Receipt:
    """Store one contribution atomically and return its private receipt.

    ``method`` is None only for input staff register about the case as a whole
    (``process``). After commit, :data:`signals.contribution_created` lets accountability
    e-mail the receipt.

    Anything publishable that looks like it holds a national identity number is masked
    and held back for a moderator before anything is shown publicly, and so is input with
    an e-mail address, a phone number or a link (:func:`screen_draft`). Otherwise the
    kommune's or the method's moderation mode decides whether it is public at once or
    waits for approval (:mod:`medvirk.contributions.moderation`).
    """
    # Screened before the name is cleaned and cut to length, so no cut can split a number.
    screened = screen_draft(user, draft, registered_by)
    draft = replace(draft, author_name=clean_name(screened.author_name))  # no bidi/zero-width
    check_contribute(user, method, action_key, draft, registered_by, process)
    case = process if method is None else method.process
    assert case is not None
    found = screened.findings
    state = moderation.initial_state(
        moderation.mode_of(method, case.municipality),
        free_text=_has_free_text(draft, screened),
        logged_in=bool(user.is_authenticated),
        registered_by_staff=registered_by is not None,
        held=bool(found),
        review=draft.review,
    )
    try:
        with transaction.atomic():
            contribution = Contribution.objects.create(
                method_instance=method,
                process_id=case.pk,
                kind=draft.kind,
                channel=draft.channel,
                author=user if user.is_authenticated and registered_by is None else None,
                registered_by=registered_by,
                author_name=draft.author_name.strip()[:150],
                show_name=draft.show_name
                and bool(draft.author_name.strip() or user.is_authenticated),
                contact_email=draft.contact_email.strip(),
                text=screened.text,
                data=screened.data,
                language=get_language() or "",
                moderation=state,
                held_reason=screening.held_reason(found) if found else "",
                receipt_nonce=new_nonce(),
                needs_answer=draft.needs_answer,
                once_key=draft.once_key,
                given_on=draft.given_on if registered_by is not None else None,
                given_at_place=draft.given_at_place.strip()[:200]
                if registered_by is not None
                else "",
            )
            if registered_by is not None:
                audit.record(
                    "contribution.registered_offline",
                    actor=registered_by,
                    obj=contribution,
                    municipality_id=case.municipality_id,
                    data={"channel": draft.channel, "method": method.pk if method else None},
                )
            contribution_id = contribution.pk
            transaction.on_commit(
                lambda: signals.contribution_created.send(
                    sender=Contribution, contribution_id=contribution_id
                )
            )
    except IntegrityError as exc:
        if draft.once_key is None:
            raise
        # The database's unique (method, once_key): this person has already taken part.
        raise ActionRefused(
            _("You have already taken part here, and each person counts once."), status=409
        ) from exc
    return Receipt(contribution, receipt_token(contribution.pk, contribution.receipt_nonce))


# -- moderation -------------------------------------------------------------------------------


class ModerationAction(StrEnum):
    """What a moderator does; the value is the signal's ``action`` and the audit's verb."""

    APPROVED = "approved"  # pending/held → published
    REJECTED = "rejected"  # pending/held → not published
    HIDDEN = "hidden"  # published → hidden, a reason shown publicly in its place
    RESTORED = "restored"  # hidden/rejected → published


@dataclass(frozen=True)
class _Rule:
    allowed_from: frozenset[str]
    to: ModerationState
    reason_required: bool = False


_RULES: dict[ModerationAction, _Rule] = {
    ModerationAction.APPROVED: _Rule(
        frozenset({ModerationState.PENDING, ModerationState.HELD}), ModerationState.PUBLISHED
    ),
    ModerationAction.REJECTED: _Rule(
        frozenset({ModerationState.PENDING, ModerationState.HELD}), ModerationState.REJECTED
    ),
    ModerationAction.HIDDEN: _Rule(
        frozenset({ModerationState.PUBLISHED}), ModerationState.HIDDEN, reason_required=True
    ),
    ModerationAction.RESTORED: _Rule(
        frozenset({ModerationState.HIDDEN, ModerationState.REJECTED}), ModerationState.PUBLISHED
    ),
}
# hidden_reason holds what is shown publicly in place of hidden input, and the reason given
# to the author of rejected input (on their receipt only: rejected input is never listed).
REASON_MAX_LENGTH = 500


def _moderator_check(moderator: User, contribution: Contribution) -> int:
    municipality_id = contribution.process.municipality_id
    if not capabilities.staff_can(moderator, "moderate", municipality_id):
        raise ActionRefused(_("You cannot moderate input in this municipality."), status=403)
    return municipality_id


def _clean_reason(reason: str, required: bool) -> str:
    cleaned = clean_line(reason or "")
    if len(cleaned) > REASON_MAX_LENGTH:
        raise ActionRefused(
            _("The reason is too long: at most %(max)d characters.") % {"max": REASON_MAX_LENGTH}
        )
    if required and not cleaned:
        raise ActionRefused(
            _("Write the reason: it is shown publicly in place of the hidden input.")
        )
    return cleaned


def _moderate(
    moderator: User, contribution: Contribution, action: ModerationAction, reason: str
) -> Contribution:
    """One moderator decision: checked, under a row lock, audited, reports resolved, and the
    author told after commit. Two moderators acting at once: the second is refused (409)."""
    rule = _RULES[action]
    municipality_id = _moderator_check(moderator, contribution)
    reason = _clean_reason(reason, rule.reason_required)
    with transaction.atomic():
        locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
        before = locked.moderation
        if before not in rule.allowed_from:
            raise ActionRefused(
                _(
                    "This input is now “%(state)s”: another moderator may have dealt with it. "
                    "Nothing was changed."
                )
                % {"state": ModerationState(before).label},
                status=409,
            )
        now = timezone.now()
        locked.moderation = rule.to
        if action in (ModerationAction.HIDDEN, ModerationAction.REJECTED):
            locked.hidden_reason = reason
        elif action == ModerationAction.RESTORED:
            locked.hidden_reason = ""
        locked.moderated_at, locked.moderated_by = now, moderator
        locked.save(update_fields=["moderation", "hidden_reason", "moderated_at", "moderated_by"])
        resolved = Report.objects.filter(contribution=locked, resolved_at__isnull=True).update(
            resolved_at=now
        )
        audit.record(
            f"contribution.{action.value}",
            actor=moderator,
            obj=locked,
            municipality_id=municipality_id,
            data={"from": before, "to": rule.to.value, "reason": reason, "reports": resolved},
        )
        pk = locked.pk
        transaction.on_commit(
            lambda: signals.contribution_moderated.send(
                sender=Contribution, contribution_id=pk, action=action.value, reason=reason
            )
        )
    return locked


def do_approve(moderator: User, contribution: Contribution, note: str = "") -> Contribution:
    """Publish input that waits for approval or was held by screening."""
    return _moderate(moderator, contribution, ModerationAction.APPROVED, note)


def do_reject(moderator: User, contribution: Contribution, reason: str = "") -> Contribution:
    """Do not publish input that waits; ``reason`` is told to the author only."""
    return _moderate(moderator, contribution, ModerationAction.REJECTED, reason)


def do_hide(moderator: User, contribution: Contribution, reason: str) -> Contribution:
    """Take published input down; ``reason`` (required) is shown publicly in its place."""
    return _moderate(moderator, contribution, ModerationAction.HIDDEN, reason)


def do_restore(moderator: User, contribution: Contribution, note: str = "") -> Contribution:
    """Publish hidden or rejected input again."""
    return _moderate(moderator, contribution, ModerationAction.RESTORED, note)


def do_dismiss_reports(moderator: User, contribution: Contribution, note: str = "") -> int:
    """Keep reported input as it is: its open reports are resolved (audited); how many."""
    municipality_id = _moderator_check(moderator, contribution)
    note = _clean_reason(note, required=False)
    with transaction.atomic():
        locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
        resolved = Report.objects.filter(contribution=locked, resolved_at__isnull=True).update(
            resolved_at=timezone.now()
        )
        if resolved:
            audit.record(
                "contribution.reports_dismissed",
                actor=moderator,
                obj=locked,
                municipality_id=municipality_id,
                data={"reports": resolved, "note": note},
            )
    return resolved


def do_moderate(
    moderator: User, contribution: Contribution, state: str, note: str = ""
) -> Contribution:
    """Move input to ``state`` by name (the older single form, still used to build data).

    A move one of the named actions makes goes through it (audited, the author told);
    any other move — back to held or pending — is set directly and audited.
    """
    if state not in ModerationState.values:
        raise ActionRefused(_("Unknown moderation state."))
    current = Contribution.objects.values_list("moderation", flat=True).get(pk=contribution.pk)
    for action, rule in _RULES.items():
        if rule.to == state and current in rule.allowed_from:
            return _moderate(moderator, contribution, action, note)
    municipality_id = _moderator_check(moderator, contribution)
    with transaction.atomic():
        locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
        before = locked.moderation
        locked.moderation = state
        locked.moderated_at, locked.moderated_by = timezone.now(), moderator
        locked.save(update_fields=["moderation", "moderated_at", "moderated_by"])
        audit.record(
            "contribution.moderated",
            actor=moderator,
            obj=locked,
            municipality_id=municipality_id,
            data={"from": before, "to": state, "note": clean_line(note)[:REASON_MAX_LENGTH]},
        )
    return locked


# -- reports from residents -------------------------------------------------------------------


def reporter_hash(reporter_key: str) -> str:
    """The keyed hash that recognises one reporter again (``user:<pk>`` or
    ``session:<key>``) without keeping who it is."""
    key = f"medvirk.report:{settings.SECRET_KEY}".encode()
    return hmac.new(key, reporter_key.encode(), hashlib.sha256).hexdigest()


def do_report(
    contribution: Contribution, reason: str, note: str, reporter_key: str
) -> tuple[Report, bool]:
    """A resident reports published input: once per person (the same report again changes
    nothing). Returns the report and whether it is new. The caller limits the rate."""
    if reason not in Report.Reason.values:
        raise ActionRefused(_("Choose what is wrong with the input."))
    note = clean_line(note or "")
    if len(note) > REASON_MAX_LENGTH:
        raise ActionRefused(
            _("The note is too long: at most %(max)d characters.") % {"max": REASON_MAX_LENGTH}
        )
    if not reporter_key:
        raise ActionRefused(_("Your browser must accept cookies to report input."))
    digest = reporter_hash(reporter_key)
    with transaction.atomic():
        locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
        if locked.moderation != ModerationState.PUBLISHED:
            raise ActionRefused(
                _("This input is no longer shown, so it cannot be reported."), status=409
            )
        existing = Report.objects.filter(contribution=locked, reporter_hash=digest).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    contribution=locked, reason=reason, note=note, reporter_hash=digest
                )
        except IntegrityError:
            # The same person's parallel request got in first (the unique constraint).
            return Report.objects.get(contribution=locked, reporter_hash=digest), False
    return report, True


# -- the kommune's choice ---------------------------------------------------------------------


def do_set_moderation_mode(staff: User, municipality: Municipality, mode: str) -> Municipality:
    """The kommune's moderation mode (administrators), audited."""
    if not capabilities.staff_can(staff, "manage_roles", municipality.pk):
        raise ActionRefused(_("You cannot change the settings of this municipality."), status=403)
    if mode not in ModerationMode.values:
        raise ActionRefused(_("Choose how input is moderated."))
    with transaction.atomic():
        locked = Municipality.objects.select_for_update().get(pk=municipality.pk)
        before = locked.moderation_mode
        if before != mode:
            locked.moderation_mode = mode
            locked.save(update_fields=["moderation_mode"])
            audit.record(
                "municipality.moderation_mode",
                actor=staff,
                obj=locked,
                municipality_id=locked.pk,
                data={"from": before, "to": mode},
            )
    municipality.moderation_mode = mode
    return locked


# -- themes from suggestions, renamed and merged ---------------------------------------------
# Sorting input into themes one by one, and answering a theme, live in
# accountability.inbox; these are the steps the "Suggest themes" page adds.

THEME_NAME_MAX = 120
# A suggestion holds at most this many inputs (one theme per accept).
THEME_ACCEPT_MAX = 5000


def _theme_staff(staff: User, process: Process) -> None:
    if not capabilities.staff_can(staff, Capability.RESPOND, process.municipality_id):
        raise ActionRefused(_("You cannot do this in this municipality."), status=403)


def _theme_name(name: str) -> str:
    cleaned = " ".join(str(name).split())
    if not cleaned:
        raise ActionRefused(_("Give the theme a name."))
    if len(cleaned) > THEME_NAME_MAX:
        raise ActionRefused(
            _("The name is too long: at most %(n)d characters.") % {"n": THEME_NAME_MAX}
        )
    return cleaned


def _name_taken(name: str) -> ActionRefused:
    return ActionRefused(
        _(
            "The case already has a theme or group named “%(name)s” (someone may just have "
            "accepted the same suggestion). Open it from the list, or choose another name."
        )
        % {"name": name},
        status=409,
    )


def _locked_theme(process: Process, theme: Theme) -> Theme:
    if theme.process_id != process.pk:
        raise ActionRefused(_("This theme belongs to another case."), status=404)
    locked = Theme.objects.select_for_update().filter(pk=theme.pk).first()
    if locked is None:
        raise ActionRefused(_("This theme or group no longer exists."), status=409)
    return locked


def do_accept_theme(staff: User, process: Process, name: str, ids: Sequence[int]) -> Theme:
    """Make a suggested theme real: a new theme named by the officer, holding the inputs.

    The name must be new in the case (names are unique per case in the database), so
    accepting the same suggestion twice, even at the same moment, makes one theme: the
    second is refused (409) and changes nothing. Inputs no longer in the case are left out.
    """
    _theme_staff(staff, process)
    cleaned = _theme_name(name)
    wanted = sorted({int(i) for i in ids})
    if not wanted:
        raise ActionRefused(_("The suggestion holds no input."))
    if len(wanted) > THEME_ACCEPT_MAX:
        raise ActionRefused(_("The suggestion is too large to accept at once."))
    with transaction.atomic():
        if Theme.objects.filter(process=process, name__iexact=cleaned).exists():
            raise _name_taken(cleaned)
        members = list(
            Contribution.objects.select_for_update()
            .filter(process=process, pk__in=wanted)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not members:
            raise ActionRefused(
                _("None of the suggested input is in this case any more. Nothing was changed.")
            )
        try:
            with transaction.atomic():
                theme = Theme.objects.create(process=process, name=cleaned, kind=Theme.Kind.THEME)
        except IntegrityError:
            raise _name_taken(cleaned) from None
        theme.contributions.add(*members)
        audit.record(
            "theme.suggestion_accepted",
            actor=staff,
            obj=theme,
            municipality_id=process.municipality_id,
            data={"process": process.pk, "name": theme.name, "contributions": members},
        )
    return theme


def do_rename_theme(staff: User, process: Process, theme: Theme, name: str) -> Theme:
    """Give a theme or group a new name (unique in the case)."""
    _theme_staff(staff, process)
    cleaned = _theme_name(name)
    with transaction.atomic():
        locked = _locked_theme(process, theme)
        before = locked.name
        if before == cleaned:
            return locked
        clash = (
            Theme.objects.filter(process=process, name__iexact=cleaned)
            .exclude(pk=locked.pk)
            .exists()
        )
        if clash:
            raise _name_taken(cleaned)
        locked.name = cleaned
        try:
            with transaction.atomic():
                locked.save(update_fields=["name"])
        except IntegrityError:
            raise _name_taken(cleaned) from None
        audit.record(
            "theme.renamed",
            actor=staff,
            obj=locked,
            municipality_id=process.municipality_id,
            data={"from": before, "to": cleaned},
        )
    return locked


def do_merge_themes(staff: User, process: Process, source: Theme, target: Theme) -> Theme:
    """Move every input of ``source`` into ``target`` and delete ``source``.

    Both must be the case's own and of the same kind (a theme into a theme, a duplicate
    group into a duplicate group). Answers already given stay as they are.
    """
    _theme_staff(staff, process)
    if source.pk == target.pk:
        raise ActionRefused(_("Choose two different themes to merge."))
    with transaction.atomic():
        # Locked in a fixed order, so two merges of the same pair cannot deadlock.
        first, second = sorted((source, target), key=lambda t: t.pk)
        locked = {t.pk: _locked_theme(process, t) for t in (first, second)}
        old, into = locked[source.pk], locked[target.pk]
        if old.kind != into.kind:
            raise ActionRefused(
                _("A theme and a duplicate group cannot be merged. Choose two of the same kind.")
            )
        moved = sorted(old.contributions.values_list("pk", flat=True))
        into.contributions.add(*moved)
        audit.record(
            "theme.merged",
            actor=staff,
            obj=into,
            municipality_id=process.municipality_id,
            data={"from": old.pk, "from_name": old.name, "into": into.name, "contributions": moved},
        )
        old.delete()
    return into
