"""CKV_STACKKIT_6: in production, an ECS service runs at least 2 tasks: its desired count and
the minimum of its autoscaling target (a single task is a single point of failure)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from checkov.common.models.enums import CheckCategories

# Checkov imports this folder's files as top-level modules; type checkers see the package.
if TYPE_CHECKING:
    from stackkit.policy.checks.stackkit_policy_base import StackkitCheck
    from stackkit.policy.checks.stackkit_policy_common import (
        PRODUCTION_ENVIRONMENTS,
        as_number,
        environment,
        first,
    )
else:
    from stackkit_policy_base import StackkitCheck
    from stackkit_policy_common import PRODUCTION_ENVIRONMENTS, as_number, environment, first

MIN_TASKS = 2


class ProdServiceTaskCount(StackkitCheck):
    policy_id = "CKV_STACKKIT_6"
    categories_ = (CheckCategories.BACKUP_AND_RECOVERY,)

    def problems(self, conf: dict[str, Any]) -> list[str]:
        if environment(conf, self.entity_path) not in PRODUCTION_ENVIRONMENTS:
            return []
        if self.entity_type == "aws_appautoscaling_target":
            if first(conf, "service_namespace") != "ecs":
                return []
            minimum = as_number(conf.get("min_capacity"))
            if minimum is None or minimum < MIN_TASKS:
                return [f"production service autoscaling: min_capacity >= {MIN_TASKS}"]
            return []
        desired = as_number(conf.get("desired_count"))
        if desired is None or desired < MIN_TASKS:
            return [f"production service: desired_count >= {MIN_TASKS}"]
        return []


check = ProdServiceTaskCount()
