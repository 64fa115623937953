"""The Lillevik demo: a fictional nynorsk municipality deciding the future of its school.

Loaded once (``medvirk demo`` calls :func:`load_demo`); every write goes through the same
action functions the web uses, so the demo also exercises the audit log and the loop.
Dates are relative to the moment of loading, so the survey is always open in the demo.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from medvirk.accountability import actions as accountability
from medvirk.accountability.models import Response, ResponseStatus
from medvirk.contributions.models import Contribution
from medvirk.identity.models import User
from medvirk.organisations.models import Malform, Membership, Municipality, Role
from medvirk.planning.demo import seed_plan
from medvirk.processes import actions as processes
from medvirk.processes import registry
from medvirk.processes.models import PhaseKind, Process, ProcessStatus

from . import content

SEED = 20261123


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str


DEMO_LOGINS: list[DemoLogin] = [
    DemoLogin("resident (innbyggjar)", "innbyggjar", "lillevik-innbyggjar"),
    DemoLogin("case officer (sakshandsamar)", "sakshandsamar", "lillevik-sak"),
    DemoLogin("moderator", "moderator", "lillevik-moderator"),
    DemoLogin("administrator", "admin", "lillevik-admin"),
]


def _user(login: DemoLogin, **extra: object) -> User:
    user = User(username=login.username, email=f"{login.username}@lillevik.example.org", **extra)
    user.set_password(login.password)
    user.save()
    return user


def load_demo(now: dt.datetime | None = None) -> bool:
    """Create the demo once. Returns False when it is already there."""
    if Municipality.objects.filter(slug=content.MUNICIPALITY["slug"]).exists():
        return False
    now = now or timezone.now()
    rng = random.Random(SEED)
    # The demo's own answers should not send e-mail to example.org addresses.
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
        transaction.atomic(),
    ):
        _build(now, rng)
    return True


def _build(now: dt.datetime, rng: random.Random) -> None:
    lillevik = Municipality.objects.create(**content.MUNICIPALITY, malform=Malform.NYNORSK)
    resident = _user(DEMO_LOGINS[0], display_name="Kari Nordmann", email_verified=True)
    officer = _user(DEMO_LOGINS[1], first_name="Sigrid", last_name="Vik")
    moderator = _user(DEMO_LOGINS[2], first_name="Ola", last_name="Strand")
    admin = _user(DEMO_LOGINS[3], is_staff=True, is_superuser=True)
    Membership.objects.create(user=officer, municipality=lillevik, role=Role.CASE_OFFICER)
    Membership.objects.create(user=moderator, municipality=lillevik, role=Role.MODERATOR)
    Membership.objects.create(user=admin, municipality=lillevik, role=Role.ADMINISTRATOR)
    # Checking identities in person is a role of its own; the demo's administrator has it too.
    Membership.objects.create(user=admin, municipality=lillevik, role=Role.IDENTITY_OFFICER)
    del resident  # the resident's own input is given through the web in the demo

    process = processes.do_save_process(
        officer, lillevik, {**content.PROCESS, "status": ProcessStatus.PUBLISHED}
    )
    day = dt.timedelta(days=1)
    phases = {}
    for kind, name, description, start, end in (
        (PhaseKind.INVESTIGATION, "Utgreiing", content.PHASES[0], now - 30 * day, now + 30 * day),
        (PhaseKind.ALTERNATIVES, "Alternativ", content.PHASES[1], now + 30 * day, now + 75 * day),
        (PhaseKind.DECISION, "Vedtak", content.PHASES[2], now + 75 * day, now + 120 * day),
    ):
        phases[kind] = processes.do_save_phase(
            officer, process, name=name, kind=kind, start=start, end=end, description=description
        )
    # Every method that describes its demo instance gets one, seeded by the method itself.
    for plugin in registry.all_plugins():
        if plugin.demo is None:
            continue
        instance = processes.do_save_method(
            officer,
            process,
            phase=phases.get(PhaseKind(plugin.demo.phase_kind), phases[PhaseKind.INVESTIGATION]),
            method_key=plugin.key,
            slug=plugin.demo.slug,
            title=plugin.demo.title,
            description=plugin.demo.description,
            raw_settings=plugin.demo.settings,
            is_published=True,
        )
        plugin.demo_seed(instance, rng)
    _answer_some(officer, process, rng)
    seed_plan(process, officer)
    accountability.do_decide(
        officer,
        process,
        body="Kommunestyret i Lillevik",
        text=content.PENDING_DECISION,
        date=None,
        pending=True,
        response_ids=list(
            Response.objects.filter(contribution__process=process).values_list("pk", flat=True)
        ),
    )


def _answer_some(officer: User, process: Process, rng: random.Random) -> None:
    """Give reasoned answers to a share of the input, in a few batches as staff would."""
    ids = list(
        Contribution.objects.filter(process=process).order_by("pk").values_list("pk", flat=True)
    )
    chosen = rng.sample(ids, k=min(len(ids), 60))
    batches = [
        (chosen[:25], ResponseStatus.UNDER_REVIEW, content.RESPONSES["under_review"]),
        (chosen[25:40], ResponseStatus.ADOPTED, content.RESPONSES["adopted"]),
        (chosen[40:50], ResponseStatus.PARTLY_ADOPTED, content.RESPONSES["partly_adopted"]),
        (chosen[50:55], ResponseStatus.NOT_ADOPTED, content.RESPONSES["not_adopted"]),
        (chosen[55:60], ResponseStatus.OUT_OF_SCOPE, content.RESPONSES["out_of_scope"]),
    ]
    for batch, status, reason in batches:
        if batch:
            accountability.do_respond(officer, process, batch, status, reason)
