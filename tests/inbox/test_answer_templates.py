"""A municipality's answer templates: case officers use them, administrators keep them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from medvirk.accountability.inbox import do_save_answer_template
from medvirk.accountability.models import AnswerTemplate
from tests import factories

pytestmark = pytest.mark.django_db


def url(org_pk: int, pk: int | None = None) -> str:
    if pk is None:
        return reverse("staff:answer_templates", kwargs={"municipality": org_pk})
    return reverse("staff:answer_template_edit", kwargs={"municipality": org_pk, "pk": pk})


def admin_client(w: factories.World) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(w.admin)
    return client


def test_an_administrator_adds_changes_and_deletes_a_template(w: factories.World) -> None:
    client = admin_client(w)
    mark = factories.audit_mark()
    res = client.post(
        url(w.org.pk), {"title": "Utanfor", "status": "out_of_scope", "text": "Fylket avgjer."}
    )
    assert res.status_code == 302
    template = AnswerTemplate.objects.get(municipality=w.org)
    assert (template.title, template.status) == ("Utanfor", "out_of_scope")
    res = client.post(
        url(w.org.pk, template.pk),
        {"form": "save", "title": "Utanfor", "status": "", "text": "Ny."},
    )
    assert res.status_code == 302
    template.refresh_from_db()
    assert (template.status, template.text) == ("", "Ny.")
    assert client.post(url(w.org.pk, template.pk), {"form": "delete"}).status_code == 302
    assert not AnswerTemplate.objects.exists()
    actions = [row.action for row in factories.audited_since(mark)]
    assert actions == ["answer_template.saved", "answer_template.saved", "answer_template.deleted"]


def test_a_case_officer_sees_and_uses_but_may_not_edit(w: factories.World, officer: Client) -> None:
    template = do_save_answer_template(w.admin, w.org, title="Ja", status="adopted", text="Ja.")
    res = officer.get(url(w.org.pk))
    assert res.status_code == 200
    html = res.content.decode()
    assert "Ja." in html
    assert "Add template" not in html
    assert "Administrators add and change the templates." in html
    refused = officer.post(url(w.org.pk), {"title": "Mi", "status": "", "text": "Mitt."})
    assert refused.status_code == 403
    assert officer.get(url(w.org.pk, template.pk)).status_code == 403
    assert officer.post(url(w.org.pk, template.pk), {"form": "delete"}).status_code == 403
    assert list(AnswerTemplate.objects.values_list("title", flat=True)) == ["Ja"]


def test_other_municipalities_and_moderators_get_404(w: factories.World) -> None:
    template = do_save_answer_template(w.admin, w.org, title="Ja", status="", text="Ja.")
    for person in (w.other_officer, w.moderator):
        client = Client()
        client.force_login(person)
        assert client.get(url(w.org.pk)).status_code == 404
        assert client.get(url(w.org.pk, template.pk)).status_code == 404
    # Another municipality's template under one's own municipality's address: not found.
    other_admin = Client()
    other_admin.force_login(factories.administrator(w.other_org))
    assert other_admin.get(url(w.other_org.pk, template.pk)).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "status": "", "text": "x"}, "This field is required"),
        ({"title": "T", "status": "received", "text": "x"}, "Select a valid choice"),
        ({"title": "T", "status": "", "text": "x" * 6000}, "at most 5000 characters"),
        ({"title": "Ja", "status": "", "text": "Igjen"}, "exists already"),
    ],
)
def test_bad_input_is_refused_with_400(
    w: factories.World, data: dict[str, str], message: str
) -> None:
    do_save_answer_template(w.admin, w.org, title="Ja", status="", text="Ja.")
    res = admin_client(w).post(url(w.org.pk), data)
    assert res.status_code == 400
    assert message in res.content.decode()
    assert AnswerTemplate.objects.count() == 1
