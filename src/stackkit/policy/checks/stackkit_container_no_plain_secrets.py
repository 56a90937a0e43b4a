"""CKV_STACKKIT_10: no container has a secret-looking plain ``environment`` value (a password,
token, key, or a URL with credentials): those belong in ``secrets`` (Secrets Manager / SSM),
which keeps them out of the task definition, the state and the console."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from checkov.common.models.enums import CheckCategories

# Checkov imports this folder's files as top-level modules; type checkers see the package.
if TYPE_CHECKING:
    from stackkit.policy.checks.stackkit_policy_base import StackkitCheck
    from stackkit.policy.checks.stackkit_policy_common import (
        SECRET_VALUE,
        container_name,
        containers,
        secret_looking_name,
    )
else:
    from stackkit_policy_base import StackkitCheck
    from stackkit_policy_common import SECRET_VALUE, container_name, containers, secret_looking_name


class ContainerNoPlainSecrets(StackkitCheck):
    policy_id = "CKV_STACKKIT_10"
    categories_ = (CheckCategories.SECRETS,)

    def problems(self, conf: dict[str, Any]) -> list[str]:
        problems = []
        for container in containers(conf):
            for variable in container.get("environment") or []:
                name = str(variable.get("name", ""))
                value = str(variable.get("value") or "")
                if value and (secret_looking_name(name) or SECRET_VALUE.search(value)):
                    problems.append(
                        f"container {container_name(container)}: {name} looks secret; pass it in secrets"
                    )
        return problems


check = ContainerNoPlainSecrets()
