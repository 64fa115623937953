"""Every audit code has a translated label; unknown codes still read as words; the log page
shows labels, people and object names, never codes."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from medvirk.core import audit, audit_labels
from medvirk.organisations.models import Role
from tests import factories

SRC = Path(__file__).resolve().parents[2] / "src" / "medvirk"
CODE = re.compile(r"^[a-z_]+\.[a-z_]+$")


def _module_strings(tree: ast.Module) -> dict[str, str]:
    """Module-level NAME = "string" assignments (codes kept in constants)."""
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                    out[target.id] = node.value.value
    return out


def _is_record(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "record":
        return isinstance(func.value, ast.Name) and func.value.id == "audit"
    return isinstance(func, ast.Name) and func.id == "record"


def recorded_codes() -> dict[str, str]:
    """Every code passed to ``audit.record(…)`` in src (also in ``a if c else b`` and through
    a module constant), with where it is. An f-string code (``f"contribution.{verb}"``) is
    kept as its fixed part, "contribution.*"."""
    found: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _module_strings(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _is_record(node) and node.args):
                continue
            for part in ast.walk(node.args[0]):
                value = None
                if isinstance(part, ast.JoinedStr):
                    head = part.values[0] if part.values else None
                    if isinstance(head, ast.Constant) and str(head.value).endswith("."):
                        found[f"{head.value}*"] = f"{path.relative_to(SRC)}:{node.lineno}"
                    continue
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    value = part.value
                elif isinstance(part, ast.Name):
                    value = constants.get(part.id)
                if value and CODE.match(value):
                    found[value] = f"{path.relative_to(SRC)}:{node.lineno}"
    return found


def test_the_scan_finds_the_codes_it_should() -> None:
    codes = recorded_codes()
    # A few that have long existed, one through a conditional and one through a constant.
    assert {"response.set", "process.created", "process.updated", "plan.updated"} <= set(codes)
    assert audit.ERASURE_ACTION in codes
    assert len(codes) >= 20


def test_every_recorded_audit_code_has_a_label() -> None:
    codes = recorded_codes()
    missing = {
        code: where
        for code, where in codes.items()
        if not code.endswith("*") and code not in audit_labels.ACTIONS
    }
    assert not missing, f"audit codes without a label in core/audit_labels.py: {missing}"
    # A code made at run time must at least name a known thing, so its fallback reads well.
    unnamed = {
        code: where
        for code, where in codes.items()
        if code.endswith("*") and code[:-2] not in audit_labels.THINGS
    }
    assert not unnamed, f"audit codes built at run time from an unknown thing: {unnamed}"


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_every_label_is_translated(lang: str) -> None:
    with translation.override(lang):
        same = [
            code for code, label in audit_labels.ACTIONS.items() if str(label) == _english(label)
        ]
    assert not same, f"{lang}: labels left in English: {same}"


def _english(label: object) -> str:
    with translation.override("en"):
        return str(label)


def test_labels_follow_the_language() -> None:
    with translation.override("en"):
        assert audit_labels.action_label("response.set") == "Answer saved"
    with translation.override("nn"):
        assert audit_labels.action_label("response.set") != "Answer saved"
        assert "." not in audit_labels.action_label("response.set")


def test_an_unknown_code_reads_as_words_never_as_the_code() -> None:
    with translation.override("en"):
        assert audit_labels.action_label("contribution.merged") == "Input merged"
        assert audit_labels.action_label("theme.updated") == "Theme changed"
        assert audit_labels.action_label("case_document.published") == "Case document published"
        assert audit_labels.action_label("contribution.frobnicated") == "Other change: Input"
        assert audit_labels.action_label("zzz.yyy") == "Other action"
        assert audit_labels.action_label("") == "Other action"
    with translation.override("nb"):
        label = audit_labels.action_label("contribution.merged")
        assert label != "Input merged" and "contribution" not in label


def test_register_adds_a_method_apps_labels_and_refuses_a_clash() -> None:
    code = "example_method.thing_done"
    try:
        audit_labels.register({code: "Thing done"})
        assert audit_labels.action_label(code) == "Thing done"
        audit_labels.register({code: "Thing done"})  # the same again is fine
        with pytest.raises(ValueError):
            audit_labels.register({code: "Something else"})
    finally:
        audit_labels.ACTIONS.pop(code, None)


def test_objects_and_people_in_words() -> None:
    with translation.override("en"):
        assert audit_labels.object_label("accountability.response", "21") == "Response 21"
        assert audit_labels.object_label("nope.nothing", "5") == "Record 5"
        assert audit_labels.object_label("", "") == ""
        assert audit_labels.actor_label("user:2:sakshandsamar") == "sakshandsamar"
        assert audit_labels.actor_label("system") == "Medvirk (automatic)"
        assert audit_labels.actor_label("erased:0123456789abcdef") == "Erased person (01234567)"


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_the_audit_log_page_shows_labels_not_codes(lang: str) -> None:
    w = factories.world()
    item = factories.contribution(w.method, text="Kva kostar det?")
    factories.response(item, "adopted", "Vi gjer det.", by=w.officer)
    factories.staff(w.org, Role.MODERATOR)
    client = Client()
    client.force_login(w.admin)
    html = client.get("/stab/logg/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    for code in ("response.set", "process.created", "role.granted", "phase.saved"):
        assert f">{code}<" not in html
        assert f'data-action="{code}"' in html  # the code stays in the markup, not in the text
    assert "accountability.response" not in html and "processes.process" not in html
    assert f"user:{w.officer.pk}:" not in html
    with translation.override(lang):
        assert str(audit_labels.ACTIONS["response.set"]) in html
        assert str(audit_labels.ACTIONS["role.granted"]) in html
    # The table scrolls sideways on a phone, and says so.
    assert 'role="region"' in html and "table-scroll__hint" in html
