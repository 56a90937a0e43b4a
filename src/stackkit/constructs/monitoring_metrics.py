"""What Monitoring watches, as typed descriptions (built from our constructs or from
identifiers), and the thresholds of its alarms."""

from __future__ import annotations

from typing import Any, Protocol, Self

from pydantic import Field, field_validator

from stackkit._private.model import FrozenModel
from stackkit._private.service_defaults import DEFAULT_READINESS_PATH
from stackkit.constructs.protocols import CacheLike, DatabaseLike
from stackkit.constructs.queue import QueueLike

#: A label names alarms and their Terraform addresses.
LABEL_PATTERN = r"^[a-z][a-z0-9-]{0,62}[a-z0-9]$"


class EcsServiceLike(Protocol):
    """What the metrics of any Fargate service read: its ECS names and autoscaling minimum."""

    @property
    def cluster_name(self) -> str: ...
    @property
    def service_name(self) -> str: ...
    @property
    def service_arn(self) -> str: ...
    @property
    def min_count(self) -> int: ...


class ServiceLike(EcsServiceLike, Protocol):
    """What :meth:`ServiceMetrics.from_service` reads from a Service."""

    @property
    def load_balancer_arn_suffix(self) -> str: ...
    @property
    def target_group_arn_suffix(self) -> str: ...


class WorkerLike(EcsServiceLike, Protocol):
    """What :meth:`WorkerMetrics.from_worker` reads from a worker (no load balancer)."""

    @property
    def name(self) -> str: ...


class ScheduledTaskLike(Protocol):
    """What :meth:`ScheduledTaskMetrics.from_scheduled_task` reads."""

    @property
    def name(self) -> str: ...
    @property
    def schedule_group_name(self) -> str: ...
    @property
    def dead_letter_queue_name(self) -> str: ...


class ServiceMetrics(FrozenModel):
    """Identifiers of a Fargate service behind an ALB, for its alarms."""

    cluster_name: str
    """Required: the ECS cluster's name (the ClusterName dimension of the ECS metrics)."""
    service_name: str
    """Required: the ECS service's name (the ServiceName dimension)."""
    service_arn: str | None = None
    """Narrows the deployment-event rule to this service. Default: every service of the account."""
    load_balancer_arn_suffix: str
    """Required. The ``app/<name>/<id>`` part of the ALB ARN (CloudWatch's LoadBalancer dimension)."""
    target_group_arn_suffix: str
    """Required: the ``targetgroup/<name>/<id>`` part of the target group ARN (TargetGroup)."""
    min_count: int = Field(ge=1)
    """Required, at least 1. Alarm when fewer tasks run than this (the autoscaling minimum)."""
    readiness_path: str = DEFAULT_READINESS_PATH
    """Default ``/ready``: the target group's health check path, named in the runbook text."""
    label: str | None = Field(default=None, pattern=LABEL_PATTERN)
    """Default: none. Names this service's alarms (``<monitoring>-<label>-cpu-high``); required
    for entries of ``MonitoringProps.services`` (``from_service`` sets the service's name)."""

    @classmethod
    def from_service(cls, service: ServiceLike) -> Self:
        """From a :class:`~stackkit.Service` or :class:`~stackkit.LoadBalancedService`."""
        return cls(
            cluster_name=service.cluster_name,
            service_name=service.service_name,
            service_arn=service.service_arn,
            load_balancer_arn_suffix=service.load_balancer_arn_suffix,
            target_group_arn_suffix=service.target_group_arn_suffix,
            min_count=service.min_count,
            readiness_path=getattr(service, "readiness_path", DEFAULT_READINESS_PATH),
            label=getattr(service, "name", None),
        )


class WorkerMetrics(FrozenModel):
    """Identifiers of a Fargate service without a load balancer (a worker), for its alarms."""

    label: str = Field(pattern=LABEL_PATTERN)
    """Required. Names the alarms (``<monitoring>-<label>-cpu-high``); the worker's name."""
    cluster_name: str
    """Required: the ECS cluster's name (ClusterName dimension)."""
    service_name: str
    """Required: the ECS service's name (ServiceName dimension)."""
    service_arn: str | None = None
    """Narrows the deployment-event rule to this service too. Default: not narrowed."""
    min_count: int = Field(ge=1)
    """Required, at least 1: alarm when fewer tasks run."""

    @classmethod
    def from_worker(cls, worker: WorkerLike) -> Self:
        """From a :class:`~stackkit.WorkerService`."""
        return cls(
            label=worker.name,
            cluster_name=worker.cluster_name,
            service_name=worker.service_name,
            service_arn=worker.service_arn,
            min_count=worker.min_count,
        )


