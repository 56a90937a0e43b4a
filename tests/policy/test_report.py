"""The renderings of a policy run, directly on hand-made findings: the table, SARIF 2.1.0 and JUnit.

SARIF: "SARIF support for code scanning", GitHub Docs
(https://docs.github.com/en/code-security/reference/code-scanning/sarif-files/sarif-support):
``ruleId``, ``level``, ``message.text``, ``locations[].physicalLocation.artifactLocation.uri`` and
``region.startLine`` (at least 1), ``partialFingerprints``, ``relatedLocations``; rules under
``tool.driver.rules`` with ``shortDescription``/``fullDescription``/``help``/``helpUri``.
"""

from __future__ import annotations

import json
import re
import time
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from stackkit.policy import report
from stackkit.policy.checkov import Finding, StackReport
from stackkit.policy.report import WRITERS, RunInfo, junit, render_table, sarif, tool_version


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "cdktf.out"


def _finding(out: Path, stack: str, check_id: str, resource: str, **changes: Any) -> Finding:
    fields: dict[str, Any] = {
        "stack": stack,
        "check_id": check_id,
        "check_name": f"{check_id} name",
        "resource": resource,
        "file": str(out / "stacks" / stack / "cdk.tf.json"),
        "lines": (10, 20),
    }
    return Finding(**{**fields, **changes})


@pytest.fixture
def reports(out: Path) -> dict[str, StackReport]:
    prod = StackReport("prod")
    prod.passed = [_finding(out, "prod", "CKV_AWS_1", "aws_s3_bucket.a")] * 3
    prod.failed = [
        _finding(
            out,
            "prod",
            "CKV_STACKKIT_2",
            "aws_kms_key.k",
            source="app.py:7",
            details=("set prevent_destroy",),
        ),
        _finding(out, "prod", "CKV_AWS_150", "aws_lb.web", lines=(0, 0), details=("one", "two")),
    ]
    prod.skipped = [
        _finding(out, "prod", "CKV_AWS_18", "aws_s3_bucket.logs", skip_reason="the log bucket itself"),
        _finding(out, "prod", "CKV_AWS_144", "aws_s3_bucket.logs"),
    ]
    dev = StackReport("dev")
    dev.passed = [_finding(out, "dev", "CKV_AWS_1", "aws_s3_bucket.a")]
    return {"prod": prod, "dev": dev}


def test_the_table(reports: dict[str, StackReport], out: Path) -> None:
    assert render_table(reports, RunInfo(out_dir=out)) == "\n".join(
        [
            "prod         FAILED  passed    3   failed   2   skipped   2",
            "    FAIL CKV_AWS_150      aws_lb.web  (cdktf.out/stacks/prod/cdk.tf.json:0-0)",
            "         CKV_AWS_150 name",
            "         - one",
            "         - two",
            "    FAIL CKV_STACKKIT_2   aws_kms_key.k  "
            "(cdktf.out/stacks/prod/cdk.tf.json:10-20, made at app.py:7)",
            "         CKV_STACKKIT_2 name",
            "         - set prevent_destroy",
            "    skip CKV_AWS_144      aws_s3_bucket.logs: skipped",
            "    skip CKV_AWS_18       aws_s3_bucket.logs: the log bucket itself",
            "dev          ok      passed    1   failed   0   skipped   0",
            "2 stacks: 4 passed, 2 failed, 2 skipped",
        ]
    )


def test_the_table_names_the_output_as_the_run_does(reports: dict[str, StackReport], out: Path) -> None:
    table = render_table(
        {"dev": reports["dev"], "prod": reports["prod"]}, RunInfo(out_dir=out, out_label="infra/out")
    )
    assert table.splitlines()[0].startswith("dev          ok")
    assert "(infra/out/stacks/prod/cdk.tf.json:0-0)" in table


