"""CKV_STACKKIT_8: every container sets a non-root ``user`` (unset means the image's user,
often root). Checkov does not decode ``container_definitions``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from checkov.common.models.enums import CheckCategories

# Checkov imports this folder's files as top-level modules; type checkers see the package.
if TYPE_CHECKING:
    from stackkit.policy.checks.stackkit_policy_base import StackkitCheck
    from stackkit.policy.checks.stackkit_policy_common import ROOT_USERS, container_name, containers
else:
    from stackkit_policy_base import StackkitCheck
    from stackkit_policy_common import ROOT_USERS, container_name, containers


class ContainerNonRoot(StackkitCheck):
    policy_id = "CKV_STACKKIT_8"
    categories_ = (CheckCategories.GENERAL_SECURITY,)

    def problems(self, conf: dict[str, Any]) -> list[str]:
        problems = []
        for container in containers(conf):
            user = str(container.get("user") or "").strip()
            if not user or user.split(":", 1)[0] in ROOT_USERS:
                problems.append(f"container {container_name(container)}: set a non-root user (e.g. 1001)")
        return problems


check = ContainerNonRoot()
