"""Handler sources: the file an `aws_lambda_function`'s `handler` names, found in the scanned repository.

The loader gives each model a `HandlerFiles` (`model.handler_finder`). It answers two questions, each kept per
function, with None for "not found or not readable" (rules stay silent on it):

- `HandlerFiles.package(function)` gives the function's `HandlerPackage` (`ddblint.model.code_calls`): the
  language (Python, JavaScript or TypeScript), the handler file, the package root and a `SourceReader` through
  which the language readers follow the handler's local imports.
- `HandlerFiles.find(function)` gives the parsed Python handler file as a `HandlerSource` (path, parsed tree,
  handler name, text), which `ddblint.model.handler_code` reads (key names, retry settings).

Every path looked at, by the discovery below or by a reader following imports, is kept in `probes` (the findings
cache re-checks them), and each is read once per model.

How the file is found
---------------------
The language comes from `runtime`: `python*` is Python, `nodejs*` is JavaScript or TypeScript; another runtime
(`java21`, `provided.al2023`, ...) has no handler source here, and an unknown or unset runtime accepts whichever
file exists. Functions with `image_uri` or `package_type = "Image"` have none either.

`handler` names the module inside the deployment package:

- Python: `handler = "pkg.module.func"` (or `pkg/module.func`) is the file `pkg/module.py`, function `func`.
- JavaScript/TypeScript: `handler = "src/handlers/orders.handler"` is the module `src/handlers/orders` (the name
  up to the first dot of the last path part, as the Node.js runtime splits it), export `handler`. The module is
  `orders.js`, `orders.mjs` or `orders.cjs`, else its TypeScript source `orders.ts`; when the package directory is
  a compiled folder (`dist/`, `build/`, `out/`, `.build/`, `target/`), also `src/orders.ts` next to that folder.

The package's source directory is looked for, in this order; the first directory that holds the module wins:

1. `filename` (or `source_code_hash`) refers to an `archive_file` (`data "archive_file"` or the
   `resource "archive_file"` of the hashicorp/archive provider): its `source_dir` is the package root; its
   `source_file` is the package's only file, so it matches when its base name is the module's file name (a
   compiled `dist/index.js` also gives its source `src/index.ts` next to the compiled folder).
2. The function is declared in a module whose call passes `source_path` (terraform-aws-modules/lambda, which
   builds the zip itself) or `source_dir` as a string: that directory.
3. `filename` is a zip path (`build/orders.zip`): the directories `build/orders/`, `build/orders/src/`,
   `build/src/` and `build/` itself, in that order. When the zip sits in a build folder (`build/`, `dist/`,
   `out/`, `.build/`, `target/`), then the source folder named after the zip next to that folder (`orders/`),
   `src/` next to it and the folder's parent.
4. `s3_key` is a zip key (`lambda/orders.zip`): a source folder named after the zip (`orders/`, `src/orders/`,
   `lambda/orders/`, `functions/orders/`) in the directory of the module that declares the function.
5. Last, in the directory of the module that declares the function: `src/`, the directory itself, `lambda/`,
   `functions/<function_name>/` and `functions/<resource name>/`, and the folders named after a `filename` zip
   (`src/orders/`, `lambda/orders/`, `functions/orders/`).

Relative paths are tried against the root module's directory (Terraform resolves them against its working
directory) and then against the scan root. Only regular files inside the scan root, after resolving symlinks,
are read, up to 2 MB each, as UTF-8 (a byte order mark is accepted); others are not found. `find()` also skips a
Python file that does not parse (`SyntaxError`) and goes on to the next candidate.
"""

from __future__ import annotations

import ast
import posixpath
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Literal

from ddblint.model.code_calls import HandlerPackage, Language
from ddblint.model.handler_code import HandlerSource
from ddblint.model.values import MISSING, RefValue, Symbolic, origin_of

if TYPE_CHECKING:
    from ddblint.model import Model, Resource

ARCHIVE_TYPES = ("data.archive_file", "archive_file")
MAX_SOURCE_BYTES = 2_000_000  # larger files are not handler sources worth parsing
BUILD_DIRECTORIES = frozenset({"build", "dist", "out", ".build", "target"})
SCRIPT_SUFFIXES = (".js", ".mjs", ".cjs")  # in the order the module is looked for, before its `.ts` source
LanguageFamily = Literal["python", "script"]  # script: JavaScript or TypeScript, told by the file found


