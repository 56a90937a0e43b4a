"""The base class of stackkit's Checkov checks: id, name and resource types come from the
catalog in :mod:`stackkit_policy_common`, and a failure says why in the report's details."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

# Checkov imports this folder's files as top-level modules; type checkers see the package.
if TYPE_CHECKING:
    from stackkit.policy.checks.stackkit_policy_common import POLICIES, DecodeError
else:
    from stackkit_policy_common import POLICIES, DecodeError


class StackkitCheck(BaseResourceCheck):
    policy_id = ""
    categories_: Iterable[CheckCategories] = (CheckCategories.GENERAL_SECURITY,)

    def __init__(self) -> None:
        policy = POLICIES[self.policy_id]
        super().__init__(
            name=policy.name,
            id=policy.id,
            categories=list(self.categories_),
            supported_resources=list(policy.resource_types),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        try:
            problems = self.problems(conf)
        except DecodeError as error:  # fail closed: what cannot be read cannot be trusted
            problems = [f"cannot decode: {error}"]
        if problems:
            self.details.extend(problems)
            return CheckResult.FAILED
        return CheckResult.PASSED

    def problems(self, conf: dict[str, Any]) -> list[str]:
        """What is wrong with the resource; empty when it complies."""
        raise NotImplementedError
