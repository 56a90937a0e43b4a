"""The replacement table's rows (issue 25: each prediction mismatch is a missing row): for every
row added for the types stackkit creates or teams commonly rename, a hand-written before/after pair
whose change the guard predicts as a replacement, with the reason spelled out. The rows' sources
(the AWS provider's argument reference, ``ForceNew`` in its schema) sit next to them in
``stackkit/policy/replacement_table.py``."""

from __future__ import annotations

from typing import Any

import pytest

from stackkit.policy.replacement import diff_outputs
from stackkit.policy.replacement_table import FORCES_REPLACEMENT, IDENTITY_KEYS

ROLE = {"assume_role_policy": '{"Statement": []}'}
GROUP = {"description": "api: tasks to database", "vpc_id": "${aws_vpc.main.id}"}
QUEUE = {"message_retention_seconds": 345600}
BALANCER = {"load_balancer_type": "application", "internal": False, "subnets": ["${aws_subnet.a.id}"]}

ROWS = [
    # (type, body before, the change, the reason)
    (
        "aws_iam_role",
        {**ROLE, "name": "shop-api-task"},
        {"name": "shop-api-exec"},
        'name "shop-api-task" -> "shop-api-exec"',
    ),
    (
        "aws_iam_role",
        {**ROLE, "name_prefix": "shop-"},
        {"name_prefix": "store-"},
        'name_prefix "shop-" -> "store-"',
    ),
    (
        "aws_iam_role",
        {**ROLE, "name": "ci-plan", "path": "/"},
        {"path": "/github/"},
        'path "/" -> "/github/"',
    ),
    (
        "aws_kms_alias",
        {"name": "alias/shop-db", "target_key_id": "k"},
        {"name": "alias/store-db"},
        'name "alias/shop-db" -> "alias/store-db"',
    ),
    (
        "aws_kms_alias",
        {"name_prefix": "alias/shop-", "target_key_id": "k"},
        {"name_prefix": "alias/store-"},
        'name_prefix "alias/shop-" -> "alias/store-"',
    ),
    (
        "aws_db_subnet_group",
        {"name": "shop-db", "subnet_ids": []},
        {"name": "store-db"},
        'name "shop-db" -> "store-db"',
    ),
    (
        "aws_db_subnet_group",
        {"name_prefix": "shop-", "subnet_ids": []},
        {"name_prefix": "store-"},
        'name_prefix "shop-" -> "store-"',
    ),
    (
        "aws_elasticache_subnet_group",
        {"name": "shop-cache", "subnet_ids": []},
        {"name": "store-cache"},
        'name "shop-cache" -> "store-cache"',
    ),
    (
        "aws_security_group",
        {**GROUP, "name": "shop-api"},
        {"name": "store-api"},
        'name "shop-api" -> "store-api"',
    ),
    (
        "aws_security_group",
        {**GROUP, "name_prefix": "shop-"},
        {"name_prefix": "store-"},
        'name_prefix "shop-" -> "store-"',
    ),
    (
        "aws_security_group",
        {**GROUP, "name": "api"},
        {"description": "api: tasks"},
        'description "api: tasks to database" -> "api: tasks"',
    ),
    (
        "aws_security_group",
        {**GROUP, "name": "api"},
        {"vpc_id": "${aws_vpc.other.id}"},
        'vpc_id "${aws_vpc.main.id}" -> "${aws_vpc.other.id}"',
    ),
    (
        "aws_sqs_queue",
        {**QUEUE, "name": "shop-jobs"},
        {"name": "store-jobs"},
        'name "shop-jobs" -> "store-jobs"',
    ),
    (
        "aws_sqs_queue",
        {**QUEUE, "name_prefix": "shop-"},
        {"name_prefix": "store-"},
        'name_prefix "shop-" -> "store-"',
    ),
    ("aws_sqs_queue", {**QUEUE, "name": "jobs.fifo"}, {"fifo_queue": True}, "fifo_queue (unset) -> true"),
    (
        "aws_sns_topic",
        {"name": "shop-alerts"},
        {"name": "store-alerts"},
        'name "shop-alerts" -> "store-alerts"',
    ),
    ("aws_sns_topic", {"name_prefix": "shop-"}, {"name_prefix": "store-"}, 'name_prefix "shop-" -> "store-"'),
    (
        "aws_sns_topic",
        {"name": "alerts.fifo", "fifo_topic": False},
        {"fifo_topic": True},
        "fifo_topic false -> true",
    ),
    ("aws_lb", {**BALANCER, "name": "shop-api"}, {"name": "store-api"}, 'name "shop-api" -> "store-api"'),
    (
        "aws_lb",
        {**BALANCER, "name_prefix": "shop-"},
        {"name_prefix": "store-"},
        'name_prefix "shop-" -> "store-"',
    ),
    ("aws_lb", {**BALANCER, "name": "api"}, {"internal": True}, "internal false -> true"),
    (
        "aws_lb",
        {**BALANCER, "name": "api"},
        {"load_balancer_type": "network"},
        'load_balancer_type "application" -> "network"',
    ),
    ("aws_ecs_cluster", {"name": "shop"}, {"name": "store"}, 'name "shop" -> "store"'),
    (
        "aws_secretsmanager_secret",
        {"name_prefix": "shop/db-"},
        {"name_prefix": "store/db-"},
        'name_prefix "shop/db-" -> "store/db-"',
    ),
    (
        "aws_ecr_repository",
        {"name": "shop-api", "encryption_configuration": [{"encryption_type": "AES256"}]},
        {"encryption_configuration": [{"encryption_type": "KMS", "kms_key": "${aws_kms_key.ecr.arn}"}]},
        'encryption_configuration [{"encryption_type": "AES256"}] -> [{"encryption_type": "KMS", "kms_key": '
        '"${aws_kms_key.ecr.arn}"}]',
    ),
]


