"""ScheduledTask: a cron or rate expression runs a Fargate task (AWS CDK's ``ScheduledFargateTask``)
through EventBridge Scheduler, with retries and a dead-letter queue; the scheduler's role may run
exactly this task family on this cluster and pass exactly its two roles."""

from __future__ import annotations

import re
from typing import Self

from pydantic import Field, field_validator, model_validator

from stackkit._private.cdk import (
    Construct,
    IamRole,
    IamRolePolicy,
    SchedulerSchedule,
    SchedulerScheduleGroup,
    SqsQueue,
)
from stackkit._private.iam import assume_role_policy, policy_document
from stackkit._private.model import FrozenModel
from stackkit._private.skips import SCHEDULED_TASK_SECURITY_GROUP
from stackkit._private.team_secrets import require_secrets_in_region
from stackkit._private.terraform import AwsContext, pin_address
from stackkit.constructs.cluster import ClusterLike
from stackkit.constructs.image_repository import ImageRepositoryLike
from stackkit.constructs.network import NetworkLike
from stackkit.constructs.protocols import require_workload_inputs
from stackkit.constructs.queue import DATA_KEY_REUSE_SECONDS, MAX_RETENTION_SECONDS
from stackkit.constructs.task_definition import CacheLike, DatabaseLike, FargateTaskDefinitionProps
from stackkit.constructs.workload import build_task, no_ingress_task_connections, open_task_egress

#: ``cron(minutes hours day-of-month month day-of-week year)`` or ``rate(value unit)``
#: (EventBridge Scheduler user guide, "Schedule types": cron-based and rate-based schedules). The
#: unit is singular for 1 and plural above: "rate(1 hours) and rate(5 hour) aren't valid, but
#: rate(1 hour) and rate(5 hours) are valid" ("Rate expressions reference", Amazon EventBridge
#: User Guide: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rate-expressions.html).
SCHEDULE_PATTERN = re.compile(
    r"^(cron\((\S+ ){5}\S+\)|rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\))$"
)
#: Scheduler's RetryPolicy: MaximumRetryAttempts 0..185, MaximumEventAgeInSeconds 60..86400
#: (EventBridge Scheduler API reference, RetryPolicy:
#: https://docs.aws.amazon.com/scheduler/latest/APIReference/API_RetryPolicy.html).
DEFAULT_RETRY_ATTEMPTS = 2
DEFAULT_MAXIMUM_EVENT_AGE = 3600


class ScheduledTaskProps(FrozenModel):
    """Props of :class:`ScheduledTask`."""

    task: FargateTaskDefinitionProps
    """Required. The container to run; its ``name`` names the schedule, its group and the task
    family. ``container_port`` must be None (a job listens on nothing)."""
    schedule: str
    """Required. ``cron(0 3 * * ? *)`` (03:00 every day) or ``rate(1 hour)``."""
    timezone: str = "UTC"
    """Default ``UTC``: the time zone of a cron expression (IANA name, e.g. ``Europe/Berlin``)."""
    task_count: int = Field(default=1, ge=1, le=10)
    """Default 1 task per run (RunTask starts at most 10)."""
    retry_attempts: int = Field(default=DEFAULT_RETRY_ATTEMPTS, ge=0, le=185)
    """Default 2: retries of a failed RunTask call before the event goes to the dead-letter queue."""
    maximum_event_age_seconds: int = Field(default=DEFAULT_MAXIMUM_EVENT_AGE, ge=60, le=86400)
    """Default 1 hour: a run not started by then is given up (and dead-lettered)."""
    enabled: bool = True
    """Default on. Off keeps everything but pauses the schedule."""
    dead_letter_retention_seconds: int = Field(default=MAX_RETENTION_SECONDS, ge=60, le=MAX_RETENTION_SECONDS)
    """Default 14 days: how long failed-invocation events wait in the dead-letter queue."""

    @field_validator("schedule")
    @classmethod
    def _expression(cls, schedule: str) -> str:
        if not SCHEDULE_PATTERN.fullmatch(schedule):
            raise ValueError(
                "must be cron(<6 fields>) like cron(0 3 * * ? *) or rate(<n> <unit>) like rate(1 hour) "
                "or rate(6 hours) (unit: minute, hour or day; plural above 1)"
            )
        return schedule

    @model_validator(mode="after")
    def _job(self) -> Self:
        if self.task.container_port is not None:
            raise ValueError("task: a scheduled task listens on nothing; set container_port=None")
        return self


