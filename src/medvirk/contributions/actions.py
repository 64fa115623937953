"""Writing contributions: every channel goes through :func:`do_contribute`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.core.text import clean_name
from medvirk.core.tokens import new_nonce, receipt_token
from medvirk.organisations import capabilities
from medvirk.processes import permissions, registry
from medvirk.processes.models import MethodInstance

from . import screening
from .models import Channel, Contribution, ModerationState
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


@dataclass(frozen=True)
class Receipt:
    contribution: Contribution
    token: str  # shown once; the private link to the receipt page


def check_contribute(
    user: User | AnonymousUser,
    method: MethodInstance,
    action_key: str,
    draft: Draft,
    registered_by: User | None = None,
) -> None:
    """Raise :class:`ActionRefused` with a readable message when the input cannot be taken."""
    if registered_by is not None:
        if not capabilities.staff_can(
            registered_by, "register_offline", method.process.municipality_id
        ):
            raise ActionRefused(_("You cannot register input for this municipality."), status=403)
        if draft.channel == Channel.WEB:
            raise ActionRefused(_("Choose the channel the input came through."))
    else:
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
    if not offline_ok and _kinds(method).get(draft.kind) != action_key:
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


def do_contribute(
    user: User | AnonymousUser,
    method: MethodInstance,
    action_key: str,
    draft: Draft,
    registered_by: User | None = None,
) -> Receipt:
    """Store one contribution atomically and return its private receipt.

    Anything publishable that looks like it holds a national identity number is masked
    and held back for a moderator before anything is shown publicly (:func:`screen_draft`).
    """
    # Screened before the name is cleaned and cut to length, so no cut can split a number.
    screened = screen_draft(user, draft, registered_by)
    draft = replace(draft, author_name=clean_name(screened.author_name))  # no bidi/zero-width
    check_contribute(user, method, action_key, draft, registered_by)
    found = screened.findings
    with transaction.atomic():
        contribution = Contribution.objects.create(
            method_instance=method,
            process_id=method.process_id,
            kind=draft.kind,
            channel=draft.channel,
            author=user if user.is_authenticated and registered_by is None else None,
            registered_by=registered_by,
            author_name=draft.author_name.strip()[:150],
            show_name=draft.show_name and bool(draft.author_name.strip() or user.is_authenticated),
            contact_email=draft.contact_email.strip(),
            text=screened.text,
            data=screened.data,
            language=get_language() or "",
            moderation=ModerationState.HELD if found else ModerationState.PUBLISHED,
            held_reason=screening.held_reason(found) if found else "",
            receipt_nonce=new_nonce(),
        )
        if registered_by is not None:
            audit.record(
                "contribution.registered_offline",
                actor=registered_by,
                obj=contribution,
                municipality_id=method.process.municipality_id,
                data={"channel": draft.channel, "method": method.pk},
            )
    return Receipt(contribution, receipt_token(contribution.pk, contribution.receipt_nonce))


def do_moderate(
    moderator: User, contribution: Contribution, state: str, note: str = ""
) -> Contribution:
    municipality_id = contribution.process.municipality_id
    if not capabilities.staff_can(moderator, "moderate", municipality_id):
        raise ActionRefused(_("You cannot moderate input in this municipality."), status=403)
    if state not in ModerationState.values:
        raise ActionRefused(_("Unknown moderation state."))
    with transaction.atomic():
        locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
        before = locked.moderation
        locked.moderation = state
        locked.save(update_fields=["moderation"])
        audit.record(
            "contribution.moderated",
            actor=moderator,
            obj=locked,
            municipality_id=municipality_id,
            data={"from": before, "to": state, "note": note[:500]},
        )
    return locked
