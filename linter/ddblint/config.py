"""User configuration: which rules run, their severities and options, which paths are skipped, when to fail.

The configuration comes from one place, the first of:
1. the file given with `--config FILE`: a `pyproject.toml` (its `[tool.ddblint]` table) or any other TOML
   file in the `.ddblint.toml` format (keys at the top level);
2. `.ddblint.toml` in the scan root;
3. the `[tool.ddblint]` table of `pyproject.toml` in the scan root (a pyproject without it is skipped);
4. the defaults.

Files are never merged with each other; command-line flags then override single keys (`merge_cli`).

```toml
# .ddblint.toml (in pyproject.toml, the same keys go under [tool.ddblint])
select = ["IAM", "STR", "LAM3"]      # rule IDs or ID prefixes; empty or absent = every rule
                                     # (DDB001/DDB002, about suppression comments, run unless ignored)
ignore = ["OPS605"]                  # wins over select
fail_on = "warning"                  # error | warning | info | never
exclude = ["legacy/**", "**/vendor/**"]   # globs relative to the scan root

[severity]                           # rule ID -> error | warning | info
OPS601 = "error"

[options]                            # option name -> value; each rule reads the names it declares
min_timeout_seconds = 15
```
"""

from __future__ import annotations

import dataclasses
import functools
import re
import tomllib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ddblint.findings import Finding, Severity

if TYPE_CHECKING:
    from ddblint.rules import Rule

CONFIG_FILE_NAME = ".ddblint.toml"
PYPROJECT_FILE_NAME = "pyproject.toml"
FAIL_ON_VALUES = ("error", "warning", "info", "never")
# Info findings are advice (cost notes, unused suppressions); warnings and errors fail the run.
DEFAULT_FAIL_ON = "error"
KNOWN_KEYS = ("select", "ignore", "severity", "fail_on", "exclude", "options")
# The findings about suppression comments themselves (DDB001 suppression-without-reason, DDB002
# unused-suppression): a `select` never leaves them out, so a comment that hides nothing, or names an unknown
# rule, is reported whatever rules a run checks. Only `ignore` turns them off.
SELECTED_UNLESS_IGNORED = frozenset({"DDB001", "DDB002"})


class ConfigError(Exception):
    """The configuration cannot be used. The message names the file and the key; the CLI exits 2."""

    def __init__(self, source: Path | str | None, message: str) -> None:
        self.source = source
        self.message = message
        super().__init__(f"{source}: {message}" if source else message)


@dataclass(frozen=True)
class Config:
    # Rule IDs or ID prefixes, upper case. Empty select = every rule.
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    # Exact rule ID -> the severity that replaces the rule's own.
    severity: Mapping[str, Severity] = field(default_factory=dict)
    fail_on: str = DEFAULT_FAIL_ON
    # Glob patterns over POSIX paths relative to the scan root.
    exclude: tuple[str, ...] = ()
    # Option name -> value, shared by every rule that declares the name.
    options: Mapping[str, Any] = field(default_factory=dict)
    # The file the values came from (None: defaults), for messages.
    source: Path | None = None

    def is_selected(self, rule_id: str) -> bool:
        """Selected when no `select` is set or one of its prefixes matches, and no `ignore` prefix matches.

        DDB001 and DDB002 (SELECTED_UNLESS_IGNORED) are selected unless an `ignore` prefix matches them."""
        rule_id = rule_id.upper()
        if any(rule_id.startswith(prefix) for prefix in self.ignore):
            return False
        if rule_id in SELECTED_UNLESS_IGNORED:
            return True
        return not self.select or any(rule_id.startswith(prefix) for prefix in self.select)

    def severity_for(self, rule: Rule) -> Severity:
        return self.severity.get(rule.id, rule.severity)

    def is_excluded(self, rel_path: str) -> bool:
        """Whether the file or directory at `rel_path` (relative to the scan root) is excluded.

        A path is excluded when it or one of its parent directories matches a pattern, so `legacy`
        excludes `legacy/main.tf` too.
        """
        parts = [p for p in rel_path.replace("\\", "/").split("/") if p not in ("", ".")]
        candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        return any(pattern.fullmatch(c) for pattern in _exclude_patterns(self.exclude) for c in candidates)

    def options_for(self, rule: Rule) -> dict[str, Any]:
        """The rule's option defaults, overridden by the configured values of the names it declares."""
        merged = dict(rule.options)
        for name, default in rule.options.items():
            if name in self.options:
                try:
                    merged[name] = _option_value(self.options[name], default)
                except TypeError as error:
                    raise ConfigError(self.source, f"options.{name} (read by {rule.id}): {error}") from None
        return merged

    def fails(self, findings: Iterable[Finding]) -> bool:
        """Whether these findings make the run fail: any at or above `fail_on`."""
        if self.fail_on == "never":
            return False
        threshold = Severity(self.fail_on).rank
        return any(f.severity.rank >= threshold for f in findings)