def test_sarif(reports: dict[str, StackReport], out: Path) -> None:
    document = sarif(reports, RunInfo(out_dir=out, project="infra"))
    assert document["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert document["version"] == "2.1.0"
    (run,) = document["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"], driver["semanticVersion"]) == (
        "stackkit",
        tool_version(),
        tool_version(),
    )
    assert driver["informationUri"] == "https://www.checkov.io/"
    own_help = (
        "CKV_STACKKIT_2 is one of stackkit's own policies: Stateful resources have lifecycle "
        "prevent_destroy. It cannot be skipped; change the construct's props (the finding's details "
        "say which setting)."
    )
    checkov_help = (
        "Checkov check CKV_AWS_150: CKV_AWS_150 name. Fix the resource, or, when the check does not apply to "
        'this one resource, record why next to it with stackkit.skip_check(resource, "CKV_AWS_150", '
        '"<a reason a reviewer can judge>") (see https://stackkit.github.io/stackkit/gate/skips/).'
    )
    assert driver["rules"] == [
        {
            "id": "CKV_AWS_150",
            "name": "CKV_AWS_150",
            "shortDescription": {"text": "CKV_AWS_150 name"},
            "fullDescription": {"text": "CKV_AWS_150 name"},
            "help": {"text": checkov_help, "markdown": checkov_help},
            "defaultConfiguration": {"level": "error"},
            "properties": {"tags": ["security", "terraform", "checkov"]},
            "helpUri": "https://www.checkov.io/5.Policy%20Index/terraform.html",
        },
        {
            "id": "CKV_STACKKIT_2",
            "name": "CKV_STACKKIT_2",
            "shortDescription": {"text": "CKV_STACKKIT_2 name"},
            "fullDescription": {"text": "Stateful resources have lifecycle prevent_destroy"},
            "help": {"text": own_help, "markdown": own_help},
            "defaultConfiguration": {"level": "error"},
            "properties": {"tags": ["security", "terraform", "stackkit"]},
        },
    ]
    json_uri = "cdktf.out/stacks/prod/cdk.tf.json"
    assert run["results"] == [
        {
            "ruleId": "CKV_AWS_150",
            "level": "error",
            "message": {"text": "aws_lb.web (prod): CKV_AWS_150 name - one; two"},
            # Line 0 is not a SARIF line: the region starts at line 1 and ends no earlier.
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": json_uri},
                        "region": {"startLine": 1, "endLine": 1},
                    }
                }
            ],
            "partialFingerprints": {"stackkitResource/v1": "prod/aws_lb.web/CKV_AWS_150"},
        },
        {
            "ruleId": "CKV_STACKKIT_2",
            "level": "error",
            "message": {"text": "aws_kms_key.k (prod): CKV_STACKKIT_2 name - set prevent_destroy"},
            # The user's line (inside the project folder) first; the JSON as a related location.
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": "infra/app.py"},
                        "region": {"startLine": 7},
                    }
                }
            ],
            "partialFingerprints": {"stackkitResource/v1": "prod/aws_kms_key.k/CKV_STACKKIT_2"},
            "relatedLocations": [
                {
                    "id": 1,
                    "physicalLocation": {
                        "artifactLocation": {"uri": json_uri},
                        "region": {"startLine": 10, "endLine": 20},
                    },
                    "message": {"text": "aws_kms_key.k in the synthesized stack prod"},
                }
            ],
        },
    ]


@pytest.mark.parametrize(
    ("source", "project", "location"),
    [
        ("app.py:7", "", {"artifactLocation": {"uri": "app.py"}, "region": {"startLine": 7}}),
        (
            "src/app.py:12",
            "infra",
            {"artifactLocation": {"uri": "infra/src/app.py"}, "region": {"startLine": 12}},
        ),
        ("C:/x/app.py:3", "", {"artifactLocation": {"uri": "C:/x/app.py"}, "region": {"startLine": 3}}),
        # Not "path:line": the JSON is the location.
        ("app.py", "", None),
        ("app.py:seven", "", None),
        ("", "", None),
    ],
)
def test_the_users_line_is_the_location_when_recorded(
    out: Path, source: str, project: str, location: dict[str, Any] | None
) -> None:
    finding = _finding(out, "dev", "CKV_AWS_1", "aws_s3_bucket.a", source=source or None)
    report_ = StackReport("dev", failed=[finding])
    (result,) = sarif({"dev": report_}, RunInfo(out_dir=out, project=project))["runs"][0]["results"]
    json_location = {
        "artifactLocation": {"uri": "cdktf.out/stacks/dev/cdk.tf.json"},
        "region": {"startLine": 10, "endLine": 20},
    }
    assert result["locations"] == [{"physicalLocation": location or json_location}]
    assert ("relatedLocations" in result) is (location is not None)


def test_an_iam_finding_is_described_as_the_iam_analysis_with_its_page(out: Path) -> None:
    finding = _finding(
        out, "dev", "IAM_STACKKIT_PASSROLE_ANY", "aws_iam_role_policy.deploy", check_name="iam:PassRole on *"
    )
    document = sarif({"dev": StackReport("dev", failed=[finding])}, RunInfo(out_dir=out))
    help_text = (
        "IAM_STACKKIT_PASSROLE_ANY: iam:PassRole on * (stackkit's IAM analysis: parliament, cloudsplaining "
        "and stackkit's own rules over every policy document). The finding names the statement, the "
        "actions and the fix. When it does not apply to this one resource, record why on it with "
        "stackkit.skip_check, giving the resource, IAM_STACKKIT_PASSROLE_ANY and the reason (for a "
        "data.aws_iam_policy_document, pass the data source or every resource that uses it; see "
        "https://stackkit.github.io/stackkit/gate/skips/)."
    )
    assert document["runs"][0]["tool"]["driver"]["rules"] == [
        {
            "id": "IAM_STACKKIT_PASSROLE_ANY",
            "name": "IAM_STACKKIT_PASSROLE_ANY",
            "shortDescription": {"text": "iam:PassRole on *"},
            "fullDescription": {"text": "iam:PassRole on *"},
            "help": {"text": help_text, "markdown": help_text},
            "defaultConfiguration": {"level": "error"},
            "properties": {"tags": ["security", "terraform", "iam"]},
            "helpUri": "https://stackkit.github.io/stackkit/gate/iam-analysis/",
        }
    ]


