"""Monitoring: alarms to an encrypted SNS topic, deployment events, and a dashboard.

Covers the seed's four observability metrics (deployment duration, rollback rate, container
health, resource utilization) and the failures its log table says people must hear about
(OOM restarts and failing health checks show as task count and unhealthy hosts; rollbacks as
deployment events).

The construct takes what it watches as typed descriptions (:class:`ServiceMetrics`,
:class:`WorkerMetrics`, :class:`QueueMetrics`, :class:`ScheduledTaskMetrics`,
:class:`DatabaseMetrics`, :class:`CacheMetrics`), built from our constructs with ``from_*`` or
from identifiers by a team that brings its own. Everything a team runs goes on one topic and
one dashboard. Alarms are data (:mod:`stackkit.constructs.alarms`); this module only turns each
spec into a CloudWatch alarm.
"""

from __future__ import annotations

import json
import re
from typing import Any, Self
from urllib.parse import urlparse

from pydantic import Field, field_validator, model_validator

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
from stackkit.constructs.alarms import (
    AlarmSpec,
    cache_alarms,
    database_alarms,
    queue_alarms,
    scheduled_task_alarms,
    service_alarms,
    worker_alarms,
)
from stackkit.constructs.encryption_key import EncryptionKey, EncryptionKeyProps
from stackkit.constructs.monitoring_dashboard import dashboard_widgets
from stackkit.constructs.monitoring_metrics import (  # re-exported: stackkit 0.1 defined them here
    AlarmThresholds,
    CacheLike,
    CacheMetrics,
    DatabaseLike,
    DatabaseMetrics,
    QueueMetrics,
    ScheduledTaskMetrics,
    ServiceLike,
    ServiceMetrics,
    WorkerMetrics,
)
from stackkit.constructs.network import NAME_PATTERN

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


#: What a service that publishes to a KMS-encrypted SNS topic needs on the key, and nothing more
#: (SNS developer guide, "Key management", section "Enable compatibility between event sources
#: from AWS services and encrypted topics":
#: https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services;
#: the CloudTrail user guide's "Amazon SNS topic policy for CloudTrail" repeats the statement).
TOPIC_PUBLISHER_KEY_ACTIONS = ("kms:Decrypt", "kms:GenerateDataKey*")


def alarm_arn_pattern(name: str, context: AwsContext) -> str:
    """The ARNs of every alarm named ``<name>-...`` in this account and region (the alarms of a
    :class:`Monitoring` and of the constructs that send to its topic under the same name)."""
    return f"arn:{context.partition}:cloudwatch:{context.region}:{context.account_id}:alarm:{name}-*"


def _publisher_statements(
    name: str, context: AwsContext, *, action: str | list[str], resource: str
) -> tuple[dict[str, Any], ...]:
    """One statement per service that publishes to the alerts topic, for the key policy and the
    topic policy alike (a publisher needs both):

    * CloudWatch alarms: scoped to this account's alarms named ``<name>-...`` (``aws:SourceArn``,
      ArnLike) and to this account (``aws:SourceAccount``). Both requests carry the keys: AWS MDAA's
      grantCloudWatchAlarmsTopicAccess for the key, citing the SNS developer guide section above;
      for the topic, the SNS developer guide ("Example cases for Amazon SNS access control", "Allow
      any CloudWatch alarm to publish to a topic in a different account",
      https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html) and AWS re:Post
      ("Why didn't I receive an SNS notification for my CloudWatch alarm trigger?",
      https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger).
    * EventBridge: NO condition at all. In the key policy: aws:SourceAccount / aws:SourceArn /
      aws:SourceOrgID "are not supported" for EventBridge (SNS developer guide, same section): its
      KMS requests do not carry them. In the topic policy: "You can't use Condition blocks in
      Amazon SNS topic policies for EventBridge" (EventBridge user guide, "Using resource-based
      policies for Amazon EventBridge", "Amazon SNS permissions",
      https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions).
      With either, every deployment notification is dropped with no error anywhere. The
      trade-off AWS leaves: a rule of another account that knew the topic's ARN could publish to
      it (noise, not a read).
    """
    return (
        {
            "Sid": "CloudWatchAlarmsPublish",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": action,
            "Resource": resource,
            "Condition": {
                "StringEquals": {"aws:SourceAccount": context.account_id},
                "ArnLike": {"aws:SourceArn": alarm_arn_pattern(name, context)},
            },
        },
        {
            "Sid": "EventBridgePublish",
            "Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
            "Action": action,
            "Resource": resource,
        },
    )


def alerts_key_statements(name: str, context: AwsContext) -> tuple[dict[str, Any], ...]:
    """The alerts key's policy statements for the two services that publish to the topic."""
    return _publisher_statements(name, context, action=list(TOPIC_PUBLISHER_KEY_ACTIONS), resource="*")