@pytest.mark.parametrize(
    ("resource_type", "before", "change", "details"),
    ROWS,
    ids=[f"{row[0]}.{next(iter(row[2]))}" for row in ROWS],
)
def test_a_change_of_a_forcing_attribute_is_a_predicted_replacement(
    resource_type: str, before: dict[str, Any], change: dict[str, Any], details: str
) -> None:
    result = diff_outputs(
        {"app": {"resource": {resource_type: {"x": before}}}},
        {"app": {"resource": {resource_type: {"x": {**before, **change}}}}},
    )
    assert {risk.address: risk.reason for risk in result.risks} == {
        f"{resource_type}.x": f"replaced: {details} forces a new resource"
    }


def test_every_added_row_has_its_test() -> None:
    tested = {(row[0], next(iter(row[2]))) for row in ROWS}
    added = {
        "aws_iam_role": {"name", "name_prefix", "path"},
        "aws_kms_alias": {"name", "name_prefix"},
        "aws_db_subnet_group": {"name", "name_prefix"},
        "aws_elasticache_subnet_group": {"name"},
        "aws_security_group": {"name", "name_prefix", "description", "vpc_id"},
        "aws_sqs_queue": {"name", "name_prefix", "fifo_queue"},
        "aws_sns_topic": {"name", "name_prefix", "fifo_topic"},
        "aws_lb": {"name", "name_prefix", "internal", "load_balancer_type"},
        "aws_ecs_cluster": {"name"},
    }
    for resource_type, attributes in added.items():
        assert set(FORCES_REPLACEMENT[resource_type]) == attributes
    assert {"name", "name_prefix"} == set(FORCES_REPLACEMENT["aws_secretsmanager_secret"])
    assert {"name", "encryption_configuration"} == set(FORCES_REPLACEMENT["aws_ecr_repository"])
    expected = {(t, a) for t, attributes in added.items() for a in attributes}
    expected |= {
        ("aws_secretsmanager_secret", "name_prefix"),
        ("aws_ecr_repository", "encryption_configuration"),
    }
    assert tested == expected


def test_a_security_group_with_a_name_prefix_created_first_is_replaced_safely() -> None:
    body = {**GROUP, "name_prefix": "api-", "lifecycle": {"create_before_destroy": True}}
    result = diff_outputs(
        {"app": {"resource": {"aws_security_group": {"api": body}}}},
        {"app": {"resource": {"aws_security_group": {"api": {**body, "description": "api: tasks"}}}}},
    )
    assert (result.risks, result.stacks["app"].changed) == ([], {"aws_security_group.api": ["description"]})


def test_which_names_are_one_object_in_aws() -> None:
    # A role's, a queue's, a topic's, an alias's or a subnet group's name is unique in its account
    # (and region): the same literal name at a new address is the same object. A security group's
    # is unique per VPC only.
    assert {
        resource_type: IDENTITY_KEYS[resource_type]
        for resource_type in (
            "aws_iam_role",
            "aws_kms_alias",
            "aws_db_subnet_group",
            "aws_elasticache_subnet_group",
            "aws_security_group",
            "aws_sqs_queue",
            "aws_sns_topic",
            "aws_lb",
            "aws_ecs_cluster",
            "aws_db_instance",
            "aws_s3_bucket",
        )
    } == {
        "aws_iam_role": ("name",),
        "aws_kms_alias": ("name",),
        "aws_db_subnet_group": ("name",),
        "aws_elasticache_subnet_group": ("name",),
        "aws_security_group": (),
        "aws_sqs_queue": ("name",),
        "aws_sns_topic": ("name",),
        "aws_lb": ("name",),
        "aws_ecs_cluster": ("name",),
        "aws_db_instance": ("identifier",),
        "aws_s3_bucket": ("bucket",),
    }


def test_a_role_that_keeps_its_name_at_a_new_address_is_moved_without_a_block() -> None:
    before = {"app": {"resource": {"aws_iam_role": {"api_task": {**ROLE, "name": "shop-api-task"}}}}}
    after = {
        "app": {
            "resource": {
                "aws_iam_role": {"task": {**ROLE, "name": "shop-api-task", "max_session_duration": 7200}}
            }
        }
    }
    assert {risk.address: risk.reason for risk in diff_outputs(before, after).risks} == {
        "aws_iam_role.api_task": "address moved to aws_iam_role.task without a moved block: Terraform "
        "destroys and re-creates it"
    }
