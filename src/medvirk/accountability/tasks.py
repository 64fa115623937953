"""Background work for closing the loop: the receipt when input comes in, the answer to it,
the decision to everyone who took part, news to followers, and confirming a follow.

Every e-mail Medvirk sends leaves from a task, never while a person waits. Tasks take ids,
not links: links are made here, in the worker, so the queue never holds one. Every e-mail
about a case carries a signed link to stop e-mail about it (``unsubscribe``), and no task
writes to an address that used it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from medvirk.contributions.models import Contribution, ModerationState
from medvirk.core import audit, ratelimit
from medvirk.core.tokens import receipt_token
from medvirk.processes.models import Process

from . import contact, unsubscribe
from .models import Decision, Notification, Response, Subscription

if TYPE_CHECKING:
    from medvirk.identity.models import User

# At most this many links to a person's own input in one decision e-mail.
MAX_LINKS = 20


def _base() -> str:
    return str(settings.MEDVIRK_BASE_URL).rstrip("/")


def _sender(process: Process) -> str:
    return process.municipality.email_from or settings.DEFAULT_FROM_EMAIL


def _language(*candidates: str, fallback: str) -> str:
    """The first candidate the site speaks, else ``fallback`` (the municipality's)."""
    for code in (*candidates, fallback):
        if not code:
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return str(settings.LANGUAGE_CODE)


def long_date(day: dt.date) -> str:
    """A date in words in the active language: "3. desember 2026", "3 December 2026"."""
    return date_format(day, "j F Y" if translation.get_language() == "en" else "j. F Y")


def send_case_email(process: Process, address: str, subject: str, body: str) -> None:
    """One e-mail about the case, with the way out at its foot (in the active language).

    Every e-mail to a resident about a case goes through here; callers check
    ``unsubscribe.is_opted_out`` first.
    """
    link = unsubscribe.unsubscribe_link(process.pk, address)
    foot = _(
        "You get this e-mail about «%(title)s» from %(municipality)s. To get no more e-mail "
        "about this case, open: %(link)s"
    ) % {"title": process.title, "municipality": process.municipality.name, "link": link}
    EmailMessage(
        subject,
        f"{body.rstrip()}\n\n-- \n{foot}\n",
        _sender(process),
        [address],
        headers={"List-Unsubscribe": f"<{link}>"},
    ).send()


# -- the receipt: "mottatt" --------------------------------------------------------------


def _next_steps(contribution: Contribution, process: Process) -> list[str]:
    lines = []
    if contribution.moderation != ModerationState.PUBLISHED:
        lines.append(_("A moderator reads your input before it is shown publicly."))
    if contribution.needs_answer:
        lines.append(
            _(
                "The municipality reads all input and gives each a reasoned answer, as a rule "
                "within %(days)d days. We will e-mail you when your input has been answered."
            )
            % {"days": settings.MEDVIRK_ANSWER_DAYS}
        )
    else:
        lines.append(
            _(
                "Your answers count in the results, which the municipality publishes with its "
                "summary: that is its feedback to everyone who answered."
            )
        )
    if process.decided_by and process.decision_expected:
        lines.append(
            _("%(who)s makes the decision, expected %(date)s. We will tell you when it is made.")
            % {"who": process.decided_by, "date": long_date(process.decision_expected)}
        )
    elif process.decided_by:
        lines.append(
            _("%(who)s makes the decision. We will tell you when it is made.")
            % {"who": process.decided_by}
        )
    return lines


@task()
def acknowledge_contribution(contribution_id: int) -> int:
    """Tell the person their input was received ("mottatt"), with the private receipt link.

    E-mailed to the address given with the input, or a logged-in author's verified one;
    the author's account gets it as a message too. Nobody gave an address: nothing is sent.
    """
    contribution = (
        Contribution.objects.filter(pk=contribution_id)
        .select_related("process__municipality", "author", "method_instance")
        .first()
    )
    if contribution is None:  # erased meanwhile
        return 0
    author = contribution.author
    typed = contribution.contact_email.strip()
    # A tick that asks nothing (a poll vote, a survey of ticks only) is e-mailed only to an
    # address the person typed for it; a logged-in voter is not mailed for every click.
    address = typed or (contact.account_email(author) if contribution.needs_answer else "")
    if author is None and not address:
        return 0
    process = contribution.process
    offline = contribution.registered_by_id is not None
    language = _language(
        "" if offline else contribution.language,  # staff's screen says nothing of the person's
        author.preferred_language if author is not None else "",
        fallback=process.municipality.default_language,
    )
    with translation.override(language):
        link = _base() + contribution.receipt_url()
        subject = _("We have received your input to «%(title)s»") % {"title": process.title}
        where = contribution.method_instance.title if contribution.method_instance else ""
        intro = (
            _("Thank you. Your input to «%(title)s» (%(where)s) has been received.")
            if where
            else _("Thank you. Your input to «%(title)s» has been received.")
        ) % {"title": process.title, "where": where}
        parts = [
            intro,
            _(
                "Your private receipt: %(link)s\nThere you can see what you gave and, later, the "
                "municipality's answer and the decision. Anyone with the link can open it, so "
                "do not share it."
            )
            % {"link": link},
            _("What happens next:"),
            "\n".join(f"- {line}" for line in _next_steps(contribution, process)),
            _("The case: %(link)s") % {"link": _base() + process.get_absolute_url()},
        ]
        body = "\n\n".join(parts) + "\n"
        mailed = _may_acknowledge(process, address, typed, author)
        if mailed:
            send_case_email(process, address, subject, body)
        if author is not None or mailed:
            Notification.objects.create(
                user=author,
                email=address if mailed else "",
                contribution=contribution,
                subject=subject,
                body=body,
                link=link,
                sent_at=timezone.now() if mailed else None,
            )
    return int(mailed)


def _may_acknowledge(process: Process, address: str, typed: str, author: User | None) -> bool:
    if not address or unsubscribe.is_opted_out(process.pk, address):
        return False
    if typed and not contact.same_address(typed, contact.account_email(author)):
        # An address anyone can type is limited like a confirmation e-mail (a counter per
        # address), so the input forms cannot be used to flood someone's inbox.
        return ratelimit.hit("email_to", "receipt", typed.lower())
    return True


# -- the answer -------------------------------------------------------------------------


@task()
def notify_responses(response_ids: list[int]) -> int:
    """Notify each author (account and/or e-mail) that their input has an answer."""
    sent = 0
    responses = Response.objects.filter(pk__in=response_ids).select_related(
        "contribution__process__municipality", "contribution__author"
    )
    for response in responses:
        contribution = response.contribution
        author = contribution.author
        email = contribution.contact_email or (author.email if author is not None else "")
        if author is None and not email:
            continue
        process = contribution.process
        language = _language(
            "" if contribution.registered_by_id else contribution.language,
            author.preferred_language if author is not None else "",
            fallback=process.municipality.default_language,
        )
        with translation.override(language):
            link = _base() + contribution.receipt_url()
            subject = _("Your input to «%(title)s» has been answered") % {"title": process.title}
            body = _(
                "The municipality has answered your input.\n\nStatus: %(status)s\n\n"
                "%(reason)s\n\nSee your input and the answer: %(link)s\n"
            ) % {"status": response.get_status_display(), "reason": response.reason, "link": link}
            notification = Notification.objects.create(
                user=author,
                email=email,
                contribution=contribution,
                subject=subject,
                body=body,
                link=link,
            )
            if email and not unsubscribe.is_opted_out(process.pk, email):
                send_case_email(process, email, subject, body)
                notification.sent_at = timezone.now()
                notification.save(update_fields=["sent_at"])
                sent += 1
    return sent


# -- news to followers ------------------------------------------------------------------


def _followers(process: Process) -> list[Subscription]:
    followers = list(
        Subscription.objects.filter(process=process, confirmed_at__isnull=False).order_by("pk")
    )
    stopped = unsubscribe.opted_out(process.pk, (s.email for s in followers))
    return [s for s in followers if s.email.lower() not in stopped]


@task()
def notify_subscribers(process_id: int, event: str) -> int:
    """Tell confirmed followers of a process that its status changed, each in their language.

    A decision is not news sent here: ``announce_decision`` tells followers and everyone who
    took part once.
    """
    process = Process.objects.select_related("municipality").get(pk=process_id)
    link = _base() + process.get_absolute_url()
    sent = 0
    for subscription in _followers(process):
        language = _language(subscription.language, fallback=process.municipality.default_language)
        with translation.override(language):
            subject = _("News in «%(title)s»") % {"title": process.title}
            news = _("The status of the case has changed: %(status)s.") % {
                "status": process.get_status_display()
            }
            send_case_email(process, subscription.email, subject, f"{news}\n\n{link}\n")
            sent += 1
    return sent


# -- the decision -----------------------------------------------------------------------


@dataclass
class Person:
    """Everyone the announcement reaches once: one account and/or one address."""

    users: list[User] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)  # lowercased, in the order met
    contributions: list[Contribution] = field(default_factory=list)
    follow_languages: list[str] = field(default_factory=list)

    @property
    def address(self) -> str:
        """Where the one e-mail goes: the account's verified address, else the first given."""
        for user in self.users:
            verified = contact.account_email(user)
            if verified:
                return verified
        return self.addresses[0] if self.addresses else ""

    def language(self, fallback: str) -> str:
        own = [u.preferred_language for u in self.users]
        given = [c.language for c in reversed(self.contributions) if c.registered_by_id is None]
        return _language(*own, *given, *self.follow_languages, fallback=fallback)