def test_skipped_and_passed_checks_are_not_sarif_results(reports: dict[str, StackReport], out: Path) -> None:
    document = sarif({"dev": reports["dev"]}, RunInfo(out_dir=out))
    assert document["runs"][0]["results"] == []
    assert document["runs"][0]["tool"]["driver"]["rules"] == []


def test_the_version_is_the_packages() -> None:
    project = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())["project"]
    assert tool_version() == project["version"]


def test_the_version_without_package_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> str:
        raise report.PackageNotFoundError(name)

    monkeypatch.setattr(report, "version", missing)
    assert tool_version() == "0.0.0"


def test_junit(reports: dict[str, StackReport], out: Path) -> None:
    text = junit(reports, RunInfo(out_dir=out, elapsed=8.0))
    assert text.startswith("<?xml version='1.0' encoding='utf-8'?>\n<testsuites ")
    assert text.endswith("</testsuites>\n")
    root = ElementTree.fromstring(text.split("\n", 1)[1])
    assert root.attrib == {
        "name": "stackkit check",
        "tests": "8",
        "failures": "2",
        "errors": "0",
        "time": "8.000",
    }
    prod, dev = root.findall("testsuite")
    # 8 s shared by the stacks in proportion to their checks: prod 7 of 8, dev 1 of 8.
    assert {key: prod.attrib[key] for key in ("name", "tests", "failures", "errors", "skipped", "time")} == {
        "name": "prod",
        "tests": "7",
        "failures": "2",
        "errors": "0",
        "skipped": "2",
        "time": "7.000",
    }
    assert (dev.attrib["tests"], dev.attrib["failures"], dev.attrib["skipped"], dev.attrib["time"]) == (
        "1",
        "0",
        "0",
        "1.000",
    )
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", prod.attrib["timestamp"])
    assert prod.attrib["hostname"]
    assert "file" not in prod.attrib
    cases = prod.findall("testcase")
    assert [case.attrib["name"] for case in cases] == [
        "CKV_AWS_1 aws_s3_bucket.a",
        "CKV_AWS_1 aws_s3_bucket.a",
        "CKV_AWS_1 aws_s3_bucket.a",
        "CKV_AWS_144 aws_s3_bucket.logs",
        "CKV_AWS_150 aws_lb.web",
        "CKV_AWS_18 aws_s3_bucket.logs",
        "CKV_STACKKIT_2 aws_kms_key.k",
    ]
    assert {(case.attrib["classname"], case.attrib["time"]) for case in cases} == {("prod", "0")}
    assert [len(case) for case in cases[:3]] == [0, 0, 0]  # passed: no child
    skipped_144, failed_150, skipped_18, failed_own = cases[3:]
    assert skipped_144.find("skipped").attrib == {"message": "skipped"}  # type: ignore[union-attr]
    assert skipped_18.find("skipped").attrib == {"message": "the log bucket itself"}  # type: ignore[union-attr]
    failure = failed_own.find("failure")
    assert failure is not None
    assert failure.attrib == {"message": "CKV_STACKKIT_2 name", "type": "policy"}
    assert failure.text == "cdktf.out/stacks/prod/cdk.tf.json:10-20\nmade at app.py:7\nset prevent_destroy"
    plain = failed_150.find("failure")
    assert plain is not None and plain.text == "cdktf.out/stacks/prod/cdk.tf.json:0-0\none\ntwo"


def test_junit_timestamps_are_utc_and_a_nameless_host_is_localhost(
    reports: dict[str, StackReport], out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Asia/Kolkata")  # UTC+05:30 all year: a local time would differ
    time.tzset()
    monkeypatch.setattr(report.platform, "node", lambda: "")
    try:
        before = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
        root = ElementTree.fromstring(junit(reports, RunInfo(out_dir=out)).split("\n", 1)[1])
        after = datetime.now(UTC).replace(tzinfo=None)
    finally:
        monkeypatch.undo()
        time.tzset()
    suite = root.find("testsuite")
    assert suite is not None
    assert before <= datetime.fromisoformat(suite.attrib["timestamp"]) <= after
    assert suite.attrib["hostname"] == "localhost"


def test_junit_of_an_empty_run_does_not_divide_by_zero(out: Path) -> None:
    root = ElementTree.fromstring(
        junit({"dev": StackReport("dev")}, RunInfo(out_dir=out, elapsed=2.0)).split("\n", 1)[1]
    )
    assert root.attrib["tests"] == "0"
    assert root.find("testsuite").attrib["time"] == "0.000"  # type: ignore[union-attr]


def test_writers(reports: dict[str, StackReport], out: Path) -> None:
    info = RunInfo(out_dir=out)
    assert sorted(WRITERS) == ["junit", "sarif"]
    sarif_text = WRITERS["sarif"](reports, info)
    assert sarif_text.endswith("}\n")
    assert json.loads(sarif_text) == sarif(reports, info)
    assert sarif_text.startswith('{\n  "$schema"')  # indented by 2
    assert WRITERS["junit"](reports, info).startswith("<?xml")
