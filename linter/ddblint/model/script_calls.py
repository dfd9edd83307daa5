"""The AWS SDK calls of a JavaScript or TypeScript handler, read with tree-sitter (never run): `script_calls`.

The handler file and the local modules it imports (`import ... from "./db"`, `require("../lib/db.js")`, a `.ts`
source for a `.js` specifier, `./dir/index.*`) are parsed with the tree-sitter grammars of
`tree-sitter-typescript`: the TypeScript grammar for `.ts`/`.mts`/`.cts`, the TSX grammar (a superset of
JavaScript with JSX) for everything else. Every file read is searched for calls; an imported name is followed to
the value its module exports (`export const client = ...`, `module.exports = { table }`).

What counts as a call, with the operation named by `ddblint.model.sdk_actions` (the only place that maps names
to operations and IAM actions):

- AWS SDK for JavaScript v3: `client.send(new XCommand(params))` with the command class imported from an
  `@aws-sdk/client-*` package or from `@aws-sdk/lib-dynamodb` (document commands: `PutCommand`, `QueryCommand`,
  `BatchWriteCommand`, `TransactWriteCommand`, ...), also a command made first and sent later; the receiver
  does not matter once the command is an SDK command. A command made but never seen sent (handed to a helper
  that sends it) is a call where it is made. The aggregated clients (`new DynamoDB({}).putItem(...)`,
  `DynamoDBDocument.from(client).put(...)`), paginators (`paginateQuery(config, params)`), presigned URLs
  (`getSignedUrl(client, new GetObjectCommand(...))` of `@aws-sdk/s3-request-presigner`; `createPresignedPost`
  of `@aws-sdk/s3-presigned-post`, a `PutObject`) and `@aws-sdk/lib-storage`'s `new Upload({ params })` (a
  `PutObject`, multipart or not).
- AWS SDK for JavaScript v2 (`aws-sdk`, `aws-sdk/clients/<name>`): methods of `new AWS.SQS()`,
  `new AWS.DynamoDB()` and `new AWS.DynamoDB.DocumentClient()` (`put`, `get`, `update`, `delete`, `query`, `scan`,
  `batchGet`, `batchWrite`, `transactWrite`, `transactGet`), whether or not followed by `.promise()`; S3's
  managed `upload` (a `PutObject`) and `getSignedUrl("getObject", params)`.

Clients wrapped for tracing (`captureAWSv3Client(client)`, `captureAWS(require("aws-sdk"))` of the AWS X-Ray SDK
or Powertools' Tracer) are the clients they wrap. The client's package names the service: `@aws-sdk/client-<name>`
and `aws-sdk/clients/<name>` name the botocore service without hyphens (`client-secrets-manager` ->
`secretsmanager`), except the few in `PACKAGE_SERVICES`; `AWS.<Class>` the same way by the class name (`AWS.SQS`
-> `sqs`). Values are followed through names, object properties, imports and exports, and class fields
(`this.client`: a field's value, a TypeScript parameter property's default client, or the one value a method
assigns it); a name bound more than once (besides `null`/`undefined` first) is unknown, and so is a function's
parameter (its default value counts only when it is an SDK client).

What a call acts on comes from the request parameters `sdk_actions.request_target` names for its operation
(`TableName`, and `IndexName` for the `index` of a query; `QueueUrl`; `TopicArn`/`TargetArn`; `Bucket` with the
`Key` as a pattern, a template literal's substitutions becoming `*`; `StreamARN`/`StreamName`; `FunctionName`),
the same way as for Python handlers (`ddblint.model.python_calls`), and from the shapes AWS's APIs give batches
and the like: `RequestItems` keyed by table, `TransactItems` per item kind (also an array made by `.map` with an
arrow function that gives an object: `orders.map((order) => ({ Put: { TableName, Item: order } }))`), PartiQL
statements (a template literal whose table is one substituted value names it), `Entries[].EventBusName`
(`default` when absent), S3 `CopySource`. A name is an environment variable (`process.env.TABLE`,
`process.env["TABLE"]`, `const { TABLE } = process.env`, a constant bound to one, also through `||`/`??`
defaults, `String(...)` and TypeScript's `!`/`as`) or a literal (a string, or a template literal without
substitutions); anything else is `TargetName` None.

Unknown stays unknown (`ddblint.model.code_calls`). These go to `HandlerCalls.dynamic`: an operation picked at
run time (`client[method](...)`, `new Commands[name](...)`, `client.send(command)` of a known client with a
command that cannot be read); a transaction or PartiQL statement whose items or text cannot be read; a call on a
receiver of unknown origin (a parameter, a factory's result, an unknown `this` field; not a property path into
other data such as `event.headers.get(...)`) whose method is an operation of a client the code makes (the client
may be passed around: `save(docClient)` with `client.put(...)` inside); and the import of a library that calls
AWS on the code's behalf (`SDK_WRAPPER_PACKAGES`: object mappers over DynamoDB, Powertools' idempotency and
parameters, Middy's fetching middlewares), whose calls cannot be seen. `HandlerCalls.unfollowed` gets local
imports that cannot be read (also path aliases such as `@/lib/db`) and files with syntax errors (their calls are
still read as far as the parse goes). Other imports (npm packages, Node built-ins) are not followed: their
objects are not SDK clients.

The grammars load once per process, on the first JavaScript or TypeScript handler: a run without one never
imports tree-sitter.
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ddblint.model import sdk_actions
from ddblint.model.code_calls import CallSite, CallTarget, HandlerCalls, HandlerPackage, SdkCall, TargetName
from ddblint.model.source_strings import Template, Text

if TYPE_CHECKING:
    from tree_sitter import Node, Parser

# Packages whose name does not give the botocore service by dropping hyphens (`@aws-sdk/client-<name>`,
# `aws-sdk/clients/<name>`, `AWS.<Class>` lowercased).
PACKAGE_SERVICES = {
    "eventbridge": "events",
    "cloudwatchlogs": "logs",
    "sfn": "stepfunctions",
    "cognitoidentityprovider": "cognito-idp",
    "iotdataplane": "iot-data",
    "iotdata": "iot-data",
    "elasticloadbalancingv2": "elbv2",
    "elasticloadbalancing": "elb",
    "configservice": "config",
    "costexplorer": "ce",
    "applicationautoscaling": "application-autoscaling",
}
V3_CLIENT_PREFIX = "@aws-sdk/client-"
V2_CLIENTS_PREFIX = "aws-sdk/clients/"
DOCUMENT_PACKAGE = "@aws-sdk/lib-dynamodb"
STORAGE_PACKAGE = "@aws-sdk/lib-storage"
PRESIGNER_PACKAGE = "@aws-sdk/s3-request-presigner"
PRESIGNED_POST_PACKAGE = "@aws-sdk/s3-presigned-post"
V2_PACKAGE = "aws-sdk"
PROCESS_MODULES = frozenset({"process", "node:process"})
# v2 methods that are not operations of the service model, with the operation whose permission they need:
# S3.upload is the managed (possibly multipart) upload, authorised by s3:PutObject like Upload of lib-storage.
V2_MANAGED_METHODS = {("s3", "upload"): "PutObject"}
# Classes of the v2 package that are not service clients.
V2_HELPER_CLASSES = frozenset(
    {
        "Config",
        "Credentials",
        "CredentialProviderChain",
        "ChainableTemporaryCredentials",
        "EC2MetadataCredentials",
        "ECSCredentials",
        "Endpoint",
        "EnvironmentCredentials",
        "HttpClient",
        "MetadataService",
        "Request",
        "Response",
        "Service",
        "SharedIniFileCredentials",
        "TemporaryCredentials",
        "WebIdentityCredentials",
    }
)
# Libraries that call AWS on the code's behalf with clients of their own: object mappers over DynamoDB
# (Dynamoose, ElectroDB, DynamoDB Toolbox, OneTable), Powertools for AWS Lambda's idempotency (DynamoDB) and
# parameters (SSM, Secrets Manager, AppConfig, DynamoDB), the AWS Encryption SDK (KMS), and the Middy
# middlewares that fetch from AWS. An import of one is dynamic: its calls cannot be seen (as for Python's
# `python_calls.AWS_CALLING_MODULES`).
SDK_WRAPPER_PACKAGES = frozenset(
    {
        "dynamoose",
        "electrodb",
        "dynamodb-toolbox",
        "dynamodb-onetable",
        "@aws-lambda-powertools/idempotency",
        "@aws-lambda-powertools/parameters",
        "@aws-crypto/client-node",
        "@middy/appconfig",
        "@middy/dynamodb",
        "@middy/rds-signer",
        "@middy/s3",
        "@middy/s3-object-response",
        "@middy/secrets-manager",
        "@middy/ssm",
        "@middy/sts",
    }
)
# Functions that return the SDK client or module they are given: AWS X-Ray SDK and Powertools Tracer
# (`captureAWSv3Client(new DynamoDBClient({}))`, `AWSXRay.captureAWS(require("aws-sdk"))`).
TRACING_WRAPPERS = frozenset({"captureAWS", "captureAWSClient", "captureAWSv3Client"})
# Helpers compilers wrap `require(...)` in (tsc, Babel, esbuild): their value is the required module.
INTEROP_HELPERS = frozenset(
    {"__importDefault", "__importStar", "__toESM", "__toCommonJS", "_interopRequireDefault", "_interopRequireWildcard"}
)
TYPESCRIPT_SUFFIXES = (".ts", ".mts", ".cts")
SCRIPT_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
COMPILED_SOURCES = {".js": (".ts", ".tsx"), ".mjs": (".mts",), ".cjs": (".cts",), ".jsx": (".tsx",)}
FUNCTION_NODES = frozenset(
    {
        "function_declaration",
        "generator_function_declaration",
        "function_expression",
        "function",
        "generator_function",
        "arrow_function",
        "method_definition",
    }
)
NOTHING = frozenset({"null", "undefined"})
MAX_FILES = 200  # local modules followed per handler; more are left unfollowed
MAX_DEPTH = 60  # nesting of one value's evaluation (a binding of a binding of ...)
SITE_TEXT_LENGTH = 100


# -- values -------------------------------------------------------------------------------------------------
class Unknown:
    """A value the reader cannot know statically."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = Unknown()


