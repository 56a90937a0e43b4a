"""Backup (issue 17): vaults with their own keys, the plan, the copy to the DR region, the vault
policy, the lock, the failed-job alarms; the environment settings and their validation."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest

from stackkit import Backup, BackupProps, BackupSettings, ValidationError
from stackkit._private.cdk import AwsProvider, TerraformStack
from stackkit.constructs.backup import PROTECTED_VAULT_ACTIONS, ComplianceLockWarning
from stacks.environments import load_environment
from tests.conftest import StackJson, ref, resources
from tests.synth_helpers import synth_stack

DB_ARN = "arn:aws:rds:us-east-1:123456789012:db:shop-db"


def _policy(body: dict[str, Any]) -> dict[str, Any]:
    (statement,) = json.loads(body["policy"])["Statement"]
    result: dict[str, Any] = statement
    return result


def _providers(stack: StackJson) -> dict[str, dict[str, Any]]:
    return {provider.get("alias", "default"): provider for provider in stack["provider"]["aws"]}


def test_prod_copies_every_recovery_point_to_a_vault_in_the_dr_region(stacks: dict[str, StackJson]) -> None:
    stack = stacks["prod"]
    (plan,) = resources(stack, "aws_backup_plan").values()
    (rule,) = plan["rule"]
    assert rule["schedule"] == "cron(0 6 * * ? *)"
    assert rule["lifecycle"] == {"delete_after": 35}
    assert ref(rule["target_vault_name"]) == "aws_backup_vault.stackkit_backup_vault"
    (copy,) = rule["copy_action"]
    assert ref(copy["destination_vault_arn"]) == "aws_backup_vault.stackkit_backup_dr_vault"
    dr_vault = resources(stack, "aws_backup_vault")["stackkit_backup_dr_vault"]
    assert dr_vault["provider"] == "aws.dr"
    providers = _providers(stack)
    assert providers["dr"]["region"] == "us-west-2" != providers["default"]["region"]
    assert providers["dr"]["allowed_account_ids"] == providers["default"]["allowed_account_ids"]
    assert providers["dr"]["default_tags"] == providers["default"]["default_tags"]
    # The database is what the plan selects.
    (selection,) = resources(stack, "aws_backup_selection").values()
    assert [ref(arn) for arn in selection["resources"]] == ["aws_db_instance.stackkit_db"]
    assert ref(selection["plan_id"]) == "aws_backup_plan.stackkit_backup_plan"


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_every_vault_has_its_own_rotating_protected_key(stacks: dict[str, StackJson], env: str) -> None:
    stack = stacks[env]
    vaults = resources(stack, "aws_backup_vault")
    assert sorted(vaults) == (
        ["stackkit_backup_dr_vault", "stackkit_backup_vault"] if env == "prod" else ["stackkit_backup_vault"]
    )
    keys = resources(stack, "aws_kms_key")
    for name, vault in vaults.items():
        key_address = ref(vault["kms_key_arn"])
        assert key_address.startswith("aws_kms_key.stackkit_backup")
        key = keys[key_address.split(".")[1]]
        assert key["enable_key_rotation"] is True
        assert key["lifecycle"] == vault["lifecycle"] == {"prevent_destroy": True}
        assert vault["force_destroy"] is False
        assert key.get("provider") == vault.get("provider"), name  # key and vault in one region
    # One key per vault: a key is never shared with the data it protects.
    assert len({vault["kms_key_arn"] for vault in vaults.values()}) == len(vaults)
    assert "stackkit_db_key" not in {ref(vault["kms_key_arn"]).split(".")[1] for vault in vaults.values()}


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_only_the_break_glass_principal_may_delete_recovery_points(
    stacks: dict[str, StackJson], env: str
) -> None:
    policies = resources(stacks[env], "aws_backup_vault_policy")
    assert len(policies) == (2 if env == "prod" else 1)
    for body in policies.values():
        statement = _policy(body)
        assert statement["Effect"] == "Deny"
        assert statement["Principal"] == "*" and statement["Resource"] == "*"
        assert set(statement["Action"]) == set(PROTECTED_VAULT_ACTIONS)
        assert "backup:DeleteRecoveryPoint" in statement["Action"]
        exempt = statement["Condition"]["ArnNotEquals"]["aws:PrincipalArn"]
        if env == "prod":
            assert exempt == "arn:aws:iam::333333333333:role/break-glass/stackkit-prod"
        else:  # no break-glass role configured: only the account root
            assert exempt.endswith(":root}") or exempt.endswith(":root"), exempt


def test_prod_locks_both_vaults_in_governance_mode(stacks: dict[str, StackJson]) -> None:
    locks = resources(stacks["prod"], "aws_backup_vault_lock_configuration")
    assert sorted(locks) == ["stackkit_backup_dr_vault_lock", "stackkit_backup_vault_lock"]
    for lock in locks.values():
        assert lock["min_retention_days"] == 35
        assert "changeable_for_days" not in lock  # governance: no immutable date
    for env in ("dev", "staging"):
        assert resources(stacks[env], "aws_backup_vault_lock_configuration") == {}
        (plan,) = resources(stacks[env], "aws_backup_plan").values()
        assert "copy_action" not in plan["rule"][0]


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_failed_backup_and_copy_jobs_alarm_on_the_alert_topic(stacks: dict[str, StackJson], env: str) -> None:
    alarms = resources(stacks[env], "aws_cloudwatch_metric_alarm")
    backup_alarms = {name: body for name, body in alarms.items() if body.get("namespace") == "AWS/Backup"}
    expected = {"stackkit_alarm_backup_jobs_failed": "NumberOfBackupJobsFailed"}
    if env == "prod":
        expected["stackkit_alarm_backup_copy_jobs_failed"] = "NumberOfCopyJobsFailed"
    assert {name: body["metric_name"] for name, body in backup_alarms.items()} == expected
    for body in backup_alarms.values():
        assert [ref(arn) for arn in body["alarm_actions"]] == ["aws_sns_topic.stackkit_alerts_topic"]
        assert (body["comparison_operator"], body["threshold"]) == ("GreaterThanThreshold", 0)
        assert ref(body["dimensions"]["BackupVaultName"]) == "aws_backup_vault.stackkit_backup_vault"


def test_backup_role_is_assumed_by_aws_backup_only(stacks: dict[str, StackJson]) -> None:
    stack = stacks["prod"]
    role = resources(stack, "aws_iam_role")["stackkit_backup_role"]
    (statement,) = json.loads(role["assume_role_policy"])["Statement"]
    assert statement["Principal"] == {"Service": "backup.amazonaws.com"}
    assert statement["Action"] == "sts:AssumeRole"
    # Issue 23: only on behalf of this account (IAM user guide, "The confused deputy problem";
    # AWS Backup developer guide, "Cross-service confused deputy prevention").
    (account,) = statement["Condition"]["StringEquals"].values()
    assert list(statement["Condition"]) == ["StringEquals"]
    assert list(statement["Condition"]["StringEquals"]) == ["aws:SourceAccount"]
    assert account.startswith("${data.aws_caller_identity.") and account.endswith(".account_id}")
    attached = {
        body["policy_arn"].rsplit("/", 1)[1]
        for name, body in resources(stack, "aws_iam_role_policy_attachment").items()
        if name.startswith("stackkit_backup_role")
    }
    assert attached == {"AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"}


# --- configuration ---------------------------------------------------------------------------


def test_prod_defaults_to_the_partner_region_and_dev_copies_nowhere() -> None:
    assert load_environment("prod").resolved_dr_region == "us-west-2"
    assert (
        load_environment("prod", region="eu-west-1", certificate_arn=None).resolved_dr_region
        == "eu-central-1"
    )
    assert load_environment("dev").resolved_dr_region is None
    assert load_environment("staging", backup={"dr_region": "us-east-2"}).resolved_dr_region == "us-east-2"
    assert load_environment("dev", backup={"enabled": False}).resolved_dr_region is None


@pytest.mark.parametrize(
    ("env", "backup", "field", "words"),
    [
        ("staging", {"dr_region": "us-east-1"}, "backup.dr_region", "primary region"),
        ("staging", {"dr_region": "mars-north-1"}, "backup.dr_region", "unknown AWS region"),
        ("prod", {"enabled": False}, "backup.dr_region", "production copies"),
        (
            "dev",
            {"break_glass_role_arn": "arn:aws:iam::1:user/bob"},
            "backup.break_glass_role_arn",
            "role ARN",
        ),
        ("dev", {"vault_lock_changeable_for_days": 2}, "backup.vault_lock_changeable_for_days", "3"),
        ("dev", {"vault_lock": "forever"}, "backup.vault_lock", "governance"),
    ],
)
def test_bad_backup_settings_name_the_field(env: str, backup: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        load_environment(env, backup=backup)
    assert caught.value.fields == [field], str(caught.value)
    assert words in str(caught.value)


def test_a_compliance_lock_warns_that_it_is_permanent() -> None:
    with pytest.warns(ComplianceLockWarning, match="permanent"):
        BackupSettings(vault_lock="compliance", vault_lock_changeable_for_days=7)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        BackupSettings(vault_lock="governance")


def test_compliance_lock_sets_its_grace_time(tmp_path: Path) -> None:
    def build(stack: TerraformStack) -> None:
        with pytest.warns(ComplianceLockWarning):
            props = BackupProps(name="shop", vault_lock="compliance", vault_lock_changeable_for_days=7)
        Backup(stack, "backup", props, resource_arns=[DB_ARN])

    stack = synth_stack(tmp_path, build)
    (lock,) = resources(stack, "aws_backup_vault_lock_configuration").values()
    assert (lock["changeable_for_days"], lock["min_retention_days"]) == (7, 35)
    # No alert topic given: no alarm, and nothing else depends on one.
    assert resources(stack, "aws_cloudwatch_metric_alarm") == {}


def test_dr_provider_and_dr_region_go_together(tmp_path: Path) -> None:
    def without_provider(stack: TerraformStack) -> None:
        Backup(stack, "b", BackupProps(name="shop", dr_region="us-west-2"), resource_arns=[DB_ARN])

    with pytest.raises(ValidationError, match="dr_provider"):
        synth_stack(tmp_path / "a", without_provider)

    def without_region(stack: TerraformStack) -> None:
        west = AwsProvider(stack, "west", region="us-west-2", alias="west")
        Backup(stack, "b", BackupProps(name="shop"), resource_arns=[DB_ARN], dr_provider=west)

    with pytest.raises(ValidationError, match="dr_region"):
        synth_stack(tmp_path / "b", without_region)
    with pytest.raises(ValidationError) as caught:
        BackupProps(name="shop", region="us-west-2", dr_region="us-west-2")
    assert caught.value.fields == ["dr_region"]
    with pytest.raises(ValidationError, match="production"):
        BackupProps(name="shop", production=True)


def test_alarms_sent_to_a_monitoring_topic_must_carry_its_name(tmp_path: Path) -> None:
    """The alerts topic and key accept CloudWatch alarms named ``<monitoring name>-...`` only
    (``aws:SourceArn``, see docs/monitoring.md): a backup of another name would alarm into a topic
    that drops every message, so it is refused before synthesis; the same name passes."""
    from stackkit import Monitoring, MonitoringProps

    def mismatched(stack: TerraformStack) -> None:
        alerts = Monitoring(stack, "m", MonitoringProps(name="shop"))
        Backup(
            stack, "b", BackupProps(name="orders"), resource_arns=[DB_ARN], alert_topic_arn=alerts.topic_arn
        )

    with pytest.raises(ValidationError) as caught:
        synth_stack(tmp_path / "a", mismatched)
    assert caught.value.fields == ["name"]
    assert "accepts only alarms named 'shop-...'" in str(caught.value)

    def matched(stack: TerraformStack) -> None:
        alerts = Monitoring(stack, "m", MonitoringProps(name="shop"))
        Backup(stack, "b", BackupProps(name="shop"), resource_arns=[DB_ARN], alert_topic_arn=alerts.topic_arn)

    stack = synth_stack(tmp_path / "b", matched)
    assert [a["alarm_name"] for a in resources(stack, "aws_cloudwatch_metric_alarm").values()] == [
        "shop-backup-jobs-failed"
    ]
