"""One report entry per source location: the findings of a line in every instance that runs it, grouped.

A module called six times (six `module` blocks, or one with `count`/`for_each`), or a resource with
`count`/`for_each`, gives a rule one finding per instance, all at the same line of the same file. They are
one problem with one fix in the code the user edits, so they become one entry (`Finding.instances` lists
every instance's address) when they agree in everything but the instance: rule, severity, root module,
location, the resource's address inside its module, and message and fix once the instance's module path
(`module.orders["eu"].`) and the resource's own instance key (`[0]`) are taken out. The entry's message and
fix are the ones with the instance taken out, so they name resources as the module's code does. Where a
rule's text holds something of one instance (a log group name from the instance's inputs, the `module` block
to edit), the rule also gives the text for every instance (`Finding.shared_message`/`shared_fix`): the
instances merge on it, and the entry keeps each instance's own texts (`Finding.instance_texts`,
"instance_findings" in JSON). Other texts that differ between instances stay separate entries.

This runs after suppressions and the baseline, which work per instance: a suppression comment inside the
module covers every instance, one above a `module` block only that call's instances; a baseline records and
hides instances, so a new call of a module with a baselined finding is reported. The run's `suppressed` and
`baselined` counts are instances; its findings counts are entries.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from ddblint.findings import Finding

# The module path that starts an address: `module.a.`, `module.many["c"].`, `module.a.module.b[0].`.
MODULE_PATH = re.compile(r'^((?:module\.[A-Za-z_][\w-]*(?:\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\])?\.)*)(.*)$', re.DOTALL)
INSTANCE_KEY = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\]$')
# Where an address may start inside a message: not in the middle of another address or word.
TOKEN_START = r'(?<![\w.\]"-])'


def split_address(address: str) -> tuple[str, str]:
    """`module.a.module.b["x"].aws_iam_role.this[0]` -> (`module.a.module.b["x"]`, `aws_iam_role.this[0]`)."""
    match = MODULE_PATH.match(address)
    assert match is not None  # the pattern matches every string
    return match.group(1).rstrip("."), match.group(2)


def block_address(local_address: str) -> str:
    """The resource block of a module-local address: `aws_iam_role.this[0]` -> `aws_iam_role.this`."""
    return INSTANCE_KEY.sub("", local_address)


def without_instance(text: str, address: str) -> str:
    """`text` (a message or fix about the finding at `address`) with the instance taken out: the address's
    module path before every address in the module, and the resource's instance key after its own address."""
    module_path, local = split_address(address)
    block = block_address(local)
    if local != block:
        unkeyed = f"{module_path}.{block}" if module_path else block
        text = re.sub(TOKEN_START + re.escape(address) + r"(?![\w\[])", lambda _: unkeyed, text)
    if module_path:
        text = re.sub(TOKEN_START + re.escape(module_path + "."), "", text)
    return text


def instance_labels(addresses: Iterable[str]) -> list[str]:
    """How the instances are named to a reader: the module path of each (`module.a`, `module.many["c"]`) when
    they are one resource of a module called several times, else the whole address of each."""
    addresses = list(addresses)
    parts = [split_address(address) for address in addresses]
    if len({local for _, local in parts}) == 1 and all(module_path for module_path, _ in parts):
        return [module_path for module_path, _ in parts]
    return addresses


def local_block_address(finding: Finding) -> str:
    """The resource block an entry is about, as its module writes it (`aws_iam_role_policy.this`)."""
    return block_address(split_address(finding.address)[1])


def group_instances(findings: Iterable[Finding]) -> list[Finding]:
    """The findings with those of one source location in several instances merged into one entry, sorted."""
    groups: dict[tuple, list[Finding]] = {}
    for finding in findings:
        _, local = split_address(finding.address)
        key = (
            finding.rule_id,
            finding.severity,
            finding.root,
            finding.location,
            block_address(local),
            without_instance(finding.shared_message or finding.message, finding.address),
            without_instance(finding.shared_fix or finding.fix, finding.address),
        )
        groups.setdefault(key, []).append(finding)
    entries = []
    for key, members in groups.items():
        addresses = sorted({address for member in members for address in member.instance_addresses()})
        if len(addresses) == 1:
            entries.extend(dict.fromkeys(members))  # one instance: its findings as they are, each once
            continue
        first = min(members, key=lambda member: member.address)
        own = sorted((m.address, m.message, m.fix) for member in members for m in member.each_instance())
        differ = any((without_instance(m, a), without_instance(f, a)) != (key[5], key[6]) for a, m, f in own)
        entries.append(
            dataclasses.replace(
                first,
                address=addresses[0],
                instances=tuple(addresses),
                message=key[5],
                fix=key[6],
                shared_message="",
                shared_fix="",
                instance_texts=tuple(own) if differ else (),
                related=tuple(dict.fromkeys(location for member in members for location in member.related)),
            )
        )
    return sorted(entries, key=Finding.sort_key)


def instances_phrase(finding: Finding, *, shown: int = 3) -> str:
    """How reporters name the instances of an entry: `in module.a and module.b`, or past `shown` of them
    `in 6 instances: module.a, module.b, module.many["c"] and 3 more`; "" for a finding of one instance."""
    if not finding.instances:
        return ""
    labels = instance_labels(finding.instances)
    if len(labels) <= shown:
        return "in " + ", ".join(labels[:-1]) + " and " + labels[-1]
    return f"in {len(labels)} instances: {', '.join(labels[:shown])} and {len(labels) - shown} more"


def subject(finding: Finding) -> str:
    """What an entry is about, for a reader: its address, or for several instances the resource as the
    module writes it, then the instances (`aws_iam_role_policy.this in module.a and module.b`; for the
    instances of one resource `aws_sqs_queue.jobs in aws_sqs_queue.jobs[0] and aws_sqs_queue.jobs[1]`)."""
    if not finding.instances:
        return finding.address
    if instance_labels(finding.instances) == list(finding.instances):
        return f"{block_address(finding.address)} {instances_phrase(finding)}"
    return f"{local_block_address(finding)} {instances_phrase(finding)}"


def message_with_instances(finding: Finding) -> str:
    """The message, and for an entry of several instances the instances after it, for the formats that show
    no address beside the message (GitHub annotations, SARIF, GitLab)."""
    if not finding.instances:
        return finding.message
    message = finding.message.rstrip()
    period = "." if message.endswith(".") else ""
    return f"{message.removesuffix('.')} ({instances_phrase(finding)}){period}"
