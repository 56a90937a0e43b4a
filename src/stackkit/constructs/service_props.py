"""ServiceProps: the props of :class:`stackkit.Service` (the load-balanced web service)."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, model_validator

from stackkit._private.logs import DEFAULT_LOG_RETENTION_DAYS
from stackkit._private.model import FrozenModel
from stackkit._private.rules import LogRetentionDays, production_service_problems
from stackkit._private.service_defaults import (
    DEFAULT_ACCESS_LOG_DAYS,
    DEFAULT_CONTAINER_PORT,
    DEFAULT_CPU,
    DEFAULT_CPU_TARGET,
    DEFAULT_DESIRED_COUNT,
    DEFAULT_ENVIRONMENT,
    DEFAULT_GRACE_PERIOD,
    DEFAULT_HEALTH_INTERVAL,
    DEFAULT_HEALTH_RETRIES,
    DEFAULT_HEALTH_START_PERIOD,
    DEFAULT_HEALTH_TIMEOUT,
    DEFAULT_IMAGE,
    DEFAULT_LIVENESS_PATH,
    DEFAULT_MAX_COUNT,
    DEFAULT_MAX_PERCENT,
    DEFAULT_MEMORY,
    DEFAULT_MEMORY_TARGET,
    DEFAULT_MIN_COUNT,
    DEFAULT_MIN_HEALTHY_PERCENT,
    DEFAULT_RATE_LIMIT_PER_IP,
    DEFAULT_RATE_LIMIT_WINDOW_SECONDS,
    DEFAULT_READINESS_INTERVAL,
    DEFAULT_READINESS_PATH,
    DEFAULT_SSL_POLICY,
    DEFAULT_USER,
    DEFAULT_WAF_RULE_GROUPS,
    MIN_RATE_LIMIT,
    SERVICE_NAME_PATTERN,
    AcmArn,
    ContainerEnvironment,
    DomainName,
    HealthCommand,
    ImageReference,
    NonRootUser,
    PercentTarget,
    RateLimitWindow,
    SecretKeyArns,
    TeamSecrets,
    UrlPath,
    WafRuleGroups,
    check_certificate_choice,
    check_counts,
    check_fargate_size,
    check_secrets_fit,
    is_repository_tag,
)
from stackkit.constructs.plain_values import check_plain_environment


class ServiceProps(FrozenModel):
    """Props of :class:`Service`. Defaults are the seed's, hardened for production."""

    name: str = Field(pattern=SERVICE_NAME_PATTERN)
    """Required. Names the service, task family, load balancer, repository and their Terraform addresses
    (``aws_ecs_service.<name>_service``); 3-28 of a-z, 0-9, -. Unique per stack."""
    production: bool = False
    """Default off. On: at least 2 tasks, the circuit breaker must stay on, and the load
    balancer gets deletion protection."""
    image: ImageReference = DEFAULT_IMAGE
    """Default ``v1.0.0`` (the seed's tag). A bare tag means that tag in this service's ECR
    repository; anything else must be a full image URI with a tag or digest
    (``public.ecr.aws/nginx/nginx:1.27``, ``ghcr.io/org/app@sha256:...``)."""
    container_port: int = Field(default=DEFAULT_CONTAINER_PORT, ge=1, le=65535)
    """Default 3000 (the Dockerfile's ``EXPOSE``)."""
    user: NonRootUser = DEFAULT_USER
    """Default ``1001`` (the Dockerfile's non-root user). ``root`` / ``0`` are refused."""
    environment: ContainerEnvironment = Field(default_factory=lambda: dict(DEFAULT_ENVIRONMENT))
    """Plain environment values. Default ``NODE_ENV=production`` (the Dockerfile). Never put a
    secret here: DATABASE_URL and REDIS_URL are injected as ECS secrets."""
    allow_plain_values: dict[str, str] = Field(default_factory=dict)
    """Default: none. ``environment`` values that only look like secrets, each with the reason
    it is not one, e.g. ``{"GIT_SHA": "commit hash of the build, public"}``. Recorded on the task
    definition, where CKV_STACKKIT_10 reads them; every other value is scanned by the secret
    detector and refused when it looks like a key, a token or a password."""
    secrets: TeamSecrets = Field(default_factory=dict)
    """Default: none. The service's own secrets (payment provider, mail, OAuth keys), which ECS
    sets as environment variables at task start: name -> the full ARN of a Secrets Manager secret
    (optionally with ``:<json-key>:<version-stage>:<version-id>``) or of an SSM parameter, in the
    stack's region; the execution role may read exactly these. As
    ``FargateTaskDefinitionProps.secrets``; see "The team's own secrets" on this page."""
    secrets_kms_key_arns: SecretKeyArns = ()
    """Default: none (AWS managed keys need no grant). Key ARNs of the customer-managed KMS keys
    that encrypt ``secrets``; decrypt is granted for exactly these, only via Secrets Manager / SSM."""
    health_check_path: UrlPath = DEFAULT_LIVENESS_PATH
    """Default ``/health``: the container's liveness check (the Dockerfile HEALTHCHECK)."""
    health_check_command: HealthCommand = None
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
    readiness_path: UrlPath = DEFAULT_READINESS_PATH
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
    cpu_target: PercentTarget = DEFAULT_CPU_TARGET
    """Default 70 % average CPU (the HPA), 1..100."""
    memory_target: PercentTarget = DEFAULT_MEMORY_TARGET
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
    certificate_arn: AcmArn = None
    """Default: none. An existing ACM certificate for the HTTPS listener. Either this or ``domain_name`` with
    ``hosted_zone_id``."""
    domain_name: DomainName = None
    """Default: none. Request a DNS-validated certificate for this name (validated in ``hosted_zone_id``) and
    point the name at the load balancer."""
    hosted_zone_id: str | None = Field(default=None, pattern=r"^Z[A-Z0-9]{1,31}$")
    """Default: none. Route 53 hosted zone of ``domain_name``."""
    ssl_policy: str = Field(default=DEFAULT_SSL_POLICY, pattern=r"^ELBSecurityPolicy-TLS13-")
    """Default ``ELBSecurityPolicy-TLS13-1-2-2021-06``; only TLS 1.3 policies are accepted."""
    deletion_protection: bool | None = None
    """Load balancer deletion protection. Default: on in production, off elsewhere."""
    waf_rule_groups: WafRuleGroups = DEFAULT_WAF_RULE_GROUPS
    """Default: Common, KnownBadInputs, AmazonIpReputation, AnonymousIp (Checkov CKV_AWS_192,
    CKV2_AWS_76). AWS managed rule groups on the web ACL, in priority order. Must include
    AWSManagedRulesKnownBadInputsRuleSet (Log4Shell and other known exploits)."""
    rate_limit_per_ip: int = Field(default=DEFAULT_RATE_LIMIT_PER_IP, ge=MIN_RATE_LIMIT, le=2_000_000_000)
    """Default 2000 requests per client IP per ``rate_limit_window_seconds`` (5 minutes): above
    it the WAF blocks that IP until its rate drops (a flood, a password-guessing run). At
    least 10 (WAF's lowest limit)."""
    rate_limit_window_seconds: RateLimitWindow = DEFAULT_RATE_LIMIT_WINDOW_SECONDS
    """Default 300 s (WAF's default): the window the limit counts over; 60, 120, 300 or 600."""
    rate_limit_count_only: bool = False
    """Default off (block). On: the rate-based rule only counts (metric
    ``<name>-rate-limit-per-ip`` and the WAF logs), to measure real traffic before blocking."""
    log_retention_days: LogRetentionDays = DEFAULT_LOG_RETENTION_DAYS
    """Container and WAF log retention. Default 365 days (CKV_AWS_338)."""
    access_log_days: int = Field(default=DEFAULT_ACCESS_LOG_DAYS, ge=1)
    """Days ALB access logs stay in S3 before the lifecycle rule expires them. Default 365."""
    enable_execute_command: bool = False
    """ECS Exec. Default off; when on, sessions are encrypted and logged by the cluster."""
    connection_secret_version: int = Field(default=1, ge=1)
    """Default 1. REDIS_URL is rewritten when the cache's ``auth_token_version`` changes (the one
    knob of a rotation); bump this only for a cache whose token is rotated outside stackkit
    (it is written write-only, so Terraform cannot see a change by itself; see the Cache page of
    the docs)."""

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        check_fargate_size(self.cpu, self.memory)
        check_counts(self.min_count, self.desired_count, self.max_count)
        check_certificate_choice(self.certificate_arn, self.domain_name, self.hosted_zone_id)
        # First: a name in both is refused as such (not as a secret-looking plain value).
        check_secrets_fit(self.secrets, self.secrets_kms_key_arns, self.environment)
        check_plain_environment(self.environment, self.allow_plain_values)
        if self.production:
            for problem in production_service_problems(
                min_count=self.min_count, desired_count=self.desired_count
            ):
                raise ValueError(problem)
            if not self.circuit_breaker:
                raise ValueError("circuit_breaker: production needs the circuit breaker with rollback")
            if self.deletion_protection is False:
                raise ValueError("deletion_protection: production keeps load balancer deletion protection")
        return self

    @property
    def uses_own_repository(self) -> bool:
        """True when ``image`` is a tag in this service's ECR repository."""
        return is_repository_tag(self.image)


__all__ = ["ServiceProps"]
