"""Staff check a person's identity document face to face (for people without e-ID).

The check is a staff action in one municipality, so it lives with the roles: identity
stands below organisations and only keeps the record (``InPersonVerification``).

What "in one municipality" means (issue 15):

- Only an **identity officer** of that municipality may check (the ``verify_identity``
  capability; no other role has it, administrators give it on the roles page).
- The check is recorded *for* that municipality. The verified level then counts on the whole
  platform — the person has one account — and the person sees it on My page as "verified in
  person by <municipality>", with the document, and can dispute it.
- The check is about a resident's account, never about a colleague's: accounts with a staff
  role in **any** municipality (or Django's ``is_staff``) are verified by e-ID only, since a
  number bound to them would let whoever holds that number log in as them.
- An account verified by e-ID is not checked again (it has a better verification), and a
  national identity number is only ever bound to an account that has none — never replaced
  or confirmed (that would tell the officer whether a number belongs to the account).
- The document is recorded: its kind, the last four characters of its number and its expiry
  date (an expired document is refused). The whole number is never stored.
- While the person has an unreviewed dispute about an earlier check, no new check is made.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.algorithms.text import fodselsnummer
from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.identity import hashing
from medvirk.identity.actions import IN_PERSON
from medvirk.identity.models import DocumentKind, InPersonVerification, User
from medvirk.vocabulary import Capability

from . import capabilities
from .models import Municipality
from .queries import municipalities_where

LAST4 = re.compile(r"^[A-Z0-9]{4}$")
# The longest-lived Norwegian document (driving licence) runs 15 years; a later date is a typo.
LONGEST_VALIDITY = dt.timedelta(days=15 * 366)


def find_person(query: str) -> User:
    """One account by exact username or e-mail; refuse when none or several match."""
    query = query.strip()
    if not query:
        raise ActionRefused(_("Enter the person's username or e-mail address."))
    matches = list(
        User.objects.filter(Q(username__iexact=query) | Q(email__iexact=query), is_active=True)[:2]
    )
    if not matches:
        raise ActionRefused(_("No account has this username or e-mail address."))
    if len(matches) > 1:
        raise ActionRefused(
            _("Several accounts have this e-mail address. Use the username instead.")
        )
    return matches[0]


def _document(kind: str, last4: str, expires: dt.date | None) -> str:
    """Check what the officer recorded of the document; return the normalised last four."""
    if kind not in DocumentKind.values:
        raise ActionRefused(_("Choose which document you checked."))
    last4 = "".join(last4.split()).upper()
    if not LAST4.match(last4):
        raise ActionRefused(_("Enter the last four letters or digits of the document's number."))
    today = timezone.localdate()
    if expires is None:
        raise ActionRefused(_("Enter the date the document is valid until."))
    if expires < today:
        raise ActionRefused(_("The document has expired. Check a valid document."))
    if expires > today + LONGEST_VALIDITY:
        raise ActionRefused(_("Check the document's expiry date: it is too far ahead."))
    return last4


def do_verify_in_person(
    staff: User,
    municipality: Municipality,
    person: User,
    document_kind: str,
    document_last4: str,
    document_expires: dt.date | None,
    national_id: str = "",
) -> InPersonVerification:
    """Record that an identity officer checked a person's identity document face to face."""
    if not capabilities.staff_can(staff, Capability.VERIFY_IDENTITY, municipality):
        raise ActionRefused(_("You cannot verify identities for this municipality."), status=403)
    last4 = _document(document_kind, document_last4, document_expires)
    if person.pk == staff.pk:
        raise ActionRefused(_("You cannot verify your own identity."), status=403)
    national_id = "".join(national_id.split())
    nid_hash = None
    if national_id:
        if not fodselsnummer.is_valid(national_id):
            raise ActionRefused(_("The national identity number is not valid."))
        nid_hash = hashing.national_id_hash(national_id)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=person.pk)
        if not locked.is_active:
            raise ActionRefused(_("This account is closed."), status=403)
        if capabilities.is_staff_account(locked):
            raise ActionRefused(
                _("Staff accounts are verified with e-ID only, not in person."), status=403
            )
        if locked.verified_at is not None and locked.verified_via != IN_PERSON:
            raise ActionRefused(
                _("This account is already verified with e-ID. No check in person is needed."),
                status=409,
            )
        if InPersonVerification.objects.filter(
            user=locked, disputed_at__isnull=False, reviewed_at__isnull=True
        ).exists():
            raise ActionRefused(
                _(
                    "The person has disputed an earlier identity check. An administrator must "
                    "review it before a new check is registered."
                ),
                status=409,
            )
        if nid_hash:
            if locked.national_id_hash:
                raise ActionRefused(
                    _(
                        "This account already has a national identity number. It cannot be "
                        "changed here; register the check without the number."
                    ),
                    status=409,
                )
            if User.objects.filter(national_id_hash=nid_hash).exclude(pk=locked.pk).exists():
                raise ActionRefused(
                    _("Another account is already verified with this identity number."),
                    status=409,
                )
            locked.national_id_hash = nid_hash
            born = fodselsnummer.birth_date(national_id)
            locked.birth_year = born.year if born else None
        locked.verified_at = timezone.now()
        locked.verified_via = IN_PERSON
        locked.save(update_fields=["national_id_hash", "birth_year", "verified_at", "verified_via"])
        check = InPersonVerification.objects.create(
            user=locked,
            verified_by=staff,
            municipality=municipality,
            document_kind=document_kind,
            document_last4=last4,
            document_expires=document_expires,
            bound_national_id=bool(nid_hash),
        )
        # The document's digits stay out of the append-only log (they are the person's data,
        # erased with the check); the log says who checked whom, with what kind of document.
        audit.record(
            "identity.verified_in_person",
            actor=staff,
            obj=check,
            municipality_id=municipality.pk,
            data={
                "person": locked.pk,
                "document_kind": document_kind,
                "with_national_id": bool(nid_hash),
            },
        )
    return check


