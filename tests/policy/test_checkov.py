"""The real Checkov over every synthesized stack, with per-resource skips."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import pytest

from stackkit import skip_check
from stackkit._private import skips
from stackkit._private.cdk import S3Bucket
from stackkit._private.skips import RECORDED_SKIPS, RecordedSkip
from stackkit.policy.checkov import CheckovError, StackReport, collect_skips, run_checkov
from tests.synth_helpers import synth_stack

#: The names of the skips table's entries (``ALB_LOGS_SSE_S3``...).
SKIP_NAMES = [name for name, value in vars(skips).items() if isinstance(value, RecordedSkip)]

#: A floor, so a parse error or an empty scan cannot pass as "0 failed".
MIN_PASSED_PER_STACK = 300  # network + database + cache + service pass 342..369 (2026-11-26)


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_checkov_passes_every_stack(checkov_reports: dict[str, StackReport], env: str) -> None:
    report = checkov_reports[env]
    failures = [f"{f.check_id} {f.resource} ({f.check_name})" for f in report.failed]
    assert failures == []
    assert len(report.passed) >= MIN_PASSED_PER_STACK


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_every_skip_carries_a_reason(checkov_reports: dict[str, StackReport], env: str) -> None:
    for finding in checkov_reports[env].skipped:
        assert finding.skip_reason and len(finding.skip_reason) >= 10


@pytest.mark.slow
def test_a_recorded_skip_applies_to_that_resource_only(tmp_path: Path) -> None:
    def build(stack: object) -> None:
        skipped = S3Bucket(stack, "skipped", bucket="skipped-bucket")  # type: ignore[arg-type]
        skip_check(skipped, "CKV_AWS_18", "access logs are collected elsewhere in this test")
        S3Bucket(stack, "plain", bucket="plain-bucket")  # type: ignore[arg-type]

    synth_stack(tmp_path, build)
    report = run_checkov(tmp_path / "stacks")["test"]
    skipped = {(f.resource, f.check_id): f.skip_reason for f in report.skipped}
    failed = {(f.resource, f.check_id) for f in report.failed}
    assert skipped == {
        ("aws_s3_bucket.skipped", "CKV_AWS_18"): "access logs are collected elsewhere in this test"
    }
    assert ("aws_s3_bucket.plain", "CKV_AWS_18") in failed
    assert ("aws_s3_bucket.skipped", "CKV_AWS_18") not in failed


@pytest.mark.slow
def test_a_skip_without_reason_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="reason"):
        synth_stack(
            tmp_path, lambda stack: skip_check(S3Bucket(stack, "b", bucket="b-bucket"), "CKV_AWS_18", " ")
        )
    stack_dir = tmp_path / "stacks" / "hand"
    stack_dir.mkdir(parents=True)
    body = {"//": {"stackkit_checkov_skip": {"CKV_AWS_18": ""}}, "bucket": "b-bucket"}
    (stack_dir / "cdk.tf.json").write_text(json.dumps({"resource": {"aws_s3_bucket": {"b": body}}}))
    with pytest.raises(CheckovError, match="no reason"):
        run_checkov(tmp_path / "stacks")


@pytest.mark.slow
def test_an_unparseable_stack_fails_instead_of_passing(tmp_path: Path) -> None:
    stack_dir = tmp_path / "stacks" / "broken"
    stack_dir.mkdir(parents=True)
    (stack_dir / "cdk.tf.json").write_text('{"resource": {"aws_s3_bucket": {"b": ')
    with pytest.raises(CheckovError):
        run_checkov(tmp_path / "stacks")


def test_every_recorded_skip_is_defined_once_in_the_skips_table(stacks: dict[str, Any]) -> None:
    """The documentation's skips table is generated from RECORDED_SKIPS: every skip in the
    synthesized stacks must be one of its entries, word for word, on the resource type it names."""
    known = {(skip.check_id, skip.reason): skip for skip in RECORDED_SKIPS}
    seen = set()
    for env, stack in stacks.items():
        for (address, check_id), reason in collect_skips(stack).items():
            skip = known.get((check_id, reason))
            assert skip is not None, f"{env}: skip of {check_id} on {address} is not in _private/skips.py"
            assert address.split(".")[0] == skip.resource.split(".")[0], (address, skip.resource)
            seen.add(skip)
    assert len(seen) >= 8  # the environments record most of them (the rest: the patterns' examples)


def test_constructs_record_skips_only_through_the_skips_table() -> None:
    """``skip_check`` with a free-text reason is called nowhere but ``record_skip``, and every entry
    of the table is used by some construct (no stale rows in the documentation)."""
    package = Path(__file__).resolve().parents[2] / "src" / "stackkit"
    callers = set()
    used = set()
    for path in package.rglob("*.py"):
        source = path.read_text()
        calls = [
            node
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and ast.unparse(node.func).split(".")[-1] == "skip_check"
        ]
        if calls:  # a call, not a mention (the SARIF help names stackkit.skip_check)
            callers.add(path.relative_to(package).as_posix())
        if path.name != "skips.py":
            used |= {name for name in SKIP_NAMES if re.search(rf"\b{name}\b", source)}
    assert callers == {"_private/skips.py"}
    assert used == set(SKIP_NAMES)


def test_state_move_blocks_are_hidden_from_checkovs_parser_on_the_same_lines(outdir: Path) -> None:
    # Checkov 3.3's terraform_json parser fails a file with top-level import/removed blocks;
    # the scan reads a copy where they are comment keys, line for line (issue 15).
    from stackkit.policy.checkov import scannable

    for name in ("dev", "dev-bootstrap"):
        text = (outdir / "stacks" / name / "cdk.tf.json").read_text()
        original = json.loads(text)
        assert "removed" in original or "import" in original
        copy = scannable(text)
        assert copy.count("\n") == text.count("\n")
        parsed = json.loads(copy)
        assert not {"import", "removed", "moved"} & set(parsed)
        assert parsed["resource"] == original["resource"]
