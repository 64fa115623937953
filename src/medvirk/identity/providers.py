"""Verified-identity providers: a small interface, OpenID Connect, and the test provider.

A provider sends the person away to log in (:meth:`Provider.start`) and, when they come
back, turns the answer into a :class:`VerifiedIdentity` (:meth:`OIDCProvider.callback`)
or refuses with a message the person can read (:class:`IdentityRefused`). What happens
next — find or create the account, store the keyed hash, log in — is the same for every
provider (``actions.do_login_verified``).

OpenID Connect uses mozilla-django-oidc's pieces (PKCE helpers, the session's state
store, token request, ID token signature and nonce check, userinfo) with one provider
configuration per key instead of the library's single global configuration; see
``docs/identity.md``.
"""

from __future__ import annotations

import abc
import logging
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import (
    add_state_and_verifier_and_nonce_to_session,
    generate_code_challenge,
)

logger = logging.getLogger(__name__)

TEST_PROVIDER_KEY = "test"
TEST_ISSUER = "urn:medvirk:test-identity-provider"
# How long a started login may take before its state is refused.
STATE_MAX_AGE_SECONDS = 15 * 60


class IdentityRefused(Exception):
    """The login did not give a verified identity; ``message`` is shown to the person."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class VerifiedIdentity:
    """What a provider vouches for. ``national_id`` is never stored, only its keyed hash."""

    provider: str
    issuer: str
    subject: str
    national_id: str | None
    acr: str
    name: str = ""
    email: str = ""
    locale: str = ""

    def __repr__(self) -> str:  # keep the number out of logs and tracebacks
        return (
            f"VerifiedIdentity(provider={self.provider!r}, acr={self.acr!r}, "
            f"national_id={'<hidden>' if self.national_id else None})"
        )


# Defaults for the providers Norway uses. A settings entry names one with "preset" and
# overrides what it needs (client_id, client_secret, discovery_url for the test
# environment, acr_values, …). Feide's scope and claim names are [unverified]: check
# Feide's documentation and set them in the settings if they differ.
PRESETS: dict[str, dict[str, Any]] = {
    "idporten": {
        "label": "ID-porten",
        "discovery_url": "https://idporten.no/.well-known/openid-configuration",
        "scopes": "openid profile",
        "acr_values": "idporten-loa-substantial",
        "acr_order": ["idporten-loa-substantial", "idporten-loa-high"],
        "pid_claim": "pid",
        "use_userinfo": False,
        "send_ui_locales": True,
    },
    "feide": {
        "label": "Feide",
        "discovery_url": "https://auth.dataporten.no/.well-known/openid-configuration",
        "scopes": "openid userid userid-feide profile",
        "acr_values": None,
        "acr_order": [],
        "pid_claim": None,
        "use_userinfo": True,
        "send_ui_locales": False,
    },
}


@dataclass(frozen=True)
class ProviderConfig:
    key: str
    label: str
    client_id: str
    client_secret: str = ""
    issuer: str = ""
    discovery_url: str = ""
    authorization_endpoint: str = ""
    token_endpoint: str = ""
    jwks_endpoint: str = ""
    userinfo_endpoint: str = ""
    scopes: str = "openid"
    # The level asked for and required; None = the provider has no levels (Feide).
    acr_values: str | None = None
    # Known levels from lowest to highest; a returned acr must be known and >= acr_values.
    acr_order: tuple[str, ...] = ()
    pid_claim: str | None = None
    use_userinfo: bool = False
    token_auth_method: str = "client_secret_basic"  # noqa: S105 (a method name, or client_secret_post)
    sign_algo: str = "RS256"
    timeout: float = 10.0
    send_ui_locales: bool = False
    extra_auth_params: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> ProviderConfig:
        data: dict[str, Any] = {}
        preset = raw.get("preset")
        if preset is not None:
            if preset not in PRESETS:
                raise ImproperlyConfigured(f"Unknown identity provider preset {preset!r}.")
            data.update(PRESETS[preset])
        data.update({k: v for k, v in raw.items() if k != "preset"})
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise ImproperlyConfigured(
                f"Unknown identity provider setting(s): {', '.join(sorted(unknown))}."
            )
        key = str(data.get("key") or preset or "")
        if not key.isidentifier() or key == TEST_PROVIDER_KEY:
            raise ImproperlyConfigured(f"Identity provider key {key!r} is not allowed.")
        if not data.get("client_id"):
            raise ImproperlyConfigured(f"Identity provider {key!r} needs a client_id.")
        if not (data.get("discovery_url") or data.get("issuer")) and not all(
            data.get(k)
            for k in ("authorization_endpoint", "token_endpoint", "jwks_endpoint", "issuer")
        ):
            raise ImproperlyConfigured(
                f"Identity provider {key!r} needs discovery_url/issuer or explicit endpoints."
            )
        data["key"] = key
        data["label"] = str(data.get("label") or key)
        data["acr_order"] = tuple(data.get("acr_order") or ())
        config = cls(**data)
        if config.acr_order and config.acr_values not in (None, *config.acr_order):
            raise ImproperlyConfigured(
                f"Identity provider {key!r}: acr_values must be one of acr_order."
            )
        if config.token_auth_method not in {"client_secret_basic", "client_secret_post"}:
            raise ImproperlyConfigured(f"Identity provider {key!r}: unknown token_auth_method.")
        return config


def check_acr(acr: str, required: str | None, order: tuple[str, ...], label: str) -> None:
    """Refuse a login whose level of assurance is below what we asked for."""
    if required is None:
        return
    known = order or (required,)
    if acr not in known or known.index(acr) < known.index(required):
        raise IdentityRefused(
            _(
                "%(provider)s confirmed your identity at a lower level of assurance than this "
                "service requires. Log in again with a method at a higher level "
                "(for example BankID). You have not been logged in."
            )
            % {"provider": label},
            status=403,
        )


class Provider(abc.ABC):
    """The interface every verified-identity provider offers."""

    key: str
    label: str
    is_test: bool = False

    @abc.abstractmethod
    def start(self, request: HttpRequest, next_url: str) -> HttpResponse:
        """Send the person to the provider (a redirect)."""
        raise NotImplementedError

    @abc.abstractmethod
    def callback(self, request: HttpRequest) -> tuple[VerifiedIdentity, str]:
        """The person is back: the identity and where to go next, or IdentityRefused."""
        raise NotImplementedError

    @abc.abstractmethod
    def check_acr(self, acr: str) -> None:
        """Raise IdentityRefused when ``acr`` is below the level this provider requires."""
        raise NotImplementedError


class _Backend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, configured per provider instead of globally.

    Used only for its pieces (token request, JWKS lookup, signature and nonce check,
    userinfo); it is never listed in AUTHENTICATION_BACKENDS.
    """

    def __init__(self, values: dict[str, Any]) -> None:
        self._values = values
        super().__init__()

    def get_settings(self, attr: str, *args: Any) -> Any:
        if attr in self._values:
            return self._values[attr]
        if args:
            return getattr(settings, attr, args[0])
        return getattr(settings, attr)


