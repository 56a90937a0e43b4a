"""Alarms as data: one :class:`AlarmSpec` per alarm (metric, statistic, threshold from
:class:`AlarmThresholds`, comparison, missing-data policy, runbook text), produced per watched
thing by a small function. :class:`~stackkit.Monitoring` turns every spec into one CloudWatch
alarm on its topic; nothing else decides what an alarm looks like."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from stackkit.constructs.monitoring_metrics import (
    AlarmThresholds,
    CacheMetrics,
    DatabaseMetrics,
    QueueMetrics,
    ScheduledTaskMetrics,
    ServiceMetrics,
    WorkerMetrics,
)

GIB = 1024**3
Comparison = Literal["GreaterThanThreshold", "LessThanThreshold"]
MissingData = Literal["missing", "breaching", "notBreaching", "ignore"]
ABOVE: Comparison = "GreaterThanThreshold"
BELOW: Comparison = "LessThanThreshold"


@dataclass(frozen=True)
class AlarmSpec:
    """One alarm. ``key`` names it (``<monitoring>-<key>``) and its Terraform address."""

    key: str
    runbook: str
    """The alarm description: what it means and what to do, naming real props."""
    comparison: Comparison
    threshold: float
    namespace: str = ""
    metric: str = ""
    dimensions: dict[str, str] = field(default_factory=dict)
    statistic: str = "Average"
    """``Average``, ``Sum``, ``Minimum``, ``Maximum`` or a percentile such as ``p95``."""
    missing_data: MissingData = "missing"
    ratio: tuple[str, str] | None = None
    """``(numerator, denominator)``: alarm on ``100 * numerator / denominator`` of two
    ``namespace`` metrics (summed) instead of one metric; 0 when the denominator is 0."""


def _ecs_alarms(prefix: str, ecs: dict[str, str], min_count: int, t: AlarmThresholds) -> list[AlarmSpec]:
    return [
        AlarmSpec(
            f"{prefix}-cpu-high",
            f"Service CPU above {t.service_cpu_percent}%. Autoscaling should add tasks; "
            "if at the maximum, raise max_count or the task cpu, or look for a hot loop.",
            ABOVE,
            t.service_cpu_percent,
            "AWS/ECS",
            "CPUUtilization",
            ecs,
        ),
        AlarmSpec(
            f"{prefix}-memory-high",
            f"Service memory above {t.service_memory_percent}%. Tasks near the limit are "
            "OOM-killed (exit 137): raise task memory or find the leak.",
            ABOVE,
            t.service_memory_percent,
            "AWS/ECS",
            "MemoryUtilization",
            ecs,
        ),
        AlarmSpec(
            f"{prefix}-running-tasks-low",
            f"Fewer than {min_count} tasks running: tasks crash, fail health "
            "checks or cannot start. Check stopped-task reasons and the container log group.",
            BELOW,
            min_count,
            "ECS/ContainerInsights",
            "RunningTaskCount",
            ecs,
            statistic="Minimum",
            missing_data="breaching",
        ),
    ]


def service_alarms(
    service: ServiceMetrics, t: AlarmThresholds, *, label: str | None = None
) -> list[AlarmSpec]:
    """A load-balanced service: CPU, memory, running tasks, 5xx rate, unhealthy hosts, p95.
    Without ``label`` the keys are stackkit 0.1's (``service-cpu-high``, ``alb-...``)."""
    ecs = {"ClusterName": service.cluster_name, "ServiceName": service.service_name}
    target = {
        "LoadBalancer": service.load_balancer_arn_suffix,
        "TargetGroup": service.target_group_arn_suffix,
    }
    alb = f"{label}-alb" if label else "alb"
    return [
        *_ecs_alarms(label or "service", ecs, service.min_count, t),
        AlarmSpec(
            f"{alb}-target-5xx-rate",
            f"More than {t.alb_5xx_percent}% of requests end in a target 5xx. Check the "
            "last deployment (roll back if it correlates) and the application logs.",
            ABOVE,
            t.alb_5xx_percent,
            "AWS/ApplicationELB",
            dimensions=target,
            ratio=("HTTPCode_Target_5XX_Count", "RequestCount"),
        ),
        AlarmSpec(
            f"{alb}-unhealthy-hosts",
            f"A target fails the {service.readiness_path} health check. Check the task's readiness "
            "dependencies (database, cache) and its logs.",
            ABOVE,
            t.unhealthy_hosts,
            "AWS/ApplicationELB",
            "UnHealthyHostCount",
            target,
            statistic="Maximum",
        ),
        AlarmSpec(
            f"{alb}-response-time-p95",
            f"p95 response time above {t.response_time_p95_seconds}s. Check database "
            "and cache latency, then service CPU.",
            ABOVE,
            t.response_time_p95_seconds,
            "AWS/ApplicationELB",
            "TargetResponseTime",
            target,
            statistic="p95",
        ),
    ]


