"""The AWS SDK calls a Python handler makes, read from its source with `ast` (never imported or executed).

`python_calls(package)` parses the handler file and every local module it imports (`import db`, `from . import
db`, `from lib.db import put_order`, resolved against the package root and the importing file's directory, read
through the package's `SourceReader`), and returns `HandlerCalls` (`ddblint.model.code_calls`).

How values are read. Each module, function and class body is a scope whose names are bound by assignments,
parameters (with their defaults, or the arguments every local call site passes), imports, `with ... as`, function
and class definitions, `global` and `nonlocal`. Binding is flow-insensitive: a name bound to different values
in one scope is unknown, and `None` bindings (lazy initialisation) are skipped. A value is:

- a string: an environment variable (`os.environ["T"]`, `os.environ.get("T", d)`, `os.getenv("T")`,
  `environ["T"]`, `getenv("T")`), a literal, or a template (an f-string or `+` concatenation) with `*` for the
  parts that are computed;
- an SDK object: a boto3 client (`boto3.client("s3")`, `boto3.Session().client(...)`,
  `botocore.session.get_session().create_client(...)`, `resource.meta.client`), a boto3 resource
  (`boto3.resource("dynamodb")`, its `Table(name)`, `Bucket(name).Object(key)`: resource types and identifiers
  from boto3's resource models, `ddblint.model.boto3_resources`), a paginator, a batch writer, or a bound method
  of one of those;
- a local module, function (called: the value its `return` statements agree on, with the call's arguments bound),
  class or instance (`self.table = ...` in any method binds the attribute), a dict or list literal.

A call is an SDK call when its callee is a bound method of an SDK object that names an operation of the service
model (`sdk_actions.operation_for_method` / `operation_for_resource_method`), or `paginate` of a paginator.
Targets are read from the request parameters the service's API names (`sdk_actions.request_target`), filled
from the call's keywords, a literal dict spread into them (`**params`), and a resource's identifiers; batch
`RequestItems` keyed by table names, transaction `TransactItems`, PartiQL statements and EventBridge `Entries`
give one target per table, statement or bus. A name from an environment variable becomes `TargetName(env=...)`,
a literal `TargetName(literal=...)`, anything else `name=None`.

`HandlerCalls.dynamic` gets the calls whose operation or actions cannot be named statically: `getattr(client,
name)` with a computed name, a client whose service name is computed, transactions and PartiQL statements the
code builds, and calls of a method named like an operation of a service the code uses on an object whose origin
cannot be read (a parameter no local call site fills), since that may well be an SDK call. A client of a service
botocore does not know is ignored, and a method named like an operation on an object that is not an SDK object
is not a call. `unfollowed` gets relative imports that cannot be read, local modules that exist but cannot be
read or parsed, and modules beyond `MAX_FILES`.
"""

from __future__ import annotations

import ast
import posixpath
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

from ddblint.model import boto3_resources, sdk_actions
from ddblint.model.code_calls import (
    CallSite,
    CallTarget,
    HandlerCalls,
    HandlerPackage,
    SdkCall,
    TargetName,
)

MAX_FILES = 100  # local modules followed per handler; beyond, they are unfollowed
MAX_CALL_DEPTH = 8  # nested function-return evaluations
SITE_TEXT_LIMIT = 80
# Modules whose names are read as the SDK (never followed into, even when vendored into the package).
SDK_MODULES = frozenset({"boto3", "botocore", "s3transfer", "aioboto3", "aiobotocore", "os"})
# Functions and classes that make a session (aioboto3 and aiobotocore have boto3's and botocore's API)
SESSION_FACTORIES = frozenset(
    {
        "boto3.Session",
        "botocore.session.get_session",
        "botocore.session.Session",
        "aioboto3.Session",
        "aioboto3.session.Session",
        "aiobotocore.session.get_session",
        "aiobotocore.session.AioSession",
    }
)
NOT_FOLLOWED = frozenset(sys.stdlib_module_names) | SDK_MODULES


# -- values ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Env:
    """A string read from an environment variable."""

    variable: str


@dataclass(frozen=True)
class Text:
    """A literal string."""

    value: str


@dataclass(frozen=True)
class Template:
    """A string built from parts: literal text and values (None where a part is unknown)."""

    parts: tuple[str | object, ...]

    def pattern(self) -> str:
        """The string with every part that is not literal text as `*`."""
        text = "".join(p if isinstance(p, str) else p.value if isinstance(p, Text) else "*" for p in self.parts)
        while "**" in text:
            text = text.replace("**", "*")
        return text


@dataclass(frozen=True)
class External:
    """A module, class or function of a module outside the package (`boto3.client`, `os.environ`)."""

    dotted: str


@dataclass(frozen=True)
class Foreign:
    """What a function or class of another library returns: not an SDK object."""

    dotted: str


@dataclass(frozen=True)
class Session:
    """A boto3 or botocore session."""


@dataclass(frozen=True)
class Client:
    """A boto3 client; `service` is None when the code computes the service name."""

    service: str | None


@dataclass(frozen=True)
class Resource:
    """A boto3 resource: the service resource (`resource == ""`) or one of its resource types."""

    service: str
    resource: str
    identifiers: tuple[tuple[str, object], ...] = ()

    def identifier(self, name: str) -> object:
        return next((value for key, value in self.identifiers if key == name), None)


@dataclass(frozen=True)
class Meta:
    owner: Client | Resource


@dataclass(frozen=True)
class Paginator:
    service: str
    operation: str


@dataclass(frozen=True)
class BatchWriter:
    table: Resource


@dataclass(frozen=True)
class BoundMethod:
    owner: object
    method: str


@dataclass(frozen=True)
class ComputedMethod:
    """`getattr(sdk_object, name)` with a name the code computes."""

    owner: object


@dataclass(frozen=True)
class ModuleRef:
    """A local module or package: `base` is the directory its dotted name resolves against."""

    base: str
    dotted: str


@dataclass(frozen=True)
class Function:
    key: int  # id of its Scope


@dataclass(frozen=True)
class ClassRef:
    key: int  # id of its ClassInfo


@dataclass(frozen=True)
class Instance:
    key: int


@dataclass(frozen=True)
class DictValue:
    items: tuple[tuple[object, object], ...]
    complete: bool  # False when it has `**` parts

    def get(self, key: str) -> tuple[bool, object]:
        """(found, value) of a literal key; not found in a complete dict means absent."""
        for k, v in self.items:
            if isinstance(k, Text) and k.value == key:
                return True, v
        return False, None


