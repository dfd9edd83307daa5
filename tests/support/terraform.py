"""Run Terraform from tests against the local provider mirror, offline.

Usage::

    from tests.support.terraform import Terraform, TerraformUnavailable

    try:
        tf = Terraform.discover()          # finds terraform and the hashicorp/aws mirror
    except TerraformUnavailable as exc:
        pytest.skip(str(exc))
    workdir = tf.copy_config(repo / "examples/complete", tmp_path)   # never init in the source tree
    tf.init(workdir)
    plan = tf.show_plan_json(workdir)     # dict from `terraform show -json`

The project writes its own CLI configuration (a filesystem mirror for hashicorp/aws) and a shared
plugin cache under ``build/terraform/`` in the repository; ``fill_plugin_cache()`` (called by the
``terraform`` fixture) fills the cache once, under a lock, before parallel test workers init.
``TF_CLI_CONFIG_FILE`` and ``TF_PLUGIN_CACHE_DIR`` are set only in the environment of the terraform
subprocesses; the user's ``~/.terraformrc`` is never read or written.
"""

from __future__ import annotations

import fcntl
import json
import os
import platform
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
BUILD_DIR = REPO_ROOT / "build" / "terraform"
PROVIDER = "registry.terraform.io/hashicorp/aws"

# Where a provider mirror is usually found when TF_PLUGIN_MIRROR is not set: each root is tried
# itself and then its subdirectories down to the given depth (e.g. /opt/tf-plugins, /opt/x/plugins).
MIRROR_ROOTS = (
    (Path("/opt"), 2),
    (Path("/usr/local/share"), 2),
    (Path("/usr/share"), 2),
    (Path.home() / ".terraform.d", 2),
    (Path.home() / ".local" / "share" / "terraform", 2),
)

# Copied into a work directory by copy_config(): configuration, sources, no state.
_SKIP_DIRS = {".terraform", "__pycache__", ".pytest_cache", "build"}
_SKIP_SUFFIXES = (".tfstate", ".tfstate.backup", ".tfplan")


class TerraformUnavailable(Exception):
    """Terraform or the provider mirror is missing; the message says which and what to do."""


class TerraformError(Exception):
    """A terraform command failed; the message holds the command, exit code and output."""

    def __init__(self, args: Sequence[str], result: subprocess.CompletedProcess[str]) -> None:
        self.result = result
        super().__init__(
            f"terraform {' '.join(args)} exited with {result.returncode}\n"
            f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
        )


def os_arch() -> str:
    """Terraform's platform name for this machine, e.g. linux_amd64."""
    machine = platform.machine().lower()
    arch = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(machine, machine)
    return f"{platform.system().lower()}_{arch}"


def find_terraform() -> Path | None:
    found = shutil.which("terraform")
    return Path(found) if found else None


def _has_aws_provider(root: Path) -> bool:
    """True when root is a mirror holding hashicorp/aws for this platform (unpacked or packed layout)."""
    base = root / PROVIDER
    if not base.is_dir():
        return False
    arch = os_arch()
    unpacked = any(base.glob(f"*/{arch}/terraform-provider-aws*"))
    packed = any(base.glob(f"terraform-provider-aws_*_{arch}.zip"))
    return unpacked or packed


def _candidates(root: Path, depth: int) -> Iterator[Path]:
    yield root
    if depth <= 0:
        return
    try:
        children = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        return
    for child in children:
        yield from _candidates(child, depth - 1)


def find_provider_mirror(env: Mapping[str, str] | None = None) -> Path | None:
    """The mirror from TF_PLUGIN_MIRROR, else the first likely directory that holds hashicorp/aws."""
    env = os.environ if env is None else env
    explicit = env.get("TF_PLUGIN_MIRROR")
    if explicit:
        path = Path(explicit).expanduser()
        return path if _has_aws_provider(path) else None
    for root, depth in MIRROR_ROOTS:
        for candidate in _candidates(root, depth):
            try:
                if _has_aws_provider(candidate):
                    return candidate
            except OSError:
                continue
    return None


