"""Writes of the panel's member side: joining, changing the profile, leaving.

Membership belongs to the municipality, not to the case: a person joins through any panel
instance of the municipality and is then a member as seen from every one of them. The
database's unique (municipality, user) makes joining happen once, even when two requests
race; the unique (municipality, code) keeps the published pseudonyms apart.

Joining and changing the profile are a resident's own acts and are not audited (the audit
log is for staff and for what the issue asks to be provable): leaving is, without the
profile, which is erased with the membership.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.organisations.models import Municipality
from medvirk.processes import permissions
from medvirk.processes.models import MethodInstance

from . import dimensions
from .models import PanelMember

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from medvirk.identity.models import User

METHOD_KEY = "panel"
JOIN = "join"

# The member's code, the only name the published lottery uses. Digits and capitals
# without the ones people mix up (0/O, 1/I/L): 31 signs, 8 of them ≈ 40 bits, shown as
# "ABCD-2345" so a member can find their own in a long published list.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
CODE_ATTEMPTS = 8


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


class AlreadyMember(ActionRefused):
    """This person is in the municipality's panel already (409); nothing was changed."""

    def __init__(self) -> None:
        super().__init__(
            _("You are already a member of this municipality's residents' panel."), status=409
        )


class NotMember(ActionRefused):
    """This person is not in the municipality's panel (404)."""

    def __init__(self) -> None:
        super().__init__(
            _("You are not a member of this municipality's residents' panel."), status=404
        )


def _municipality(instance: MethodInstance) -> Municipality:
    return instance.process.municipality


def check_join(user: User | AnonymousUser, instance: MethodInstance) -> None:
    """Raise :class:`ActionRefused` (403) when this person cannot join here now: not a panel,
    not logged in, no verified e-mail (or the level staff set), or the case is closed."""
    if instance.method_key != METHOD_KEY:
        raise ActionRefused(_("This is not a residents' panel."), status=404)
    verdict = permissions.can_act(user, instance, JOIN)
    if not verdict:
        raise ActionRefused(verdict.reason, status=403)


def clean(municipality: Municipality, profile: Mapping[str, str]) -> dict[str, str]:
    """The profile with only the municipality's questions and their options (400 otherwise);
    an empty answer ("I would rather not answer") is left out."""
    found = dimensions.ensure_defaults(municipality)
    min_age = dimensions.settings_of(municipality).min_age
    return dimensions.clean_profile(found, profile, min_age)


def do_join(
    user: User | AnonymousUser,
    instance: MethodInstance,
    profile: Mapping[str, str],
    consent: bool,
    *,
    of_age: bool = True,
) -> PanelMember:
    """Make ``user`` a member of the panel of the instance's municipality.

    ``consent`` is the person's explicit yes to what is stored and published; without it
    nothing is stored (400). ``of_age`` is their confirmation that they are at least the
    municipality's lowest age (the web form asks for it; the demo and tests vouch for it).
    A second join, also from a parallel request, raises :class:`AlreadyMember` (409).
    """
    check_join(user, instance)
    municipality = _municipality(instance)
    if not consent:
        raise ActionRefused(
            _("To join, you must agree to what the panel stores and publishes."), status=400
        )
    if not of_age:
        min_age = dimensions.settings_of(municipality).min_age
        raise ActionRefused(
            _("You must be %(age)d years or older to join this panel.") % {"age": min_age},
            status=400,
        )
    cleaned = clean(municipality, profile)
    assert user.is_authenticated  # can_act refuses anonymous people (level EMAIL)
    if PanelMember.objects.filter(municipality=municipality, user=user).exists():
        raise AlreadyMember()
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return PanelMember.objects.create(
                    municipality=municipality,
                    user=user,
                    code=new_code(),
                    profile=cleaned,
                    consent_at=timezone.now(),
                )
        except IntegrityError:
            # Either this person joined meanwhile (another tab, a double click), or the
            # random code was taken: the first is final, the second is tried again.
            if PanelMember.objects.filter(municipality=municipality, user=user).exists():
                raise AlreadyMember() from None
    raise ActionRefused(_("Joining failed for a moment. Please try again."), status=503)


def do_update_profile(
    user: User | AnonymousUser, municipality: Municipality, profile: Mapping[str, str]
) -> PanelMember:
    """Replace the member's answers with ``profile`` (an answer left out is removed)."""
    if not user.is_authenticated:
        raise NotMember()
    cleaned = clean(municipality, profile)
    with transaction.atomic():
        member = (
            PanelMember.objects.select_for_update()
            .filter(municipality=municipality, user=user)
            .first()
        )
        if member is None:
            raise NotMember()
        member.profile = cleaned
        member.save(update_fields=["profile", "updated_at"])
    return member


def do_leave(user: User | AnonymousUser, municipality: Municipality) -> None:
    """Delete the membership and with it the profile; audited as ``panel.left``.

    Invitations the member received keep their code and stratum (for response rates) but
    lose the link to the member. The audit row holds neither the profile nor the code: the
    code is the member's name in published lotteries and must not be tied to the account.
    """
    if not user.is_authenticated:
        raise NotMember()
    with transaction.atomic():
        member = (
            PanelMember.objects.select_for_update()
            .filter(municipality=municipality, user=user)
            .first()
        )
        if member is None:
            raise NotMember()
        audit.record(
            "panel.left",
            actor=user,
            obj=member,
            municipality_id=municipality.pk,
            data={"invitations": member.invitations.count()},
        )
        member.delete()