class QueueMetrics(FrozenModel):
    """Names of an SQS queue and its dead-letter queue, for their alarms."""

    label: str = Field(pattern=LABEL_PATTERN)
    """Required. Names the alarms (``<monitoring>-<label>-oldest-message-age``)."""
    queue_name: str
    """Required: the QueueName dimension of the queue."""
    dead_letter_queue_name: str | None = None
    """Default: none. With one, an alarm fires as soon as it holds a message."""

    @classmethod
    def from_queue(cls, queue: QueueLike) -> Self:
        """From a :class:`~stackkit.Queue` (or a worker's ``queue``)."""
        return cls(
            label=queue.name, queue_name=queue.name, dead_letter_queue_name=queue.dead_letter_queue_name
        )


class ScheduledTaskMetrics(FrozenModel):
    """Identifiers of a scheduled task, for its alarms."""

    label: str = Field(pattern=LABEL_PATTERN)
    """Required. Names the alarms (``<monitoring>-<label>-failed-invocations``)."""
    schedule_group_name: str
    """Required: the ScheduleGroup dimension (EventBridge Scheduler reports per group)."""
    dead_letter_queue_name: str | None = None
    """Default: none. The schedule's dead-letter queue: an alarm fires when it holds a message."""

    @classmethod
    def from_scheduled_task(cls, task: ScheduledTaskLike) -> Self:
        """From a :class:`~stackkit.ScheduledTask`."""
        return cls(
            label=task.name,
            schedule_group_name=task.schedule_group_name,
            dead_letter_queue_name=task.dead_letter_queue_name,
        )


class DatabaseMetrics(FrozenModel):
    """Identifiers of an RDS instance, for its alarms."""

    identifier: str
    """Required: the RDS instance identifier (the DBInstanceIdentifier dimension)."""
    allocated_storage_gb: int = Field(ge=20)
    """Required (RDS minimum 20). Free-storage alarms are a share of this."""
    max_allocated_storage_gb: int | None = Field(default=None, ge=20)
    """Default: none (no storage autoscaling: the allocation is the ceiling). The autoscaling
    ceiling: the free-storage alarm is a share of it (see ``database_free_storage_percent``)."""
    read_replica_identifiers: tuple[str, ...] = ()
    """Replicas get a replica-lag alarm. Default: none (multi-AZ standby has no ReplicaLag)."""

    @property
    def storage_ceiling_gb(self) -> int:
        """The most storage this database can have: the autoscaling ceiling, else the allocation."""
        return max(self.allocated_storage_gb, self.max_allocated_storage_gb or 0)

    @classmethod
    def from_database(cls, database: DatabaseLike) -> Self:
        return cls(
            identifier=database.identifier,
            allocated_storage_gb=database.allocated_storage_gb,
            max_allocated_storage_gb=getattr(database, "max_allocated_storage_gb", None),
        )


class CacheMetrics(FrozenModel):
    """Identifiers of an ElastiCache replication group, for its alarms."""

    replication_group_id: str
    """Required: the replication group's id (names the alarms; the nodes carry the metrics)."""
    member_cluster_ids: tuple[str, ...] = Field(min_length=1)
    """Required, at least one. Node ids (``<group>-001``...): ElastiCache reports per node."""

    @classmethod
    def from_cache(cls, cache: CacheLike) -> Self:
        return cls(
            replication_group_id=cache.replication_group_id, member_cluster_ids=cache.member_cluster_ids
        )


