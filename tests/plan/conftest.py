"""Real Terraform plans of the examples, made offline: one init and one plan per example per session.

Each example is copied to a temp dir (with modules/ beside it, as in the repo), gets a test-only
`zz_ddblint_offline_override.tf` (dummy credentials, no account lookup, every endpoint at a local
moto_server that answers the plan's data sources) and the deployment packages its .tf files name under
`build/`, and is planned through the provider mirror. Tests skip with the reason when terraform, the
mirror or moto_server is missing.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.support.terraform import Terraform, TerraformUnavailable  # noqa: E402

EXAMPLES = REPO_ROOT / "examples"
SERVICES = ("cloudwatch", "dynamodb", "ec2", "iam", "kms", "lambda", "logs", "sns", "sqs", "sts")
AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_EC2_METADATA_DISABLED": "true",
}
OVERRIDE_NAME = "zz_ddblint_offline_override.tf"
PACKAGE_PATH = re.compile(r"build/([A-Za-z0-9_.-]+\.zip)")


def plannable_examples() -> list[str]:
    """Every example directory with a Terraform configuration."""
    return sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir() and any(p.glob("*.tf")))


def provider_override(endpoint: str) -> str:
    endpoints = "\n".join(f'    {service} = "{endpoint}"' for service in SERVICES)
    return f"""# Test-only: plan offline, against a local moto_server.
provider "aws" {{
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true

  endpoints {{
{endpoints}
  }}
}}
"""


def write_packages(workdir: Path) -> None:
    """A small zip for every `build/<name>.zip` the configuration names (filebase64sha256 reads it at plan)."""
    names = {m.group(1) for tf in workdir.glob("*.tf") for m in PACKAGE_PATH.finditer(tf.read_text())}
    sources = sorted((workdir / "src").glob("*.py")) if (workdir / "src").is_dir() else []
    for name in sorted(names):
        dest = workdir / "build" / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(dest, "w") as archive:
            for source in sources or [None]:
                info = zipfile.ZipInfo(source.name if source else "handler.py", date_time=(2020, 1, 1, 0, 0, 0))
                archive.writestr(info, source.read_bytes() if source else b"def handler(event, context):\n    pass\n")


@pytest.fixture(scope="session")
def terraform() -> Terraform:
    try:
        return Terraform.discover()
    except TerraformUnavailable as exc:
        pytest.skip(str(exc))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def moto_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A moto_server on a free 127.0.0.1 port for the plans' data sources (and the applied state)."""
    server = Path(sys.executable).parent / "moto_server"
    if not server.exists():
        pytest.skip(f"moto_server not found next to {sys.executable}: install moto[server]")
    port = _free_port()
    log_path = tmp_path_factory.mktemp("moto-plan") / "moto_server.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(server), "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=dict(os.environ, MOTO_CALL_RESET_API="false"),
        )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"moto_server exited with {process.returncode}: {log_path.read_text()[-2000:]}")
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"moto_server did not answer on {endpoint} within 30 s")
                time.sleep(0.1)
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class PlannedExample:
    name: str
    root: Path  # the temp copy of the repo layout: examples/<name>, modules/
    workdir: Path  # root / examples / name
    plan_json: Path  # terraform show -json of its plan


class Planner:
    """Copies, initialises and plans configurations once per session."""

    def __init__(self, terraform: Terraform, endpoint: str, base: Path) -> None:
        self.terraform = terraform
        self.endpoint = endpoint
        self.base = base
        self._planned: dict[str, PlannedExample] = {}

    def prepare(self, source: Path, root: Path) -> Path:
        workdir = self.terraform.copy_config(source, root)
        (workdir / OVERRIDE_NAME).write_text(provider_override(self.endpoint))
        write_packages(workdir)
        self.terraform.init(workdir, env=AWS_ENV)
        return workdir

    def example(self, name: str) -> PlannedExample:
        if name not in self._planned:
            root = self.base / name
            workdir = self.prepare(EXAMPLES / name, root)
            plan = self.terraform.show_plan_json(workdir, env=AWS_ENV)
            plan_json = root / "plan.json"
            plan_json.write_text(json.dumps(plan, indent=1))
            self._planned[name] = PlannedExample(name, root, workdir, plan_json)
        return self._planned[name]


@pytest.fixture(scope="session")
def planner(terraform: Terraform, moto_endpoint: str, tmp_path_factory: pytest.TempPathFactory) -> Planner:
    return Planner(terraform, moto_endpoint, tmp_path_factory.mktemp("plans"))
