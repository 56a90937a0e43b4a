"""CKV_STACKKIT_3: databases have deletion protection and take a final snapshot."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from checkov.common.models.enums import CheckCategories

# Checkov imports this folder's files as top-level modules; type checkers see the package.
if TYPE_CHECKING:
    from stackkit.policy.checks.stackkit_policy_base import StackkitCheck
    from stackkit.policy.checks.stackkit_policy_common import first, is_true
else:
    from stackkit_policy_base import StackkitCheck
    from stackkit_policy_common import first, is_true


class DatabaseDeletionProtection(StackkitCheck):
    policy_id = "CKV_STACKKIT_3"
    categories_ = (CheckCategories.BACKUP_AND_RECOVERY,)

    def problems(self, conf: dict[str, Any]) -> list[str]:
        problems = []
        if not is_true(conf.get("deletion_protection")):
            problems.append("set deletion_protection = true")
        if is_true(conf.get("skip_final_snapshot")) or not first(conf, "final_snapshot_identifier"):
            problems.append(
                "take a final snapshot: skip_final_snapshot = false and a final_snapshot_identifier"
            )
        return problems


check = DatabaseDeletionProtection()
