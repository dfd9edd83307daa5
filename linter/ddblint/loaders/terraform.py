"""Find Terraform modules under the scanned paths, parse their files and build one `Model` per root module.

A root module is a directory with `.tf` files that no scanned module calls; it is checked together with the
local modules it calls (`source = "./..."`) and the remote modules `terraform init` downloaded
(`.terraform/modules/modules.json`). A module directory nobody calls is checked on its own.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ddblint.findings import InputError
from ddblint.loaders.handler import HandlerFiles
from ddblint.model import Model, ModuleInstance
from ddblint.model.evaluate import evaluate
from ddblint.model.expressions import Block, Body, Expr
from ddblint.model.sources import ModuleSource, SourceFile
from ddblint.parse_cache import ParseCache, ParseFailure, load_result, parse_text, parse_texts

TERRAFORM_SUFFIXES = (".tf", ".tf.json")  # native and JSON syntax
TERRAFORM_JSON_SUFFIXES = (".tf.json", ".tfvars.json")
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_MODULE_DEPTH = 16
_OUTSIDE_ROOT = "resolves outside the scan boundary, so it was not read"
SKIPPED_DIRECTORIES = {".git", ".terraform", ".venv", ".venv-checkov", "node_modules", "__pycache__", "build"}


def template_parts(text: str, file: str) -> list[str | Expr] | None:
    """A `templatefile()` template split into text and expressions (the model's `template_parser`)."""
    from ddblint.loaders import hcl  # the parser loads on first use: a run served by the caches never needs it

    return hcl.template_parts(text, file)


@dataclass(frozen=True)
class Note:
    """Something the user should know about the scan that is not a finding (an info message)."""

    file: str
    line: int
    message: str
    address: str = ""  # the module call it is about, module-qualified
    rule_id: str = "DDB003"  # the DDB rule it is reported as (DDB004: a path outside the scan boundary)
    root: str = ""  # the root module being loaded when it was noted ("" while finding the roots)


@dataclass(frozen=True)
class ValueLayer:
    """Values known from outside the configuration, laid over one root module's model (`ddblint plan`):
    the root variables a plan was made with, each resource's planned values and the planned instance keys."""

    root_variables: dict[str, object]
    known_values: dict[str, dict[str, object]]
    planned_keys: dict[str, list]


@dataclass
class LoadRecord:
    """What loading one module directory, one root module or the discovery gave: input errors, notes, the
    number of files read, the text of every .tf file, and (for a directory) its module calls."""

    errors: list[InputError] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    scanned: int = 0
    files: dict[str, str] = field(default_factory=dict)
    calls: list[tuple[str, str | None]] = field(default_factory=list)  # name, literal source (None: not literal)


@dataclass
class RootInputs:
    """Everything a root module's model and findings were built from (what the findings cache re-checks)."""

    dirs: set[Path] = field(default_factory=set)  # module directories used
    targets: list[tuple[str, str, str, tuple[str, ...], str]] = field(default_factory=list)  # calls resolved
    tfvars: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # directory, its tfvars file names
    probes: set[str] = field(default_factory=set)  # tfvars paths looked at


@dataclass
class LoadResult:
    models: list[Model]
    errors: list[InputError]
    notes: list[Note]
    files: dict[str, str]  # every parsed .tf file: rel path -> text (for suppression comments)
    json_files: list[Path]  # candidate standalone policy documents
    files_scanned: int = 0


def read_text(path: Path, rel: str) -> str:
    """Read a file as UTF-8. Raises InputErrorException with the line of the first bad byte."""
    return decode_text(read_bytes(path, rel), rel)


def read_bytes(path: Path, rel: str) -> bytes:
    """A file's bytes. Raises InputErrorException when it is too large or unreadable."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputErrorException(
                InputError(rel, 0, f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit")
            )
        return path.read_bytes()
    except OSError as error:
        raise InputErrorException(InputError(rel, 0, f"cannot read: {error.strerror or error}")) from None


def decode_text(data: bytes, rel: str) -> str:
    """A file's bytes as UTF-8 text with `\n` line endings. Raises InputErrorException with the line of the first
    bad byte.

    A UTF-8 byte order mark and CRLF line endings (a file saved on Windows) are normal input, as they are to
    Terraform: the mark is dropped and each CRLF becomes LF, so line numbers stay those of the file.
    """
    if b"\x00" in data[:8192]:
        raise InputErrorException(InputError(rel, 0, "binary file, not text"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputErrorException(InputError(rel, line, f"not valid UTF-8 (byte 0x{data[error.start]:02x})")) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


class InputErrorException(Exception):
    def __init__(self, error: InputError):
        super().__init__(str(error))
        self.error = error


class TerraformLoader:
    def __init__(
        self,
        root: Path,
        excluded: Callable[[str], bool] = lambda rel: False,
        *,
        cache: ParseCache | None = None,
        jobs: int | None = None,
    ):
        self.root = root.resolve()
        self.cache = cache  # None: parse every file
        self.jobs = jobs  # worker processes for parsing; None: the available cores
        self._parsed: dict[Path, tuple[str, Body] | InputError] = {}  # filled by prefetch()
        self.excluded = excluded
        # What loading gave, kept apart per module directory and per root module, so a run that takes some
        # of them from the findings cache adds up to the same totals.
        self.discovery = LoadRecord()
        self.directory_records: dict[Path, LoadRecord] = {}  # resolved directory -> its record
        self.root_records: dict[Path, LoadRecord] = {}  # resolved root directory -> its own record
        self.root_inputs: dict[Path, RootInputs] = {}  # resolved root directory -> what it was built from
        self._record = self.discovery  # where errors, notes and counts go now
        self._inputs: RootInputs | None = None  # the root being recorded (`recording`), if any
        # Module calls of a directory known without parsing it (the findings cache's directory summaries).
        self.known_calls: Callable[[Path], list[tuple[str, str | None]] | None] = lambda directory: None
        self._sources: dict[Path, ModuleSource | None] = {}
        self._resolved: dict[Path, Path] = {}

    def _records(self) -> list[LoadRecord]:
        return [self.discovery, *self.directory_records.values(), *self.root_records.values()]

    @property
    def errors(self) -> list[InputError]:
        return [error for record in self._records() for error in record.errors]

    @property
    def notes(self) -> list[Note]:
        return list(dict.fromkeys(note for record in self._records() for note in record.notes))

    @property
    def files(self) -> dict[str, str]:
        return {rel: text for record in self._records() for rel, text in record.files.items()}

    @property
    def files_scanned(self) -> int:
        return sum(record.scanned for record in self._records())

    @contextlib.contextmanager
    def recording(self, root_dir: Path) -> Iterator[tuple[LoadRecord, RootInputs]]:
        """Record, apart, what building and checking the root module in `root_dir` gives and reads."""
        record, inputs = LoadRecord(), RootInputs()
        saved = self._record, self._inputs
        self._record, self._inputs = record, inputs
        try:
            yield record, inputs
        finally:
            self._record, self._inputs = saved
            resolved = root_dir.resolve()
            self.root_records[resolved] = record
            self.root_inputs[resolved] = inputs

    def resolve_path(self, path: Path) -> Path:
        """`path.resolve()`, remembered for the run (a resolve is a system call per path component, and the
        loader asks about the same files and directories many times)."""
        resolved = self._resolved.get(path)
        if resolved is None:
            resolved = self._resolved[path] = path.resolve()
        return resolved

    def rel(self, path: Path) -> str:
        try:
            return self.resolve_path(path).relative_to(self.root).as_posix() or "."
        except ValueError:
            return path.as_posix()

    def inside_root(self, path: Path) -> bool:
        """True when `path` resolves inside the scan root; otherwise (a symlink out of it) a DDB004 note."""
        if self.resolve_path(path).is_relative_to(self.root):
            return True
        link = Path(os.path.relpath(path.absolute(), self.root)).as_posix()
        note = Note(link, 0, f"{link} resolves outside the scan boundary (a symlink?); not read", link, "DDB004")
        if note not in self._record.notes:
            self._record.notes.append(note)
        return False

    # -- discovery -------------------------------------------------------------------------------------
    def discover(self, paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
        """Module directories (with .tf files) and JSON files under the given paths."""
        module_dirs: set[Path] = set()
        json_files: set[Path] = set()
        for path in paths:
            path = path.resolve()
            if path.is_file():
                if path.name.endswith(TERRAFORM_SUFFIXES):
                    module_dirs.add(path.parent)
                elif path.suffix == ".json":
                    json_files.add(path)
                continue
            visited: set[Path] = set()
            for directory, dirnames, filenames in os.walk(path, followlinks=True):
                current = Path(directory)
                real = current.resolve()
                if real in visited:  # symlink loop
                    dirnames[:] = []
                    continue
                visited.add(real)
                if not self.inside_root(current):  # a symlink out of the repository: never read
                    dirnames[:] = []
                    continue
                dirnames[:] = sorted(
                    d for d in dirnames if d not in SKIPPED_DIRECTORIES and not self.excluded(self.rel(current / d))
                )
                if any(f.endswith(TERRAFORM_SUFFIXES) for f in filenames):
                    module_dirs.add(current)
                json_files.update(
                    current / f
                    for f in filenames
                    if f.endswith(".json")
                    and not f.endswith(TERRAFORM_JSON_SUFFIXES)
                    and not self.excluded(self.rel(current / f))
                    and self.inside_root(current / f)
                )
        return sorted(module_dirs), sorted(json_files)

    def module_source(self, directory: Path) -> ModuleSource | None:
        directory = directory.resolve()
        if self._inputs is not None:
            self._inputs.dirs.add(directory)
        if directory in self._sources:
            return self._sources[directory]
        record = LoadRecord()
        saved, self._record = self._record, record
        try:
            source = self._load_module_source(directory)
        finally:
            self._record = saved
        for call in source.module_calls if source is not None else []:
            value = call_source(call)
            record.calls.append((call.labels[0], value if isinstance(value, str) else None))
        self.directory_records[directory] = record
        self._sources[directory] = source
        return source

    def _load_module_source(self, directory: Path) -> ModuleSource | None:
        files: list[SourceFile] = []
        try:
            names = sorted(os.listdir(directory))
        except OSError as error:
            self._record.errors.append(InputError(self.rel(directory), 0, f"cannot read directory: {error.strerror}"))
            return None
        for name in names:
            path = directory / name
            if not name.endswith(TERRAFORM_SUFFIXES) or not path.is_file() or not self.inside_root(path):
                continue
            rel = self.rel(path)
            if self.excluded(rel):
                continue
            self._record.scanned += 1
            try:
                text, body = self.parse_file(path, rel)
            except InputErrorException as error:
                self._record.errors.append(error.error)
                continue
            self._record.files[rel] = text
            files.append(SourceFile(rel, text, body))
        source = ModuleSource(directory, self.rel(directory), files)
        source.index()
        return source

    def tfvars(self, directory: Path) -> dict[str, object]:
        """terraform.tfvars(.json), then *.auto.tfvars(.json) in lexical order: later files win, as in Terraform."""
        values: dict[str, object] = {}
        names = tfvars_names(os.listdir(directory))
        if self._inputs is not None:
            self._inputs.tfvars.append((str(directory), tuple(names)))
            self._inputs.probes.update(str(directory / name) for name in names)
        for name in names:
            path = directory / name
            if not path.is_file() or not self.inside_root(path):
                continue
            rel = self.rel(path)
            self._record.scanned += 1
            try:
                _, body = self.parse_file(path, rel)
            except InputErrorException as error:
                self._record.errors.append(error.error)
                continue
            for attribute_name, attribute in body.attributes.items():
                values[attribute_name] = evaluate(attribute.expr, _EmptyScope())
        return values

    # -- parsing (through the cache, in parallel) --------------------------------------------------------
    def parse_file(self, path: Path, rel: str) -> tuple[str, Body]:
        """A file's text and parsed body. Raises InputErrorException for unreadable or unparsable files."""
        parsed = self._parsed.pop(path, None)
        if parsed is None:
            self.prefetch([path])
            parsed = self._parsed.pop(path)
        if isinstance(parsed, InputError):
            raise InputErrorException(parsed)
        return parsed

    def prefetch(self, paths: Iterable[Path]) -> None:
        """Read, look up in the cache and parse (in parallel) the given files, for `parse_file`.

        The results do not depend on the order or grouping of prefetches: each file's result is its own.
        """
        pending: list[tuple[Path, str, str, str | None]] = []  # path, rel, text, cache key
        with _gc_paused():
            for path in paths:
                if path in self._parsed:
                    continue
                rel = self.rel(path)
                try:
                    data = read_bytes(path, rel)
                    text = decode_text(data, rel)
                except InputErrorException as error:
                    self._parsed[path] = error.error
                    continue
                key = None
                if self.cache is not None:
                    key = self.cache.key(data, syntax="json" if rel.endswith(".json") else "hcl")
                    cached = self.cache.get(key, rel)
                    if cached is not None:
                        self._store(path, rel, text, cached)
                        continue
                pending.append((path, rel, text, key))
        if not pending:
            return
        if self.cache is None and len(pending) == 1:
            path, rel, text, _ = pending[0]
            self._store(path, rel, text, parse_text(text, rel))
            return
        blobs = parse_texts([(text, rel) for _, rel, text, _ in pending], jobs=self.jobs)
        with _gc_paused():
            for (path, rel, text, key), blob in zip(pending, blobs, strict=True):
                if blob is None:  # nests too deep to pickle: parse it here, uncached
                    self._store(path, rel, text, parse_text(text, rel))
                    continue
                if self.cache is not None and key is not None:
                    self.cache.put(key, blob)
                self._store(path, rel, text, load_result(blob, rel))

    def _store(self, path: Path, rel: str, text: str, result: Body | ParseFailure) -> None:
        if isinstance(result, ParseFailure):
            self._parsed[path] = InputError(rel, result.line, result.message)
        else:
            self._parsed[path] = (text, result)

    def _tf_files(self, directory: Path) -> list[Path]:
        """The .tf and .tfvars files `module_source` and `tfvars` will read in a directory."""
        directory = directory.resolve()
        try:
            names = sorted(os.listdir(directory))
        except OSError:
            return []
        tfvars = set(tfvars_names(names))
        found = []
        for name in names:
            if name.endswith(TERRAFORM_SUFFIXES) or name in tfvars:
                path = directory / name
                if (
                    path.is_file()
                    and self.resolve_path(path).is_relative_to(self.root)
                    and not (name.endswith(TERRAFORM_SUFFIXES) and self.excluded(self.rel(path)))
                ):
                    found.append(path)
        return found

    # -- module calls ----------------------------------------------------------------------------------
    def call_target(self, caller_dir: Path, root_dir: Path, call: Block, call_path: list[str]) -> Path | str:
        """The directory a module call loads, or a string saying why it can't be loaded."""
        return self.target_for_source(caller_dir, root_dir, call_source(call), call_path)

    def target_for_source(self, caller_dir: Path, root_dir: Path, source: object, call_path: list[str]) -> Path | str:
        """`call_target` for a call whose `source` evaluates to `source` (`call_source`)."""
        target = self.resolve_source(caller_dir, root_dir, source, call_path)
        if self._inputs is not None and isinstance(source, str):
            self._inputs.targets.append((str(caller_dir), str(root_dir), source, tuple(call_path), str(target)))
        return target

    def resolve_source(self, caller_dir: Path, root_dir: Path, source: object, call_path: list[str]) -> Path | str:
        """The directory a module `source` loads, or why it can't be loaded (nothing recorded)."""
        if not isinstance(source, str):
            return "its source is not a literal string"
        if source.startswith(("./", "../")) or source in (".", ".."):
            target = (caller_dir / source).resolve()
            if not target.is_relative_to(self.root):
                return f"its source {source!r} {_OUTSIDE_ROOT}"
            if not target.is_dir():
                return f"its source {source!r} does not exist"
            return target
        manifest = root_dir / ".terraform" / "modules" / "modules.json"
        if manifest.is_file():
            try:
                entries = json.loads(manifest.read_text(encoding="utf-8")).get("Modules", [])
            except (OSError, ValueError, AttributeError):
                entries = []
            key = ".".join(call_path)
            for entry in entries if isinstance(entries, list) else []:
                if isinstance(entry, dict) and entry.get("Key") == key and isinstance(entry.get("Dir"), str):
                    target = (root_dir / entry["Dir"]).resolve()
                    if target.is_dir() and target.is_relative_to(self.root):
                        return target
        return f"remote source {source!r} is not downloaded (run `terraform init` to check it too)"

    def build_model(self, root_dir: Path, layer: ValueLayer | None = None) -> Model:
        """The model of the root module in `root_dir`, with the values of `layer` laid over it when given."""
        source = self.module_source(root_dir)
        model = Model(root_dir=self.root, module_dir=self.rel(root_dir), template_parser=template_parts)
        model.handler_finder = HandlerFiles(model)
        if layer is not None:
            model.known_values = layer.known_values
            model.planned_keys = layer.planned_keys
        if source is None:
            return model

        def resolve(caller: ModuleInstance, call: Block):
            names = []
            instance: ModuleInstance | None = caller
            while instance is not None and instance.call is not None:
                names.append(instance.call.labels[0])
                instance = instance.parent
            call_path = [*reversed(names), call.labels[0]]
            if caller.depth >= MAX_MODULE_DEPTH:
                self._note(
                    caller, call, f"module.{call.labels[0]} not followed: modules nested over {MAX_MODULE_DEPTH} deep"
                )
                return None
            target = self.call_target(caller.source.directory, root_dir, call, call_path)
            if isinstance(target, str):
                outside = target.endswith(_OUTSIDE_ROOT)
                self._note(caller, call, f"module.{call.labels[0]} not checked: {target}", outside)
                return None
            ancestors = set()
            instance = caller
            while instance is not None:
                ancestors.add(instance.source.directory)
                instance = instance.parent
            if target in ancestors:
                self._note(caller, call, f"module.{call.labels[0]} not followed: it calls itself (a module cycle)")
                return None
            return self.module_source(target)

        model.module_resolver = resolve
        # A plan says what every root variable was: -var, TF_VAR_*, tfvars files and defaults alike.
        tfvars = dict(layer.root_variables) if layer is not None else self.tfvars(root_dir)
        root = ModuleInstance(model, source, "", tfvars=tfvars)
        model.instances.append(root)
        root.expand_all()
        model.finish()
        return model

    def _cycle_roots(self, module_dirs: list[Path], roots: list[Path]) -> list[Path]:
        """Module directories no root reaches: each calls the next in a cycle (a module that sources itself,
        directly or through another). The first of each, in path order, is checked as a root, where the
        cycle gets its DDB003 note; without this they would be skipped silently."""
        calls: dict[Path, list[Path]] = {}
        for directory in module_dirs:
            calls[directory.resolve()] = self.call_targets(directory)
        reached: set[Path] = set()

        def reach(start: Path) -> None:
            stack = [start.resolve()]
            while stack:
                directory = stack.pop()
                if directory not in reached:
                    reached.add(directory)
                    stack.extend(calls.get(directory, []))

        for root in roots:
            reach(root)
        extra = []
        for directory in module_dirs:
            if directory.resolve() not in reached:
                extra.append(directory)
                reach(directory)
        return extra

    def _note(self, caller: ModuleInstance, call: Block, message: str, outside_root: bool = False) -> None:
        rule_id = "DDB004" if outside_root else "DDB003"
        address = caller.qualify(f"module.{call.labels[0]}")
        note = Note(call.file, call.line, message, address, rule_id, caller.model.module_dir)
        if note not in self._record.notes:
            self._record.notes.append(note)

    def call_targets(self, directory: Path) -> list[Path]:
        """The directories the module calls of `directory` load, as its own root (for finding the roots)."""
        calls = self.known_calls(directory)
        if calls is None:
            self.module_source(directory)
            record = self.directory_records.get(directory.resolve())
            calls = record.calls if record is not None else []
        targets = []
        for label, source in calls:
            target = self.target_for_source(directory, directory, source, [label])
            if isinstance(target, Path):
                targets.append(target)
        return targets

    def prefetch_module_dirs(self, module_dirs: list[Path]) -> None:
        """Read and parse (in parallel, through the cache) every file of the module directories at once,
        except those whose module calls are known without parsing (`known_calls`)."""
        unknown = [directory for directory in module_dirs if self.known_calls(directory) is None]
        self.prefetch(path for directory in unknown for path in self._tf_files(directory))

    def find_roots(self, paths: Iterable[Path]) -> tuple[list[Path], list[Path], list[Path]]:
        """Module directories, JSON files and the root modules among the directories."""
        module_dirs, json_files = self.discover(paths)
        self.prefetch_module_dirs(module_dirs)
        called: set[Path] = set()
        for directory in module_dirs:
            called.update(self.call_targets(directory))
        roots = [d for d in module_dirs if d.resolve() not in called]
        roots += self._cycle_roots(module_dirs, roots)
        return module_dirs, json_files, roots

    def load(self, paths: Iterable[Path]) -> LoadResult:
        _, json_files, roots = self.find_roots(paths)
        models = [self.build_model(d) for d in roots]
        return LoadResult(models, self.errors, self.notes, self.files, json_files, self.files_scanned)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Unpickling parsed files builds hundreds of thousands of small objects, none of them garbage: with the
    cyclic GC on, it walks them again and again while they are created (a third of a warm run's time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def call_source(call: Block) -> object:
    """A module call's `source`, evaluated with literals only (a str when it is a literal string)."""
    source_attr = call.body.attributes.get("source")
    return evaluate(source_attr.expr, _EmptyScope()) if source_attr else None


class _EmptyScope:
    """For tfvars and module sources: literals only."""

    def lookup(self, name: str) -> object:
        from ddblint.model.values import UNKNOWN

        return UNKNOWN

    def read_file(self, path: object) -> object:
        from ddblint.model.values import UNKNOWN

        return UNKNOWN


def tfvars_names(names: Iterable[str]) -> list[str]:
    """The variable files Terraform loads automatically, in its order (later files win)."""
    auto = sorted(n for n in names if n.endswith((".auto.tfvars", ".auto.tfvars.json")))
    return ["terraform.tfvars", "terraform.tfvars.json", *auto]
