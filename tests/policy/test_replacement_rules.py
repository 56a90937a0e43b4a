"""The replacement guard's rules on hand-written Terraform JSON (no synthesis): what counts as
added, removed, changed, moved and forgotten, when a change is a replacement and how it is
worded, when a replacement is safe, and the whole report as a team reads it. Every expected line
is written out by hand."""

from __future__ import annotations

from typing import Any

import pytest

from stackkit.policy.replacement import (
    DiffResult,
    Risk,
    diff_outputs,
    forgotten_addresses,
    render_diff,
    replaced_safely,
    resources_of,
)

CBD = {"lifecycle": {"create_before_destroy": True}}


def one(resource_type: str, name: str, body: dict[str, Any], **blocks: Any) -> dict[str, Any]:
    return {"app": {"resource": {resource_type: {name: body}}, **blocks}}


def reasons(result: DiffResult) -> dict[str, str]:
    return {risk.address: risk.reason for risk in result.risks}


# --- the whole report -----------------------------------------------------------------------------


def shop_db(engine_version: str, instance_class: str) -> dict[str, Any]:
    return {
        "identifier": "shop-db",
        "engine": "postgres",
        "engine_version": engine_version,
        "instance_class": instance_class,
    }


BASE: dict[str, dict[str, Any]] = {
    "app": {
        "resource": {
            "aws_db_instance": {"shop_db": shop_db("15", "db.t3.medium")},
            "aws_kms_key": {"old_key": {"description": "shop key", "enable_key_rotation": True}},
            "aws_cloudwatch_metric_alarm": {"cpu": {"threshold": 80}, "memory": {"threshold": 90}},
            "aws_ecr_repository": {"api": {"name": "shop-api"}},
            "aws_security_group": {
                "web": {"name": "web", "description": "web", "vpc_id": "${aws_vpc.main.id}"}
            },
        }
    },
    "old": {"resource": {"aws_s3_bucket": {"logs": {"bucket": "shop-logs"}}}},
}
HEAD: dict[str, dict[str, Any]] = {
    "app": {
        "resource": {
            "aws_db_instance": {"shop_db": shop_db("16", "db.t3.large")},
            "aws_kms_key": {"new_key": {"description": "shop key", "enable_key_rotation": True}},
            "aws_cloudwatch_metric_alarm": {"cpu": {"threshold": 70}},
            "aws_sns_topic": {"alerts": {"name": "shop-alerts"}},
            "aws_security_group": {
                "web": {"name": "web-v2", "description": "web", "vpc_id": "${aws_vpc.main.id}"}
            },
        },
        "moved": [
            {"from": "aws_kms_key.old_key", "to": "aws_kms_key.new_key"},
            {"from": "aws_vpc.gone", "to": "aws_vpc.nowhere"},
        ],
        "removed": [{"from": "aws_ecr_repository.api", "lifecycle": {"destroy": False}}],
    }
}


def test_the_report_lists_every_kind_of_change_per_stack_and_what_to_acknowledge() -> None:
    # "aws_sg.web" is 0.625 like aws_security_group.web (difflib: 2 x 10 matching characters / 32):
    # below the 0.8 needed for a suggestion. "aws_security.web" is 0.842: suggested.
    allowed = ("old/aws_s3_bucket.logs", "aws_sg.web", "aws_security.web")
    assert render_diff(diff_outputs(BASE, HEAD), allowed).splitlines() == [
        "== app: 1 added, 1 removed, 3 changed, 1 moved (moved blocks)",
        "   + aws_sns_topic.alerts",
        "   - aws_cloudwatch_metric_alarm.memory",
        "   ~ aws_cloudwatch_metric_alarm.cpu: threshold",
        "   ~ aws_db_instance.shop_db: engine_version, instance_class",
        "   ~ aws_security_group.web: name",
        "   > aws_kms_key.old_key -> aws_kms_key.new_key",
        "   = aws_ecr_repository.api: leaves this state, not destroyed (removed block)",
        "   ! moved block aws_vpc.gone -> aws_vpc.nowhere: neither address is in these configurations; the "
        "block does nothing (remove it once no state holds the old address)",
        '   RISK aws_security_group.web: replaced: name "web" -> "web-v2" forces a new resource',
        "== old: 0 added, 1 removed, 0 changed, 0 moved (moved blocks)",
        "   - aws_s3_bucket.logs",
        "   ACKNOWLEDGED aws_s3_bucket.logs: removed: Terraform destroys it",
        "1 stateful resource(s) would be destroyed or replaced. If that is intended, acknowledge each one:",
        "   --allow-replace app/aws_security_group.web",
        "UNUSED --allow-replace aws_sg.web: nothing in this diff is destroyed or replaced at that address; "
        "remove it, or its `stackkit-allow-replace: aws_sg.web` line in the pull request description",
        "UNUSED --allow-replace aws_security.web: nothing in this diff is destroyed or replaced at that "
        "address; remove it, or its `stackkit-allow-replace: aws_security.web` line in the pull request "
        "description (did you mean aws_security_group.web?)",
    ]


