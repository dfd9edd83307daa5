"""tests/support/terraform.py: discovery, CLI config and subprocess environment."""

from __future__ import annotations

import os

import pytest

from tests.support import terraform as tfsupport


def make_mirror(root, version="5.100.0"):
    binary = root / tfsupport.PROVIDER / version / tfsupport.os_arch() / f"terraform-provider-aws_v{version}_x5"
    binary.parent.mkdir(parents=True)
    binary.write_text("")
    return root


def test_mirror_from_environment(tmp_path):
    mirror = make_mirror(tmp_path / "mirror")
    assert tfsupport.find_provider_mirror({"TF_PLUGIN_MIRROR": str(mirror)}) == mirror
    assert tfsupport.mirror_versions(mirror) == ["5.100.0"]


def test_mirror_from_environment_without_provider(tmp_path):
    assert tfsupport.find_provider_mirror({"TF_PLUGIN_MIRROR": str(tmp_path)}) is None


def test_mirror_discovered_in_likely_roots(tmp_path, monkeypatch):
    mirror = make_mirror(tmp_path / "opt" / "vendor" / "plugins")
    monkeypatch.setattr(tfsupport, "MIRROR_ROOTS", ((tmp_path / "missing", 2), (tmp_path / "opt", 2)))
    assert tfsupport.find_provider_mirror({}) == mirror


def test_mirror_search_depth_is_bounded(tmp_path, monkeypatch):
    make_mirror(tmp_path / "opt" / "a" / "b" / "c")
    monkeypatch.setattr(tfsupport, "MIRROR_ROOTS", ((tmp_path / "opt", 2),))
    assert tfsupport.find_provider_mirror({}) is None


def test_discover_skips_without_terraform(monkeypatch, tmp_path):
    monkeypatch.setattr(tfsupport.shutil, "which", lambda _name: None)
    with pytest.raises(tfsupport.TerraformUnavailable, match="terraform not on PATH"):
        tfsupport.Terraform.discover(build_dir=tmp_path)


def test_discover_skips_without_mirror(monkeypatch, tmp_path):
    monkeypatch.setattr(tfsupport.shutil, "which", lambda _name: "/usr/bin/terraform")
    monkeypatch.setenv("TF_PLUGIN_MIRROR", str(tmp_path / "nothing"))
    with pytest.raises(tfsupport.TerraformUnavailable, match="set TF_PLUGIN_MIRROR"):
        tfsupport.Terraform.discover(build_dir=tmp_path)


def test_cli_config_and_environment_stay_in_the_subprocess(monkeypatch, tmp_path):
    mirror = make_mirror(tmp_path / "mirror")
    monkeypatch.setattr(tfsupport.shutil, "which", lambda _name: "/usr/bin/terraform")
    monkeypatch.setenv("TF_PLUGIN_MIRROR", str(mirror))
    monkeypatch.setenv("TF_CLI_CONFIG_FILE", "/root/.terraformrc")
    before = dict(os.environ)

    tf = tfsupport.Terraform.discover(build_dir=tmp_path / "build")

    config = tf.cli_config.read_text()
    assert tf.cli_config.parent == tmp_path / "build"
    assert f'path    = "{mirror}"' in config
    assert 'include = ["registry.terraform.io/hashicorp/aws"]' in config
    assert 'exclude = ["registry.terraform.io/hashicorp/aws"]' in config
    env = tf.env({"EXTRA": "1"})
    assert env["TF_CLI_CONFIG_FILE"] == str(tf.cli_config)
    assert env["TF_PLUGIN_CACHE_DIR"] == str(tmp_path / "build" / "plugin-cache")
    assert env["TF_IN_AUTOMATION"] == "1" and env["EXTRA"] == "1"
    assert dict(os.environ) == before  # nothing exported into the test process


def test_copy_config_brings_modules_and_leaves_state_behind(tmp_path):
    source = tfsupport.REPO_ROOT / "examples" / "complete"
    copied = tfsupport.Terraform.copy_config(source, tmp_path)
    assert copied == tmp_path / "examples" / "complete"
    assert (copied / "main.tf").is_file()
    assert (tmp_path / "modules" / "stream-consumer" / "main.tf").is_file()
    assert not list(tmp_path.rglob(".terraform"))
