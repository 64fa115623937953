"""Personal data: the map's own rows hold no person (a class is a school, a grade and a
label; pupils give no name or e-mail), a resident's marks are in «Mine data» with their
geometry, and erasing the account takes the person off them while the marks stay in the
case's results."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from medvirk.contributions.models import Contribution
from medvirk.identity import actions as identity_actions
from medvirk.identity.queries import export_my_data
from medvirk.methods.map_input import config, queries, results
from medvirk.processes import registry
from tests import factories
from tests.methods.map_input.conftest import EN, Map, join, make_class, point

pytestmark = pytest.mark.django_db


def test_the_methods_rows_hold_no_person() -> None:
    assert registry.get("map_input").personal_data == ()
    for model in apps.get_app_config("map_input").get_models():
        for field in model._meta.get_fields():
            assert not isinstance(field, models.EmailField), field
            assert not field.name.endswith("_name") and field.name != "username", field
            related = getattr(field, "related_model", None)
            assert related is None or related._meta.app_label != "identity", field


def test_a_pupils_mark_names_no_one(class_map: Map) -> None:
    client = Client(**EN)
    join(client, class_map, make_class(class_map.instance))
    client.post(
        class_map.url(),
        {
            "category": "like:point",
            "geometry": point(5.07, 61.35),
            "contact_email": "x@example.org",
        },
    )
    mark = Contribution.objects.get()
    assert mark.author is None and mark.contact_email == "" and mark.author_name == ""
    assert set(mark.data) == {"category", "geometry", "school", "grade"}


def test_a_residents_marks_are_in_mine_data_and_erased_with_the_account(the_map: Map) -> None:
    person = factories.user(email="kari@example.org", email_verified=True)
    client = Client(**EN)
    client.force_login(person)
    client.post(
        the_map.url(),
        {"category": "like:point", "geometry": point(5.07, 61.35), "comment": "Fin benk"},
    )
    exported = export_my_data(person)
    json.dumps(exported)
    rows = [r for r in exported["contributions"] if r["kind"] == "map_mark"]
    assert len(rows) == 1
    assert rows[0]["text"] == "Fin benk"
    assert rows[0]["data"]["geometry"] == {"type": "Point", "coordinates": [5.07, 61.35]}

    identity_actions.do_erase_account(person)
    mark = Contribution.objects.get()
    assert mark.author is None
    # The mark still counts in the results.
    cfg = config.for_instance(the_map.instance)
    res = results.compute(
        cfg, queries.marks(the_map.instance, published_only=False), [], public=False
    )
    assert {c.key: c.count for c in res.categories}["like"] == 1