@dataclass(frozen=True)
class Foreign:
    """A value that is not the AWS SDK's: another package or a Node built-in, a global, or an object made by a
    class that is not an SDK class (its methods, when local, are read where they are written)."""


FOREIGN = Foreign()


@dataclass(frozen=True)
class Env:
    """The value of an environment variable (`process.env.TABLE`)."""

    name: str


@dataclass(frozen=True)
class ProcessEnv:
    """`process.env` itself."""


@dataclass(frozen=True)
class NodeProcess:
    """Node's `process` (the global, or the `node:process` module)."""


@dataclass(frozen=True)
class SdkExport:
    """A name exported by an AWS SDK package: the package itself (`path` empty), `AWS.DynamoDB.DocumentClient`
    (path `("DynamoDB", "DocumentClient")`), `PutItemCommand` of `@aws-sdk/client-dynamodb`."""

    package: str
    path: tuple[str, ...] = ()


@dataclass(frozen=True)
class Client:
    """An AWS SDK client of a botocore service; `methods`: the operations are its methods (v2, aggregated v3)."""

    service: str
    methods: bool


@dataclass(frozen=True)
class Command:
    """A v3 command object: `new PutItemCommand(params)`, made at `origin` (file, byte offset)."""

    service: str
    name: str
    params: object
    origin: tuple[str, int]


@dataclass
class ObjectValue:
    """An object literal: its entries in order, `open` when a spread of an unknown value may add others."""

    entries: list[tuple[object, object]]
    open: bool = False

    def get(self, key: str) -> object | None:
        for name, value in reversed(self.entries):
            if isinstance(name, Text) and name.value == key:
                return value
        return None


@dataclass
class ArrayValue:
    """An array literal; `open` when a spread of an unknown value may add items."""

    items: list[object]
    open: bool = False


@dataclass
class LocalModule:
    """A local module that was read: what it exports."""

    module: ModuleScope


# -- scopes and bindings ----------------------------------------------------------------------------------------
@dataclass(eq=False)
class Binding:
    """What a name is bound to: a value, or an expression evaluated on first use (then kept), then the
    properties of a destructuring pattern (`const { a: { b } } = x` binds `b` to `x`, path `("a", "b")`)."""

    node: Node | None = None
    scope: Scope | None = None
    path: tuple[str, ...] = ()
    value: object = None  # set for a binding made from a value, and once evaluated
    evaluating: bool = False
    # A parameter's default value: the caller may pass another, so only an SDK client or package is taken from
    # it (a client passed in is of the same service; a table name passed in may be any other).
    clients_only: bool = False


@dataclass(eq=False)
class Scope:
    """A function's (or a module's) names. Blocks do not get their own: declarations are few and rarely
    shadowed in handler code, and a name bound more than once is unknown anyway."""

    module: ModuleScope
    parent: Scope | None
    names: dict[str, list[Binding]] = field(default_factory=dict)
    # What `this.name` is in this scope: the fields of the class whose method (or arrow function in one) this is
    # (`client = new DynamoDBClient({})`, `this.table = process.env.TABLE` in any method); None outside.
    fields: dict[str, list[Binding]] | None = None

    def declare(self, name: str, binding: Binding | None) -> None:
        bindings = self.names.setdefault(name, [])
        if binding is not None:
            bindings.append(binding)

    def lookup(self, name: str) -> list[Binding] | None:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.names:
                return scope.names[name]
            scope = scope.parent
        return None

    def owner(self, name: str) -> Scope:
        """The scope that declares `name`; the module's for an undeclared name (an implicit global)."""
        scope: Scope | None = self
        while scope is not None:
            if name in scope.names:
                return scope
            scope = scope.parent
        return self.module.scope


@dataclass(eq=False)
class ModuleScope:
    """One file read: its top-level scope, its exports, the calls found in it."""

    path: str
    source: bytes
    scope: Scope = field(init=False)
    exports: dict[str, list[Binding]] = field(default_factory=dict)
    # `module.exports = value` and `export * from "./x"`: where a name not in `exports` may come from.
    whole: list[Binding] = field(default_factory=list)
    reexported: list[ModuleScope] = field(default_factory=list)
    finished: bool = False
    candidates: list[tuple[Node, Scope]] = field(default_factory=list)  # calls and `new` expressions

    def __post_init__(self) -> None:
        self.scope = Scope(self, None)


# -- grammars --------------------------------------------------------------------------------------------------
@functools.cache
def _parser(typescript: bool) -> Parser:
    """A parser for TypeScript or for JavaScript/JSX (the TSX grammar), made once per process."""
    import tree_sitter
    import tree_sitter_typescript

    grammar = tree_sitter_typescript.language_typescript() if typescript else tree_sitter_typescript.language_tsx()
    return tree_sitter.Parser(tree_sitter.Language(grammar))


def script_calls(package: HandlerPackage) -> HandlerCalls:
    """Every AWS SDK call the JavaScript or TypeScript handler of `package` and its local modules make."""
    reader = ScriptReader(package)
    reader.read_module(package.handler_file)
    return reader.result()


