"""The `stackkit` command: check (table, SARIF, JUnit, exit code, progress), summary."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

import stackkit
from stackkit.cli import build_parser, main
from tests.policy.test_policies import PROTECTED, stack

#: End-to-end (subprocesses, Checkov): `pytest -m "not slow"` skips them; CI runs them.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
#: A key policy KMS accepts (the IAM analysis reads it too: a statement needs its Resource).
KEY_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
                "Action": "kms:*",
                "Resource": "*",
            }
        ],
    }
)
GOOD_KEY = {"enable_key_rotation": True, "policy": KEY_POLICY, **PROTECTED}


def write_stacks(root: Path, stacks: dict[str, dict[str, object]]) -> Path:
    for name, body in stacks.items():
        (root / "stacks" / name).mkdir(parents=True)
        (root / "stacks" / name / "cdk.tf.json").write_text(json.dumps(body, indent=2))
    return root


LB = {
    "name": "web",
    "internal": False,
    "load_balancer_type": "application",
    "enable_deletion_protection": False,
    "drop_invalid_header_fields": True,
    "//": {"stackkit_checkov_skip": {"CKV_AWS_150": "non-production: torn down and rebuilt freely"}},
}


@pytest.fixture(scope="module")
def violating(tmp_path_factory: pytest.TempPathFactory) -> Path:
    bad_key = {**GOOD_KEY, "lifecycle": {"prevent_destroy": False}, "//": {"stackkit_source": "app.py:7"}}
    return write_stacks(
        tmp_path_factory.mktemp("violating"),
        {
            "good": stack({"aws_kms_key": {"k": GOOD_KEY}}),
            "bad": stack({"aws_kms_key": {"k": bad_key}}),
        },
    )


#: The OASIS SARIF 2.1.0 JSON schema (rtm.5, the final one, as SchemaStore publishes it), shipped
#: in the npm package @microsoft/jest-sarif pinned in package.json (no network at test time).
SARIF_SCHEMA = (
    ROOT / "node_modules" / "@microsoft" / "jest-sarif" / "lib" / "schemas" / "sarif-2.1.0-rtm.5.json"
)


def sarif_schema_problems(document: dict[str, Any]) -> list[str]:
    """Where ``document`` breaks the SARIF 2.1.0 schema (a draft-04 JSON schema)."""
    import jsonschema  # Checkov's dependency

    validator = jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text()))
    return [
        f"{'/'.join(str(part) for part in error.absolute_path)}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def github_sarif_problems(document: dict[str, Any]) -> list[str]:
    """What GitHub code scanning requires of an uploaded SARIF file ("SARIF support for code
    scanning", GitHub Docs) and the SARIF 2.1.0 schema's required properties: version 2.1.0, a
    driver name, rules with id and text descriptions and help, results with ruleId, message.text
    and physical locations whose URIs are relative (stable across runs), regions with startLine
    >= 1; no suppressed results (skips are reported in the table and the summary)."""
    problems: list[str] = []
    if document.get("version") != "2.1.0" or not document.get("$schema"):
        problems.append("version/$schema")
    for run in document["runs"]:
        driver = run["tool"]["driver"]
        if not driver.get("name") or not driver.get("version"):
            problems.append("driver name/version")
        rule_ids = set()
        for rule in driver.get("rules", []):
            rule_ids.add(rule["id"])
            for key in ("shortDescription", "fullDescription", "help"):
                if not rule.get(key, {}).get("text"):
                    problems.append(f"rule {rule['id']} has no {key}.text")
        for result in run["results"]:
            if result.get("ruleId") not in rule_ids or not result.get("message", {}).get("text"):
                problems.append(f"result {result.get('ruleId')}: ruleId/message")
            if "suppressions" in result:
                problems.append(f"result {result['ruleId']} is suppressed")
            for location in [*result["locations"], *result.get("relatedLocations", [])]:
                physical = location["physicalLocation"]
                uri = physical["artifactLocation"]["uri"]
                if uri.startswith(("/", "file:")) or "://" in uri or "stackkit-" in uri or "\\" in uri:
                    problems.append(f"uri {uri} is not relative and stable")
                region = physical.get("region", {})
                if (
                    region.get("startLine", 0) < 1
                    or region.get("endLine", region["startLine"]) < region["startLine"]
                ):
                    problems.append(f"region {region}")
    return problems


def test_check_fails_with_table_sarif_and_junit(
    violating: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sarif_path, junit_path = tmp_path / "out" / "r.sarif", tmp_path / "out" / "r.xml"
    code = main(
        [
            "check",
            "--from",
            str(violating),
            "--format",
            f"sarif={sarif_path}",
            "--format",
            f"junit={junit_path}",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 1
    assert err == ""  # no progress lines when stdout is not a terminal
    bad_line = next(line for line in out.splitlines() if line.startswith("bad "))
    assert "FAILED" in bad_line and "failed   1" in bad_line
    # A folder outside the working directory is reported under its stable conventional name.
    assert re.search(
        r"FAIL CKV_STACKKIT_2 +aws_kms_key.k  \(cdktf.out/stacks/bad/cdk.tf.json:\d+-\d+, made at app.py:7\)",
        out,
    )
    assert "- set lifecycle prevent_destroy" in out
    assert next(line for line in out.splitlines() if line.startswith("good ")).split()[1] == "ok"

    sarif = json.loads(sarif_path.read_text())
    assert github_sarif_problems(sarif) == []
    assert sarif_schema_problems(sarif) == []
    assert sarif_schema_problems({**sarif, "version": "2.0"}) != []  # the validator does validate
    results = sarif["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [("CKV_STACKKIT_2", "error")]
    (result,) = results
    # The user's Python line is the location; the synthesized JSON a related location.
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "app.py" and location["region"]["startLine"] == 7
    related = result["relatedLocations"][0]["physicalLocation"]
    assert related["artifactLocation"]["uri"] == "cdktf.out/stacks/bad/cdk.tf.json"
    assert related["region"]["startLine"] > 1
    (rule,) = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert rule["id"] == "CKV_STACKKIT_2" and "cannot be skipped" in rule["help"]["text"]
    assert sarif["runs"][0]["tool"]["driver"]["version"] == stackkit.__version__

    root = ElementTree.parse(junit_path).getroot()
    suites = {suite.get("name"): suite for suite in root}
    assert int(suites["bad"].get("failures") or 0) >= 1 and suites["good"].get("failures") == "0"
    failed_cases = [case.get("name") for case in suites["bad"] if case.find("failure") is not None]
    assert "CKV_STACKKIT_2 aws_kms_key.k" in failed_cases
    for element in root.iter():
        assert "file" not in element.attrib
        if element.tag in ("testsuites", "testsuite", "testcase"):
            assert float(element.get("time", "-1")) >= 0, element.tag
    assert all(suite.get("timestamp") and suite.get("hostname") for suite in root)


def test_skips_are_not_sarif_results_and_production_tags_refuse_non_production_skips(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Both stacks sit in folders with non-production names and record the same skip; the one
    whose resources carry Environment=prod (provider default_tags) does not get it."""
    output = write_stacks(
        tmp_path / "out",
        {
            "web-a": stack({"aws_lb": {"web": LB}}, environment="dev"),
            "web-b": stack({"aws_lb": {"web": LB}}, environment="prod"),
        },
    )
    sarif_path = tmp_path / "r.sarif"
    assert main(["check", "--from", str(output), "--format", f"sarif={sarif_path}"]) == 1
    out = capsys.readouterr().out
    assert re.search(r"skip CKV_AWS_150 +aws_lb.web: non-production", out)
    assert re.search(r"FAIL CKV_AWS_150 +aws_lb.web", out)
    assert "Environment is 'prod'" in out
    results = json.loads(sarif_path.read_text())["runs"][0]["results"]
    assert not any("suppressions" in result for result in results)
    lb_results = [r for r in results if r["ruleId"] == "CKV_AWS_150"]
    assert len(lb_results) == 1 and "(web-b)" in lb_results[0]["message"]["text"]


def test_check_runs_the_app_of_cdktf_json_and_filters_stacks_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """This repository's cdktf.json runs main.py; --env keeps only the named stack. Also the clean
    case: exit code 0."""
    assert main(["check", "--env", "dev", "--outdir", str(tmp_path)]) == 0
    assert (tmp_path / "stacks" / "dev" / "cdk.tf.json").exists()
    out = capsys.readouterr().out
    assert re.search(r"^dev +ok", out, re.M) and "1 stacks:" in out
    assert not re.search(r"^(staging|prod) ", out, re.M)
    assert main(["check", "--env", "qa", "--from", str(tmp_path)]) == 2
    # (the app also writes each environment's bootstrap stack, issue 15)
    wrote = "dev, dev-bootstrap, prod, prod-bootstrap, staging, staging-bootstrap"
    assert f"no stack named qa; the app wrote: {wrote}" in capsys.readouterr().err


def test_without_cdktf_json_check_says_what_to_do_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no cdktf.json here" in err and "--app" in err and "--from" in err


def test_a_missing_revision_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "HEAD~99999", "HEAD"]) == 2
    assert "revision 'HEAD~99999' does not exist" in capsys.readouterr().err


