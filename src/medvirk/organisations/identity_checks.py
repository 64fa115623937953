"""Staff check a person's identity document face to face (for people without e-ID).

The check is a staff action in one municipality, so it lives with the roles: identity
stands below organisations and only keeps the record (``InPersonVerification``).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from medvirk.algorithms.text import fodselsnummer
from medvirk.core import audit
from medvirk.core.errors import ActionRefused
from medvirk.identity import hashing
from medvirk.identity.models import DocumentKind, InPersonVerification, User
from medvirk.vocabulary import Capability

from . import capabilities
from .models import Municipality

IN_PERSON = "in_person"


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


def do_verify_in_person(
    staff: User,
    municipality: Municipality,
    person: User,
    document_kind: str,
    national_id: str = "",
) -> InPersonVerification:
    """Record that staff checked a person's identity document face to face."""
    if not capabilities.staff_can(staff, Capability.VERIFY_IDENTITY, municipality):
        raise ActionRefused(_("You cannot verify identities for this municipality."), status=403)
    if document_kind not in DocumentKind.values:
        raise ActionRefused(_("Choose which document you checked."))
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
        if nid_hash:
            if locked.national_id_hash and locked.national_id_hash != nid_hash:
                raise ActionRefused(
                    _("This account is already verified with another identity number.")
                )
            if User.objects.filter(national_id_hash=nid_hash).exclude(pk=locked.pk).exists():
                raise ActionRefused(
                    _("Another account is already verified with this identity number.")
                )
            locked.national_id_hash = nid_hash
        locked.verified_at = timezone.now()
        locked.verified_via = IN_PERSON
        locked.save(update_fields=["national_id_hash", "verified_at", "verified_via"])
        check = InPersonVerification.objects.create(
            user=locked,
            verified_by=staff,
            municipality=municipality,
            document_kind=document_kind,
        )
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
