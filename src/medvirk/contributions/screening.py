"""Screening of everything a contribution may publish: national identity numbers and contact
details (e-mail addresses, phone numbers, links).

:func:`medvirk.contributions.actions.do_contribute` sends every publishable text of a
contribution through :func:`screen` — the text, the name given, the account's public name
when that is what will show, and every string a method puts in ``Draft.data`` — so a
method plug-in cannot forget it. Texts a plug-in stores in its own models (the survey's
free-text answers) go through :func:`screen` in the plug-in, which hands its findings to
``do_contribute`` in ``Draft.findings``.

On a match the number (with its separators) is masked in what is stored — the original is
never written to the database — and the contribution is held for a moderator.
``Contribution.held_reason`` keeps the findings as a short language-neutral code
(:func:`held_reason`); :func:`reasons` turns it into sentences in the reader's language,
naming the field and what kind of number it looks like.

Policy: every eleven digits that pass both check digits are masked and held, even when the
layout or the words around them say account number, amount or phone number — the moderator
is told that, and decides whether to publish the (still masked) text.

Contact details (``algorithms/text/contact.py``) hold the contribution too, but are not
masked: the moderator reads the text as written and approves or rejects it. They are looked
for after masking, so a national identity number is never also reported as a phone number.

The stored reason (``Contribution.held_reason``, at most 200 characters) is
``pnr:`` followed by findings joined with ``;``, each ``<field>=<kind>`` or
``<field>=<kind>~<hint>``, and ``;+N`` at the end when N more did not fit:

- ``<field>``: ``text``, ``author_name``, ``public_name``, ``answer.<n>`` (a survey's
  question n), ``data.<path>`` (a method's data), cut to 60 characters;
- ``<kind>``: ``fnr``, ``dnr``, ``hnr``, ``other`` (eleven digits that pass the check
  digits; ``<hint>`` ``account``, ``phone`` or ``amount`` says what they may be instead),
  or ``email``, ``phone``, ``link`` (contact details, never with a hint).

For example ``pnr:text=fnr~phone;text=email;author_name=phone``. (The prefix is from when
national identity numbers were the only finding; rows written then read the same.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from medvirk.algorithms.text import contact, fodselsnummer
from medvirk.algorithms.text.fodselsnummer import Hint, Kind

# held_reason is a CharField(max_length=200); the code is cut to fit at a whole finding.
REASON_MAX_LENGTH = 200
_PREFIX = "pnr:"

# Field names used by the core; a method names its own (``answer.3``, ``data.title``).
TEXT = "text"
AUTHOR_NAME = "author_name"
PUBLIC_NAME = "public_name"


@dataclass(frozen=True)
class Finding:
    """Something found in one field: ``kind`` and ``hint`` are the detectors' values
    (``fodselsnummer.Kind``/``Hint``, or ``contact.Kind`` with no hint)."""

    field: str
    kind: str
    hint: str = ""


def screen(field: str, text: str) -> tuple[str, list[Finding]]:
    """``text`` with every national identity number masked, and what was found in it
    (named ``field``): the numbers, then the kinds of contact detail (not masked)."""
    matches = fodselsnummer.scan(text)
    findings = [Finding(field, m.kind.value, m.hint.value) for m in matches]
    if matches:
        text = fodselsnummer.mask_matches(text, matches)
    findings += [Finding(field, kind.value) for kind in contact.kinds(text)]
    return text, findings


def screen_data(data: Any, path: str = "data") -> tuple[Any, list[Finding]]:
    """``data`` (JSON) with every string value screened; fields are named by their path."""
    if isinstance(data, str):
        return screen(path, data)
    if isinstance(data, dict):
        out: dict[Any, Any] = {}
        found: list[Finding] = []
        for key, value in data.items():
            out[key], more = screen_data(value, f"{path}.{key}")
            found += more
        return out, found
    if isinstance(data, list | tuple):
        items: list[Any] = []
        found = []
        for index, value in enumerate(data):
            item, more = screen_data(value, f"{path}.{index}")
            items.append(item)
            found += more
        return items, found
    return data, []


# --- the stored reason ----------------------------------------------------------------------


def _code(finding: Finding) -> str:
    # A method's data path can be long: 60 characters name it well enough for a moderator.
    return f"{finding.field[:60]}={finding.kind}" + (f"~{finding.hint}" if finding.hint else "")


def held_reason(findings: Iterable[Finding]) -> str:
    """The findings as ``pnr:text=fnr;author_name=other~account;text=link``, at most 200
    characters (the format is in this module's docstring).

    Repeats are dropped; when the findings do not fit, the code ends with ``;+N`` (N more).
    """
    codes = list(dict.fromkeys(_code(f).replace(";", ",") for f in findings))
    kept: list[str] = []
    for index, code in enumerate(codes):
        rest = len(codes) - index - 1
        tail = f";+{rest}" if rest else ""
        candidate = _PREFIX + ";".join([*kept, code]) + tail
        if len(candidate) > REASON_MAX_LENGTH:
            break
        kept.append(code)
    left = len(codes) - len(kept)
    return _PREFIX + ";".join(kept) + (f";+{left}" if left else "")


def _field_label(field: str) -> str:
    if field == TEXT:
        return _("The text")
    if field == AUTHOR_NAME:
        return _("The name")
    if field == PUBLIC_NAME:
        return _("The account name shown publicly")
    if field.startswith("answer.") and field.removeprefix("answer.").isdigit():
        return _("The answer to question %(n)s") % {"n": field.removeprefix("answer.")}
    if field.startswith("data."):
        return _("The field “%(name)s”") % {"name": field.removeprefix("data.")}
    return _("The field “%(name)s”") % {"name": field}


_CONTACT = {
    contact.Kind.EMAIL.value: lambda: _("contains an e-mail address"),
    contact.Kind.PHONE.value: lambda: _("contains a phone number"),
    contact.Kind.LINK.value: lambda: _("contains a link"),
}


def _what(kind: str, hint: str) -> str:
    if kind in _CONTACT:
        return _CONTACT[kind]()
    others = {
        Hint.ACCOUNT.value: _("an account number"),
        Hint.PHONE.value: _("a phone number"),
        Hint.AMOUNT.value: _("an amount"),
    }
    if kind == Kind.CHECK_DIGITS_ONLY.value:
        if hint in others:
            return _(
                "11 digits that pass the check digits of a national identity number, "
                "but may be %(other)s"
            ) % {"other": others[hint]}
        return _(
            "11 digits that pass the check digits of a national identity number, but hold no "
            "valid date (may be an account number or another number)"
        )
    if hint in others:
        return _("could be a national identity number, or %(other)s") % {"other": others[hint]}
    if kind == Kind.D_NUMMER.value:
        return _("looks like a D-number")
    if kind == Kind.H_NUMMER.value:
        return _("looks like an H-number")
    return _("looks like a national identity number (fødselsnummer)")


def reasons(code: str) -> list[str]:
    """Why a contribution is held, one sentence per field and kind, in the active language.

    A reason not written by :func:`held_reason` (another check's, or an older row's) is
    shown as written.
    """
    if not code:
        return []
    if not code.startswith(_PREFIX):
        return [code]
    lines: list[str] = []
    for part in code.removeprefix(_PREFIX).split(";"):
        if part.startswith("+") and part[1:].isdigit():
            lines.append(_("… and %(n)s more") % {"n": part[1:]})
            continue
        field, _sep, rest = part.rpartition("=")
        kind, _sep, hint = rest.partition("~")
        if field:
            lines.append(f"{_field_label(field)}: {_what(kind, hint)}")
    return lines