class OIDCProvider(Provider):
    def __init__(self, config: ProviderConfig) -> None:
        self.config = config
        self.key = config.key
        self.label = config.label

    # -- discovery -----------------------------------------------------------------
    def metadata(self) -> dict[str, str]:
        """Endpoints and issuer: discovered (cached for an hour), explicit values win."""
        config = self.config
        found: dict[str, Any] = {}
        url = config.discovery_url or (
            config.issuer.rstrip("/") + "/.well-known/openid-configuration" if config.issuer else ""
        )
        explicit_complete = all(
            (config.authorization_endpoint, config.token_endpoint, config.jwks_endpoint)
        ) and bool(config.issuer)
        if url and not explicit_complete:
            cache_key = "medvirk.identity.discovery:" + url
            found = cache.get(cache_key) or {}
            if not found:
                try:
                    response = requests.get(url, timeout=config.timeout)
                    response.raise_for_status()
                    found = response.json()
                except (requests.RequestException, ValueError) as exc:
                    logger.warning("OIDC discovery failed for %s: %s", config.key, exc)
                    raise IdentityRefused(
                        _("%(provider)s cannot be reached right now. Please try again later.")
                        % {"provider": self.label}
                    ) from exc
                cache.set(cache_key, found, 3600)
        meta = {
            "issuer": config.issuer or str(found.get("issuer", "")),
            "authorization_endpoint": config.authorization_endpoint
            or str(found.get("authorization_endpoint", "")),
            "token_endpoint": config.token_endpoint or str(found.get("token_endpoint", "")),
            "jwks_uri": config.jwks_endpoint or str(found.get("jwks_uri", "")),
            "userinfo_endpoint": config.userinfo_endpoint
            or str(found.get("userinfo_endpoint", "")),
        }
        if not all(meta[k] for k in ("issuer", "authorization_endpoint", "token_endpoint")):
            raise IdentityRefused(
                _("%(provider)s is not set up correctly. Please tell the municipality.")
                % {"provider": self.label}
            )
        return meta

    def redirect_uri(self, request: HttpRequest) -> str:
        return request.build_absolute_uri(
            reverse("identity:eid_callback", kwargs={"provider": self.key})
        )

    def check_acr(self, acr: str) -> None:
        check_acr(acr, self.config.acr_values, self.config.acr_order, self.label)

    # -- step 1: send the person to the provider -----------------------------------
    def start(self, request: HttpRequest, next_url: str) -> HttpResponse:
        meta = self.metadata()
        state = get_random_string(32)
        code_verifier = get_random_string(64)
        params: dict[str, str] = {
            "response_type": "code",
            "scope": self.config.scopes,
            "client_id": self.config.client_id,
            "redirect_uri": self.redirect_uri(request),
            "state": state,
            "nonce": get_random_string(32),
            "code_challenge": generate_code_challenge(code_verifier, "S256"),
            "code_challenge_method": "S256",
        }
        if self.config.acr_values:
            params["acr_values"] = self.config.acr_values
        if self.config.send_ui_locales:
            params["ui_locales"] = get_language() or settings.LANGUAGE_CODE
        params.update(self.config.extra_auth_params)
        add_state_and_verifier_and_nonce_to_session(request, state, params, code_verifier)
        request.session["oidc_states"][state].update({"provider": self.key, "next": next_url})
        request.session.modified = True
        return HttpResponseRedirect(f"{meta['authorization_endpoint']}?{urlencode(params)}")

    # -- step 2: the person comes back with a code ----------------------------------
    def callback(self, request: HttpRequest) -> tuple[VerifiedIdentity, str]:
        """Check everything and return the identity and where to go next."""
        state = request.GET.get("state", "")
        states = request.session.get("oidc_states")
        entry = states.pop(state, None) if isinstance(states, dict) and state else None
        request.session.modified = True  # a state is used once, also when the login fails
        if request.GET.get("error"):
            raise IdentityRefused(
                _("The login at %(provider)s was cancelled or did not succeed. Nothing was stored.")
                % {"provider": self.label}
            )
        if (
            entry is None
            or entry.get("provider") != self.key
            or time.time() - float(entry.get("added_on", 0)) > STATE_MAX_AGE_SECONDS
        ):
            raise IdentityRefused(
                _(
                    "This login could not be matched to one you started here (it may have been "
                    "used already, be too old, or come from another browser). Please start again."
                )
            )
        code = request.GET.get("code", "")
        if not code:
            raise IdentityRefused(
                _("%(provider)s did not send a login code. Please start again.")
                % {"provider": self.label}
            )
        meta = self.metadata()
        backend = self._backend(meta)
        token_payload = {
            "client_id": self.config.client_id,
            "client_secret": self.config.client_secret,
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.redirect_uri(request),
            "code_verifier": entry.get("code_verifier") or "",
        }
        try:
            token_info = backend.get_token(token_payload)
        except (requests.RequestException, ValueError) as exc:
            logger.warning("OIDC token request refused for %s: %s", self.key, type(exc).__name__)
            raise IdentityRefused(
                _("%(provider)s did not accept the login. Nothing was stored. Please try again.")
                % {"provider": self.label}
            ) from exc
        id_token = token_info.get("id_token") if isinstance(token_info, dict) else None
        if not id_token:
            raise IdentityRefused(self._unverifiable())
        try:
            claims = dict(backend.verify_token(id_token, nonce=entry.get("nonce")))
        except (SuspiciousOperation, jwt.PyJWTError, requests.RequestException) as exc:
            logger.warning("OIDC ID token rejected for %s: %s", self.key, type(exc).__name__)
            raise IdentityRefused(self._unverifiable()) from exc
        self._check_claims(claims, meta)
        self.check_acr(str(claims.get("acr", "")))
        if self.config.use_userinfo and meta["userinfo_endpoint"]:
            try:
                info = backend.get_userinfo(token_info.get("access_token"), id_token, claims)
            except (SuspiciousOperation, jwt.PyJWTError, requests.RequestException) as exc:
                logger.warning("OIDC userinfo failed for %s: %s", self.key, type(exc).__name__)
                raise IdentityRefused(self._unverifiable()) from exc
            if not isinstance(info, dict) or info.get("sub") != claims["sub"]:
                raise IdentityRefused(self._unverifiable())
            protected = {"iss", "aud", "exp", "iat", "nonce", "acr", "sub", "azp", "amr"}
            claims.update({k: v for k, v in info.items() if k not in protected})
        return self._identity(claims, meta["issuer"]), str(entry.get("next") or "")

    def _backend(self, meta: dict[str, str]) -> _Backend:
        return _Backend(
            {
                "OIDC_OP_TOKEN_ENDPOINT": meta["token_endpoint"],
                "OIDC_OP_USER_ENDPOINT": meta["userinfo_endpoint"],
                "OIDC_OP_JWKS_ENDPOINT": meta["jwks_uri"] or None,
                "OIDC_RP_CLIENT_ID": self.config.client_id,
                "OIDC_RP_CLIENT_SECRET": self.config.client_secret,
                "OIDC_RP_SIGN_ALGO": self.config.sign_algo,
                "OIDC_RP_IDP_SIGN_KEY": None,
                "OIDC_TOKEN_USE_BASIC_AUTH": (
                    self.config.token_auth_method == "client_secret_basic"  # noqa: S105
                ),
                "OIDC_USE_NONCE": True,
                "OIDC_VERIFY_KID": True,
                "OIDC_TIMEOUT": self.config.timeout,
                "OIDC_VERIFY_SSL": True,
                "OIDC_PROXY": None,
                "OIDC_STORE_ACCESS_TOKEN": False,
                "OIDC_STORE_ID_TOKEN": False,
            }
        )

    def _unverifiable(self) -> str:
        return _(
            "The answer from %(provider)s could not be verified, so you have not been logged "
            "in and nothing was stored. Please start again."
        ) % {"provider": self.label}

    def _check_claims(self, claims: dict[str, Any], meta: dict[str, str]) -> None:
        """What the library leaves to us: issuer, audience, lifetime, subject."""
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        now = time.time()
        ok = (
            claims.get("iss") == meta["issuer"]
            and self.config.client_id in audiences
            and (len(audiences) == 1 or claims.get("azp") == self.config.client_id)
            and isinstance(claims.get("exp"), int | float)
            and claims["exp"] > now - 60
            and isinstance(claims.get("iat"), int | float)
            and claims["iat"] < now + 300
            and isinstance(claims.get("sub"), str)
            and bool(claims["sub"])
        )
        if not ok:
            raise IdentityRefused(self._unverifiable())

    def _identity(self, claims: dict[str, Any], issuer: str) -> VerifiedIdentity:
        pid: str | None = None
        if self.config.pid_claim:
            value = claims.get(self.config.pid_claim)
            if isinstance(value, str) and value.isdigit() and len(value) == 11:
                pid = value
            elif value is not None:
                raise IdentityRefused(self._unverifiable())
        name = claims.get("name") or " ".join(
            str(claims[k]) for k in ("given_name", "family_name") if claims.get(k)
        )
        return VerifiedIdentity(
            provider=self.key,
            issuer=issuer,
            subject=str(claims["sub"]),
            national_id=pid,
            acr=str(claims.get("acr", "")),
            name=str(name or "")[:150],
            email=str(claims.get("email") or "")[:254],
            locale=str(claims.get("locale") or "")[:5],
        )


