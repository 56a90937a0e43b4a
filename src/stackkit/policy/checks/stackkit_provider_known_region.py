"""CKV_STACKKIT_20: every AWS provider block names a known region (``eu-west-1``, not
``eu-west1``). A misspelt region passes ``terraform validate`` and fails only at plan/apply
(or, for a real but unintended region, deploys there).

The table of regions is :mod:`stackkit._private.regions` (the one the constructs use), loaded
by file path: importing the ``stackkit`` package would start the jsii kernel inside Checkov.
A region given as an expression (``${var.region}``) is unknown until apply and passes; a
provider without ``region`` takes it from the environment and passes too."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.provider.base_check import BaseProviderCheck

if TYPE_CHECKING:
    from stackkit.policy.checks.stackkit_policy_common import POLICIES
else:
    from stackkit_policy_common import POLICIES

POLICY_ID = "CKV_STACKKIT_20"


@cache
def _regions() -> ModuleType:
    spec = importlib.util.find_spec("stackkit")  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the stackkit package is not installed next to Checkov")
    path = Path(next(iter(spec.submodule_search_locations))) / "_private" / "regions.py"
    module_spec = importlib.util.spec_from_file_location("stackkit_regions_table", path)
    if module_spec is None or module_spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


class ProviderKnownRegion(BaseProviderCheck):
    def __init__(self) -> None:
        policy = POLICIES[POLICY_ID]
        categories: Iterable[CheckCategories] = (CheckCategories.GENERAL_SECURITY,)
        super().__init__(
            name=policy.name, id=policy.id, categories=categories, supported_provider=policy.resource_types
        )

    def scan_provider_conf(self, conf: dict[str, Any]) -> CheckResult:
        region = conf.get("region")
        region = region[0] if isinstance(region, list) and region else region
        if not isinstance(region, str) or not region or "${" in region:
            return CheckResult.PASSED
        problem = _regions().region_problem(region)
        if problem:
            self.details.append(f"provider aws{self._alias(conf)}: {problem}")
            return CheckResult.FAILED
        return CheckResult.PASSED

    @staticmethod
    def _alias(conf: dict[str, Any]) -> str:
        alias = conf.get("alias")
        alias = alias[0] if isinstance(alias, list) and alias else alias
        return f" (alias {alias})" if isinstance(alias, str) else ""


check = ProviderKnownRegion()
