"""Roles and navigation agree: no link a member of staff is shown answers 403 or 404 for them.

Each role follows every staff-area link it is shown, from the dashboard through the case
pages, and every one opens. Staff land in the staff area after logging in; residents do not.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from medvirk.organisations import capabilities
from medvirk.organisations.models import Role
from tests import factories

LINK = re.compile(r'href="(/stab/[^"#?]*)(?:\?[^"]*)?"')
MAX_PAGES = 80


def _links(html: str) -> set[str]:
    return set(LINK.findall(html))


def _crawl(client: Client) -> dict[str, int]:
    """Every /stab/ page reachable by links from the dashboard, with its status."""
    seen: dict[str, int] = {}
    todo = [reverse("staff:dashboard")]
    while todo and len(seen) < MAX_PAGES:
        url = todo.pop()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code == 200 and "text/html" in response["Content-Type"]:
            todo += sorted(_links(response.content.decode()) - set(seen))
    return seen


STAFF_ROLES = [role for role in Role if role in capabilities.STAFF_ROLES]


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_every_link_a_role_is_shown_opens(w: factories.World, client: Client, role: Role) -> None:
    person = factories.staff(w.org, role)
    factories.contribution(w.method, text="Eit innspel")
    client.force_login(person)
    pages = _crawl(client)
    broken = {url: status for url, status in pages.items() if status in {403, 404, 500}}
    assert not broken, f"{role}: links that do not open: {broken}"
    assert len(pages) >= 2  # the dashboard and at least one page it leads to


def test_an_elected_representative_is_not_staff(w: factories.World, client: Client) -> None:
    """The politician role marks who someone is in a discussion; it opens no staff area."""
    person = factories.staff(w.org, Role.POLITICIAN)
    assert not capabilities.is_staff_account(person)
    client.force_login(person)
    assert client.get(reverse("staff:dashboard")).status_code == 404


def test_a_moderator_sees_no_tab_it_cannot_open(w: factories.World, client: Client) -> None:
    client.force_login(w.moderator)
    html = client.get(reverse("staff:moderation", kwargs={"pk": w.process.pk})).content.decode()
    links = _links(html)
    assert reverse("staff:moderation", kwargs={"pk": w.process.pk}) in links
    for hidden in ("staff:process", "staff:inbox", "staff:decisions", "staff:offline"):
        assert reverse(hidden, kwargs={"pk": w.process.pk}) not in links, hidden
    assert reverse("staff:audit") not in _links(
        client.get(reverse("staff:dashboard")).content.decode()
    )


@pytest.mark.parametrize(("who", "lands"), [("officer", "/stab/"), ("resident", "/")])
def test_staff_land_in_the_staff_area_after_login(
    w: factories.World, client: Client, who: str, lands: str
) -> None:
    person = getattr(w, who)
    person.set_password("rett-passord")
    person.save()
    response = client.post(
        reverse("identity:login"), {"username": person.username, "password": "rett-passord"}
    )
    assert response.status_code == 302
    assert response["Location"] == lands
    # An explicit next wins.
    client.logout()
    response = client.post(
        reverse("identity:login") + "?next=/om/",
        {"username": person.username, "password": "rett-passord", "next": "/om/"},
    )
    assert response["Location"] == "/om/"


def test_the_role_form_preselects_no_role(w: factories.World, client: Client) -> None:
    client.force_login(w.admin)
    url = reverse("staff:roles", kwargs={"municipality": w.org.pk})
    html = client.get(url).content.decode()
    assert re.search(r'<option value=""[^>]*selected', html) or '<option value="" ' in html
    assert not re.search(r'<option value="admin"[^>]*selected', html)
    newcomer = factories.user("nykomar")
    response = client.post(url, {"person": newcomer.username}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert not newcomer.memberships.exists()
