"""Who is the client? The address behind the trusted reverse proxy, never a header a client
sent itself (issue 15: behind the proxy every client shared one bucket)."""

from __future__ import annotations

from typing import Any

import pytest
from axes.helpers import get_client_ip_address
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.test import RequestFactory

from medvirk.core import clientaddr

PROXY = "192.0.2.10"  # TEST-NET-1: documentation addresses only
CLIENT = "203.0.113.5"
OTHER = "198.51.100.7"


def _request(remote: str | None, forwarded: str | None = None, **meta: str) -> HttpRequest:
    request = RequestFactory().get("/")
    if remote is None:
        del request.META["REMOTE_ADDR"]
    else:
        request.META["REMOTE_ADDR"] = remote
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    request.META.update(meta)
    return request


@pytest.fixture
def behind_proxy(settings: Any) -> None:
    settings.MEDVIRK_TRUSTED_PROXIES = [PROXY, "10.20.0.0/16"]


def test_without_trusted_proxies_the_forwarded_header_is_ignored() -> None:
    assert clientaddr.client_address(_request(OTHER, CLIENT)) == OTHER


def test_behind_a_trusted_proxy_the_client_is_the_address_the_proxy_added(
    behind_proxy: None,
) -> None:
    assert clientaddr.client_address(_request(PROXY, CLIENT)) == CLIENT


def test_each_client_behind_the_proxy_keeps_its_own_address(behind_proxy: None) -> None:
    seen = {clientaddr.client_address(_request(PROXY, f"203.0.113.{n}")) for n in range(1, 6)}
    assert seen == {f"203.0.113.{n}" for n in range(1, 6)}


def test_a_client_cannot_choose_its_address_through_a_trusted_proxy(
    behind_proxy: None,
) -> None:
    # The client sent "X-Forwarded-For: 1.2.3.4"; nginx appended the real address.
    assert clientaddr.client_address(_request(PROXY, f"1.2.3.4, {CLIENT}")) == CLIENT


def test_a_spoofed_header_from_an_untrusted_address_changes_nothing(
    behind_proxy: None,
) -> None:
    assert clientaddr.client_address(_request(OTHER, f"{CLIENT}, {PROXY}")) == OTHER


def test_several_trusted_hops_are_skipped_from_the_right(behind_proxy: None) -> None:
    # client -> edge proxy (10.20.1.1) -> inner proxy (PROXY) -> Medvirk
    assert clientaddr.client_address(_request(PROXY, f"{CLIENT}, 10.20.1.1")) == CLIENT


def test_garbage_in_the_header_falls_back_to_the_last_trusted_hop(behind_proxy: None) -> None:
    assert clientaddr.client_address(_request(PROXY, "not-an-address")) == PROXY
    assert clientaddr.client_address(_request(PROXY, f"{CLIENT}, junk, 10.20.1.1")) == ("10.20.1.1")
    assert clientaddr.client_address(_request(PROXY, "")) == PROXY


def test_ports_brackets_and_mapped_addresses_are_normalised(behind_proxy: None) -> None:
    assert clientaddr.client_address(_request(PROXY, f"{CLIENT}:51234")) == CLIENT
    assert clientaddr.client_address(_request(PROXY, "[2001:db8::1]:443")) == "2001:db8::1"
    assert clientaddr.client_address(_request(PROXY, "2001:DB8:0::1")) == "2001:db8::1"
    assert clientaddr.client_address(_request(f"::ffff:{OTHER}")) == OTHER


def test_the_header_can_be_another_one(settings: Any) -> None:
    settings.MEDVIRK_TRUSTED_PROXIES = [PROXY]
    settings.MEDVIRK_CLIENT_ADDRESS_HEADER = "X-Real-IP"
    request = _request(PROXY, "1.2.3.4", HTTP_X_REAL_IP=CLIENT)
    assert clientaddr.client_address(request) == CLIENT


def test_a_request_without_an_address_has_a_stable_placeholder() -> None:
    # Django's test client login builds a bare HttpRequest: nothing may crash on it.
    assert clientaddr.client_address(_request(None)) == clientaddr.UNKNOWN
    assert clientaddr.client_address(HttpRequest()) == clientaddr.UNKNOWN


def test_ipv6_clients_share_a_bucket_per_64_network() -> None:
    one = clientaddr.client_bucket(_request("2001:db8:1:2::aaaa"))
    same_network = clientaddr.client_bucket(_request("2001:db8:1:2:ffff::1"))
    other_network = clientaddr.client_bucket(_request("2001:db8:1:3::aaaa"))
    assert one == same_network == "2001:db8:1:2::/64"
    assert other_network != one
    assert clientaddr.client_bucket(_request(CLIENT)) == CLIENT


def test_a_wrong_trusted_proxy_setting_is_refused(settings: Any) -> None:
    settings.MEDVIRK_TRUSTED_PROXIES = ["192.0.2.300"]
    with pytest.raises(ImproperlyConfigured, match="MEDVIRK_TRUSTED_PROXIES"):
        clientaddr.client_address(_request(PROXY, CLIENT))


def test_the_login_lockout_uses_the_same_client_address(behind_proxy: None, settings: Any) -> None:
    assert settings.AXES_CLIENT_IP_CALLABLE == "medvirk.core.clientaddr.client_address"
    assert get_client_ip_address(_request(PROXY, f"1.2.3.4, {CLIENT}")) == CLIENT
    assert get_client_ip_address(_request(OTHER, CLIENT)) == OTHER
