"""Provider settings: presets, validation, environment variables, the acr order."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from medvirk.identity.envconfig import providers_from_env
from medvirk.identity.providers import IdentityRefused, ProviderConfig, check_acr


def test_preset_fills_in_idporten_defaults() -> None:
    config = ProviderConfig.from_dict({"preset": "idporten", "client_id": "abc"})
    assert config.key == "idporten"
    assert config.acr_values == "idporten-loa-substantial"
    assert config.pid_claim == "pid"
    assert config.discovery_url.startswith("https://idporten.no/")


@pytest.mark.parametrize(
    "raw",
    [
        {"preset": "idporten"},  # no client id
        {"preset": "nope", "client_id": "x"},
        {"preset": "idporten", "client_id": "x", "key": "test"},  # reserved
        {"preset": "idporten", "client_id": "x", "acr_values": "Level9"},
        {"preset": "idporten", "client_id": "x", "colour": "red"},
        {"key": "bare", "client_id": "x"},  # no way to find endpoints
        {"preset": "idporten", "client_id": "x", "token_auth_method": "none"},
    ],
)
def test_bad_settings_are_refused(raw: dict[str, str]) -> None:
    with pytest.raises(ImproperlyConfigured):
        ProviderConfig.from_dict(raw)


def test_acr_order() -> None:
    order = ("idporten-loa-substantial", "idporten-loa-high")
    check_acr("idporten-loa-high", "idporten-loa-substantial", order, "ID-porten")
    check_acr("idporten-loa-substantial", "idporten-loa-substantial", order, "ID-porten")
    for bad in ("idporten-loa-low", "", "Level4"):
        with pytest.raises(IdentityRefused):
            check_acr(bad, "idporten-loa-substantial", order, "ID-porten")
    with pytest.raises(IdentityRefused):
        check_acr("idporten-loa-substantial", "idporten-loa-high", order, "ID-porten")
    check_acr("anything", None, (), "Feide")


def test_providers_from_env() -> None:
    assert providers_from_env({}) == []
    found = providers_from_env(
        {
            "MEDVIRK_IDPORTEN_CLIENT_ID": "cid",
            "MEDVIRK_IDPORTEN_CLIENT_SECRET": "sec",
            "MEDVIRK_IDPORTEN_DISCOVERY_URL": "https://test.idporten.no/.well-known/openid-configuration",
            "MEDVIRK_IDPORTEN_ACR": "idporten-loa-high",
            "MEDVIRK_FEIDE_CLIENT_ID": "fid",
        }
    )
    assert [p["key"] for p in found] == ["idporten", "feide"]
    assert found[0]["acr_values"] == "idporten-loa-high"
    assert found[0]["discovery_url"].startswith("https://test.idporten.no/")
    for raw in found:
        ProviderConfig.from_dict(raw)
    as_json = providers_from_env(
        {"MEDVIRK_IDENTITY_PROVIDERS": '[{"preset": "feide", "client_id": "x"}]'}
    )
    assert as_json == [{"preset": "feide", "client_id": "x"}]
    with pytest.raises(ValueError):
        providers_from_env({"MEDVIRK_IDENTITY_PROVIDERS": '{"a": 1}'})
