"""A Python package's modules, scopes and the values of its expressions, read statically with `ast` (the code is
never imported or executed), for `ddblint.model.python_calls`.

`Reader(package)` loads the handler file and every local module it imports (`import db`, `from . import db`,
`from lib.db import put_order`), resolved against the package root and the importing file's directory and read
through the package's `SourceReader`; `Reader.value(node, scope)` is what an expression holds.

Each module, function and class body is a scope whose names are bound by assignments, parameters (with their
defaults, or the arguments every local call site passes), imports, `with ... as`, function and class definitions,
`global` and `nonlocal`. Binding is flow-insensitive: a name bound to different strings or SDK objects in one
scope (`t = orders if x else refunds`, `for name in (A, B)`, parameters given different arguments) is a `Choice`
of them (up to MAX_CHOICES), to anything else unknown; `None` bindings (lazy initialisation) are skipped, and
`a or b` is `b` when `a` is None. A value is:

- a string: an environment variable (`os.environ["T"]`, `os.environ.get("T", d)`, `os.getenv("T")`,
  `environ["T"]`, `getenv("T")`), a literal, or a template (an f-string or `+` concatenation) with `*` for the
  parts that are computed;
- an SDK object: a boto3 client (`boto3.client("s3")`, `boto3.Session().client(...)`,
  `botocore.session.get_session().create_client(...)`, `resource.meta.client`, the same through aioboto3 and
  aiobotocore sessions), a boto3 resource (`boto3.resource("dynamodb")`, its `Table(name)`,
  `Bucket(name).Object(key)`: resource types and identifiers from boto3's resource models,
  `ddblint.model.boto3_resources`), a paginator or waiter, a batch writer, or a bound method of one of those;
- a local module, function (called: the value its `return` statements agree on, with the call's arguments bound),
  class or instance (`self.table = ...` in any method binds the attribute; base classes are searched), a dict or
  list literal (unless the code changes it in place);
- an object of another library (what `requests.Session()` or `sqlalchemy.orm.sessionmaker()` returns): never an
  SDK object.
"""

from __future__ import annotations

import ast
import posixpath
import sys
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field

from ddblint.model import boto3_resources, sdk_actions
from ddblint.model.code_calls import HandlerPackage
from ddblint.model.source_strings import Template, Text

MAX_FILES = 100  # local modules followed per handler; beyond, they are unfollowed
MAX_CALL_DEPTH = 8  # nested function-return evaluations
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
    """A paginator or waiter (`paginate`/`wait` run `operation`); operation None when its name is computed."""

    service: str
    operation: str | None


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


@dataclass(frozen=True)
class Choice:
    """One of several known strings or SDK objects (`t = orders if x else refunds`, `for name in (A, B)`)."""

    values: tuple[object, ...]


MAX_CHOICES = 8  # alternatives kept in a Choice; more are unknown


SDK_OBJECTS = (Client, Resource, Paginator, BatchWriter, Session, Meta)
CHOOSABLE = (Env, Text, BoundMethod, *SDK_OBJECTS)  # what a Choice holds
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
    scope: Scope = field(init=False)


@dataclass(eq=False)
class ClassInfo:
    name: str
    scope: Scope  # the class body
    bases: list[ast.AST]  # evaluated in the scope that defines the class
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
class InScope:
    """An expression bound in another scope than the one that evaluates it (`db.table = ...` in the handler)."""

    expr: ast.AST
    scope: Scope = field(compare=False)


@dataclass(frozen=True)
class LoopItem:
    """`for name in expr`: one of the items of `expr` when it is a literal list or tuple."""

    expr: ast.AST


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


