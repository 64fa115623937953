"""The case's open-data page names the licence (NLOD 2.0) and points to the API."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.api.conftest import API, ApiWorld


def test_the_open_data_page_states_the_licence_and_links_the_api(
    world: ApiWorld, client: Client
) -> None:
    page = client.get(
        reverse(
            "public:open_data",
            kwargs={"municipality": world.org.slug, "slug": world.process.slug},
        ),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Norwegian Licence for Open Government Data (NLOD 2.0)" in html
    assert 'href="https://data.norge.no/nlod/no/2.0"' in html
    assert f'href="{API}/openapi.json"' in html
