"""The runner's skip handling, directly on hand-written stack JSON (no Checkov run): which
recorded skips are read, refused, matched to a finding, or refused for a production resource."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stackkit.policy.checkov import (
    CheckovError,
    Finding,
    _addresses_by_name,
    _full_address,
    _production_refusal,
    _read_json,
    _recorded_skip,
    collect_skips,
    environment_of,
    scannable,
    select_stacks,
    source_lines,
    stack_files,
)

SKIP = "stackkit_checkov_skip"


def _bucket(skips: dict[str, Any] | None = None, **body: Any) -> dict[str, Any]:
    return {**({"//": {SKIP: skips}} if skips is not None else {}), **body}


def test_collect_skips_reads_every_recorded_skip_with_its_address() -> None:
    stack = {
        "resource": {
            "aws_s3_bucket": {
                "logs": _bucket({"CKV_AWS_18": "the log bucket itself", "CKV_AWS_144": "expiring logs"}),
                "data": _bucket(),
            },
            "aws_lb": {"alb": _bucket({"CKV_AWS_150": "dev only"})},
        }
    }
    assert collect_skips(stack) == {
        ("aws_s3_bucket.logs", "CKV_AWS_18"): "the log bucket itself",
        ("aws_s3_bucket.logs", "CKV_AWS_144"): "expiring logs",
        ("aws_lb.alb", "CKV_AWS_150"): "dev only",
    }
    assert collect_skips({}) == {}
    assert collect_skips({"resource": {"aws_s3_bucket": {"b": {"//": {"other": 1}}}}}) == {}


@pytest.mark.parametrize("reason", ["", "   ", None, 3])
def test_a_skip_without_a_reason_is_refused(reason: Any) -> None:
    stack = {"resource": {"aws_s3_bucket": {"logs": _bucket({"CKV_AWS_18": reason})}}}
    with pytest.raises(CheckovError) as caught:
        collect_skips(stack)
    assert str(caught.value) == "aws_s3_bucket.logs: skip of CKV_AWS_18 has no reason"


def test_stackkits_own_checks_cannot_be_skipped() -> None:
    stack = {"resource": {"aws_db_instance": {"db": _bucket({"CKV_STACKKIT_3": "please"})}}}
    with pytest.raises(CheckovError) as caught:
        collect_skips(stack)
    assert str(caught.value) == "aws_db_instance.db: stackkit's own check CKV_STACKKIT_3 cannot be skipped"
    # The prefix, not a substring: a Checkov id that merely contains it elsewhere is not refused.
    allowed = {"resource": {"aws_db_instance": {"db": _bucket({"CKV2_STACKKIT_X": "ok"})}}}
    assert collect_skips(allowed) == {("aws_db_instance.db", "CKV2_STACKKIT_X"): "ok"}


PROVIDERS = {
    "provider": {
        "aws": [
            {"region": "eu-west-1", "default_tags": [{"tags": {"Environment": "prod", "Project": "shop"}}]},
            {"alias": "dev", "default_tags": [{"tags": {"Environment": "dev"}}]},
        ]
    }
}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, "prod"),  # the default provider's default_tags
        ({"provider": "aws.dev"}, "dev"),  # an aliased provider's
        ({"tags": {"Environment": "staging"}}, "staging"),  # the resource's own tag wins
        ({"provider": "aws.dev", "tags": {"Environment": "production"}}, "production"),
        ({"tags": {"Environment": "${var.env}"}}, "stackname"),  # a token: not known
        ({"tags": {"Environment": ""}}, "stackname"),
        ({"tags": {"Environment": 3}}, "stackname"),
        ({"tags": "not a map"}, "prod"),
        ({"provider": "aws.missing"}, "stackname"),
        ({"provider": 3}, "prod"),  # not a provider reference: the default provider
    ],
)
def test_environment_of_a_resource(body: dict[str, Any], expected: str) -> None:
    stack = {**PROVIDERS, "resource": {"aws_lb": {"alb": body}}}
    assert environment_of(stack, "aws_lb.alb", "stackname") == expected


def test_environment_of_a_resource_that_is_not_there_is_the_stack_name() -> None:
    assert environment_of({}, "aws_lb.alb", "dev") == "dev"
    assert environment_of({"resource": {"aws_lb": {}}}, "aws_lb.alb", "dev") == "dev"


def _finding(check_id: str, resource: str, **changes: Any) -> Finding:
    fields: dict[str, Any] = {
        "stack": "prod",
        "check_id": check_id,
        "check_name": "a check",
        "resource": resource,
        "file": "/out/stacks/prod/cdk.tf.json",
        "lines": (1, 2),
    }
    return Finding(**{**fields, **changes})


def _stack(environment: str) -> dict[str, Any]:
    return {"resource": {"aws_lb": {"alb": {"tags": {"Environment": environment}}}}}


@pytest.mark.parametrize(
    ("check_id", "what"),
    [
        ("CKV_AWS_150", "load balancer deletion protection"),
        ("CKV2_AWS_50", "cache automatic failover (more than one node)"),
    ],
)
@pytest.mark.parametrize("environment", ["prod", "production", "PROD", "Production"])
def test_a_production_required_check_cannot_be_skipped_on_a_production_resource(
    check_id: str, what: str, environment: str
) -> None:
    refusal = _production_refusal(_stack(environment), "x", _finding(check_id, "aws_lb.alb"))
    assert refusal == (
        f"the recorded non-production skip does not apply: Environment is {environment!r}, and "
        f"production needs {what}"
    )


def test_without_an_environment_tag_the_stack_name_decides() -> None:
    untagged = {"resource": {"aws_lb": {"alb": {}}}}
    assert _production_refusal(untagged, "prod", _finding("CKV_AWS_150", "aws_lb.alb")) == (
        "the recorded non-production skip does not apply: Environment is 'prod', and production "
        "needs load balancer deletion protection"
    )
    assert _production_refusal(untagged, "dev", _finding("CKV_AWS_150", "aws_lb.alb")) is None


@pytest.mark.parametrize(
    ("environment", "check_id", "resource"),
    [
        ("dev", "CKV_AWS_150", "aws_lb.alb"),  # not production
        ("staging", "CKV2_AWS_50", "aws_lb.alb"),
        ("prod", "CKV_AWS_91", "aws_lb.alb"),  # a check production does not require
        ("prod", "CKV_AWS_150", "resource.alb"),  # Checkov's short form: the type is not known
        ("prod", "CKV_AWS_150", "alb"),
    ],
)
def test_where_a_recorded_skip_stands(environment: str, check_id: str, resource: str) -> None:
    assert _production_refusal(_stack(environment), "prod", _finding(check_id, resource)) is None


SKIPS = {
    ("aws_lb.alb", "CKV_AWS_150"): "dev only",
    ("aws_vpc_security_group_ingress_rule.web_80", "CKV_AWS_260"): "redirect only",
    ("aws_s3_bucket.logs", "CKV_AWS_18"): "log bucket",
    ("aws_s3_bucket_policy.logs", "CKV_AWS_18"): "same name, another type",
}


@pytest.mark.parametrize(
    ("resource", "check_id", "reason"),
    [
        ("aws_lb.alb", "CKV_AWS_150", "dev only"),
        ("aws_lb.alb", "CKV_AWS_91", None),  # another check
        ("aws_lb.other", "CKV_AWS_150", None),  # another resource
        # Checkov 3.3 reports some terraform_json findings as resource.<name>: matched by name
        # and check when exactly one recorded skip has that name and check.
        ("resource.alb", "CKV_AWS_150", "dev only"),
        ("resource.web_80", "CKV_AWS_260", "redirect only"),
        ("resource.logs", "CKV_AWS_18", None),  # two types named logs: ambiguous
        ("resource.alb", "CKV_AWS_91", None),
        ("resource.nothing", "CKV_AWS_150", None),
    ],
)
def test_a_finding_is_matched_to_its_recorded_skip(resource: str, check_id: str, reason: str | None) -> None:
    assert _recorded_skip(SKIPS, _finding(check_id, resource)) == reason


STACK = {
    "resource": {
        "aws_lb": {"alb": {}},
        "aws_s3_bucket": {"logs": {}, "data": {}},
        "aws_s3_bucket_policy": {"logs": {}},
    }
}


def test_addresses_by_name() -> None:
    assert _addresses_by_name(STACK) == {
        "alb": ["aws_lb.alb"],
        "logs": ["aws_s3_bucket.logs", "aws_s3_bucket_policy.logs"],
        "data": ["aws_s3_bucket.data"],
    }
    assert _addresses_by_name({}) == {}


@pytest.mark.parametrize(
    ("resource", "address"),
    [
        ("resource.alb", "aws_lb.alb"),
        ("resource.data", "aws_s3_bucket.data"),
        ("resource.logs", "resource.logs"),  # ambiguous: left as Checkov named it
        ("resource.gone", "resource.gone"),
        ("aws_lb.alb", "aws_lb.alb"),
        ("module.alb", "module.alb"),
    ],
)
def test_a_short_finding_gets_its_full_address_back(resource: str, address: str) -> None:
    assert _full_address(resource, _addresses_by_name(STACK)) == address


def test_source_lines_from_the_stack_map_else_per_resource() -> None:
    stack_map = {"//": {"stackkit_sources": {"aws_lb.alb": "app.py:12"}}, "resource": {"aws_lb": {"alb": {}}}}
    assert source_lines(stack_map) == {"aws_lb.alb": "app.py:12"}
    per_resource = {
        "resource": {
            "aws_lb": {"alb": {"//": {"stackkit_source": "app.py:3"}}, "nlb": {}},
            "aws_s3_bucket": {"b": {"//": {"stackkit_source": 7}}},
        }
    }
    assert source_lines(per_resource) == {"aws_lb.alb": "app.py:3"}
    assert source_lines({"//": "not a map"}) == {}
    assert source_lines({"//": {"stackkit_sources": ["not", "a", "map"]}}) == {}


def _write(root: Path, name: str, body: object) -> Path:
    path = root / name / "cdk.tf.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(body))
    return path


def test_stack_files_and_select_stacks(tmp_path: Path) -> None:
    with pytest.raises(CheckovError) as caught:
        stack_files(tmp_path)
    assert str(caught.value) == f"no */cdk.tf.json under {tmp_path}: synthesize first"
    prod, dev = _write(tmp_path, "prod", {}), _write(tmp_path, "dev", {})
    (tmp_path / "notes").mkdir()
    files = stack_files(tmp_path)
    assert files == {"dev": dev, "prod": prod}
    assert list(files) == ["dev", "prod"]
    assert select_stacks(files, None) == files
    assert select_stacks(files, ()) == files
    assert select_stacks(files, ("prod",)) == {"prod": prod}
    with pytest.raises(CheckovError) as refused:
        select_stacks(files, ("prod", "qa", "test"))
    assert str(refused.value) == "no stack named qa, test; the app wrote: dev, prod"
    with pytest.raises(CheckovError) as none:
        select_stacks({}, ("qa",))
    assert str(none.value) == "no stack named qa; the app wrote: none"


def test_read_json_names_the_file_that_is_not_json(tmp_path: Path) -> None:
    path = _write(tmp_path, "prod", {"resource": {}})
    assert _read_json(path) == {"resource": {}}
    path.write_text('{"resource": ')
    with pytest.raises(CheckovError) as caught:
        _read_json(path)
    assert str(caught.value).startswith(f"{path} is not valid JSON: Expecting value: line 1 column 14")


def test_scannable_renames_state_move_blocks_on_the_same_lines() -> None:
    text = (
        '{\n  "import": [\n    {"to": "aws_s3_bucket.b", "id": "b"}\n  ],\n'
        '  "moved": [],\n  "removed": [],\n  "resource": {\n    "import": {}\n  }\n}'
    )
    assert scannable(text) == (
        '{\n  "//": [\n    {"to": "aws_s3_bucket.b", "id": "b"}\n  ],\n'
        '  "//": [],\n  "//": [],\n  "resource": {\n    "import": {}\n  }\n}'
    )
