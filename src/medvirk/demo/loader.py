"""The Lillevik demo: a fictional nynorsk municipality deciding the future of its school.

Loaded once (``medvirk demo`` calls :func:`load_demo`); every write goes through the same
action functions the web uses, so the demo also exercises the audit log and the loop.
Dates are relative to the moment of loading, so the survey is always open in the demo.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import weasyprint
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.html import escape

from medvirk.accountability import actions as accountability
from medvirk.accountability import inbox
from medvirk.accountability.models import Response
from medvirk.contributions import actions as contributions
from medvirk.contributions.models import Contribution, ModerationState, Report, Theme
from medvirk.core import uploads
from medvirk.identity.models import User
from medvirk.insights.demo import seed_population
from medvirk.organisations.models import Malform, Membership, Municipality, Role
from medvirk.planning.demo import seed_plan
from medvirk.processes import actions as processes
from medvirk.processes import documents, registry
from medvirk.processes.models import MethodInstance, PhaseKind, Process, ProcessStatus

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
    # An elected member of the council: answers in discussions as herself, marked with the
    # role, and has no staff area.
    DemoLogin("elected representative (folkevald)", "folkevald", "lillevik-folkevald"),
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
    politician = _user(DEMO_LOGINS[4], first_name="Marit", last_name="Bakke")
    Membership.objects.create(user=officer, municipality=lillevik, role=Role.CASE_OFFICER)
    Membership.objects.create(user=moderator, municipality=lillevik, role=Role.MODERATOR)
    Membership.objects.create(user=admin, municipality=lillevik, role=Role.ADMINISTRATOR)
    Membership.objects.create(user=politician, municipality=lillevik, role=Role.POLITICIAN)
    # Checking identities in person is a role of its own; the demo's administrator has it too.
    Membership.objects.create(user=admin, municipality=lillevik, role=Role.IDENTITY_OFFICER)
    del resident  # the resident's own input is given through the web in the demo
    # Lillevik keeps the default: free text from anonymous residents waits for approval.

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
    # Every method that describes its demo instance gets one, seeded by the method itself
    # once all exist (a panel's draw invites to the case's survey).
    created = []
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
        created.append((plugin, instance))
    for plugin, instance in created:
        plugin.demo_seed(instance, rng)
    _moderate(moderator, process)
    for title, status, text in content.ANSWER_TEMPLATES:
        inbox.do_save_answer_template(admin, lillevik, title=title, status=status, text=text)
    _sort_and_answer(officer, process)
    _add_documents(officer, process)
    seed_plan(process, officer)
    seed_population(lillevik)
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


def _moderate(moderator: User, process: Process) -> None:
    """The moderator approves the waiting input, all but the last few (so the queue shows
    work), and takes down one published question after a resident reported it."""
    waiting = list(
        Contribution.objects.filter(process=process, moderation=ModerationState.PENDING).order_by(
            "pk"
        )
    )
    for item in waiting[:-4]:
        contributions.do_approve(moderator, item)
    question = MethodInstance.objects.filter(process=process, method_key="information").first()
    if question is None:
        return
    attack = contributions.do_contribute(
        AnonymousUser(),
        question,
        "ask_question",
        contributions.Draft(kind="question", text=content.HIDDEN_INPUT),
    ).contribution
    contributions.do_approve(moderator, attack)
    contributions.do_report(attack, Report.Reason.OFFENSIVE, "", "session:demo-reporter")
    contributions.do_hide(moderator, attack, content.HIDDEN_REASON)


def _sort_and_answer(officer: User, process: Process) -> None:
    """Sort the input that asks for an answer into themes and duplicate groups as a case
    officer would, and answer some groups with a text that fits every input in them."""
    waiting = list(
        Contribution.objects.filter(process=process, needs_answer=True)
        .exclude(moderation=ModerationState.HIDDEN)
        .order_by("pk")
        .values_list("pk", "text")
    )
    for name, words in content.THEMES.items():
        ids = [pk for pk, text in waiting if any(w in text.lower() for w in words)]
        if ids:
            inbox.do_add_to_theme(officer, process, ids, new_name=name, kind=Theme.Kind.THEME)
    for name, (marker, status, answer) in content.DUPLICATE_GROUPS.items():
        ids = [pk for pk, text in waiting if marker in text]
        if not ids:
            continue
        group = inbox.do_add_to_theme(
            officer, process, ids, new_name=name, kind=Theme.Kind.DUPLICATES
        )
        if answer:
            # As from the group page: the preview showed every member with no answer yet.
            inbox.do_answer_group(
                officer,
                process,
                group,
                previewed=ids,
                status=status,
                reason=answer,
                versions=dict.fromkeys(ids, 0),
            )


def _pdf(heading: str, paragraphs: tuple[str, ...]) -> bytes:
    """A small tagged PDF with the document's text (the demo's case documents)."""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    html = (
        f'<html lang="nn"><head><title>{escape(heading)}</title></head>'
        f"<body><h1>{escape(heading)}</h1>{body}<p>Lillevik kommune (fiktiv).</p></body></html>"
    )
    return bytes(weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"))


def _add_documents(officer: User, process: Process) -> None:
    for title, kind, description, heading, paragraphs in content.DOCUMENTS:
        upload = SimpleUploadedFile(
            f"{heading}.pdf", _pdf(heading, paragraphs), content_type="application/pdf"
        )
        checked = uploads.check_upload(upload, uploads.DOCUMENT_KINDS)
        documents.do_add_document(
            officer,
            process,
            {"title": title, "kind": kind, "description": description, "is_published": True},
            checked,
        )
