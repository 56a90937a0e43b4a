"""Defaults and rules shared by the service parts and patterns (task definition, service, load
balancer): each default is a fact of the seed's Dockerfile, Compose file or Kubernetes manifests."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field

from stackkit._private.choices import one_of_problem
from stackkit._private.team_secrets import kms_key_problem, parse_reference

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
#: Requests one client IP may send per evaluation window before the rate-based rule acts.
#: 2000 per 5 minutes (about 7 per second, sustained) is far above a browser or API client and
#: well below a flood or a password-guessing run. WAF's lowest allowed limit is 10 (AWS WAF
#: developer guide, "Rate-based rule high-level settings").
DEFAULT_RATE_LIMIT_PER_IP = 2000
MIN_RATE_LIMIT = 10
#: "Valid settings are 60 (1 minute), 120 (2 minutes), 300 (5 minutes), and 600 (10 minutes),
#: and 300 (5 minutes) is the default" (same page): the window the limit is counted over.
RATE_LIMIT_WINDOWS = (60, 120, 300, 600)
DEFAULT_RATE_LIMIT_WINDOW_SECONDS = 300
#: Headers that carry credentials: kept out of the WAF logs (``redacted_fields``). A SingleHeader
#: name "isn't case sensitive" (WAFv2 API reference, SingleHeader), so these also cover
#: ``Authorization`` and ``Cookie``.
WAF_REDACTED_HEADERS = ("authorization", "cookie")
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


def check_image(image: str) -> str:
    if re.fullmatch(_TAG, image):
        return image
    if not IMAGE_URI_PATTERN.fullmatch(image) or not re.search(rf"(:{_TAG}|@sha256:[a-f0-9]{{64}})$", image):
        raise ValueError(
            "must be a tag in this service's ECR repository (e.g. v1.2.0) or a full image URI "
            "with a tag or digest (e.g. public.ecr.aws/org/app:1.2.0 or repo/app@sha256:<64 hex>)"
        )
    return image


def is_repository_tag(image: str) -> bool:
    """True when ``image`` is a bare tag (an image of the service's own ECR repository)."""
    return re.fullmatch(_TAG, image) is not None


def check_url_path(path: str) -> str:
    if not path.startswith("/") or any(c.isspace() for c in path):
        raise ValueError("must be an absolute URL path starting with '/', e.g. /health")
    return path


def check_health_command(command: tuple[str, ...] | None) -> tuple[str, ...] | None:
    if command is not None and (len(command) < 2 or command[0] not in ("CMD", "CMD-SHELL")):
        raise ValueError('must be ("CMD", executable, args...) or ("CMD-SHELL", "shell command")')
    return command


def check_user(user: str) -> str:
    if user.split(":")[0] in ("0", "root") or not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(:\w+)?", user):
        raise ValueError("must be a non-root user name or uid, e.g. 1001 (the seed's appuser)")
    return user


def check_environment(environment: dict[str, str]) -> dict[str, str]:
    for key in environment:
        if not _ENV_NAME_PATTERN.fullmatch(key):
            raise ValueError(f"{key!r} is not a valid environment variable name")
        if key in SECRET_NAMES:
            raise ValueError(f"{key} is injected as an ECS secret; do not set it as plain environment")
    return environment


def check_team_secrets(secrets: dict[str, str]) -> dict[str, str]:
    """A team's ``secrets``: valid variable names, none of stackkit's own, each a Secrets Manager
    or SSM ARN (:func:`stackkit._private.team_secrets.parse_reference`)."""
    for key, value in secrets.items():
        if not _ENV_NAME_PATTERN.fullmatch(key):
            raise ValueError(
                f"{key!r} is not a valid environment variable name: letters, digits and _, not starting "
                "with a digit (e.g. STRIPE_API_KEY)"
            )
        if key in SECRET_NAMES:
            # Always refused, database or not: the name keeps one meaning when one is connected later.
            raise ValueError(
                f"{key} is stackkit's own secret (set from the database or cache the service is "
                "connected to); give yours another name"
            )
        problem = parse_reference(value)
        if isinstance(problem, str):
            raise ValueError(f"{key}: {problem}")
    return secrets


def check_secret_keys(arns: tuple[str, ...]) -> tuple[str, ...]:
    """``secrets_kms_key_arns``: KMS key ARNs (not aliases), no duplicates."""
    for arn in arns:
        problem = kms_key_problem(arn)
        if problem:
            raise ValueError(problem)
    if len(set(arns)) != len(arns):
        raise ValueError(f"has duplicates: {list(arns)}")
    return arns


def check_secrets_fit(
    secrets: dict[str, str], kms_key_arns: tuple[str, ...], environment: dict[str, str]
) -> None:
    """``secrets`` next to ``environment`` (one name, one value) and the keys to decrypt them."""
    both = sorted(set(secrets) & set(environment))
    if both:
        defaults = [name for name in both if DEFAULT_ENVIRONMENT.get(name) == environment[name]]
        # NODE_ENV=production is in `environment` unless the team passes its own.
        default_note = (
            f" ({', '.join(f'{name}={environment[name]}' for name in defaults)} is the default environment)"
            if defaults
            else ""
        )
        raise ValueError(
            f"secrets: {', '.join(both)} is also in environment; a variable is either plain or a "
            f"secret: remove it from one of them{default_note}"
        )
    if kms_key_arns and not secrets:
        raise ValueError(
            "secrets_kms_key_arns: there are no secrets to decrypt; name keys only for the "
            "customer-managed keys of the secrets in `secrets`"
        )


def check_percent_target(target: int) -> int:
    if not 1 <= target <= 100:
        raise ValueError("a scaling target is a utilisation percentage: use 1..100")
    return target


def check_fargate_size(cpu: int, memory: int) -> None:
    if memory not in FARGATE_SIZES.get(cpu, ()):
        raise ValueError(
            f"cpu: Fargate has no {cpu} CPU / {memory} MiB size; valid choices: {fargate_size_choices()}"
        )


def check_counts(min_count: int, desired_count: int, max_count: int) -> None:
    if min_count > max_count:
        raise ValueError(f"min_count: {min_count} is greater than max_count {max_count}")
    if not min_count <= desired_count <= max_count:
        raise ValueError(
            f"desired_count: {desired_count} is outside min_count..max_count ({min_count}..{max_count})"
        )


def check_acm_arn(arn: str | None) -> str | None:
    if arn is not None and not ACM_ARN_PATTERN.fullmatch(arn):
        raise ValueError("must be an ACM certificate ARN, arn:aws:acm:<region>:<account>:certificate/<uuid>")
    return arn


def check_domain(domain: str | None) -> str | None:
    if domain is not None and not re.fullmatch(_DOMAIN_PATTERN, domain):
        raise ValueError("must be a lower-case DNS name such as app.example.com")
    return domain


def check_waf_rule_groups(groups: tuple[str, ...]) -> tuple[str, ...]:
    if "AWSManagedRulesKnownBadInputsRuleSet" not in groups:
        raise ValueError("must include AWSManagedRulesKnownBadInputsRuleSet (blocks Log4Shell)")
    if len(set(groups)) != len(groups):
        raise ValueError(f"has duplicates: {list(groups)}")
    return groups


def check_certificate_choice(
    certificate_arn: str | None, domain_name: str | None, hosted_zone_id: str | None
) -> None:
    has_domain = domain_name is not None or hosted_zone_id is not None
    if (domain_name is None) != (hosted_zone_id is None):
        raise ValueError("domain_name: set domain_name and hosted_zone_id together")
    problem = one_of_problem(
        "certificate_arn",
        certificate_arn is not None,
        "domain_name + hosted_zone_id",
        has_domain,
        why="an existing ACM certificate, or a DNS-validated one requested for domain_name",
    )
    if problem:
        raise ValueError(problem)


def check_rate_limit_window(seconds: int) -> int:
    """A WAF rate-based rule's evaluation window: 60, 120, 300 or 600 seconds."""
    if seconds not in RATE_LIMIT_WINDOWS:
        raise ValueError(f"{seconds} s: WAF counts over 60, 120, 300 or 600 seconds")
    return seconds


def check_domains(domains: tuple[str, ...]) -> tuple[str, ...]:
    for domain in domains:
        check_domain(domain)
    return domains


# --- Field types: the rules above, one per field kind, shared by the service props and parts --
UrlPath = Annotated[str, AfterValidator(check_url_path)]
ImageReference = Annotated[str, AfterValidator(check_image)]
HealthCommand = Annotated[tuple[str, ...] | None, AfterValidator(check_health_command)]
NonRootUser = Annotated[str, AfterValidator(check_user)]
ContainerEnvironment = Annotated[dict[str, str], AfterValidator(check_environment)]
TeamSecrets = Annotated[dict[str, str], AfterValidator(check_team_secrets)]
SecretKeyArns = Annotated[tuple[str, ...], AfterValidator(check_secret_keys)]
PercentTarget = Annotated[int, AfterValidator(check_percent_target)]
RateLimitWindow = Annotated[int, AfterValidator(check_rate_limit_window)]
AcmArn = Annotated[str | None, AfterValidator(check_acm_arn)]
DomainName = Annotated[str | None, AfterValidator(check_domain)]
DomainNames = Annotated[tuple[str, ...], AfterValidator(check_domains)]
#: At least one group (checked first), including KnownBadInputs, no duplicates.
WafRuleGroups = Annotated[tuple[str, ...], Field(min_length=1), AfterValidator(check_waf_rule_groups)]