class Collector:
    """Builds the scopes of one module and lists its calls and imports."""

    def __init__(self, module: Module, reader: Reader):
        self.module = module
        self.reader = reader
        self.scope = Scope(module, module.tree, None)
        module.scope = self.scope
        self.calls: list[tuple[ast.Call, Scope]] = []
        self.references: list[tuple[ast.Call, Scope]] = []  # methods taken without a call, as calls
        self.called: set[int] = set()  # ids of the callees of calls
        self.partials: dict[int, ast.Call] = {}  # id of the first argument of a `partial(...)` call -> the call
        self.klass: ClassInfo | None = None

    def run(self) -> None:
        self.reader.register(self.scope)
        for statement in self.module.tree.body:
            self.visit(statement)

    # One handler per node type, looked up once (`visit_<Type>`, else `generic_visit`).
    _dispatch: dict[type, object] = {}

    def visit(self, node: ast.AST) -> None:
        self._handler(type(node))(self, node)  # type: ignore[operator]

    @classmethod
    def _handler(cls, kind: type) -> object:
        handler = cls._dispatch.get(kind)
        if handler is None:
            handler = cls._dispatch[kind] = getattr(cls, "visit_" + kind.__name__, None) or cls.generic_visit
        return handler

    def generic_visit(self, node: ast.AST) -> None:
        # with a stack rather than recursion: long expressions (`a + b + ...`) nest as deep as they are long
        stack = _children(node)
        generic = Collector.generic_visit
        while stack:
            child = stack.pop()
            handler = self._handler(type(child))
            if handler is generic:
                stack.extend(_children(child))
            else:
                handler(self, child)  # type: ignore[operator]

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
        info = ClassInfo(node.name, scope, list(node.bases))
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
        """`self.x = ...` in a method binds the attribute of the method's class; `module.x = ...` (a local
        module's global set from outside) is bound once all modules are collected."""
        scope = self.scope
        owner = target.value
        if not isinstance(owner, ast.Name):
            return
        if scope.klass is not None and scope.parameters and owner.id == scope.parameters[0]:
            scope.klass.attributes.setdefault(target.attr, []).append((value, scope))
        else:
            self.reader.attribute_assignments.append((owner, target.attr, value, scope))

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

    def visit_Attribute(self, node: ast.Attribute) -> None:
        """A method taken without calling it (`executor.map(table.put_item, items)`, `partial(...)`) is called
        elsewhere: it counts as a call, with the arguments a `partial` gives it."""
        if id(node) not in self.called and isinstance(node.ctx, ast.Load):
            partial = self.partials.get(id(node))
            if partial is not None:
                call = ast.Call(func=node, args=partial.args[1:], keywords=partial.keywords)
            else:  # arguments not known
                call = ast.Call(func=node, args=[], keywords=[ast.keyword(arg=None, value=ast.Tuple([], ast.Load()))])
            self.references.append((ast.copy_location(call, node), self.scope))
        self.generic_visit(node)

    def _visit_target_expressions(self, target: ast.AST) -> None:
        if isinstance(target, ast.Attribute | ast.Subscript):
            self.visit(target)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.visit(node.iter)
        if isinstance(node.target, ast.Name):
            self._scope_for(node.target.id).bind(node.target.id, LoopItem(node.iter))
        else:
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

    def _external_import(self, node: ast.Import | ast.ImportFrom, dotted: str) -> None:
        self.reader.external_imports.append((node, self.module.path, dotted))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            value = self.reader.import_module(self.module, alias.name)
            if isinstance(value, External):
                self._external_import(node, alias.name)
            if alias.asname:
                self.scope.bind(alias.asname, Bound(value))
            elif "." not in alias.name:
                self.scope.bind(alias.name, Bound(value))
            else:  # `import a.b` binds `a`
                top = alias.name.split(".")[0]
                top_value = ModuleRef(value.base, top) if isinstance(value, ModuleRef) else External(top)
                self.scope.bind(top, Bound(top_value))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = self.reader.import_module(self.module, node.module or "", node.level)
        for alias in node.names:
            if isinstance(module, External):
                self._external_import(node, f"{module.dotted}.{alias.name}" if alias.name != "*" else module.dotted)
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
                submodule = self.reader.import_module(self.module, dotted) if node.level == 0 else None
                self.scope.bind(name, Bound(submodule if isinstance(submodule, ModuleRef) else External(dotted)))
            else:
                self.scope.bind(name, Opaque())

    # uses
    def visit_Call(self, node: ast.Call) -> None:
        self.calls.append((node, self.scope))
        self.called.add(id(node.func))
        if node.args and isinstance(node.args[0], ast.Attribute) and (dotted_name(node.func) or "").endswith("partial"):
            self.partials[id(node.args[0])] = node  # `functools.partial(client.send_message, QueueUrl=...)`
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
        self.handler_file = _normal(package.handler_file)
        self.modules: dict[str, Module | None] = {}  # path -> parsed module (None: unreadable)
        self.order: list[str] = []
        self.pending: list[Module] = []
        self.unfollowed: list[str] = []
        self.name_checks: list[tuple[ModuleRef, str]] = []
        self.attribute_assignments: list[tuple[ast.Name, str, object, Scope]] = []  # `owner.name = value`
        # imports of modules outside the package: (statement, file, dotted name of the module or imported name)
        self.external_imports: list[tuple[ast.Import | ast.ImportFrom, str, str]] = []
        self.created_services: set[str] = set()  # boto3 names of the clients and resources the code makes
        self.scopes: dict[int, Scope] = {}
        self.classes: dict[int, ClassInfo] = {}
        self.calls: list[tuple[ast.Call, Scope]] = []
        self.references: list[tuple[ast.Call, Scope]] = []  # SDK methods taken without a call, as calls
        self.memo: dict[tuple[int, str], object] = {}
        self.active: set[tuple[int, str]] = set()
        self.call_sites: dict[int, list[tuple[ast.Call, Scope]]] | None = None
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
                with warnings.catch_warnings():
                    # invalid escapes in the user's code (DeprecationWarning before Python 3.12)
                    warnings.simplefilter("ignore", SyntaxWarning)
                    warnings.simplefilter("ignore", DeprecationWarning)
                    tree = ast.parse(text, filename=path)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                tree = None
            if tree is not None:
                module = Module(path, tree)
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
            self.references.extend(collector.references)
        for owner, name, value, scope in self.attribute_assignments:
            module = self.value(owner, scope)
            found = self.module_of(module) if isinstance(module, ModuleRef) else None
            if found is not None:
                found.scope.bind(name, InScope(value, scope) if isinstance(value, ast.AST) else value)
        self.memo.clear()  # values read above may have changed
        for package, name in self.name_checks:  # `from . import x`: neither a module nor a name of the package
            module = self.module_of(package)
            if module is not None and name not in module.scope.names and not module.scope.star_imports:
                self.unfollow(_join(package.base, *package.dotted.split("."), name) + ".py")

    def import_module(self, importer: Module, dotted: str, level: int = 0) -> object:
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
                    module = self.module_of(star) if isinstance(star, ModuleRef) else None
                    if module is not None and name in module.scope.names:
                        return self._name_value(module.scope, name)
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

    @staticmethod
    def _merge(values: Iterable[object]) -> object:
        """The one value all bindings agree on, skipping `None` constants (the constant when it is all there
        is); None when they differ or one is unknown."""
        values = list(values)
        known = [value for value in values if value is not NONE_VALUE]
        if not known:
            return NONE_VALUE if values else None
        if any(value is None for value in known):
            return None
        return choice(known)

    def _binding_value(self, scope: Scope, binding: object) -> object:
        if isinstance(binding, ast.Constant) and binding.value is None:
            return NONE_VALUE
        if isinstance(binding, ast.AST):
            return self.value(binding, scope)
        if isinstance(binding, Bound):
            return binding.value
        if isinstance(binding, FromModule):
            module = self.module_of(binding.module)  # type: ignore[arg-type]
            if module is None or binding.name not in module.scope.names:
                return None
            return self._name_value(module.scope, binding.name)
        if isinstance(binding, InScope):
            return self.value(binding.expr, binding.scope)
        if isinstance(binding, LoopItem):
            items = self.value(binding.expr, scope)
            return self._merge(items.items) if isinstance(items, ListValue) and items.items else None
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
        """A method's first parameter is its instance (its class for a classmethod); any other parameter has the
        value every local call site passes (or the default where a site leaves it out), the default when no
        local code calls the function, and is unknown otherwise (a handler's `event`)."""
        if scope.klass is not None and scope.parameters and name == scope.parameters[0]:
            decorators = {d.id for d in getattr(scope.node, "decorator_list", []) if isinstance(d, ast.Name)}
            if "classmethod" in decorators:
                return ClassRef(id(scope.klass))
            if "staticmethod" not in decorators:
                return Instance(id(scope.klass))
        default = scope.defaults.get(name)
        default_value = self.value(default, scope.parent or scope) if default is not None else None
        values = [
            self._argument_at(scope, name, call, caller) for call, caller in self._call_sites().get(id(scope), [])
        ]
        if self._is_handler(scope):  # the Lambda runtime calls it with the event and the context
            values.append(None if scope.parameters.index(name) < 2 else default_value)
        return self._merge(values) if values else default_value

    def _is_handler(self, scope: Scope) -> bool:
        node = scope.node
        return (
            scope.parent is not None
            and scope.parent.parent is None
            and scope.module.path == self.handler_file
            and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.name == self.package.handler_name
        )

    def _argument_at(self, function: Scope, name: str, call: ast.Call, caller: Scope) -> object:
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            return None
        index = function.parameters.index(name)
        if index < len(call.args):
            return self.value(call.args[index], caller)
        keyword = next((k for k in call.keywords if k.arg == name), None)
        if keyword is not None:
            return self.value(keyword.value, caller)
        default = function.defaults.get(name)
        return self.value(default, function.parent or function) if default is not None else None

    def _call_sites(self) -> dict[int, list[tuple[ast.Call, Scope]]]:
        """Local function (by scope id) -> the calls of it in the package's code, found by name."""
        if self.call_sites is None:
            self.call_sites = {}
            for call, scope in self.calls:
                callee = self._callee_function(call.func, scope)
                if callee is not None:
                    self.call_sites.setdefault(callee.key, []).append((call, scope))
        return self.call_sites

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
            return NONE_VALUE if node.value is None else None
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
            # `os.environ.get("T") or "default"`: the variable; `client or boto3.client("sqs")` with `client`
            # None: the second
            for operand in node.values:
                value = self.value(operand, scope)
                if value is not NONE_VALUE:
                    return value if isinstance(value, (Env, *SDK_OBJECTS)) or operand is node.values[-1] else None
            return None
        if isinstance(node, ast.IfExp):
            return self._merge([self.value(node.body, scope), self.value(node.orelse, scope)])
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
        if isinstance(owner, Choice):
            return self._merge(self.attribute(value, name) for value in owner.values)
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
        if not values:  # inherited
            key = (id(info), "<bases>")
            if key in self.active:
                return None
            self.active.add(key)
            try:
                for base in info.bases:
                    found = self.value(base, info.scope.parent or info.scope)
                    if isinstance(found, ClassRef):
                        values.append(self._class_attribute(self.classes[found.key], name))
            finally:
                self.active.discard(key)
        return self._merge(values)

    def call_value(self, node: ast.Call, scope: Scope) -> object:
        func = self.value(node.func, scope)
        if isinstance(func, Choice):
            return self._merge(self.call_result(f, node, scope) for f in func.values)
        return self.call_result(func, node, scope)

    def call_result(self, func: object, node: ast.Call, scope: Scope) -> object:
        """What calling `func` (the callee's value) with this call's arguments returns."""
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
        if isinstance(owner, Client) and owner.service is not None and method in ("get_paginator", "get_waiter"):
            name = self.value(node.args[0], scope) if node.args else None
            if not isinstance(name, Text):
                return Paginator(owner.service, None)
            if method == "get_paginator":
                operation = sdk_actions.operation_for_method(owner.service, name.value)
            else:
                operation = sdk_actions.operation_for_waiter(owner.service, name.value)
            return Paginator(owner.service, operation) if operation else None
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
            if (owner.service, owner.resource, method) == sdk_actions.BATCH_WRITER_METHOD:
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
                arguments.append(self.value(node.args[index], caller))
            elif keyword is not None:
                arguments.append(self.value(keyword.value, caller))
            elif name in function.defaults:
                arguments.append(self.value(function.defaults[name], function.parent or function))
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


