"""``stackkit.skip_check``: record on one of your own resources that a check does not apply, and why.

The gate honours it exactly like the skips stackkit's constructs record (``docs/gate/skips.md``).
"""

from __future__ import annotations

import re

from stackkit._private.cdk import TerraformDataSource, TerraformResource
from stackkit._private.comment_keys import SKIP_KEY
from stackkit.errors import ValidationError

#: A Checkov check id: ``CKV_AWS_18``, ``CKV2_AWS_62``.
CHECKOV_ID = re.compile(r"CKV2?_[A-Z0-9]+_\d+")
#: A rule id of the gate's IAM analysis: ``IAM_PARLIAMENT_UNKNOWN_ACTION``,
#: ``IAM_CLOUDSPLAINING_PRIVILEGE_ESCALATION``, ``IAM_STACKKIT_ROLE_WITHOUT_BOUNDARY``.
IAM_RULE_ID = re.compile(r"IAM_[A-Z0-9_]*[A-Z0-9]")
#: stackkit's own Checkov policies are the gate itself: they cannot be skipped.
OWN_POLICY_PREFIX = "CKV_STACKKIT_"
#: The shortest reason accepted: a reviewer must be able to judge it.
MIN_REASON_LENGTH = 10


def skip_check(resource: TerraformResource, check_id: str, reason: str) -> None:
    """Record that check ``check_id`` does not apply to ``resource``, and why.

    For a resource you create yourself (a provider binding such as ``S3Bucket``) when a check does
    not apply to that one resource; stackkit's constructs record their own skips. ``stackkit check``
    then reports the finding as *skipped* with ``reason`` instead of failing, for that resource
    only, exactly as it does for the constructs' skips (a non-production skip of ALB deletion
    protection or cache failover still fails on a resource tagged ``Environment=prod``).

    :param resource: the Terraform resource (a cdktf provider binding object). Not a data source:
        cdktf writes a data source's ``//`` comment itself and drops any record there.
    :param check_id: a Checkov check id (``CKV_AWS_18``, ``CKV2_AWS_62``) or a rule id of the gate's
        IAM analysis (``IAM_PARLIAMENT_UNKNOWN_ACTION``); not one of stackkit's own policies
        (``CKV_STACKKIT_*``), which cannot be skipped.
    :param reason: why the check does not apply, for a reviewer (at least 10 characters); it is
        written into the synthesized JSON and printed by ``stackkit check``.
    :raises stackkit.ValidationError: a wrong resource, check id or reason, before synthesis.
    """
    problems: list[tuple[str, str]] = []
    if isinstance(resource, TerraformDataSource):
        # TerraformDataSource.toTerraform (cdktf 0.21, cdktn 0.24: lib/terraform-data-source.js)
        # sets the block's "//" to its construct metadata after applying the overrides (a
        # resource's merges the two): a skip recorded there never reaches the JSON the gate reads.
        problems.append(
            (
                "resource",
                f"{type(resource).__name__} is a data source, and cdktf and CDK Terrain drop any record on a "
                "data source's `//` comment, so the gate would never see this skip; write the policy with "
                "json.dumps on the resource that uses it (IamPolicy, IamRolePolicy, ...) and skip the "
                "check on that resource",
            )
        )
    elif not isinstance(resource, TerraformResource):
        problems.append(
            (
                "resource",
                f"expected a Terraform resource (a provider binding such as S3Bucket), got "
                f"{type(resource).__name__}; stackkit's constructs record their own skips",
            )
        )
    known = isinstance(check_id, str) and (CHECKOV_ID.fullmatch(check_id) or IAM_RULE_ID.fullmatch(check_id))
    if not known:
        problems.append(
            (
                "check_id",
                f"{check_id!r} is neither a Checkov check id (CKV_AWS_18, CKV2_AWS_62) nor an IAM "
                "analysis rule id (IAM_PARLIAMENT_UNKNOWN_ACTION)",
            )
        )
    elif check_id.startswith(OWN_POLICY_PREFIX):
        problems.append(
            (
                "check_id",
                f"{check_id} is one of stackkit's own policies, which cannot be skipped: change the "
                "resource as the finding says",
            )
        )
    if not isinstance(reason, str) or len(reason.strip()) < MIN_REASON_LENGTH:
        problems.append(
            (
                "reason",
                f"skipping {check_id} needs a reason a reviewer can judge "
                f"({MIN_REASON_LENGTH} characters or more), got {reason!r}",
            )
        )
    if problems:
        raise ValidationError("skip_check", problems)
    resource.add_override(f"//.{SKIP_KEY}.{check_id}", reason.strip())