# -- reading -------------------------------------------------------------------------------------------------
class ScriptReader:
    """Reads one handler package: its files, their bindings, and the calls in them."""

    def __init__(self, package: HandlerPackage):
        self.package = package
        self.modules: dict[str, ModuleScope | None] = {}  # path -> the module read there (None: unreadable)
        self.files: list[str] = []
        self.calls: dict[str, list[SdkCall]] = {}
        self.dynamic: dict[str, list[CallSite]] = {}
        self.unfollowed: list[str] = []
        # SDK commands made (`new PutCommand(...)`), and those a recognised call sends: a command made but not
        # seen sent (handed to a helper that sends it) counts as a call where it is made.
        self.made: dict[tuple[str, int], tuple[ModuleScope, Node, Command]] = {}
        self.sent: set[tuple[str, int]] = set()
        # The kinds of clients the code makes, and calls of a method on a value of unknown origin (a parameter,
        # a factory's result, an unknown field): (module, call, method). Such a call is dynamic when a client
        # the code makes has that method as an operation (it may be that client, passed around).
        self.clients: set[Client] = set()
        self.wrapper_imports: set[tuple[str, int]] = set()  # imports of SDK_WRAPPER_PACKAGES, each dynamic once
        self.unknown_receivers: list[tuple[ModuleScope, Node, str]] = []

    def result(self) -> HandlerCalls:
        for origin, (module, node, command) in self.made.items():
            if origin not in self.sent:
                self.record_command(module, node, command)
        for module, node, method in self.unknown_receivers:
            if any(_has_operation(client, method) for client in self.clients):
                self.dynamic_call(module, node)
        return HandlerCalls(
            language=self.package.language,
            files=tuple(self.files),
            calls=[call for path in self.files for call in sorted(self.calls.get(path, []), key=_call_position)],
            dynamic=[site for path in self.files for site in sorted(self.dynamic.get(path, []), key=_position)],
            unfollowed=list(self.unfollowed),
        )

    # -- files ---------------------------------------------------------------------------------------------
    def read_module(self, path: str) -> ModuleScope | None:
        """The module at `path` (relative to the scan root), read and searched once; None when unreadable."""
        if path in self.modules:
            return self.modules[path]
        text = self.package.reader.read(path) if len(self.files) < MAX_FILES else None
        if text is None:
            self.modules[path] = None
            return None
        source = text.encode("utf-8", "surrogatepass")
        module = ModuleScope(path, source)
        self.modules[path] = module
        self.files.append(path)
        tree = _parser(path.endswith(TYPESCRIPT_SUFFIXES)).parse(source)
        if tree.root_node.has_error:
            self.unfollowed.append(path)  # read as far as it parses; the calls seen may be incomplete
        self.walk(tree.root_node, module.scope)
        module.finished = True
        for node, scope in module.candidates:
            self.read_call(module, node, scope)
        return module

    def follow(self, importer: ModuleScope, specifier: str, site: Node) -> object:
        """The value of `import ... from specifier` (written at `site`) as a namespace: an SDK package, a local
        module, UNKNOWN for local code that cannot be read, FOREIGN for other packages."""
        if _is_sdk_package(specifier):
            return SdkExport(specifier)
        if specifier in PROCESS_MODULES:
            return NodeProcess()
        if specifier.startswith(("./", "../")) or specifier in (".", ".."):
            directory = posixpath.dirname(importer.path)
            base = posixpath.normpath(posixpath.join(directory, specifier))
            for candidate in _module_files(base, specifier):
                if candidate in self.modules and self.modules[candidate] is None:
                    continue
                if self.package.reader.exists(candidate):
                    module = self.read_module(candidate)
                    if module is not None:
                        return LocalModule(module)
            if not specifier.endswith(".json") and base not in self.unfollowed:
                self.unfollowed.append(base)
            return UNKNOWN
        # A path alias of the project's bundler or tsconfig: local code that is not followed.
        if specifier.startswith(("@/", "~/")):
            if specifier not in self.unfollowed:
                self.unfollowed.append(specifier)
            return UNKNOWN
        if _package_name(specifier) in SDK_WRAPPER_PACKAGES:  # it calls AWS on the code's behalf: calls not seen
            origin = (importer.path, site.start_byte)
            if origin not in self.wrapper_imports:
                self.wrapper_imports.add(origin)
                self.dynamic_call(importer, site)
        return FOREIGN

    # -- declarations and bindings -----------------------------------------------------------------------------
    def declare(self, node: Node, scope: Scope) -> bool:
        """Declare the names `node` binds in `scope` (its function's or module's). True when its children are
        read as part of it (an import), False when the walk goes on into them."""
        kind = node.type
        if kind == "variable_declarator":
            name = node.child_by_field_name("name")
            value = node.child_by_field_name("value")
            if name is not None:
                self.bind_pattern(name, Binding(value, scope) if value is not None else None, scope)
        elif kind in ("function_declaration", "generator_function_declaration", "class_declaration"):
            name = node.child_by_field_name("name")
            if name is not None:
                scope.declare(_text(name), Binding(value=UNKNOWN))
        elif kind == "import_statement":
            self.declare_import(node, scope)
            return True
        elif kind == "for_in_statement" and node.child_by_field_name("kind") is not None:
            left = node.child_by_field_name("left")  # `for (const table of tables)`: one per iteration
            if left is not None:
                self.bind_pattern(left, Binding(value=UNKNOWN), scope)
        elif kind == "catch_clause":
            parameter = node.child_by_field_name("parameter")
            if parameter is not None:
                self.bind_pattern(parameter, Binding(value=UNKNOWN), scope)
        return False

    def declare_import(self, node: Node, scope: Scope) -> None:
        required = next((child for child in node.named_children if child.type == "import_require_clause"), None)
        if required is not None:  # TypeScript's `import db = require("./db")`
            source = required.child_by_field_name("source")
            name = next((child for child in required.named_children if child.type == "identifier"), None)
            specifier = _string_value(source) if source is not None else None
            if name is not None and specifier is not None:
                scope.declare(_text(name), Binding(value=self.follow(scope.module, specifier, node)))
            return
        source = node.child_by_field_name("source")
        if source is None or any(child.type == "type" for child in node.children):
            return  # `import type`: no value
        specifier = _string_value(source)
        if specifier is None:
            return
        namespace = self.follow(scope.module, specifier, node)
        clause = next((child for child in node.named_children if child.type == "import_clause"), None)
        if clause is None:
            return
        for child in clause.named_children:
            if child.type == "identifier":  # default import
                scope.declare(_text(child), Binding(value=self.default_export(namespace)))
            elif child.type == "namespace_import":
                for name in child.named_children:
                    scope.declare(_text(name), Binding(value=namespace))
            elif child.type == "named_imports":
                for specifier_node in child.named_children:
                    if specifier_node.type != "import_specifier":
                        continue
                    if any(part.type == "type" for part in specifier_node.children):
                        continue
                    imported = specifier_node.child_by_field_name("name")
                    alias = specifier_node.child_by_field_name("alias") or imported
                    if imported is None or alias is None:
                        continue
                    name = _string_value(imported) if imported.type == "string" else _text(imported)
                    scope.declare(_text(alias), Binding(value=_Member(namespace, name or "")))

    def default_export(self, namespace: object) -> object:
        if isinstance(namespace, LocalModule):
            module = namespace.module
            return _Member(namespace, "default") if "default" in module.exports else namespace
        return namespace  # `import AWS from "aws-sdk"`, `import DynamoDB from "aws-sdk/clients/dynamodb"`

    def bind_pattern(self, pattern: Node, binding: Binding | None, scope: Scope, path: tuple[str, ...] = ()) -> None:
        """Declare the names of a binding pattern (`x`, `{ a, b: c, d = 1 }`, `[x, y]`)."""
        kind = pattern.type
        if kind in ("identifier", "shorthand_property_identifier_pattern"):
            if binding is None:
                scope.declare(_text(pattern), None)
            else:
                scope.declare(
                    _text(pattern),
                    Binding(binding.node, binding.scope, path, binding.value, clients_only=binding.clients_only),
                )
        elif kind == "object_pattern":
            for child in pattern.named_children:
                if child.type == "shorthand_property_identifier_pattern":
                    self.bind_pattern(child, binding, scope, (*path, _text(child)))
                elif child.type == "pair_pattern":
                    key, value = child.child_by_field_name("key"), child.child_by_field_name("value")
                    key_name = _property_name(key) if key is not None else None
                    if value is not None:
                        self.bind_pattern(
                            value, binding if key_name else _unknown(binding), scope, (*path, key_name or "")
                        )
                elif child.type == "object_assignment_pattern":
                    left = child.child_by_field_name("left")
                    if left is not None and left.type == "shorthand_property_identifier_pattern":
                        self.bind_pattern(left, binding, scope, (*path, _text(left)))
                    elif left is not None:
                        self.bind_pattern(left, _unknown(binding), scope)
                elif child.type == "rest_pattern":
                    for name in child.named_children:
                        self.bind_pattern(name, _unknown(binding), scope)
        elif kind in ("array_pattern", "rest_pattern", "assignment_pattern"):
            for child in pattern.named_children:
                if kind == "assignment_pattern" and child != pattern.child_by_field_name("left"):
                    continue
                self.bind_pattern(child, _unknown(binding), scope)

    def class_fields(self, body: Node, scope: Scope) -> dict[str, list[Binding]]:
        """The fields a class body declares with a value (`private readonly client = new SQSClient({})`)."""
        fields: dict[str, list[Binding]] = {}
        for member in body.named_children:
            if member.type != "public_field_definition" or any(child.type == "static" for child in member.children):
                continue
            name, value = member.child_by_field_name("name"), member.child_by_field_name("value")
            if name is not None and name.type == "property_identifier":
                bindings = fields.setdefault(_text(name), [])  # without a value: set by a method, if at all
                if value is not None:
                    bindings.append(Binding(value, scope))
        return fields

    def bind_parameters(self, function: Node, scope: Scope) -> None:
        single = function.child_by_field_name("parameter")
        if single is not None:
            self.bind_pattern(single, Binding(value=UNKNOWN), scope)
        parameters = function.child_by_field_name("parameters")
        for parameter in parameters.named_children if parameters is not None else ():
            pattern, default = parameter, None
            if parameter.type in ("required_parameter", "optional_parameter"):
                pattern = parameter.child_by_field_name("pattern") or parameter
                default = parameter.child_by_field_name("value")
            elif parameter.type == "assignment_pattern":
                pattern = parameter.child_by_field_name("left") or parameter
                default = parameter.child_by_field_name("right")
            if pattern.type == "this":
                continue
            if scope.fields is not None and any(
                child.type in ("accessibility_modifier", "readonly", "override_modifier")
                for child in parameter.children
            ):  # a TypeScript parameter property: `constructor(private readonly client = new SQSClient({}))`
                property_binding = (
                    Binding(default, scope.parent, clients_only=True) if default is not None else Binding(value=UNKNOWN)
                )
                scope.fields.setdefault(_text(pattern), []).append(property_binding)
            # A default value (`client = new DynamoDBClient({})`) is what the parameter holds when not given.
            if default is None:
                self.bind_pattern(pattern, Binding(value=UNKNOWN), scope)
            else:
                self.bind_pattern(pattern, Binding(default, scope.parent, clients_only=True), scope)

    # -- the code -----------------------------------------------------------------------------------------
    def walk(self, root: Node, root_scope: Scope) -> None:
        """Read a module's code once: declarations and nested scopes, assignments (bound once every name is
        declared: declarations are hoisted), exports, requires, and the calls to look at."""
        module = root_scope.module
        assignments: list[tuple[Node, Scope]] = []
        stack: list[tuple[Node, Scope]] = [(root, root_scope)]
        while stack:
            node, scope = stack.pop()
            kind = node.type
            if self.declare(node, scope):
                continue
            if kind in FUNCTION_NODES:
                # Methods and arrow functions see the `this` of their class; other functions have their own.
                keeps_this = kind in ("method_definition", "arrow_function")
                inner = Scope(module, scope, fields=scope.fields if keeps_this else None)
                self.bind_parameters(node, inner)
                body = node.child_by_field_name("body")
                if body is not None:
                    stack.append((body, inner))
                for field_name in ("parameters", "parameter"):
                    parameters = node.child_by_field_name(field_name)
                    if parameters is not None:
                        stack.append((parameters, inner))
                continue
            if kind == "class_body":
                scope = Scope(module, scope, fields=self.class_fields(node, scope))
            elif kind in ("call_expression", "new_expression"):
                module.candidates.append((node, scope))
                if kind == "call_expression":
                    self.follow_call(node, scope)
            elif kind == "assignment_expression" or (
                kind == "augmented_assignment_expression" and _operator(node) in ("??=", "||=")
            ):
                assignments.append((node, scope))  # `client ??= new DynamoDBClient({})` too
            elif kind == "export_statement" and scope is root_scope:
                self.declare_export(node, scope)
            elif kind == "for_in_statement" and node.child_by_field_name("kind") is None:
                assignments.append((node, scope))  # `for (table of tables)`: one more value each time
            stack.extend((child, scope) for child in _code_children(node))
        for node, scope in assignments:
            self.assign(node, scope)

    def follow_call(self, node: Node, scope: Scope) -> None:
        """`require("./db")` and `import("./db")` anywhere: the module is read where the call is."""
        function = node.child_by_field_name("function")
        if function is None or not (
            (function.type == "identifier" and _text(function) == "require" and scope.lookup("require") is None)
            or function.type == "import"
        ):
            return
        argument = _first_argument(node)
        specifier = _string_value(argument) if argument is not None else None
        if specifier is not None:
            self.follow(scope.module, specifier, node)

    def assign(self, node: Node, scope: Scope) -> None:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            return
        if node.type == "for_in_statement":  # `for (table of tables)`: an unknown value each time
            if left.type == "identifier":
                scope.owner(_text(left)).declare(_text(left), Binding(value=UNKNOWN))
            return
        module = scope.module
        if left.type == "identifier":
            name = _text(left)
            if name == "exports" and scope.lookup(name) is None:
                return
            scope.owner(name).declare(name, Binding(right, scope))
        elif left.type in ("object_pattern", "array_pattern"):
            self.assign_pattern(left, Binding(right, scope), scope)
        elif left.type == "member_expression" and _is_this_member(left) and scope.fields is not None:
            prop = left.child_by_field_name("property")
            if prop is not None:
                scope.fields.setdefault(_text(prop), []).append(Binding(right, scope))
        elif left.type == "member_expression":
            target = _member_chain(left)
            if target == ["module", "exports"]:
                module.whole.append(Binding(right, scope))
            elif target is not None and len(target) == 3 and target[:2] == ["module", "exports"]:
                module.exports.setdefault(target[2], []).append(Binding(right, scope))
            elif target is not None and len(target) == 2 and target[0] == "exports":
                module.exports.setdefault(target[1], []).append(Binding(right, scope))

    def assign_pattern(self, pattern: Node, binding: Binding, scope: Scope) -> None:
        """`({ a } = x)`: each name gets one more binding where it is declared."""
        names = Scope(scope.module, None)
        self.bind_pattern(pattern, binding, names)
        for name, bindings in names.names.items():
            owner = scope.owner(name)
            for one in bindings:
                owner.declare(name, one)

    def declare_export(self, node: Node, scope: Scope) -> None:
        module = scope.module
        declaration = node.child_by_field_name("declaration")
        value = node.child_by_field_name("value")
        source = node.child_by_field_name("source")
        is_default = any(child.type == "default" for child in node.children)
        if any(child.type == "=" for child in node.children):  # TypeScript's `export = handler`
            module.whole.extend(Binding(child, scope) for child in node.named_children[-1:])
            return
        if declaration is not None:
            for name in _declared_names(declaration):
                module.exports.setdefault("default" if is_default else name, []).extend(_as_reference(scope, name))
            return
        if value is not None:
            module.exports.setdefault("default", []).append(Binding(value, scope))
            return
        namespace = self.follow(module, _string_value(source) or "", node) if source is not None else None
        clause = next((child for child in node.named_children if child.type == "export_clause"), None)
        if clause is not None:
            for specifier in clause.named_children:
                name, alias = specifier.child_by_field_name("name"), specifier.child_by_field_name("alias")
                if name is None:
                    continue
                exported = _text(alias or name)
                if namespace is None:
                    module.exports.setdefault(exported, []).extend(_as_reference(scope, _text(name)))
                else:
                    module.exports.setdefault(exported, []).append(Binding(value=_Member(namespace, _text(name))))
            return
        star = next((child for child in node.named_children if child.type == "namespace_export"), None)
        if star is not None and namespace is not None:
            for name in star.named_children:
                module.exports.setdefault(_text(name), []).append(Binding(value=namespace))
        elif isinstance(namespace, LocalModule):
            module.reexported.append(namespace.module)

    # -- values -------------------------------------------------------------------------------------------
    def resolve(self, bindings: list[Binding] | None, depth: int) -> object:
        """The value of a name: UNKNOWN unless it is bound exactly once (besides `null`/`undefined`, the value of
        a variable set on first use: `let client = null; ... client = new DynamoDBClient({})`)."""
        if bindings is not None and len(bindings) > 1:
            bindings = [one for one in bindings if one.node is None or one.node.type not in NOTHING]
        if bindings is None or len(bindings) != 1:
            return UNKNOWN
        binding = bindings[0]
        if binding.value is None:
            if binding.evaluating or binding.node is None or binding.scope is None:
                return UNKNOWN
            binding.evaluating = True
            try:
                value = self.evaluate(binding.node, binding.scope, depth + 1)
            finally:
                binding.evaluating = False
            value = self.settled(value, depth)
            if binding.scope.module.finished:
                binding.value = value
        else:
            value = self.settled(binding.value, depth)
        for name in binding.path:
            value = self.member(value, name, depth + 1)
        if binding.clients_only and not isinstance(value, Client | SdkExport):
            return UNKNOWN
        return value

    def settled(self, value: object, depth: int) -> object:
        """A value looked up when used (`_Member`, `_Name`) as what it is now."""
        if isinstance(value, _Member):
            return self.member(value.namespace, value.name, depth + 1)
        if isinstance(value, _Name):
            return self.resolve(value.scope.names.get(value.name), depth + 1)
        return value

    def member(self, value: object, name: str, depth: int) -> object:
        """`value.name`."""
        if depth > MAX_DEPTH or not name:
            return UNKNOWN
        value = self.settled(value, depth)
        if isinstance(value, NodeProcess):
            return ProcessEnv() if name == "env" else UNKNOWN
        if isinstance(value, ProcessEnv):
            return Env(name)
        if isinstance(value, SdkExport):
            if name == "default" and not value.path:
                return value  # interop: the CommonJS module as its default export
            return SdkExport(value.package, (*value.path, name))
        if isinstance(value, LocalModule):
            return self.exported(value.module, name, depth + 1)
        if isinstance(value, ObjectValue):
            found = value.get(name)
            return found if found is not None else UNKNOWN
        if isinstance(value, Foreign | Text | Template | ArrayValue):
            return FOREIGN
        return UNKNOWN

    def exported(self, module: ModuleScope, name: str, depth: int, seen: frozenset[int] = frozenset()) -> object:
        if id(module) in seen or not module.finished:
            return UNKNOWN
        if name in module.exports:
            return self.resolve(module.exports[name], depth)
        if module.whole:
            return self.member(self.resolve(module.whole, depth), name, depth + 1)
        for other in module.reexported:
            found = self.exported(other, name, depth + 1, seen | {id(module)})
            if found is not UNKNOWN:
                return found
        return UNKNOWN

    def evaluate(self, node: Node, scope: Scope, depth: int = 0) -> object:
        """The value of an expression, as far as it can be known statically."""
        if depth > MAX_DEPTH:
            return UNKNOWN
        kind = node.type
        if kind in ("parenthesized_expression", "non_null_expression", "as_expression", "satisfies_expression"):
            inner = node.named_children
            return self.evaluate(inner[0], scope, depth + 1) if inner else UNKNOWN
        if kind == "type_assertion":
            inner = node.named_children
            return self.evaluate(inner[-1], scope, depth + 1) if inner else UNKNOWN
        if kind == "sequence_expression":
            inner = node.named_children
            return self.evaluate(inner[-1], scope, depth + 1) if inner else UNKNOWN
        if kind == "await_expression":
            inner = node.named_children
            return self.evaluate(inner[0], scope, depth + 1) if inner else UNKNOWN
        if kind == "string":
            text = _string_value(node)
            return Text(text) if text is not None else UNKNOWN
        if kind == "template_string":
            return self.template(node, scope, depth)
        if kind == "identifier":
            name = _text(node)
            bindings = scope.lookup(name)
            if bindings is None:  # a global: Node's `process`, or `console`, `JSON`, `Promise`, ...
                return NodeProcess() if name == "process" else FOREIGN
            return self.resolve(bindings, depth)
        if kind == "member_expression":
            target, prop = node.child_by_field_name("object"), node.child_by_field_name("property")
            if target is None or prop is None:
                return UNKNOWN
            if target.type == "this":
                return self.resolve(scope.fields.get(_text(prop)), depth) if scope.fields is not None else UNKNOWN
            return self.member(self.evaluate(target, scope, depth + 1), _text(prop), depth + 1)
        if kind == "subscript_expression":
            target, index = node.child_by_field_name("object"), node.child_by_field_name("index")
            if target is None or index is None:
                return UNKNOWN
            key = self.evaluate(index, scope, depth + 1)
            if not isinstance(key, Text):
                return UNKNOWN
            return self.member(self.evaluate(target, scope, depth + 1), key.value, depth + 1)
        if kind == "binary_expression":
            operator = node.child_by_field_name("operator")
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if operator is None or left is None or right is None or _text(operator) not in ("||", "??"):
                return UNKNOWN
            first = self.evaluate(left, scope, depth + 1)  # `process.env.TABLE || "orders"`: the variable
            return first if first is not UNKNOWN else self.evaluate(right, scope, depth + 1)
        if kind == "object":
            return self.object_value(node, scope, depth)
        if kind == "array":
            return self.array_value(node, scope, depth)
        if kind == "new_expression":
            return self.constructed(node, scope, depth)
        if kind == "call_expression":
            return self.call_value(node, scope, depth)
        return UNKNOWN

    def template(self, node: Node, scope: Scope, depth: int) -> object:
        """A template literal: its text without substitutions, else its parts with the values substituted;
        UNKNOWN when an escape in it cannot be read."""
        parts: list[object] = []
        for child in node.named_children:
            if child.type == "template_substitution":
                inner = child.named_children
                parts.append(self.evaluate(inner[0], scope, depth + 1) if inner else UNKNOWN)
            else:
                text = _fragment(child)
                if text is None:
                    return UNKNOWN
                if parts and isinstance(parts[-1], str):
                    parts[-1] += text
                elif text:
                    parts.append(text)
        if all(isinstance(part, str) for part in parts):
            return Text("".join(part for part in parts if isinstance(part, str)))
        return Template(tuple(parts))

    def object_value(self, node: Node, scope: Scope, depth: int) -> ObjectValue:
        value = ObjectValue([])
        for child in node.named_children:
            if child.type == "pair":
                key, item = child.child_by_field_name("key"), child.child_by_field_name("value")
                if key is None or item is None:
                    continue
                if key.type == "computed_property_name":
                    inner = key.named_children
                    name = self.evaluate(inner[0], scope, depth + 1) if inner else UNKNOWN
                else:
                    name = Text(_property_name(key) or "")
                value.entries.append((name, self.evaluate(item, scope, depth + 1)))
            elif child.type == "shorthand_property_identifier":
                name = _text(child)
                value.entries.append((Text(name), self.resolve(scope.lookup(name), depth)))
            elif child.type == "spread_element":
                inner = child.named_children
                spread = self.evaluate(inner[0], scope, depth + 1) if inner else UNKNOWN
                if isinstance(spread, ObjectValue):
                    value.entries.extend(spread.entries)
                    value.open = value.open or spread.open
                else:
                    value.open = True
        return value

    def array_value(self, node: Node, scope: Scope, depth: int) -> ArrayValue:
        value = ArrayValue([])
        for child in node.named_children:
            if child.type == "spread_element":
                inner = child.named_children
                spread = self.evaluate(inner[0], scope, depth + 1) if inner else UNKNOWN
                if isinstance(spread, ArrayValue):
                    value.items.extend(spread.items)
                    value.open = value.open or spread.open
                else:
                    value.open = True
            elif child.type != "comment":
                value.items.append(self.evaluate(child, scope, depth + 1))
        return value

    def constructed(self, node: Node, scope: Scope, depth: int) -> object:
        """`new X(...)`: an SDK client or command, else FOREIGN (an object that is not an SDK client)."""
        constructor = node.child_by_field_name("constructor")
        if constructor is None:
            return UNKNOWN
        cls = self.evaluate(constructor, scope, depth + 1)
        if not isinstance(cls, SdkExport) or not cls.path:
            return FOREIGN
        argument = _first_argument(node)
        params = self.evaluate(argument, scope, depth + 1) if argument is not None else ObjectValue([])
        name = cls.path[-1]
        if cls.package == DOCUMENT_PACKAGE:
            if name.endswith("Command") and len(cls.path) == 1:
                return Command("dynamodb", name, params, (scope.module.path, node.start_byte))
            if name == "DynamoDBDocumentClient":
                return self.client("dynamodb", methods=False)
            return self.client("dynamodb", methods=True) if name == "DynamoDBDocument" else FOREIGN
        service = _package_service(cls)
        if service is None:
            return FOREIGN
        if cls.package.startswith(V3_CLIENT_PREFIX) and len(cls.path) == 1:
            if name.endswith("Command"):
                return Command(service, name, params, (scope.module.path, node.start_byte))
            if name.endswith("Client"):
                return self.client(service, methods=False)
            if name[:1].isupper() and not name.endswith(("Exception", "Error")):
                return self.client(service, methods=True)  # the aggregated client: `new DynamoDB({})`
            return FOREIGN
        # v2: `new AWS.SQS()`, `new AWS.DynamoDB.DocumentClient()`, `new DynamoDB()` of `aws-sdk/clients/dynamodb`
        if name[:1].isupper() and cls.path[0] not in V2_HELPER_CLASSES:
            return self.client(service, methods=True)
        return FOREIGN

    def client(self, service: str, methods: bool) -> Client:
        """A client made in the code (kept: calls through receivers of unknown origin are judged by them)."""
        made = Client(service, methods)
        self.clients.add(made)
        return made

    def call_value(self, node: Node, scope: Scope, depth: int) -> object:
        """`require(...)`, `DynamoDBDocumentClient.from(client)`, interop helpers; else UNKNOWN."""
        function = node.child_by_field_name("function")
        argument = _first_argument(node)
        if function is None:
            return UNKNOWN
        if function.type == "identifier" and scope.lookup(_text(function)) is None:
            name = _text(function)
            if name == "require" and argument is not None:
                specifier = _string_value(argument)
                return self.follow(scope.module, specifier, node) if specifier is not None else UNKNOWN
            if name in INTEROP_HELPERS | {"String"} and argument is not None:
                return self.evaluate(argument, scope, depth + 1)
        called = function.child_by_field_name("property") if function.type == "member_expression" else function
        if called is not None and _text(called) in TRACING_WRAPPERS and argument is not None:
            return self.evaluate(argument, scope, depth + 1)
        if function.type == "member_expression":
            prop = function.child_by_field_name("property")
            target = function.child_by_field_name("object")
            if prop is not None and _text(prop) == "map" and argument is not None:
                return self.mapped(argument, scope, depth)
            if prop is not None and target is not None and _text(prop) == "from":
                cls = self.evaluate(target, scope, depth + 1)
                if isinstance(cls, SdkExport) and cls.package == DOCUMENT_PACKAGE:
                    if cls.path == ("DynamoDBDocumentClient",):
                        return self.client("dynamodb", methods=False)
                    if cls.path == ("DynamoDBDocument",):
                        return self.client("dynamodb", methods=True)
        return UNKNOWN

    def mapped(self, callback: Node, scope: Scope, depth: int) -> object:
        """`items.map((item) => ({ Put: { TableName, Item: item } }))`: an array whose items all have the shape
        the arrow function's expression gives (its parameters unknown); UNKNOWN for other callbacks."""
        body = callback.child_by_field_name("body") if callback.type == "arrow_function" else None
        if body is None or body.type == "statement_block":
            return UNKNOWN
        inner = Scope(scope.module, scope)
        self.bind_parameters(callback, inner)
        return ArrayValue([self.evaluate(body, inner, depth + 1)])

    # -- calls ---------------------------------------------------------------------------------------------
    def read_call(self, module: ModuleScope, node: Node, scope: Scope) -> None:
        """Record `node` when it is an AWS SDK call (module docstring)."""
        if node.type == "new_expression":
            constructor = node.child_by_field_name("constructor")
            cls = self.evaluate(constructor, scope) if constructor is not None else UNKNOWN
            if cls == SdkExport(STORAGE_PACKAGE, ("Upload",)):  # lib-storage's managed upload
                options = self.evaluate_argument(node, 0, scope)
                params = self.member(options, "params", 0)
                self.record(module, node, "s3", "PutObject", params)
                return
            made = self.constructed(node, scope, 0)
            if isinstance(made, Command):
                self.made[made.origin] = (module, node, made)
            return
        function = node.child_by_field_name("function")
        if function is None:
            return
        function = _unwrapped(function)
        if function.type == "member_expression":
            target, prop = function.child_by_field_name("object"), function.child_by_field_name("property")
            if target is None or prop is None:
                return
            method = _text(prop)
            if method == "send":
                self.read_send(module, node, target, scope)
                return
            receiver = self.evaluate(target, scope)
            if isinstance(receiver, Client):
                if receiver.methods:
                    self.read_method(module, node, receiver, method, scope)
                return
            if receiver is UNKNOWN and _may_hold_client(target):
                self.unknown_receivers.append((module, node, method))
            if method == "from" and isinstance(receiver, SdkExport):
                self.call_value(node, scope, 0)  # `DynamoDBDocument.from(client)`: a client the code makes
            callee = self.member(receiver, method, 0)  # `sdk.paginateQuery(...)`, `(0, sdk.paginateQuery)(...)`
        if function.type == "subscript_expression":
            target, index = function.child_by_field_name("object"), function.child_by_field_name("index")
            if target is None or index is None:
                return
            receiver = self.evaluate(target, scope)
            if not isinstance(receiver, Client):
                return
            key = self.evaluate(index, scope)
            if isinstance(key, Text):
                if key.value == "send":
                    self.read_send(module, node, target, scope)
                elif receiver.methods:
                    self.read_method(module, node, receiver, key.value, scope)
            else:
                self.dynamic_call(module, node)  # `client[method](...)`
            return
        else:
            callee = self.evaluate(function, scope)
        if not isinstance(callee, SdkExport) or len(callee.path) != 1:
            return
        name = callee.path[0]
        if callee.package == PRESIGNER_PACKAGE and name == "getSignedUrl":
            self.read_command(module, node, 1, None, scope)
        elif callee.package == PRESIGNED_POST_PACKAGE and name == "createPresignedPost":
            self.record(module, node, "s3", "PutObject", self.evaluate_argument(node, 1, scope))
        elif name.startswith("paginate") and name != "paginate":
            service = "dynamodb" if callee.package == DOCUMENT_PACKAGE else _package_service(callee)
            operation = sdk_actions.operation_for_command(service, name[len("paginate") :]) if service else None
            if service is not None and operation is not None:
                self.record(module, node, service, operation, self.evaluate_argument(node, 1, scope))

    def read_send(self, module: ModuleScope, node: Node, target: Node, scope: Scope) -> None:
        """`client.send(command)`."""
        receiver = self.evaluate(target, scope)
        client = receiver if isinstance(receiver, Client) else None
        read = self.read_command(module, node, 0, client, scope)
        if not read and receiver is UNKNOWN and _may_hold_client(target):
            self.unknown_receivers.append((module, node, "send"))

    def read_command(self, module: ModuleScope, node: Node, position: int, client: Client | None, scope: Scope) -> bool:
        """The command passed as argument `position` of a call: a call when it is an SDK command; dynamic when
        it cannot be read and the call is an SDK client's (or the command class is picked at run time). False
        when it is none of these."""
        argument = _argument(node, position)
        command = self.evaluate(argument, scope) if argument is not None else FOREIGN
        if isinstance(command, Command):
            self.sent.add(command.origin)
            self.record_command(module, node, command)
            return True
        if argument is not None and (client is not None or self.picked_command(_unwrapped(argument), scope)):
            self.dynamic_call(module, node)
            return True
        return command is not UNKNOWN

    def picked_command(self, argument: Node, scope: Scope) -> bool:
        """`new Commands[name](...)` with `Commands` an SDK package or an object holding SDK commands."""
        if argument.type != "new_expression":
            return False
        constructor = argument.child_by_field_name("constructor")
        if constructor is None or constructor.type != "subscript_expression":
            return False
        holder_node = constructor.child_by_field_name("object")
        holder = self.evaluate(holder_node, scope) if holder_node is not None else UNKNOWN
        if isinstance(holder, SdkExport):
            return True
        return isinstance(holder, ObjectValue) and any(isinstance(value, SdkExport) for _, value in holder.entries)

    def read_method(self, module: ModuleScope, node: Node, client: Client, method: str, scope: Scope) -> None:
        """A method of a v2 or aggregated v3 client: `ddb.putItem(params)`, `docClient.put(params)`."""
        if client.service == "s3" and method in ("getSignedUrl", "getSignedUrlPromise"):
            name = self.evaluate_argument(node, 0, scope)
            if isinstance(name, Text):
                operation = sdk_actions.operation_for_command("s3", name.value)
                if operation is not None:
                    self.record(module, node, "s3", operation, self.evaluate_argument(node, 1, scope))
            else:
                self.dynamic_call(module, node)
            return
        operation = V2_MANAGED_METHODS.get((client.service, method)) or sdk_actions.operation_for_command(
            client.service, method
        )
        if operation is not None and method[:1].islower():
            self.record(module, node, client.service, operation, self.evaluate_argument(node, 0, scope))

    def record_command(self, module: ModuleScope, node: Node, command: Command) -> None:
        operation = sdk_actions.operation_for_command(command.service, command.name)
        if operation is not None:
            self.record(module, node, command.service, operation, command.params)

    def evaluate_argument(self, node: Node, position: int, scope: Scope) -> object:
        argument = _argument(node, position)
        return self.evaluate(argument, scope) if argument is not None else UNKNOWN

    def record(self, module: ModuleScope, node: Node, service: str, operation: str, params: object) -> None:
        prefix = sdk_actions.service_for_client(service)
        if prefix is None:
            return
        site = _site(module, node)
        needs, complete = _needs(prefix, operation, params)
        self.calls.setdefault(module.path, []).append(SdkCall(prefix, operation, needs, site))
        if not complete:
            self.dynamic.setdefault(module.path, []).append(site)

    def dynamic_call(self, module: ModuleScope, node: Node) -> None:
        self.dynamic.setdefault(module.path, []).append(_site(module, node))


