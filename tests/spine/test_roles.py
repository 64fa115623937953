from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from medvirk.core.errors import ActionRefused
from medvirk.organisations.actions import do_grant_role, do_revoke_role
from medvirk.organisations.models import Membership, Role
from tests import factories


def test_admin_grants_and_revokes_with_audit(w: factories.World) -> None:
    mark = factories.audit_mark()
    m = do_grant_role(w.admin, w.org, w.resident, Role.MODERATOR)
    assert Membership.objects.filter(user=w.resident, role=Role.MODERATOR).exists()
    with pytest.raises(ActionRefused, match="already"):
        do_grant_role(w.admin, w.org, w.resident, Role.MODERATOR)
    do_revoke_role(w.admin, m)
    assert not Membership.objects.filter(user=w.resident).exists()
    assert list(factories.audited_since(mark).values_list("action", flat=True)) == [
        "role.granted",
        "role.revoked",
    ]


def test_last_administrator_cannot_be_removed(w: factories.World) -> None:
    only = Membership.objects.get(user=w.admin, role=Role.ADMINISTRATOR)
    with pytest.raises(ActionRefused, match="at least one"):
        do_revoke_role(w.admin, only)
    assert Membership.objects.filter(pk=only.pk).exists()


@pytest.mark.parametrize("who", ["officer", "moderator", "other_officer", "resident"])
def test_only_admins_manage_roles(w: factories.World, who: str) -> None:
    with pytest.raises(ActionRefused):
        do_grant_role(getattr(w, who), w.org, w.resident, Role.CASE_OFFICER)
    assert not Membership.objects.filter(user=w.resident).exists()


def test_roles_page(w: factories.World, client: Client) -> None:
    url = reverse("staff:roles", kwargs={"municipality": w.org.pk})
    client.force_login(w.officer)
    assert client.get(url).status_code == 404
    client.force_login(w.admin)
    assert client.get(url).status_code == 200
    res = client.post(url, {"person": "nobody", "role": "moderator"}, HTTP_ACCEPT_LANGUAGE="en")
    assert res.status_code == 400
    assert "No person with that username" in res.content.decode()
    res = client.post(url, {"person": w.resident.email, "role": "moderator"})
    assert res.status_code == 302
    m = Membership.objects.get(user=w.resident)
    other = Membership.objects.get(user=w.other_officer)
    assert client.post(url, {"revoke": other.pk}).status_code == 404
    assert client.post(url, {"revoke": m.pk}).status_code == 302
    assert not Membership.objects.filter(user=w.resident).exists()