def load_config(root: Path, explicit: Path | None = None, *, rules: Iterable[Rule] | None = None) -> Config:
    """Read the configuration for a scan of `root` (see the module doc for where it is looked for).

    With `rules`, rule IDs and option names and types are checked against them; without, only the
    shape of the file is.
    """
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(explicit, "config file not found")
        in_pyproject = explicit.name == PYPROJECT_FILE_NAME
        table = _read_table(explicit, in_pyproject)
        if table is None:
            raise ConfigError(explicit, "has no [tool.ddblint] table")
        return _parse(table, explicit, "tool.ddblint." if in_pyproject else "", rules)
    if root.is_file():
        root = root.parent
    own_file = root / CONFIG_FILE_NAME
    if own_file.is_file():
        return _parse(_read_table(own_file, False) or {}, own_file, "", rules)
    pyproject = root / PYPROJECT_FILE_NAME
    if pyproject.is_file():
        table = _read_table(pyproject, True)
        if table is not None:
            return _parse(table, pyproject, "tool.ddblint.", rules)
    return Config()


def merge_cli(
    config: Config,
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    fail_on: str | None = None,
    rules: Iterable[Rule] | None = None,
) -> Config:
    """`config` with the command-line flags that were given replacing its values.

    Each of `select`/`ignore` may hold comma-separated lists (`--select IAM,STR201`).
    """
    known_ids = _ids_of(rules)
    changes: dict[str, Any] = {}
    if select is not None:
        changes["select"] = _rule_prefixes(_split_commas(select), "--select", "command line", known_ids)
    if ignore is not None:
        changes["ignore"] = _rule_prefixes(_split_commas(ignore), "--ignore", "command line", known_ids)
    if fail_on is not None:
        changes["fail_on"] = _fail_on(fail_on, "--fail-on", "command line")
    return dataclasses.replace(config, **changes)


def _read_table(path: Path, in_pyproject: bool) -> dict[str, Any] | None:
    """The ddblint table of a TOML file; None when a pyproject.toml has no `[tool.ddblint]`."""
    try:
        with path.open("rb") as stream:
            document = tomllib.load(stream)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(path, f"not valid TOML: {error}") from None
    except OSError as error:
        raise ConfigError(path, f"cannot read: {error.strerror}") from None
    if not in_pyproject:
        return document
    table = document.get("tool", {}).get("ddblint")
    if table is not None and not isinstance(table, dict):
        raise ConfigError(path, "tool.ddblint must be a table")
    return table


def _parse(table: dict[str, Any], source: Path, prefix: str, rules: Iterable[Rule] | None) -> Config:
    rules = list(rules) if rules is not None else None
    known_ids = _ids_of(rules)
    unknown = sorted(set(table) - set(KNOWN_KEYS))
    if unknown:
        raise ConfigError(source, f"unknown key {prefix}{unknown[0]}: the keys are {', '.join(KNOWN_KEYS)}")
    values: dict[str, Any] = {"source": source}
    for key in ("select", "ignore"):
        if key in table:
            items = _string_list(table[key], prefix + key, source)
            values[key] = _rule_prefixes(items, prefix + key, source, known_ids)
    if "severity" in table:
        values["severity"] = _severities(table["severity"], prefix + "severity", source, known_ids)
    if "fail_on" in table:
        values["fail_on"] = _fail_on(table["fail_on"], prefix + "fail_on", source)
    if "exclude" in table:
        values["exclude"] = tuple(_string_list(table["exclude"], prefix + "exclude", source))
    if "options" in table:
        values["options"] = _options(table["options"], prefix + "options", source, rules)
    return Config(**values)


def _ids_of(rules: Iterable[Rule] | None) -> frozenset[str] | None:
    return None if rules is None else frozenset(rule.id for rule in rules)


