"""The Lillevik demo data set."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str


DEMO_LOGINS: list[DemoLogin] = []


def load_demo() -> bool:
    return False