# -- the test provider -------------------------------------------------------------------


@dataclass(frozen=True)
class TestPerson:
    key: str
    name: str
    # Synthetic fødselsnummer (month + 80, as in Skatteetaten's synthetic test data): valid
    # check digits, never a real person.
    national_id: str
    # Made-up residence for ``residence.TestResidence`` (the demo kommune Lillevik is 9901;
    # county 99 does not exist). Never shown by the login.
    address: str = ""
    kommunenummer: str = ""
    district: str = ""  # the kommunedel (valkrins) the address lies in


TEST_PEOPLE: tuple[TestPerson, ...] = (
    # Born 1990, 1965, 2005 and 2012 (the dates are in the numbers).
    TestPerson(
        "kari", "Kari Testnordmann", "01819012365", "Skulevegen 4, Lillevik", "9901", "Sentrum"
    ),
    TestPerson("ola", "Ola Testnordmann", "15886512322", "Kaivegen 12, Lillevik", "9901", "Kaia"),
    # Lives in another kommune (Oslo): shows a signer who is not an inhabitant refused.
    TestPerson("aisha", "Aisha Testesen", "29920551384", "Storgata 51, 0182 Oslo", "0301"),
    # Fourteen in 2026: below a voting age of 16, old enough for a pupils' budget.
    TestPerson(
        "nora", "Nora Testnordmann", "14831254069", "Skulevegen 9, Lillevik", "9901", "Sentrum"
    ),
)

