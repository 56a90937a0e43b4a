"""FargateService: an ECS service running a task definition, with its security group, rolling
deployment settings, circuit breaker and target-tracking autoscaling."""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from stackkit._private import cdk
from stackkit._private.cdk import (
    AppautoscalingPolicy,
    AppautoscalingTarget,
    Construct,
    EcsService,
    EcsServiceLoadBalancer,
)
from stackkit._private.model import FrozenModel
from stackkit._private.service_defaults import (
    DEFAULT_CPU_TARGET,
    DEFAULT_DESIRED_COUNT,
    DEFAULT_GRACE_PERIOD,
    DEFAULT_MAX_COUNT,
    DEFAULT_MAX_PERCENT,
    DEFAULT_MEMORY_TARGET,
    DEFAULT_MIN_COUNT,
    DEFAULT_MIN_HEALTHY_PERCENT,
    SERVICE_NAME_PATTERN,
    PercentTarget,
    check_counts,
)
from stackkit._private.terraform import pin_address
from stackkit.constructs.cluster import ClusterLike
from stackkit.constructs.connections import Connections
from stackkit.constructs.load_balancer import LoadBalancerTarget
from stackkit.constructs.network import NetworkLike
from stackkit.constructs.protocols import require_workload_inputs
from stackkit.constructs.task_definition import CacheLike, DatabaseLike, FargateTaskDefinition
from stackkit.constructs.workload import open_task_egress

_Metric = cdk.AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetrics

#: Target tracking cooldowns: scale out within a minute, scale in carefully.
SCALE_IN_COOLDOWN = 300
SCALE_OUT_COOLDOWN = 60


class FargateServiceProps(FrozenModel):
    """Props of :class:`FargateService`. Defaults are the seed's Kubernetes Deployment and HPA."""

    name: str = Field(pattern=SERVICE_NAME_PATTERN)
    """Required. The ECS service's name and the base of its Terraform addresses
    (``aws_ecs_service.<name>_service``); the task definition's family by convention."""
    production: bool = False
    """Default off. On: at least 2 tasks and the circuit breaker must stay on."""
    desired_count: int = Field(default=DEFAULT_DESIRED_COUNT, ge=0)
    """Default 3 (the seed's replicas). Autoscaling owns it after creation (ignore_changes)."""
    min_count: int = Field(default=DEFAULT_MIN_COUNT, ge=0)
    """Default 3 (the HPA's minReplicas)."""
    max_count: int = Field(default=DEFAULT_MAX_COUNT, ge=1)
    """Default 20 (the HPA's maxReplicas)."""
    cpu_target: PercentTarget = DEFAULT_CPU_TARGET
    """Default 70 % average CPU (the HPA), 1..100."""
    memory_target: PercentTarget = DEFAULT_MEMORY_TARGET
    """Default 80 % average memory (the HPA), 1..100."""
    min_healthy_percent: int = Field(default=DEFAULT_MIN_HEALTHY_PERCENT, ge=0, le=100)
    """Default 100 (``maxUnavailable: 0``)."""
    max_percent: int = Field(default=DEFAULT_MAX_PERCENT, ge=100, le=200)
    """Default 200 (``maxSurge``)."""
    circuit_breaker: bool = True
    """Default on, with rollback (the seed's fallback strategy). Required in production."""
    health_check_grace_period: int = Field(default=DEFAULT_GRACE_PERIOD, ge=0, le=2147483647)
    """Default 30 s. Set when the tasks have a load-balancer or container health check: ECS
    "ignores unhealthy Elastic Load Balancing, VPC Lattice, and container health checks after a
    task has first started" this long, and without any health check it is unused (ECS API
    reference, CreateService ``healthCheckGracePeriodSeconds``)."""
    enable_execute_command: bool = False
    """ECS Exec. Default off (the task definition must grant it too)."""

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        check_counts(self.min_count, self.desired_count, self.max_count)
        if self.production:
            if self.min_count < 2 or self.desired_count < 2:
                raise ValueError("min_count: production needs at least 2 tasks, so one AZ can fail")
            if not self.circuit_breaker:
                raise ValueError("circuit_breaker: production needs the circuit breaker with rollback")
        return self


