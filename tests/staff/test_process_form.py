"""The case editor: a plain form whose fields follow the model; the action writes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from medvirk.core.models import AuditEntry
from medvirk.processes.models import Process, ProcessStatus
from medvirk.staff.forms import ProcessForm
from tests import factories


@pytest.mark.parametrize("name", ProcessForm.FIELDS)
def test_form_fields_follow_the_model(name: str) -> None:
    model_field = Process._meta.get_field(name)
    form_field = ProcessForm.base_fields[name]
    if not model_field.choices:  # a choice is bounded by its choices, not a length
        assert getattr(form_field, "max_length", None) == getattr(model_field, "max_length", None)
    # The address name may be left empty in the form: it is made from the title.
    assert form_field.required == (not model_field.blank and name != "slug")
    if model_field.choices:
        assert list(form_field.choices) == list(model_field.choices)  # type: ignore[attr-defined]


def test_editing_a_case_records_what_changed(w: factories.World, client: Client) -> None:
    client.force_login(w.officer)
    url = reverse("staff:process_edit", kwargs={"pk": w.process.pk})
    form = client.get(url).context["form"]
    assert form["title"].value() == w.process.title
    data = {name: form[name].value() or "" for name in ProcessForm.FIELDS}
    data |= {"title": "Ny skule", "status": ProcessStatus.CLOSED, "topics_text": "skule, born"}
    res = client.post(url, data)
    assert res.status_code == 302
    w.process.refresh_from_db()
    assert (w.process.title, w.process.status) == ("Ny skule", ProcessStatus.CLOSED)
    assert w.process.topics == ["skule", "born"]
    entry = AuditEntry.objects.filter(action="process.updated").latest("seq")
    assert entry.data["fields"] == ["status", "title", "topics"]
    assert entry.data["status"] == ProcessStatus.CLOSED


def test_a_new_case_gets_its_address_from_the_title(w: factories.World, client: Client) -> None:
    client.force_login(w.officer)
    url = reverse("staff:process_new", kwargs={"municipality": w.org.pk})
    res = client.post(
        url,
        {
            "title": "Ny barnehage",
            "summary": "Kort.",
            "open_to_influence": "Staden.",
            "decided_by": "Kommunestyret",
            "status": ProcessStatus.DRAFT,
        },
    )
    assert res.status_code == 302
    assert Process.objects.get(municipality=w.org, slug="ny-barnehage").title == "Ny barnehage"


def test_only_staff_who_manage_cases_may_open_a_new_case(
    w: factories.World, client: Client
) -> None:
    url = reverse("staff:process_new", kwargs={"municipality": w.org.pk})
    client.force_login(w.moderator)
    assert client.get(url).status_code == 404
    client.force_login(w.other_officer)
    assert client.get(url).status_code == 404