class _NoneValue:
    def __repr__(self) -> str:
        return "None"


NONE_VALUE = _NoneValue()  # the constant None (skipped in merges: lazy initialisation)


# Nodes with nothing inside that the collector reads (names, constants, operators, contexts)
LEAVES = (ast.Name, ast.Constant, ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop, ast.alias)
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _children(node: ast.AST) -> list[ast.AST]:
    """The child nodes of `node` that may hold calls, scopes or bindings, last first (for a stack)."""
    kind = type(node)
    fields = _CHILD_FIELDS.get(kind)
    if fields is None:
        fields = _CHILD_FIELDS[kind] = tuple(f for f in kind._fields if f not in ("ctx", "op", "ops"))
    children: list[ast.AST] = []
    for name in fields:
        value = getattr(node, name, None)
        if isinstance(value, list):
            children.extend(item for item in value if isinstance(item, ast.AST) and not isinstance(item, LEAVES))
        elif isinstance(value, ast.AST) and not isinstance(value, LEAVES):
            children.append(value)
    children.reverse()
    return children


def choice(values: list[object]) -> object:
    """The value when all agree, a Choice of strings or SDK objects when they differ (up to MAX_CHOICES), else
    None (unknown)."""
    alternatives: list[object] = []
    for value in values:
        for alternative in value.values if isinstance(value, Choice) else (value,):
            if alternative not in alternatives:
                alternatives.append(alternative)
    if len(alternatives) == 1:
        return alternatives[0]
    if len(alternatives) > MAX_CHOICES or not all(isinstance(v, CHOOSABLE) for v in alternatives):
        return None
    return Choice(tuple(alternatives))


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


def dotted_name(node: ast.AST) -> str | None:
    """`a.b.c` for a name or attribute chain, None for anything else."""
    names = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    names.append(node.id)
    return ".".join(reversed(names))


__all__ = [
    "MAX_FILES",
    "NONE_VALUE",
    "SDK_OBJECTS",
    "BoundMethod",
    "Choice",
    "Client",
    "ComputedMethod",
    "DictValue",
    "Env",
    "ListValue",
    "Paginator",
    "Reader",
    "Resource",
    "Scope",
    "dotted_name",
]
