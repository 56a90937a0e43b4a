"""EnvironmentConfig: everything that differs between one environment and another, validated.

Defaults are the seed's documented defaults; an environment states only what differs (this
repository's dev/staging/prod live in its top-level ``stacks/environments.py``, not in the
library). Validation runs before any cdktf object exists.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from typing import Self

from pydantic import Field, field_validator, model_validator

from stackkit._private.arns import certificate_region_problem, kms_key_region_problem
from stackkit._private.choices import one_of_problem
from stackkit._private.model import FrozenModel
from stackkit._private.regions import AVAILABILITY_ZONES, region_problem
from stackkit._private.rules import production_cache_problems
from stackkit._private.team_secrets import secrets_place_problem
from stackkit.constructs.backup import DEFAULT_DR_REGIONS, BackupProps, BackupSettings
from stackkit.constructs.cache import CacheProps, CacheSettings
from stackkit.constructs.cache_props import auth_secret_name, default_group_id
from stackkit.constructs.connection_secrets import connection_secret_name
from stackkit.constructs.database import DatabaseProps, DatabaseSettings
from stackkit.constructs.monitoring import (
    AlarmThresholds,
    CacheMetrics,
    DatabaseMetrics,
    MonitoringProps,
    ServiceMetrics,
)
from stackkit.constructs.network import DEFAULT_VPC_CIDR, NAME_PATTERN, NatStrategy, NetworkLike, NetworkProps
from stackkit.constructs.service import ServiceProps
from stackkit.constructs.subnet_plan import SubnetTier, plan_subnets
from stackkit.errors import ValidationError
from stackkit.patterns.service_settings import ServiceSettings

DEFAULT_PROJECT = "stackkit"
DEFAULT_REGION = "us-east-1"
DEFAULT_AZ_COUNT = 2
DEFAULT_OWNER = "platform-team"
BUCKET_PATTERN = r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"
#: Environment names: lowercase letters, digits and hyphens (the stack name and a tag value).
ENVIRONMENT_PATTERN = r"^[a-z][a-z0-9-]{0,31}$"
#: KMS key ARN or alias ARN (ARN format: KMS developer guide, "Key identifiers (KeyId)").
STATE_KMS_KEY_PATTERN = r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key/[A-Za-z0-9-]+|alias/[A-Za-z0-9/_-]+)$"
#: The reusable workflow this repository deploys with (.github/workflows/deploy.yml calls it).
DEFAULT_GITHUB_WORKFLOW_REF = ".github/workflows/deploy-environment.yml@refs/heads/main"
WORKFLOW_REF_PATTERN = r"^\.github/workflows/[A-Za-z0-9._/-]+\.ya?ml@refs/(heads|tags)/[A-Za-z0-9._/-]+$"
#: The environment treated as production unless ``production`` says otherwise.
PRODUCTION_ENVIRONMENT = "prod"


def _in_config_terms(build: Callable[[], object], config_field: Callable[[str], str]) -> None:
    """Run ``build`` (props from this config); its first error, renamed to the config field."""
    try:
        build()
    except ValidationError as error:
        field, message = error.problems[0]
        raise ValueError(f"{config_field(field)}: {message}") from None


def _service_field(field: str) -> str:
    """ServiceProps field -> EnvironmentConfig field."""
    if field in ServiceSettings.model_fields:
        return f"service.{field}"
    return "project" if field == "name" else field


def _alerting_field(field: str) -> str:
    """MonitoringProps field -> EnvironmentConfig field."""
    renamed = {"email_subscriptions": "alarm_emails", "https_subscriptions": "alarm_https_endpoints"}
    return renamed.get(field, f"alarm_thresholds.{field.removeprefix('thresholds.')}")


class EnvironmentConfig(FrozenModel):
    """One deployment environment. Every field is validated; errors name the field."""

    environment: str = Field(pattern=ENVIRONMENT_PATTERN)
    """Required: the stack name and the Environment tag (e.g. ``dev``, ``staging``, ``prod``):
    1-32 of a-z, 0-9, -, starting with a letter."""
    production: bool | None = None
    """Default: on for the environment named ``prod``, off for any other. On: every construct
    applies its production rules (multi-AZ, failover, at least 2 tasks, stricter alarms...)."""
    project: str = Field(default=DEFAULT_PROJECT, pattern=NAME_PATTERN)
    """Default ``stackkit``. Prefix of every resource name (the seed's ``var.project``):
    3-32 of a-z, 0-9, -."""
    region: str = DEFAULT_REGION
    """Default ``us-east-1``. AWS region; must be one of the regions stackkit knows (a table in
    the package; an unknown or misspelt one is refused with the closest, see the Validation page)."""
    allowed_account_ids: tuple[str, ...] = Field(min_length=1)
    """Required, at least one: the only AWS accounts this environment may be deployed to
    (12 digits each)."""
    az_count: int = Field(default=DEFAULT_AZ_COUNT, ge=2)
    """Default 2: Availability Zones to spread subnets over; 2 or more, at most what the region has."""
    vpc_cidr: str = DEFAULT_VPC_CIDR
    """Default ``10.0.0.0/16``: the seed's."""
    subnet_cidrs: dict[SubnetTier, dict[str, str]] | None = None
    """Explicit subnet CIDRs per tier and AZ; default: computed from ``vpc_cidr``."""
    nat: NatStrategy = NatStrategy.SINGLE
    """NAT gateways. Default ``single`` (cheap) unless the environment needs ``per_az``."""
    owner: str = Field(default=DEFAULT_OWNER, min_length=1, max_length=128)
    """Default ``platform-team``. The Owner tag: who is paged for this environment."""
    tags: dict[str, str] = Field(default_factory=dict)
    """Extra default tags. Project, Environment, ManagedBy and Owner are always set."""
    state_bucket: str = Field(pattern=BUCKET_PATTERN)
    """Required. S3 bucket holding the Terraform state (created outside this app, versioned)."""
    state_key: str | None = None
    """Default ``<project>/<environment>/terraform.tfstate``."""
    state_kms_key_id: str | None = Field(default=None, pattern=STATE_KMS_KEY_PATTERN)
    """The KMS key every state object is written with (the S3 backends' ``kms_key_id``: a key
    ARN or an alias ARN in ``region``). Default: the state key the bootstrap stack creates,
    ``arn:aws:kms:<region>:<account>:alias/<project>-<environment>-tfstate``; that needs
    ``github_repository`` (the bootstrap stack) and exactly one ``allowed_account_ids``.
    Otherwise required: without it Terraform writes state with SSE-S3 (AES256), readable by
    anyone with ``s3:GetObject`` on the bucket."""
    cache: CacheSettings = Field(default_factory=CacheSettings)
    """The cache's node type and node count; default: the seed's (``cache.t3.micro``, 1 node).
    Prod needs at least 2 nodes (a replica in another AZ, automatic failover)."""
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    """The database's engine, sizes and retention; default: the seed's (postgres 15,
    ``db.t3.medium``, 20 GB, multi-AZ, 30-day backups). Prod keeps multi-AZ, >= 7 days of
    backups and deletion protection."""
    service: ServiceSettings = Field(default_factory=ServiceSettings)
    """The service's image, size and task counts; default: the seed's (``v1.0.0``, 0.5 vCPU,
    3 tasks, autoscaling 3..20). Prod needs at least 2 tasks."""
    certificate_arn: str | None = None
    """Default: none. Existing ACM certificate for the HTTPS listener; or set domain_name +
    hosted_zone_id."""
    domain_name: str | None = None
    """Default: none. Name to request a DNS-validated certificate for and point at the load balancer."""
    hosted_zone_id: str | None = None
    """Default: none. Route 53 zone of ``domain_name``."""
    alarm_emails: tuple[str, ...] = ()
    """Who gets every alarm by email; default none (dev may stay quiet)."""
    alarm_https_endpoints: tuple[str, ...] = ()
    """HTTPS webhooks (paging, chat) that get every alarm; default none."""
    github_repository: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$")
    """Default: none (no bootstrap stack). ``<org>/<repo>`` of the repository whose GitHub Actions
    deploy this environment: the app then also builds ``<environment>-bootstrap`` (state bucket,
    GitHub OIDC provider, plan / image / deploy roles trusted only for this repository)."""
    github_workflow_ref: str | None = Field(default=DEFAULT_GITHUB_WORKFLOW_REF, pattern=WORKFLOW_REF_PATTERN)
    """Default ``.github/workflows/deploy-environment.yml@refs/heads/main``: the CI roles trust only
    jobs of that (reusable) workflow file at that ref, in their GitHub environment: the ``sub``
    claim is ``repo:<org>/<repo>:environment:<env>:job_workflow_ref:<org>/<repo>/<this>``. That
    ``sub`` needs the repository's OIDC subject template ``repo, context, job_workflow_ref`` (one
    ``gh api`` call, docs/deploying.md "GitHub settings"). None: GitHub's default ``sub``
    (``repo:<org>/<repo>:environment:<env>``), which any branch that may use the environment gets:
    then only the environments' deployment branch policies keep other branches out."""
    create_github_oidc_provider: bool = True
    """Default on: the bootstrap stack creates the account's GitHub OIDC provider. Off when
    another environment in the same account (or something else) already created it: IAM has
    one provider per URL and account."""
    adopt_image_repositories: bool = False
    """Default off. On for an environment whose app stack was applied with stackkit 0.1, when the
    service's ECR repository (and its lifecycle policy) lived in the app stack's state: the
    bootstrap stack then imports them (``import`` blocks) and the app stack forgets them
    (``removed`` blocks, ``destroy = false``), so they move with their images and nothing is done
    by hand. Off for a new environment: an ``import`` of a repository that does not exist yet
    fails the plan. Needs ``github_repository`` (the bootstrap stack)."""
    migrations_command: tuple[str, ...] | None = None
    """Default: none (no migration task). The command that migrates the schema with the service's
    image, e.g. ``("npm", "run", "migrate")``: a one-off task logged in as the migration user
    runs it during the apply, after the database bootstrap and before the service's new tasks
    start; a failure stops the deploy."""
    alarm_thresholds: dict[str, float] = Field(default_factory=dict)
    """Overrides of :class:`~stackkit.constructs.monitoring.AlarmThresholds`, on top of the
    environment's defaults (prod: :meth:`AlarmThresholds.production`, stricter)."""
    backup: BackupSettings = Field(default_factory=BackupSettings)
    """Disaster recovery (AWS Backup of the database). Default: on, daily at 06:00 UTC, 35 days,
    no vault lock, no break-glass role (only root may delete recovery points); a copy to
    ``dr_region`` in prod, by default :data:`~stackkit.constructs.backup.DEFAULT_DR_REGIONS` of
    ``region`` (``us-east-1`` -> ``us-west-2``), none in dev and staging unless set."""

    @field_validator("region")
    @classmethod
    def _known_region(cls, region: str) -> str:
        problem = region_problem(region)
        if problem:
            raise ValueError(problem)
        return region

    @field_validator("allowed_account_ids")
    @classmethod
    def _twelve_digits(cls, ids: tuple[str, ...]) -> tuple[str, ...]:
        for account in ids:
            if not re.fullmatch(r"\d{12}", account):
                raise ValueError(f"account id {account!r} must be exactly 12 digits, e.g. 123456789012")
        return ids

    @field_validator("tags")
    @classmethod
    def _no_reserved_tags(cls, tags: dict[str, str]) -> dict[str, str]:
        reserved = sorted(set(tags) & {"Project", "Environment", "ManagedBy", "Owner"})
        if reserved:
            raise ValueError(f"tags {reserved} are set by stackkit; use the fields project/owner instead")
        return tags

    @model_validator(mode="after")
    def _network_fits(self) -> Self:
        zones = AVAILABILITY_ZONES[self.region]
        if self.az_count > len(zones):
            raise ValueError(
                f"az_count: {self.az_count} is more than region {self.region} has "
                f"({len(zones)}: {', '.join(zones)}); use 2..{len(zones)}"
            )
        overrides = (
            {tier.value: by_az for tier, by_az in self.subnet_cidrs.items()}
            if self.subnet_cidrs is not None
            else None
        )
        try:
            plan_subnets(self.vpc_cidr, self.availability_zones, None, overrides)
        except ValueError as error:
            field = "subnet_cidrs" if overrides is not None else "vpc_cidr"
            raise ValueError(f"{field}: {error}") from None
        return self

    @model_validator(mode="after")
    def _certificate_in_region(self) -> Self:
        problem = one_of_problem(
            "certificate_arn",
            self.certificate_arn is not None,
            "domain_name + hosted_zone_id",
            self.domain_name is not None or self.hosted_zone_id is not None,
            why="an existing ACM certificate, or a DNS-validated one requested for domain_name",
        )
        if problem:
            raise ValueError(problem)
        in_region = certificate_region_problem(self.certificate_arn, self.region)
        if in_region:
            raise ValueError(f"certificate_arn: {in_region}")
        return self

    @model_validator(mode="after")
    def _adoption_needs_a_bootstrap_stack(self) -> Self:
        if self.adopt_image_repositories and self.github_repository is None:
            raise ValueError(
                "adopt_image_repositories: the repositories move into the bootstrap stack, which exists "
                "only with github_repository (org/repo); set it, or leave adopt_image_repositories off"
            )
        return self

    @model_validator(mode="after")
    def _state_is_encrypted_with_a_known_key(self) -> Self:
        if self.state_kms_key_id is not None:
            problem = kms_key_region_problem(self.state_kms_key_id, self.region)
            if problem:
                raise ValueError(f"state_kms_key_id: {problem}")
            return self
        if self.github_repository is None:
            raise ValueError(
                "state_kms_key_id: name the KMS key of your state bucket (a key or alias ARN, e.g. "
                f"arn:aws:kms:{self.region}:{self.allowed_account_ids[0]}:alias/{self.state_key_alias}); "
                "without it Terraform writes state with SSE-S3, or set github_repository so that the "
                "bootstrap stack creates the key"
            )
        if len(self.allowed_account_ids) != 1:
            raise ValueError(
                "state_kms_key_id: with several allowed_account_ids, name the bootstrap stack's state key "
                f"(arn:aws:kms:{self.region}:<account>:alias/{self.state_key_alias})"
            )
        return self

    @model_validator(mode="after")
    def _break_glass_outside_the_deploy_roles_reach(self) -> Self:
        arn = self.backup.break_glass_role_arn
        if self.github_repository is None or arn is None:
            return self
        role = arn.split(":role/", 1)[1]
        if fnmatch.fnmatchcase(role, self.deploy_role_pattern):
            raise ValueError(
                f"backup.break_glass_role_arn: role/{role} matches role/{self.deploy_role_pattern}, the "
                "roles the CI deploy role may create and change, so a deploy job could take it over; "
                f"use a name or path outside it, e.g. arn:aws:iam::{self.allowed_account_ids[0]}:role/"
                f"break-glass/{self.project}-{self.environment}"
            )
        return self

    @model_validator(mode="after")
    def _service_fits(self) -> Self:
        _in_config_terms(self.service_props, _service_field)
        service = self.service
        misplaced = secrets_place_problem(service.secrets, service.secrets_kms_key_arns, self.region)
        if misplaced:
            raise ValueError(f"service.{misplaced[0]}: {misplaced[1]}")
        return self

    @model_validator(mode="after")
    def _alerting_is_valid(self) -> Self:
        _in_config_terms(self.monitoring_props, _alerting_field)
        return self

    @model_validator(mode="after")
    def _cache_fits_environment(self) -> Self:
        problems = production_cache_problems(self.cache.node_count) if self.is_production else []
        if problems:
            raise ValueError(f"cache.{problems[0]}")
        return self

    @model_validator(mode="after")
    def _database_fits_environment(self) -> Self:
        problems = self.database.production_problems() if self.is_production else []
        if problems:
            raise ValueError(f"database.{problems[0]}")
        return self

    @model_validator(mode="after")
    def _backup_fits_environment(self) -> Self:
        try:
            self.backup_props()
        except ValidationError as error:
            field, message = error.problems[0]
            raise ValueError(f"backup.{field}: {message}") from None
        return self

    @property
    def resolved_dr_region(self) -> str | None:
        """The region recovery points are copied to: ``backup.dr_region``, or in prod the default
        partner region of ``region``; None without a copy (or with backups off)."""
        if not self.backup.enabled:
            return None
        if self.backup.dr_region is not None:
            return self.backup.dr_region
        return DEFAULT_DR_REGIONS.get(self.region) if self.is_production else None

    def backup_props(self) -> BackupProps:
        return BackupProps(
            name=self.project,
            region=self.region,
            production=self.is_production,
            **{**self.backup.model_dump(exclude_unset=True), "dr_region": self.resolved_dr_region},
        )

    @property
    def availability_zones(self) -> tuple[str, ...]:
        return AVAILABILITY_ZONES[self.region][: self.az_count]

    @property
    def is_production(self) -> bool:
        if self.production is not None:
            return self.production
        return self.environment == PRODUCTION_ENVIRONMENT

    @property
    def resolved_state_key(self) -> str:
        return self.state_key or f"{self.project}/{self.environment}/terraform.tfstate"

    @property
    def state_key_alias(self) -> str:
        """The alias name (without ``alias/``) of the state key the bootstrap stack creates."""
        return f"{self.project}-{self.environment}-tfstate"

    @property
    def resolved_state_kms_key_id(self) -> str:
        """``state_kms_key_id``, or the bootstrap stack's state key by its alias ARN. Every region
        stackkit knows (``region``) is in the ``aws`` partition."""
        if self.state_kms_key_id is not None:
            return self.state_kms_key_id
        return f"arn:aws:kms:{self.region}:{self.allowed_account_ids[0]}:alias/{self.state_key_alias}"

    @property
    def permissions_boundary_name(self) -> str:
        """The IAM policy the bootstrap stack creates as the permissions boundary of every role the
        CI deploy role creates; the environment stack puts it on each of its roles."""
        return f"{self.project}-{self.environment}-permissions-boundary"

    @property
    def database_bootstrap_name(self) -> str:
        """The database bootstrap task's name (``<project>-db-bootstrap``)."""
        return f"{self.project}-db-bootstrap"

    @property
    def migrations_name(self) -> str:
        """The migration task's name (``<project>-migrate``), with ``migrations_command``."""
        return f"{self.project}-migrate"

    @property
    def secrets_read_at_plan(self) -> tuple[str, ...]:
        """The names of the Secrets Manager secrets whose values ``terraform plan`` of the
        environment stack reads, sorted:

        * every secret whose version the stack manages (the tasks' DATABASE_URL and REDIS_URL, the
          cache's AUTH token): refreshing an ``aws_secretsmanager_secret_version`` reads its value
          back with GetSecretValue, write-only ones included (AWS provider,
          ``internal/service/secretsmanager/secret_version.go``: ``resourceSecretVersionRead`` ->
          ``findSecretVersionByTwoPartKey`` -> ``GetSecretValue``), and a plan refreshes every
          resource first (Terraform docs, "Command: plan": "Reads the current state of any
          already-existing remote objects to make sure that the Terraform state is up-to-date",
          https://developer.hashicorp.com/terraform/cli/commands/plan);
        * the cache's AUTH token again, through a data source (cdktf) and the ephemeral resource
          the service's REDIS_URL is written from (both CDKs)."""
        tasks: dict[str, tuple[str, ...]] = {
            self.service_name: ("DATABASE_URL", "REDIS_URL"),
            self.database_bootstrap_name: ("DATABASE_URL",),
        }
        if self.migrations_command is not None:
            tasks[self.migrations_name] = ("DATABASE_URL",)
        names = {
            connection_secret_name(task, variable)
            for task, variables in tasks.items()
            for variable in variables
        }
        names.add(auth_secret_name(default_group_id(self.project)))
        return tuple(sorted(names))

    @property
    def deploy_role_pattern(self) -> str:
        """The role names (with path) the CI deploy role may create, change and pass: every role
        stackkit's constructs create is named ``<project>-...``, at the root path."""
        return f"{self.project}-*"

    @property
    def default_tags(self) -> dict[str, str]:
        return {
            **self.tags,
            "Project": self.project,
            "Environment": self.environment,
            "ManagedBy": "stackkit",
            "Owner": self.owner,
        }

    @property
    def service_name(self) -> str:
        """The service's name: its ECR repository's name, and the base of its addresses."""
        return f"{self.project}-api"

    @property
    def image_repositories(self) -> tuple[str, ...]:
        """The ECR repositories the bootstrap stack creates (one per service image)."""
        return (self.service_name,)

    def service_props(self) -> ServiceProps:
        return ServiceProps(
            name=self.service_name,
            production=self.is_production,
            **self.service.model_dump(),
            certificate_arn=self.certificate_arn,
            domain_name=self.domain_name,
            hosted_zone_id=self.hosted_zone_id,
        )

    def monitoring_props(
        self,
        service: ServiceMetrics | None = None,
        database: DatabaseMetrics | None = None,
        cache: CacheMetrics | None = None,
    ) -> MonitoringProps:
        thresholds = (
            AlarmThresholds.production(**self.alarm_thresholds)
            if self.is_production
            else AlarmThresholds(**self.alarm_thresholds)
        )
        return MonitoringProps(
            name=self.project,
            service=service,
            database=database,
            cache=cache,
            thresholds=thresholds,
            email_subscriptions=self.alarm_emails,
            https_subscriptions=self.alarm_https_endpoints,
        )

    def network_props(self) -> NetworkProps:
        return NetworkProps(
            name=self.project,
            availability_zones=self.availability_zones,
            cidr=self.vpc_cidr,
            nat=self.nat,
            subnet_cidrs=self.subnet_cidrs,
        )

    def database_props(self, network: NetworkLike) -> DatabaseProps:
        return DatabaseProps(
            name=self.project,
            network=network,
            production=self.is_production,
            **self.database.model_dump(exclude_unset=True),
        )

    def cache_props(self, network: NetworkLike) -> CacheProps:
        return CacheProps(
            name=self.project,
            network=network,
            production=self.is_production,
            **self.cache.model_dump(exclude_unset=True),
        )