@dataclass(frozen=True)
class _Member:
    """`namespace.name`, looked up when used (an import of a name from a module still being read)."""

    namespace: object
    name: str


@dataclass(frozen=True, eq=False)
class _Name:
    """A module-level name, looked up when used (`export { client }`, `export const client = ...`)."""

    scope: Scope
    name: str


def _position(site: CallSite) -> tuple[int, int]:
    return site.line, site.column


def _call_position(call: SdkCall) -> tuple[int, int]:
    return _position(call.site)


# -- what a call acts on ---------------------------------------------------------------------------------------
Needs = tuple[tuple[str, CallTarget], ...]
STATEMENT_LISTS = {"BatchExecuteStatement": "Statements", "ExecuteTransaction": "TransactStatements"}


def _needs(prefix: str, operation: str, params: object) -> tuple[Needs, bool]:
    """(the call's needs, whether its actions could all be read) from its parameters (module docstring)."""
    if prefix == "dynamodb" and operation in sdk_actions.TRANSACTION_ITEM_ACTIONS:
        return _transaction_needs(operation, _param(params, "TransactItems"))
    if prefix == "dynamodb" and operation in ("ExecuteStatement", *STATEMENT_LISTS):
        return _statements_needs(operation, params)
    if prefix == "dynamodb" and operation in ("BatchGetItem", "BatchWriteItem"):
        return _batch_needs(operation, _param(params, "RequestItems")), True
    if prefix == "events" and operation == "PutEvents":
        return _event_needs(_param(params, "Entries")), True
    if prefix == "s3" and operation in ("CopyObject", "UploadPartCopy"):
        destination = _target(prefix, "PutObject", params)
        return sdk_actions.copy_needs(_copy_source(_param(params, "CopySource")), destination), True
    return sdk_actions.needs(prefix, operation, _target(prefix, operation, params)), True


