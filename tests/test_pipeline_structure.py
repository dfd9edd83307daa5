"""The pipeline's front ends stay thin: one pipeline module, no loader subclass, no import cycle between the
pipeline modules, and no private name imported across modules by them (function-level imports count)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "linter" / "ddblint"
PIPELINE_MODULES = (
    "ddblint.pipeline",
    "ddblint.check",
    "ddblint.plan_check",
    "ddblint.findings_cache",
    "ddblint.cli",
    "ddblint.loaders.terraform",
    "ddblint.loaders.plan",
    "ddblint.suppressions",
    "ddblint.rules.ddb",
)


def module_path(name: str) -> Path:
    path = PACKAGE.joinpath(*name.split(".")[1:])
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def imports_of(name: str) -> list[tuple[str, str]]:
    """(module, imported name) for every `from ddblint... import ...` anywhere in the module."""
    tree = ast.parse(module_path(name).read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ddblint"):
            found += [(node.module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, "") for alias in node.names if alias.name.startswith("ddblint")]
    return found


def test_no_private_names_imported():
    private = [
        (name, module, imported)
        for name in PIPELINE_MODULES
        for module, imported in imports_of(name)
        if imported.startswith("_") and not imported.startswith("__")
    ]
    assert private == []


def test_no_cycle_between_the_pipeline_modules():
    graph = {
        name: {module for module, _ in imports_of(name) if module in PIPELINE_MODULES} for name in PIPELINE_MODULES
    }
    for start in PIPELINE_MODULES:
        seen, stack = set(), list(graph[start])
        while stack:
            current = stack.pop()
            assert current != start, f"import cycle through {start}"
            if current not in seen:
                seen.add(current)
                stack.extend(graph[current])


def test_no_loader_subclass():
    subclasses = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = {base.id for base in node.bases if isinstance(base, ast.Name)}
                if "TerraformLoader" in bases:
                    subclasses.append(f"{path.name}:{node.name}")
    assert subclasses == []
