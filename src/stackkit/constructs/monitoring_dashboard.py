"""Monitoring's dashboard, grouped by the seed's four metrics (deployment duration, rollback
rate, container health, resource utilization), as the widget list CloudWatch takes."""

from __future__ import annotations

from typing import Any, Protocol

from stackkit.constructs.monitoring_metrics import (
    CacheMetrics,
    DatabaseMetrics,
    QueueMetrics,
    ScheduledTaskMetrics,
    ServiceMetrics,
    WorkerMetrics,
)


class DashboardSource(Protocol):
    """What the dashboard reads of ``MonitoringProps`` (``stackkit.constructs.monitoring``)."""

    @property
    def service(self) -> ServiceMetrics | None: ...
    @property
    def database(self) -> DatabaseMetrics | None: ...
    @property
    def cache(self) -> CacheMetrics | None: ...
    @property
    def queues(self) -> tuple[QueueMetrics, ...]: ...
    @property
    def scheduled_tasks(self) -> tuple[ScheduledTaskMetrics, ...]: ...
    @property
    def watched_services(self) -> list[ServiceMetrics | WorkerMetrics]: ...


def dashboard_widgets(
    props: DashboardSource, region: str, deployment_log_name: str, deployment_rule_name: str
) -> list[dict[str, Any]]:
    widgets: list[dict[str, Any]] = []

    def section(title: str) -> None:
        widgets.append({"type": "text", "width": 24, "height": 1, "properties": {"markdown": f"## {title}"}})

    def graph(title: str, metrics: list[list[Any]], stat: str = "Average") -> None:
        widgets.append(
            {
                "type": "metric",
                "width": 12,
                "height": 6,
                "properties": {"title": title, "region": region, "stat": stat, "metrics": metrics},
            }
        )

    services = props.watched_services

    def titled(title: str, index: int) -> str:
        """The first service's graphs keep stackkit 0.1's titles; the others name their label."""
        label = services[index].label
        return title if index == 0 and props.service is not None else f"{title}: {label}"

    def ecs(index: int) -> list[str]:
        return ["ClusterName", services[index].cluster_name, "ServiceName", services[index].service_name]

    if services:
        section("Deployment duration")
        widgets.append(
            {
                "type": "log",
                "width": 24,
                "height": 6,
                "properties": {
                    "title": "Deployments: start, end and duration",
                    "region": region,
                    "query": (
                        f"SOURCE '{deployment_log_name}' | fields detail.deploymentId as deployment"
                        " | stats min(@timestamp) as started, max(@timestamp) as ended,"
                        " (max(@timestamp) - min(@timestamp)) / 1000 as seconds by deployment"
                        " | sort started desc"
                    ),
                },
            }
        )
        section("Rollback rate")
        graph(
            "Failed or rolled-back deployments",
            [["AWS/Events", "MatchedEvents", "RuleName", deployment_rule_name]],
            "Sum",
        )
        section("Container health")
        for index, service in enumerate(services):
            graph(
                titled("Running tasks", index),
                [["ECS/ContainerInsights", "RunningTaskCount", *ecs(index)]],
                "Minimum",
            )
            if isinstance(service, ServiceMetrics):  # a worker has no load balancer
                target = [
                    "TargetGroup",
                    service.target_group_arn_suffix,
                    "LoadBalancer",
                    service.load_balancer_arn_suffix,
                ]
                graph(
                    titled("Target health", index),
                    [
                        ["AWS/ApplicationELB", "HealthyHostCount", *target],
                        ["AWS/ApplicationELB", "UnHealthyHostCount", *target],
                    ],
                    "Maximum",
                )
    section("Resource utilization")
    for index in range(len(services)):
        graph(
            titled("Service CPU and memory (%)", index),
            [["AWS/ECS", "CPUUtilization", *ecs(index)], ["AWS/ECS", "MemoryUtilization", *ecs(index)]],
        )
    if props.database is not None:
        rds = ["DBInstanceIdentifier", props.database.identifier]
        graph(
            "Database CPU (%) and connections",
            [["AWS/RDS", "CPUUtilization", *rds], ["AWS/RDS", "DatabaseConnections", *rds]],
        )
    if props.cache is not None:
        graph(
            "Cache engine CPU and memory (%)",
            [
                ["AWS/ElastiCache", metric, "CacheClusterId", node]
                for node in props.cache.member_cluster_ids
                for metric in ("EngineCPUUtilization", "DatabaseMemoryUsagePercentage")
            ],
        )
    for queue in props.queues:
        graph(
            f"Queue {queue.label}: oldest message (s)",
            [["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", queue.queue_name]],
            "Maximum",
        )
    for task in props.scheduled_tasks:
        group = ["ScheduleGroup", task.schedule_group_name]
        graph(
            f"Schedule {task.label}: invocations and errors",
            [
                ["AWS/Scheduler", "InvocationAttemptCount", *group],
                ["AWS/Scheduler", "TargetErrorCount", *group],
            ],
            "Sum",
        )
    return widgets
