"""CKV_STACKKIT_10: no container has a secret in a plain ``environment`` value: judged by the
name (a password, token, key, a database URL) and by the value, with the maintained detector
of :mod:`stackkit_secret_detector` (provider key formats, credentials in URLs, private keys,
JWTs, high-entropy strings). Secrets belong in ``secrets`` (Secrets Manager / SSM), which keeps
them out of the task definition, the state and the console (with stackkit's constructs:
``secrets={NAME: "<ARN>"}`` on ``ServiceProps`` / ``FargateTaskDefinitionProps``).

A value marked as not secret, with a reason, next to it in the construct
(``allow_plain_values``) is recorded on the task definition's ``//`` metadata and accepted
here; the reason is in the JSON for the reviewer."""

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
        read_stack,
        secret_looking_name,
        stack_file,
    )
    from stackkit.policy.checks.stackkit_secret_detector import secret_kinds
else:
    from stackkit_policy_base import StackkitCheck
    from stackkit_policy_common import (
        SECRET_VALUE,
        container_name,
        containers,
        read_stack,
        secret_looking_name,
        stack_file,
    )
    from stackkit_secret_detector import secret_kinds

#: Where constructs record values marked as not secret (``stackkit.constructs.plain_values.ALLOW_KEY``).
ALLOW_KEY = "stackkit_allow_plain_values"
#: Where the value belongs: the container definition's ``secrets`` (``valueFrom`` an ARN), which
#: a stackkit construct writes from its props' ``secrets``.
ADVICE = (
    "store it in Secrets Manager or SSM and reference its ARN in the container's secrets "
    "(with stackkit: secrets={NAME: '<ARN>'} on ServiceProps / FargateTaskDefinitionProps)"
)


class ContainerNoPlainSecrets(StackkitCheck):
    policy_id = "CKV_STACKKIT_10"
    categories_ = (CheckCategories.SECRETS,)

    def problems(self, conf: dict[str, Any]) -> list[str]:
        allowed = self._allowed(conf)
        problems = []
        for container in containers(conf):
            for variable in container.get("environment") or []:
                name = str(variable.get("name", ""))
                value = str(variable.get("value") or "")
                if not value or name in allowed:
                    continue
                kinds = secret_kinds(value)
                if not kinds and SECRET_VALUE.search(value):
                    kinds = ["credential"]
                if kinds:
                    problems.append(
                        f"container {container_name(container)}: the value of {name} looks like a "
                        f"{' / '.join(kinds)}; {ADVICE}"
                    )
                elif secret_looking_name(name):
                    problems.append(f"container {container_name(container)}: {name} looks secret; {ADVICE}")
        return problems

    def _allowed(self, conf: dict[str, Any]) -> dict[str, Any]:
        """The names marked as not secret on this task definition (its ``//`` metadata)."""
        # Checkov's entity path: ``/<stack>/cdk.tf.json:<resource type>:<name>``.
        parts = self.entity_path.split(":")
        if len(parts) < 3:
            return {}
        resource_type, name = parts[-2], parts[-1]
        try:
            stack = read_stack(stack_file(self.entity_path))
        except (OSError, ValueError):
            return {}
        body = stack.get("resource", {}).get(resource_type, {}).get(name, {})
        marks = body.get("//", {}).get(ALLOW_KEY, {}) if isinstance(body, dict) else {}
        return marks if isinstance(marks, dict) else {}


check = ContainerNoPlainSecrets()
