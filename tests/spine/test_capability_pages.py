"""Every staff capability guards a real page: for each capability in the enum, each role of
the municipality, a resident and another municipality's staff get in exactly when the role
table says so. (test_permissions.py checks the table itself for every phase timing.)"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from medvirk.organisations.capabilities import STAFF_CAPABILITIES
from medvirk.organisations.models import Role
from medvirk.processes import registry
from medvirk.vocabulary import Capability
from tests import factories

PageFor = Callable[[factories.World], str]


def _survey_export(w: factories.World) -> str:
    survey = factories.method(w.process, w.phase, key="survey")
    return registry.get("survey").export_url(survey, "svar-csv")


PAGES: dict[Capability, PageFor] = {
    Capability.MANAGE_PROCESS: lambda w: reverse("staff:process", args=[w.process.pk]),
    Capability.RESPOND: lambda w: reverse("staff:inbox", args=[w.process.pk]),
    Capability.MODERATE: lambda w: reverse("staff:moderation", args=[w.process.pk]),
    Capability.REGISTER_OFFLINE: lambda w: reverse("staff:offline", args=[w.process.pk]),
    Capability.DECIDE: lambda w: reverse("staff:decisions", args=[w.process.pk]),
    Capability.MANAGE_ROLES: lambda w: reverse("staff:roles", args=[w.org.pk]),
    Capability.VIEW_AUDIT: lambda w: reverse("staff:audit"),
    Capability.VERIFY_IDENTITY: lambda w: reverse("staff:verify_in_person"),
    Capability.EXPORT: _survey_export,
}


# Pages that are not about one case or municipality: they open for a holder of the
# capability in any municipality, and then show only what is theirs.
ACROSS_MUNICIPALITIES = {Capability.VIEW_AUDIT, Capability.VERIFY_IDENTITY}


def test_every_capability_has_a_page() -> None:
    assert set(PAGES) == set(Capability)


@pytest.mark.parametrize("capability", list(Capability))
@pytest.mark.parametrize("who", [*Role.values, "resident", "other_officer"])
def test_page_opens_exactly_for_the_roles_that_hold_the_capability(
    w: factories.World, client: Client, capability: Capability, who: str
) -> None:
    person = {
        Role.ADMINISTRATOR: w.admin,
        Role.CASE_OFFICER: w.officer,
        Role.MODERATOR: w.moderator,
        Role.IDENTITY_OFFICER: None,
        Role.POLITICIAN: None,
        "resident": w.resident,
        "other_officer": w.other_officer,
    }[who] or factories.staff(w.org, Role(who))
    url = PAGES[capability](w)
    client.force_login(person)
    response = client.get(url)
    role = Role.CASE_OFFICER if who == "other_officer" else who
    allowed = capability in STAFF_CAPABILITIES.get(role, frozenset())
    if who == "other_officer" and capability not in ACROSS_MUNICIPALITIES:
        allowed = False  # another municipality's case: not found
    if allowed:
        assert response.status_code == 200, (who, capability, url)
        if who == "other_officer":  # sees their own municipality, never this one
            assert w.org.name not in response.content.decode()
    else:
        assert response.status_code in {403, 404}, (who, capability, url, response.status_code)


def test_anonymous_visitors_are_sent_to_log_in(w: factories.World, client: Client) -> None:
    for capability in Capability:
        response = client.get(PAGES[capability](w))
        assert response.status_code == 302, capability
        assert response["Location"].startswith(reverse("identity:login")), capability
