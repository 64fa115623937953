"""The shape of ``medvirk.algorithms``: one package per engine, imports in one direction.

Read from the source (no import of the modules): every module imports only the standard
library, third-party packages and ``medvirk.algorithms`` itself (no Django, no other
Medvirk package); module-level imports between the modules form no cycle; and an import
inside a function exists only for the reasons listed in ``DEFERRED``, never to get round
a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import medvirk.algorithms

ROOT = Path(medvirk.algorithms.__file__).resolve().parent
PACKAGES = {
    "archive",
    "geo",
    "opinion_map",
    "pb",
    "population",
    "representation",
    "sortition",
    "text",
    "weighting",
}

# (module, imported module) → why it is imported inside a function.
DEFERRED = {
    ("opinion_map.cli", "medvirk.algorithms.opinion_map.engine"): "numpy settings first",
    ("opinion_map.cli", "medvirk.algorithms.opinion_map.io"): "numpy settings first",
    ("opinion_map.matrix", "scipy.sparse"): "slow to load; only over 400 statements",
    ("opinion_map.matrix", "scipy.sparse.linalg"): "slow to load; only over 400 statements",
}


def _modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return found


def _imported(node: ast.Import | ast.ImportFrom) -> list[str]:
    """Absolute module names an import statement loads (submodules resolved)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    assert node.level == 0, "imports in medvirk.algorithms are absolute"
    base = node.module or ""
    names = []
    for alias in node.names:
        candidate = f"{base}.{alias.name}"
        relative = candidate.removeprefix("medvirk.algorithms.").replace(".", "/")
        if (ROOT / f"{relative}.py").is_file() or (ROOT / relative / "__init__.py").is_file():
            names.append(candidate)  # a submodule
        elif base not in names:
            names.append(base)  # a name defined in ``base`` itself
    return names


def _imports(tree: ast.Module) -> tuple[list[str], list[str]]:
    """(module-level imports, imports inside functions); TYPE_CHECKING blocks left out."""
    top: list[str] = []
    deferred: list[str] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                (deferred if in_function else top).extend(_imported(child))
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            visit(child, inner)

    visit(tree, False)
    return top, deferred


MODULES = _modules()


def test_one_package_per_engine() -> None:
    flat = {path.name for path in ROOT.glob("*.py")}
    assert flat == {"__init__.py"}
    folders = {path.name for path in ROOT.iterdir() if path.is_dir() and path.name != "__pycache__"}
    assert folders == PACKAGES
    assert all((ROOT / name / "__init__.py").is_file() for name in PACKAGES)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_pure_python(name: str) -> None:
    top, deferred = _imports(MODULES[name])
    for module in top + deferred:
        assert module.split(".")[0] != "django", f"{name} imports {module}"
        if module.startswith("medvirk"):
            assert module.startswith("medvirk.algorithms"), f"{name} imports {module}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_inside_functions_have_a_reason(name: str) -> None:
    _, deferred = _imports(MODULES[name])
    unexplained = [module for module in deferred if (name, module) not in DEFERRED]
    assert unexplained == [], f"{name}: import inside a function: {unexplained}"


def test_no_import_cycles() -> None:
    graph = {
        name: {
            module.removeprefix("medvirk.algorithms.")
            for module in _imports(tree)[0]
            if module.startswith("medvirk.algorithms.")
        }
        & set(MODULES)
        for name, tree in MODULES.items()
    }
    done: set[str] = set()

    def walk(name: str, path: list[str]) -> None:
        if name in path:
            cycle = [*path[path.index(name) :], name]
            pytest.fail("import cycle: " + " -> ".join(cycle))
        if name in done:
            return
        for target in sorted(graph[name]):
            walk(target, [*path, name])
        done.add(name)

    for name in sorted(graph):
        walk(name, [])
    # The counting rules in one direction: Equal Shares needs no rule registry.
    assert "pb.rules" in graph["pb"]
    assert "pb.equal_shares" in graph["pb.rules"]
    assert not {"pb", "pb.rules"} & graph["pb.equal_shares"]
