"""The one set of test builders, made through the application's own actions.

Processes, phases, method instances, staff roles, contributions, responses and survey
questions and answers go through the same ``do_…`` functions as real use, so test data
passes the same validation and writes the same audit rows. Where an action needs a staff
member, a builder takes one (``by=``) or uses the municipality's administrator
(:func:`administrator`, made on demand).

Tests that check what *their own* action wrote to the audit log take
:func:`audit_mark` first and read :func:`audited_since` after, because building the data
has written audit rows of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import count
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Max, QuerySet
from django.utils import timezone

from medvirk.accountability.actions import do_respond
from medvirk.accountability.models import Response, ResponseStatus
from medvirk.contributions.actions import Draft, do_contribute
from medvirk.contributions.models import Contribution
from medvirk.core.models import AuditEntry
from medvirk.identity import eligibility, hashing
from medvirk.identity.models import User
from medvirk.organisations.actions import do_grant_role
from medvirk.organisations.models import Malform, Membership, Municipality, Role
from medvirk.processes.actions import do_save_method, do_save_phase, do_save_process
from medvirk.processes.models import MethodInstance, Phase, PhaseKind, Process, ProcessStatus

_seq = count(1)
DAY = dt.timedelta(days=1)
PHASE_LENGTH = 20 * DAY


# --- municipalities, people and roles --------------------------------------------------


def municipality(name: str = "Testvik", *, numbered: bool = True, **extra: object) -> Municipality:
    """A municipality. Plain model creation: no action makes one (the operator sets it up).

    ``numbered`` adds a number to the name and slug so several can coexist; pass
    ``numbered=False`` for a fixed name such as "Lillevik" (slug "lillevik").
    """
    n = next(_seq)
    values: dict[str, object] = {
        "name": f"{name} {n}" if numbered else name,
        "slug": f"{name.lower()}-{n}" if numbered else name.lower(),
        "kommunenummer": f"{1000 + n % 9000:04d}",  # four digits however many are made
        "inhabitants": 4000,
        "malform": Malform.NYNORSK,
        # Post-moderation: what the builders add is public at once, as the tests written
        # before pre-moderation expect. tests/moderation chooses each mode itself.
        "moderation_mode": "post",
    }
    values.update(extra)
    return Municipality.objects.create(**values)


def user(
    username: str | None = None, *, email: str | None = None, password: str = "pw", **extra: object
) -> User:
    """A person's account. Plain model creation: people sign up through a form, not an action."""
    name = username or f"person{next(_seq)}"
    u = User(username=name, email=f"{name}@example.org" if email is None else email, **extra)
    u.set_password(password)
    u.save()
    return u


def verified(username: str | None = None, *, national_id: str | None = None, **extra: Any) -> User:
    """A person logged in with e-ID: the keyed hash and year of birth of ``national_id``
    (a test person's synthetic number, see ``identity.providers.TEST_PEOPLE``)."""
    number = national_id or f"{next(_seq):011d}"
    return user(
        username,
        national_id_hash=hashing.national_id_hash(number),
        birth_year=eligibility.birth_year_of(number),
        verified_at=timezone.now(),
        verified_via="test",
        **extra,
    )


def _first_administrator(org: Municipality) -> User | None:
    # A fresh instance each time: the capability check memoises roles on the user object,
    # and the builders' checks must not leave that memo on the objects a test holds.
    return (
        User.objects.filter(memberships__municipality=org, memberships__role=Role.ADMINISTRATOR)
        .order_by("pk")
        .first()
    )


def administrator(org: Municipality) -> User:
    """The municipality's first administrator, made on demand: the staff actor of builders.

    The first administrator of a municipality is set up by the operator; no action grants
    a role without an administrator, so this one membership is plain model creation.
    """
    existing = _first_administrator(org)
    if existing is not None:
        return existing
    admin = user(f"admin-{org.slug}")
    Membership.objects.create(user=admin, municipality=org, role=Role.ADMINISTRATOR)
    return admin


def staff(
    org: Municipality,
    role: str = Role.CASE_OFFICER,
    username: str | None = None,
    *,
    by: User | None = None,
    **user_extra: Any,
) -> User:
    """A person with a role in ``org``, granted through ``do_grant_role`` (audited)."""
    person = user(username, **user_extra)
    do_grant_role(by or administrator(org), org, person, role)
    return person


# --- processes, phases, method instances ------------------------------------------------


def process(
    org: Municipality,
    status: str = ProcessStatus.PUBLISHED,
    slug: str | None = None,
    *,
    by: User | None = None,
    **values: object,
) -> Process:
    """A case, saved through ``do_save_process``; ``values`` override its fields."""
    n = next(_seq)
    fields: dict[str, object] = {
        "slug": slug or f"sak-{n}",
        "title": f"Sak {n}",
        "summary": "Ei kort oppsummering.",
        "open_to_influence": "Kva alternativ vi vel.",
        "decided_by": "Kommunestyret",
        "status": status,
    }
    fields.update(values)
    return do_save_process(by or administrator(org), org, fields)


