"""Where the configuration comes from, what it accepts and rejects, and what its answers are."""

from __future__ import annotations

from pathlib import Path

import pytest
from ddblint.config import DEFAULT_FAIL_ON, Config, ConfigError, load_config, merge_cli
from ddblint.findings import Severity


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- where it comes from ---


def test_no_file_gives_defaults(tmp_path):
    config = load_config(tmp_path, None)
    assert config == Config()
    assert config.source is None
    assert config.fail_on == DEFAULT_FAIL_ON


def test_ddblint_toml_in_root(tmp_path, rules):
    write(tmp_path / ".ddblint.toml", 'select = ["IAM"]\n')
    config = load_config(tmp_path, None, rules=rules)
    assert config.select == ("IAM",)
    assert config.source == tmp_path / ".ddblint.toml"


def test_pyproject_tool_table_in_root(tmp_path, rules):
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.ddblint]\nignore = ["OPS605"]\n')
    config = load_config(tmp_path, None, rules=rules)
    assert config.ignore == ("OPS605",)
    assert config.source == tmp_path / "pyproject.toml"


def test_pyproject_without_tool_table_is_skipped(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.ruff]\nline-length = 100\n")
    assert load_config(tmp_path, None) == Config()


def test_ddblint_toml_wins_over_pyproject(tmp_path):
    write(tmp_path / ".ddblint.toml", 'fail_on = "error"\n')
    write(tmp_path / "pyproject.toml", '[tool.ddblint]\nfail_on = "info"\n')
    assert load_config(tmp_path, None).fail_on == "error"


def test_explicit_file_wins_over_root_files(tmp_path):
    write(tmp_path / ".ddblint.toml", 'fail_on = "error"\n')
    explicit = write(tmp_path / "ci" / "strict.toml", 'fail_on = "info"\n')
    config = load_config(tmp_path, explicit)
    assert config.fail_on == "info"
    assert config.source == explicit


def test_explicit_pyproject_reads_its_tool_table(tmp_path):
    explicit = write(tmp_path / "other" / "pyproject.toml", '[tool.ddblint]\nfail_on = "never"\n')
    assert load_config(tmp_path, explicit).fail_on == "never"


def test_explicit_pyproject_without_tool_table_is_an_error(tmp_path):
    explicit = write(tmp_path / "other" / "pyproject.toml", '[project]\nname = "x"\n')
    with pytest.raises(ConfigError, match=r"has no \[tool.ddblint\] table") as caught:
        load_config(tmp_path, explicit)
    assert str(explicit) in str(caught.value)


def test_missing_explicit_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path, tmp_path / "nope.toml")


def test_root_given_as_a_file_uses_its_directory(tmp_path):
    write(tmp_path / ".ddblint.toml", 'fail_on = "error"\n')
    main = write(tmp_path / "main.tf", "")
    assert load_config(main, None).fail_on == "error"


def test_a_sample_with_every_key(tmp_path, rules):
    write(
        tmp_path / "pyproject.toml",
        """
[tool.ddblint]
select = ["iam", "LAM3"]
ignore = ["IAM106"]
fail_on = "Error"
exclude = ["legacy/**", "**/vendor/**"]

[tool.ddblint.severity]
IAM102 = "warning"

[tool.ddblint.options]
min_timeout_seconds = 15
""",
    )
    config = load_config(tmp_path, None, rules=rules)
    assert config.select == ("IAM", "LAM3")
    assert config.ignore == ("IAM106",)
    assert config.fail_on == "error"
    assert config.exclude == ("legacy/**", "**/vendor/**")
    assert config.severity == {"IAM102": Severity.WARNING}
    assert config.options == {"min_timeout_seconds": 15}