def worker_alarms(worker: WorkerMetrics, t: AlarmThresholds) -> list[AlarmSpec]:
    """A worker: CPU, memory and running tasks; it has no load-balancer metrics."""
    ecs = {"ClusterName": worker.cluster_name, "ServiceName": worker.service_name}
    return _ecs_alarms(worker.label, ecs, worker.min_count, t)


def _dead_letter_alarm(label: str, queue_name: str, what: str, t: AlarmThresholds) -> AlarmSpec:
    # SQS publishes ApproximateNumberOfMessagesVisible per QueueName (SQS developer guide,
    # "Available CloudWatch metrics for Amazon SQS"); an idle queue may publish nothing.
    return AlarmSpec(
        f"{label}-dlq-not-empty",
        f"The dead-letter queue {queue_name} holds messages: {what} Read one, fix the cause, "
        "then redrive them to the source queue (SQS console: Start DLQ redrive).",
        ABOVE,
        t.dead_letter_messages,
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        {"QueueName": queue_name},
        statistic="Maximum",
        missing_data="notBreaching",
    )


def queue_alarms(queue: QueueMetrics, t: AlarmThresholds) -> list[AlarmSpec]:
    """A queue: age of the oldest message; its dead-letter queue not empty."""
    specs = [
        # ApproximateAgeOfOldestMessage: "the approximate age of the oldest non-deleted message
        # in the queue", in seconds (SQS developer guide, available CloudWatch metrics).
        AlarmSpec(
            f"{queue.label}-oldest-message-age",
            f"The oldest message of {queue.queue_name} waits longer than "
            f"{t.queue_oldest_message_seconds:g}s: the workers fall behind or fail. Check their "
            "logs and running tasks; raise the worker's max_count or lower messages_per_task.",
            ABOVE,
            t.queue_oldest_message_seconds,
            "AWS/SQS",
            "ApproximateAgeOfOldestMessage",
            {"QueueName": queue.queue_name},
            statistic="Maximum",
            missing_data="notBreaching",
        )
    ]
    if queue.dead_letter_queue_name is not None:
        specs.append(
            _dead_letter_alarm(
                queue.label, queue.dead_letter_queue_name, "messages failed max_receive_count times.", t
            )
        )
    return specs


def scheduled_task_alarms(task: ScheduledTaskMetrics, t: AlarmThresholds) -> list[AlarmSpec]:
    """A scheduled task: failed invocations (RunTask refused) and its dead-letter queue."""
    specs = [
        # EventBridge Scheduler publishes TargetErrorCount per ScheduleGroup in AWS/Scheduler
        # (EventBridge Scheduler user guide, "Monitoring ... with Amazon CloudWatch").
        AlarmSpec(
            f"{task.label}-failed-invocations",
            f"The schedule {task.label} could not start its task (ECS RunTask failed). Check the "
            "dead-letter queue's message for the error: capacity, the image, or the role.",
            ABOVE,
            t.scheduled_task_failures,
            "AWS/Scheduler",
            "TargetErrorCount",
            {"ScheduleGroup": task.schedule_group_name},
            statistic="Sum",
            missing_data="notBreaching",
        )
    ]
    if task.dead_letter_queue_name is not None:
        specs.append(
            _dead_letter_alarm(
                task.label, task.dead_letter_queue_name, "runs were given up after retry_attempts retries.", t
            )
        )
    return specs


