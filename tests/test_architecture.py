"""The package's import graph: no cycles between ddblint modules, no private names imported across modules.

Imports are read with `ast` from every module of `linter/ddblint`: module-level and function-level ones,
`import x` and `from x import y`, relative imports resolved. `from package import name` counts as an import of
`package.name` when that is a module, else of `package`.

Imports under `if TYPE_CHECKING:` never run: two classes may name each other in annotations (a `Model` and the
`Facts` computed from it) without an import cycle, so they do not count for cycles. They do count for the layer
rules (the model names nothing of the loaders, not even in an annotation) and for private names.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "linter" / "ddblint"


@dataclass(frozen=True)
class Import:
    importer: str  # the importing module, dotted
    module: str  # the imported module, dotted
    name: str | None  # the name taken from it (`from module import name`), None for `import module`
    line: int
    type_checking: bool  # written under `if TYPE_CHECKING:`: annotations only, never executed


def module_names(package_dir: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package rooted at `package_dir`."""
    root = package_dir.parent
    names = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _resolve_relative(importer: str, is_package: bool, level: int, module: str | None) -> str:
    base = importer.split(".")
    if not is_package:
        base.pop()
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([*base, module] if module else base)


def imports_of(name: str, path: Path, modules: Iterable[str]) -> Iterator[Import]:
    """Every import in a module that targets a module of the package, wherever it is written."""
    known = set(modules)
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    type_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and _is_type_checking(node.test)
        for statement in node.body
        for inner in ast.walk(statement)
    }
    for node in ast.walk(tree):
        type_checking = id(node) in type_only
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    yield Import(name, alias.name, None, node.lineno, type_checking)
        elif isinstance(node, ast.ImportFrom):
            target = _resolve_relative(name, is_package, node.level, node.module) if node.level else (node.module or "")
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                if submodule in known:
                    yield Import(name, submodule, None, node.lineno, type_checking)
                elif target in known:
                    yield Import(name, target, alias.name, node.lineno, type_checking)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def import_graph(package_dir: Path, *, type_checking: bool = False) -> tuple[dict[str, set[str]], list[Import]]:
    """Module -> the package modules it imports (with `type_checking`, also those imported for annotations),
    and every import found."""
    modules = module_names(package_dir)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    imports = []
    for name, path in modules.items():
        for found in imports_of(name, path, modules):
            imports.append(found)
            if found.module != name and (type_checking or not found.type_checking):
                graph[name].add(found.module)
    return graph, imports


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component of more than one module (Tarjan), as a closed path."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_cycle_path(graph, set(component)) for component in sorted(components)]


def _cycle_path(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """A shortest closed import path through a strongly connected component, from its first module back to it."""
    start = min(component)
    parents: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for target in sorted(graph[node] & component):
            if target == start:
                path = [node]
                while (parent := parents[path[-1]]) is not None:
                    path.append(parent)
                return [*reversed(path), start]
            if target not in parents:
                parents[target] = node
                queue.append(target)
    raise AssertionError(f"no cycle through {start}")


def private_imports(imports: Iterable[Import]) -> list[Import]:
    """Names starting with `_` taken from another module (dunder names such as `__version__` are public)."""
    return [
        found
        for found in imports
        if found.name is not None
        and found.name.startswith("_")
        and not (found.name.startswith("__") and found.name.endswith("__"))
        and found.module != found.importer
    ]


# -- the package itself -------------------------------------------------------------------------------------


def test_the_package_has_no_import_cycles():
    graph, _ = import_graph(PACKAGE_DIR)
    cycles = import_cycles(graph)
    assert cycles == [], "import cycles:\n" + "\n".join(" -> ".join(cycle) for cycle in cycles)


def test_no_private_name_is_imported_from_another_module():
    _, imports = import_graph(PACKAGE_DIR)
    found = [f"{i.importer}:{i.line} imports {i.name} from {i.module}" for i in private_imports(imports)]
    assert found == []


def test_no_rule_module_imports_another_rule_module():
    graph, _ = import_graph(PACKAGE_DIR, type_checking=True)
    families = {name for name in graph if name.startswith("ddblint.rules.")}
    crossing = sorted((name, target) for name in families for target in graph[name] & families)
    assert crossing == []


def test_the_model_does_not_depend_on_loaders_rules_or_the_pipeline():
    graph, _ = import_graph(PACKAGE_DIR, type_checking=True)
    model = {name for name in graph if name == "ddblint.model" or name.startswith("ddblint.model.")}
    outward = sorted(
        (name, target)
        for name in model
        for target in graph[name]
        if target.startswith(
            (
                "ddblint.loaders",
                "ddblint.rules",
                "ddblint.check",
                "ddblint.plan",
                "ddblint.pipeline",
                "ddblint.findings_cache",
            )
        )
    )
    assert outward == []


# -- the checker, on synthetic packages ---------------------------------------------------------------------


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    package = tmp_path / "pkg"
    for relative, text in files.items():
        path = package / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return package


def test_a_function_level_cycle_is_reported_with_its_path(tmp_path):
    package = _package(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from pkg import b\n",
            "b.py": "def late():\n    from pkg.c import thing\n    return thing\n",
            "c.py": "import pkg.a\nthing = 1\n",
            "d.py": "from pkg import a\n",
        },
    )
    graph, _ = import_graph(package)
    assert import_cycles(graph) == [["pkg.a", "pkg.b", "pkg.c", "pkg.a"]]


def test_relative_imports_are_resolved(tmp_path):
    package = _package(
        tmp_path,
        {
            "__init__.py": "",
            "sub/__init__.py": "from .inner import VALUE\n",
            "sub/inner.py": "from .. import top\nVALUE = 1\n",
            "top.py": "from .sub import VALUE\n",
        },
    )
    graph, _ = import_graph(package)
    assert graph["pkg.sub"] == {"pkg.sub.inner"}
    assert graph["pkg.sub.inner"] == {"pkg.top"}
    assert graph["pkg.top"] == {"pkg.sub"}
    assert import_cycles(graph) == [["pkg.sub", "pkg.sub.inner", "pkg.top", "pkg.sub"]]


def test_annotation_only_imports_make_no_cycle_but_are_seen(tmp_path):
    package = _package(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from pkg.b import B\n",
            "b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import A, _Hidden\nB = 1\n",
        },
    )
    graph, imports = import_graph(package)
    assert import_cycles(graph) == []
    typed, _ = import_graph(package, type_checking=True)
    assert typed["pkg.b"] == {"pkg.a"}
    assert [(i.importer, i.name) for i in private_imports(imports)] == [("pkg.b", "_Hidden")]


def test_an_acyclic_package_passes(tmp_path):
    package = _package(
        tmp_path,
        {"__init__.py": "", "a.py": "from pkg import b, c\n", "b.py": "from pkg.c import x\n", "c.py": "x = 1\n"},
    )
    graph, _ = import_graph(package)
    assert import_cycles(graph) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from pkg.a import _hidden\n", [("pkg.b", "pkg.a", "_hidden")]),
        ("def f():\n    from .a import _hidden\n", [("pkg.b", "pkg.a", "_hidden")]),
        ("from pkg.a import public, __version__\n", []),
        ("import pkg.a\n", []),
    ],
)
def test_private_names_taken_from_another_module_are_found(tmp_path, source, expected):
    package = _package(tmp_path, {"__init__.py": "", "a.py": "_hidden = public = __version__ = 1\n", "b.py": source})
    _, imports = import_graph(package)
    assert [(i.importer, i.module, i.name) for i in private_imports(imports)] == expected