def phase(
    proc: Process,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    kind: str = PhaseKind.INVESTIGATION,
    *,
    name: str | None = None,
    description: str = "",
    by: User | None = None,
) -> Phase:
    """A phase, saved through ``do_save_phase`` (which refuses overlapping phases).

    Without ``start`` and ``end``, the first phase of a case runs from ten days ago to ten
    days ahead, and each further one starts where the latest one ends, so calling this
    twice never overlaps. Give ``start`` or ``end`` and the other is 20 days away.
    """
    if start is None and end is None:
        latest = proc.phases.order_by("-end").first()
        start = latest.end if latest is not None else timezone.now() - 10 * DAY
    if start is None:
        assert end is not None
        start = end - PHASE_LENGTH
    if end is None:
        end = start + PHASE_LENGTH
    return do_save_phase(
        by or administrator(proc.municipality),
        proc,
        name=name or f"Fase {next(_seq)}",
        kind=kind,
        start=start,
        end=end,
        description=description,
    )


def method(
    proc: Process,
    ph: Phase,
    key: str = "information",
    published: bool = True,
    *,
    slug: str | None = None,
    title: str = "Metode",
    description: str = "",
    settings: Mapping[str, Any] | None = None,
    identity_levels: Mapping[str, int] | None = None,
    by: User | None = None,
) -> MethodInstance:
    """A method instance, saved through ``do_save_method`` (the method validates settings)."""
    return _save_method(
        by or administrator(proc.municipality),
        proc,
        settings=settings or {},
        phase=ph,
        method_key=key,
        slug=slug or f"metode-{next(_seq)}",
        title=title,
        description=description,
        identity_levels=identity_levels,
        is_published=published,
    )


def _save_method(
    staff_member: User, proc: Process, *, settings: Mapping[str, Any], **fields: Any
) -> MethodInstance:
    # The one call of do_save_method in the tests: if its settings argument changes name
    # or type, only this line changes.
    return do_save_method(staff_member, proc, raw_settings=settings, **fields)


# --- input and answers ------------------------------------------------------------------

# The action and kind of a resident's plain written input, per method that takes one.
# (Survey answers have their own builder: survey_answer.)
PLAIN_INPUT: dict[str, tuple[str, str]] = {"information": ("ask_question", "question")}


def contribution(
    instance: MethodInstance,
    author: User | None = None,
    text: str = "Eit innspel",
    *,
    action: str | None = None,
    kind: str | None = None,
    registered_by: User | None = None,
    **draft: Any,
) -> Contribution:
    """One contribution through ``do_contribute``: the same checks, masking and audit.

    ``author`` None is an anonymous resident; ``draft`` takes the other :class:`Draft`
    fields (``contact_email``, ``author_name``, ``show_name``, ``channel``, ``data``).
    """
    default_action, default_kind = PLAIN_INPUT.get(instance.method_key, ("", ""))
    receipt = do_contribute(
        author if author is not None else AnonymousUser(),
        instance,
        default_action if action is None else action,
        Draft(kind=kind or default_kind, text=text, **draft),
        registered_by=registered_by,
    )
    return receipt.contribution


def response(
    item: Contribution,
    status: str = ResponseStatus.RECEIVED,
    reason: str = "",
    *,
    by: User | None = None,
) -> Response:
    """The municipality's answer to one contribution, through ``do_respond`` (audited)."""
    proc = item.process
    do_respond(by or administrator(proc.municipality), proc, [item.pk], status, reason)
    return Response.objects.get(contribution=item)


# --- the audit log ----------------------------------------------------------------------


def audit_mark() -> int:
    """The audit log's last row number now: take it after building, before acting."""
    last: int | None = AuditEntry.objects.aggregate(last=Max("seq"))["last"]
    return last or 0


def audited_since(mark: int) -> QuerySet[AuditEntry]:
    """The audit rows written after :func:`audit_mark` returned ``mark``, oldest first."""
    return AuditEntry.objects.filter(seq__gt=mark).order_by("seq")


# --- a small world ----------------------------------------------------------------------


@dataclass
class World:
    org: Municipality
    other_org: Municipality
    officer: User
    moderator: User
    admin: User
    other_officer: User
    resident: User
    process: Process
    phase: Phase
    method: MethodInstance


def world() -> World:
    """Lillevik with its only administrator, a case officer and a moderator; Andrevik with a
    case officer; a resident; a published case in Lillevik with a running phase and an
    information method."""
    org = municipality("Lillevik")
    other = municipality("Andrevik")
    admin = administrator(org)  # first, so it stays Lillevik's only administrator
    proc = process(org)
    ph = phase(proc)
    return World(
        org=org,
        other_org=other,
        officer=staff(org, Role.CASE_OFFICER),
        moderator=staff(org, Role.MODERATOR),
        admin=admin,
        other_officer=staff(other, Role.CASE_OFFICER),
        resident=user(),
        process=proc,
        phase=ph,
        method=method(proc, ph),
    )