class AlarmThresholds(FrozenModel):
    """Alarm thresholds. Defaults suit dev/staging; :meth:`production` is stricter."""

    service_cpu_percent: float = Field(default=85, gt=0, le=100)
    """Default 85 % in every environment: well above the autoscaling target (``cpu_target``,
    70 %). Target tracking keeps the average *near* 70 %, so an alarm at or just above the
    target (0.1 had 75 % in prod) fires whenever autoscaling is doing its job; at 85 % it
    fires only when scaling lags or is at ``max_count``."""
    service_memory_percent: float = Field(default=85, gt=0, le=100)
    """Default 85 %: tasks near their memory limit are OOM-killed (exit 137)."""
    alb_5xx_percent: float = Field(default=5, gt=0, le=100)
    """Default 5 % (prod 1 %): target 5xx responses as a share of requests."""
    response_time_p95_seconds: float = Field(default=2.0, gt=0)
    """Default 2 s at the 95th percentile: users notice; dev and staging tolerate more than prod."""
    database_cpu_percent: float = Field(default=85, gt=0, le=100)
    """Default 85 %: sustained load close to the instance's limit."""
    database_free_storage_percent: float = Field(default=10, gt=0, le=100)
    """Default 10 % (prod 15 %) of the storage *ceiling* (the autoscaling maximum, else the
    allocation): alarm when less than this is free, i.e. storage autoscaling is near the end
    of its room. Capped at half the initial allocation so a new, small volume does not start
    in alarm while autoscaling has not yet grown it."""
    database_freeable_memory_mb: float = Field(default=256, gt=0)
    """Default 256 MiB (prod 512 MiB): less free RAM than this means the instance swaps or
    its caches are squeezed; raise the instance class or look at connections and work_mem."""
    database_read_latency_seconds: float = Field(default=0.05, gt=0)
    """Default 50 ms (prod 20 ms) average per read I/O; gp3 normally answers in single-digit ms."""
    database_write_latency_seconds: float = Field(default=0.05, gt=0)
    """Default 50 ms (prod 20 ms) average per write I/O."""
    alb_5xx_count: int = Field(default=10, ge=0)
    """Default 10 (prod 5) load-balancer-generated 5xx (``HTTPCode_ELB_5XX_Count``: 502/503/504
    from the ALB itself, no healthy target, target timeouts) per period."""
    database_connections: int = Field(default=200, ge=1)
    """Default 200: about half of what a ``db.t3.medium`` allows; a leak or missing pooling."""
    database_replica_lag_seconds: float = Field(default=60, gt=0)
    """Default 60 s: reads from a replica a minute stale are wrong for most apps."""
    cache_cpu_percent: float = Field(default=85, gt=0, le=100)
    """Default 85 % engine CPU: Redis is single-threaded, so this is the node's limit."""
    cache_memory_percent: float = Field(default=85, gt=0, le=100)
    """Default 85 %: evictions follow when memory runs out."""
    cache_evictions: int = Field(default=1000, ge=0)
    """Default 1000 (prod 100). Evictions per period above which the cache is too small."""
    cache_replication_lag_seconds: float = Field(default=60, gt=0)
    """Default 60 s: a failover now would lose a minute of writes."""
    unhealthy_hosts: int = Field(default=0, ge=0)
    """Default 0: alarm as soon as one target fails the readiness check."""
    queue_oldest_message_seconds: float = Field(default=900, gt=0)
    """Default 15 min (prod 5 min): the oldest message waits longer, the workers fall behind."""
    dead_letter_messages: int = Field(default=0, ge=0)
    """Default 0: alarm as soon as a dead-letter queue holds a message."""
    scheduled_task_failures: int = Field(default=0, ge=0)
    """Default 0: alarm on the first failed scheduled invocation."""
    evaluation_periods: int = Field(default=5, ge=1)
    """Default 5 (prod 3). Consecutive breaching periods before an alarm fires (debounces spikes)."""
    period_seconds: int = Field(default=60, ge=10)
    """Default 60 s: the standard CloudWatch resolution (10, 20, 30 or a multiple of 60)."""

    @field_validator("period_seconds")
    @classmethod
    def _cloudwatch_period(cls, value: int) -> int:
        if value not in (10, 20, 30) and value % 60:
            raise ValueError(f"period {value} s: CloudWatch takes 10, 20, 30 or a multiple of 60")
        return value

    @classmethod
    def production(cls, **overrides: Any) -> Self:
        """Stricter: prod alarms fire earlier and after fewer periods."""
        strict: dict[str, Any] = {
            # service_cpu_percent stays 85: see its docstring (above the 70 % scaling target).
            "service_memory_percent": 80,
            "alb_5xx_percent": 1,
            "response_time_p95_seconds": 1.0,
            "database_cpu_percent": 75,
            "database_free_storage_percent": 15,
            "database_freeable_memory_mb": 512,
            "database_read_latency_seconds": 0.02,
            "database_write_latency_seconds": 0.02,
            "alb_5xx_count": 5,
            "database_replica_lag_seconds": 30,
            "cache_cpu_percent": 75,
            "cache_memory_percent": 80,
            "cache_evictions": 100,
            "cache_replication_lag_seconds": 30,
            "queue_oldest_message_seconds": 300,
            "evaluation_periods": 3,
        }
        return cls(**{**strict, **overrides})


__all__ = [
    "AlarmThresholds",
    "CacheLike",
    "CacheMetrics",
    "DatabaseLike",
    "DatabaseMetrics",
    "EcsServiceLike",
    "LABEL_PATTERN",
    "QueueMetrics",
    "ScheduledTaskLike",
    "ScheduledTaskMetrics",
    "ServiceLike",
    "ServiceMetrics",
    "WorkerLike",
    "WorkerMetrics",
]
