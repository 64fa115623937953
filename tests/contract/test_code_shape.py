"""The code checks its own shape where import-linter cannot see (its contracts are in
pyproject.toml and run in CI): views never query a model directly, and no Medvirk module is
imported inside a function to slip past the layers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "medvirk"


def _modules(pattern: str) -> list[Path]:
    return sorted(p for p in SRC.glob(pattern) if "migrations" not in p.parts)


# The public pages and the staff area own no models: every read goes through an app's
# queries. (An app's own views may query its own models; the import contracts keep them
# off other apps' models.)
VIEW_MODULES = [*_modules("public/*.py"), *_modules("staff/*.py")]


def _manager_uses(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in {"objects", "_default_manager"}
    ]


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_views_read_through_queries_not_model_managers(path: Path) -> None:
    assert _manager_uses(path) == [], f"{path}: query in the view; move it to queries.py"


def test_the_manager_check_finds_a_manager_call(tmp_path: Path) -> None:
    sample = tmp_path / "views.py"
    sample.write_text("def page(request):\n    return Process.objects.all()\n")
    assert _manager_uses(sample) == [2]


# AppConfig.ready() must import late (Django's rule); the opinion-map CLI sets numpy's
# thread count before numpy loads; the launcher imports Django only for the command run.
LATE_IMPORT_ALLOWED = {"apps.py", "algorithms/opinion_map/cli.py", "launch/demo.py"}


def _late_medvirk_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                other_app = module.startswith("medvirk.") and node.level == 0
                if other_app:
                    found.append(f"{path.relative_to(SRC)}:{node.lineno} {module}")
            elif isinstance(node, ast.Import):
                found += [
                    f"{path.relative_to(SRC)}:{node.lineno} {a.name}"
                    for a in node.names
                    if a.name.startswith("medvirk.")
                ]
    return found


def test_no_medvirk_module_is_imported_inside_a_function() -> None:
    late = []
    for path in _modules("**/*.py"):
        relative = str(path.relative_to(SRC))
        if path.name == "apps.py" or relative in LATE_IMPORT_ALLOWED:
            continue
        late += _late_medvirk_imports(path)
    assert late == []
