"""The `stackkit` command: check (table, SARIF, JUnit, exit code, progress), summary."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from stackkit.cli import main
from tests.policy.test_policies import PROTECTED, stack

#: End-to-end (subprocesses, Checkov): `pytest -m "not slow"` skips them; CI runs them.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
KEY_POLICY = json.dumps(
    {
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "kms:*"}
        ]
    }
)
GOOD_KEY = {"enable_key_rotation": True, "policy": KEY_POLICY, **PROTECTED}


def write_stacks(root: Path, stacks: dict[str, dict[str, object]]) -> Path:
    for name, body in stacks.items():
        (root / "stacks" / name).mkdir(parents=True)
        (root / "stacks" / name / "cdk.tf.json").write_text(json.dumps(body, indent=2))
    return root


@pytest.fixture(scope="module")
def violating(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_stacks(
        tmp_path_factory.mktemp("violating"),
        {
            "good": stack({"aws_kms_key": {"k": GOOD_KEY}}),
            "bad": stack({"aws_kms_key": {"k": {**GOOD_KEY, "lifecycle": {"prevent_destroy": False}}}}),
        },
    )


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
    assert re.search(r"FAIL CKV_STACKKIT_2 +aws_kms_key.k  \(/\S+/stacks/bad/cdk.tf.json:\d+-\d+\)", out)
    assert "stacks/bad/cdk.tf.json:" in out
    assert "- set lifecycle prevent_destroy" in out
    assert next(line for line in out.splitlines() if line.startswith("good ")).split()[1] == "ok"

    sarif = json.loads(sarif_path.read_text())
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in results if r["ruleId"] == "CKV_STACKKIT_2"] == [
        ("CKV_STACKKIT_2", "error")
    ]
    location = results[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("cdk.tf.json") and location["region"]["startLine"] > 1
    assert {rule["id"] for rule in sarif["runs"][0]["tool"]["driver"]["rules"]} >= {"CKV_STACKKIT_2"}

    suites = {suite.get("name"): suite for suite in ElementTree.parse(junit_path).getroot()}
    assert int(suites["bad"].get("failures") or 0) >= 1 and suites["good"].get("failures") == "0"
    failed_cases = [case.get("name") for case in suites["bad"] if case.find("failure") is not None]
    assert "CKV_STACKKIT_2 aws_kms_key.k" in failed_cases


def test_check_synthesizes_when_not_given_an_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Also the clean case: exit code 0."""
    assert main(["check", "--env", "dev", "--outdir", str(tmp_path)]) == 0
    assert (tmp_path / "stacks" / "dev" / "cdk.tf.json").exists()
    assert "dev " in capsys.readouterr().out


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
    assert main(["summary", "--from", str(output), "--base", str(output)]) == 0
    out = capsys.readouterr().out
    assert "## dev" in out and "## prod" in out
    assert "**3 resources** of 2 types." in out
    assert "**Changes:** 0 added, 0 removed, 0 changed." in out
    assert "```mermaid\nflowchart LR\n" in out
    assert '  aws_subnet__s["subnets<br/>s x2"]' in out
    assert "  aws_subnet__s --> aws_vpc__v" in out


def test_the_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "stackkit"
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert "check" in result.stdout and "diff" in result.stdout and "summary" in result.stdout
