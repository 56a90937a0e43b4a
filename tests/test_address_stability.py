"""Terraform addresses of stateful resources must not change: a changed address makes
Terraform destroy the old resource (a database, its key, its data) and create a new one.

When an address change is deliberate, regenerate with
``STACKKIT_UPDATE_SNAPSHOTS=1 npm test -- tests/test_address_stability.py`` and write an
upgrade note (``moved`` blocks or ``terraform state mv``) in the CHANGELOG.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.conftest import StackJson

SNAPSHOT = Path(__file__).parent / "snapshots" / "stateful_addresses.json"

#: Resource types whose replacement loses data, money or availability.
STATEFUL_TYPES = (
    "aws_vpc",
    "aws_subnet",
    "aws_nat_gateway",
    "aws_eip",
    "aws_kms_key",
    "aws_cloudwatch_log_group",
    "aws_db_instance",
    "aws_db_parameter_group",
    "aws_db_subnet_group",
    "aws_elasticache_replication_group",
    "aws_elasticache_subnet_group",
    "aws_elasticache_parameter_group",
    "aws_secretsmanager_secret",
    "aws_ecs_cluster",
    "aws_ecs_service",
    "aws_ecr_repository",
    "aws_s3_bucket",
    "aws_lb",
    "aws_sns_topic",
    # What guards data or access: re-created at a new address, the old one is deleted after
    # (or before) the new one is put, leaving the bucket or the network briefly unprotected.
    "aws_kms_alias",
    "aws_s3_bucket_policy",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_versioning",
    "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_lifecycle_configuration",
    "aws_security_group",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
    "aws_sns_topic_policy",
    "aws_secretsmanager_secret_version",
    "aws_iam_role",
    "aws_iam_role_policy",
    "aws_default_security_group",  # strips AWS's allow-all default rules
    "aws_lb_listener",  # HTTPS termination and the HTTP-to-HTTPS redirect
    "aws_wafv2_web_acl",
    "aws_wafv2_web_acl_association",
    "aws_flow_log",  # the network's audit trail
    # Disaster recovery: the vaults hold the recovery points; the policy and lock guard them.
    "aws_backup_vault",
    "aws_backup_vault_policy",
    "aws_backup_vault_lock_configuration",
)


def stateful_addresses(stacks: dict[str, StackJson]) -> dict[str, list[str]]:
    return {
        env: sorted(
            f"{resource_type}.{name}"
            for resource_type in STATEFUL_TYPES
            for name in stack.get("resource", {}).get(resource_type, {})
        )
        for env, stack in stacks.items()
    }


def test_stateful_addresses_are_unchanged(stacks: dict[str, StackJson]) -> None:
    current = stateful_addresses(stacks)
    if os.environ.get("STACKKIT_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(json.dumps(current, indent=2) + "\n")
    recorded = json.loads(SNAPSHOT.read_text())
    for env in current:
        missing = sorted(set(recorded.get(env, [])) - set(current[env]))
        added = sorted(set(current[env]) - set(recorded.get(env, [])))
        assert missing == [], f"{env}: these stateful resources would be DESTROYED: {missing}"
        assert added == [], f"{env}: new stateful resources; record them in the snapshot: {added}"
