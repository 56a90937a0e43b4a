"""CKV_STACKKIT_9: every container has ``readonlyRootFilesystem: true`` (what CKV_AWS_336
would check if Checkov decoded ``container_definitions``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from checkov.common.models.enums import CheckCategories

# Checkov imports this folder's files as top-level modules; type checkers see the package.
if TYPE_CHECKING:
    from stackkit.policy.checks.stackkit_policy_base import StackkitCheck
    from stackkit.policy.checks.stackkit_policy_common import container_name, containers, is_true
else:
    from stackkit_policy_base import StackkitCheck
    from stackkit_policy_common import container_name, containers, is_true


class ContainerReadOnlyRoot(StackkitCheck):
    policy_id = "CKV_STACKKIT_9"
    categories_ = (CheckCategories.GENERAL_SECURITY,)

    def problems(self, conf: dict[str, Any]) -> list[str]:
        return [
            f"container {container_name(container)}: set readonlyRootFilesystem = true"
            for container in containers(conf)
            if not is_true(container.get("readonlyRootFilesystem"))
        ]


check = ContainerReadOnlyRoot()