class HandlerFiles:
    """Finds and reads the handler files of one model's functions (the model's `handler_finder`)."""

    def __init__(self, model: Model):
        self.model = model
        self.scan_root = Path(model.root_dir)
        self.resolved_root = self.scan_root.resolve()
        self.sources: dict[str, HandlerSource | None] = {}  # function address -> its Python file, parsed
        self.packages: dict[str, HandlerPackage | None] = {}  # function address -> its package
        # Path looked at -> (path relative to the scan root, text) of the file read there, or None. Many
        # functions share candidates and imports, so each is resolved and read once; the keys are also what the
        # findings cache re-checks.
        self.probes: dict[Path, tuple[str, str] | None] = {}
        self.trees: dict[str, ast.Module | None] = {}  # Python file (relative path) -> its parsed tree
        self.reader = ScanRootReader(self)

    def find(self, function: Resource) -> HandlerSource | None:
        """The parsed Python handler file of an `aws_lambda_function`, or None (see the module docstring)."""
        if function.address not in self.sources:
            self.sources[function.address] = self._find(function)
        return self.sources[function.address]

    def package(self, function: Resource) -> HandlerPackage | None:
        """The handler package of an `aws_lambda_function` in any language read, or None (module docstring)."""
        if function.address not in self.packages:
            self.packages[function.address] = self._package(function)
        return self.packages[function.address]

    def read(self, candidate: Path) -> tuple[str, str] | None:
        """(path relative to the scan root, text) of a file inside the scan root, or None; recorded in probes."""
        if candidate not in self.probes:
            self.probes[candidate] = self._read_file(candidate)
        return self.probes[candidate]

    def _find(self, function: Resource) -> HandlerSource | None:
        for candidate in _candidates(self.model, function, families=("python",)):
            found = self.read(candidate.file)
            if found is None:
                continue
            path, text = found
            tree = self._parse(path, text)
            if tree is not None:
                return HandlerSource(path, tree, candidate.handler_name, text)
        return None

    def _package(self, function: Resource) -> HandlerPackage | None:
        for candidate in _candidates(self.model, function, families=("python", "script")):
            found = self.read(candidate.file)
            if found is None:
                continue
            path, _ = found
            return HandlerPackage(
                language=_language_of(path),
                handler_file=path,
                handler_name=candidate.handler_name,
                package_root=self._package_root(candidate.package_root, path),
                reader=self.reader,
            )
        return None

    def _package_root(self, directory: Path, handler_file: str) -> str:
        """The package directory relative to the scan root; the handler file's directory when it is not inside."""
        try:
            relative = directory.resolve().relative_to(self.resolved_root).as_posix()
        except (OSError, ValueError, RuntimeError):
            relative = None
        if relative is None or not PurePosixPath(handler_file).is_relative_to(PurePosixPath(relative)):
            return PurePosixPath(handler_file).parent.as_posix()
        return relative

    def _parse(self, path: str, text: str) -> ast.Module | None:
        if path not in self.trees:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", SyntaxWarning)  # invalid escapes in the user's code
                    self.trees[path] = ast.parse(text, filename=path)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                self.trees[path] = None
        return self.trees[path]

    def _read_file(self, candidate: Path) -> tuple[str, str] | None:
        root = self.resolved_root
        try:
            resolved = candidate.resolve()
            if not resolved.is_relative_to(root) or not resolved.is_file():
                return None  # outside the scan root (symlinks included), or missing: never read
            if resolved.stat().st_size > MAX_SOURCE_BYTES:
                return None
            text = resolved.read_bytes().decode("utf-8-sig")  # a byte order mark is normal input
        except (OSError, UnicodeDecodeError, RuntimeError, ValueError):
            return None
        return resolved.relative_to(root).as_posix(), text


