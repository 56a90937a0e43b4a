"""CKV_STACKKIT_7: in production, an ECS service has the deployment circuit breaker with
rollback (the seed's fallback strategy: a failing deployment returns to the last good one)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from checkov.common.models.enums import CheckCategories

# Checkov imports this folder's files as top-level modules; type checkers see the package.
if TYPE_CHECKING:
    from stackkit.policy.checks.stackkit_policy_base import StackkitCheck
    from stackkit.policy.checks.stackkit_policy_common import (
        PRODUCTION_ENVIRONMENTS,
        block,
        environment,
        is_true,
    )
else:
    from stackkit_policy_base import StackkitCheck
    from stackkit_policy_common import PRODUCTION_ENVIRONMENTS, block, environment, is_true


class ProdServiceCircuitBreaker(StackkitCheck):
    policy_id = "CKV_STACKKIT_7"
    categories_ = (CheckCategories.BACKUP_AND_RECOVERY,)

    def problems(self, conf: dict[str, Any]) -> list[str]:
        if environment(conf, self.entity_path) not in PRODUCTION_ENVIRONMENTS:
            return []
        breaker = block(conf, "deployment_circuit_breaker")
        if is_true(breaker.get("enable")) and is_true(breaker.get("rollback")):
            return []
        return ["production service: deployment_circuit_breaker { enable = true, rollback = true }"]


check = ProdServiceCircuitBreaker()
