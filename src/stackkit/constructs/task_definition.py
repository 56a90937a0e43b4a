"""FargateTaskDefinition: one container (image, user, secrets, health check, logs) and its roles.

The part every Fargate workload shares: the load-balanced :class:`~stackkit.Service`, the
:class:`~stackkit.WorkerService`, the :class:`~stackkit.ScheduledTask`, and a one-off task (a
migration the deploy workflow runs with ``aws ecs run-task --task-definition <family>``) all
build one. It creates the container log group, DATABASE_URL / PGPASSWORD / REDIS_URL as ECS
secrets next to the team's own (``secrets``), the execution role (exactly these secrets, logs and
the image) and a task role that starts with no permissions (``add_to_task_role`` grants more).
"""

from __future__ import annotations

import json
from typing import Literal, Self

from pydantic import Field, model_validator

from stackkit._private.cdk import (
    Construct,
    EcsTaskDefinition,
    EcsTaskDefinitionVolume,
    IamRole,
    IamRolePolicy,
)
from stackkit._private.iam import assume_role_policy, policy_document
from stackkit._private.logs import DEFAULT_LOG_RETENTION_DAYS, encrypted_log_group
from stackkit._private.model import FrozenModel
from stackkit._private.rules import LogRetentionDays
from stackkit._private.service_defaults import (
    DEFAULT_CONTAINER_PORT,
    DEFAULT_CPU,
    DEFAULT_ENVIRONMENT,
    DEFAULT_HEALTH_INTERVAL,
    DEFAULT_HEALTH_RETRIES,
    DEFAULT_HEALTH_START_PERIOD,
    DEFAULT_HEALTH_TIMEOUT,
    DEFAULT_IMAGE,
    DEFAULT_LIVENESS_PATH,
    DEFAULT_MEMORY,
    DEFAULT_USER,
    SERVICE_NAME_PATTERN,
    ContainerEnvironment,
    HealthCommand,
    ImageReference,
    NonRootUser,
    SecretKeyArns,
    TeamSecrets,
    UrlPath,
    check_fargate_size,
    check_secrets_fit,
    is_repository_tag,
)
from stackkit._private.team_secrets import require_secrets_in_region, team_secret_statements
from stackkit._private.terraform import AwsContext, declare_terraform_target, pin_address
from stackkit.constructs.cluster import ClusterLike
from stackkit.constructs.connection_secrets import DatabaseUser, TaskSecrets, connection_secrets
from stackkit.constructs.image_repository import ImageRepositoryLike
from stackkit.constructs.plain_values import check_plain_environment, record_allowed_plain_values
from stackkit.constructs.protocols import CacheLike, DatabaseLike, require_workload_inputs
from stackkit.errors import ValidationError