@dataclass(frozen=True)
class ListValue:
    items: tuple[object, ...]


SDK_OBJECTS = (Client, Resource, Paginator, BatchWriter, Session, Meta)
MUTATING_METHODS = frozenset({"update", "setdefault", "append", "extend", "insert", "pop", "clear", "remove"})


@dataclass(frozen=True)
class Method:
    """A function of a class, taken from an instance: its first parameter is the instance."""

    function: Function
    instance: Instance


# -- scopes ----------------------------------------------------------------------------------------------------
@dataclass(eq=False)
class Module:
    path: str
    tree: ast.Module
    text: str
    scope: Scope = field(init=False)


@dataclass(eq=False)
class ClassInfo:
    name: str
    scope: Scope  # the class body
    attributes: dict[str, list[tuple[object, Scope]]] = field(default_factory=dict)  # self.X = ...


@dataclass(eq=False)
class Scope:
    """A module, function or class body: its name bindings."""

    module: Module
    node: ast.AST
    parent: Scope | None  # the enclosing function or module scope (class bodies are skipped for lookups)
    is_class: bool = False
    klass: ClassInfo | None = None  # for methods: their class
    names: dict[str, list[object]] = field(default_factory=dict)  # name -> bindings (see Reader._binding_value)
    globals_: set[str] = field(default_factory=set)
    nonlocals: set[str] = field(default_factory=set)
    parameters: list[str] = field(default_factory=list)
    defaults: dict[str, ast.AST] = field(default_factory=dict)
    star_imports: list[object] = field(default_factory=list)
    mutated: set[str] = field(default_factory=set)  # names whose dict or list is changed in place

    def bind(self, name: str, binding: object) -> None:
        self.names.setdefault(name, []).append(binding)


# Bindings: an ast expression evaluated in the scope, or one of these.
@dataclass(frozen=True)
class Bound:
    """A value known without evaluation (an import, a def)."""

    value: object


@dataclass(frozen=True)
class Opaque:
    """A binding whose value cannot be read (a loop variable, an augmented or subscript assignment)."""


@dataclass(frozen=True)
class FromModule:
    """`from module import name`: the name's value in that module, read lazily."""

    module: object  # ModuleRef
    name: str


@dataclass(frozen=True)
class WithItem:
    """`with expr as name`: `expr`'s value (a batch writer, ...)."""

    expr: ast.AST


@dataclass(frozen=True)
class Unpacked:
    """`a, b = x, y` at a position of a tuple value."""

    expr: ast.AST
    index: int


@dataclass(frozen=True)
class Parameter:
    name: str


class _Unknown:
    pass


UNKNOWN_VALUE = _Unknown()  # an evaluation result that is known to be unknown (for merges)


