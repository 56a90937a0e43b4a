"""Small helpers every construct uses on the resources it creates."""

from __future__ import annotations

import re

from stackkit._private.cdk import (
    Construct,
    DataAwsCallerIdentity,
    DataAwsPartition,
    DataAwsRegion,
    TerraformResource,
    TerraformResourceLifecycle,
    TerraformStack,
)

#: Where a construct records a Checkov skip: ``resource["//"][SKIP_KEY][check_id] = reason``.
#: ``//`` is a comment key in Terraform JSON, so neither Terraform nor Checkov reads it;
#: :mod:`stackkit.policy.checkov` does.
SKIP_KEY = "stackkit_checkov_skip"

PROTECTED = TerraformResourceLifecycle(prevent_destroy=True)


def logical_id(*parts: str) -> str:
    """A Terraform-safe resource name from ``parts`` (``db``, ``us-east-1a`` -> ``db_us_east_1a``)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", "_".join(part for part in parts if part))


def pin_address(resource: TerraformResource, *parts: str) -> None:
    """Fix the resource's Terraform address so that moving it in the construct tree cannot
    rename it (a renamed database is a destroyed database)."""
    resource.override_logical_id(logical_id(*parts))


def skip_check(resource: TerraformResource, check_id: str, reason: str) -> None:
    """Record that Checkov ``check_id`` does not apply to this one resource, and why."""
    if not re.fullmatch(r"CKV2?_[A-Z0-9]+_\d+", check_id):
        raise ValueError(f"{check_id!r} is not a Checkov check id such as CKV_AWS_18")
    if check_id.startswith("CKV_STACKKIT_"):
        raise ValueError(f"{check_id} is one of stackkit's own policies, which cannot be skipped")
    if len(reason.strip()) < 10:
        raise ValueError(f"skipping {check_id} needs a reason a reviewer can judge")
    resource.add_override(f"//.{SKIP_KEY}.{check_id}", reason.strip())


class AwsContext(Construct):
    """Account, partition and region of the stack, created once per stack and shared."""

    def __init__(self, scope: Construct, id_: str) -> None:
        super().__init__(scope, id_)
        self.account_id = DataAwsCallerIdentity(self, "caller").account_id
        self.partition = DataAwsPartition(self, "partition").partition
        self.region = DataAwsRegion(self, "region").region

    @classmethod
    def of(cls, scope: Construct) -> AwsContext:
        stack = TerraformStack.of(scope)
        existing = stack.node.try_find_child("stackkit-aws-context")
        if isinstance(existing, AwsContext):
            return existing
        return cls(stack, "stackkit-aws-context")