class ScheduledTask(Construct):
    """An EventBridge Scheduler schedule (in its own schedule group, so its metrics are its own)
    running a :class:`FargateTaskDefinition` in the private subnets with a security group that
    has no ingress; failed invocations go to a KMS-encrypted dead-letter queue.

    Attributes: ``name``, ``task``, ``schedule``, ``schedule_group_name``, ``role``,
    ``dead_letter_queue``, ``dead_letter_queue_name``, ``connections``, ``security_group_id``.
    """

    def __init__(
        self,
        scope: Construct,
        id_: str,
        props: ScheduledTaskProps,
        *,
        network: NetworkLike,
        cluster: ClusterLike,
        database: DatabaseLike | None = None,
        cache: CacheLike | None = None,
        repository: ImageRepositoryLike | None = None,
    ) -> None:
        require_workload_inputs(network=network, cluster=cluster, database=database, cache=cache)
        require_secrets_in_region(scope, props.task, "ScheduledTaskProps", field_prefix="task.")
        super().__init__(scope, id_)
        self.props = props
        name = self.name = props.task.name
        context = AwsContext.of(self)
        self.key, self.repository, self.task = build_task(
            self,
            props.task,
            cluster=cluster,
            purpose="task",
            database=database,
            cache=cache,
            repository=repository,
        )
        self.connections = no_ingress_task_connections(
            self,
            name,
            vpc_id=network.vpc_id,
            description=f"{name} tasks: no ingress",
            attached=SCHEDULED_TASK_SECURITY_GROUP,
        )
        self.security_group_id: str = self.connections.security_group_id
        open_task_egress(self, self.connections, name, database=database, cache=cache)
        self.dead_letter_queue = SqsQueue(
            self,
            "dead-letter-queue",
            name=f"{name}-schedule-dlq",
            kms_master_key_id=self.key.arn,
            kms_data_key_reuse_period_seconds=DATA_KEY_REUSE_SECONDS,
            message_retention_seconds=props.dead_letter_retention_seconds,
        )
        pin_address(self.dead_letter_queue, name, "schedule_dlq")
        self.dead_letter_queue_name: str = f"{name}-schedule-dlq"
        self.role = IamRole(
            self,
            "scheduler-role",
            name_prefix=f"{name}-sched-"[:38],
            assume_role_policy=assume_role_policy("scheduler.amazonaws.com", context.account_id),
        )
        pin_address(self.role, name, "scheduler_role")
        task = self.task
        policy = IamRolePolicy(
            self,
            "scheduler-policy",
            role=self.role.id,
            policy=policy_document(
                # "EventBridge service needs permissions to run Amazon ECS tasks on your behalf"
                # (ecs:RunTask) and "you must add iam:PassRole permissions for each task execution
                # role, task role" (Amazon ECS developer guide, "Amazon ECS EventBridge IAM Role").
                # Only this family's revisions, only on this cluster.
                {
                    "Sid": "RunThisTaskFamily",
                    "Effect": "Allow",
                    "Action": "ecs:RunTask",
                    "Resource": f"{task.task_definition.arn_without_revision}:*",
                    "Condition": {"ArnEquals": {"ecs:cluster": cluster.arn}},
                },
                {
                    "Sid": "PassThisTasksRoles",
                    "Effect": "Allow",
                    "Action": "iam:PassRole",
                    "Resource": [task.execution_role_arn, task.task_role_arn],
                    "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}},
                },
                # "your schedule execution role needs ... sqs:SendMessage" to deliver dead-letter
                # events (EventBridge Scheduler user guide, "Configuring a schedule's dead-letter
                # queue"); the queue is SSE-KMS, so sending needs its key's data keys too. The same
                # key encrypts the schedule itself (kms_key_arn; EventBridge Scheduler user guide,
                # "Encryption at rest": a customer managed key the execution role may decrypt).
                {
                    "Sid": "DeadLetter",
                    "Effect": "Allow",
                    "Action": "sqs:SendMessage",
                    "Resource": self.dead_letter_queue.arn,
                },
                {
                    "Sid": "DeadLetterAndScheduleEncryption",
                    "Effect": "Allow",
                    "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                    "Resource": self.key.arn,
                },
            ),
        )
        pin_address(policy, name, "scheduler_policy")
        group = SchedulerScheduleGroup(self, "schedule-group", name=name)
        pin_address(group, name, "schedule_group")
        self.schedule_group_name: str = name
        self.schedule = SchedulerSchedule(
            self,
            "schedule",
            name=name,
            group_name=group.name,
            schedule_expression=props.schedule,
            schedule_expression_timezone=props.timezone,
            state="ENABLED" if props.enabled else "DISABLED",
            flexible_time_window={"mode": "OFF"},
            kms_key_arn=self.key.arn,
            target={
                "arn": cluster.arn,
                "role_arn": self.role.arn,
                "ecs_parameters": {
                    "task_definition_arn": task.arn,
                    "task_count": props.task_count,
                    "launch_type": "FARGATE",
                    "platform_version": "LATEST",
                    "network_configuration": {
                        "subnets": list(network.private_subnet_ids),
                        "security_groups": [self.security_group_id],
                        "assign_public_ip": False,
                    },
                },
                "retry_policy": {
                    "maximum_retry_attempts": props.retry_attempts,
                    "maximum_event_age_in_seconds": props.maximum_event_age_seconds,
                },
                "dead_letter_config": {"arn": self.dead_letter_queue.arn},
            },
        )
        pin_address(self.schedule, name, "schedule")


__all__ = ["ScheduledTask", "ScheduledTaskProps"]
