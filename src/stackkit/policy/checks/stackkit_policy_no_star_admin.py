"""CKV_STACKKIT_13: no Allow statement of an IAM, KMS or resource policy grants the ``*``
action on the ``*`` resource (full administrator). Checkov does not decode these JSON strings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from checkov.common.models.enums import CheckCategories

# Checkov imports this folder's files as top-level modules; type checkers see the package.
if TYPE_CHECKING:
    from stackkit.policy.checks.stackkit_policy_base import StackkitCheck
    from stackkit.policy.checks.stackkit_policy_common import (
        has_star_action_on_star_resource,
        offending_statements,
    )
else:
    from stackkit_policy_base import StackkitCheck
    from stackkit_policy_common import (
        has_star_action_on_star_resource,
        offending_statements,
    )


class PolicyNoStarAdmin(StackkitCheck):
    policy_id = "CKV_STACKKIT_13"
    categories_ = (CheckCategories.IAM,)

    def problems(self, conf: dict[str, Any]) -> list[str]:
        return [
            f"{attribute}: statement {sid} allows '*' on '*'"
            for attribute, sid in offending_statements(
                conf, self.entity_type, has_star_action_on_star_resource
            )
        ]


check = PolicyNoStarAdmin()
