"""Fixtures for the public API: the site with ``/api/v1/`` mounted, its rate limit, and a
small world with public and private objects side by side.

Every private thing carries a marker word (``SECRET``) in its text, name or address, so the
privacy tests can look for it in every byte the API serves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import count
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import timezone

from medvirk.accountability.actions import do_decide
from medvirk.accountability.inbox import do_add_to_theme
from medvirk.accountability.models import Decision, ResponseStatus
from medvirk.contributions.actions import (
    OFFLINE_KIND,
    Draft,
    do_contribute,
    do_hide,
    do_reject,
    do_set_moderation_mode,
)
from medvirk.contributions.models import Channel, Contribution, ModerationState, Theme
from medvirk.identity.models import User
from medvirk.organisations.models import Municipality
from medvirk.processes.actions import do_save_method, do_set_status
from medvirk.processes.models import MethodInstance, Process, ProcessStatus
from tests import factories
from tests.fixtures import english  # noqa: F401 - shared fixture

SECRET = "SECRET"
_authors = count(1)
API = "/api/v1"


@pytest.fixture(autouse=True)
def api_site(settings: Any) -> None:
    """The site with the API mounted, and the API's limit as the lead sets it."""
    settings.ROOT_URLCONF = "tests.api.urls"
    settings.MEDVIRK_RATE_LIMITS = {**settings.MEDVIRK_RATE_LIMITS, "api": "120/m"}


@pytest.fixture
def api(client: Client) -> Client:
    return client


@dataclass
class ApiWorld:
    org: Municipality
    county: Municipality
    process: Process
    other_process: Process
    draft: Process
    method: MethodInstance
    mapped: MethodInstance
    unpublished: MethodInstance
    public: list[Contribution] = field(default_factory=list)
    private: list[Contribution] = field(default_factory=list)
    answered: Contribution | None = None
    acknowledged: Contribution | None = None
    theme: Theme | None = None
    decision: Decision | None = None
    draft_decision: Decision | None = None
    author: User | None = None


def _offline(
    staff: User, process: Process, method: MethodInstance | None, text: str
) -> Contribution:
    """Input registered by staff from a letter (allowed in any method, published or not)."""
    receipt = do_contribute(
        AnonymousUser(),
        method,
        "",
        Draft(kind=OFFLINE_KIND, text=text, channel=Channel.LETTER),
        registered_by=staff,
        process=process,
    )
    return receipt.contribution


def build_world() -> ApiWorld:
    org = factories.municipality("Lillevik")
    county = factories.municipality("Fylket", is_county=True)
    admin = factories.administrator(org)
    n = next(_authors)
    author = factories.user(
        f"{SECRET.lower()}-kari-{n}",
        email=f"{SECRET.lower()}-kari-{n}@example.org",
        first_name=f"{SECRET}Kari",
    )

    proc = factories.process(org, title="Lillevik skule")
    ph = factories.phase(proc)
    method = factories.method(proc, ph, title="Spørsmål til kommunen")
    discussion = factories.method(proc, ph, "discussion", title="Ordskifte")
    # A map whose results are public: its GeoJSON and CSV files are open data.
    mapped = factories.method(proc, ph, "map_input", title="Skulevegen på kart")
    other = factories.process(county, status=ProcessStatus.CLOSED, title="Fylkesveg")
    factories.phase(other)

    world = ApiWorld(
        org=org,
        county=county,
        process=proc,
        other_process=other,
        draft=proc,  # replaced below
        method=method,
        mapped=mapped,
        unpublished=discussion,  # replaced below
        author=author,
    )

    # Public input: named authors who chose to show their name, and e-mail addresses for
    # the answer. Neither may leave the API.
    for n in range(3):
        world.public.append(
            factories.contribution(
                method,
                author,
                text=f"Skulen treng fleire klasserom ({n}).",
                author_name=f"{SECRET} Kari Nordmann",
                show_name=True,
                contact_email=f"{SECRET.lower()}{n}@example.org",
            )
        )
    world.answered = world.public[0]
    factories.response(world.answered, ResponseStatus.ADOPTED, "Vi byggjer ein ny fløy.")
    world.acknowledged = world.public[1]
    factories.response(world.acknowledged, ResponseStatus.UNDER_REVIEW, f"{SECRET} utkast")
    world.public.append(_offline(admin, proc, None, "Brev om skulevegen."))
    world.theme = do_add_to_theme(admin, proc, [world.public[0].pk], new_name="Skulebygg")
    do_add_to_theme(
        admin, proc, [world.public[1].pk], new_name=f"{SECRET} duplikat", kind=Theme.Kind.DUPLICATES
    )

    # Private input in the public case.
    held = factories.contribution(method, text=f"{SECRET} skriv til meg på kari@example.org")
    assert held.moderation == ModerationState.HELD
    hidden = factories.contribution(method, text=f"{SECRET} skjult")
    do_hide(admin, hidden, "Namn på ein person")
    ticks = factories.contribution(method, text=f"{SECRET} berre kryss", needs_answer=False)
    do_set_moderation_mode(admin, org, "pre")
    method.refresh_from_db()
    pending = factories.contribution(method, text=f"{SECRET} ventar")
    assert pending.moderation == ModerationState.PENDING
    rejected = factories.contribution(method, text=f"{SECRET} avvist")
    do_reject(admin, rejected, "Spam")
    do_set_moderation_mode(admin, org, "post")
    in_unpublished = _offline(admin, proc, discussion, f"{SECRET} i upublisert metode")
    world.unpublished = do_save_method(
        admin,
        proc,
        phase=ph,
        method_key="discussion",
        slug=discussion.slug,
        title=f"{SECRET} upublisert",
        is_published=False,
        instance=discussion,
    )
    world.private += [held, rejected, hidden, ticks, pending, in_unpublished]

    # A draft case with published-looking input, a method and a decision.
    draft = factories.process(org, title=f"{SECRET} utkast", slug="utkast")
    draft_phase = factories.phase(draft)
    draft_method = factories.method(draft, draft_phase, title=f"{SECRET} metode i utkast")
    world.private.append(factories.contribution(draft_method, text=f"{SECRET} i utkast"))
    world.draft = do_set_status(admin, draft, ProcessStatus.DRAFT)
    assert world.draft.status == ProcessStatus.DRAFT
    world.draft_decision = do_decide(
        admin, world.draft, body=f"{SECRET} organ", text=f"{SECRET} vedtak", date=None, pending=True
    )

    world.decision = do_decide(
        admin,
        proc,
        body="Kommunestyret",
        text="Kommunestyret vedtok å byggje ny skule.",
        date=timezone.localdate() - dt.timedelta(days=1),
        pending=False,
        link_statuses=list(ResponseStatus.values),
    )
    return world


@pytest.fixture
def world(db: None) -> ApiWorld:
    return build_world()


def walk(client: Client, path: str, **params: Any) -> Iterator[dict[str, Any]]:
    """Every item of a list, page by page (the largest pages, to prove the paging too)."""
    offset = 0
    while True:
        response = client.get(f"{API}{path}", {**params, "limit": 100, "offset": offset})
        assert response.status_code == 200, response.content
        page = response.json()
        yield from page["items"]
        offset += len(page["items"])
        if not page["items"] or offset >= page["count"]:
            return
