"""Service: the seed's app as an ECS Fargate service behind an HTTPS load balancer.

Every default is a fact of the seed's Dockerfile, Compose file or Kubernetes manifests (see the
README's seed-to-construct table); what production needs on top is on by default.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Literal, Protocol, Self

from pydantic import Field, field_validator, model_validator

from stackkit._private.cdk import (
    AcmCertificate,
    AcmCertificateValidation,
    AppautoscalingPolicy,
    AppautoscalingTarget,
    Construct,
    DataAwsElbServiceAccount,
    EcrLifecyclePolicy,
    EcrRepository,
    EcrRepositoryEncryptionConfiguration,
    EcsService,
    EcsServiceLoadBalancer,
    EcsTaskDefinition,
    EcsTaskDefinitionVolume,
    Fn,
    IamRole,
    IamRolePolicy,
    Lb,
    LbListener,
    LbListenerDefaultAction,
    LbTargetGroup,
    Route53Record,
    S3Bucket,
    S3BucketLifecycleConfiguration,
    S3BucketLifecycleConfigurationRule,
    S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload,
    S3BucketLifecycleConfigurationRuleExpiration,
    S3BucketLifecycleConfigurationRuleFilter,
    S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration,
    S3BucketOwnershipControls,
    S3BucketPolicy,
    S3BucketPublicAccessBlock,
    S3BucketServerSideEncryptionConfigurationA,
    S3BucketServerSideEncryptionConfigurationRuleA,
    S3BucketVersioningA,
    SecretsmanagerSecret,
    SecretsmanagerSecretVersion,
    TerraformIterator,
    Token,
    VpcSecurityGroupEgressRule,
    VpcSecurityGroupIngressRule,
    Wafv2WebAcl,
    Wafv2WebAclAssociation,
    Wafv2WebAclLoggingConfiguration,
    Wafv2WebAclRule,
)
from stackkit._private.iam import assume_role_policy, policy_document
from stackkit._private.logs import DEFAULT_LOG_RETENTION_DAYS, encrypted_log_group
from stackkit._private.model import FrozenModel
from stackkit._private.terraform import (
    PROTECTED,
    AwsContext,
    add_ephemeral,
    declare_terraform_target,
    logical_id,
    pin_address,
    skip_check,
)
from stackkit.constructs.cluster import ClusterLike
from stackkit.constructs.connections import Connections
from stackkit.constructs.encryption_key import EncryptionKey, EncryptionKeyProps
from stackkit.constructs.network import NetworkLike

# --- Defaults: the seed's facts -------------------------------------------------------------
#: Dockerfile ``EXPOSE 3000`` / Kubernetes ``containerPort: 3000``.
DEFAULT_CONTAINER_PORT = 3000
#: Dockerfile ``adduser -u 1001`` / Kubernetes ``runAsUser: 1001``.
DEFAULT_USER = "1001"
#: Dockerfile ``ENV NODE_ENV=production``.
DEFAULT_ENVIRONMENT: dict[str, str] = {"NODE_ENV": "production"}
#: Kubernetes ``livenessProbe`` path and the Dockerfile HEALTHCHECK URL.
DEFAULT_LIVENESS_PATH = "/health"
#: Dockerfile ``HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3``.
DEFAULT_HEALTH_INTERVAL = 30
DEFAULT_HEALTH_TIMEOUT = 3
DEFAULT_HEALTH_START_PERIOD = 5
DEFAULT_HEALTH_RETRIES = 3
#: Kubernetes ``readinessProbe`` path: the load balancer's target group checks it.
DEFAULT_READINESS_PATH = "/ready"
#: Kubernetes ``readinessProbe.periodSeconds: 5`` (ALB's minimum interval is 5 s too).
DEFAULT_READINESS_INTERVAL = 5
#: Compose/Kubernetes limits are 0.5 vCPU and 512 MiB. Fargate offers 512 CPU units only with
#: 1024..4096 MiB (512/512 does not exist), and 256 units would halve the CPU, so the nearest
#: size meeting both limits is 512 CPU units with 1024 MiB.
DEFAULT_CPU = 512
DEFAULT_MEMORY = 1024
#: Kubernetes ``replicas: 3`` and the HPA's ``minReplicas: 3`` / ``maxReplicas: 20``.
DEFAULT_DESIRED_COUNT = 3
DEFAULT_MIN_COUNT = 3
DEFAULT_MAX_COUNT = 20
#: HPA targets: CPU 70 %, memory 80 %.
DEFAULT_CPU_TARGET = 70
DEFAULT_MEMORY_TARGET = 80
#: RollingUpdate ``maxUnavailable: 0`` / ``maxSurge: 1`` as ECS percentages.
DEFAULT_MIN_HEALTHY_PERCENT = 100
DEFAULT_MAX_PERCENT = 200
#: Kubernetes ``livenessProbe.initialDelaySeconds: 30``: the load balancer's verdict is
#: ignored this long after a task starts.
DEFAULT_GRACE_PERIOD = 30
#: The seed's image ``myregistry/api:v1.0.0``: its tag, in this service's ECR repository.
DEFAULT_IMAGE = "v1.0.0"

# --- Defaults: production hardening ---------------------------------------------------------
#: TLS 1.3 and 1.2 only, forward-secret ciphers (AWS's recommended policy).
DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"
#: AWS managed rule groups on the web ACL. KnownBadInputs blocks Log4Shell (CKV_AWS_192);
#: CKV2_AWS_76 also wants AnonymousIpList (Tor, VPN and proxy exits).
DEFAULT_WAF_RULE_GROUPS = (
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesAnonymousIpList",
)
#: Rules of a group that only count: blocking every client hosted in a cloud would block
#: legitimate server-to-server callers of the API.
WAF_COUNT_ONLY_RULES: dict[str, tuple[str, ...]] = {
    "AWSManagedRulesAnonymousIpList": ("HostingProviderIPList",),
}
#: Days ALB access logs are kept in S3.
DEFAULT_ACCESS_LOG_DAYS = 365
#: Untagged images (superseded pushes) are expired after this many days; tagged images stay,
#: so the previous tag is always there to roll back to.
UNTAGGED_IMAGE_DAYS = 14

#: Fargate's CPU units -> allowed memory (MiB), from the AWS Fargate task size table.
FARGATE_SIZES: dict[int, tuple[int, ...]] = {
    256: (512, 1024, 2048),
    512: tuple(range(1024, 4096 + 1, 1024)),
    1024: tuple(range(2048, 8192 + 1, 1024)),
    2048: tuple(range(4096, 16384 + 1, 1024)),
    4096: tuple(range(8192, 30720 + 1, 1024)),
    8192: tuple(range(16384, 61440 + 1, 4096)),
    16384: tuple(range(32768, 122880 + 1, 8192)),
}

#: At most 28 characters so that ``<name>-alb`` and ``<name>-tg`` fit the 32 the ALB allows.
SERVICE_NAME_PATTERN = r"^[a-z][a-z0-9-]{1,26}[a-z0-9]$"
_TAG = r"[A-Za-z0-9_][A-Za-z0-9._-]{0,127}"
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_REGISTRY = (
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::\d+)?/)"
)
#: ``[registry/]path[:tag][@sha256:digest]`` with a tag or a digest (never an implicit latest).
IMAGE_URI_PATTERN = re.compile(
    rf"^{_REGISTRY}?{_COMPONENT}(?:/{_COMPONENT})*(?::{_TAG})?(?:@sha256:[a-f0-9]{{64}})?$"
)
ACM_ARN_PATTERN = re.compile(
    r"^arn:aws(?:-[a-z]+)*:acm:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:certificate/[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$"
)
_DOMAIN_PATTERN = r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
_ENV_NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: Names the construct sets as secrets; a plain environment value may not shadow them.
SECRET_NAMES = ("DATABASE_URL", "PGPASSWORD", "REDIS_URL")


class DatabaseLike(Protocol):
    """What a Service needs from a database: ours (``stackkit.Database``) or a team's own."""

    @property
    def address(self) -> str: ...
    @property
    def port(self) -> int | float | str: ...
    @property
    def database_name(self) -> str: ...
    @property
    def username(self) -> str: ...
    @property
    def master_user_secret_arn(self) -> str:
        """The RDS-managed secret: JSON with ``username`` and ``password``."""
        ...

    @property
    def master_user_secret_kms_key_arn(self) -> str:
        """The KMS key that encrypts the managed secret (the task must decrypt it)."""
        ...

    @property
    def connections(self) -> Connections: ...


