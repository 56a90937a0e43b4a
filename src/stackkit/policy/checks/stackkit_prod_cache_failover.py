"""CKV_STACKKIT_5: in production, a Redis replication group has at least 2 nodes and automatic
failover, so losing the primary promotes a replica instead of losing the cache."""

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
        is_true,
    )
else:
    from stackkit_policy_base import StackkitCheck
    from stackkit_policy_common import PRODUCTION_ENVIRONMENTS, as_number, environment, is_true

MIN_NODES = 2


class ProdCacheFailover(StackkitCheck):
    policy_id = "CKV_STACKKIT_5"
    categories_ = (CheckCategories.BACKUP_AND_RECOVERY,)

    def problems(self, conf: dict[str, Any]) -> list[str]:
        if environment(conf, self.entity_path) not in PRODUCTION_ENVIRONMENTS:
            return []
        problems = []
        clusters = as_number(conf.get("num_cache_clusters"))
        # Cluster mode: nodes per shard = 1 primary + replicas.
        replicas = as_number(conf.get("replicas_per_node_group"))
        nodes = clusters if clusters is not None else (1 + replicas if replicas is not None else 1)
        if nodes < MIN_NODES:
            problems.append(
                f"production cache: at least {MIN_NODES} nodes (num_cache_clusters), found {nodes:g}"
            )
        if not is_true(conf.get("automatic_failover_enabled")):
            problems.append("production cache: set automatic_failover_enabled = true")
        return problems


check = ProdCacheFailover()
