"""The OpenAPI 3 schema, and property-based tests of every endpoint against it (Schemathesis):
random valid and invalid parameters, no server error, every answer as documented."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.openapi import from_wsgi

from medvirk.api.v1 import api
from medvirk.wsgi import application
from tests.api.conftest import API, ApiWorld

SCHEMA_URL = f"{API}/openapi.json"


# The schema the site serves (a test below checks they are the same), loaded without a
# request, so Schemathesis can make one test per operation when the tests are collected.
RAW = api.get_openapi_schema(path_prefix=f"{API}/")
schema = schemathesis.openapi.from_dict(RAW)
schema.app = application


@pytest.fixture
def wsgi(world: ApiWorld) -> Iterator[None]:
    """Requests through the WSGI application keep the test's database connection (as
    Django's test client does): the handler would close it when each request ends."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_the_schema_says_what_the_api_is_and_its_licence(db: None, client: Client) -> None:
    response = client.get(SCHEMA_URL)
    assert response.status_code == 200
    raw = response.json()
    assert raw == json.loads(json.dumps(RAW))  # what the property tests below use
    assert raw["openapi"].startswith("3.")
    info = raw["info"]
    assert info["title"] == "Medvirk API" and info["version"] == "1"
    assert "NLOD 2.0" in info["description"]
    assert "under 5 are suppressed" in info["description"]
    assert info["license"] == {"name": "NLOD 2.0", "url": "https://data.norge.no/nlod/en/2.0"}
    assert set(raw["paths"]) == {
        f"{API}/{name}"
        for name in [
            "municipalities",
            "processes",
            "processes/{id}",
            "phases",
            "methods",
            "contributions",
            "decisions",
        ]
    }
    for path in raw["paths"].values():
        assert set(path) == {"get"}  # read-only
        assert {"200", "422", "429"} <= set(path["get"]["responses"])


def test_the_schema_is_valid_openapi_3(wsgi: None) -> None:
    schema = from_wsgi(SCHEMA_URL, application)
    schema.validate()  # raises on any departure from the OpenAPI 3 meta-schema


@schema.parametrize()
@hypothesis_settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_endpoint_with_random_parameters(
    case: schemathesis.Case, wsgi: None, settings: Any
) -> None:
    # Schemathesis sends a few hundred requests: the limit itself is tested elsewhere.
    settings.MEDVIRK_RATE_LIMITS = {**settings.MEDVIRK_RATE_LIMITS, "api": "100000/m"}
    case.call_and_validate()