class ScanRootReader:
    """The `SourceReader` of a model's handler packages: reads files inside the scan root through the finder, so
    every file a language reader follows is a probe the findings cache re-checks."""

    def __init__(self, files: HandlerFiles):
        self.files = files

    def read(self, path: str) -> str | None:
        candidate = self._candidate(path)
        if candidate is None:
            return None
        found = self.files.read(candidate)
        return found[1] if found is not None else None

    def exists(self, path: str) -> bool:
        """Whether `path` is a regular file inside the scan root (readable or not: too large, not UTF-8)."""
        candidate = self._candidate(path)
        if candidate is None:
            return False
        if self.files.read(candidate) is not None:
            return True
        try:
            resolved = candidate.resolve()
            return resolved.is_relative_to(self.files.resolved_root) and resolved.is_file()
        except (OSError, RuntimeError, ValueError):
            return False

    def _candidate(self, path: str) -> Path | None:
        """`path` (relative to the scan root, POSIX) as a path under the scan root, None when it cannot be one."""
        if not path or "\x00" in path or "\\" in path:
            return None
        pure = PurePosixPath(path)
        if pure.is_absolute():
            return None
        normalized = posixpath.normpath(path)
        if normalized == ".." or normalized.startswith("../"):
            return None
        return self.files.scan_root / normalized


def handler_source(model: Model, function: Resource) -> HandlerSource | None:
    """The Python handler file of a function, through the model's finder (one is made for a model without one)."""
    return handler_files(model).find(function)


def handler_package(model: Model, function: Resource) -> HandlerPackage | None:
    """The handler package of a function, through the model's finder (one is made for a model without one)."""
    return handler_files(model).package(function)


def handler_files(model: Model) -> HandlerFiles:
    """The model's handler finder (one is made and set for a model without one)."""
    if not isinstance(model.handler_finder, HandlerFiles):
        model.handler_finder = HandlerFiles(model)
    return model.handler_finder


def handler_probes(model: Model) -> list[Path]:
    """Every file looked at for the model's handlers and their imports (read, missing or refused)."""
    finder = model.handler_finder
    return list(finder.probes) if isinstance(finder, HandlerFiles) else []


@dataclass(frozen=True)
class Candidate:
    """A file that may be the handler module, and the package directory it would be in."""

    file: Path
    package_root: Path
    handler_name: str


@dataclass(frozen=True)
class ModuleName:
    """What `handler` names, for one language family: the module's file names relative to the package root."""

    family: LanguageFamily
    files: tuple[str, ...]  # `pkg/module.py`; or `src/orders.js`, `.mjs`, `.cjs`, `.ts`
    typescript_source: str | None  # `orders.ts`: looked for in `src/` next to a compiled package folder
    handler_name: str


def _candidates(model: Model, function: Resource, families: tuple[LanguageFamily, ...]) -> Iterator[Candidate]:
    """The files that may be the handler module, in the order of the module docstring."""
    if function.value("image_uri") is not MISSING or function.value("package_type") == "Image":
        return
    handler = function.value("handler")
    if not isinstance(handler, str):
        return
    names = [name for name in (_module_name(family, handler) for family in _families(function, families)) if name]
    if not names:
        return
    seen: set[Path] = set()
    archive = _archive_of(model, function)
    if archive is not None:
        source_dir = archive.value("source_dir")
        if isinstance(source_dir, str):
            yield from _files_in(model, PurePosixPath(source_dir), names, seen)
        source_file = archive.value("source_file")
        if isinstance(source_file, str):
            yield from _archived_file(model, PurePosixPath(source_file), names)
    for directory in _package_paths(function):
        yield from _files_in(model, directory, names, seen)


def _families(function: Resource, wanted: tuple[LanguageFamily, ...]) -> list[LanguageFamily]:
    runtime = function.value("runtime")
    if not isinstance(runtime, str):
        return list(wanted)  # unknown or unset: whichever file exists
    if runtime.startswith("python"):
        family = "python"
    elif runtime.startswith("nodejs"):
        family = "script"
    else:
        return []
    return [family] if family in wanted else []