def test_the_risks_carry_their_stack() -> None:
    result = diff_outputs(BASE, HEAD)
    assert result.risks == [
        Risk("app", "aws_security_group.web", 'replaced: name "web" -> "web-v2" forces a new resource'),
        Risk("old", "aws_s3_bucket.logs", "removed: Terraform destroys it"),
    ]
    assert [(name, diff.stack) for name, diff in result.stacks.items()] == [("app", "app"), ("old", "old")]
    assert [risk.key for risk in result.risks] == ["app/aws_security_group.web", "old/aws_s3_bucket.logs"]


def test_a_stack_only_in_the_head_is_all_added() -> None:
    result = diff_outputs({}, {"new": BASE["old"]})
    assert (result.stacks["new"].added, result.risks) == (["aws_s3_bucket.logs"], [])


# --- how a replacement is worded ------------------------------------------------------------------


def test_every_forcing_attribute_is_named_with_both_values() -> None:
    before = one("aws_db_instance", "shop_db", {"engine": "postgres", "storage_encrypted": True})
    after = one(
        "aws_db_instance",
        "shop_db",
        {"engine": "mysql", "storage_encrypted": False, "availability_zone": "us-east-1a"},
    )
    assert reasons(diff_outputs(before, after)) == {
        "aws_db_instance.shop_db": 'replaced: availability_zone (unset) -> "us-east-1a", engine "postgres" '
        '-> "mysql", storage_encrypted true -> false forces a new resource'
    }


def test_a_fixed_name_without_create_before_destroy_is_a_plain_replacement() -> None:
    before = one("aws_cloudwatch_log_group", "api_logs", {"name": "/ecs/shop-api", "retention_in_days": 30})
    after = one("aws_cloudwatch_log_group", "api_logs", {"name": "/ecs/store-api", "retention_in_days": 30})
    assert reasons(diff_outputs(before, after)) == {
        "aws_cloudwatch_log_group.api_logs": 'replaced: name "/ecs/shop-api" -> "/ecs/store-api" forces a '
        "new resource"
    }


def test_a_fixed_name_with_create_before_destroy_collides() -> None:
    body = {"name": "api-tg", "port": 3000, "protocol": "HTTP", **CBD}
    before = one("aws_lb_target_group", "api_tg", body)
    after = one("aws_lb_target_group", "api_tg", {**body, "port": 8080})
    assert reasons(diff_outputs(before, after)) == {
        "aws_lb_target_group.api_tg": "replaced: port 3000 -> 8080 forces a new resource; with "
        'create_before_destroy and the fixed name "api-tg" the new one collides with the old one (use '
        "name_prefix)"
    }


def test_an_attribute_only_one_side_has_is_a_change() -> None:
    before = one("aws_cloudwatch_metric_alarm", "cpu", {"threshold": 80})
    after = one("aws_cloudwatch_metric_alarm", "cpu", {"threshold": 80, "treat_missing_data": "breaching"})
    result = diff_outputs(before, after)
    assert (result.stacks["app"].changed, result.risks) == (
        {"aws_cloudwatch_metric_alarm.cpu": ["treat_missing_data"]},
        [],
    )


# --- safe replacements ----------------------------------------------------------------------------


def test_a_safe_replacement_does_not_hide_the_next_one() -> None:
    safe = {"name_prefix": "a-", "family": "postgres15", **CBD}
    risky = {"name_prefix": "b-", "family": "postgres15"}
    before = {"app": {"resource": {"aws_db_parameter_group": {"a": safe, "b": risky}}}}
    after = {
        "app": {
            "resource": {
                "aws_db_parameter_group": {
                    "a": {**safe, "family": "postgres16"},
                    "b": {**risky, "family": "postgres16"},
                }
            }
        }
    }
    assert reasons(diff_outputs(before, after)) == {
        "aws_db_parameter_group.b": 'replaced: family "postgres15" -> "postgres16" forces a new resource'
    }