# -- disputes: the person said "this was not me"; administrators review ----------------------


def open_disputes(staff: User) -> QuerySet[InPersonVerification]:
    """Unreviewed disputes about checks made for municipalities the person administers."""
    return (
        InPersonVerification.objects.filter(
            municipality__in=municipalities_where(staff, Capability.MANAGE_ROLES),
            disputed_at__isnull=False,
            reviewed_at__isnull=True,
        )
        .select_related("municipality", "user", "verified_by")
        .order_by("disputed_at", "pk")
    )


def do_review_dispute(staff: User, check_id: int, note: str) -> InPersonVerification:
    """An administrator of the check's municipality records what they found (audited).

    The review does not give the verification back: a person rightly checked logs in with
    e-ID or is checked again. It closes the dispute, so new checks of the person are
    possible again; what the administrator found (for example that an identity officer's
    role was revoked) is in the note.
    """
    note = note.strip()
    if not note:
        raise ActionRefused(_("Write what you found."))
    with transaction.atomic():
        check = (
            InPersonVerification.objects.select_for_update()
            .filter(pk=check_id, disputed_at__isnull=False)
            .first()
        )
        if check is None or not capabilities.staff_can(
            staff, Capability.MANAGE_ROLES, check.municipality_id
        ):
            raise ActionRefused(_("There is no such dispute for you to review."), status=404)
        if check.reviewed_at is not None:
            raise ActionRefused(_("This dispute has already been reviewed."), status=409)
        if check.verified_by_id == staff.pk:
            # An administrator who is also an identity officer does not judge their own check.
            raise ActionRefused(
                _("You made this check. Another administrator must review the dispute."),
                status=403,
            )
        check.reviewed_at = timezone.now()
        check.reviewed_by = staff
        check.review_note = note[:2000]
        check.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
        audit.record(
            "identity.dispute_reviewed",
            actor=staff,
            obj=check,
            municipality_id=check.municipality_id,
            data={"person": check.user_id, "verified_by": check.verified_by_id},
        )
    return check