class FargateService(Construct):
    """An ECS Fargate service in the private subnets (no public IP) with its own security group
    (no ingress unless granted; HTTPS egress for AWS APIs), a rolling update, the circuit breaker
    with rollback, ``ignore_changes = [desired_count]`` and autoscaling on CPU and memory.

    With a ``target`` (:meth:`LoadBalancer.add_target`) the service registers its tasks there and
    the load balancer may reach the container port; without one nothing can reach the tasks.
    ``database`` / ``cache``: the tasks are granted their port.

    Attributes: ``service``, ``service_name``, ``service_arn``, ``cluster_name``, ``cluster_arn``,
    ``connections``, ``security_group_id``, ``scaling_target``, ``min_count``.
    """

    def __init__(
        self,
        scope: Construct,
        id_: str,
        props: FargateServiceProps,
        *,
        network: NetworkLike,
        cluster: ClusterLike,
        task_definition: FargateTaskDefinition,
        target: LoadBalancerTarget | None = None,
        database: DatabaseLike | None = None,
        cache: CacheLike | None = None,
    ) -> None:
        require_workload_inputs(network=network, cluster=cluster, database=database, cache=cache)
        super().__init__(scope, id_)
        self.props = props
        name = props.name
        self.connections = Connections.with_new_security_group(
            self,
            name=f"{name}-tasks",
            vpc_id=network.vpc_id,
            description=f"{name} tasks: from the load balancer only"
            if target
            else f"{name} tasks: no ingress",
            default_port=task_definition.container_port,
        )
        self.security_group_id: str = self.connections.security_group_id
        # The chain: (ALB ->) tasks -> database / cache, each hop one rule pair.
        if target is not None:
            self.connections.allow_from(target.load_balancer, target.port, f"{name}: load balancer to tasks")
        open_task_egress(self, self.connections, name, database=database, cache=cache)
        behind_load_balancer: dict[str, object] = (
            {
                "load_balancer": [
                    EcsServiceLoadBalancer(
                        target_group_arn=target.target_group_arn,
                        container_name=task_definition.container_name,
                        container_port=target.port,
                    )
                ],
                "depends_on": target.depends_on,
            }
            if target is not None
            else {}
        )
        if target is not None or task_definition.has_health_check:
            behind_load_balancer["health_check_grace_period_seconds"] = props.health_check_grace_period
        self.service = EcsService(
            self,
            "service",
            name=name,
            cluster=cluster.arn,
            task_definition=task_definition.arn,
            desired_count=props.desired_count,
            launch_type="FARGATE",
            platform_version="LATEST",
            deployment_minimum_healthy_percent=props.min_healthy_percent,
            deployment_maximum_percent=props.max_percent,
            deployment_circuit_breaker={"enable": props.circuit_breaker, "rollback": props.circuit_breaker},
            network_configuration={
                "subnets": list(network.private_subnet_ids),
                "security_groups": [self.security_group_id],
                "assign_public_ip": False,
            },
            enable_execute_command=props.enable_execute_command,
            enable_ecs_managed_tags=True,
            propagate_tags="SERVICE",
            # "If true, Terraform will wait for the service to reach a steady state (like aws ecs
            # wait services-stable) before continuing" (AWS provider 6.x, aws_ecs_service argument
            # reference). Without it the apply exits 0 while the circuit breaker rolls the new
            # tasks back: with it a failed rollout fails the deploy job (issue 15).
            wait_for_steady_state=True,
            # Autoscaling changes the running count; a deploy must not reset it.
            lifecycle={"ignore_changes": ["desired_count"]},
            **behind_load_balancer,
        )
        pin_address(self.service, name, "service")
        self.service_name: str = self.service.name
        self.service_arn: str = self.service.arn
        self.cluster_name: str = cluster.name
        self.cluster_arn: str = cluster.arn
        self.min_count: int = props.min_count
        self.scaling_target = AppautoscalingTarget(
            self,
            "scaling-target",
            service_namespace="ecs",
            scalable_dimension="ecs:service:DesiredCount",
            resource_id=f"service/{cluster.name}/{self.service.name}",
            min_capacity=props.min_count,
            max_capacity=props.max_count,
        )
        pin_address(self.scaling_target, name, "scaling_target")
        for metric, value in (
            ("ECSServiceAverageCPUUtilization", props.cpu_target),
            ("ECSServiceAverageMemoryUtilization", props.memory_target),
        ):
            self._track(
                "cpu" if "CPU" in metric else "memory",
                f"scale-{metric}",
                policy_name=f"{name}-{metric}",
                target_value=value,
                metric={"predefined_metric_specification": {"predefined_metric_type": metric}},
            )

    def _track(
        self, key: str, id_: str, *, policy_name: str, target_value: float, metric: dict[str, object]
    ) -> AppautoscalingPolicy:
        policy = AppautoscalingPolicy(
            self,
            id_,
            name=policy_name,
            policy_type="TargetTrackingScaling",
            service_namespace=self.scaling_target.service_namespace,
            scalable_dimension=self.scaling_target.scalable_dimension,
            resource_id=self.scaling_target.resource_id,
            target_tracking_scaling_policy_configuration={
                "target_value": target_value,
                **metric,
                "scale_in_cooldown": SCALE_IN_COOLDOWN,
                "scale_out_cooldown": SCALE_OUT_COOLDOWN,
            },
        )
        pin_address(policy, self.props.name, "scale", key)
        return policy

    def scale_on_queue_backlog(self, queue_name: str, messages_per_task: int) -> AppautoscalingPolicy:
        """Track ``messages_per_task``: visible messages of ``queue_name`` divided by running
        tasks. "To calculate the Amazon SQS queue backlog per task, take the approximate number
        of messages available for retrieval from the queue and divide that number by the number
        of Amazon ECS tasks running in the service" (Application Auto Scaling user guide,
        "Create a target tracking scaling policy ... using metric math")."""
        ecs = [
            {"name": "ClusterName", "value": self.cluster_name},
            {"name": "ServiceName", "value": self.service_name},
        ]
        metrics = [
            _Metric(
                id="messages",
                return_data=False,
                metric_stat={
                    "stat": "Sum",
                    "metric": {
                        "namespace": "AWS/SQS",
                        "metric_name": "ApproximateNumberOfMessagesVisible",
                        "dimensions": [{"name": "QueueName", "value": queue_name}],
                    },
                },
            ),
            _Metric(
                id="tasks",
                return_data=False,
                metric_stat={
                    "stat": "Average",
                    "metric": {
                        "namespace": "ECS/ContainerInsights",
                        "metric_name": "RunningTaskCount",
                        "dimensions": ecs,
                    },
                },
            ),
            _Metric(
                id="backlog",
                label="messages per task",
                expression="IF(tasks > 0, messages / tasks, messages)",
                return_data=True,
            ),
        ]
        return self._track(
            "queue",
            "scale-queue-backlog",
            policy_name=f"{self.props.name}-QueueBacklogPerTask",
            target_value=messages_per_task,
            metric={"customized_metric_specification": {"metrics": metrics}},
        )


__all__ = ["FargateService", "FargateServiceProps"]