def test_a_stateful_resource_is_never_replaced_safely() -> None:
    # A log group with a name prefix, created before the old one goes: the old one's logs still go.
    body = {"name_prefix": "/ecs/shop-", "retention_in_days": 30, **CBD}
    before = one("aws_cloudwatch_log_group", "api_logs", body)
    after = one("aws_cloudwatch_log_group", "api_logs", {**body, "name_prefix": "/ecs/store-"})
    assert reasons(diff_outputs(before, after)) == {
        "aws_cloudwatch_log_group.api_logs": 'replaced: name_prefix "/ecs/shop-" -> "/ecs/store-" forces '
        "a new resource"
    }
    renamed = diff_outputs(
        one("aws_cloudwatch_log_group", "shop_logs", {**body}),
        one("aws_cloudwatch_log_group", "store_logs", {**body, "name_prefix": "/ecs/store-"}),
    )
    (rename,) = renamed.stacks["app"].renamed
    assert (rename.old, rename.new, rename.forcing) == (
        "aws_cloudwatch_log_group.shop_logs",
        "aws_cloudwatch_log_group.store_logs",
        ("name_prefix",),
    )


@pytest.mark.parametrize(
    ("resource_type", "body", "safe"),
    [
        ("aws_lb_target_group", {"name_prefix": "api-", **CBD}, True),
        ("aws_lb_target_group", {"name_prefix": "api-"}, False),  # old one deleted first
        ("aws_lb_target_group", {"name": "api", **CBD}, False),  # the fixed name collides
        # Both given (Terraform refuses the pair at plan time): the fixed name still collides.
        ("aws_lb_target_group", {"name": "api", "name_prefix": "api-", **CBD}, False),
        ("aws_lb_target_group", {**CBD}, False),  # a name Terraform picks: not known to be unique
        ("aws_cloudwatch_log_group", {"name_prefix": "/ecs/api-", **CBD}, False),  # holds data
        (
            "aws_lb_target_group",
            {"name_prefix": "api-", "lifecycle": {"create_before_destroy": False}},
            False,
        ),
    ],
)
def test_which_replacements_are_safe(resource_type: str, body: dict[str, Any], safe: bool) -> None:
    assert replaced_safely(resource_type, body) is safe


def test_a_rename_of_a_type_without_forcing_attributes_forces_nothing() -> None:
    policy = '{"Statement": [{"Resource": "arn:aws:logs:*:*:log-group:/ecs/shop-api:*"}]}'
    before = one("aws_iam_role_policy", "shop_api_logs", {"name": "shop-api-logs", "policy": policy})
    after = one(
        "aws_iam_role_policy",
        "store_api_logs",
        {"name": "store-api-logs", "policy": policy.replace("shop", "store")},
    )
    (rename,) = diff_outputs(before, after).stacks["app"].renamed
    assert (rename.changed, rename.forcing) == (("name", "policy"), ())


# --- forgotten, removed, and what is no resource --------------------------------------------------


def test_a_keeping_removed_block_for_an_address_still_there_or_never_there_forgets_nothing() -> None:
    repository = {"name": "shop-api"}
    keep = [
        {"from": "aws_ecr_repository.api", "lifecycle": {"destroy": False}},
        {"from": "aws_ecr_repository.never", "lifecycle": {"destroy": False}},
    ]
    result = diff_outputs(
        one("aws_ecr_repository", "api", repository),
        one("aws_ecr_repository", "api", repository, removed=keep),
    )
    assert (result.stacks["app"].forgotten, result.stacks["app"].removed) == ([], [])


def test_only_a_removed_block_that_keeps_the_object_forgets_it() -> None:
    stack = {
        "removed": [
            {"from": "aws_s3_bucket.kept", "lifecycle": {"destroy": False}},
            {"from": "aws_s3_bucket.destroyed", "lifecycle": {"destroy": True}},
            {"from": "aws_s3_bucket.default"},
            {"from": "aws_s3_bucket.no_lifecycle", "lifecycle": "keep"},
            {"lifecycle": {"destroy": False}},
            "aws_s3_bucket.not_a_block",
        ]
    }
    assert forgotten_addresses(stack) == {"aws_s3_bucket.kept"}
    assert forgotten_addresses({}) == set()


def test_cdktf_metadata_is_no_part_of_a_resource() -> None:
    stack = {
        "resource": {
            "aws_s3_bucket": {"logs": {"//": {"metadata": {"path": "app/logs"}}, "bucket": "shop-logs"}}
        }
    }
    assert resources_of(stack) == {"aws_s3_bucket.logs": {"bucket": "shop-logs"}}
    assert resources_of({}) == {}