class Collector(ast.NodeVisitor):
    """Builds the scopes of one module and lists its calls and imports."""

    def __init__(self, module: Module, reader: Reader):
        self.module = module
        self.reader = reader
        self.scope = Scope(module, module.tree, None)
        module.scope = self.scope
        self.calls: list[tuple[ast.Call, Scope]] = []
        self.klass: ClassInfo | None = None

    def run(self) -> None:
        self.reader.register(self.scope)
        for statement in self.module.tree.body:
            self.visit(statement)

    # `ast.NodeVisitor.visit` looks the method up by name for every node: cached per node type here
    _dispatch: dict[type, object] = {}

    def visit(self, node: ast.AST) -> None:
        kind = type(node)
        method = self._dispatch.get(kind)
        if method is None:
            method = getattr(type(self), "visit_" + kind.__name__, None) or type(self).generic_visit
            self._dispatch[kind] = method
        method(self, node)  # type: ignore[operator]

    def generic_visit(self, node: ast.AST) -> None:
        # with a stack rather than recursion: long expressions (`a + b + ...`) nest as deep as they are long
        stack = [*ast.iter_child_nodes(node)][::-1]
        generic = type(self).generic_visit
        while stack:
            child = stack.pop()
            kind = type(child)
            method = self._dispatch.get(kind)
            if method is None:
                method = getattr(type(self), "visit_" + kind.__name__, None) or generic
                self._dispatch[kind] = method
            if method is generic:
                stack.extend([*ast.iter_child_nodes(child)][::-1])
            else:
                method(self, child)  # type: ignore[operator]

    # scopes
    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        for decorator in getattr(node, "decorator_list", ()):
            self.visit(decorator)
        args = node.args
        for default in [*args.defaults, *(d for d in args.kw_defaults if d is not None)]:
            self.visit(default)
        outer = self.scope
        enclosing = outer
        while enclosing.is_class:
            enclosing = enclosing.parent  # type: ignore[assignment]
        scope = Scope(self.module, node, enclosing, klass=self.klass if outer.is_class else None)
        self.reader.register(scope)
        positional = [*args.posonlyargs, *args.args]
        for arg, default in zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True):
            scope.defaults[arg.arg] = default
        for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
            if default is not None:
                scope.defaults[arg.arg] = default
        names = [a.arg for a in [*positional, *args.kwonlyargs]]
        scope.parameters = names
        for name in names:
            scope.bind(name, Parameter(name))
        for extra in (args.vararg, args.kwarg):
            if extra is not None:
                scope.bind(extra.arg, Opaque())
        if not isinstance(node, ast.Lambda):
            outer.bind(node.name, Bound(Function(id(scope))))
        saved_scope, saved_class = self.scope, self.klass
        self.scope, self.klass = scope, None
        body = node.body if isinstance(node.body, list) else [node.body]
        if isinstance(node, ast.Lambda):
            scope.bind("<return>", node.body)
        for statement in body:
            self.visit(statement)
        self.scope, self.klass = saved_scope, saved_class

    visit_AsyncFunctionDef = visit_FunctionDef
    visit_Lambda = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for expression in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
            self.visit(expression)
        scope = Scope(self.module, node, self.scope, is_class=True)
        info = ClassInfo(node.name, scope)
        self.reader.register(scope)
        self.reader.classes[id(info)] = info
        self.scope.bind(node.name, Bound(ClassRef(id(info))))
        saved_scope, saved_class = self.scope, self.klass
        self.scope, self.klass = scope, info
        for statement in node.body:
            self.visit(statement)
        self.scope, self.klass = saved_scope, saved_class

    # bindings
    def _target(self, target: ast.AST, value: object, position: int | None = None) -> None:
        scope = self._scope_for
        if isinstance(target, ast.Name):
            binding = value if position is None else Unpacked(value, position)  # type: ignore[arg-type]
            scope(target.id).bind(target.id, binding)
        elif isinstance(target, ast.Tuple | ast.List):
            for index, element in enumerate(target.elts):
                if isinstance(value, ast.AST) and position is None:
                    self._target(element, value, index)
                else:
                    self._target(element, Opaque())
        elif isinstance(target, ast.Starred):
            self._target(target.value, Opaque())
        elif isinstance(target, ast.Attribute):
            self._attribute_target(target, value if position is None else Opaque())
        elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
            name = target.value.id
            scope(name).mutated.add(name)  # a dict or list changed in place: its literal no longer holds

    def _attribute_target(self, target: ast.Attribute, value: object) -> None:
        """`self.x = ...` in a method binds the attribute of the method's class."""
        scope = self.scope
        owner = target.value
        if (
            scope.klass is not None
            and isinstance(owner, ast.Name)
            and scope.parameters
            and owner.id == scope.parameters[0]
        ):
            scope.klass.attributes.setdefault(target.attr, []).append((value, scope))

    def _scope_for(self, name: str) -> Scope:
        scope = self.scope
        if name in scope.globals_:
            return self.module.scope
        if name in scope.nonlocals:
            enclosing = scope.parent
            while enclosing is not None and name not in enclosing.names:
                enclosing = enclosing.parent
            return enclosing or scope
        return scope

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for target in node.targets:
            self._target(target, node.value)
            self._visit_target_expressions(target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
            self._target(node.target, node.value)
            self._visit_target_expressions(node.target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.value)
        self._target(node.target, Opaque())
        self._visit_target_expressions(node.target)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        self._target(node.target, node.value)

    def _visit_target_expressions(self, target: ast.AST) -> None:
        if isinstance(target, ast.Attribute | ast.Subscript):
            self.visit(target)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.visit(node.iter)
        self._target(node.target, Opaque())
        for statement in [*node.body, *node.orelse]:
            self.visit(statement)

    visit_AsyncFor = visit_For

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                if isinstance(item.optional_vars, ast.Name):
                    self._scope_for(item.optional_vars.id).bind(item.optional_vars.id, WithItem(item.context_expr))
                else:
                    self._target(item.optional_vars, Opaque())
        for statement in node.body:
            self.visit(statement)

    visit_AsyncWith = visit_With

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.type is not None:
            self.visit(node.type)
        if node.name:
            self.scope.bind(node.name, Opaque())
        for statement in node.body:
            self.visit(statement)

    def visit_comprehension(self, node: ast.comprehension) -> None:
        self.visit(node.iter)
        self._target(node.target, Opaque())
        for condition in node.ifs:
            self.visit(condition)

    def visit_Global(self, node: ast.Global) -> None:
        self.scope.globals_.update(node.names)

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        self.scope.nonlocals.update(node.names)

    def visit_Return(self, node: ast.Return) -> None:
        if node.value is not None:
            self.visit(node.value)
            self.scope.bind("<return>", node.value)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            value = self.reader.import_module(self.module, alias.name, 0, node)
            if alias.asname:
                self.scope.bind(alias.asname, Bound(value))
            elif "." not in alias.name:
                self.scope.bind(alias.name, Bound(value))
            else:  # `import a.b` binds `a`
                top = alias.name.split(".")[0]
                top_value = ModuleRef(value.base, top) if isinstance(value, ModuleRef) else External(top)
                self.scope.bind(top, Bound(top_value))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = self.reader.import_module(self.module, node.module or "", node.level, node)
        for alias in node.names:
            if alias.name == "*":
                self.scope.star_imports.append(module)
                continue
            name = alias.asname or alias.name
            if isinstance(module, ModuleRef):
                submodule = self.reader.submodule(module, alias.name)
                if submodule is None and self.reader.module_file(module) is None:
                    # `from . import x` in a directory without `__init__.py` and without `x.py`
                    self.reader.unfollow(_join(module.base, *module.dotted.split("."), alias.name) + ".py")
                    self.scope.bind(name, Opaque())
                    continue
                if submodule is None and node.level:
                    self.reader.name_checks.append((module, alias.name))
                self.scope.bind(name, Bound(submodule) if submodule is not None else FromModule(module, alias.name))
            elif isinstance(module, External):
                # `from services import notify` with `services/` a namespace package (no `__init__.py`)
                dotted = f"{module.dotted}.{alias.name}"
                submodule = self.reader.import_module(self.module, dotted, 0, node) if node.level == 0 else None
                self.scope.bind(name, Bound(submodule if isinstance(submodule, ModuleRef) else External(dotted)))
            else:
                self.scope.bind(name, Opaque())

    # uses
    def visit_Call(self, node: ast.Call) -> None:
        self.calls.append((node, self.scope))
        self.generic_visit(node)
        func = node.func
        # `x.update(...)`, `x.append(...)`: if `x` is a dict or list, it is changed in place
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.attr in MUTATING_METHODS:
            name = func.value.id
            self._scope_for(name).mutated.add(name)


class Reader:
    """Reads one handler package: modules, scopes, values, calls."""

    def __init__(self, package: HandlerPackage):
        self.package = package
        self.root = _normal(package.package_root)
        self.modules: dict[str, Module | None] = {}  # path -> parsed module (None: unreadable)
        self.order: list[str] = []
        self.pending: list[Module] = []
        self.unfollowed: list[str] = []
        self.name_checks: list[tuple[ModuleRef, str]] = []
        self.created_services: set[str] = set()  # boto3 names of the clients and resources the code makes
        self.scopes: dict[int, Scope] = {}
        self.classes: dict[int, ClassInfo] = {}
        self.calls: list[tuple[ast.Call, Scope]] = []
        self.memo: dict[tuple[int, str], object] = {}
        self.active: set[tuple[int, str]] = set()
        self.call_sites: dict[int, list[tuple[ast.Call, Scope, object]]] | None = None
        self.depth = 0
        self.results: dict[tuple[int, tuple], object] = {}
        self.kept: list[Scope] = []

    def register(self, scope: Scope) -> None:
        self.scopes[id(scope)] = scope

    # -- modules --------------------------------------------------------------------------------------------
    def load(self, path: str) -> Module | None:
        """Parse a file once (None when it cannot be read or parsed); new modules are queued for collection."""
        if path in self.modules:
            return self.modules[path]
        if len(self.order) >= MAX_FILES:
            self.modules[path] = None
            self.unfollow(path)
            return None
        text = self.package.reader.read(path)
        module = None
        if text is not None:
            try:
                tree = ast.parse(text, filename=path)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                tree = None
            if tree is not None:
                module = Module(path, tree, text)
        self.modules[path] = module
        if module is None:
            self.unfollow(path)
        else:
            self.order.append(path)
            self.pending.append(module)
        return module

    def unfollow(self, path: str) -> None:
        if path not in self.unfollowed:
            self.unfollowed.append(path)

    def collect(self) -> None:
        while self.pending:
            module = self.pending.pop(0)
            collector = Collector(module, self)
            try:
                collector.run()
            except RecursionError:  # statements nested too deep: the module cannot be read
                self.unfollow(module.path)
                continue
            self.calls.extend(collector.calls)
        for package, name in self.name_checks:  # `from . import x`: neither a module nor a name of the package
            module = self.module_of(package)
            if module is not None and name not in module.scope.names and not module.scope.star_imports:
                self.unfollow(_join(package.base, *package.dotted.split("."), name) + ".py")

    def import_module(self, importer: Module, dotted: str, level: int, node: ast.AST | None) -> object:
        """The value an import binds for module `dotted` (`level` leading dots)."""
        directory = posixpath.dirname(importer.path)
        if level:
            base = directory
            for _ in range(level - 1):
                base = posixpath.dirname(base)
            ref = ModuleRef(base, dotted)
            if dotted and self.module_file(ref) is None:
                self.unfollow(_join(base, *dotted.split(".")) + ".py")
                return None
            self._follow(ref)
            return ref
        if not dotted:
            return None
        top = dotted.split(".")[0]
        if top in NOT_FOLLOWED:
            return External(dotted)
        for base in dict.fromkeys((self.root, directory)):
            ref = ModuleRef(base, dotted)
            if self.module_file(ref) is not None:
                self._follow(ref)
                return ref
        return External(dotted)

    def submodule(self, package: ModuleRef, name: str) -> ModuleRef | None:
        """`from package import name` when `name` is a module of the package."""
        ref = ModuleRef(package.base, f"{package.dotted}.{name}" if package.dotted else name)
        if self.module_file(ref) is None:
            return None
        self._follow(ref)
        return ref

    def _candidates(self, ref: ModuleRef) -> list[str]:
        parts = [p for p in ref.dotted.split(".") if p]
        path = _join(ref.base, *parts)
        return [path + ".py", _join(path, "__init__.py")] if parts else [_join(ref.base, "__init__.py")]

    def module_file(self, ref: ModuleRef) -> str | None:
        for candidate in self._candidates(ref):
            if candidate in self.modules or self.package.reader.exists(candidate):
                return candidate
        return None

    def _follow(self, ref: ModuleRef) -> Module | None:
        path = self.module_file(ref)
        return self.load(path) if path is not None else None

    def module_of(self, ref: ModuleRef) -> Module | None:
        path = self.module_file(ref)
        return self.modules.get(path) if path is not None else None

    # -- evaluation -----------------------------------------------------------------------------------------
    def lookup(self, scope: Scope, name: str) -> object:
        current: Scope | None = scope
        while current is not None:
            if name in current.names and not (current.is_class and current is not scope):
                return self._name_value(current, name)
            if current.parent is None:
                for star in current.star_imports:
                    if isinstance(star, ModuleRef):
                        module = self.module_of(star)
                        if module is not None and name in module.scope.names:
                            return self._name_value(module.scope, name)
                    elif isinstance(star, External):
                        continue
            current = current.parent
            while current is not None and current.is_class:
                current = current.parent
        if name == "getattr":
            return External("builtins.getattr")
        return None

    def _name_value(self, scope: Scope, name: str) -> object:
        key = (id(scope), name)
        if key in self.memo:
            return self.memo[key]
        if key in self.active:
            return None
        self.active.add(key)
        try:
            value = self._merge(self._binding_value(scope, b) for b in scope.names[name])
        finally:
            self.active.discard(key)
        if name in scope.mutated and isinstance(value, DictValue | ListValue):
            value = None
        self.memo[key] = value
        return value

    def _merge(self, values: Iterator[object]) -> object:
        result: object = UNKNOWN_VALUE
        seen = False
        for value in values:
            if value is _NONE:
                continue
            if value is None:
                return None
            if seen and value != result:
                return None
            result, seen = value, True
        return result if seen else None

    def _binding_value(self, scope: Scope, binding: object) -> object:
        if isinstance(binding, ast.Constant) and binding.value is None:
            return _NONE
        if isinstance(binding, ast.AST):
            return self.value(binding, scope)
        if isinstance(binding, Bound):
            return binding.value
        if isinstance(binding, FromModule):
            module = self.module_of(binding.module)  # type: ignore[arg-type]
            if module is None or binding.name not in module.scope.names:
                return None
            return self._name_value(module.scope, binding.name)
        if isinstance(binding, WithItem):
            value = self.value(binding.expr, scope)
            return value if isinstance(value, BatchWriter | Client | Resource | Session) else None
        if isinstance(binding, Unpacked):
            if isinstance(binding.expr, ast.Tuple | ast.List) and binding.index < len(binding.expr.elts):
                return self.value(binding.expr.elts[binding.index], scope)
            return None
        if isinstance(binding, Parameter):
            return self._parameter_value(scope, binding.name)
        return None

    def _parameter_value(self, scope: Scope, name: str) -> object:
        if scope.klass is not None and scope.parameters and name == scope.parameters[0]:
            decorators = getattr(scope.node, "decorator_list", [])
            if not any(isinstance(d, ast.Name) and d.id in ("staticmethod", "classmethod") for d in decorators):
                return Instance(id(scope.klass))
        arguments = [value for value in self._arguments(scope, name)]
        default = scope.defaults.get(name)
        if default is not None:
            arguments.append(self.value(default, scope.parent or scope))
        if not arguments:
            return None
        return self._merge(iter(arguments))

    def _arguments(self, scope: Scope, name: str) -> Iterator[object]:
        """The values local call sites pass for a parameter (a handler's `event` has none: unknown)."""
        if self.call_sites is None:
            self._find_call_sites()
        sites = self.call_sites.get(id(scope), []) if self.call_sites else []
        index = scope.parameters.index(name)
        for call, caller, _ in sites:
            if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
                yield None
                continue
            if index < len(call.args):
                yield self.value(call.args[index], caller)
                continue
            keyword = next((k for k in call.keywords if k.arg == name), None)
            if keyword is not None:
                yield self.value(keyword.value, caller)
            elif name not in scope.defaults:
                yield None

    def _find_call_sites(self) -> None:
        self.call_sites = {}
        for call, scope in self.calls:
            callee = self._callee_function(call.func, scope)
            if callee is not None:
                self.call_sites.setdefault(callee.key, []).append((call, scope, callee))

    def _callee_function(self, func: ast.AST, scope: Scope) -> Function | None:
        """The local function a call calls, by name only (no evaluation of parameters, to avoid cycles)."""
        if isinstance(func, ast.Name):
            current: Scope | None = scope
            while current is not None:
                for binding in current.names.get(func.id, ()):
                    if isinstance(binding, Bound) and isinstance(binding.value, Function):
                        return binding.value
                    if isinstance(binding, FromModule):
                        module = self.module_of(binding.module)  # type: ignore[arg-type]
                        if module is not None:
                            for inner in module.scope.names.get(binding.name, ()):
                                if isinstance(inner, Bound) and isinstance(inner.value, Function):
                                    return inner.value
                if func.id in current.names:
                    return None
                current = current.parent
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            owner = None
            for binding in scope.module.scope.names.get(func.value.id, ()):
                if isinstance(binding, Bound) and isinstance(binding.value, ModuleRef):
                    owner = self.module_of(binding.value)
            if owner is not None:
                for binding in owner.scope.names.get(func.attr, ()):
                    if isinstance(binding, Bound) and isinstance(binding.value, Function):
                        return binding.value
        return None

    def value(self, node: ast.AST, scope: Scope) -> object:
        """The value of an expression, None when it cannot be read."""
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                return Text(node.value)
            return _NONE if node.value is None else None
        if isinstance(node, ast.Name):
            return self.lookup(scope, node.id)
        if isinstance(node, ast.Attribute):
            return self.attribute(self.value(node.value, scope), node.attr)
        if isinstance(node, ast.Subscript):
            owner = self.value(node.value, scope)
            if owner == External("os.environ"):
                key = self.value(node.slice, scope)
                return Env(key.value) if isinstance(key, Text) else None
            if isinstance(owner, DictValue):
                key = self.value(node.slice, scope)
                found, item = owner.get(key.value) if isinstance(key, Text) else (False, None)
                return item if found else None
            return None
        if isinstance(node, ast.Call):
            return self.call_value(node, scope)
        if isinstance(node, ast.JoinedStr):
            parts: list[object] = []
            for part in node.values:
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    parts.append(part.value)
                elif isinstance(part, ast.FormattedValue):
                    inner = self.value(part.value, scope) if part.format_spec is None else None
                    parts.append(inner.value if isinstance(inner, Text) else inner)
            if all(isinstance(p, str) for p in parts):
                return Text("".join(parts))  # type: ignore[arg-type]
            return Template(tuple(parts))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.value(node.left, scope), self.value(node.right, scope)
            if isinstance(left, Text) and isinstance(right, Text):
                return Text(left.value + right.value)
            if any(isinstance(v, Text | Template | Env) for v in (left, right)):
                return Template((*_parts(left), *_parts(right)))
            return None
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            first = self.value(node.values[0], scope)  # `os.environ.get("T") or "default"`
            return first if isinstance(first, Env) else None
        if isinstance(node, ast.IfExp):
            return self._merge(iter([self.value(node.body, scope), self.value(node.orelse, scope)]))
        if isinstance(node, ast.Dict):
            items = []
            complete = True
            for key, item in zip(node.keys, node.values, strict=True):
                if key is None:
                    spread = self.value(item, scope)
                    if isinstance(spread, DictValue):
                        items.extend(spread.items)
                        complete = complete and spread.complete
                    else:
                        complete = False
                    continue
                items.append((self.value(key, scope), self.value(item, scope)))
            return DictValue(tuple(items), complete)
        if isinstance(node, ast.List | ast.Tuple):
            if any(isinstance(e, ast.Starred) for e in node.elts):
                return None
            return ListValue(tuple(self.value(e, scope) for e in node.elts))
        if isinstance(node, ast.ListComp):
            return ListValue((self.value(node.elt, scope),))
        if isinstance(node, ast.Await):
            return self.value(node.value, scope)
        return None

    def attribute(self, owner: object, name: str) -> object:
        if isinstance(owner, External):
            return External(f"{owner.dotted}.{name}")
        if isinstance(owner, Foreign):
            return owner
        if isinstance(owner, Client | Resource):
            if name == "meta":
                return Meta(owner)
            if isinstance(owner, Resource):
                for identifier, value in owner.identifiers:
                    if _snake(identifier) == name:
                        return value
            return BoundMethod(owner, name)
        if isinstance(owner, Meta):
            if name == "client":
                return Client(owner.owner.service)
            return None
        if isinstance(owner, Paginator | BatchWriter | Session):
            return BoundMethod(owner, name)
        if isinstance(owner, ModuleRef):
            module = self.module_of(owner)
            if module is not None and name in module.scope.names:
                return self._name_value(module.scope, name)
            sub = ModuleRef(owner.base, f"{owner.dotted}.{name}" if owner.dotted else name)
            return sub if self.module_file(sub) is not None else None
        if isinstance(owner, Instance | ClassRef):
            value = self._class_attribute(self.classes[owner.key], name)
            if isinstance(owner, Instance) and isinstance(value, Function):
                return Method(value, owner)
            return value
        return None

    def _class_attribute(self, info: ClassInfo, name: str) -> object:
        values = []
        if name in info.scope.names:
            values.append(self._name_value(info.scope, name))
        for binding, method_scope in info.attributes.get(name, ()):
            key = (id(binding), name)
            if key in self.active:
                continue
            self.active.add(key)
            try:
                values.append(self._binding_value(method_scope, binding))
            finally:
                self.active.discard(key)
        return self._merge(iter(values)) if values else None

    def call_value(self, node: ast.Call, scope: Scope) -> object:
        func = self.value(node.func, scope)
        if isinstance(func, External):
            return self._external_call(func.dotted, node, scope)
        if isinstance(func, BoundMethod):
            return self._method_result(func, node, scope)
        if isinstance(func, Function):
            return self._function_result(self.scopes[func.key], node, scope, None)
        if isinstance(func, Method):
            return self._function_result(self.scopes[func.function.key], node, scope, func.instance)
        if isinstance(func, ClassRef):
            return Instance(func.key)
        if isinstance(func, Foreign):
            return func
        return None

    def _external_call(self, dotted: str, node: ast.Call, scope: Scope) -> object:
        dotted = dotted.replace("boto3.session.Session", "boto3.Session")
        if dotted in ("os.getenv", "os.environ.get"):
            key = self.value(node.args[0], scope) if node.args else None
            return Env(key.value) if isinstance(key, Text) else None
        if dotted in ("boto3.client", "boto3.resource"):
            return self._sdk_object(dotted.rsplit(".", 1)[1], node, scope)
        if dotted in SESSION_FACTORIES:
            return Session()
        if dotted == "builtins.getattr" and len(node.args) >= 2:
            owner = self.value(node.args[0], scope)
            if not isinstance(owner, SDK_OBJECTS):
                return None
            name = self.value(node.args[1], scope)
            return self.attribute(owner, name.value) if isinstance(name, Text) else ComputedMethod(owner)
        if dotted.split(".")[0] in SDK_MODULES or dotted.startswith("builtins."):
            return None
        return Foreign(dotted)

    def _sdk_object(self, kind: str, node: ast.Call, scope: Scope) -> object:
        """`client(...)`/`resource(...)`/`create_client(...)` of boto3 or a session."""
        argument = (
            node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "service_name"), None)
        )
        name = self.value(argument, scope) if argument is not None else None
        if not isinstance(name, Text):
            return Client(None)
        if sdk_actions.service_for_client(name.value) is None:
            return None  # a service botocore does not know: ignored
        self.created_services.add(name.value)
        if kind == "resource":
            if not boto3_resources.resource_exists(name.value, boto3_resources.SERVICE_RESOURCE):
                return None
            return Resource(name.value, boto3_resources.SERVICE_RESOURCE)
        return Client(name.value)

    def _method_result(self, bound: BoundMethod, node: ast.Call, scope: Scope) -> object:
        owner, method = bound.owner, bound.method
        if isinstance(owner, Session):
            if method in ("client", "create_client"):
                return self._sdk_object("client", node, scope)
            if method == "resource":
                return self._sdk_object("resource", node, scope)
            return None
        if isinstance(owner, Client) and owner.service is not None and method == "get_paginator":
            name = self.value(node.args[0], scope) if node.args else None
            if isinstance(name, Text):
                operation = sdk_actions.operation_for_method(owner.service, name.value)
                return Paginator(owner.service, operation) if operation else None
            return None
        if isinstance(owner, Resource):
            made = boto3_resources.subresource(owner.service, owner.resource, method)
            if made is not None:
                arguments = list(node.args)
                identifiers = []
                for identifier, source in made.identifiers:
                    if source is not None:
                        identifiers.append((identifier, owner.identifier(source)))
                        continue
                    keyword = next((k.value for k in node.keywords if k.arg == _snake(identifier)), None)
                    expression = keyword if keyword is not None else (arguments.pop(0) if arguments else None)
                    identifiers.append((identifier, self.value(expression, scope) if expression else None))
                return Resource(owner.service, made.resource, tuple(identifiers))
            if (owner.service, owner.resource, method) == sdk_actions.BATCH_WRITER[:3]:
                return BatchWriter(owner)
        return None

    def _function_result(self, function: Scope, node: ast.Call, caller: Scope, instance: Instance | None) -> object:
        """The value a local function's `return` statements agree on, with this call's arguments bound."""
        if "<return>" not in function.names or self.depth >= MAX_CALL_DEPTH:
            return None
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            return None
        parameters = function.parameters[1:] if instance is not None else function.parameters
        arguments: list[object] = [instance] if instance is not None else []
        for index, name in enumerate(parameters):
            keyword = next((k for k in node.keywords if k.arg == name), None)
            if index < len(node.args):
                arguments.append(self._argument(self.value(node.args[index], caller)))
            elif keyword is not None:
                arguments.append(self._argument(self.value(keyword.value, caller)))
            elif name in function.defaults:
                arguments.append(self._argument(self.value(function.defaults[name], function.parent or function)))
            else:
                arguments.append(None)
        key = (id(function), tuple(arguments))
        if key in self.results:
            return self.results[key]
        call_scope = Scope(function.module, function.node, function.parent, klass=function.klass)
        call_scope.parameters, call_scope.globals_, call_scope.mutated = (
            function.parameters,
            function.globals_,
            function.mutated,
        )
        call_scope.names = {name: bindings for name, bindings in function.names.items()}
        for name, value in zip(function.parameters, arguments, strict=True):
            call_scope.names[name] = [Bound(value) if value is not None else Opaque()]
        self.kept.append(call_scope)  # keeps its id (a memo key) from being reused
        self.depth += 1
        try:
            result = self._name_value(call_scope, "<return>")
        finally:
            self.depth -= 1
        self.results[key] = result
        return result

    @staticmethod
    def _argument(value: object) -> object:
        return None if value is _NONE else value