# --- what it rejects ---


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('selct = ["IAM"]\n', r"unknown key selct"),
        ('select = "IAM"\n', r"select must be a list of non-empty strings"),
        ('ignore = [""]\n', r"ignore must be a list of non-empty strings"),
        ('select = ["XYZ"]\n', r"select: 'XYZ' is not a rule ID or the prefix of one"),
        ('ignore = ["IAM9"]\n', r"ignore: 'IAM9' is not a rule ID or the prefix of one"),
        ('fail_on = "critical"\n', r"fail_on: unknown value 'critical': use error, warning, info, never"),
        ("fail_on = 1\n", r"fail_on: unknown value 1"),
        ('exclude = "legacy"\n', r"exclude must be a list"),
        ('severity = "error"\n', r"severity must be a table"),
        ('[severity]\nIAM102 = "fatal"\n', r"severity.IAM102: unknown severity 'fatal'"),
        ("[severity]\nIAM102 = 3\n", r"severity.IAM102 must be a string"),
        ('[severity]\nIAM = "info"\n', r"severity.IAM: unknown rule ID"),
        ('[severity]\nXYZ999 = "info"\n', r"severity.XYZ999: unknown rule ID"),
        ("options = 3\n", r"options must be a table"),
        ("[options]\nmin_timeout = 15\n", r"options.min_timeout: no rule has this option"),
        (
            '[options]\nmin_timeout_seconds = "15"\n',
            r"options.min_timeout_seconds \(read by LAM302\): expected",
        ),
        ("[options]\nmin_timeout_seconds = true\n", r"options.min_timeout_seconds \(read by LAM302\)"),
        ("[options]\nstrict = 1\n", r"options.strict \(read by OPS605\): expected true or false"),
        ("[options]\nretry_mode = []\n", r"options.retry_mode \(read by RTY406\)"),
        ("select = [\n", r"not valid TOML"),
    ],
)
def test_bad_ddblint_toml_names_file_and_key(tmp_path, rules, text, message):
    path = write(tmp_path / ".ddblint.toml", text)
    with pytest.raises(ConfigError, match=message) as caught:
        load_config(tmp_path, None, rules=rules)
    assert str(caught.value).startswith(f"{path}: ")


def test_errors_in_pyproject_name_the_full_key(tmp_path, rules):
    write(tmp_path / "pyproject.toml", '[tool.ddblint]\nfail_on = "sometimes"\n')
    with pytest.raises(ConfigError, match=r"pyproject.toml: tool.ddblint.fail_on: unknown value 'sometimes'"):
        load_config(tmp_path, None, rules=rules)


def test_tool_ddblint_must_be_a_table(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool]\nddblint = "on"\n')
    with pytest.raises(ConfigError, match=r"tool\.ddblint must be a table"):
        load_config(tmp_path, None)


def test_without_rules_ids_and_options_are_not_checked(tmp_path):
    write(tmp_path / ".ddblint.toml", 'select = ["XYZ"]\n[severity]\nXYZ1 = "info"\n[options]\nanything = 1\n')
    config = load_config(tmp_path, None)
    assert config.select == ("XYZ",)
    assert config.options == {"anything": 1}


def test_rule_ids_are_case_insensitive(tmp_path, rules):
    write(tmp_path / ".ddblint.toml", 'ignore = ["iam101"]\n[severity]\nlam302 = "ERROR"\n')
    config = load_config(tmp_path, None, rules=rules)
    assert config.ignore == ("IAM101",)
    assert config.severity == {"LAM302": Severity.ERROR}


# --- command-line flags ---


def test_cli_flags_replace_config_values(rules):
    config = Config(select=("IAM",), ignore=("IAM106",), fail_on="error", exclude=("legacy/**",))
    merged = merge_cli(config, select=["STR,lam3"], ignore=["OPS605"], fail_on="never", rules=rules)
    assert merged.select == ("STR", "LAM3")
    assert merged.ignore == ("OPS605",)
    assert merged.fail_on == "never"
    assert merged.exclude == ("legacy/**",)


def test_cli_flags_not_given_keep_config_values():
    config = Config(select=("IAM",), ignore=("IAM106",), fail_on="error")
    assert merge_cli(config) == config


def test_cli_flags_are_checked(rules):
    with pytest.raises(ConfigError, match=r"command line: --select: 'NOPE' is not a rule ID"):
        merge_cli(Config(), select=["NOPE"], rules=rules)
    with pytest.raises(ConfigError, match=r"command line: --fail-on: unknown value 'loud'"):
        merge_cli(Config(), fail_on="loud")


# --- selection ---


def test_empty_select_selects_every_rule():
    assert Config().is_selected("IAM101")
    assert Config().is_selected("OPS605")


@pytest.mark.parametrize(
    ("select", "rule_id", "selected"),
    [
        (("IAM",), "IAM102", True),
        (("IAM1",), "IAM102", True),
        (("IAM102",), "IAM102", True),
        (("IAM102",), "IAM101", False),
        (("STR",), "IAM102", False),
        (("STR", "IAM10"), "IAM106", True),
    ],
)
def test_select_matches_prefixes(select, rule_id, selected):
    assert Config(select=select).is_selected(rule_id) is selected


