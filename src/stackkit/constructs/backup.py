"""Backup: AWS Backup off the blast radius of the data it protects.

A vault encrypted with its own customer-managed key, a daily plan with retention from config,
a selection of the protected resources (the database), and optionally a copy of every recovery
point to a vault in a second region (built on a second provider), vault lock, a vault access
policy that denies deleting or shortening recovery points to everyone but a break-glass role,
and alarms on failed backup and copy jobs to the alert topic.

Facts this module relies on (AWS documentation, checked 2026-11-30):

* Supported resource types: ``RDS`` is one, ElastiCache is not (AWS Backup API reference,
  GetSupportedResourceTypes, https://docs.aws.amazon.com/aws-backup/latest/devguide/API_GetSupportedResourceTypes.html).
  The cache is therefore protected by its own daily snapshots (``Cache.snapshot_retention_days``),
  which stay in the primary region.
* Vault access policies "don't support a wildcard in the Action key", so every denied action is
  listed (AWS Backup developer guide, "Vault access policies",
  https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault-access-policy.html). The
  AWS Config rule ``backup-recovery-point-manual-deletion-disabled`` names the statement we
  write: Deny of ``backup:DeleteRecoveryPoint``, ``backup:UpdateRecoveryPointLifecycle`` and
  ``backup:PutBackupVaultAccessPolicy`` with ``*`` as principal and resource
  (https://docs.aws.amazon.com/config/latest/developerguide/backup-recovery-point-manual-deletion-disabled.html).
* Vault lock: ``changeable_for_days`` must be 3 or more (72-hour cooling-off); before that date
  the lock can be changed or deleted, on and after it a compliance-mode lock is immutable. Without
  ``changeable_for_days`` the lock is in governance mode and can be removed by a principal with
  ``backup:DeleteBackupVaultLockConfiguration`` (PutBackupVaultLockConfiguration API reference,
  ChangeableForDays; re:Post "Delete a vault lock").
* Failed jobs: AWS Backup publishes ``NumberOfBackupJobsFailed`` and ``NumberOfCopyJobsFailed``
  to CloudWatch in the ``AWS/Backup`` namespace, by ``ResourceType`` and ``BackupVaultName``
  ("AWS Backup metrics with Amazon CloudWatch",
  https://docs.aws.amazon.com/aws-backup/latest/devguide/cloudwatch.html). Alarms rather than an
  EventBridge rule: a KMS-encrypted topic accepts CloudWatch alarms under our key policy, and
  EventBridge publications are dropped when the key policy has source conditions (design notes).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from typing import Literal, Self

from pydantic import Field, field_validator, model_validator

from stackkit._private.cdk import (
    BackupPlan,
    BackupPlanRule,
    BackupPlanRuleCopyAction,
    BackupPlanRuleCopyActionLifecycle,
    BackupPlanRuleLifecycle,
    BackupSelection,
    BackupVault,
    BackupVaultLockConfiguration,
    BackupVaultPolicy,
    CloudwatchMetricAlarm,
    Construct,
    IamRole,
    IamRolePolicyAttachment,
    TerraformProvider,
    TerraformStack,
)
from stackkit._private.iam import assume_role_policy, policy_document
from stackkit._private.model import FrozenModel
from stackkit._private.regions import AVAILABILITY_ZONES
from stackkit._private.terraform import PROTECTED, AwsContext, pin_address
from stackkit.constructs.encryption_key import EncryptionKey, EncryptionKeyProps
from stackkit.constructs.monitoring import Monitoring
from stackkit.constructs.network import NAME_PATTERN
from stackkit.constructs.provider_scope import ProviderScope
from stackkit.errors import ValidationError

#: Daily at 06:00 UTC: after the RDS backup window (03:00-04:00), the RDS maintenance window
#: (sun 04:30-05:30) and the cache's (sun 05:00-06:00), so the jobs never queue behind them.
DEFAULT_SCHEDULE_HOUR_UTC = 6
#: 35 days: the longest RDS point-in-time window, so a vault copy outlives every automated backup.
DEFAULT_RETENTION_DAYS = 35
#: A job must start within an hour of its schedule and finish within 8 hours, or it fails (alarm).
START_WINDOW_MINUTES = 60
COMPLETION_WINDOW_MINUTES = 8 * 60
#: AWS Backup enforces a 72-hour cooling-off before a compliance lock becomes immutable.
MIN_LOCK_CHANGEABLE_DAYS = 3
#: Alarms evaluate AWS Backup's job metrics over 5 minutes; one failed job is enough.
ALARM_PERIOD_SECONDS = 300
#: The second region an environment copies to unless it names one: the nearest region on
#: another coast / in another country, so one regional event does not take both.
DEFAULT_DR_REGIONS: dict[str, str] = {
    "us-east-1": "us-west-2",
    "us-east-2": "us-west-2",
    "us-west-1": "us-east-1",
    "us-west-2": "us-east-1",
    "ca-central-1": "us-east-1",
    "sa-east-1": "us-east-1",
    "eu-west-1": "eu-central-1",
    "eu-west-2": "eu-west-1",
    "eu-west-3": "eu-central-1",
    "eu-central-1": "eu-west-1",
    "eu-north-1": "eu-central-1",
    "eu-south-1": "eu-central-1",
    "ap-south-1": "ap-southeast-1",
    "ap-northeast-1": "ap-northeast-3",
    "ap-northeast-2": "ap-northeast-1",
    "ap-northeast-3": "ap-northeast-1",
    "ap-southeast-1": "ap-southeast-2",
    "ap-southeast-2": "ap-southeast-1",
    "af-south-1": "eu-west-1",
}
#: What the vault policy denies to everyone but the break-glass principal: deleting or
#: shortening recovery points, lifting this policy, and removing a governance-mode lock (which
#: is otherwise open to any principal with that permission).
PROTECTED_VAULT_ACTIONS = (
    "backup:DeleteRecoveryPoint",
    "backup:UpdateRecoveryPointLifecycle",
    "backup:PutBackupVaultAccessPolicy",
    "backup:DeleteBackupVaultAccessPolicy",
    "backup:DeleteBackupVaultLockConfiguration",
)
ROLE_ARN_PATTERN = re.compile(r"^arn:aws(-[a-z]+)*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")

VaultLockMode = Literal["none", "governance", "compliance"]


class ComplianceLockWarning(UserWarning):
    """A compliance-mode vault lock becomes immutable after its grace time: nobody, not even
    the account root or AWS Support, can remove it or delete recovery points early."""


class BackupSettings(FrozenModel):
    """What an environment configures (``EnvironmentConfig.backup``)."""

    enabled: bool = True
    """Default on: the database is backed up by AWS Backup into its own vault."""
    schedule_hour_utc: int = Field(default=DEFAULT_SCHEDULE_HOUR_UTC, ge=0, le=23)
    """Default 6: the daily rule runs at 06:00 UTC (after the RDS and cache windows)."""
    retention_days: int = Field(default=DEFAULT_RETENTION_DAYS, ge=1, le=36500)
    """Default 35 days: how long each daily recovery point is kept in the primary vault."""
    dr_region: str | None = None
    """Default none in dev and staging (no copy); in prod the region of
    :data:`DEFAULT_DR_REGIONS` for the primary region (``us-east-1`` -> ``us-west-2``). A known
    region different from the primary one: every recovery point is copied to a vault there."""
    dr_retention_days: int | None = Field(default=None, ge=1, le=36500)
    """Default: ``retention_days``. How long the copies in the DR region are kept."""
    vault_lock: VaultLockMode = "none"
    """Default ``none``. ``governance``: recovery points cannot be deleted before their retention
    ends, except by a principal allowed to remove the lock. ``compliance``: after
    ``vault_lock_changeable_for_days`` the lock CANNOT BE UNDONE by anyone (not root, not AWS
    Support), and the vault keeps every recovery point for its full retention, cost included."""
    vault_lock_changeable_for_days: int = Field(default=MIN_LOCK_CHANGEABLE_DAYS, ge=MIN_LOCK_CHANGEABLE_DAYS)
    """Default 3 (AWS's minimum): the grace time during which a compliance lock can still be
    removed. Only used with ``vault_lock="compliance"``."""
    break_glass_role_arn: str | None = None
    """Default none: then only the account root may delete recovery points or change the vault
    policy. An IAM role ARN: that role (and only it) may, e.g. to purge data on a legal request."""

    @field_validator("dr_region")
    @classmethod
    def _known_dr_region(cls, region: str | None) -> str | None:
        if region is not None and region not in AVAILABILITY_ZONES:
            raise ValueError(
                f"unknown AWS region {region!r}; use one of {', '.join(sorted(AVAILABILITY_ZONES))}"
            )
        return region

    @field_validator("break_glass_role_arn")
    @classmethod
    def _role_arn(cls, arn: str | None) -> str | None:
        if arn is not None and not ROLE_ARN_PATTERN.fullmatch(arn):
            raise ValueError(
                f"{arn!r} is not an IAM role ARN like arn:aws:iam::123456789012:role/break-glass"
            )
        return arn

    @model_validator(mode="after")
    def _warn_about_compliance_lock(self) -> Self:
        if self.vault_lock == "compliance":
            warnings.warn(
                f"vault_lock='compliance': after {self.vault_lock_changeable_for_days} days the lock is "
                "permanent; no one can delete the vault or shorten retention, ever",
                ComplianceLockWarning,
                stacklevel=2,
            )
        return self

    @property
    def resolved_dr_retention_days(self) -> int:
        return self.dr_retention_days or self.retention_days

    @property
    def schedule(self) -> str:
        """The AWS Backup cron expression of the daily rule."""
        return f"cron(0 {self.schedule_hour_utc} * * ? *)"


class BackupProps(BackupSettings):
    """Props of :class:`Backup`: the settings plus naming and where it runs."""

    name: str = Field(pattern=NAME_PATTERN)
    """Required. Base of every name and address (``aws_backup_vault.<name>_backup_vault``)."""
    region: str | None = None
    """Default none (not checked). The primary region: ``dr_region`` must differ from it."""
    production: bool = False
    """Default off. On: a ``dr_region`` is required (a copy outside the primary region)."""

    @model_validator(mode="after")
    def _dr_region_elsewhere(self) -> Self:
        if self.dr_region is not None and self.dr_region == self.region:
            raise ValueError(
                f"dr_region: {self.dr_region} is the primary region; copies must go to another region "
                f"(e.g. {DEFAULT_DR_REGIONS.get(self.dr_region, 'us-west-2')})"
            )
        if self.production and self.dr_region is None:
            raise ValueError("dr_region: production copies every recovery point to a second region; set one")
        return self


class Backup(Construct):
    """AWS Backup for the given resources: vault(s) with their own keys, plan, selection, vault
    policy, optional vault lock and cross-region copy, alarms on failed jobs.

    ``resource_arns``: what to back up (``[database.arn]``); AWS Backup-supported types only.
    ``dr_provider``: the AWS provider of ``props.dr_region`` (required exactly when it is set).
    ``alert_topic_arn``: where the failed-job alarms go; without it no alarm is created. The
    alerts topic of a :class:`Monitoring` accepts alarms named ``<its name>-...`` only, so a backup
    sending there must have the monitoring's name (refused otherwise, before synthesis).

    Attributes: ``vault_name``, ``vault_arn``, ``key`` (:class:`EncryptionKey`), ``plan_id``,
    ``dr_vault_arn`` / ``dr_key`` (None without a DR region), ``role_arn``, ``alarms``.
    """

    def __init__(
        self,
        scope: Construct,
        id_: str,
        props: BackupProps,
        *,
        resource_arns: Sequence[str],
        dr_provider: TerraformProvider | None = None,
        alert_topic_arn: str | None = None,
    ) -> None:
        if (dr_provider is None) != (props.dr_region is None):
            raise ValidationError(
                "BackupProps",
                [
                    (
                        "dr_region",
                        "pass dr_provider (an AwsProvider of dr_region) exactly when dr_region is set",
                    )
                ],
            )
        if not resource_arns:
            raise ValidationError("BackupProps", [("resource_arns", "give at least one resource to back up")])
        if alert_topic_arn is not None:
            _alarms_reach_the_topic(scope, props.name, alert_topic_arn)
        super().__init__(scope, id_)
        self.props = props
        name = props.name
        base = f"{name}-backup"
        context = AwsContext.of(self)
        root = f"arn:{context.partition}:iam::{context.account_id}:root"
        exempt = props.break_glass_role_arn or root

        self.key, vault = self._vault(self, base, "", props.retention_days, exempt)
        self.vault_name: str = vault.name
        self.vault_arn: str = vault.arn

        self.dr_key: EncryptionKey | None = None
        self.dr_vault_arn: str | None = None
        if dr_provider is not None:
            in_dr = ProviderScope(self, "dr", provider=dr_provider)
            dr_context = AwsContext.of(in_dr)
            dr_root = f"arn:{dr_context.partition}:iam::{dr_context.account_id}:root"
            self.dr_key, dr_vault = self._vault(
                in_dr,
                f"{base}-dr",
                "dr-",
                props.resolved_dr_retention_days,
                props.break_glass_role_arn or dr_root,
            )
            self.dr_vault_arn = dr_vault.arn

        role = IamRole(
            self,
            "role",
            name_prefix=f"{base}-"[:38],
            # AWS Backup assumes the role to take and copy backups, only on behalf of this
            # account: aws:SourceAccount guards the service role against the cross-service
            # confused deputy (IAM user guide, "The confused deputy problem":
            # https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html; AWS Backup
            # developer guide, "Cross-service confused deputy prevention":
            # https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-service-confused-deputy-prevention.html).
            # Should AWS Backup ever fail to assume it, the next daily job fails, which the
            # backup-jobs-failed alarm below reports (with an alert topic).
            assume_role_policy=assume_role_policy("backup.amazonaws.com", context.account_id),
            tags={"Name": base},
        )
        pin_address(role, base, "role")
        for purpose in ("Backup", "Restores"):
            attachment = IamRolePolicyAttachment(
                self,
                f"role-{purpose.lower()}",
                role=role.name,
                policy_arn=(
                    f"arn:{context.partition}:iam::aws:policy/service-role/"
                    f"AWSBackupServiceRolePolicyFor{purpose}"
                ),
            )
            pin_address(attachment, base, "role", purpose.lower())
        self.role_arn: str = role.arn

        copy = (
            [
                BackupPlanRuleCopyAction(
                    destination_vault_arn=self.dr_vault_arn,
                    lifecycle=BackupPlanRuleCopyActionLifecycle(
                        delete_after=props.resolved_dr_retention_days
                    ),
                )
            ]
            if self.dr_vault_arn is not None
            else None
        )
        plan = BackupPlan(
            self,
            "plan",
            name=base,
            rule=[
                BackupPlanRule(
                    rule_name="daily",
                    target_vault_name=vault.name,
                    schedule=props.schedule,
                    start_window=START_WINDOW_MINUTES,
                    completion_window=COMPLETION_WINDOW_MINUTES,
                    lifecycle=BackupPlanRuleLifecycle(delete_after=props.retention_days),
                    copy_action=copy,
                )
            ],
            tags={"Name": base},
        )
        pin_address(plan, base, "plan")
        self.plan_id: str = plan.id
        selection = BackupSelection(
            self,
            "selection",
            name=base,
            plan_id=plan.id,
            iam_role_arn=role.arn,
            resources=list(resource_arns),
        )
        pin_address(selection, base, "selection")

        self.alarms: dict[str, CloudwatchMetricAlarm] = {}
        if alert_topic_arn is not None:
            self._alarm("backup-jobs-failed", "NumberOfBackupJobsFailed", vault.name, alert_topic_arn)
            if self.dr_vault_arn is not None:
                # Copy jobs run in the source region, from the primary vault.
                self._alarm("backup-copy-jobs-failed", "NumberOfCopyJobsFailed", vault.name, alert_topic_arn)

    def _vault(
        self, scope: Construct, base: str, id_prefix: str, retention_days: int, exempt: str
    ) -> tuple[EncryptionKey, BackupVault]:
        key = EncryptionKey(
            scope,
            f"{id_prefix}vault-key",
            EncryptionKeyProps(name=base, description=f"{base}: AWS Backup vault (recovery points)"),
        )
        vault = BackupVault(
            scope,
            f"{id_prefix}vault",
            name=base,
            kms_key_arn=key.arn,
            force_destroy=False,
            tags={"Name": base},
            lifecycle=PROTECTED,
        )
        pin_address(vault, base, "vault")
        policy = BackupVaultPolicy(
            scope,
            f"{id_prefix}vault-policy",
            backup_vault_name=vault.name,
            policy=policy_document(
                {
                    "Sid": "OnlyBreakGlassDeletesRecoveryPoints",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": list(PROTECTED_VAULT_ACTIONS),
                    "Resource": "*",
                    "Condition": {"ArnNotEquals": {"aws:PrincipalArn": exempt}},
                }
            ),
        )
        pin_address(policy, base, "vault_policy")
        mode = self.props.vault_lock
        if mode != "none":
            lock = BackupVaultLockConfiguration(
                scope,
                f"{id_prefix}vault-lock",
                backup_vault_name=vault.name,
                # Recovery points shorter-lived than this are refused: exactly the plan's retention.
                min_retention_days=retention_days,
                changeable_for_days=(
                    self.props.vault_lock_changeable_for_days if mode == "compliance" else None
                ),
            )
            pin_address(lock, base, "vault_lock")
        return key, vault

    def _alarm(self, key: str, metric: str, vault_name: str, topic_arn: str) -> None:
        name = self.props.name
        alarm = CloudwatchMetricAlarm(
            self,
            f"alarm-{key}",
            alarm_name=f"{name}-{key}",
            alarm_description=(
                f"AWS Backup: {metric} > 0 for vault {vault_name}. Open AWS Backup > Jobs, read the "
                "job's status message, fix the cause, and start an on-demand backup so the RPO holds."
            ),
            namespace="AWS/Backup",
            metric_name=metric,
            dimensions={"ResourceType": "RDS", "BackupVaultName": vault_name},
            statistic="Sum",
            period=ALARM_PERIOD_SECONDS,
            evaluation_periods=1,
            datapoints_to_alarm=1,
            comparison_operator="GreaterThanThreshold",
            threshold=0,
            treat_missing_data="notBreaching",
            actions_enabled=True,
            alarm_actions=[topic_arn],
            ok_actions=[topic_arn],
        )
        pin_address(alarm, name, "alarm", key)
        self.alarms[f"{name}-{key}"] = alarm


def _alarms_reach_the_topic(scope: Construct, name: str, topic_arn: str) -> None:
    """The failed-job alarms are named ``<name>-backup-...``. A :class:`Monitoring` alerts topic
    accepts only alarms named ``<its name>-...`` (``aws:SourceArn`` in its topic and key policies):
    any other name would be dropped by SNS with no error anywhere, so refuse it here."""
    for node in TerraformStack.of(scope).node.find_all():
        if isinstance(node, Monitoring) and node.topic_arn == topic_arn and node.props.name != name:
            raise ValidationError(
                "BackupProps",
                [
                    (
                        "name",
                        f"the alarms go to the alerts topic of Monitoring {node.props.name!r}, which accepts "
                        f"only alarms named '{node.props.name}-...' (aws:SourceArn); name the backup "
                        f"{node.props.name!r} too, or send its alarms to another topic",
                    )
                ],
            )


__all__ = [
    "DEFAULT_DR_REGIONS",
    "Backup",
    "BackupProps",
    "BackupSettings",
    "ComplianceLockWarning",
    "VaultLockMode",
]
