"""Monitoring: alarms to an encrypted SNS topic, deployment events, and a dashboard.

Covers the seed's four observability metrics (deployment duration, rollback rate, container
health, resource utilization) and the failures its log table says people must hear about
(OOM restarts and failing health checks show as task count and unhealthy hosts; rollbacks as
deployment events).

The construct takes what it watches as typed descriptions (:class:`ServiceMetrics`,
:class:`DatabaseMetrics`, :class:`CacheMetrics`), built from our constructs with
``from_service`` / ``from_database`` / ``from_cache`` or from identifiers by a team that
brings its own. It never looks anything up by name.
"""

from __future__ import annotations

import json
import re
from typing import Any, Protocol, Self
from urllib.parse import urlparse

from pydantic import Field, field_validator

from stackkit._private.cdk import (
    CloudwatchDashboard,
    CloudwatchEventRule,
    CloudwatchEventTarget,
    CloudwatchLogResourcePolicy,
    CloudwatchMetricAlarm,
    CloudwatchMetricAlarmMetricQuery,
    CloudwatchMetricAlarmMetricQueryMetric,
    Construct,
    SnsTopic,
    SnsTopicPolicy,
    SnsTopicSubscription,
)
from stackkit._private.iam import policy_document
from stackkit._private.logs import encrypted_log_group
from stackkit._private.model import FrozenModel
from stackkit._private.rules import LogRetentionDays
from stackkit._private.terraform import AwsContext, pin_address
from stackkit.constructs.encryption_key import EncryptionKey, EncryptionKeyProps
from stackkit.constructs.network import NAME_PATTERN
from stackkit.constructs.protocols import CacheLike, DatabaseLike

GIB = 1024**3
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")

#: ECS deployment events that mean "a deployment failed or was rolled back".
FAILED_DEPLOYMENT_PATTERN: dict[str, Any] = {
    "source": ["aws.ecs"],
    "detail-type": ["ECS Deployment State Change"],
    "detail": {
        "$or": [
            {"eventName": ["SERVICE_DEPLOYMENT_FAILED"]},
            # A rollback starts as an IN_PROGRESS deployment whose reason says so; AWS's example
            # reads "ECS deployment circuit breaker: rolling back to deploymentId ...". Wildcards
            # are case-sensitive, so each spelling is listed.
            {
                "eventName": ["SERVICE_DEPLOYMENT_IN_PROGRESS"],
                "reason": [
                    {"wildcard": "*rolling back*"},
                    {"wildcard": "*rollback*"},
                    {"wildcard": "*roll back*"},
                ],
            },
        ]
    },
}


class ServiceLike(Protocol):
    """What :meth:`ServiceMetrics.from_service` reads from a Service."""

    @property
    def cluster_name(self) -> str: ...
    @property
    def service_name(self) -> str: ...
    @property
    def service_arn(self) -> str: ...
    @property
    def load_balancer_arn_suffix(self) -> str: ...
    @property
    def target_group_arn_suffix(self) -> str: ...
    @property
    def min_count(self) -> int: ...


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

    @classmethod
    def from_service(cls, service: ServiceLike) -> Self:
        return cls(
            cluster_name=service.cluster_name,
            service_name=service.service_name,
            service_arn=service.service_arn,
            load_balancer_arn_suffix=service.load_balancer_arn_suffix,
            target_group_arn_suffix=service.target_group_arn_suffix,
            min_count=service.min_count,
        )