class _NoneValue:
    def __repr__(self) -> str:
        return "None"


_NONE = _NoneValue()  # the constant None (skipped in merges: lazy initialisation)


def _parts(value: object) -> tuple[object, ...]:
    if isinstance(value, Text):
        return (value.value,)
    if isinstance(value, Template):
        return value.parts
    return (value,)


def _snake(name: str) -> str:
    from botocore import xform_name

    return xform_name(name)


def _normal(path: str) -> str:
    path = posixpath.normpath(path) if path else ""
    return "" if path == "." else path


def _join(*parts: str) -> str:
    return _normal(posixpath.join(*present)) if (present := [p for p in parts if p]) else ""


# -- calls -----------------------------------------------------------------------------------------------------
class CallReader:
    """Turns the calls of a read package into `SdkCall`s and dynamic sites."""

    def __init__(self, reader: Reader):
        self.reader = reader
        self.calls: list[SdkCall] = []
        self.dynamic: list[CallSite] = []
        self.unknown_receivers: list[tuple[str, CallSite]] = []
        self.services: set[str] = set()

    def run(self) -> None:
        for node, scope in self.reader.calls:
            try:
                self.read(node, scope)
            except RecursionError:  # an expression nested too deep to evaluate: the call cannot be read
                self.dynamic.append(self.site(node, scope))
        self._unknown_receivers()

    def read(self, node: ast.Call, scope: Scope) -> None:
        func = self.reader.value(node.func, scope)
        if isinstance(func, ComputedMethod):
            self.dynamic.append(self.site(node, scope))
            return
        if not isinstance(func, BoundMethod):
            if func is None and isinstance(node.func, ast.Attribute):
                receiver = self.reader.value(node.func.value, scope)
                if receiver is None and _unknown_origin(node.func.value):
                    self.unknown_receivers.append((node.func.attr, self.site(node, scope)))
            return
        owner, method = func.owner, func.method
        if isinstance(owner, Client):
            if owner.service is None:
                self.dynamic.append(self.site(node, scope))
                return
            self.services.add(owner.service)
            self._client_call(owner.service, method, node, scope)
        elif isinstance(owner, Resource):
            self.services.add(owner.service)
            self._resource_call(owner, method, node, scope)
        elif isinstance(owner, Paginator) and method == "paginate":
            self.services.add(owner.service)
            parameters = self._keywords(node, scope)
            self._record(owner.service, owner.operation, parameters, node, scope)

    def _client_call(self, service: str, method: str, node: ast.Call, scope: Scope) -> None:
        if method in ("generate_presigned_url", "generate_presigned_post"):
            self._presigned(service, method, node, scope)
            return
        operation = sdk_actions.operation_for_method(service, method)
        if operation is None:
            return
        parameters = self._keywords(node, scope)
        positional = boto3_resources.injected_parameters(service, method)
        if positional is not None:
            parameters = self._positional(positional, node, scope) | parameters
        self._record(service, operation, parameters, node, scope)

    def _presigned(self, service: str, method: str, node: ast.Call, scope: Scope) -> None:
        """A presigned URL or POST is used with the role's credentials: its operation needs the action."""
        keywords = self._keywords(node, scope)
        if method == "generate_presigned_post":
            operation = "PutObject"
            parameters = {k: v for k, v in keywords.items() if k in ("Bucket", "Key")}
            parameters |= self._positional(("Bucket", "Key"), node, scope)
        else:
            name = keywords.get("ClientMethod")
            if name is None and node.args:
                name = self.reader.value(node.args[0], scope)
            operation = sdk_actions.operation_for_method(service, name.value) if isinstance(name, Text) else None
            if operation is None:
                self.dynamic.append(self.site(node, scope))
                return
            params = keywords.get("Params")
            if params is None and len(node.args) > 1:
                params = self.reader.value(node.args[1], scope)
            parameters = _literal_keys(params) if isinstance(params, DictValue) else {"**": None}
        self._record(service, operation, parameters, node, scope)

    def _resource_call(self, owner: Resource, method: str, node: ast.Call, scope: Scope) -> None:
        operation = sdk_actions.operation_for_resource_method(owner.service, owner.resource, method)
        if operation is None:
            return
        parameters: dict[str, object] = {}
        for parameter, identifier in boto3_resources.identifier_parameters(owner.service, owner.resource):
            parameters[parameter] = owner.identifier(identifier)
        positional = boto3_resources.injected_parameters(owner.service, method, owner.resource)
        if positional is not None:
            client_parameters = boto3_resources.injected_parameters(owner.service, method) or ()
            filled = [p for p in client_parameters if p not in positional]
            values = [owner.identifier(i) for i in boto3_resources.identifiers(owner.service, owner.resource)]
            parameters = dict(zip(filled, values, strict=False))
            parameters |= self._positional(positional, node, scope)
        parameters |= self._keywords(node, scope)
        self._record(owner.service, operation, parameters, node, scope)

    def _keywords(self, node: ast.Call, scope: Scope) -> dict[str, object]:
        parameters: dict[str, object] = {}
        for keyword in node.keywords:
            if keyword.arg is None:
                spread = self.reader.value(keyword.value, scope)
                if isinstance(spread, DictValue):
                    parameters |= _literal_keys(spread)
                else:
                    parameters["**"] = None
            else:
                parameters[keyword.arg] = self.reader.value(keyword.value, scope)
        return parameters

    def _positional(self, names: tuple[str, ...], node: ast.Call, scope: Scope) -> dict[str, object]:
        return {name: self.reader.value(arg, scope) for name, arg in zip(names, node.args, strict=False)}

    # -- needs ----------------------------------------------------------------------------------------------
    def _record(self, client: str, operation: str, parameters: dict[str, object], node: ast.Call, scope) -> None:
        service = sdk_actions.service_for_client(client)
        if service is None:
            return
        site = self.site(node, scope)
        needs, readable = self._needs(service, operation, parameters)
        self.calls.append(SdkCall(service, operation, needs, site))
        if not readable:
            self.dynamic.append(site)

    def _needs(self, service: str, operation: str, parameters: dict[str, object]) -> tuple[tuple, bool]:
        """(needs, whether the actions could be read)."""
        if service == "dynamodb" and operation in sdk_actions.TRANSACTION_ITEM_ACTIONS:
            return self._transaction(operation, parameters.get("TransactItems"))
        if service == "dynamodb" and operation in ("ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction"):
            return self._statements(operation, parameters)
        if service == "dynamodb" and operation in ("BatchWriteItem", "BatchGetItem") and "TableName" not in parameters:
            # the client's RequestItems keyed by table; `Table.batch_writer()` names its table instead
            return self._batch(service, operation, parameters.get("RequestItems")), True
        if service == "events" and operation == "PutEvents":
            return self._events(parameters.get("Entries")), True
        if service == "s3" and operation in ("CopyObject", "UploadPartCopy"):
            destination = self._target(service, "PutObject", parameters)
            source = _copy_source(parameters.get("CopySource"))
            return sdk_actions.copy_needs(source, destination), True
        return sdk_actions.needs(service, operation, self._target(service, operation, parameters)), True

    def _target(self, service: str, operation: str, parameters: dict[str, object]) -> CallTarget:
        present = frozenset(p for p in parameters if p != "**")
        spread = "**" in parameters
        resource_type, name_parameter, qualifier_parameter = sdk_actions.request_target(service, operation, present)
        name = _target_name(parameters.get(name_parameter)) if name_parameter else None
        if spread and "index" in sdk_actions.resource_types(service, operation) and resource_type != "index":
            name = None  # the spread may hold an IndexName
        qualifier = None
        if resource_type == "index":
            index = parameters.get("IndexName")
            qualifier = index.value if isinstance(index, Text) else None
        elif qualifier_parameter is not None:
            qualifier = _pattern(parameters.get(qualifier_parameter)) if qualifier_parameter in parameters else "*"
        return CallTarget(resource_type, name, qualifier)

    def _transaction(self, operation: str, items: object) -> tuple[tuple, bool]:
        if not isinstance(items, ListValue):
            return (), False
        kinds: list[tuple[str, CallTarget]] = []
        readable = True
        for item in items.items:
            if not isinstance(item, DictValue) or not item.complete or len(item.items) != 1:
                readable = False
                continue
            kind, body = item.items[0]
            if not isinstance(kind, Text) or not isinstance(body, DictValue):
                readable = False
                continue
            found, table = body.get("TableName")
            name = _target_name(table) if found else None
            kinds.append((kind.value, CallTarget("table", name)))
        return sdk_actions.transaction_needs(operation, kinds), readable

    def _statements(self, operation: str, parameters: dict[str, object]) -> tuple[tuple, bool]:
        if operation == "ExecuteStatement":
            statements = [parameters.get("Statement")]
        else:
            listed = parameters.get("Statements" if operation == "BatchExecuteStatement" else "TransactStatements")
            if not isinstance(listed, ListValue):
                return (), False
            statements = [item.get("Statement")[1] if isinstance(item, DictValue) else None for item in listed.items]
        needs: list = []
        readable = True
        for statement in statements:
            found = _statement_needs(statement)
            if not found:
                readable = False
            needs.extend(n for n in found if n not in needs)
        return tuple(needs), readable

    def _batch(self, service: str, operation: str, request_items: object) -> tuple:
        if not isinstance(request_items, DictValue):
            return sdk_actions.needs(service, operation, CallTarget("table", None))
        needs: list = []
        for key, _ in request_items.items:
            for need in sdk_actions.needs(service, operation, CallTarget("table", _target_name(key))):
                if need not in needs:
                    needs.append(need)
        if not request_items.complete:
            needs.extend(n for n in sdk_actions.needs(service, operation, CallTarget("table", None)) if n not in needs)
        return tuple(needs)

    def _events(self, entries: object) -> tuple:
        targets: list[CallTarget] = []
        if isinstance(entries, ListValue):
            for entry in entries.items:
                if isinstance(entry, DictValue):
                    found, bus = entry.get("EventBusName")
                    if not found and entry.complete:
                        bus = Text("default")  # PutEvents sends to the default bus without one
                    targets.append(CallTarget("event-bus", _target_name(bus)))
                else:
                    targets.append(CallTarget("event-bus", None))
        else:
            targets.append(CallTarget("event-bus", None))
        needs: list = []
        for target in targets:
            needs.extend(n for n in sdk_actions.needs("events", "PutEvents", target) if n not in needs)
        return tuple(needs)

    # -- sites ----------------------------------------------------------------------------------------------
    def site(self, node: ast.Call, scope: Scope) -> CallSite:
        callee = _dotted(node.func)
        if callee is None:
            try:
                callee = ast.unparse(node.func)
            except (ValueError, RecursionError):  # an expression too deep to print
                callee = "call"
        text = f"{callee}(...)" if node.args or node.keywords else f"{callee}()"
        text = " ".join(text.split())
        if len(text) > SITE_TEXT_LIMIT:
            text = text[: SITE_TEXT_LIMIT - 3] + "..."
        return CallSite(scope.module.path, node.lineno, node.col_offset + 1, text)

    def _unknown_receivers(self) -> None:
        """Calls of a method named like an operation of a service the code uses, on an object of unknown
        origin, may be SDK calls: they are dynamic."""
        if not self.unknown_receivers:
            return
        names: set[str] = set()
        for service in self.services | self.reader.created_services:
            names.update(sdk_actions.client_methods(service))
        for method, site in self.unknown_receivers:
            if method in names and site not in self.dynamic:
                self.dynamic.append(site)