def test_ignore_wins_over_select():
    config = Config(select=("IAM102",), ignore=("IAM",))
    assert not config.is_selected("IAM102")
    assert Config(ignore=("IAM1",)).is_selected("STR201")
    assert not Config(ignore=("IAM1",)).is_selected("IAM106")


# --- severity, options, fail_on ---


def test_severity_for_prefers_configuration(rules_by_id):
    config = Config(severity={"IAM102": Severity.INFO})
    assert config.severity_for(rules_by_id["IAM102"]) is Severity.INFO
    assert config.severity_for(rules_by_id["IAM101"]) is Severity.ERROR


def test_options_for_overrides_only_declared_names(rules_by_id):
    config = Config(options={"min_timeout_seconds": 15, "retry_mode": "adaptive"})
    assert config.options_for(rules_by_id["LAM302"]) == {"min_timeout_seconds": 15}
    assert config.options_for(rules_by_id["RTY406"]) == {"retry_mode": "adaptive"}
    assert config.options_for(rules_by_id["IAM101"]) == {}


def test_options_for_returns_defaults_when_unset(rules_by_id):
    assert Config().options_for(rules_by_id["OPS605"]) == {"accept_ratio": 0.5, "strict": False}


def test_options_int_and_float_are_interchangeable(rules_by_id, tmp_path, rules):
    assert Config(options={"min_timeout_seconds": 12.5}).options_for(rules_by_id["LAM302"]) == {
        "min_timeout_seconds": 12.5
    }
    write(tmp_path / ".ddblint.toml", "[options]\naccept_ratio = 1\n")
    accept_ratio = load_config(tmp_path, None, rules=rules).options_for(rules_by_id["OPS605"])["accept_ratio"]
    assert accept_ratio == 1.0
    assert isinstance(accept_ratio, float)


def test_options_for_rejects_a_wrong_type(rules_by_id):
    config = Config(options={"min_timeout_seconds": "ten"}, source=Path("cfg.toml"))
    with pytest.raises(ConfigError, match=r"cfg.toml: options.min_timeout_seconds \(read by LAM302\): expected"):
        config.options_for(rules_by_id["LAM302"])


@pytest.mark.parametrize(
    ("fail_on", "severities", "fails"),
    [
        ("error", [Severity.WARNING, Severity.INFO], False),
        ("error", [Severity.ERROR], True),
        ("warning", [Severity.WARNING], True),
        ("warning", [Severity.INFO], False),
        ("info", [Severity.INFO], True),
        ("never", [Severity.ERROR], False),
        ("info", [], False),
    ],
)
def test_fails_at_or_above_fail_on(make_finding, fail_on, severities, fails):
    findings = [make_finding("IAM101", "aws_iam_policy.a", severity=s) for s in severities]
    assert Config(fail_on=fail_on).fails(findings) is fails


# --- exclude ---


@pytest.mark.parametrize(
    ("pattern", "path", "excluded"),
    [
        ("legacy/**", "legacy", True),
        ("legacy/**", "legacy/main.tf", True),
        ("legacy/**", "legacy/sub/main.tf", True),
        ("legacy/**", "apps/legacy/main.tf", False),
        ("legacy/**", "legacy2/main.tf", False),
        ("legacy", "legacy/main.tf", True),
        ("**/vendor/**", "vendor/a.tf", True),
        ("**/vendor/**", "modules/x/vendor/b/c.tf", True),
        ("**/vendor/**", "modules/vendored/c.tf", False),
        ("*.tf", "main.tf", True),
        ("*.tf", "modules/main.tf", False),
        ("**/*.generated.tf", "a/b/x.generated.tf", True),
        ("modules/*/tests/**", "modules/table/tests/t.tf", True),
        ("modules/*/tests/**", "modules/table/sub/tests/t.tf", False),
        ("modules/**/tests", "modules/a/b/tests/t.tf", True),
        ("env-[ab]/**", "env-a/main.tf", True),
        ("env-[!ab]/**", "env-a/main.tf", False),
        ("env-?/**", "env-c/main.tf", True),
        ("./legacy/**", "legacy/main.tf", True),
        ("legacy/**", "./legacy/main.tf", True),
        ("a.b/**", "axb/main.tf", False),
    ],
)
def test_is_excluded(pattern, path, excluded):
    assert Config(exclude=(pattern,)).is_excluded(path) is excluded


def test_nothing_is_excluded_by_default():
    assert not Config().is_excluded("legacy/main.tf")