class _Groups:
    """Union-find over "user:<pk>" and "email:<address>": one person per component."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def join(self, keys: list[str]) -> str:
        root = self.find(keys[0])
        for key in keys[1:]:
            other = self.find(key)
            if other != root:
                self.parent[other] = root
        return root


def _contribution_keys(contribution: Contribution) -> list[str]:
    keys = []
    if contribution.author_id is not None:
        keys.append(f"user:{contribution.author_id}")
    for address in (contribution.contact_email, contact.account_email(contribution.author)):
        if address.strip():
            keys.append(f"email:{address.strip().lower()}")
    return keys


def people_to_tell(process: Process) -> list[Person]:
    """Everyone who gave input to the case (an account or an address) and every confirmed
    follower, each once: input and follows that share an account or an address (in any
    case of letters) are one person."""
    contributions = list(
        Contribution.objects.filter(process=process)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    follows = list(Subscription.objects.filter(process=process, confirmed_at__isnull=False))
    groups = _Groups()
    items: list[tuple[str, Contribution | Subscription]] = []
    for contribution in contributions:
        keys = _contribution_keys(contribution)
        if keys:
            items.append((groups.join(keys), contribution))
    for follow in follows:
        items.append((groups.join([f"email:{follow.email.strip().lower()}"]), follow))
    people: dict[str, Person] = {}
    for key, item in items:
        person = people.setdefault(groups.find(key), Person())
        if isinstance(item, Subscription):
            _add_address(person, item.email)
            person.follow_languages.append(item.language)
            continue
        person.contributions.append(item)
        if item.author is not None and all(u.pk != item.author_id for u in person.users):
            person.users.append(item.author)
        for address in (item.contact_email, contact.account_email(item.author)):
            _add_address(person, address)
    return list(people.values())


def _add_address(person: Person, address: str) -> None:
    address = address.strip().lower()
    if address and address not in person.addresses:
        person.addresses.append(address)


def _decision_body(decision: Decision, process: Process, person: Person) -> str:
    facts = [_("Decided by: %(body)s") % {"body": decision.body}]
    if decision.date is not None:
        facts.append(_("Date: %(date)s") % {"date": long_date(decision.date)})
    if decision.case_number:
        facts.append(_("Case number: %(number)s") % {"number": decision.case_number})
    if decision.meeting_record_url:
        facts.append(
            _("Meeting record (møtebok): %(link)s") % {"link": decision.meeting_record_url}
        )
    if person.contributions:
        intro = _("You took part in «%(title)s». The case has now been decided.")
    else:
        intro = _("You follow «%(title)s». The case has now been decided.")
    parts = [intro % {"title": process.title}, "\n".join(facts), decision.text]
    own = person.contributions[:MAX_LINKS]
    if own:
        heading = ngettext(
            "Your input and the municipality's answer to it:",
            "Your inputs and the municipality's answers to them:",
            len(person.contributions),
        )
        links = "\n".join(f"- {_base()}{c.receipt_url()}" for c in own)
        parts.append(f"{heading}\n{links}")
    parts.append(_("The case: %(link)s") % {"link": _base() + process.get_absolute_url()})
    return "\n\n".join(parts) + "\n"


@task()
def announce_decision(decision_id: int) -> int:
    """Tell everyone who gave input to the case and every follower of a decision, once each,
    in their own language; audited with the counts only (no addresses)."""
    decision = (
        Decision.objects.filter(pk=decision_id, announced_at__isnull=False)
        .select_related("process__municipality")
        .first()
    )
    if decision is None:
        return 0
    process = decision.process
    people = people_to_tell(process)
    stopped = unsubscribe.opted_out(process.pk, (a for p in people for a in p.addresses))
    sent = accounts = skipped = 0
    for person in people:
        with translation.override(person.language(process.municipality.default_language)):
            subject = _("Decision in «%(title)s»") % {"title": process.title}
            body = _decision_body(decision, process, person)
            address = person.address
            mailed = bool(address) and not (set(person.addresses) | {address.lower()}) & stopped
            if address and not mailed:
                skipped += 1
            if mailed:
                send_case_email(process, address, subject, body)
                sent += 1
            first = person.contributions[0] if person.contributions else None
            notified = _notify_accounts(person, first, subject, body, process, address, mailed)
            accounts += notified
    audit.record(
        "decision.announced",
        obj=decision,
        municipality_id=process.municipality_id,
        data={"emails": sent, "accounts": accounts, "opted_out": skipped, "people": len(people)},
    )
    return sent


def _notify_accounts(
    person: Person,
    first: Contribution | None,
    subject: str,
    body: str,
    process: Process,
    address: str,
    mailed: bool,
) -> int:
    """A message in each account of the person, and a record of the e-mail to an address
    that gave input (a follower's address alone is kept nowhere else)."""
    link = _base() + process.get_absolute_url()
    sent_at = timezone.now() if mailed else None
    rows = [
        Notification(
            user=user,
            email=address if mailed else "",
            contribution=first,
            subject=subject,
            body=body,
            link=link,
            sent_at=sent_at,
        )
        for user in person.users
    ]
    if not rows and first is not None and mailed:
        rows.append(
            Notification(
                email=address,
                contribution=first,
                subject=subject,
                body=body,
                link=link,
                sent_at=sent_at,
            )
        )
    Notification.objects.bulk_create(rows)
    return len(person.users)


# -- following: double opt-in -----------------------------------------------------------


def subscription_token(subscription: Subscription) -> str:
    """The secret in a subscription's confirmation link (HMAC of its stored nonce)."""
    return receipt_token(-subscription.pk, subscription.token_hash)


@task()
def send_subscription_confirmation(subscription_id: int, language: str) -> int:
    """Ask the address to confirm that it wants to follow the case (double opt-in)."""
    subscription = (
        Subscription.objects.filter(pk=subscription_id, confirmed_at__isnull=True)
        .select_related("process__municipality")
        .first()
    )
    if subscription is None:  # confirmed meanwhile, or erased
        return 0
    process = subscription.process
    link = _base() + reverse(
        "public:confirm_subscription",
        kwargs={"pk": subscription.pk, "token": subscription_token(subscription)},
    )
    with translation.override(
        _language(language, subscription.language, fallback=process.municipality.default_language)
    ):
        return send_mail(
            _("Confirm that you want to follow «%(title)s»") % {"title": process.title},
            _("Open this link to start receiving updates:\n%(link)s\n") % {"link": link},
            _sender(process),
            [subscription.email],
        )