class CacheLike(Protocol):
    """What a Service needs from a cache: ours (``stackkit.Cache``) or a team's own."""

    @property
    def primary_endpoint(self) -> str: ...
    @property
    def port(self) -> int | float | str: ...
    @property
    def auth_secret_arn(self) -> str:
        """Secrets Manager secret whose value is the Redis AUTH token (a plain string)."""
        ...

    @property
    def connections(self) -> Connections: ...


def fargate_size_choices() -> str:
    """The valid CPU/memory pairs, for error messages."""
    parts = []
    for cpu, memories in FARGATE_SIZES.items():
        listed = (
            ", ".join(str(m) for m in memories) if len(memories) <= 4 else f"{memories[0]}..{memories[-1]}"
        )
        step = f" step {memories[1] - memories[0]}" if len(memories) > 4 else ""
        parts.append(f"cpu {cpu}: memory {listed}{step}")
    return "; ".join(parts)


class ServiceProps(FrozenModel):
    """Props of :class:`Service`. Defaults are the seed's, hardened for production."""

    name: str = Field(pattern=SERVICE_NAME_PATTERN)
    """Required. Names the service, task family, load balancer, repository and their Terraform addresses
    (``aws_ecs_service.<name>_service``); 3-28 of a-z, 0-9, -. Unique per stack."""
    production: bool = False
    """Default off. On: at least 2 tasks, the circuit breaker must stay on, and the load
    balancer gets deletion protection."""
    image: str = DEFAULT_IMAGE
    """Default ``v1.0.0`` (the seed's tag). A bare tag means that tag in this service's ECR
    repository; anything else must be a full image URI with a tag or digest
    (``public.ecr.aws/nginx/nginx:1.27``, ``ghcr.io/org/app@sha256:...``)."""
    container_port: int = Field(default=DEFAULT_CONTAINER_PORT, ge=1, le=65535)
    """Default 3000 (the Dockerfile's ``EXPOSE``)."""
    user: str = DEFAULT_USER
    """Default ``1001`` (the Dockerfile's non-root user). ``root`` / ``0`` are refused."""
    environment: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_ENVIRONMENT))
    """Plain environment values. Default ``NODE_ENV=production`` (the Dockerfile). Never put a
    secret here: DATABASE_URL and REDIS_URL are injected as ECS secrets."""
    health_check_path: str = DEFAULT_LIVENESS_PATH
    """Default ``/health``: the container's liveness check (the Dockerfile HEALTHCHECK)."""
    health_check_command: tuple[str, ...] | None = None
    """Default: the Dockerfile's own ``node -e "require('http').get(...)"`` check against
    ``health_check_path`` (node is in the image; curl and wget may not be)."""
    health_check_interval: int = Field(default=DEFAULT_HEALTH_INTERVAL, ge=5, le=300)
    """Default 30 s (the Dockerfile)."""
    health_check_timeout: int = Field(default=DEFAULT_HEALTH_TIMEOUT, ge=2, le=120)
    """Default 3 s (the Dockerfile)."""
    health_check_start_period: int = Field(default=DEFAULT_HEALTH_START_PERIOD, ge=0, le=300)
    """Default 5 s (the Dockerfile)."""
    health_check_retries: int = Field(default=DEFAULT_HEALTH_RETRIES, ge=1, le=10)
    """Default 3 (the Dockerfile)."""
    readiness_path: str = DEFAULT_READINESS_PATH
    """Default ``/ready`` (the Kubernetes readinessProbe): the target group's health check."""
    readiness_interval: int = Field(default=DEFAULT_READINESS_INTERVAL, ge=5, le=300)
    """Default 5 s (the readinessProbe's ``periodSeconds``)."""
    cpu: int = DEFAULT_CPU
    """Default 512 units (the seed's 0.5 vCPU limit). Must be a Fargate size with ``memory``."""
    memory: int = DEFAULT_MEMORY
    """Default 1024 MiB: the seed's 512 MiB limit does not exist with 512 CPU units on
    Fargate; 1024 is the smallest memory offered with it."""
    cpu_architecture: Literal["X86_64", "ARM64"] = "X86_64"
    """Default X86_64 (the seed's ``node:20-alpine`` image is multi-arch; ARM64 is cheaper)."""
    desired_count: int = Field(default=DEFAULT_DESIRED_COUNT, ge=0)
    """Default 3 (the seed's replicas). Autoscaling owns it after creation (ignore_changes)."""
    min_count: int = Field(default=DEFAULT_MIN_COUNT, ge=0)
    """Default 3 (the HPA's minReplicas)."""
    max_count: int = Field(default=DEFAULT_MAX_COUNT, ge=1)
    """Default 20 (the HPA's maxReplicas)."""
    cpu_target: int = DEFAULT_CPU_TARGET
    """Default 70 % average CPU (the HPA), 1..100."""
    memory_target: int = DEFAULT_MEMORY_TARGET
    """Default 80 % average memory (the HPA), 1..100."""
    min_healthy_percent: int = Field(default=DEFAULT_MIN_HEALTHY_PERCENT, ge=0, le=100)
    """Default 100 (``maxUnavailable: 0``): a deploy never drops below the desired count."""
    max_percent: int = Field(default=DEFAULT_MAX_PERCENT, ge=100, le=200)
    """Default 200 (``maxSurge``): new tasks start before old ones stop."""
    circuit_breaker: bool = True
    """Default on, with rollback: a deployment whose tasks keep failing is rolled back to the
    last good one (the seed's fallback strategy). Required in production."""
    health_check_grace_period: int = Field(default=DEFAULT_GRACE_PERIOD, ge=0, le=2147483647)
    """Default 30 s (the livenessProbe's initialDelaySeconds)."""
    certificate_arn: str | None = None
    """Default: none. An existing ACM certificate for the HTTPS listener. Either this or ``domain_name`` with
    ``hosted_zone_id``."""
    domain_name: str | None = None
    """Default: none. Request a DNS-validated certificate for this name (validated in ``hosted_zone_id``) and
    point the name at the load balancer."""
    hosted_zone_id: str | None = Field(default=None, pattern=r"^Z[A-Z0-9]{1,31}$")
    """Default: none. Route 53 hosted zone of ``domain_name``."""
    ssl_policy: str = Field(default=DEFAULT_SSL_POLICY, pattern=r"^ELBSecurityPolicy-TLS13-")
    """Default ``ELBSecurityPolicy-TLS13-1-2-2021-06``; only TLS 1.3 policies are accepted."""
    deletion_protection: bool | None = None
    """Load balancer deletion protection. Default: on in production, off elsewhere."""
    waf_rule_groups: tuple[str, ...] = Field(default=DEFAULT_WAF_RULE_GROUPS, min_length=1)
    """Default: Common, KnownBadInputs, AmazonIpReputation, AnonymousIp (Checkov CKV_AWS_192,
    CKV2_AWS_76). AWS managed rule groups on the web ACL, in priority order. Must include
    AWSManagedRulesKnownBadInputsRuleSet (Log4Shell and other known exploits)."""
    log_retention_days: int = Field(default=DEFAULT_LOG_RETENTION_DAYS, ge=1)
    """Container and WAF log retention. Default 365 days (CKV_AWS_338)."""
    access_log_days: int = Field(default=DEFAULT_ACCESS_LOG_DAYS, ge=1)
    """Days ALB access logs stay in S3 before the lifecycle rule expires them. Default 365."""
    enable_execute_command: bool = False
    """ECS Exec. Default off; when on, sessions are encrypted and logged by the cluster."""
    connection_secret_version: int = Field(default=1, ge=1)
    """Default 1. Bump to rewrite REDIS_URL after the cache's AUTH token changed (it is written
    write-only, so Terraform cannot see a change by itself; see the README)."""

    @field_validator("health_check_path", "readiness_path")
    @classmethod
    def _absolute_path(cls, path: str) -> str:
        if not path.startswith("/") or any(c.isspace() for c in path):
            raise ValueError("must be an absolute URL path starting with '/', e.g. /health")
        return path

    @field_validator("image")
    @classmethod
    def _image_reference(cls, image: str) -> str:
        if re.fullmatch(_TAG, image):
            return image
        if not IMAGE_URI_PATTERN.fullmatch(image) or not re.search(
            rf"(:{_TAG}|@sha256:[a-f0-9]{{64}})$", image
        ):
            raise ValueError(
                "must be a tag in this service's ECR repository (e.g. v1.2.0) or a full image URI "
                "with a tag or digest (e.g. public.ecr.aws/org/app:1.2.0 or repo/app@sha256:<64 hex>)"
            )
        return image

    @field_validator("health_check_command")
    @classmethod
    def _ecs_health_command(cls, command: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if command is not None and (len(command) < 2 or command[0] not in ("CMD", "CMD-SHELL")):
            raise ValueError('must be ("CMD", executable, args...) or ("CMD-SHELL", "shell command")')
        return command

    @field_validator("user")
    @classmethod
    def _non_root(cls, user: str) -> str:
        if user.split(":")[0] in ("0", "root") or not re.fullmatch(
            r"[A-Za-z0-9_][A-Za-z0-9_.-]*(:\w+)?", user
        ):
            raise ValueError("must be a non-root user name or uid, e.g. 1001 (the seed's appuser)")
        return user

    @field_validator("environment")
    @classmethod
    def _plain_environment(cls, environment: dict[str, str]) -> dict[str, str]:
        for key in environment:
            if not _ENV_NAME_PATTERN.fullmatch(key):
                raise ValueError(f"{key!r} is not a valid environment variable name")
            if key in SECRET_NAMES:
                raise ValueError(f"{key} is injected as an ECS secret; do not set it as plain environment")
        return environment

    @field_validator("cpu_target", "memory_target")
    @classmethod
    def _percent(cls, target: int) -> int:
        if not 1 <= target <= 100:
            raise ValueError("a scaling target is a utilisation percentage: use 1..100")
        return target

    @field_validator("certificate_arn")
    @classmethod
    def _acm_arn(cls, arn: str | None) -> str | None:
        if arn is not None and not ACM_ARN_PATTERN.fullmatch(arn):
            raise ValueError(
                "must be an ACM certificate ARN, arn:aws:acm:<region>:<account>:certificate/<uuid>"
            )
        return arn

    @field_validator("domain_name")
    @classmethod
    def _domain(cls, domain: str | None) -> str | None:
        if domain is not None and not re.fullmatch(_DOMAIN_PATTERN, domain):
            raise ValueError("must be a lower-case DNS name such as app.example.com")
        return domain

    @field_validator("waf_rule_groups")
    @classmethod
    def _known_bad_inputs(cls, groups: tuple[str, ...]) -> tuple[str, ...]:
        if "AWSManagedRulesKnownBadInputsRuleSet" not in groups:
            raise ValueError("must include AWSManagedRulesKnownBadInputsRuleSet (blocks Log4Shell)")
        if len(set(groups)) != len(groups):
            raise ValueError(f"has duplicates: {list(groups)}")
        return groups

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.memory not in FARGATE_SIZES.get(self.cpu, ()):
            raise ValueError(
                f"cpu: Fargate has no {self.cpu} CPU / {self.memory} MiB size; valid choices: "
                f"{fargate_size_choices()}"
            )
        if self.min_count > self.max_count:
            raise ValueError(f"min_count: {self.min_count} is greater than max_count {self.max_count}")
        if not self.min_count <= self.desired_count <= self.max_count:
            raise ValueError(
                f"desired_count: {self.desired_count} is outside min_count..max_count "
                f"({self.min_count}..{self.max_count})"
            )
        has_domain = self.domain_name is not None or self.hosted_zone_id is not None
        if (self.domain_name is None) != (self.hosted_zone_id is None):
            raise ValueError("domain_name: set domain_name and hosted_zone_id together")
        if (self.certificate_arn is None) == (not has_domain):
            raise ValueError(
                "certificate_arn: set either certificate_arn (an existing ACM certificate) or "
                "domain_name + hosted_zone_id (a DNS-validated certificate is requested), not both"
            )
        if self.production:
            if self.min_count < 2 or self.desired_count < 2:
                raise ValueError("min_count: production needs at least 2 tasks, so one AZ can fail")
            if not self.circuit_breaker:
                raise ValueError("circuit_breaker: production needs the circuit breaker with rollback")
            if self.deletion_protection is False:
                raise ValueError("deletion_protection: production keeps load balancer deletion protection")
        return self

    @property
    def uses_own_repository(self) -> bool:
        """True when ``image`` is a tag in this service's ECR repository."""
        return re.fullmatch(_TAG, self.image) is not None


@dataclass
class _TaskSecrets:
    value_from: dict[str, str]
    """Env name -> Secrets Manager reference (an ARN, or ``ARN:json-key::``)."""
    secret_arns: list[str]
    key_arns: list[str]


def _quoted(value: str) -> str:
    """A Terraform string literal of ``value`` (a token is already an expression)."""
    return value.removeprefix("${").removesuffix("}") if value.startswith("${") else json.dumps(value)


def _as_string(value: int | float | str) -> str:
    """A port may be a literal or a (numeric) token; either way a string for interpolation."""
    return value if isinstance(value, str) else Token.as_string(value)


class _LoadBalancerSide(Construct):
    """The load balancer's security group, as a peer for :class:`Connections`."""

    def __init__(self, scope: Construct, id_: str, *, name: str, vpc_id: str) -> None:
        super().__init__(scope, id_)
        self.connections = Connections.with_new_security_group(
            self,
            name=f"{name}-alb",
            vpc_id=vpc_id,
            description=f"{name} load balancer: HTTPS from the internet",
            default_port=443,
        )


class Service(Construct):
    """A Fargate service behind an internet-facing ALB, wired to a database and a cache (each
    optional: without one, its URL secret and security-group grant are left out).

    Resources: ECR repository (scan on push, immutable tags, KMS); task definition (non-root,
    read-only root filesystem with a ``/tmp`` volume, liveness health check, awslogs to a KMS
    log group, DATABASE_URL / REDIS_URL as ECS secrets); execution and task roles; the
    service (private subnets, no public IP, circuit breaker with rollback, rolling update
    100/200, ``ignore_changes = [desired_count]``); target-tracking autoscaling on CPU and
    memory; ALB (HTTPS with a TLS 1.3 policy, HTTP -> HTTPS, invalid headers dropped, access
    logs to S3, WAFv2 with AWS managed rules); security groups ALB -> tasks -> database/cache.

    Attributes: ``service_name``, ``service_arn``, ``cluster_arn``, ``cluster_name``,
    ``load_balancer_dns_name``, ``load_balancer_arn`` (and ``_arn_suffix``), ``target_group_arn``
    (and ``_arn_suffix``), ``min_tasks``, ``security_group_id``, ``connections``,
    ``task_role`` (and ``task_role_arn``), ``execution_role``, ``repository_url``,
    ``database_url_secret_arn``, ``redis_url_secret_arn``.
    """

    def __init__(
        self,
        scope: Construct,
        id_: str,
        props: ServiceProps,
        *,
        network: NetworkLike,
        cluster: ClusterLike,
        database: DatabaseLike | None = None,
        cache: CacheLike | None = None,
    ) -> None:
        super().__init__(scope, id_)
        declare_terraform_target(self)  # write-only secret values and ephemeral reads below
        self.props = props
        name = props.name
        context = AwsContext.of(self)
        self.key = EncryptionKey(
            self,
            "key",
            EncryptionKeyProps(
                name=f"{name}-service",
                description=f"{name}: container logs, WAF logs, connection secrets, images",
                allow_cloudwatch_logs=True,
            ),
        )
        self.log_group = encrypted_log_group(
            self,
            "log-group",
            name=f"/ecs/{name}",
            kms_key_arn=self.key.arn,
            retention_days=props.log_retention_days,
            address=(name, "service_logs"),
        )
        self.connections = Connections.with_new_security_group(
            self,
            name=f"{name}-tasks",
            vpc_id=network.vpc_id,
            description=f"{name} tasks: from the load balancer only",
            default_port=props.container_port,
        )
        self.security_group_id: str = self.connections.security_group_id

        self._repository(name)
        secrets = self._connection_secrets(name, database, cache)
        self._roles(name, cluster, secrets)
        task_definition = self._task_definition(name, context.region, secrets)
        alb = self._load_balancer(name, network)
        self._security_groups(name, alb, database, cache)

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
            load_balancer=[
                EcsServiceLoadBalancer(
                    target_group_arn=self.target_group.arn,
                    container_name=name,
                    container_port=props.container_port,
                )
            ],
            health_check_grace_period_seconds=props.health_check_grace_period,
            enable_execute_command=props.enable_execute_command,
            enable_ecs_managed_tags=True,
            propagate_tags="SERVICE",
            # Autoscaling changes the running count; a deploy must not reset it to 3.
            lifecycle={"ignore_changes": ["desired_count"]},
            depends_on=[self.https_listener],
        )
        pin_address(self.service, name, "service")
        self._autoscaling(name, cluster)

        self.service_name: str = self.service.name
        self.service_arn: str = self.service.arn
        self.cluster_arn: str = cluster.arn
        self.cluster_name: str = cluster.name
        self.load_balancer_arn: str = self.load_balancer.arn
        self.load_balancer_dns_name: str = self.load_balancer.dns_name
        self.target_group_arn: str = self.target_group.arn
        # CloudWatch dimensions (what Monitoring reads) and the autoscaling floor.
        self.load_balancer_arn_suffix: str = self.load_balancer.arn_suffix
        self.target_group_arn_suffix: str = self.target_group.arn_suffix
        self.min_tasks: int = props.min_count

    # --- image -------------------------------------------------------------------------------
    def _repository(self, name: str) -> None:
        self.repository = EcrRepository(
            self,
            "repository",
            name=name,
            image_tag_mutability="IMMUTABLE",
            image_scanning_configuration={"scan_on_push": True},
            encryption_configuration=[
                EcrRepositoryEncryptionConfiguration(encryption_type="KMS", kms_key=self.key.arn)
            ],
            force_delete=False,
            lifecycle=PROTECTED,
        )
        pin_address(self.repository, name, "repository")
        self.repository_url: str = self.repository.repository_url
        expire = EcrLifecyclePolicy(
            self,
            "repository-lifecycle",
            repository=self.repository.name,
            policy=json.dumps(
                {
                    "rules": [
                        {
                            "rulePriority": 1,
                            "description": "expire untagged images; tags stay for rollback",
                            "selection": {
                                "tagStatus": "untagged",
                                "countType": "sinceImagePushed",
                                "countUnit": "days",
                                "countNumber": UNTAGGED_IMAGE_DAYS,
                            },
                            "action": {"type": "expire"},
                        }
                    ]
                }
            ),
        )
        pin_address(expire, name, "repository_lifecycle")
        self.image: str = (
            f"{self.repository_url}:{self.props.image}"
            if self.props.uses_own_repository
            else self.props.image
        )

    # --- DATABASE_URL / REDIS_URL ----------------------------------------------------------------
    def _connection_secrets(
        self, name: str, database: DatabaseLike | None, cache: CacheLike | None
    ) -> _TaskSecrets:
        """The task's secrets: ``{env name: valueFrom}`` plus the secrets and keys to grant.

        DATABASE_URL carries no password (``postgresql://user@host:port/db?sslmode=require``);
        PGPASSWORD comes straight from the RDS-managed master secret's ``password`` key, so a
        task always starts with the current password although RDS rotates it (libpq and
        node-postgres use PGPASSWORD when the URL has none). REDIS_URL embeds the AUTH token,
        which does not rotate by itself: it is read with an *ephemeral*
        ``aws_secretsmanager_secret_version`` (Terraform >= 1.10: never stored) and written
        through the *write-only* ``secret_string_wo`` (Terraform >= 1.11). cdktf 0.21 has no
        ephemeral resource classes, so that block is added as raw Terraform JSON.
        """
        self.database_url_secret_arn: str | None = None
        self.redis_url_secret_arn: str | None = None
        task = _TaskSecrets(value_from={}, secret_arns=[], key_arns=[self.key.arn])
        values: dict[str, tuple[str, bool]] = {}  # env name -> (value, write-only)
        if database is not None:
            values["DATABASE_URL"] = (
                f"postgresql://${{urlencode({_quoted(database.username)})}}"
                f"@{database.address}:{_as_string(database.port)}/{database.database_name}?sslmode=require",
                False,
            )
            task.value_from["PGPASSWORD"] = f"{database.master_user_secret_arn}:password::"
            task.secret_arns.append(database.master_user_secret_arn)
            task.key_arns.append(database.master_user_secret_kms_key_arn)
        if cache is not None:
            auth = self._ephemeral_secret(
                name, "cache_auth_secret", cache.auth_secret_arn, cache.primary_endpoint
            )
            # rediss: the cache encrypts in transit; AUTH goes to the default user.
            values["REDIS_URL"] = (
                f"rediss://:${{urlencode({auth}.secret_string)}}@{cache.primary_endpoint}:{_as_string(cache.port)}",
                True,
            )

        for env_name, (value, write_only) in values.items():
            slug = env_name.lower().replace("_", "-")
            secret = SecretsmanagerSecret(
                self,
                f"{slug}-secret",
                name=f"{name}/{slug}",
                description=f"{env_name} of {name}",
                kms_key_id=self.key.arn,
                recovery_window_in_days=7,
            )
            pin_address(secret, name, slug.replace("-", "_"))
            skip_check(
                secret,
                "CKV2_AWS_57",
                "derived value: rewritten from its sources on apply; rotating it on its own would "
                "desynchronise it (the database password itself is rotated by RDS)",
            )
            stored = (
                {"secret_string_wo": value, "secret_string_wo_version": self.props.connection_secret_version}
                if write_only
                else {"secret_string": value}
            )
            version = SecretsmanagerSecretVersion(self, f"{slug}-value", secret_id=secret.id, **stored)
            pin_address(version, name, slug.replace("-", "_"), "value")
            task.value_from[env_name] = secret.arn
            task.secret_arns.append(secret.arn)
            if env_name == "DATABASE_URL":
                self.database_url_secret_arn = secret.arn
            else:
                self.redis_url_secret_arn = secret.arn
        task.value_from = dict(sorted(task.value_from.items()))
        return task

    def _ephemeral_secret(self, name: str, what: str, secret_arn: str, endpoint: str) -> str:
        """Add an ephemeral read of ``secret_arn``; returns its address for expressions."""
        # element([arn, endpoint], 0) is the ARN, but the reference to the endpoint makes
        # Terraform read the secret only after the database / cache exists, i.e. after the
        # secret has a value (an ephemeral read has no depends_on on what it does not name).
        return add_ephemeral(
            self,
            "aws_secretsmanager_secret_version",
            logical_id(name, what),
            {"secret_id": Fn.element([secret_arn, endpoint], 0)},
        )

    # --- IAM -----------------------------------------------------------------------------------
    def _roles(
        self,
        name: str,
        cluster: ClusterLike,
        secrets: _TaskSecrets,
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
        if self.props.uses_own_repository:
            statements += [
                {
                    "Sid": "PullImage",
                    "Effect": "Allow",
                    "Action": [
                        "ecr:BatchCheckLayerAvailability",
                        "ecr:BatchGetImage",
                        "ecr:GetDownloadUrlForLayer",
                    ],
                    "Resource": self.repository.arn,
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
        secrets: _TaskSecrets,
    ) -> EcsTaskDefinition:
        props = self.props
        health_url = f"http://localhost:{props.container_port}{props.health_check_path}"
        command = list(props.health_check_command or ()) or [
            "CMD-SHELL",
            # The Dockerfile's own check (node is in the image; curl and wget may not be).
            f"node -e \"require('http').get('{health_url}', "
            "(r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))\"",
        ]
        container = {
            "name": name,
            "image": self.image,
            "essential": True,
            "user": props.user,
            "readonlyRootFilesystem": True,
            "portMappings": [{"containerPort": props.container_port, "protocol": "tcp"}],
            "environment": [{"name": k, "value": v} for k, v in sorted(props.environment.items())],
            "secrets": [{"name": env_name, "valueFrom": arn} for env_name, arn in secrets.value_from.items()],
            "healthCheck": {
                "command": command,
                "interval": props.health_check_interval,
                "timeout": props.health_check_timeout,
                "startPeriod": props.health_check_start_period,
                "retries": props.health_check_retries,
            },
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
            execution_role_arn=self.execution_role.arn,
            task_role_arn=self.task_role.arn,
            # The read-only root filesystem leaves /tmp writable through this task-scoped volume.
            volume=[EcsTaskDefinitionVolume(name="tmp")],
            container_definitions=json.dumps([container]),
            # Keep earlier revisions registered: redeploying the previous one is the rollback.
            skip_destroy=True,
        )
        pin_address(task_definition, name, "task_definition")
        return task_definition

    # --- load balancer -------------------------------------------------------------------------
    def _load_balancer(self, name: str, network: NetworkLike) -> _LoadBalancerSide:
        props = self.props
        alb_side = _LoadBalancerSide(self, "alb", name=name, vpc_id=network.vpc_id)
        logs_bucket = self._access_log_bucket(name)
        deletion_protection = (
            props.deletion_protection if props.deletion_protection is not None else props.production
        )
        self.load_balancer = Lb(
            self,
            "load-balancer",
            name=f"{name}-alb",
            internal=False,
            load_balancer_type="application",
            security_groups=[alb_side.connections.security_group_id],
            subnets=list(network.public_subnet_ids),
            drop_invalid_header_fields=True,
            enable_deletion_protection=deletion_protection,
            access_logs={"bucket": logs_bucket.id, "enabled": True, "prefix": name},
            depends_on=[self._log_bucket_policy],
        )
        pin_address(self.load_balancer, name, "alb")
        if not deletion_protection:
            skip_check(
                self.load_balancer,
                "CKV_AWS_150",
                "non-production: torn down and rebuilt freely; production has deletion protection",
            )
        self.target_group = LbTargetGroup(
            self,
            "target-group",
            name=f"{name}-tg",
            port=props.container_port,
            protocol="HTTP",
            target_type="ip",
            vpc_id=network.vpc_id,
            deregistration_delay="30",
            health_check={
                "enabled": True,
                "path": props.readiness_path,
                "port": "traffic-port",
                "protocol": "HTTP",
                "matcher": "200",
                "interval": props.readiness_interval,
                "timeout": max(2, min(props.readiness_interval - 1, 5)),
                "healthy_threshold": 2,
                "unhealthy_threshold": 3,
            },
        )
        pin_address(self.target_group, name, "target_group")
        certificate_arn = self._certificate(name)
        self.https_listener = LbListener(
            self,
            "https-listener",
            load_balancer_arn=self.load_balancer.arn,
            port=443,
            protocol="HTTPS",
            ssl_policy=props.ssl_policy,
            certificate_arn=certificate_arn,
            default_action=[LbListenerDefaultAction(type="forward", target_group_arn=self.target_group.arn)],
        )
        pin_address(self.https_listener, name, "https_listener")
        http_listener = LbListener(
            self,
            "http-listener",
            load_balancer_arn=self.load_balancer.arn,
            port=80,
            protocol="HTTP",
            default_action=[
                LbListenerDefaultAction(
                    type="redirect",
                    redirect={"port": "443", "protocol": "HTTPS", "status_code": "HTTP_301"},
                )
            ],
        )
        pin_address(http_listener, name, "http_listener")
        self._firewall(name)
        return alb_side

    def _certificate(self, name: str) -> str:
        props = self.props
        if props.certificate_arn is not None:
            return props.certificate_arn
        assert props.domain_name is not None and props.hosted_zone_id is not None  # validated
        certificate = AcmCertificate(
            self,
            "certificate",
            domain_name=props.domain_name,
            validation_method="DNS",
            lifecycle={"create_before_destroy": True},
        )
        pin_address(certificate, name, "certificate")
        options = TerraformIterator.from_complex_list(certificate.domain_validation_options, "domain_name")
        records = Route53Record(
            self,
            "certificate-validation-record",
            for_each=options,
            zone_id=props.hosted_zone_id,
            name=options.get_string("resource_record_name"),
            type=options.get_string("resource_record_type"),
            records=[options.get_string("resource_record_value")],
            ttl=60,
            allow_overwrite=True,
        )
        pin_address(records, name, "certificate_validation")
        validation = AcmCertificateValidation(
            self,
            "certificate-validation",
            certificate_arn=certificate.arn,
            validation_record_fqdns=Token.as_list(
                TerraformIterator.from_resources(records).pluck_property("fqdn")
            ),
        )
        pin_address(validation, name, "certificate_validation")
        alias = Route53Record(
            self,
            "alias",
            zone_id=props.hosted_zone_id,
            name=props.domain_name,
            type="A",
            alias={
                "name": self.load_balancer.dns_name,
                "zone_id": self.load_balancer.zone_id,
                "evaluate_target_health": True,
            },
        )
        pin_address(alias, name, "alias")
        validated: str = validation.certificate_arn
        return validated

    def _access_log_bucket(self, name: str) -> S3Bucket:
        context = AwsContext.of(self)
        bucket = S3Bucket(
            self,
            "access-logs",
            bucket=f"{name}-alb-logs-{context.account_id}",
            force_destroy=False,
            lifecycle=PROTECTED,
        )
        pin_address(bucket, name, "alb_logs")
        for check, reason in (
            ("CKV_AWS_145", "ALB access logs can only be delivered to SSE-S3 (AES256) buckets, not SSE-KMS"),
            ("CKV_AWS_18", "this is the access-log bucket; logging its own access would log forever"),
            (
                "CKV_AWS_144",
                "diagnostic logs that expire; a cross-region copy doubles cost for no recovery need",
            ),
            ("CKV2_AWS_62", "written only by ELB log delivery; nothing consumes object events"),
        ):
            skip_check(bucket, check, reason)
        config_ownership = S3BucketOwnershipControls(
            self, "access-logs-ownership", bucket=bucket.id, rule={"object_ownership": "BucketOwnerEnforced"}
        )
        pin_address(config_ownership, name, "alb_logs", "ownership")
        config_public_access = S3BucketPublicAccessBlock(
            self,
            "access-logs-public-access",
            bucket=bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
        )
        pin_address(config_public_access, name, "alb_logs", "public_access")
        config_versioning = S3BucketVersioningA(
            self, "access-logs-versioning", bucket=bucket.id, versioning_configuration={"status": "Enabled"}
        )
        pin_address(config_versioning, name, "alb_logs", "versioning")
        config_encryption = S3BucketServerSideEncryptionConfigurationA(
            self,
            "access-logs-encryption",
            bucket=bucket.id,
            rule=[
                S3BucketServerSideEncryptionConfigurationRuleA(
                    apply_server_side_encryption_by_default={"sse_algorithm": "AES256"}
                )
            ],
        )
        pin_address(config_encryption, name, "alb_logs", "encryption")
        config_lifecycle = S3BucketLifecycleConfiguration(
            self,
            "access-logs-lifecycle",
            bucket=bucket.id,
            rule=[
                S3BucketLifecycleConfigurationRule(
                    id="expire-access-logs",
                    status="Enabled",
                    filter=[S3BucketLifecycleConfigurationRuleFilter(prefix="")],
                    expiration=[
                        S3BucketLifecycleConfigurationRuleExpiration(days=self.props.access_log_days)
                    ],
                    noncurrent_version_expiration=[
                        S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration(noncurrent_days=30)
                    ],
                    abort_incomplete_multipart_upload=[
                        S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload(
                            days_after_initiation=7
                        )
                    ],
                )
            ],
        )
        pin_address(config_lifecycle, name, "alb_logs", "lifecycle")
        elb_account = DataAwsElbServiceAccount(self, "elb-account")
        pin_address(elb_account, name, "alb_logs", "elb_account")
        objects = f"{bucket.arn}/{name}/AWSLogs/{context.account_id}/*"
        self._log_bucket_policy = S3BucketPolicy(
            self,
            "access-logs-policy",
            bucket=bucket.id,
            policy=policy_document(
                {
                    # Regions older than August 2022 deliver as the regional ELB account,
                    # newer ones as the log delivery service; allow exactly these two.
                    "Sid": "ElbLogDelivery",
                    "Effect": "Allow",
                    "Principal": {
                        "AWS": elb_account.arn,
                        "Service": "logdelivery.elasticloadbalancing.amazonaws.com",
                    },
                    "Action": "s3:PutObject",
                    "Resource": objects,
                },
                {
                    "Sid": "TlsOnly",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [bucket.arn, f"{bucket.arn}/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                },
            ),
        )
        pin_address(self._log_bucket_policy, name, "alb_logs", "policy")
        return bucket

    def _firewall(self, name: str) -> None:
        def visibility(metric: str) -> dict[str, object]:
            return {
                "cloudwatch_metrics_enabled": True,
                "metric_name": metric,
                "sampled_requests_enabled": True,
            }

        acl = Wafv2WebAcl(
            self,
            "web-acl",
            name=f"{name}-web-acl",
            scope="REGIONAL",
            default_action={"allow": {}},
            rule=[
                Wafv2WebAclRule(
                    name=group,
                    priority=priority,
                    override_action={"none": {}},
                    statement={
                        "managed_rule_group_statement": {
                            "name": group,
                            "vendor_name": "AWS",
                            **(
                                {
                                    "rule_action_override": [
                                        {"name": rule, "action_to_use": {"count": {}}}
                                        for rule in WAF_COUNT_ONLY_RULES[group]
                                    ]
                                }
                                if group in WAF_COUNT_ONLY_RULES
                                else {}
                            ),
                        }
                    },
                    visibility_config=visibility(f"{name}-{group}"),
                )
                for priority, group in enumerate(self.props.waf_rule_groups, start=1)
            ],
            visibility_config=visibility(f"{name}-web-acl"),
        )
        pin_address(acl, name, "web_acl")
        association = Wafv2WebAclAssociation(
            self, "web-acl-association", resource_arn=self.load_balancer.arn, web_acl_arn=acl.arn
        )
        pin_address(association, name, "web_acl_association")
        # WAF only logs to log groups whose name starts with aws-waf-logs-.
        group = encrypted_log_group(
            self,
            "waf-log-group",
            name=f"aws-waf-logs-{name}",
            kms_key_arn=self.key.arn,
            retention_days=self.props.log_retention_days,
            address=(name, "waf_logs"),
        )
        logging = Wafv2WebAclLoggingConfiguration(
            self, "web-acl-logging", resource_arn=acl.arn, log_destination_configs=[group.arn]
        )
        pin_address(logging, name, "web_acl_logging")

    # --- security groups -----------------------------------------------------------------------
    def _security_groups(
        self, name: str, alb: _LoadBalancerSide, database: DatabaseLike | None, cache: CacheLike | None
    ) -> None:
        alb_group = alb.connections.security_group_id
        for port, why in (
            (443, "HTTPS from the internet"),
            (80, "HTTP from the internet, redirected to HTTPS"),
        ):
            rule = VpcSecurityGroupIngressRule(
                alb,
                f"ingress-internet-{port}",
                security_group_id=alb_group,
                cidr_ipv4="0.0.0.0/0",
                ip_protocol="tcp",
                from_port=port,
                to_port=port,
                description=f"{name}: {why}",
            )
            pin_address(rule, name, "alb", "from_internet", str(port))
            if port == 80:
                skip_check(
                    rule,
                    "CKV_AWS_260",
                    "port 80 only answers with a redirect to HTTPS (listener default action)",
                )
        # The chain: ALB -> tasks -> database / cache, each hop one rule pair.
        self.connections.allow_default_port_from(alb, f"{name}: load balancer to tasks")
        if database is not None:
            database.connections.allow_default_port_from(self, f"{name}: tasks to database")
        if cache is not None:
            cache.connections.allow_default_port_from(self, f"{name}: tasks to cache")
        # Tasks reach ECR, Secrets Manager and CloudWatch Logs over HTTPS (through NAT; there
        # are no interface endpoints), so HTTPS egress is open; nothing else is.
        https_egress = VpcSecurityGroupEgressRule(
            self,
            "egress-https",
            security_group_id=self.security_group_id,
            cidr_ipv4="0.0.0.0/0",
            ip_protocol="tcp",
            from_port=443,
            to_port=443,
            description=f"{name}: HTTPS to AWS APIs (ECR, Secrets Manager, CloudWatch Logs)",
        )
        pin_address(https_egress, name, "tasks", "to_internet_443")

    # --- autoscaling ---------------------------------------------------------------------------
    def _autoscaling(self, name: str, cluster: ClusterLike) -> None:
        props = self.props
        target = AppautoscalingTarget(
            self,
            "scaling-target",
            service_namespace="ecs",
            scalable_dimension="ecs:service:DesiredCount",
            resource_id=f"service/{cluster.name}/{self.service.name}",
            min_capacity=props.min_count,
            max_capacity=props.max_count,
        )
        pin_address(target, name, "scaling_target")
        for metric, value in (
            ("ECSServiceAverageCPUUtilization", props.cpu_target),
            ("ECSServiceAverageMemoryUtilization", props.memory_target),
        ):
            policy = AppautoscalingPolicy(
                self,
                f"scale-{metric}",
                name=f"{name}-{metric}",
                policy_type="TargetTrackingScaling",
                service_namespace=target.service_namespace,
                scalable_dimension=target.scalable_dimension,
                resource_id=target.resource_id,
                target_tracking_scaling_policy_configuration={
                    "target_value": value,
                    "predefined_metric_specification": {"predefined_metric_type": metric},
                    "scale_in_cooldown": 300,
                    "scale_out_cooldown": 60,
                },
            )
            pin_address(policy, name, "scale", "cpu" if "CPU" in metric else "memory")


__all__ = [
    "FARGATE_SIZES",
    "CacheLike",
    "DatabaseLike",
    "Service",
    "ServiceProps",
    "fargate_size_choices",
]
