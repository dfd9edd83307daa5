"""Handler sources: the Python file an `aws_lambda_function`'s `handler` names, found in the scanned repository.

The loader gives each model a `HandlerFiles` (`model.handler_finder`); the model's facts ask it for a
function's file (`ddblint.model.handler_code` reads what the code does). `HandlerFiles.find(function)` gives a
`HandlerSource` (path, parsed tree, handler name, text), or None for "not found or not readable": rules stay
silent on it. Answers are kept per function, and every candidate path looked at is kept in `probes` (the
findings cache re-checks them).

How the file is found
---------------------
`handler = "pkg.module.func"` names the file `pkg/module.py` (Lambda also accepts `pkg/module.func`) inside
the deployment package. The package's source directory is looked for, in this order:

1. `filename` (or `source_code_hash`) refers to an `archive_file` (`data "archive_file"` or the
   `resource "archive_file"` of the hashicorp/archive provider): its `source_dir` is the package root; its
   `source_file` is the package's only file, so it matches when its base name is `module.py`.
2. `filename` is a zip path (`build/orders.zip`): the directories `build/orders/`, `build/orders/src/`,
   `build/src/` and `build/` itself, in that order; the first that contains `pkg/module.py` wins. When the zip
   sits in a build folder (`build/`, `dist/`, `out/`, `.build/`, `target/`), then `src/` next to that folder and
   the folder's parent.
3. Last, `src/` in the directory of the module that declares the function, and that directory itself.

Relative paths are tried against the root module's directory (Terraform resolves them against its working
directory) and then against the scan root. Only regular files inside the scan root, after resolving
symlinks, are read. Functions with `image_uri` or `package_type = "Image"`, or with a `runtime` that is not
`python*`, have no handler source here; a function whose runtime is unknown or not set is accepted when the
`.py` file exists. Files that are not UTF-8 or do not parse (`SyntaxError`) give `None`.
"""

from __future__ import annotations

import ast
import posixpath
import warnings
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from ddblint.model.handler_code import HandlerSource
from ddblint.model.values import MISSING, RefValue, Symbolic, origin_of

if TYPE_CHECKING:
    from ddblint.model import Model, Resource

ARCHIVE_TYPES = ("data.archive_file", "archive_file")
MAX_SOURCE_BYTES = 2_000_000  # larger files are not handler sources worth parsing


class HandlerFiles:
    """Finds and reads the handler files of one model's functions (the model's `handler_finder`)."""

    def __init__(self, model: Model):
        self.model = model
        self.sources: dict[str, HandlerSource | None] = {}  # function address -> its file
        # Candidate path -> (path, tree, text) of the file read there, or None. Many functions share
        # candidates, so each is resolved and read once; the keys are also what the findings cache re-checks.
        self.probes: dict[Path, tuple[str, ast.Module, str] | None] = {}

    def find(self, function: Resource) -> HandlerSource | None:
        """The parsed handler file of an `aws_lambda_function`, or None (see the module docstring)."""
        if function.address not in self.sources:
            self.sources[function.address] = _find(self, function)
        return self.sources[function.address]


def handler_source(model: Model, function: Resource) -> HandlerSource | None:
    """The handler file of a function, through the model's finder (one is made for a model without one)."""
    if not isinstance(model.handler_finder, HandlerFiles):
        model.handler_finder = HandlerFiles(model)
    return model.handler_finder.find(function)


def handler_probes(model: Model) -> list[Path]:
    """Every candidate file looked at for the model's handlers (read, missing or refused)."""
    finder = model.handler_finder
    return list(finder.probes) if isinstance(finder, HandlerFiles) else []


def _find(files: HandlerFiles, function: Resource) -> HandlerSource | None:
    model = files.model
    runtime = function.value("runtime")
    if isinstance(runtime, str) and not runtime.startswith("python"):
        return None
    if function.value("image_uri") is not MISSING or function.value("package_type") == "Image":
        return None
    handler = function.value("handler")
    if not isinstance(handler, str):
        return None
    module_path, handler_name = _split_handler(handler)
    if module_path is None:
        return None
    for candidate in _candidates(model, function, module_path):
        found = _read(files, candidate, handler_name)
        if found is not None:
            return found
    return None