class DatabaseMetrics(FrozenModel):
    """Identifiers of an RDS instance, for its alarms."""

    identifier: str
    """Required: the RDS instance identifier (the DBInstanceIdentifier dimension)."""
    allocated_storage_gb: int = Field(ge=20)
    """Required (RDS minimum 20). Free-storage alarms are a share of this."""
    read_replica_identifiers: tuple[str, ...] = ()
    """Replicas get a replica-lag alarm. Default: none (multi-AZ standby has no ReplicaLag)."""

    @classmethod
    def from_database(cls, database: DatabaseLike) -> Self:
        return cls(identifier=database.identifier, allocated_storage_gb=database.allocated_storage_gb)


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
    """Default 85 %: above the autoscaling target (70 %), so it fires only when scaling lags."""
    service_memory_percent: float = Field(default=85, gt=0, le=100)
    """Default 85 %: tasks near their memory limit are OOM-killed (exit 137)."""
    alb_5xx_percent: float = Field(default=5, gt=0, le=100)
    """Default 5 % (prod 1 %): target 5xx responses as a share of requests."""
    response_time_p95_seconds: float = Field(default=2.0, gt=0)
    """Default 2 s at the 95th percentile: users notice; dev and staging tolerate more than prod."""
    database_cpu_percent: float = Field(default=85, gt=0, le=100)
    """Default 85 %: sustained load close to the instance's limit."""
    database_free_storage_percent: float = Field(default=15, gt=0, le=100)
    """Default 15 % (prod 25 %): alarm when free storage falls below this share of allocated
    storage, while storage autoscaling still has room to act."""
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
            "service_cpu_percent": 75,
            "service_memory_percent": 80,
            "alb_5xx_percent": 1,
            "response_time_p95_seconds": 1.0,
            "database_cpu_percent": 75,
            "database_free_storage_percent": 25,
            "database_replica_lag_seconds": 30,
            "cache_cpu_percent": 75,
            "cache_memory_percent": 80,
            "cache_evictions": 100,
            "cache_replication_lag_seconds": 30,
            "evaluation_periods": 3,
        }
        return cls(**{**strict, **overrides})


class MonitoringProps(FrozenModel):
    """Props of :class:`Monitoring`."""

    name: str = Field(pattern=NAME_PATTERN)
    """Required. Prefix of alarm, topic, rule and dashboard names; base of the Terraform addresses."""
    service: ServiceMetrics | None = None
    """The service to watch (``ServiceMetrics.from_service(service)``). Default: none."""
    database: DatabaseMetrics | None = None
    """The database to watch (``DatabaseMetrics.from_database(database)``). Default: none."""
    cache: CacheMetrics | None = None
    """The cache to watch (``CacheMetrics.from_cache(cache)``). Default: none."""
    thresholds: AlarmThresholds = AlarmThresholds()
    """Default: :class:`AlarmThresholds`' (dev/staging); ``AlarmThresholds.production()`` is stricter."""
    email_subscriptions: tuple[str, ...] = ()
    """Addresses that get every alarm (each confirms by mail). Default: none (dev)."""
    https_subscriptions: tuple[str, ...] = ()
    """HTTPS endpoints (chat or paging webhooks) that get every alarm. Default: none."""
    deployment_log_retention_days: LogRetentionDays = 365
    """Default 365 days: a year of deployment history for incident reviews (CKV_AWS_338)."""

    @field_validator("email_subscriptions")
    @classmethod
    def _emails(cls, emails: tuple[str, ...]) -> tuple[str, ...]:
        for email in emails:
            if not EMAIL_PATTERN.fullmatch(email):
                raise ValueError(f"{email!r} is not an email address like oncall@example.com")
        return emails

    @field_validator("https_subscriptions")
    @classmethod
    def _endpoints(cls, urls: tuple[str, ...]) -> tuple[str, ...]:
        for url in urls:
            parsed = urlparse(url)
            if parsed.scheme != "https" or not parsed.hostname or " " in url:
                raise ValueError(f"{url!r} is not an https:// URL like https://hooks.example.com/alerts")
        return urls