def _dotted(node: ast.AST) -> str | None:
    """`a.b.c` for a name or attribute chain, None for anything else."""
    names = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    names.append(node.id)
    return ".".join(reversed(names))


def _unknown_origin(node: ast.AST) -> bool:
    """A receiver that may hold any object (a name, attribute, item or call result), not a literal."""
    return isinstance(node, ast.Name | ast.Attribute | ast.Subscript | ast.Call | ast.Await)


def _literal_keys(value: DictValue) -> dict[str, object]:
    parameters = {key.value: item for key, item in value.items if isinstance(key, Text)}
    if not value.complete or any(not isinstance(key, Text) for key, _ in value.items):
        parameters["**"] = None
    return parameters


def _target_name(value: object) -> TargetName | None:
    if isinstance(value, Env):
        return TargetName(env=value.variable)
    if isinstance(value, Text) and value.value:
        return TargetName(literal=value.value)
    return None


def _pattern(value: object) -> str:
    if isinstance(value, Text):
        return value.value
    if isinstance(value, Template):
        return value.pattern()
    return "*"


def _copy_source(value: object) -> CallTarget:
    """S3 `CopySource`: "bucket/key" or {"Bucket": ..., "Key": ...}."""
    if isinstance(value, DictValue):
        _, bucket = value.get("Bucket")
        found, key = value.get("Key")
        return CallTarget("object", _target_name(bucket), _pattern(key) if found else "*")
    if isinstance(value, Text) and "/" in value.value.lstrip("/"):
        bucket, _, key = value.value.lstrip("/").partition("/")
        return CallTarget("object", TargetName(literal=bucket), key.split("?")[0])
    return CallTarget("object", None, "*")


