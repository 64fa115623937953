"""Pages answer in English in these tests, so the assertions read the msgids."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture(autouse=True)
def english_pages(client: Client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
