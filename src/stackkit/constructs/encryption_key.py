"""EncryptionKey: a customer-managed KMS key with rotation, an alias and a scoped key policy."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from stackkit._private.cdk import Construct, KmsAlias, KmsKey
from stackkit._private.iam import policy_document
from stackkit._private.model import FrozenModel
from stackkit._private.skips import LOGS_KEY_DESCRIBE_UNDER_CONTEXT, record_skip
from stackkit._private.terraform import PROTECTED, AwsContext, pin_address

#: Days KMS waits before deleting a scheduled key: the maximum, to leave time to notice.
DEFAULT_DELETION_WINDOW_DAYS = 30


class EncryptionKeyProps(FrozenModel):
    """Props of :class:`EncryptionKey`."""

    name: str = Field(pattern=r"^[A-Za-z0-9/_-]{1,200}$")
    """Required. Alias name without the ``alias/`` prefix; also the base of the Terraform address."""
    description: str
    """Required. What the key protects (shown in the KMS console)."""
    service_principals: tuple[str, ...] = ()
    """AWS services (``logs.us-east-1.amazonaws.com``) that may use the key for encryption.
    Default: none; the account's IAM policies still govern principals of the account."""
    allow_cloudwatch_logs: bool = False
    """Default off. On: CloudWatch Logs of the stack's region may encrypt with the key, as an
    encrypted log group needs."""
    deletion_window_days: int = Field(default=DEFAULT_DELETION_WINDOW_DAYS, ge=7, le=30)
    """Default 30 days: the longest window to cancel an accidental deletion."""
    statements: tuple[dict[str, Any], ...] = ()
    """More key policy statements, appended as given (each with its own principal, actions and
    conditions, e.g. one per service that publishes to an encrypted SNS topic). Default: none."""


class EncryptionKey(Construct):
    """A customer-managed KMS key: rotation on, ``prevent_destroy``, pinned address.

    Attributes: ``key`` (the resource), ``arn``, ``key_id``, ``alias_name``.
    """

    def __init__(self, scope: Construct, id_: str, props: EncryptionKeyProps) -> None:
        super().__init__(scope, id_)
        context = AwsContext.of(self)
        root = f"arn:{context.partition}:iam::{context.account_id}:root"
        statements: list[dict[str, object]] = [
            {
                "Sid": "AccountAdministers",
                "Effect": "Allow",
                "Principal": {"AWS": root},
                "Action": "kms:*",
                "Resource": "*",
            }
        ]
        usage = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
        if props.service_principals:
            statements.append(
                {
                    "Sid": "ServicesEncrypt",
                    "Effect": "Allow",
                    "Principal": {"Service": list(props.service_principals)},
                    "Action": usage,
                    "Resource": "*",
                    "Condition": {"StringEquals": {"aws:SourceAccount": context.account_id}},
                }
            )
        if props.allow_cloudwatch_logs:
            # The condition the CloudWatch Logs documentation gives: the encryption context
            # names a log group of this account and region.
            log_groups = f"arn:{context.partition}:logs:{context.region}:{context.account_id}:log-group:*"
            statements.append(
                {
                    "Sid": "CloudWatchLogsEncrypt",
                    "Effect": "Allow",
                    "Principal": {"Service": [f"logs.{context.region}.amazonaws.com"]},
                    "Action": usage,
                    "Resource": "*",
                    "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": log_groups}},
                }
            )
        statements += [dict(statement) for statement in props.statements]
        self.key = KmsKey(
            self,
            "key",
            description=props.description,
            enable_key_rotation=True,
            deletion_window_in_days=props.deletion_window_days,
            policy=policy_document(*statements),
            lifecycle=PROTECTED,
        )
        pin_address(self.key, props.name, "key")
        if props.allow_cloudwatch_logs:
            record_skip(self.key, LOGS_KEY_DESCRIBE_UNDER_CONTEXT)
        self.key_id: str = self.key.key_id
        alias = KmsAlias(self, "alias", name=f"alias/{props.name}", target_key_id=self.key_id)
        pin_address(alias, props.name, "alias")
        self.arn: str = self.key.arn
        self.alias_name: str = alias.name