def test_help_says_how_a_revision_is_synthesized() -> None:
    text = " ".join(build_parser().format_help().split())
    assert "interpreter and packages of the current environment" in text and "cdktf.json" in text


def test_progress_lines_when_stdout_is_a_terminal(violating: Path) -> None:
    try:
        controller, terminal = pty.openpty()
    except OSError as error:  # a machine without pseudo-terminals
        pytest.skip(f"no pty: {error}")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "stackkit.cli", "check", "--from", str(violating)],
            stdout=terminal,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            timeout=300,
            env={**os.environ},
        )
    finally:
        os.close(terminal)
        os.close(controller)
    assert result.returncode == 1
    assert "[1/2] checked bad: 1 failed" in result.stderr
    assert "[2/2] checked good: 0 failed" in result.stderr


def test_unknown_format_and_missing_output_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["check", "--from", str(tmp_path), "--format", "html=x.html"])
    assert caught.value.code == 2
    assert main(["check", "--from", str(tmp_path)]) == 2


def test_summary_prints_markdown_with_mermaid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    network = {
        "aws_vpc": {"v": {"cidr_block": "10.0.0.0/16"}},
        "aws_subnet": {
            f"s_us_east_1{az}": {"vpc_id": "${aws_vpc.v.id}", "availability_zone": f"us-east-1{az}"}
            for az in "ab"
        },
    }
    output = write_stacks(tmp_path / "out", {"dev": stack(network), "prod": stack(network)})
    assert main(["summary", "--from", str(output)]) == 0  # no base: every stack in full
    out = capsys.readouterr().out
    assert "## dev" in out and "## prod" in out
    assert "**3 resources** of 2 types." in out
    assert "```mermaid\nflowchart LR\n" in out
    assert '  aws_subnet__s["subnets<br/>s x2"]' in out
    assert "  aws_subnet__s --> aws_vpc__v" in out
    # Against a base without a change, both stacks collapse into one line after the marker.
    assert main(["summary", "--from", str(output), "--base", str(output)]) == 0
    assert capsys.readouterr().out == (
        "<!-- stackkit-summary -->\n# stackkit: infrastructure summary\n\n"
        "**Unchanged (2):** `dev`, `prod`.\n\n"
    )


def test_the_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "stackkit"
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert "check" in result.stdout and "diff" in result.stdout and "summary" in result.stdout


def test_the_diagram_draws_each_pair_once_with_the_waf_and_the_alert_sources(
    stacks: dict[str, dict[str, Any]],
) -> None:
    from stackkit.policy.summary import diagram

    edges = diagram(stacks["prod"]).edges
    service_to_db = [
        e for e in edges if e[0].startswith("aws_ecs_service") and e[1].startswith("aws_db_instance")
    ]
    assert [label for _, _, label in service_to_db] == ["port 5432"]
    assert any(s.startswith("aws_wafv2_web_acl") and t.startswith("aws_lb") for s, t, _ in edges)
    into_topic = {s.split("__")[0] for s, t, label in edges if t.startswith("aws_sns_topic") and label}
    assert {"aws_db_instance", "aws_elasticache_replication_group", "aws_ecs_service", "aws_lb"} <= into_topic