def database_alarms(database: DatabaseMetrics, t: AlarmThresholds) -> list[AlarmSpec]:
    rds = {"DBInstanceIdentifier": database.identifier}
    free_bytes = database.allocated_storage_gb * GIB * t.database_free_storage_percent / 100
    return [
        AlarmSpec(
            "database-cpu-high",
            f"Database CPU above {t.database_cpu_percent}%. Check Performance Insights "
            "for the top queries; scale the instance class if load is legitimate.",
            ABOVE,
            t.database_cpu_percent,
            "AWS/RDS",
            "CPUUtilization",
            rds,
        ),
        AlarmSpec(
            "database-free-storage-low",
            f"Free storage below {t.database_free_storage_percent}% of "
            f"{database.allocated_storage_gb} GB. Storage autoscaling should grow it; if at the "
            "maximum, raise max_allocated_storage_gb.",
            BELOW,
            free_bytes,
            "AWS/RDS",
            "FreeStorageSpace",
            rds,
            statistic="Minimum",
        ),
        AlarmSpec(
            "database-connections-high",
            f"More than {t.database_connections} connections. Look for connection "
            "leaks or too many tasks without pooling.",
            ABOVE,
            t.database_connections,
            "AWS/RDS",
            "DatabaseConnections",
            rds,
            statistic="Maximum",
        ),
        *(
            AlarmSpec(
                f"database-replica-lag-{replica}",
                f"Replica {replica} lags more than {t.database_replica_lag_seconds}s; "
                "reads from it are stale. Check write load and the replica's class.",
                ABOVE,
                t.database_replica_lag_seconds,
                "AWS/RDS",
                "ReplicaLag",
                {"DBInstanceIdentifier": replica},
                statistic="Maximum",
            )
            for replica in database.read_replica_identifiers
        ),
    ]


def cache_alarms(cache: CacheMetrics, t: AlarmThresholds) -> list[AlarmSpec]:
    specs: list[AlarmSpec] = []
    for index, node in enumerate(cache.member_cluster_ids, start=1):
        node_dims = {"CacheClusterId": node}
        suffix = f"{index:03d}"
        specs += [
            AlarmSpec(
                f"cache-cpu-high-{suffix}",
                f"Redis engine CPU above {t.cache_cpu_percent}% on node {suffix}. Look "
                "for slow commands (slow log) or scale the node type.",
                ABOVE,
                t.cache_cpu_percent,
                "AWS/ElastiCache",
                "EngineCPUUtilization",
                node_dims,
            ),
            AlarmSpec(
                f"cache-memory-high-{suffix}",
                f"Redis memory above {t.cache_memory_percent}% on node {suffix}; "
                "evictions follow. Check key TTLs or scale the node type.",
                ABOVE,
                t.cache_memory_percent,
                "AWS/ElastiCache",
                "DatabaseMemoryUsagePercentage",
                node_dims,
            ),
            AlarmSpec(
                f"cache-evictions-{suffix}",
                f"More than {t.cache_evictions} evictions per period on node {suffix}: "
                "the cache is too small for its working set.",
                ABOVE,
                t.cache_evictions,
                "AWS/ElastiCache",
                "Evictions",
                node_dims,
                statistic="Sum",
            ),
        ]
        # Only replicas report ReplicationLag; after a failover the roles swap, so every
        # node has the alarm and a missing metric (the primary) is not a breach.
        if len(cache.member_cluster_ids) > 1:
            specs.append(
                AlarmSpec(
                    f"cache-replication-lag-{suffix}",
                    f"Replica {suffix} lags more than {t.cache_replication_lag_seconds}s "
                    "behind the primary; a failover now would lose writes.",
                    ABOVE,
                    t.cache_replication_lag_seconds,
                    "AWS/ElastiCache",
                    "ReplicationLag",
                    node_dims,
                    statistic="Maximum",
                    missing_data="notBreaching",
                )
            )
    return specs


__all__ = [
    "AlarmSpec",
    "cache_alarms",
    "database_alarms",
    "queue_alarms",
    "scheduled_task_alarms",
    "service_alarms",
    "worker_alarms",
]