def _target(prefix: str, operation: str, params: object) -> CallTarget:
    """The target named by the request parameters `sdk_actions.request_target` gives for the operation."""
    present = frozenset(
        key.value for key, _ in (params.entries if isinstance(params, ObjectValue) else ()) if isinstance(key, Text)
    )
    unknown = not isinstance(params, ObjectValue) or params.open
    resource_type, name_parameter, qualifier_parameter = sdk_actions.request_target(prefix, operation, present)
    name = _name(_param(params, name_parameter)) if name_parameter else None
    if unknown and resource_type != "index" and "index" in sdk_actions.resource_types(prefix, operation):
        name = None  # the parameters not seen may hold an IndexName
    qualifier = None
    if resource_type == "index":
        index = _param(params, "IndexName")
        qualifier = index.value if isinstance(index, Text) else None
    elif qualifier_parameter is not None:
        qualifier = _pattern(_param(params, qualifier_parameter))
    return CallTarget(resource_type, name, qualifier)


def _transaction_needs(operation: str, items: object) -> tuple[Needs, bool]:
    if not isinstance(items, ArrayValue):
        return (), False
    kinds: list[tuple[str, CallTarget]] = []
    readable = not items.open
    for item in items.items:
        if not isinstance(item, ObjectValue) or item.open or len(item.entries) != 1:
            readable = False
            continue
        kind, body = item.entries[0]
        if not isinstance(kind, Text) or not isinstance(body, ObjectValue):
            readable = False
            continue
        kinds.append((kind.value, CallTarget("table", _name(_param(body, "TableName")))))
    return sdk_actions.transaction_needs(operation, kinds), readable


