"""Class codes: short, easy to read aloud and type, hard to guess.

Six characters from 31 letters and digits without look-alikes (no 0/O, 1/I/L): about
8.9 × 10⁸ codes. A pupil also gives the class's school and grade, and failed attempts are
limited per connection (``limits``), so guessing an open class is hopeless. Shown as
``ABC-DEF``; typed with or without the dash or spaces, in any case.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 6
_TYPED = re.compile(r"[\s\-–.]")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str:
    """What a pupil typed as a stored code ('abc-def ' → 'ABCDEF'); '' if it cannot be one."""
    code = _TYPED.sub("", typed).upper()
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        return ""
    return code


def shown(code: str) -> str:
    return f"{code[:3]}-{code[3:]}" if len(code) == LENGTH else code
