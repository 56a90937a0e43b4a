"""``terraform show -json PLANFILE`` documents for the tests, written from Terraform's *JSON Output
Format* page (https://developer.hashicorp.com/terraform/internals/json-format), not from a live
plan: the plan representation (``format_version``, ``prior_state``, ``configuration``,
``planned_values``, ``resource_changes``), each resource change (``address``, ``mode``, ``type``,
``name``, ``provider_name``, ``change``, optional ``action_reason``, ``module_address``,
``deposed``) and the change representation (``actions``, ``before``, ``after``,
``after_unknown``, ``before_sensitive``, ``after_sensitive``, ``replace_paths``).

The stack they go with: :data:`BASE` (a database, its log group, a security group, a task
definition) and HEAD variants of it, in the shape of a synthesized ``cdk.tf.json``.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from tests.policy.test_policies import PROTECTED, stack

#: The database's address in BASE.
DB = "aws_db_instance.shop_db"
DATABASE = {
    "identifier": "shop-db",
    "engine": "postgres",
    "engine_version": "15",
    "instance_class": "db.t3.medium",
    "allocated_storage": 20,
    "storage_type": "gp3",
    "storage_encrypted": True,
    "db_subnet_group_name": "shop-db",
    **PROTECTED,
}
BASE = stack(
    {
        "aws_db_instance": {"shop_db": DATABASE},
        "aws_cloudwatch_log_group": {
            "shop_app": {"name": "/shop/app", "retention_in_days": 365, **PROTECTED}
        },
        "aws_security_group": {"shop_web": {"name": "shop-web", "description": "web", "vpc_id": "vpc-1"}},
        "aws_ecs_task_definition": {"shop_app": {"family": "shop-app", "container_definitions": "[]"}},
    }
)


def head_with(**changes: dict[str, Any]) -> dict[str, Any]:
    """BASE with attributes changed: ``head_with(aws_db_instance={"engine": "mysql"})`` changes
    the one resource of that type."""
    head = copy.deepcopy(BASE)
    for resource_type, attributes in changes.items():
        (body,) = head["resource"][resource_type].values()
        body.update(attributes)
    return head


def resource_change(
    address: str,
    actions: list[str],
    *,
    replace_paths: list[list[str | int]] | None = None,
    action_reason: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """One element of ``resource_changes`` (a root-module managed resource unless ``extra`` says)."""
    resource_type, name = address.split(".")[-2:]
    change: dict[str, Any] = {
        "actions": actions,
        "before": None if actions == ["create"] else {"id": "before-id"},
        "after": None if actions == ["delete"] else {"id": None},
        "after_unknown": {} if actions == ["delete"] else {"id": True},
        "before_sensitive": {},
        "after_sensitive": {},
    }
    if replace_paths is not None:
        change["replace_paths"] = replace_paths
    entry: dict[str, Any] = {
        "address": address,
        "mode": "managed",
        "type": resource_type,
        "name": name.split("[")[0],
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": change,
        **extra,
    }
    if action_reason is not None:
        entry["action_reason"] = action_reason
    return entry


NO_OP = {
    "aws_db_instance.shop_db": ["no-op"],
    "aws_cloudwatch_log_group.shop_app": ["no-op"],
    "aws_security_group.shop_web": ["no-op"],
    "aws_ecs_task_definition.shop_app": ["no-op"],
}


def plan_document(*changes: dict[str, Any], untouched: bool = True) -> dict[str, Any]:
    """A plan whose ``resource_changes`` are ``changes`` plus a no-op for every other resource of
    BASE ("All resources in the configuration are included in this list")."""
    named = {change["address"] for change in changes}
    rest = (
        [resource_change(a, actions) for a, actions in NO_OP.items() if a not in named] if untouched else []
    )
    return {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "planned_values": {"root_module": {"resources": []}},
        "resource_changes": [*changes, *rest],
        "prior_state": {"format_version": "1.0", "values": {"root_module": {"resources": []}}},
        "configuration": {"root_module": {"resources": []}},
        "applyable": True,
        "complete": True,
        "errored": False,
    }


def write_stacks(root: Path, stacks: dict[str, dict[str, Any]]) -> Path:
    """``root/stacks/<name>/cdk.tf.json`` for each stack: a cdktf.out folder."""
    for name, body in stacks.items():
        (root / "stacks" / name).mkdir(parents=True, exist_ok=True)
        (root / "stacks" / name / "cdk.tf.json").write_text(json.dumps(body, indent=2))
    return root


def write_plan(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(json.dumps(document, indent=2))
    return path
