"""WorkerService: a Fargate service with no load balancer, no certificate and no ingress at all
(AWS CDK's ``QueueProcessingFargateService``). It scales on CPU and memory and, with a queue
(given, or created from ``queue``), on the queue's backlog per task; its task role may consume
exactly that queue."""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from stackkit._private.cdk import Construct
from stackkit._private.model import FrozenModel
from stackkit._private.team_secrets import require_secrets_in_region
from stackkit.constructs.cluster import ClusterLike
from stackkit.constructs.fargate_service import FargateService, FargateServiceProps
from stackkit.constructs.image_repository import ImageRepositoryLike
from stackkit.constructs.network import NetworkLike
from stackkit.constructs.protocols import require_workload_inputs
from stackkit.constructs.queue import Queue, QueueLike, QueueProps, consume_statements
from stackkit.constructs.task_definition import CacheLike, DatabaseLike, FargateTaskDefinitionProps
from stackkit.constructs.workload import build_task
from stackkit.errors import ValidationError

#: Visible messages per running task that target tracking holds (AWS: "acceptable backlog per
#: task" = acceptable latency / time to process one message); 100 suits sub-second messages.
DEFAULT_MESSAGES_PER_TASK = 100


class WorkerServiceProps(FrozenModel):
    """Props of :class:`WorkerService`."""

    task: FargateTaskDefinitionProps
    """Required. The container; its ``name`` names the worker. ``container_port`` must be None:
    a worker listens on nothing (give a ``health_check_command`` for a liveness check)."""
    service: FargateServiceProps | None = None
    """Default: ``FargateServiceProps(name=task.name)`` (3 tasks, 3..20, CPU 70 %, memory 80 %,
    circuit breaker with rollback). Its ``name`` must be the task's."""
    queue: QueueProps | None = None
    """Default: none. Create this queue (KMS-encrypted, with a dead-letter queue) and consume it;
    or pass an existing one as ``WorkerService(..., queue=...)``."""
    messages_per_task: int = Field(default=DEFAULT_MESSAGES_PER_TASK, ge=1)
    """Default 100. With a queue: the backlog per task autoscaling holds."""

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.task.container_port is not None:
            raise ValueError("task: a worker listens on nothing; set container_port=None")
        if self.service is not None and self.service.name != self.task.name:
            raise ValueError(f"service: its name {self.service.name!r} must be the task's {self.task.name!r}")
        return self

    @property
    def service_props(self) -> FargateServiceProps:
        """``service``, or its default for ``task.name``."""
        return self.service or FargateServiceProps(name=self.task.name)


class WorkerService(Construct):
    """A worker: :class:`FargateTaskDefinition` + :class:`FargateService` without a target.

    Attributes: ``name``, ``key``, ``repository`` (None for a full image URI), ``task``,
    ``fargate``, ``queue`` (None without one), ``connections``, ``security_group_id``,
    ``service_name``, ``service_arn``, ``cluster_name``, ``min_count``, ``task_role_arn``.
    """

    def __init__(
        self,
        scope: Construct,
        id_: str,
        props: WorkerServiceProps,
        *,
        network: NetworkLike,
        cluster: ClusterLike,
        queue: QueueLike | None = None,
        database: DatabaseLike | None = None,
        cache: CacheLike | None = None,
        repository: ImageRepositoryLike | None = None,
    ) -> None:
        require_workload_inputs(network=network, cluster=cluster, database=database, cache=cache)
        require_secrets_in_region(scope, props.task, "WorkerServiceProps", field_prefix="task.")
        if queue is not None and props.queue is not None:
            raise ValidationError(
                "WorkerServiceProps",
                [("queue", "pass an existing queue or QueueProps to create one, not both")],
            )
        super().__init__(scope, id_)
        self.props = props
        self.name = props.task.name
        self.key, self.repository, self.task = build_task(
            self,
            props.task,
            cluster=cluster,
            purpose="worker",
            database=database,
            cache=cache,
            repository=repository,
        )
        self.fargate = FargateService(
            self,
            "fargate",
            props.service_props,
            network=network,
            cluster=cluster,
            task_definition=self.task,
            database=database,
            cache=cache,
        )
        self.queue: QueueLike | None = Queue(self, "queue", props.queue) if props.queue is not None else queue
        if self.queue is not None:
            self.task.add_to_task_role("consume_queue", *consume_statements(self.queue))
            self.fargate.scale_on_queue_backlog(self.queue.name, props.messages_per_task)
        self.connections = self.fargate.connections
        self.security_group_id: str = self.fargate.security_group_id
        self.service_name: str = self.fargate.service_name
        self.service_arn: str = self.fargate.service_arn
        self.cluster_name: str = cluster.name
        self.min_count: int = self.fargate.min_count
        self.task_role_arn: str = self.task.task_role_arn


__all__ = ["WorkerService", "WorkerServiceProps"]
