"""CKV_STACKKIT_2: stateful resources (databases, replication groups, KMS keys, buckets, log
groups...) have ``lifecycle { prevent_destroy = true }``, so no plan can destroy them silently."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from checkov.common.models.enums import CheckCategories

# Checkov imports this folder's files as top-level modules; type checkers see the package.
if TYPE_CHECKING:
    from stackkit.policy.checks.stackkit_policy_base import StackkitCheck
    from stackkit.policy.checks.stackkit_policy_common import block, is_true
else:
    from stackkit_policy_base import StackkitCheck
    from stackkit_policy_common import block, is_true


class StatefulPreventDestroy(StackkitCheck):
    policy_id = "CKV_STACKKIT_2"
    categories_ = (CheckCategories.BACKUP_AND_RECOVERY,)

    def problems(self, conf: dict[str, Any]) -> list[str]:
        if is_true(block(conf, "lifecycle").get("prevent_destroy")):
            return []
        return ['set lifecycle prevent_destroy (in cdktf: lifecycle={"prevent_destroy": True})']


check = StatefulPreventDestroy()