TEST_LEVELS: tuple[tuple[str, Any], ...] = (
    ("test-loa-low", gettext_lazy("Low (below what Medvirk requires: shows the refusal)")),
    ("idporten-loa-substantial", gettext_lazy("Substantial (like MinID)")),
    ("idporten-loa-high", gettext_lazy("High (like BankID)")),
)


class TestProvider(Provider):
    """Clearly marked fake e-ID for the demo and the tests; production refuses it."""

    is_test = True
    issuer = TEST_ISSUER
    required = "idporten-loa-substantial"

    def __init__(self) -> None:
        self.key = TEST_PROVIDER_KEY
        self.label = str(gettext_lazy("TEST – not a real e-ID"))

    def start(self, request: HttpRequest, next_url: str) -> HttpResponse:
        url = reverse("identity:test_provider")
        return HttpResponseRedirect(f"{url}?{urlencode({'next': next_url})}")

    def check_acr(self, acr: str) -> None:
        check_acr(acr, self.required, tuple(k for k, _label in TEST_LEVELS), self.label)

    def callback(self, request: HttpRequest) -> tuple[VerifiedIdentity, str]:
        """The test page's form is the provider's answer (POST person, level, next)."""
        level = request.POST.get("level", "")
        if level not in {key for key, _label in TEST_LEVELS}:
            raise IdentityRefused(_("Choose a level of assurance."))
        return self.identity(request.POST.get("person", ""), level), request.POST.get("next", "")

    def identity(self, person_key: str, acr: str) -> VerifiedIdentity:
        person = next((p for p in TEST_PEOPLE if p.key == person_key), None)
        if person is None:
            raise IdentityRefused(_("Choose one of the test persons."))
        return VerifiedIdentity(
            provider=self.key,
            issuer=self.issuer,
            subject=f"test-{person.key}",
            national_id=person.national_id,
            acr=acr,
            name=person.name,
        )


def test_provider_enabled() -> bool:
    return bool(getattr(settings, "MEDVIRK_TEST_IDENTITY_PROVIDER", False))


def oidc_providers() -> dict[str, OIDCProvider]:
    """Providers configured in settings.MEDVIRK_IDENTITY_PROVIDERS, by key."""
    providers: dict[str, OIDCProvider] = {}
    for raw in getattr(settings, "MEDVIRK_IDENTITY_PROVIDERS", None) or []:
        config = ProviderConfig.from_dict(dict(raw))
        if config.key in providers:
            raise ImproperlyConfigured(f"Identity provider key {config.key!r} is used twice.")
        providers[config.key] = OIDCProvider(config)
    return providers


def enabled_providers() -> dict[str, Provider]:
    """Every provider a person can choose, the test provider last (when enabled)."""
    providers: dict[str, Provider] = dict(oidc_providers())
    if test_provider_enabled():
        providers[TEST_PROVIDER_KEY] = TestProvider()
    return providers


def get_provider(key: str) -> Provider | None:
    return enabled_providers().get(key)