def _split_handler(handler: str) -> tuple[str | None, str]:
    """`pkg.module.func` or `pkg/module.func` -> (`pkg/module.py`, `func`)."""
    module, dot, name = handler.strip().rpartition(".")
    if not dot or not module or not name.isidentifier():
        return None, name
    parts = module.replace("/", ".").split(".")
    if not all(part.isidentifier() for part in parts):
        return None, name
    return "/".join(parts) + ".py", name


BUILD_DIRECTORIES = frozenset({"build", "dist", "out", ".build", "target"})


def _candidates(model: Model, function: Resource, module_path: str) -> list[Path]:
    """Files that may be the handler module, in the order of the module docstring."""
    candidates: list[Path] = []
    archive = _archive_of(model, function)
    if archive is not None:
        source_dir = archive.value("source_dir")
        source_file = archive.value("source_file")
        if isinstance(source_dir, str):
            candidates += [base / module_path for base in _bases(model, source_dir)]
        if isinstance(source_file, str) and PurePosixPath(source_file).name == module_path:
            candidates += _bases(model, source_file)
    filename = function.value("filename")
    if isinstance(filename, str) and filename.endswith(".zip"):
        zip_path = PurePosixPath(filename)
        for directory in (zip_path.with_suffix(""), zip_path.with_suffix("") / "src", zip_path.parent / "src"):
            candidates += [base / module_path for base in _bases(model, str(directory))]
        candidates += [base / module_path for base in _bases(model, str(zip_path.parent))]
        if zip_path.parent.name in BUILD_DIRECTORIES:  # build/orders.zip made from ../src
            above = zip_path.parent.parent
            for directory in (above / "src", above):
                candidates += [base / module_path for base in _bases(model, str(directory))]
    module_dir = PurePosixPath(function.instance.source.rel_dir)
    for directory in (module_dir / "src", module_dir):
        candidates += [base / module_path for base in _bases(model, str(directory))]
    return candidates


def _archive_of(model: Model, function: Resource) -> Resource | None:
    for name in ("filename", "source_code_hash"):
        value = function.value(name)
        ref = origin_of(value)
        if isinstance(value, Symbolic) and len(value.refs) == 1:
            ref = value.refs[0]
        archive = model.referenced(ref, *ARCHIVE_TYPES) if isinstance(ref, RefValue) else None
        if archive is not None:
            return archive
    return None


def _bases(model: Model, path: str) -> list[Path]:
    """`path` against the root module's directory, then against the scan root (no duplicates)."""
    root = Path(model.root_dir)
    normalized = posixpath.normpath(path)
    options = [root / model.module_dir / normalized, root / normalized]
    unique: list[Path] = []
    for option in options:
        if option not in unique:
            unique.append(option)
    return unique


def _read(files: HandlerFiles, candidate: Path, handler_name: str) -> HandlerSource | None:
    if candidate not in files.probes:
        files.probes[candidate] = _read_file(files.model, candidate)
    found = files.probes[candidate]
    if found is None:
        return None
    path, tree, text = found
    return HandlerSource(path, tree, handler_name, text)


def _read_file(model: Model, candidate: Path) -> tuple[str, ast.Module, str] | None:
    root = Path(model.root_dir).resolve()
    try:
        resolved = candidate.resolve()
        if not resolved.is_relative_to(root) or not resolved.is_file():
            return None  # outside the scan root (symlinks included), or missing: never read
        if resolved.stat().st_size > MAX_SOURCE_BYTES:
            return None
        text = resolved.read_bytes().decode("utf-8-sig")  # a byte order mark is normal input
    except (OSError, UnicodeDecodeError, RuntimeError):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)  # invalid escapes in the user's code are not our concern
            tree = ast.parse(text, filename=str(resolved))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return resolved.relative_to(root).as_posix(), tree, text


__all__ = ["HandlerFiles", "HandlerSource", "handler_probes", "handler_source"]
