"""Real Terraform plans of the examples, made offline: one init and one plan per example per session.

Each example is copied to a temp dir (with modules/ beside it, as in the repo), gets a test-only
`zz_ddblint_offline_override.tf` (dummy credentials, no account lookup, every endpoint at a local
moto server that answers the plan's data sources) and the deployment packages its .tf files name under
`build/`, and is planned through the provider mirror. Tests skip with the reason when terraform or the
mirror is missing. `terraform` and `moto_server` come from tests/conftest.py.
"""

from __future__ import annotations

import json
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.support.moto_process import MotoServer  # noqa: E402
from tests.support.terraform import Terraform  # noqa: E402

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


# A test that plans with terraform against the session's moto server.
PLAN_MARKS = (pytest.mark.terraform, pytest.mark.moto)


def plans_with_terraform(test):
    """Decorator: PLAN_MARKS on one test (a module of such tests sets `pytestmark = list(PLAN_MARKS)`)."""
    for mark in PLAN_MARKS:
        test = mark(test)
    return test


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


@dataclass
class PlannedExample:
    name: str
    root: Path  # the temp copy of the repo layout: examples/<name>, modules/
    workdir: Path  # root / examples / name
    plan_json: Path  # terraform show -json of its plan


class Planner:
    """Copies, initialises and plans configurations once per session."""

    def __init__(self, terraform: Terraform, moto: MotoServer, base: Path) -> None:
        self.terraform = terraform
        self.moto = moto
        self.base = base
        self._planned: dict[str, PlannedExample] = {}

    def prepare(self, source: Path, root: Path) -> Path:
        workdir = self.terraform.copy_config(source, root)
        (workdir / OVERRIDE_NAME).write_text(provider_override(self.moto.endpoint))
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
def planner(terraform: Terraform, moto_server: MotoServer, tmp_path_factory: pytest.TempPathFactory) -> Planner:
    return Planner(terraform, moto_server, tmp_path_factory.mktemp("plans"))
