"""The client's address: the one function the rate limits and the login lockout ask.

Behind a reverse proxy every request comes from the proxy (``REMOTE_ADDR``); the client's
own address is the one the proxy appended to ``X-Forwarded-For``. Only proxies named in
``MEDVIRK_TRUSTED_PROXIES`` are believed, and the header is read from the right: each hop
added by a trusted proxy is skipped, and the first address that is not a trusted proxy is
the client. Whatever a client wrote into the header itself stands further left and is never
reached, and a client that talks to Medvirk directly cannot change its address at all.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# What a request without any address (Django's test client login, a management command)
# is counted as: one shared, stable bucket rather than a crash.
UNKNOWN = "unknown"


def parse_networks(values: list[str] | tuple[str, ...]) -> tuple[Network, ...]:
    """``["192.0.2.10", "10.0.0.0/8"]`` → networks; a wrong entry is a configuration error."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"MEDVIRK_TRUSTED_PROXIES: {value!r} is not an IP address or network."
            ) from exc
    return tuple(networks)


@lru_cache(maxsize=8)
def _trusted(values: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(values)


def _parse(value: str) -> Address | None:
    """An address as proxies write it: plain, ``[v6]:port``, ``v4:port``; else None."""
    value = value.strip()
    if value.startswith("["):  # [2001:db8::1]:443
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:  # 203.0.113.5:51234
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _header_key() -> str:
    name = str(getattr(settings, "MEDVIRK_CLIENT_ADDRESS_HEADER", "X-Forwarded-For"))
    return "HTTP_" + name.upper().replace("-", "_")


def client_ip(request: HttpRequest) -> Address | None:
    remote = _parse(str(request.META.get("REMOTE_ADDR", "")))
    if remote is None:
        return None
    trusted = _trusted(tuple(getattr(settings, "MEDVIRK_TRUSTED_PROXIES", ())))
    if not trusted:
        return remote

    def is_trusted(address: Address) -> bool:
        return any(address in network for network in trusted)

    client = remote
    if not is_trusted(client):
        return client
    hops = str(request.META.get(_header_key(), "")).split(",")
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            # Not something a trusted proxy writes: stop at the last hop we could trust.
            break
        client = address
        if not is_trusted(address):
            break
    return client


def client_address(request: HttpRequest) -> str:
    """The client's address as text (also ``AXES_CLIENT_IP_CALLABLE``)."""
    address = client_ip(request)
    return UNKNOWN if address is None else str(address)


def client_bucket(request: HttpRequest) -> str:
    """What the rate limits count by: the address, or its /64 network for IPv6.

    One IPv6 subscriber usually has a whole /64 and can pick a new address for every
    request; counting the network keeps that from escaping the limits.
    """
    address = client_ip(request)
    if address is None:
        return UNKNOWN
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)