def _statements_needs(operation: str, params: object) -> tuple[Needs, bool]:
    """PartiQL: `Statement`, or each item's `Statement` of `Statements`/`TransactStatements`."""
    if operation == "ExecuteStatement":
        statements = [_param(params, "Statement")]
    else:
        listed = _param(params, STATEMENT_LISTS[operation])
        if not isinstance(listed, ArrayValue) or listed.open:
            return (), False
        statements = [_param(item, "Statement") for item in listed.items]
    needs: list[tuple[str, CallTarget]] = []
    readable = True
    for statement in statements:
        found = _statement_needs(statement)
        readable = readable and bool(found)
        needs.extend(need for need in found if need not in needs)
    return tuple(needs), readable


def _text_of(value: object) -> str | None:
    return value.value if isinstance(value, Text) else None


def _statement_needs(statement: object) -> Needs:
    """The needs of a literal statement, or of a template literal whose verb is literal (the table is named when
    it is exactly one substituted value: `` `SELECT * FROM "${process.env.TABLE}"` ``)."""
    if isinstance(statement, Text):
        return sdk_actions.statement_needs(statement.value, None)
    if not isinstance(statement, Template):
        return ()
    return sdk_actions.built_statement_needs(statement.parts, _name, _text_of)


def _batch_needs(operation: str, requests: object) -> Needs:
    """A batch needs its action on each table `RequestItems` is keyed by (an unknown table when not all known)."""
    tables: list[TargetName | None] = []
    if isinstance(requests, ObjectValue):
        tables = [_name(key) for key, _ in requests.entries]
        if requests.open:
            tables.append(None)
    else:
        tables = [None]
    return _joined(sdk_actions.needs("dynamodb", operation, CallTarget("table", table)) for table in tables)