def _module_name(family: LanguageFamily, handler: str) -> ModuleName | None:
    handler = handler.strip()
    if family == "python":
        module, dot, name = handler.rpartition(".")  # `pkg.module.func` or `pkg/module.func`
        if not dot or not module or not name.isidentifier():
            return None
        parts = module.replace("/", ".").split(".")
        if not all(part.isidentifier() for part in parts):
            return None
        return ModuleName("python", ("/".join(parts) + ".py",), None, name)
    directory, slash, last = handler.rpartition("/")  # `src/handlers/orders.handler`
    module, dot, name = last.partition(".")
    if not dot or not module or not all(_is_export_name(part) for part in name.split(".")):
        return None
    parts = [*(directory.split("/") if slash else []), module]
    if any(part in ("", ".", "..") or "\\" in part for part in parts):
        return None
    stem = "/".join(parts)
    files = tuple(stem + suffix for suffix in (*SCRIPT_SUFFIXES, ".ts"))
    return ModuleName("script", files, stem + ".ts", name)


def _is_export_name(part: str) -> bool:
    return bool(part) and part.replace("$", "_").isidentifier()


def _files_in(model: Model, directory: PurePosixPath, names: list[ModuleName], seen: set[Path]) -> Iterator[Candidate]:
    """The module's files in a package directory (each directory once)."""
    for base in _bases(model, str(directory)):
        if base in seen:
            continue
        seen.add(base)
        for name in names:
            for file in name.files:
                yield Candidate(base / file, base, name.handler_name)
            if name.typescript_source is not None and base.name in BUILD_DIRECTORIES:  # dist/ compiled from src/
                source_root = base.parent / "src"
                yield Candidate(source_root / name.typescript_source, source_root, name.handler_name)


def _archived_file(model: Model, source_file: PurePosixPath, names: list[ModuleName]) -> Iterator[Candidate]:
    """An archive of one file: the module when the file's base name is the module's file name (for a compiled
    `dist/index.js`, also its source `src/index.ts` next to the compiled folder)."""
    for name in names:
        if source_file.name not in name.files:
            continue
        for path in _bases(model, str(source_file)):
            yield Candidate(path, path.parent, name.handler_name)
        if name.typescript_source is not None and source_file.parent.name in BUILD_DIRECTORIES:
            source = source_file.parent.parent / "src" / name.typescript_source
            for path in _bases(model, str(source)):
                yield Candidate(path, path.parent, name.handler_name)


def _package_paths(function: Resource) -> Iterator[PurePosixPath]:
    """The directories, after the archive's, that may be the package root (module docstring, steps 2 to 5)."""
    instance = function.instance
    if instance.parent is not None:  # `module "orders" { source_path = "../src/orders" }`
        for name in ("source_path", "source_dir"):
            value = instance.variable(name) if name in instance.inputs else None
            if isinstance(value, str):
                yield PurePosixPath(value)
    zip_stems: list[str] = []
    filename = function.value("filename")
    if isinstance(filename, str) and filename.endswith(".zip"):
        zip_path = PurePosixPath(filename)
        zip_stems.append(zip_path.stem)
        yield from (zip_path.with_suffix(""), zip_path.with_suffix("") / "src", zip_path.parent / "src")
        yield zip_path.parent
        if zip_path.parent.name in BUILD_DIRECTORIES:  # build/orders.zip made from ../orders or ../src
            above = zip_path.parent.parent
            yield from (above / zip_path.stem, above / "src", above)
    module_dir = PurePosixPath(function.instance.source.rel_dir)
    s3_key = function.value("s3_key")
    if isinstance(s3_key, str) and s3_key.endswith(".zip"):
        stem = PurePosixPath(s3_key).stem
        yield from (module_dir / stem, *(module_dir / folder / stem for folder in ("src", "lambda", "functions")))
    yield from (module_dir / "src", module_dir, module_dir / "lambda")
    function_name = function.value("function_name")
    for name in (function_name if isinstance(function_name, str) else None, function.name):
        if name and "/" not in name and name not in (".", ".."):
            yield module_dir / "functions" / name
    for stem in zip_stems:
        yield from (module_dir / folder / stem for folder in ("src", "lambda", "functions"))


def _language_of(path: str) -> Language:
    if path.endswith(".py"):
        return "python"
    if path.endswith(".ts"):
        return "typescript"
    return "javascript"


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


__all__ = [
    "HandlerFiles",
    "HandlerSource",
    "ScanRootReader",
    "handler_files",
    "handler_package",
    "handler_probes",
    "handler_source",
]