class FargateTaskDefinitionProps(FrozenModel):
    """Props of :class:`FargateTaskDefinition`. Defaults are the seed's container facts."""

    name: str = Field(pattern=SERVICE_NAME_PATTERN)
    """Required. The task family, container name, log group ``/ecs/<name>`` and the base of the
    Terraform addresses; 3-28 of a-z, 0-9, -. Unique per stack."""
    image: ImageReference = DEFAULT_IMAGE
    """Default ``v1.0.0`` (the seed's tag). A bare tag needs an :class:`ImageRepository`; anything
    else must be a full image URI with a tag or digest."""
    container_port: int | None = Field(default=DEFAULT_CONTAINER_PORT, ge=1, le=65535)
    """Default 3000 (the Dockerfile's ``EXPOSE``). ``None`` for a container that listens on
    nothing (a worker or a scheduled job): no port mapping and no default HTTP health check."""
    user: NonRootUser = DEFAULT_USER
    """Default ``1001`` (the Dockerfile's non-root user). ``root`` / ``0`` are refused."""
    environment: ContainerEnvironment = Field(default_factory=lambda: dict(DEFAULT_ENVIRONMENT))
    """Plain environment values. Default ``NODE_ENV=production``. Never a secret: DATABASE_URL
    and REDIS_URL are injected as ECS secrets."""
    allow_plain_values: dict[str, str] = Field(default_factory=dict)
    """Default: none. ``environment`` values that only look like secrets, each with the reason
    it is not one, e.g. ``{"GIT_SHA": "commit hash of the build, public"}``. Recorded on the task
    definition, where CKV_STACKKIT_10 reads them; every other value is scanned by the secret
    detector and refused when it looks like a key, a token or a password."""
    secrets: TeamSecrets = Field(default_factory=dict)
    """Default: none. The team's own secrets (API keys of a payment provider, mail, OAuth), which
    ECS injects as environment variables at task start: variable name -> the ARN of a Secrets
    Manager secret (the complete one, ``...:secret:<name>-AbCdEf``, optionally with ECS's
    ``:<json-key>:<version-stage>:<version-id>``, e.g. ``...-AbCdEf:api_key::``) or of an SSM
    parameter (``...:parameter/<name>``), in the stack's region. The execution role may read
    exactly these. A name may not repeat ``environment`` or stackkit's own DATABASE_URL /
    PGPASSWORD / REDIS_URL."""
    secrets_kms_key_arns: SecretKeyArns = ()
    """Default: none (secrets encrypted with the AWS managed keys ``aws/secretsmanager`` /
    ``aws/ssm`` need no grant). The customer-managed KMS keys (key ARNs, not aliases) that
    encrypt ``secrets``: the execution role may ``kms:Decrypt`` with exactly these, and only
    through this region's Secrets Manager or SSM."""
    command: tuple[str, ...] | None = None
    """Default: the image's own CMD. Set it to run something else with the same image, e.g.
    ``("node", "worker.js")`` or ``("npm", "run", "migrate")`` for a one-off task."""
    health_check_path: UrlPath = DEFAULT_LIVENESS_PATH
    """Default ``/health``: the path of the default liveness check (with a ``container_port``)."""
    health_check_command: HealthCommand = None
    """Default: the Dockerfile's ``node -e "require('http').get(...)"`` check against
    ``health_check_path`` when there is a ``container_port``; none without one."""
    health_check_interval: int = Field(default=DEFAULT_HEALTH_INTERVAL, ge=5, le=300)
    """Default 30 s (the Dockerfile)."""
    health_check_timeout: int = Field(default=DEFAULT_HEALTH_TIMEOUT, ge=2, le=120)
    """Default 3 s (the Dockerfile)."""
    health_check_start_period: int = Field(default=DEFAULT_HEALTH_START_PERIOD, ge=0, le=300)
    """Default 5 s (the Dockerfile)."""
    health_check_retries: int = Field(default=DEFAULT_HEALTH_RETRIES, ge=1, le=10)
    """Default 3 (the Dockerfile)."""
    cpu: int = DEFAULT_CPU
    """Default 512 units (the seed's 0.5 vCPU limit). Must be a Fargate size with ``memory``."""
    memory: int = DEFAULT_MEMORY
    """Default 1024 MiB, the smallest Fargate memory with 512 CPU units."""
    cpu_architecture: Literal["X86_64", "ARM64"] = "X86_64"
    """Default X86_64 (ARM64 is cheaper when the image is multi-arch)."""
    log_retention_days: LogRetentionDays = DEFAULT_LOG_RETENTION_DAYS
    """Container log retention. Default 365 days (CKV_AWS_338)."""
    enable_execute_command: bool = False
    """ECS Exec. Default off; on grants the task role the Session Manager channels."""
    database_user: DatabaseUser = "app"
    """Default ``app``: with a ``stackkit.Database`` the task logs in as the application user
    with IAM database authentication (no password; the task role may ``rds-db:connect`` as
    exactly that user). ``migrator``: the migration user (a one-off migration task).
    ``master``: the master user with the RDS-managed password (the bootstrap task only)."""
    connection_secret_version: int = Field(default=1, ge=1)
    """Default 1. REDIS_URL is rewritten when the cache's ``auth_token_version`` changes (the one
    knob of a rotation); bump this only for a cache whose token is rotated outside stackkit."""

    @model_validator(mode="after")
    def _fargate_size(self) -> Self:
        check_fargate_size(self.cpu, self.memory)
        # First: a name in both is refused as such (not as a secret-looking plain value).
        check_secrets_fit(self.secrets, self.secrets_kms_key_arns, self.environment)
        check_plain_environment(self.environment, self.allow_plain_values)
        return self

    @property
    def uses_own_repository(self) -> bool:
        """True when ``image`` is a tag in an :class:`ImageRepository`."""
        return is_repository_tag(self.image)


