"""CKV_STACKKIT_4: in production, a DB instance is multi-AZ (survives the loss of an AZ)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from checkov.common.models.enums import CheckCategories

# Checkov imports this folder's files as top-level modules; type checkers see the package.
if TYPE_CHECKING:
    from stackkit.policy.checks.stackkit_policy_base import StackkitCheck
    from stackkit.policy.checks.stackkit_policy_common import PRODUCTION_ENVIRONMENTS, environment, is_true
else:
    from stackkit_policy_base import StackkitCheck
    from stackkit_policy_common import PRODUCTION_ENVIRONMENTS, environment, is_true


class ProdDatabaseMultiAz(StackkitCheck):
    policy_id = "CKV_STACKKIT_4"
    categories_ = (CheckCategories.BACKUP_AND_RECOVERY,)

    def problems(self, conf: dict[str, Any]) -> list[str]:
        if environment(conf, self.entity_path) not in PRODUCTION_ENVIRONMENTS:
            return []
        return [] if is_true(conf.get("multi_az")) else ["production database: set multi_az = true"]


check = ProdDatabaseMultiAz()