def mirror_versions(mirror: Path) -> list[str]:
    """Provider versions available in the mirror (unpacked layout), for diagnostics."""
    base = mirror / PROVIDER
    return sorted(p.name for p in base.iterdir() if p.is_dir()) if base.is_dir() else []


def write_cli_config(mirror: Path, build_dir: Path = BUILD_DIR) -> Path:
    """Write the project's terraform CLI config (filesystem mirror only for hashicorp/aws)."""
    build_dir.mkdir(parents=True, exist_ok=True)
    config = build_dir / "terraformrc.hcl"
    text = (
        "# Written by tests/support/terraform.py: hashicorp/aws comes from the local mirror only.\n"
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f"    path    = {json.dumps(str(mirror))}\n"
        f"    include = [{json.dumps(PROVIDER)}]\n"
        "  }\n"
        "  direct {\n"
        f"    exclude = [{json.dumps(PROVIDER)}]\n"
        "  }\n"
        "}\n"
    )
    if not config.exists() or config.read_text() != text:
        atomic_write(config, text.encode())
    return config


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temp file and rename, so a concurrent test session never reads a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class Terraform:
    binary: Path
    mirror: Path
    cli_config: Path
    plugin_cache: Path
    parallelism: int = 10

    @classmethod
    def discover(cls, build_dir: Path = BUILD_DIR) -> Terraform:
        """Find terraform and the mirror, write the CLI config; raise TerraformUnavailable if missing."""
        binary = find_terraform()
        if binary is None:
            raise TerraformUnavailable("terraform not on PATH")
        mirror = find_provider_mirror()
        if mirror is None:
            where = os.environ.get("TF_PLUGIN_MIRROR")
            detail = (
                f"TF_PLUGIN_MIRROR={where} has no {PROVIDER} for {os_arch()}"
                if where
                else ("searched " + ", ".join(str(r) for r, _ in MIRROR_ROOTS))
            )
            raise TerraformUnavailable(f"no hashicorp/aws provider mirror found ({detail}): set TF_PLUGIN_MIRROR")
        cli_config = write_cli_config(mirror, build_dir)
        plugin_cache = build_dir / "plugin-cache"
        plugin_cache.mkdir(parents=True, exist_ok=True)
        return cls(binary=binary, mirror=mirror, cli_config=cli_config, plugin_cache=plugin_cache)

    def env(self, extra: Mapping[str, str | None] | None = None) -> dict[str, str]:
        """Environment for a terraform subprocess: our CLI config and cache, no prompts, no colour.

        extra adds variables; a value of None removes the variable (e.g. AWS_PROFILE).
        """
        env = dict(os.environ)
        for key in ("TF_LOG", "TF_WORKSPACE", "TF_DATA_DIR", "TF_CLI_ARGS", "TF_CLI_ARGS_plan"):
            env.pop(key, None)
        env.update(
            TF_CLI_CONFIG_FILE=str(self.cli_config),
            TF_PLUGIN_CACHE_DIR=str(self.plugin_cache),
            TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE="true",
            TF_IN_AUTOMATION="1",
            TF_INPUT="0",
            CHECKPOINT_DISABLE="1",
        )
        for key, value in (extra or {}).items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        return env

    def run(
        self,
        args: Sequence[str],
        cwd: Path,
        *,
        check: bool = True,
        ok_codes: Iterable[int] = (0,),
        env: Mapping[str, str | None] | None = None,
        timeout: float = 600,
    ) -> subprocess.CompletedProcess[str]:
        """Run `terraform <args>` in cwd; raise TerraformError when the exit code is not in ok_codes."""
        result = subprocess.run(
            [str(self.binary), *args],
            cwd=cwd,
            env=self.env(env),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and result.returncode not in tuple(ok_codes):
            raise TerraformError(list(args), result)
        return result

    def fill_plugin_cache(self) -> None:
        """Put hashicorp/aws into the shared plugin cache once, under a lock.

        Terraform's plugin cache is not safe for concurrent writers, and pytest-xdist workers run `init` at the
        same time; once the provider is cached, every init only links it from there.
        """
        lock_path = self.plugin_cache.parent / "plugin-cache.lock"
        with open(lock_path, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            if any((self.plugin_cache / PROVIDER).glob(f"*/{os_arch()}/terraform-provider-aws*")):
                return
            seed = self.plugin_cache.parent / "plugin-cache-seed"
            seed.mkdir(parents=True, exist_ok=True)
            (seed / "versions.tf").write_text(
                'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n'
            )
            self.init(seed)

    # Convenience wrappers -------------------------------------------------------------------------

    def init(self, cwd: Path, *, env: Mapping[str, str | None] | None = None) -> None:
        self.run(["init", "-input=false", "-no-color", "-backend=false"], cwd, env=env)

    def validate(self, cwd: Path) -> dict:
        result = self.run(["validate", "-json", "-no-color"], cwd, check=False)
        return json.loads(result.stdout)

    def plan(self, cwd: Path, *args: str, env: Mapping[str, str | None] | None = None) -> int:
        """terraform plan -detailed-exitcode; returns 0 (no changes) or 2 (changes)."""
        result = self.run(
            ["plan", "-input=false", "-no-color", "-detailed-exitcode", f"-parallelism={self.parallelism}", *args],
            cwd,
            ok_codes=(0, 2),
            env=env,
        )
        return result.returncode

    def show_plan_json(self, cwd: Path, *plan_args: str, env: Mapping[str, str | None] | None = None) -> dict:
        """Plan into build-free cwd/plan.tfplan and return `terraform show -json` of it."""
        self.plan(cwd, "-out=plan.tfplan", *plan_args, env=env)
        result = self.run(["show", "-json", "-no-color", "plan.tfplan"], cwd, env=env)
        return json.loads(result.stdout)

    def apply(self, cwd: Path, *args: str, env: Mapping[str, str | None] | None = None) -> None:
        self.run(
            ["apply", "-input=false", "-no-color", "-auto-approve", f"-parallelism={self.parallelism}", *args],
            cwd,
            env=env,
        )

    def destroy(self, cwd: Path, *args: str, env: Mapping[str, str | None] | None = None) -> None:
        self.run(
            ["destroy", "-input=false", "-no-color", "-auto-approve", f"-parallelism={self.parallelism}", *args],
            cwd,
            env=env,
        )

    def output_json(self, cwd: Path, env: Mapping[str, str | None] | None = None) -> dict:
        result = self.run(["output", "-json", "-no-color"], cwd, env=env)
        return {k: v["value"] for k, v in json.loads(result.stdout).items()}

    @staticmethod
    def copy_config(source: Path, dest_parent: Path, *, keep_relative_to: Path | None = REPO_ROOT) -> Path:
        """Copy a configuration into dest_parent so init/apply never write into the source tree.

        With keep_relative_to (the repo root by default), the copy keeps the source's path below it,
        and the modules/ tree is copied alongside, so `source = "../../modules/x"` still resolves.
        Returns the path of the copied configuration.
        """

        def ignore(directory: str, names: list[str]) -> set[str]:
            return {n for n in names if n in _SKIP_DIRS or n.endswith(_SKIP_SUFFIXES) or n == ".terraform.lock.hcl"}

        source = source.resolve()
        if keep_relative_to is None:
            target = dest_parent / source.name
            shutil.copytree(source, target, ignore=ignore, dirs_exist_ok=True)
            return target
        relative = source.relative_to(keep_relative_to)
        target = dest_parent / relative
        shutil.copytree(source, target, ignore=ignore, dirs_exist_ok=True)
        modules = keep_relative_to / "modules"
        if modules.is_dir() and relative.parts[0] != "modules":
            shutil.copytree(modules, dest_parent / "modules", ignore=ignore, dirs_exist_ok=True)
        return target