class FargateTaskDefinition(Construct):
    """A Fargate task definition with one non-root container, a read-only root filesystem (``/tmp``
    is a task volume), awslogs to a KMS-encrypted log group, connection URLs as ECS secrets, an
    execution role and an empty task role. Earlier revisions stay registered (rollback).

    ``kms_key_arn`` encrypts the log group and the secrets; ``repository`` is needed when the
    image is a bare tag.

    Attributes: ``task_definition``, ``arn``, ``family``, ``container_name``, ``container_port``,
    ``image``, ``log_group``, ``execution_role`` / ``execution_role_arn``, ``task_role`` /
    ``task_role_arn``, ``database_url_secret_arn``, ``redis_url_secret_arn``.
    """

    def __init__(
        self,
        scope: Construct,
        id_: str,
        props: FargateTaskDefinitionProps,
        *,
        cluster: ClusterLike,
        kms_key_arn: str,
        repository: ImageRepositoryLike | None = None,
        database: DatabaseLike | None = None,
        cache: CacheLike | None = None,
    ) -> None:
        require_workload_inputs(cluster=cluster, database=database, cache=cache)
        if props.uses_own_repository and repository is None:
            raise ValidationError(
                "FargateTaskDefinition",
                [
                    (
                        "image",
                        f"{props.image!r} is a bare tag: pass repository=ImageRepository(...) "
                        "or use a full image URI",
                    )
                ],
            )
        require_secrets_in_region(scope, props, "FargateTaskDefinitionProps")
        super().__init__(scope, id_)
        # The connection secrets below are written write-only from ephemeral reads: CDK Terrain
        # checks those against the Terraform target (no-op on cdktf).
        declare_terraform_target(self)
        self.props = props
        self._kms_key_arn = kms_key_arn
        name = props.name
        context = AwsContext.of(self)
        self.log_group = encrypted_log_group(
            self,
            "log-group",
            name=f"/ecs/{name}",
            kms_key_arn=kms_key_arn,
            retention_days=props.log_retention_days,
            address=(name, "service_logs"),
        )
        self.image: str = (
            f"{repository.repository_url}:{props.image}"
            if repository is not None and props.uses_own_repository
            else props.image
        )
        secrets = connection_secrets(
            self,
            name,
            kms_key_arn=kms_key_arn,
            connection_secret_version=props.connection_secret_version,
            database=database,
            cache=cache,
            database_user=props.database_user,
        )
        self.database_url_secret_arn: str | None = secrets.url_secret_arns.get("DATABASE_URL")
        self.redis_url_secret_arn: str | None = secrets.url_secret_arns.get("REDIS_URL")
        self._roles(name, cluster, secrets, repository if props.uses_own_repository else None)
        self.task_definition = self._task_definition(name, context.region, secrets)
        #: The ``rds-db:connect`` resource this task's role may use (None: no IAM database user).
        self.database_connect_arn: str | None = secrets.database_connect_arn
        if secrets.database_connect_arn is not None:
            # Exactly one database user on exactly one instance (its DbiResourceId).
            self.add_to_task_role(
                "database_connect",
                {
                    "Sid": "ConnectAsDatabaseUser",
                    "Effect": "Allow",
                    "Action": "rds-db:connect",
                    "Resource": secrets.database_connect_arn,
                },
            )
        self.arn: str = self.task_definition.arn
        self.family: str = name
        self.container_name: str = name
        self.container_port: int | None = props.container_port
        #: True when the container has a health check (the default HTTP one or a command).
        self.has_health_check: bool = (
            props.health_check_command is not None or props.container_port is not None
        )

    # --- IAM -----------------------------------------------------------------------------------
    def _roles(
        self,
        name: str,
        cluster: ClusterLike,
        secrets: TaskSecrets,
        repository: ImageRepositoryLike | None,
    ) -> None:
        context = AwsContext.of(self)
        assume = assume_role_policy("ecs-tasks.amazonaws.com", context.account_id)
        self.execution_role = IamRole(
            self, "execution-role", name_prefix=f"{name}-exec-"[:38], assume_role_policy=assume
        )
        pin_address(self.execution_role, name, "execution_role")
        statements: list[dict[str, object]] = [
            {
                "Sid": "WriteContainerLogs",
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": f"{self.log_group.arn}:*",
            }
        ]
        if secrets.secret_arns:
            # Exactly the task's secrets, and their keys only when Secrets Manager asks for them.
            statements += [
                {
                    "Sid": "ReadConnectionSecrets",
                    "Effect": "Allow",
                    "Action": "secretsmanager:GetSecretValue",
                    "Resource": secrets.secret_arns,
                },
                {
                    "Sid": "DecryptConnectionSecrets",
                    "Effect": "Allow",
                    "Action": "kms:Decrypt",
                    "Resource": secrets.key_arns,
                    "Condition": {
                        "StringEquals": {"kms:ViaService": f"secretsmanager.{context.region}.amazonaws.com"}
                    },
                },
            ]
        # The team's own secrets: exactly those secrets / parameters, and their customer-managed
        # keys only through this region's Secrets Manager / SSM (ECS developer guide, "Amazon ECS
        # task execution IAM role", "Required IAM permissions for Amazon ECS secrets":
        # https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html).
        statements += team_secret_statements(
            self.props.secrets, self.props.secrets_kms_key_arns, context.region
        )
        if repository is not None:
            statements += [
                {
                    "Sid": "PullImage",
                    "Effect": "Allow",
                    "Action": [
                        "ecr:BatchCheckLayerAvailability",
                        "ecr:BatchGetImage",
                        "ecr:GetDownloadUrlForLayer",
                    ],
                    "Resource": repository.arn,
                },
                {
                    # GetAuthorizationToken has no resource-level permissions.
                    "Sid": "RegistryLogin",
                    "Effect": "Allow",
                    "Action": "ecr:GetAuthorizationToken",
                    "Resource": "*",
                },
            ]
        execution_policy = IamRolePolicy(
            self, "execution-policy", role=self.execution_role.id, policy=policy_document(*statements)
        )
        pin_address(execution_policy, name, "execution_policy")

        # A different role: the application's own AWS permissions start at none.
        self.task_role = IamRole(
            self, "task-role", name_prefix=f"{name}-task-"[:38], assume_role_policy=assume
        )
        pin_address(self.task_role, name, "task_role")
        self.task_role_arn: str = self.task_role.arn
        self.execution_role_arn: str = self.execution_role.arn
        if self.props.enable_execute_command:
            exec_policy = IamRolePolicy(
                self,
                "task-exec-policy",
                role=self.task_role.id,
                policy=policy_document(
                    {
                        # Session Manager channels have no resource-level permissions.
                        "Sid": "ExecSessions",
                        "Effect": "Allow",
                        "Action": [
                            "ssmmessages:CreateControlChannel",
                            "ssmmessages:CreateDataChannel",
                            "ssmmessages:OpenControlChannel",
                            "ssmmessages:OpenDataChannel",
                        ],
                        "Resource": "*",
                    },
                    {
                        "Sid": "ExecEncryption",
                        "Effect": "Allow",
                        "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                        "Resource": cluster.exec_kms_key_arn,
                    },
                    {
                        "Sid": "ExecLogs",
                        "Effect": "Allow",
                        "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                        "Resource": f"{cluster.exec_log_group_arn}:*",
                    },
                    {
                        "Sid": "ExecLogGroups",
                        "Effect": "Allow",
                        "Action": "logs:DescribeLogGroups",
                        "Resource": "*",
                    },
                ),
            )
            pin_address(exec_policy, name, "task_exec_policy")

    # --- task definition -----------------------------------------------------------------------
    def _task_definition(
        self,
        name: str,
        region: str,
        secrets: TaskSecrets,
    ) -> EcsTaskDefinition:
        props = self.props
        command: list[str] | None = list(props.health_check_command) if props.health_check_command else None
        if command is None and props.container_port is not None:
            health_url = f"http://localhost:{props.container_port}{props.health_check_path}"
            command = [
                "CMD-SHELL",
                # The Dockerfile's own check (node is in the image; curl and wget may not be).
                f"node -e \"require('http').get('{health_url}', "
                "(r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))\"",
            ]
        # Key order is the JSON's: container_definitions is one string, any reordering is a diff.
        container: dict[str, object] = {
            "name": name,
            "image": self.image,
            **({"command": list(props.command)} if props.command else {}),
            "essential": True,
            "user": props.user,
            "readonlyRootFilesystem": True,
            **(
                {"portMappings": [{"containerPort": props.container_port, "protocol": "tcp"}]}
                if props.container_port is not None
                else {}
            ),
            "environment": [{"name": k, "value": v} for k, v in sorted(props.environment.items())],
            # stackkit's connection secrets and the team's own (their names never collide), by name:
            # ECS sets each from its valueFrom at task start (ECS developer guide, "Pass sensitive
            # data to an Amazon ECS container").
            "secrets": [
                {"name": env_name, "valueFrom": arn}
                for env_name, arn in sorted({**secrets.value_from, **props.secrets}.items())
            ],
            **(
                {
                    "healthCheck": {
                        "command": command,
                        "interval": props.health_check_interval,
                        "timeout": props.health_check_timeout,
                        "startPeriod": props.health_check_start_period,
                        "retries": props.health_check_retries,
                    }
                }
                if command is not None
                else {}
            ),
            "mountPoints": [{"sourceVolume": "tmp", "containerPath": "/tmp", "readOnly": False}],
            "linuxParameters": {"initProcessEnabled": True},
            "logConfiguration": {
                "logDriver": "awslogs",
                "options": {
                    "awslogs-group": self.log_group.name,
                    "awslogs-region": region,
                    "awslogs-stream-prefix": name,
                },
            },
        }
        task_definition = EcsTaskDefinition(
            self,
            "task-definition",
            family=name,
            cpu=str(props.cpu),
            memory=str(props.memory),
            network_mode="awsvpc",
            requires_compatibilities=["FARGATE"],
            runtime_platform={"operating_system_family": "LINUX", "cpu_architecture": props.cpu_architecture},
            execution_role_arn=self.execution_role_arn,
            task_role_arn=self.task_role_arn,
            # The read-only root filesystem leaves /tmp writable through this task-scoped volume.
            volume=[EcsTaskDefinitionVolume(name="tmp")],
            container_definitions=json.dumps([container]),
            # Keep earlier revisions registered: redeploying the previous one is the rollback.
            skip_destroy=True,
        )
        pin_address(task_definition, name, "task_definition")
        record_allowed_plain_values(task_definition, self.props.allow_plain_values)
        return task_definition

    def add_to_task_role(self, policy_name: str, *statements: dict[str, object]) -> IamRolePolicy:
        """Grant the application more AWS permissions: one inline policy on the task role,
        at the address ``aws_iam_role_policy.<family>_task_<policy_name>``."""
        policy = IamRolePolicy(
            self, f"task-policy-{policy_name}", role=self.task_role.id, policy=policy_document(*statements)
        )
        pin_address(policy, self.props.name, "task", policy_name)
        return policy


__all__ = ["CacheLike", "DatabaseLike", "FargateTaskDefinition", "FargateTaskDefinitionProps"]