def alerts_topic_statements(name: str, topic_arn: str, context: AwsContext) -> tuple[dict[str, Any], ...]:
    """The alerts topic's policy: ``sns:Publish`` for the same two services, the same way."""
    return _publisher_statements(name, context, action="sns:Publish", resource=topic_arn)


#: The source of the test event the "test your alerting" step (docs/monitoring.md) sends. PutEvents refuses
#: sources that start with ``aws.`` (reserved for AWS services: "Customer-generated events can
#: have any value here, as long as it doesn't begin with 'aws.'", EventBridge event structure),
#: so the failure rule also accepts this one; only principals of the account may put events on
#: its default bus.
ALERTING_TEST_SOURCE = "stackkit.alerting-test"


class MonitoringProps(FrozenModel):
    """Props of :class:`Monitoring`."""

    name: str = Field(pattern=NAME_PATTERN)
    """Required. Prefix of alarm, topic, rule and dashboard names; base of the Terraform addresses.
    Other alarms that send to the topic must be named ``<name>-...`` too: the alerts key lets
    CloudWatch use it only for alarms matching that pattern."""
    service: ServiceMetrics | None = None
    """The service to watch (``ServiceMetrics.from_service(service)``). Default: none."""
    database: DatabaseMetrics | None = None
    """The database to watch (``DatabaseMetrics.from_database(database)``). Default: none."""
    cache: CacheMetrics | None = None
    """The cache to watch (``CacheMetrics.from_cache(cache)``). Default: none."""
    services: tuple[ServiceMetrics, ...] = ()
    """More load-balanced services, each with a ``label`` (``from_service`` sets it). Default: none."""
    workers: tuple[WorkerMetrics, ...] = ()
    """Workers (``WorkerMetrics.from_worker(worker)``): no load-balancer alarms. Default: none."""
    queues: tuple[QueueMetrics, ...] = ()
    """Queues (``QueueMetrics.from_queue(queue)``): oldest message age, dead letters. Default: none."""
    scheduled_tasks: tuple[ScheduledTaskMetrics, ...] = ()
    """Scheduled tasks (``ScheduledTaskMetrics.from_scheduled_task(task)``): failed invocations
    and dead letters. Default: none."""
    thresholds: AlarmThresholds = AlarmThresholds()
    """Default: :class:`AlarmThresholds`' (dev/staging); ``AlarmThresholds.production()`` is stricter."""
    email_subscriptions: tuple[str, ...] = ()
    """Addresses that get every alarm (each confirms by mail). Default: none (dev)."""
    https_subscriptions: tuple[str, ...] = ()
    """HTTPS endpoints (chat or paging webhooks) that get every alarm. Default: none."""
    deployment_log_retention_days: LogRetentionDays = 365
    """Default 365 days: a year of deployment history for incident reviews (CKV_AWS_338)."""

    @model_validator(mode="after")
    def _unique_labels(self) -> Self:
        seen: dict[str, str] = {"service": "service"} if self.service is not None else {}
        for kind, items in (
            ("services", self.services),
            ("workers", self.workers),
            ("queues", self.queues),
            ("scheduled_tasks", self.scheduled_tasks),
        ):
            for item in items:
                if item.label is None:
                    raise ValueError(
                        f"{kind}: every entry needs a label (ServiceMetrics.from_service sets it)"
                    )
                if item.label in seen:
                    raise ValueError(f"{kind}: label {item.label!r} is already used by {seen[item.label]}")
                seen[item.label] = kind
        return self

    def alarm_specs(self) -> list[AlarmSpec]:
        """Every alarm this monitoring creates, as data."""
        t = self.thresholds
        specs: list[AlarmSpec] = []
        if self.service is not None:
            specs += service_alarms(self.service, t)
        for service in self.services:
            specs += service_alarms(service, t, label=service.label)
        for worker in self.workers:
            specs += worker_alarms(worker, t)
        for queue in self.queues:
            specs += queue_alarms(queue, t)
        for task in self.scheduled_tasks:
            specs += scheduled_task_alarms(task, t)
        if self.database is not None:
            specs += database_alarms(self.database, t)
        if self.cache is not None:
            specs += cache_alarms(self.cache, t)
        return specs

    @property
    def watched_services(self) -> list[ServiceMetrics | WorkerMetrics]:
        """Every ECS service (web and worker), for deployment events and the dashboard."""
        return [*([self.service] if self.service else []), *self.services, *self.workers]

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
        self._deployment_log_name = ""
        for spec in props.alarm_specs():
            self._alarm(spec)
        if props.watched_services:
            self._deployment_events(props.watched_services)
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
                statements=alerts_key_statements(name, context),
                allow_cloudwatch_logs=True,
            ),
        )
        self.topic = SnsTopic(self, "topic", name=f"{name}-alerts", kms_master_key_id=self.key.arn)
        pin_address(self.topic, name, "alerts_topic")
        self.topic_arn: str = self.topic.arn
        topic_policy = SnsTopicPolicy(
            self,
            "topic-policy",
            arn=self.topic_arn,
            policy=policy_document(*alerts_topic_statements(name, self.topic_arn, context)),
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

    def _alarm(self, spec: AlarmSpec) -> CloudwatchMetricAlarm:
        thresholds = self.props.thresholds
        name = f"{self.props.name}-{spec.key}"
        metric: dict[str, Any]
        if spec.ratio is not None:
            metric = {
                "metric_query": _ratio_query(
                    spec.namespace, *spec.ratio, dimensions=spec.dimensions, period=thresholds.period_seconds
                )
            }
        else:
            statistic = "extended_statistic" if spec.statistic.startswith("p") else "statistic"
            metric = {
                "namespace": spec.namespace,
                "metric_name": spec.metric,
                "dimensions": spec.dimensions,
                "period": thresholds.period_seconds,
                statistic: spec.statistic,
            }
        alarm = CloudwatchMetricAlarm(
            self,
            spec.key,
            alarm_name=name,
            alarm_description=spec.runbook,
            comparison_operator=spec.comparison,
            threshold=spec.threshold,
            evaluation_periods=thresholds.evaluation_periods,
            datapoints_to_alarm=thresholds.evaluation_periods,
            treat_missing_data=spec.missing_data,
            actions_enabled=True,
            alarm_actions=[self.topic_arn],
            ok_actions=[self.topic_arn],
            **metric,
        )
        pin_address(alarm, self.props.name, "alarm", spec.key)
        self.alarms[name] = alarm
        return alarm

    # -- deployments ------------------------------------------------------------------------
    def _deployment_events(self, services: list[ServiceMetrics | WorkerMetrics]) -> None:
        name = self.props.name
        arns = [service.service_arn for service in services if service.service_arn]
        # Narrowed to the watched services only when every one has an ARN.
        scope_to_service = {"resources": arns} if len(arns) == len(services) else {}
        self.deployment_rule = CloudwatchEventRule(
            self,
            "deployment-failures",
            name=f"{name}-deployment-failed-or-rolled-back",
            description="ECS deployments that failed or were rolled back by the circuit breaker",
            event_pattern=json.dumps(
                {
                    **FAILED_DEPLOYMENT_PATTERN,
                    "source": [*FAILED_DEPLOYMENT_PATTERN["source"], ALERTING_TEST_SOURCE],
                    **scope_to_service,
                }
            ),
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
        props = self.props
        rule_name = self.deployment_rule.name if props.watched_services else ""
        widgets = dashboard_widgets(props, self._context.region, self._deployment_log_name, rule_name)
        self.dashboard = CloudwatchDashboard(
            self,
            "dashboard",
            dashboard_name=f"{props.name}-overview",
            dashboard_body=json.dumps({"widgets": widgets}),
        )
        pin_address(self.dashboard, props.name, "dashboard")


def _ratio_query(
    namespace: str, numerator: str, denominator: str, *, dimensions: dict[str, str], period: int
) -> list[CloudwatchMetricAlarmMetricQuery]:
    """``100 * numerator / denominator`` over two summed metrics, 0 when there is no traffic."""

    def metric(query_id: str, name: str) -> CloudwatchMetricAlarmMetricQuery:
        return CloudwatchMetricAlarmMetricQuery(
            id=query_id,
            return_data=False,
            metric=CloudwatchMetricAlarmMetricQueryMetric(
                namespace=namespace, metric_name=name, dimensions=dimensions, period=period, stat="Sum"
            ),
        )

    return [
        metric("errors", numerator),
        metric("requests", denominator),
        CloudwatchMetricAlarmMetricQuery(
            id="rate",
            # ELB reports a metric only while requests flow (ELB user guide, "CloudWatch metrics
            # for your Application Load Balancer"): FILL(m, 0) turns a quiet period into 0
            # instead of missing data (CloudWatch user guide, "Metric math syntax and
            # functions", FILL), so the rate is 0, not INSUFFICIENT_DATA.
            expression="IF(FILL(requests, 0) > 0, 100 * FILL(errors, 0) / FILL(requests, 0), 0)",
            label=f"{numerator} per 100 requests",
            return_data=True,
        ),
    ]


__all__ = [
    "ALERTING_TEST_SOURCE",
    "FAILED_DEPLOYMENT_PATTERN",
    "TOPIC_PUBLISHER_KEY_ACTIONS",
    "AlarmSpec",
    "AlarmThresholds",
    "CacheLike",
    "CacheMetrics",
    "DatabaseLike",
    "DatabaseMetrics",
    "Monitoring",
    "MonitoringProps",
    "QueueMetrics",
    "ScheduledTaskMetrics",
    "ServiceLike",
    "ServiceMetrics",
    "WorkerMetrics",
    "alarm_arn_pattern",
    "alerts_key_statements",
    "alerts_topic_statements",
]
