"""A tiny OpenID provider on 127.0.0.1 for tests: discovery, JWKS, authorize, token, userinfo.

It is strict where a real provider is strict (PKCE S256, client authentication, one use per
code, exact redirect URI), signs ID tokens with an RS256 key made when it starts, and can be
told to misbehave (a lower ``acr``, a wrong ``nonce``) so tests can prove the client refuses.

    with LocalOpenIDProvider() as op:
        op.person = {"sub": "abc", "pid": "01819012365", "acr": "idporten-loa-high"}
        ...
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


class LocalOpenIDProvider:
    def __init__(self, client_id: str = "medvirk-test-client", client_secret: str = "") -> None:
        self.client_id = client_id
        self.client_secret = client_secret or secrets.token_urlsafe(24)
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(8)
        self.person: dict[str, Any] = {
            "sub": "pairwise-subject-1",
            "pid": "01819012365",
            "acr": "idporten-loa-substantial",
            "amr": ["MinID-PIN"],
            "locale": "nb",
        }
        self.userinfo_extra: dict[str, Any] = {}
        self.nonce_override: str | None = None
        self.authorize_requests: list[dict[str, str]] = []
        self.token_errors: list[str] = []
        self._codes: dict[str, dict[str, Any]] = {}
        self._access_tokens: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self.issuer = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # -- lifecycle -------------------------------------------------------------------
    def __enter__(self) -> LocalOpenIDProvider:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def discovery_url(self) -> str:
        return self.issuer + "/.well-known/openid-configuration"

    # -- protocol ----------------------------------------------------------------------
    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": self.issuer + "/authorize",
            "token_endpoint": self.issuer + "/token",
            "jwks_uri": self.issuer + "/jwks",
            "userinfo_endpoint": self.issuer + "/userinfo",
            "response_types_supported": ["code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "acr_values_supported": ["idporten-loa-substantial", "idporten-loa-high"],
        }

    def jwks(self) -> dict[str, Any]:
        jwk = RSAAlgorithm.to_jwk(self._key.public_key(), as_dict=True)
        jwk.update({"kid": self.kid, "alg": "RS256", "use": "sig"})
        return {"keys": [jwk]}

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], str]:
        with self._lock:
            self.authorize_requests.append(dict(query))
        required = ("response_type", "client_id", "redirect_uri", "state", "nonce")
        if any(not query.get(k) for k in required):
            return 400, {}, "missing parameter"
        if query["response_type"] != "code" or query["client_id"] != self.client_id:
            return 400, {}, "unknown client or response type"
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return 400, {}, "PKCE with S256 is required"
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = {
                "redirect_uri": query["redirect_uri"],
                "challenge": query["code_challenge"],
                "nonce": query["nonce"],
                "person": dict(self.person),
                "expires": time.time() + 60,
            }
        location = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]})
        return 302, {"Location": location}, ""

    def token(self, form: dict[str, str], authorization: str) -> tuple[int, dict[str, Any]]:
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        if authorization.startswith("Basic "):
            decoded = base64.b64decode(authorization[6:]).decode()
            client_id, _sep, secret = decoded.partition(":")
        if client_id != self.client_id or not hmac.compare_digest(secret, self.client_secret):
            return self._token_error(401, "invalid_client")
        if form.get("grant_type") != "authorization_code":
            return self._token_error(400, "unsupported_grant_type")
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)
        if grant is None or grant["expires"] < time.time():
            return self._token_error(400, "invalid_grant")
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return self._token_error(400, "invalid_grant")
        verifier = form.get("code_verifier", "")
        if not verifier or not hmac.compare_digest(s256(verifier), grant["challenge"]):
            return self._token_error(400, "invalid_grant")
        person = grant["person"]
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "exp": now + 120,
            "iat": now,
            "nonce": self.nonce_override or grant["nonce"],
            **person,
        }
        id_token = jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self.kid})
        access_token = secrets.token_urlsafe(24)
        with self._lock:
            self._access_tokens[access_token] = person
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 120,
            "id_token": id_token,
        }

    def _token_error(self, status: int, error: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.token_errors.append(error)
        return status, {"error": error}

    def userinfo(self, authorization: str) -> tuple[int, dict[str, Any]]:
        token = authorization[7:] if authorization.startswith("Bearer ") else ""
        with self._lock:
            person = self._access_tokens.get(token)
        if person is None:
            return 401, {"error": "invalid_token"}
        info = {"sub": person["sub"], **self.userinfo_extra}
        return 200, info

    # -- HTTP ----------------------------------------------------------------------------
    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        op = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def _json(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    self._json(200, op.discovery())
                elif url.path == "/jwks":
                    self._json(200, op.jwks())
                elif url.path == "/authorize":
                    status, headers, text = op.authorize(query)
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    body = text.encode()
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                elif url.path == "/userinfo":
                    self._json(*op.userinfo(self.headers.get("Authorization", "")))
                else:
                    self._json(404, {"error": "not_found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                form = {k: v[0] for k, v in parse_qs(raw).items()}
                if urlsplit(self.path).path == "/token":
                    self._json(*op.token(form, self.headers.get("Authorization", "")))
                else:
                    self._json(404, {"error": "not_found"})

        return Handler