def _event_needs(entries: object) -> Needs:
    """`PutEvents` needs `events:PutEvents` on each entry's bus (`default` without `EventBusName`)."""
    buses: list[TargetName | None] = []
    if isinstance(entries, ArrayValue):
        for entry in entries.items:
            bus = _param(entry, "EventBusName")
            buses.append(TargetName(literal="default") if bus is None else _name(bus))
        if entries.open:
            buses.append(None)
    else:
        buses = [None]
    return _joined(sdk_actions.needs("events", "PutEvents", CallTarget("event-bus", bus)) for bus in buses)


def _joined(groups: Iterator[Needs]) -> Needs:
    needs: list[tuple[str, CallTarget]] = []
    for group in groups:
        needs.extend(need for need in group if need not in needs)
    return tuple(needs)


def _copy_source(value: object) -> CallTarget:
    """S3 `CopySource`: `"bucket/key"`, or a template literal whose bucket is one substituted value or literal."""
    if isinstance(value, Text) and "/" in value.value.lstrip("/"):
        bucket, _, key = value.value.lstrip("/").partition("/")
        return CallTarget("object", TargetName(literal=bucket), key.split("?")[0])
    if isinstance(value, Template):
        parts = list(value.parts)
        if parts and isinstance(parts[0], str):
            parts[0] = parts[0].lstrip("/")
        for position, part in enumerate(parts):
            if isinstance(part, str) and "/" in part:
                head, _, tail = part.partition("/")
                bucket_parts = [*parts[:position], head] if head else parts[:position]
                key = Template((tail, *parts[position + 1 :])).pattern()
                if len(bucket_parts) == 1:
                    only = bucket_parts[0]
                    name = TargetName(literal=only) if isinstance(only, str) else _name(only)
                    return CallTarget("object", name, key.split("?")[0])
                return CallTarget("object", None, key.split("?")[0])
    return CallTarget("object", None, "*")


def _param(params: object, name: str) -> object | None:
    """A request parameter: None when the parameters are known not to have it, UNKNOWN when they may."""
    if isinstance(params, ObjectValue):
        found = params.get(name)
        if found is None and params.open:
            return UNKNOWN
        return found
    return UNKNOWN


def _name(value: object | None) -> TargetName | None:
    if isinstance(value, Env):
        return TargetName(env=value.name)
    if isinstance(value, Text):
        return TargetName(literal=value.value)
    return None


def _pattern(value: object | None) -> str:
    """An S3 object key as a pattern (`uploads/${id}.json` -> `uploads/*.json`); `*` when it is computed."""
    if isinstance(value, Text) and value.value:
        return value.value
    if isinstance(value, Template):
        return value.pattern()
    return "*"


# -- syntax helpers --------------------------------------------------------------------------------------------
def _text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", "replace")


ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "b": "\b", "f": "\f", "v": "\v", "\n": "", "\r\n": ""}


