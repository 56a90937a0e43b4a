"""LoadBalancedService: a web service on a shared :class:`LoadBalancer`, reached through its own
listener rule (host and/or path). Several of them share one ALB, one WAF and one log bucket."""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from stackkit._private.cdk import Construct
from stackkit._private.model import FrozenModel
from stackkit._private.service_defaults import (
    DEFAULT_READINESS_INTERVAL,
    DEFAULT_READINESS_PATH,
    UrlPath,
)
from stackkit._private.team_secrets import require_secrets_in_region
from stackkit.constructs.cluster import ClusterLike
from stackkit.constructs.fargate_service import FargateService, FargateServiceProps
from stackkit.constructs.image_repository import ImageRepositoryLike
from stackkit.constructs.load_balancer import ListenerRuleProps, LoadBalancer, LoadBalancerTargetProps
from stackkit.constructs.network import NetworkLike
from stackkit.constructs.protocols import require_workload_inputs
from stackkit.constructs.task_definition import CacheLike, DatabaseLike, FargateTaskDefinitionProps
from stackkit.constructs.workload import build_task


class LoadBalancedServiceProps(FrozenModel):
    """Props of :class:`LoadBalancedService`."""

    task: FargateTaskDefinitionProps
    """Required. The container; its ``name`` names the service. Needs a ``container_port``."""
    rule: ListenerRuleProps
    """Required. Which requests reach this service (hosts and/or paths, a unique priority)."""
    service: FargateServiceProps | None = None
    """Default: ``FargateServiceProps(name=task.name)`` (3 tasks, 3..20, circuit breaker)."""
    readiness_path: UrlPath = DEFAULT_READINESS_PATH
    """Default ``/ready``: the target group's health check."""
    readiness_interval: int = Field(default=DEFAULT_READINESS_INTERVAL, ge=5, le=300)
    """Default 5 s."""

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.task.container_port is None:
            raise ValueError("task: a load-balanced service needs a container_port")
        if self.service is not None and self.service.name != self.task.name:
            raise ValueError(f"service: its name {self.service.name!r} must be the task's {self.task.name!r}")
        return self


class LoadBalancedService(Construct):
    """Key, image repository, task definition, a target group plus listener rule on
    ``load_balancer``, and the Fargate service (reachable from the load balancer only).

    Attributes: ``name``, ``task``, ``target``, ``fargate``, ``connections``, ``service_name``,
    ``service_arn``, ``cluster_name``, ``load_balancer_arn_suffix``, ``target_group_arn_suffix``,
    ``min_count``, ``readiness_path``, ``repository_url`` (None for a full image URI).
    """

    def __init__(
        self,
        scope: Construct,
        id_: str,
        props: LoadBalancedServiceProps,
        *,
        load_balancer: LoadBalancer,
        network: NetworkLike,
        cluster: ClusterLike,
        database: DatabaseLike | None = None,
        cache: CacheLike | None = None,
        repository: ImageRepositoryLike | None = None,
    ) -> None:
        require_workload_inputs(network=network, cluster=cluster, database=database, cache=cache)
        require_secrets_in_region(scope, props.task, "LoadBalancedServiceProps", field_prefix="task.")
        super().__init__(scope, id_)
        self.props = props
        name = self.name = props.task.name
        port = props.task.container_port
        assert port is not None  # validated
        self.target = load_balancer.add_target(
            self,
            LoadBalancerTargetProps(
                name=name,
                port=port,
                readiness_path=props.readiness_path,
                readiness_interval=props.readiness_interval,
                rule=props.rule,
            ),
        )
        self.key, self.repository, self.task = build_task(
            self,
            props.task,
            cluster=cluster,
            purpose="service",
            database=database,
            cache=cache,
            repository=repository,
        )
        self.fargate = FargateService(
            self,
            "fargate",
            props.service or FargateServiceProps(name=name),
            network=network,
            cluster=cluster,
            task_definition=self.task,
            target=self.target,
            database=database,
            cache=cache,
        )
        self.connections = self.fargate.connections
        self.service_name: str = self.fargate.service_name
        self.service_arn: str = self.fargate.service_arn
        self.cluster_name: str = cluster.name
        self.load_balancer_arn_suffix: str = load_balancer.arn_suffix
        self.target_group_arn_suffix: str = self.target.target_group_arn_suffix
        self.min_count: int = self.fargate.min_count
        self.readiness_path: str = props.readiness_path
        self.repository_url: str | None = self.repository.repository_url if self.repository else None


__all__ = ["LoadBalancedService", "LoadBalancedServiceProps"]
