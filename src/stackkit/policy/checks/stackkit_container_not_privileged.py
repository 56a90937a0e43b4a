"""CKV_STACKKIT_11: no container runs privileged (root on the host)."""

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


class ContainerNotPrivileged(StackkitCheck):
    policy_id = "CKV_STACKKIT_11"
    categories_ = (CheckCategories.GENERAL_SECURITY,)

    def problems(self, conf: dict[str, Any]) -> list[str]:
        return [
            f"container {container_name(container)}: remove privileged = true"
            for container in containers(conf)
            if is_true(container.get("privileged"))
        ]


check = ContainerNotPrivileged()
