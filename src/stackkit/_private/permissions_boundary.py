"""One permissions boundary on every IAM role of a scope: a cdktf aspect, so roles added to the
scope after the call (by any construct, at any depth) get it too.

Why: the CI deploy role may create and change roles only when they carry the environment's
boundary (``iam:PermissionsBoundary``, :mod:`stackkit.patterns.ci_roles`); a role without it is
refused at apply. A role that already names a boundary keeps its own.
"""

from __future__ import annotations

from stackkit._private.cdk import Aspects, Construct, IamPolicy, IamRole, IConstruct, implements_aspect
from stackkit._private.comment_keys import BOUNDARY_KEY


@implements_aspect
class _SetPermissionsBoundary:
    def __init__(self, policy_arn: str) -> None:
        self.policy_arn = policy_arn

    def visit(self, node: IConstruct) -> None:
        if isinstance(node, IamRole) and node.permissions_boundary_input is None:
            node.permissions_boundary = self.policy_arn


def bound_every_role(scope: Construct, policy_arn: str) -> None:
    """Give every :class:`IamRole` under ``scope`` the permissions boundary ``policy_arn``."""
    Aspects.of(scope).add(_SetPermissionsBoundary(policy_arn))


def mark_permissions_boundary(policy: IamPolicy, why: str) -> None:
    """Record on ``policy`` that it is a permissions boundary, and why (``//`` metadata: neither
    Terraform nor Checkov reads it)."""
    policy.add_override(f"//.{BOUNDARY_KEY}", why)