_PLACEHOLDER = "ddblint_part_{}"


def _statement_needs(statement: object) -> tuple:
    """PartiQL needs of a literal statement, or of an f-string or concatenation whose verb is literal (the
    table is named when it is exactly one formatted value, e.g. `f'SELECT * FROM "{TABLE}"'`)."""
    if isinstance(statement, Text):
        return sdk_actions.statement_needs(statement.value, None)
    if not isinstance(statement, Template):
        return ()
    text = ""
    values: dict[str, object] = {}
    for index, part in enumerate(statement.parts):
        if isinstance(part, str):
            text += part
        else:
            placeholder = _PLACEHOLDER.format(index)
            values[placeholder] = part
            text += placeholder
    parsed = sdk_actions.statement_target(text)
    if parsed is None:
        return ()
    action, table, index = parsed
    if table in values:
        name = _target_name(values[table])
    elif any(placeholder in table for placeholder in values):
        name = None
    else:
        name = TargetName(literal=table)
    if index is None:
        return ((action, CallTarget("table", name)),)
    if any(placeholder in index for placeholder in values):
        index = values.get(index)
        index = index.value if isinstance(index, Text) else None
    return ((action, CallTarget("index", name, index)),)


# -- entry point -----------------------------------------------------------------------------------------------
def python_calls(package: HandlerPackage) -> HandlerCalls:
    """Every AWS SDK call the Python handler's code makes, as far as it can be read."""
    reader = Reader(package)
    handler = reader.load(_normal(package.handler_file))
    if handler is None:
        return HandlerCalls("python", (), unfollowed=[package.handler_file])
    reader.collect()
    calls = CallReader(reader)
    calls.run()
    return HandlerCalls(
        "python", tuple(reader.order), calls=calls.calls, dynamic=calls.dynamic, unfollowed=reader.unfollowed
    )


__all__ = ["MAX_FILES", "python_calls"]