def _string_value(node: Node) -> str | None:
    """The value of a string literal (or a template literal without substitutions); None for anything else, and
    for a literal with an escape that cannot be read."""
    if node.type not in ("string", "template_string"):
        return None
    pieces: list[str] = []
    for child in node.named_children:
        text = _fragment(child)
        if text is None:
            return None
        pieces.append(text)
    return "".join(pieces)


def _fragment(child: Node) -> str | None:
    """The text of a piece of a string literal: literal text or one escape sequence (`\\n`, `\\x41`, `\\u0041`,
    `\\u{1F600}`, a line continuation); None for anything else (a substitution, an escape that cannot be read)."""
    if child.type == "string_fragment":
        return _text(child)
    if child.type != "escape_sequence":
        return None
    escape = _text(child)[1:]
    if escape in ESCAPES:
        return ESCAPES[escape]
    code = escape[2:-1] if escape.startswith("u{") and escape.endswith("}") else escape[1:]
    if escape[:1] in ("x", "u") and code and all(c in "0123456789abcdefABCDEF" for c in code):
        number = int(code, 16)
        return chr(number) if number <= 0x10FFFF else None
    return escape if len(escape) == 1 else None  # a quote, a backslash, a slash: the character itself


def _property_name(node: Node) -> str | None:
    if node.type in ("property_identifier", "identifier", "private_property_identifier", "number"):
        return _text(node)
    if node.type == "string":
        return _string_value(node)
    return None


# TypeScript's types hold no code to read.
TYPE_NODES = frozenset(
    {
        "type_annotation",
        "type_arguments",
        "type_parameters",
        "interface_declaration",
        "type_alias_declaration",
        "abstract_method_signature",
        "ambient_declaration",
    }
)


def _code_children(node: Node) -> list[Node]:
    """The named children that may hold code, last first (for a stack): no leaves, no types."""
    return [
        child for child in reversed(node.named_children) if child.named_child_count and child.type not in TYPE_NODES
    ]


def _may_hold_client(node: Node) -> bool:
    """Whether the receiver of a call is written the way code passes clients around: a name, `this.name`, or a
    call's result (`getClient().put(...)`); not a property path into other data (`event.headers.get(...)`)."""
    node = _unwrapped(node)
    if node.type == "await_expression" and node.named_children:
        node = _unwrapped(node.named_children[0])
    return node.type in ("identifier", "call_expression") or (
        node.type == "member_expression" and _is_this_member(node)
    )


def _has_operation(client: Client, method: str) -> bool:
    """Whether `method` is an operation of `client` (`send` of a v3 client, a method of the others)."""
    if not client.methods:
        return method == "send"
    if not method[:1].islower():
        return False
    return (client.service, method) in V2_MANAGED_METHODS or (
        sdk_actions.operation_for_command(client.service, method) is not None
    )


def _is_this_member(node: Node) -> bool:
    target = node.child_by_field_name("object")
    return target is not None and target.type == "this"


def _package_name(specifier: str) -> str:
    """`@scope/name/sub/path` -> `@scope/name`; `name/sub` -> `name`."""
    parts = specifier.split("/")
    return "/".join(parts[:2]) if specifier.startswith("@") else parts[0]


def _operator(node: Node) -> str:
    operator = node.child_by_field_name("operator")
    return _text(operator) if operator is not None else ""


def _member_chain(node: Node) -> list[str] | None:
    """`module.exports.x` -> ["module", "exports", "x"]; None when not a plain chain of names."""
    names: list[str] = []
    while node.type == "member_expression":
        prop = node.child_by_field_name("property")
        target = node.child_by_field_name("object")
        if prop is None or target is None:
            return None
        names.append(_text(prop))
        node = target
    if node.type != "identifier":
        return None
    names.append(_text(node))
    return names[::-1]


def _declared_names(declaration: Node) -> list[str]:
    if declaration.type in ("lexical_declaration", "variable_declaration"):
        names: list[str] = []
        for declarator in declaration.named_children:
            name = declarator.child_by_field_name("name") if declarator.type == "variable_declarator" else None
            if name is not None and name.type == "identifier":
                names.append(_text(name))
        return names
    name = declaration.child_by_field_name("name")
    return [_text(name)] if name is not None else []


def _as_reference(scope: Scope, name: str) -> list[Binding]:
    """An export of a module-level name: the name's value when used (a name bound more than once, also by an
    assignment after the export, stays unknown)."""
    return [Binding(value=_Name(scope, name))]


def _unknown(binding: Binding | None) -> Binding | None:
    return Binding(value=UNKNOWN) if binding is not None else None


def _unwrapped(node: Node) -> Node:
    """`(0, x.f)` -> `x.f`; `(x)` -> `x`; `x!` -> `x`."""
    while node.type in ("parenthesized_expression", "sequence_expression", "non_null_expression"):
        inner = node.named_children
        if not inner:
            break
        node = inner[-1] if node.type == "sequence_expression" else inner[0]
    return node


def _argument(node: Node, position: int) -> Node | None:
    arguments = node.child_by_field_name("arguments")
    if arguments is None:
        return None
    values = [child for child in arguments.named_children if child.type != "comment"]
    return values[position] if position < len(values) else None


def _first_argument(node: Node) -> Node | None:
    return _argument(node, 0)


def _site(module: ModuleScope, node: Node) -> CallSite:
    row, byte_column = node.start_point
    line_start = node.start_byte - byte_column
    column = len(module.source[line_start : node.start_byte].decode("utf-8", "replace")) + 1
    return CallSite(module.path, row + 1, column, _call_text(node))


def _call_text(node: Node) -> str:
    """The call as written, on one line, with its arguments shortened: `client.send(new PutCommand(...))`; another
    node (an import) as written, on one line."""
    if node.type not in ("call_expression", "new_expression"):
        text = " ".join(_text(node).split())
        return text if len(text) <= SITE_TEXT_LENGTH else text[: SITE_TEXT_LENGTH - 3] + "..."
    callee = node.child_by_field_name("function") or node.child_by_field_name("constructor")
    head = " ".join(_text(callee).split()) if callee is not None else ""
    if node.type == "new_expression":
        head = "new " + head
    first = _first_argument(node)
    inner = "..." if first is not None else ""
    if first is not None and first.type == "new_expression":
        constructor = first.child_by_field_name("constructor")
        if constructor is not None:
            inner = "new " + " ".join(_text(constructor).split()) + "(...)"
    text = f"{head}({inner})"
    return text if len(text) <= SITE_TEXT_LENGTH else text[: SITE_TEXT_LENGTH - 3] + "..."


# -- packages --------------------------------------------------------------------------------------------------
def _is_sdk_package(specifier: str) -> bool:
    return (
        specifier == V2_PACKAGE
        or specifier.startswith((V3_CLIENT_PREFIX, V2_CLIENTS_PREFIX))
        or specifier in (DOCUMENT_PACKAGE, STORAGE_PACKAGE, PRESIGNER_PACKAGE, PRESIGNED_POST_PACKAGE)
    )


def _package_service(export: SdkExport) -> str | None:
    """The botocore service of an SDK export: `@aws-sdk/client-sqs` -> sqs, `AWS.DynamoDB` -> dynamodb."""
    package = export.package
    if package.startswith(V3_CLIENT_PREFIX):
        name = package[len(V3_CLIENT_PREFIX) :]
    elif package.startswith(V2_CLIENTS_PREFIX):
        name = package[len(V2_CLIENTS_PREFIX) :]
    elif package == V2_PACKAGE and export.path:
        name = export.path[0]
    else:
        return None
    key = name.replace("-", "").lower()
    return PACKAGE_SERVICES.get(key, key) or None


def _module_files(base: str, specifier: str) -> list[str]:
    """The files a relative specifier may name: as written, a TypeScript source for a `.js` specifier, with an
    extension added, or the directory's index."""
    stem, suffix = posixpath.splitext(base)
    files: list[str] = []
    if suffix in SCRIPT_SUFFIXES:
        files.append(base)
        files += [stem + source for source in COMPILED_SOURCES.get(suffix, ())]
    if not specifier.endswith("/"):
        files += [base + extension for extension in SCRIPT_SUFFIXES]
    files += [posixpath.join(base, "index" + extension) for extension in SCRIPT_SUFFIXES]
    return [file for file in files if file and not file.startswith("../") and file != ".."]


__all__ = ["script_calls"]
