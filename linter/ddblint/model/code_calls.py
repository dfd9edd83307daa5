"""What a function's handler code asks AWS to do, as data: the contract between the language readers and the
facts that check calls against the role (IAM107, IAM108, `ddblint policy`).

The loader finds a function's deployment package and its handler file (`ddblint.loaders.handler`) and gives a
`HandlerPackage`: the language, the handler file, and a `SourceReader` confined to the scan root, through which a
language reader follows the handler's local imports. A language reader (Python: `ddblint.model.python_calls`;
JavaScript/TypeScript: `ddblint.model.script_calls`) turns the package into `HandlerCalls`: every AWS SDK call it
can see, as an `SdkCall` with the service, the operation (the API name of the AWS service model, e.g.
`UpdateItem`), and what it acts on (`CallTarget`). `ddblint.model.sdk_actions` maps calls to IAM actions. Nothing
here is resolved against Terraform: a `CallTarget` says *how the code names* its resource (an environment variable
or a literal); the facts resolve that through the function's `environment` block.

Unknown stays unknown: a call whose operation is computed (`getattr(client, name)`, `new Commands[name]()`) is
recorded in `HandlerCalls.dynamic`, and a call whose target cannot be named statically has `CallTarget.name = None`.
Rules stay silent on both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

Language = Literal["python", "javascript", "typescript"]


@dataclass(frozen=True)
class CallSite:
    """Where a call is written."""

    file: str  # relative to the scan root, POSIX separators
    line: int  # 1-based
    column: int  # 1-based
    text: str  # the call as written, shortened to one line (`table.update_item(...)`)


@dataclass(frozen=True)
class TargetName:
    """How the code names a resource: exactly one of `env` and `literal` is set."""

    env: str | None = None  # the environment variable whose value names it (`os.environ["TABLE_NAME"]`)
    literal: str | None = None  # a name, queue URL or ARN written in the code


@dataclass(frozen=True)
class CallTarget:
    """The resource one action of a call acts on."""

    resource_type: str  # the resource type of the Service Authorization Reference: table, index, queue, topic,
    # object, bucket, stream, event-bus
    name: TargetName | None  # None: the code computes it, it cannot be named statically
    # index name for `index` (None: any index of the table), object key pattern for `object` ("*" when the key is
    # computed), None otherwise
    qualifier: str | None = None


@dataclass(frozen=True)
class SdkCall:
    """One AWS SDK call in the handler's code, with the IAM action(s) it needs on each of its targets.

    Most calls need one action on one target (`PutItem` on a table). Batches and transactions need several:
    `TransactWriteItems` with a Put on `orders` and an Update on `stock` needs `dynamodb:PutItem` on `orders` and
    `dynamodb:UpdateItem` on `stock` (there is no `TransactWriteItems` IAM action). `needs` lists each
    (IAM action, target) pair; `ddblint.model.sdk_actions` builds it from the service model and the documented
    exceptions.
    """

    service: str  # the IAM service prefix: dynamodb, sqs, sns, s3, kinesis, events, ...
    operation: str  # the API operation as in the AWS service model: UpdateItem, SendMessage, PutObject, ...
    needs: tuple[tuple[str, CallTarget], ...]  # (IAM action such as "dynamodb:UpdateItem", target)
    site: CallSite


@dataclass
class HandlerCalls:
    """Every AWS SDK call the handler's code makes, as far as it can be read."""

    language: Language
    files: tuple[str, ...]  # every file read: the handler file first, then local imports in the order followed
    calls: list[SdkCall] = field(default_factory=list)
    # Calls whose operation cannot be named statically: the code may call anything, so IAM108 stays silent.
    dynamic: list[CallSite] = field(default_factory=list)
    # Local imports that could not be followed (not found inside the scan root, or not parsable): the calls seen
    # may be incomplete, so IAM108 stays silent too.
    unfollowed: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """All of the code was read and every call's operation is known."""
        return not self.dynamic and not self.unfollowed


class SourceReader(Protocol):
    """Reads source files of a deployment package, confined to the scan root (the loader's; records probes)."""

    def read(self, path: str) -> str | None:
        """The UTF-8 text of `path` (relative to the scan root, POSIX), or None when missing, outside the scan
        root, too large or not text."""
        ...

    def exists(self, path: str) -> bool: ...


@dataclass(frozen=True)
class HandlerPackage:
    """A function's handler file and the package around it, as the loader found them."""

    language: Language
    handler_file: str  # relative to the scan root
    handler_name: str  # the exported function the `handler` setting names
    package_root: str  # the directory that is the package's root (module paths resolve against it)
    reader: SourceReader = field(compare=False, repr=False)


__all__ = [
    "CallSite",
    "CallTarget",
    "HandlerCalls",
    "HandlerPackage",
    "Language",
    "SdkCall",
    "SourceReader",
    "TargetName",
]
