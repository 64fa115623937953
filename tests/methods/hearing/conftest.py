"""Fixtures for the høyring: a published case with a running phase and a hearing instance
whose period is open, with one document of two sections of two paragraphs each.

The case, phase and method instance go through the application's actions
(tests/factories.py); the hearing's own rows (period, document, sections, paragraphs) are
plain model rows, as the staff editor would save them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone, translation

from medvirk.identity.models import User
from medvirk.methods.hearing.models import (
    Hearing,
    HearingDocument,
    Paragraph,
    PlanStage,
    Section,
)
from medvirk.organisations.models import Municipality, Role
from medvirk.processes import registry
from medvirk.processes.models import MethodInstance, PhaseKind
from tests import factories
from tests.factories import DAY
from tests.fixtures import media  # noqa: F401 - autouse: uploads go to a temporary MEDIA_ROOT

SECTIONS = {
    "Background": [
        "The school at Lillevik was built in 1962 and needs a new roof and ventilation.",
        "The council asked for three alternatives with costs and consequences.",
    ],
    "Recommendation": [
        "The chief executive recommends a new building on the same site.",
        "Pupils move to temporary classrooms during the two years of building.",
    ],
}


@dataclass
class HearingCase:
    """A hearing instance with its rows, and the URLs of its pages."""

    instance: MethodInstance
    hearing: Hearing | None
    document: HearingDocument | None = None
    sections: list[Section] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)

    def url(self, name: str = "", **kwargs: Any) -> str:
        if not name:
            return self.instance.get_absolute_url()
        return registry.get("hearing").url(self.instance, name, **kwargs)


def make_hearing(
    org: Municipality,
    *,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    stage: str = PlanStage.NOT_PLAN,
    settings: Mapping[str, Any] | None = None,
    identity_levels: Mapping[str, int] | None = None,
    with_row: bool = True,
    with_document: bool = True,
    title: str = "Consultation on the new school",
) -> HearingCase:
    """A hearing on a published case. By default open: from five days ago to 30 days ahead."""
    now = timezone.now()
    proc = factories.process(org)
    ph = factories.phase(
        proc, start=now - 40 * DAY, end=now + 40 * DAY, kind=PhaseKind.INVESTIGATION
    )
    instance = factories.method(
        proc,
        ph,
        key="hearing",
        title=title,
        description="The chief executive's proposal is on consultation.",
        settings=settings,
        identity_levels=identity_levels,
    )
    if not with_row:
        return HearingCase(instance, None)
    today = timezone.localdate()
    hearing = Hearing.objects.create(
        method_instance=instance,
        plan_stage=stage,
        starts_on=starts_on or today - dt.timedelta(days=5),
        ends_on=ends_on or today + dt.timedelta(days=30),
    )
    case = HearingCase(instance, hearing)
    if not with_document:
        return case
    case.document = HearingDocument.objects.create(
        hearing=hearing,
        order=1,
        title="Proposal: a new school building",
        summary="The chief executive's recommendation and its reasons.",
    )
    for s, (heading, texts) in enumerate(SECTIONS.items(), start=1):
        section = Section.objects.create(document=case.document, order=s, heading=heading)
        case.sections.append(section)
        for p, text in enumerate(texts, start=1):
            case.paragraphs.append(Paragraph.objects.create(section=section, order=p, text=text))
    return case


@pytest.fixture(autouse=True)
def english(settings: Any) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def org() -> Municipality:
    return factories.municipality("Lillevik")


@pytest.fixture
def officer(org: Municipality) -> User:
    return factories.staff(org, Role.CASE_OFFICER)


@pytest.fixture
def hearing_case(org: Municipality) -> HearingCase:
    """The open hearing with its document, sections and paragraphs (see make_hearing)."""
    return make_hearing(org)


@pytest.fixture
def hearing_instance(hearing_case: HearingCase) -> MethodInstance:
    """The open hearing's method instance: a Hearing row, one document, two sections of two
    paragraphs each (hearing_case has the rows themselves)."""
    return hearing_case.instance
