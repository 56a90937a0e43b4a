"""CKV_STACKKIT_1: every taggable resource carries the required tags, set on the resource or
through the provider's ``default_tags`` (read from the stack file: a resource check alone
cannot see the provider block)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from checkov.common.models.enums import CheckCategories

# Checkov imports this folder's files as top-level modules; type checkers see the package.
if TYPE_CHECKING:
    from stackkit.policy.checks.stackkit_policy_base import StackkitCheck
    from stackkit.policy.checks.stackkit_policy_common import REQUIRED_TAGS, effective_tags
else:
    from stackkit_policy_base import StackkitCheck
    from stackkit_policy_common import REQUIRED_TAGS, effective_tags


class RequiredTags(StackkitCheck):
    policy_id = "CKV_STACKKIT_1"
    categories_ = (CheckCategories.CONVENTION,)

    def problems(self, conf: dict[str, Any]) -> list[str]:
        try:
            tags = effective_tags(conf, self.entity_path)
        except (OSError, ValueError) as error:
            return [f"cannot read the provider's default_tags: {error}"]
        missing = [name for name in REQUIRED_TAGS if not str(tags.get(name) or "").strip()]
        return [f"missing tags: {', '.join(missing)}"] if missing else []


check = RequiredTags()
