"""CKV_STACKKIT_13: no Allow statement of an IAM, KMS or resource policy grants the ``*``
action on the ``*`` resource (full administrator). Checkov does not decode these JSON strings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from checkov.common.models.enums import CheckCategories

# Checkov imports this folder's files as top-level modules; type checkers see the package.
if TYPE_CHECKING:
    from stackkit.policy.checks.stackkit_policy_base import StackkitCheck
    from stackkit.policy.checks.stackkit_policy_common import (
        allow_statements,
        decode_json_attribute,
        has_star_action_on_star_resource,
        policy_documents,
    )
else:
    from stackkit_policy_base import StackkitCheck
    from stackkit_policy_common import (
        allow_statements,
        decode_json_attribute,
        has_star_action_on_star_resource,
        policy_documents,
    )


class PolicyNoStarAdmin(StackkitCheck):
    policy_id = "CKV_STACKKIT_13"
    categories_ = (CheckCategories.IAM,)

    def problems(self, conf: dict[str, Any]) -> list[str]:
        problems = []
        for attribute, raw in policy_documents(conf, self.entity_type):
            document = decode_json_attribute(raw)
            if document is None:
                continue  # a reference: the referenced document is checked where it is defined
            for statement in allow_statements(document):
                if has_star_action_on_star_resource(statement):
                    sid = statement.get("Sid", "?")
                    problems.append(f"{attribute}: statement {sid} allows '*' on '*'")
        return problems


check = PolicyNoStarAdmin()