class Monitoring(Construct):
    """Alarms (alarm and OK actions to an encrypted SNS topic), failed/rolled-back deployment
    notifications, a deployment log and a dashboard grouped by the seed's four metrics.

    Attributes: ``topic`` / ``topic_arn``, ``key``, ``alarms`` (name -> resource),
    ``deployment_rule``, ``dashboard``.
    """

    def __init__(self, scope: Construct, id_: str, props: MonitoringProps) -> None:
        super().__init__(scope, id_)
        self.props = props
        self._context = AwsContext.of(self)
        self.alarms: dict[str, CloudwatchMetricAlarm] = {}
        self._alerting(props)
        if props.service is not None:
            self._service_alarms(props.service)
            self._deployment_events(props.service)
        if props.database is not None:
            self._database_alarms(props.database)
        if props.cache is not None:
            self._cache_alarms(props.cache)
        self._dashboard()

    # -- alerting ---------------------------------------------------------------------------
    def _alerting(self, props: MonitoringProps) -> None:
        name, context = props.name, self._context
        self.key = EncryptionKey(
            self,
            "alerts-key",
            EncryptionKeyProps(
                name=f"{name}-alerts",
                description=f"{name} alert topic and deployment log",
                service_principals=("cloudwatch.amazonaws.com", "events.amazonaws.com"),
                allow_cloudwatch_logs=True,
            ),
        )
        self.topic = SnsTopic(self, "topic", name=f"{name}-alerts", kms_master_key_id=self.key.arn)
        pin_address(self.topic, name, "alerts_topic")
        self.topic_arn: str = self.topic.arn
        publishers = {"Service": ["cloudwatch.amazonaws.com", "events.amazonaws.com"]}
        topic_policy = SnsTopicPolicy(
            self,
            "topic-policy",
            arn=self.topic_arn,
            policy=policy_document(
                {
                    "Sid": "AlarmsAndEventsPublish",
                    "Effect": "Allow",
                    "Principal": publishers,
                    "Action": "sns:Publish",
                    "Resource": self.topic_arn,
                    "Condition": {"StringEquals": {"aws:SourceAccount": context.account_id}},
                }
            ),
        )
        pin_address(topic_policy, name, "alerts_topic_policy")
        for index, email in enumerate(props.email_subscriptions):
            subscription = SnsTopicSubscription(
                self, f"email-{index}", topic_arn=self.topic_arn, protocol="email", endpoint=email
            )
            pin_address(subscription, name, "alerts_email", str(index))
        for index, url in enumerate(props.https_subscriptions):
            subscription = SnsTopicSubscription(
                self, f"https-{index}", topic_arn=self.topic_arn, protocol="https", endpoint=url
            )
            pin_address(subscription, name, "alerts_https", str(index))

    def _alarm(
        self,
        key: str,
        *,
        description: str,
        comparison: str,
        threshold: float,
        namespace: str | None = None,
        metric: str | None = None,
        dimensions: dict[str, str] | None = None,
        statistic: str = "Average",
        metric_query: list[CloudwatchMetricAlarmMetricQuery] | None = None,
        missing_data: str = "missing",
    ) -> CloudwatchMetricAlarm:
        thresholds = self.props.thresholds
        name = f"{self.props.name}-{key}"
        single_metric: dict[str, Any] = (
            {}
            if metric_query is not None
            else {
                "namespace": namespace,
                "metric_name": metric,
                "dimensions": dimensions,
                "period": thresholds.period_seconds,
                **(
                    {"extended_statistic": statistic}
                    if statistic.startswith("p")
                    else {"statistic": statistic}
                ),
            }
        )
        alarm = CloudwatchMetricAlarm(
            self,
            key,
            alarm_name=name,
            alarm_description=description,
            comparison_operator=comparison,
            threshold=threshold,
            evaluation_periods=thresholds.evaluation_periods,
            datapoints_to_alarm=thresholds.evaluation_periods,
            treat_missing_data=missing_data,
            actions_enabled=True,
            alarm_actions=[self.topic_arn],
            ok_actions=[self.topic_arn],
            metric_query=metric_query,
            **single_metric,
        )
        pin_address(alarm, self.props.name, "alarm", key)
        self.alarms[name] = alarm
        return alarm

    # -- alarms -----------------------------------------------------------------------------
    def _service_alarms(self, service: ServiceMetrics) -> None:
        t = self.props.thresholds
        ecs = {"ClusterName": service.cluster_name, "ServiceName": service.service_name}
        alb = {"LoadBalancer": service.load_balancer_arn_suffix}
        target = {**alb, "TargetGroup": service.target_group_arn_suffix}
        above = "GreaterThanThreshold"
        self._alarm(
            "service-cpu-high",
            description=f"Service CPU above {t.service_cpu_percent}%. Autoscaling should add tasks; "
            "if at the maximum, raise max_tasks or the task CPU, or look for a hot loop.",
            comparison=above,
            threshold=t.service_cpu_percent,
            namespace="AWS/ECS",
            metric="CPUUtilization",
            dimensions=ecs,
        )
        self._alarm(
            "service-memory-high",
            description=f"Service memory above {t.service_memory_percent}%. Tasks near the limit are "
            "OOM-killed (exit 137): raise task memory or find the leak.",
            comparison=above,
            threshold=t.service_memory_percent,
            namespace="AWS/ECS",
            metric="MemoryUtilization",
            dimensions=ecs,
        )
        self._alarm(
            "service-running-tasks-low",
            description=f"Fewer than {service.min_count} tasks running: tasks crash, fail health "
            "checks or cannot start. Check stopped-task reasons and the container log group.",
            comparison="LessThanThreshold",
            threshold=service.min_count,
            namespace="ECS/ContainerInsights",
            metric="RunningTaskCount",
            dimensions=ecs,
            statistic="Minimum",
            missing_data="breaching",
        )
        self._alarm(
            "alb-target-5xx-rate",
            description=f"More than {t.alb_5xx_percent}% of requests end in a target 5xx. Check the "
            "last deployment (roll back if it correlates) and the application logs.",
            comparison=above,
            threshold=t.alb_5xx_percent,
            metric_query=_ratio_query("HTTPCode_Target_5XX_Count", "RequestCount", target, t.period_seconds),
        )
        self._alarm(
            "alb-unhealthy-hosts",
            description="A target fails the /ready health check. Check the task's readiness "
            "dependencies (database, cache) and its logs.",
            comparison=above,
            threshold=0,
            namespace="AWS/ApplicationELB",
            metric="UnHealthyHostCount",
            dimensions=target,
            statistic="Maximum",
        )
        self._alarm(
            "alb-response-time-p95",
            description=f"p95 response time above {t.response_time_p95_seconds}s. Check database "
            "and cache latency, then service CPU.",
            comparison=above,
            threshold=t.response_time_p95_seconds,
            namespace="AWS/ApplicationELB",
            metric="TargetResponseTime",
            dimensions=target,
            statistic="p95",
        )

    def _database_alarms(self, database: DatabaseMetrics) -> None:
        t = self.props.thresholds
        rds = {"DBInstanceIdentifier": database.identifier}
        self._alarm(
            "database-cpu-high",
            description=f"Database CPU above {t.database_cpu_percent}%. Check Performance Insights "
            "for the top queries; scale the instance class if load is legitimate.",
            comparison="GreaterThanThreshold",
            threshold=t.database_cpu_percent,
            namespace="AWS/RDS",
            metric="CPUUtilization",
            dimensions=rds,
        )
        free_bytes = database.allocated_storage_gb * GIB * t.database_free_storage_percent / 100
        self._alarm(
            "database-free-storage-low",
            description=f"Free storage below {t.database_free_storage_percent}% of "
            f"{database.allocated_storage_gb} GB. Storage autoscaling should grow it; if at the "
            "maximum, raise max_allocated_storage.",
            comparison="LessThanThreshold",
            threshold=free_bytes,
            namespace="AWS/RDS",
            metric="FreeStorageSpace",
            dimensions=rds,
            statistic="Minimum",
        )
        self._alarm(
            "database-connections-high",
            description=f"More than {t.database_connections} connections. Look for connection "
            "leaks or too many tasks without pooling.",
            comparison="GreaterThanThreshold",
            threshold=t.database_connections,
            namespace="AWS/RDS",
            metric="DatabaseConnections",
            dimensions=rds,
            statistic="Maximum",
        )
        for replica in database.read_replica_identifiers:
            self._alarm(
                f"database-replica-lag-{replica}",
                description=f"Replica {replica} lags more than {t.database_replica_lag_seconds}s; "
                "reads from it are stale. Check write load and the replica's class.",
                comparison="GreaterThanThreshold",
                threshold=t.database_replica_lag_seconds,
                namespace="AWS/RDS",
                metric="ReplicaLag",
                dimensions={"DBInstanceIdentifier": replica},
                statistic="Maximum",
            )

    def _cache_alarms(self, cache: CacheMetrics) -> None:
        t = self.props.thresholds
        for index, node in enumerate(cache.member_cluster_ids, start=1):
            node_dims = {"CacheClusterId": node}
            suffix = f"{index:03d}"
            self._alarm(
                f"cache-cpu-high-{suffix}",
                description=f"Redis engine CPU above {t.cache_cpu_percent}% on node {suffix}. Look "
                "for slow commands (slow log) or scale the node type.",
                comparison="GreaterThanThreshold",
                threshold=t.cache_cpu_percent,
                namespace="AWS/ElastiCache",
                metric="EngineCPUUtilization",
                dimensions=node_dims,
            )
            self._alarm(
                f"cache-memory-high-{suffix}",
                description=f"Redis memory above {t.cache_memory_percent}% on node {suffix}; "
                "evictions follow. Check key TTLs or scale the node type.",
                comparison="GreaterThanThreshold",
                threshold=t.cache_memory_percent,
                namespace="AWS/ElastiCache",
                metric="DatabaseMemoryUsagePercentage",
                dimensions=node_dims,
            )
            self._alarm(
                f"cache-evictions-{suffix}",
                description=f"More than {t.cache_evictions} evictions per period on node {suffix}: "
                "the cache is too small for its working set.",
                comparison="GreaterThanThreshold",
                threshold=t.cache_evictions,
                namespace="AWS/ElastiCache",
                metric="Evictions",
                dimensions=node_dims,
                statistic="Sum",
            )
            # Only replicas report ReplicationLag; after a failover the roles swap, so every
            # node has the alarm and a missing metric (the primary) is not a breach.
            if len(cache.member_cluster_ids) > 1:
                self._alarm(
                    f"cache-replication-lag-{suffix}",
                    description=f"Replica {suffix} lags more than {t.cache_replication_lag_seconds}s "
                    "behind the primary; a failover now would lose writes.",
                    comparison="GreaterThanThreshold",
                    threshold=t.cache_replication_lag_seconds,
                    namespace="AWS/ElastiCache",
                    metric="ReplicationLag",
                    dimensions=node_dims,
                    statistic="Maximum",
                    missing_data="notBreaching",
                )

    # -- deployments ------------------------------------------------------------------------
    def _deployment_events(self, service: ServiceMetrics) -> None:
        name = self.props.name
        scope_to_service = {"resources": [service.service_arn]} if service.service_arn else {}
        self.deployment_rule = CloudwatchEventRule(
            self,
            "deployment-failures",
            name=f"{name}-deployment-failed-or-rolled-back",
            description="ECS deployments that failed or were rolled back by the circuit breaker",
            event_pattern=json.dumps({**FAILED_DEPLOYMENT_PATTERN, **scope_to_service}),
        )
        pin_address(self.deployment_rule, name, "deployment_failures")
        failures_target = CloudwatchEventTarget(
            self, "deployment-failures-to-topic", rule=self.deployment_rule.name, arn=self.topic_arn
        )
        pin_address(failures_target, name, "deployment_failures_to_topic")
        # Every deployment event goes to a log: the dashboard derives deployment durations.
        log = encrypted_log_group(
            self,
            "deployment-log",
            name=f"/aws/events/{name}/ecs-deployments",
            kms_key_arn=self.key.arn,
            retention_days=self.props.deployment_log_retention_days,
            address=(name, "deployment_events"),
        )
        self._deployment_log_name = log.name
        all_deployments = CloudwatchEventRule(
            self,
            "deployments",
            name=f"{name}-deployments",
            description="Every ECS deployment state change, logged for the dashboard",
            event_pattern=json.dumps(
                {"source": ["aws.ecs"], "detail-type": ["ECS Deployment State Change"], **scope_to_service}
            ),
        )
        pin_address(all_deployments, name, "deployments")
        log_target = CloudwatchEventTarget(self, "deployments-to-log", rule=all_deployments.name, arn=log.arn)
        pin_address(log_target, name, "deployments_to_log")
        log_policy = CloudwatchLogResourcePolicy(
            self,
            "deployment-log-policy",
            policy_name=f"{name}-deployment-events",
            policy_document=policy_document(
                {
                    "Effect": "Allow",
                    "Principal": {"Service": ["events.amazonaws.com", "delivery.logs.amazonaws.com"]},
                    "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                    "Resource": f"{log.arn}:*",
                }
            ),
        )
        pin_address(log_policy, name, "deployment_log_policy")

    # -- dashboard --------------------------------------------------------------------------
    def _dashboard(self) -> None:
        props, region = self.props, self._context.region
        widgets: list[dict[str, Any]] = []

        def section(title: str) -> None:
            widgets.append(
                {"type": "text", "width": 24, "height": 1, "properties": {"markdown": f"## {title}"}}
            )

        def graph(title: str, metrics: list[list[Any]], stat: str = "Average") -> None:
            widgets.append(
                {
                    "type": "metric",
                    "width": 12,
                    "height": 6,
                    "properties": {"title": title, "region": region, "stat": stat, "metrics": metrics},
                }
            )

        service = props.service
        if service is not None:
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
                            f"SOURCE '{self._deployment_log_name}' | fields detail.deploymentId as deployment"
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
                [["AWS/Events", "MatchedEvents", "RuleName", self.deployment_rule.name]],
                "Sum",
            )
            section("Container health")
            ecs = ["ClusterName", service.cluster_name, "ServiceName", service.service_name]
            target = [
                "TargetGroup",
                service.target_group_arn_suffix,
                "LoadBalancer",
                service.load_balancer_arn_suffix,
            ]
            graph("Running tasks", [["ECS/ContainerInsights", "RunningTaskCount", *ecs]], "Minimum")
            graph(
                "Target health",
                [
                    ["AWS/ApplicationELB", "HealthyHostCount", *target],
                    ["AWS/ApplicationELB", "UnHealthyHostCount", *target],
                ],
                "Maximum",
            )
        section("Resource utilization")
        if service is not None:
            graph(
                "Service CPU and memory (%)",
                [["AWS/ECS", "CPUUtilization", *ecs], ["AWS/ECS", "MemoryUtilization", *ecs]],
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
        self.dashboard = CloudwatchDashboard(
            self,
            "dashboard",
            dashboard_name=f"{props.name}-overview",
            dashboard_body=json.dumps({"widgets": widgets}),
        )
        pin_address(self.dashboard, props.name, "dashboard")


def _ratio_query(
    numerator: str, denominator: str, dimensions: dict[str, str], period: int
) -> list[CloudwatchMetricAlarmMetricQuery]:
    """``100 * numerator / denominator`` over ALB metrics, 0 when there is no traffic."""

    def metric(query_id: str, name: str) -> CloudwatchMetricAlarmMetricQuery:
        return CloudwatchMetricAlarmMetricQuery(
            id=query_id,
            return_data=False,
            metric=CloudwatchMetricAlarmMetricQueryMetric(
                namespace="AWS/ApplicationELB",
                metric_name=name,
                dimensions=dimensions,
                period=period,
                stat="Sum",
            ),
        )

    return [
        metric("errors", numerator),
        metric("requests", denominator),
        CloudwatchMetricAlarmMetricQuery(
            id="rate",
            expression="IF(requests > 0, 100 * errors / requests, 0)",
            label=f"{numerator} per 100 requests",
            return_data=True,
        ),
    ]
