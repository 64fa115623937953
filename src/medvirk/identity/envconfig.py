"""Identity provider settings from the environment (imported by settings; no Django models).

Either give the whole list as JSON in ``MEDVIRK_IDENTITY_PROVIDERS`` or use the short
variables per provider:

    MEDVIRK_IDPORTEN_CLIENT_ID, MEDVIRK_IDPORTEN_CLIENT_SECRET,
    MEDVIRK_IDPORTEN_DISCOVERY_URL (default: production ID-porten),
    MEDVIRK_IDPORTEN_ACR (idporten-loa-substantial or idporten-loa-high)
    MEDVIRK_FEIDE_CLIENT_ID, MEDVIRK_FEIDE_CLIENT_SECRET, MEDVIRK_FEIDE_DISCOVERY_URL,
    MEDVIRK_FEIDE_SCOPES

A provider is enabled when its client id is set.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def providers_from_env(env: Mapping[str, str]) -> list[dict[str, Any]]:
    raw = env.get("MEDVIRK_IDENTITY_PROVIDERS", "").strip()
    if raw:
        value = json.loads(raw)
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise ValueError("MEDVIRK_IDENTITY_PROVIDERS must be a JSON list of objects.")
        return value
    providers: list[dict[str, Any]] = []
    for preset, extra in (("idporten", "ACR"), ("feide", "SCOPES")):
        prefix = f"MEDVIRK_{preset.upper()}_"
        client_id = env.get(prefix + "CLIENT_ID", "").strip()
        if not client_id:
            continue
        entry: dict[str, Any] = {
            "preset": preset,
            "key": preset,
            "client_id": client_id,
            "client_secret": env.get(prefix + "CLIENT_SECRET", ""),
        }
        if env.get(prefix + "DISCOVERY_URL"):
            entry["discovery_url"] = env[prefix + "DISCOVERY_URL"].strip()
        if env.get(prefix + extra):
            entry["acr_values" if extra == "ACR" else "scopes"] = env[prefix + extra].strip()
        providers.append(entry)
    return providers