def _string_list(value: Any, key: str, source: Path | str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise ConfigError(source, f"{key} must be a list of non-empty strings, got {value!r}")
    return [item.strip() for item in value]


def _split_commas(values: Sequence[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _rule_prefixes(
    items: list[str], key: str, source: Path | str, known_ids: Collection[str] | None
) -> tuple[str, ...]:
    prefixes = tuple(item.upper() for item in items)
    if known_ids is not None:
        for prefix in prefixes:
            if not any(rule_id.startswith(prefix) for rule_id in known_ids):
                raise ConfigError(source, f"{key}: {prefix!r} is not a rule ID or the prefix of one")
    return prefixes


def _severities(value: Any, key: str, source: Path, known_ids: Collection[str] | None) -> dict[str, Severity]:
    if not isinstance(value, dict):
        raise ConfigError(source, f"{key} must be a table of rule ID = severity, got {value!r}")
    severities = {}
    for rule_id, text in value.items():
        entry = f"{key}.{rule_id}"
        if known_ids is not None and rule_id.upper() not in known_ids:
            raise ConfigError(source, f"{entry}: unknown rule ID (severities take exact IDs such as IAM102)")
        if not isinstance(text, str):
            raise ConfigError(source, f"{entry} must be a string: error, warning or info")
        try:
            severities[rule_id.upper()] = Severity.parse(text)
        except ValueError as error:
            raise ConfigError(source, f"{entry}: {error}") from None
    return severities


def _fail_on(value: Any, key: str, source: Path | str) -> str:
    if not isinstance(value, str) or value.lower() not in FAIL_ON_VALUES:
        raise ConfigError(source, f"{key}: unknown value {value!r}: use {', '.join(FAIL_ON_VALUES)}")
    return value.lower()


def _options(value: Any, key: str, source: Path, rules: list[Rule] | None) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(source, f"{key} must be a table of option name = value, got {value!r}")
    if rules is None:
        return dict(value)
    options = {}
    for name, configured in value.items():
        readers = [rule for rule in rules if name in rule.options]
        if not readers:
            known = sorted({option for rule in rules for option in rule.options})
            raise ConfigError(source, f"{key}.{name}: no rule has this option (options: {', '.join(known) or 'none'})")
        for rule in readers:
            try:
                options[name] = _option_value(configured, rule.options[name])
            except TypeError as error:
                raise ConfigError(source, f"{key}.{name} (read by {rule.id}): {error}") from None
    return options


def _option_value(value: Any, default: Any) -> Any:
    """`value` checked against the type of the option's default; int and float are interchangeable."""
    if isinstance(default, bool) or isinstance(value, bool):
        ok = isinstance(default, bool) and isinstance(value, bool)
    elif isinstance(default, int | float):
        ok = isinstance(value, int | float)
        if ok and isinstance(default, float):
            value = float(value)
    elif isinstance(default, list | tuple):
        ok = isinstance(value, list)
        if ok:
            value = type(default)(value)
    else:
        ok = default is None or isinstance(value, type(default))
    if not ok:
        raise TypeError(f"expected {_type_name(default)} like the default {default!r}, got {value!r}")
    return value


def _type_name(default: Any) -> str:
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, int | float):
        return "a number"
    if isinstance(default, list | tuple):
        return "a list"
    return f"a {type(default).__name__}"


@functools.cache
def _exclude_patterns(patterns: tuple[str, ...]) -> list[re.Pattern[str]]:
    return [_glob_regex(pattern) for pattern in patterns]


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A regex for a path glob: `*`, `?` and `[...]` stay inside one path segment, `**` spans any number
    of segments (none included), so `**/vendor/**` matches `vendor`, `a/vendor` and `a/vendor/b/c.tf`."""
    segments = [s for s in pattern.replace("\\", "/").strip("/").split("/") if s not in ("", ".")]
    regex = ""
    for i, segment in enumerate(segments):
        first, last = i == 0, i == len(segments) - 1
        if segment == "**":
            if first and last:
                regex += ".*"
            elif first:
                regex += "(?:.*/)?"
            elif last:
                regex += "(?:/.*)?"
            else:
                regex += "/(?:.*/)?"
        else:
            separator = "" if first or segments[i - 1] == "**" else "/"
            regex += separator + _segment_regex(segment)
    return re.compile(regex)


def _segment_regex(segment: str) -> str:
    regex = ""
    i = 0
    while i < len(segment):
        char = segment[i]
        if char == "*":
            regex += "[^/]*"
        elif char == "?":
            regex += "[^/]"
        elif char == "[" and "]" in segment[i + 2 :]:
            end = segment.index("]", i + 2)
            body = segment[i + 1 : end]
            if body.startswith("!"):
                body = "^" + body[1:]
            regex += "[" + body.replace("\\", "\\\\") + "]"
            i = end
        else:
            regex += re.escape(char)
        i += 1
    return regex
