"""Encrypted, retained, protected CloudWatch log groups."""

from __future__ import annotations

from stackkit._private.cdk import CloudwatchLogGroup, Construct
from stackkit._private.terraform import PROTECTED, pin_address

#: CKV_AWS_338 asks for at least a year; audits usually do too.
DEFAULT_LOG_RETENTION_DAYS = 365


def encrypted_log_group(
    scope: Construct,
    id_: str,
    *,
    name: str,
    kms_key_arn: str,
    retention_days: int = DEFAULT_LOG_RETENTION_DAYS,
    address: tuple[str, ...],
) -> CloudwatchLogGroup:
    group = CloudwatchLogGroup(
        scope,
        id_,
        name=name,
        retention_in_days=retention_days,
        kms_key_id=kms_key_arn,
        lifecycle=PROTECTED,
    )
    pin_address(group, *address)
    return group
