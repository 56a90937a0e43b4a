"""EnvironmentStack: one environment's provider, remote state and constructs."""

from __future__ import annotations

from stackkit._private.cdk import (
    AwsProvider,
    AwsProviderDefaultTags,
    Construct,
    TerraformOutput,
    TerraformStack,
)
from stackkit._private.permissions_boundary import bound_every_role
from stackkit._private.state_moves import forget
from stackkit._private.terraform import AwsContext, s3_backend
from stackkit.constructs.backup import Backup
from stackkit.constructs.cache import Cache
from stackkit.constructs.cluster import Cluster, ClusterProps
from stackkit.constructs.database import Database
from stackkit.constructs.image_repository import ImageRepository, ImageRepositoryLike
from stackkit.constructs.monitoring import CacheMetrics, DatabaseMetrics, Monitoring, ServiceMetrics
from stackkit.constructs.network import Network
from stackkit.constructs.one_off_task import (
    DatabaseBootstrap,
    DatabaseBootstrapProps,
    OneOffTask,
    OneOffTaskProps,
)
from stackkit.constructs.service import Service
from stackkit.constructs.task_definition import FargateTaskDefinitionProps
from stackkit.patterns.environment_config import EnvironmentConfig


class EnvironmentStack(TerraformStack):
    """The whole product for one environment, composed from validated config.

    Attributes: ``config`` and each construct (``network``, ``database``, ``cache``, ``cluster``,
    ``service``, ``monitoring``).
    """

    def __init__(self, scope: Construct, config: EnvironmentConfig) -> None:
        super().__init__(scope, config.environment)
        self.config = config
        AwsProvider(
            self,
            "aws",
            region=config.region,
            allowed_account_ids=list(config.allowed_account_ids),
            default_tags=[AwsProviderDefaultTags(tags=config.default_tags)],
        )
        s3_backend(
            self,
            bucket=config.state_bucket,
            key=config.resolved_state_key,
            region=config.region,
            kms_key_id=config.resolved_state_kms_key_id,
        )
        if config.github_repository is not None:
            # Deployed by the bootstrap stack's deploy role, which creates roles only with this
            # boundary (stackkit.patterns.ci_roles): every role of this stack carries it.
            context = AwsContext.of(self)
            bound_every_role(
                self,
                f"arn:{context.partition}:iam::{context.account_id}:policy/{config.permissions_boundary_name}",
            )

        self.network = Network(self, "network", config.network_props())
        self.database = Database(self, "database", config.database_props(self.network))
        self.cache = Cache(self, "cache", config.cache_props(self.network))
        self.cluster = Cluster(self, "cluster", ClusterProps(name=config.project))
        # With a bootstrap stack, the image repositories live there (deployed first, so the first
        # image is pushed before any task pulls it: issue 15); the service gets a reference by
        # name (two states: no cross-stack token). An environment that had them in this stack's
        # state forgets them here; the bootstrap stack imports them (adopt_image_repositories).
        repository: ImageRepositoryLike | None = None
        if config.github_repository is not None:
            repository = ImageRepository.from_name(self, config.service_name)
        if config.adopt_image_repositories:
            forget(self, *(a for name in config.image_repositories for a in ImageRepository.addresses(name)))
        # The service grants itself database and cache access through their connections.
        self.service = Service(
            self,
            "service",
            config.service_props(),
            network=self.network,
            cluster=self.cluster,
            database=self.database,
            cache=self.cache,
            repository=repository,
        )
        # The application logs in as its own IAM user (issue 15): the bootstrap task creates
        # it (and the migration user) before the service's tasks start; then migrations, if any.
        self.database_bootstrap = DatabaseBootstrap(
            self,
            "database-bootstrap",
            DatabaseBootstrapProps(name=config.database_bootstrap_name),
            network=self.network,
            cluster=self.cluster,
            database=self.database,
            kms_key_arn=self.database.kms_key.arn,
        )
        self.database_bootstrap.must_run_before(self.service.service)
        self.migrations: OneOffTask | None = None
        if config.migrations_command is not None:
            self.migrations = OneOffTask(
                self,
                "migrations",
                OneOffTaskProps(
                    task=FargateTaskDefinitionProps(
                        name=config.migrations_name,
                        image=config.service.image,
                        container_port=None,
                        command=config.migrations_command,
                        database_user="migrator",
                    )
                ),
                network=self.network,
                cluster=self.cluster,
                database=self.database,
                kms_key_arn=self.service.key.arn,
                repository=self.service.repository,
            )
            if self.migrations.run is not None:
                self.database_bootstrap.must_run_before(self.migrations.run)
            self.migrations.must_run_before(self.service.service)
        self.monitoring = Monitoring(
            self,
            "monitoring",
            config.monitoring_props(
                service=ServiceMetrics.from_service(self.service),
                database=DatabaseMetrics.from_database(self.database),
                cache=CacheMetrics.from_cache(self.cache),
            ),
        )
        # Disaster recovery (issue 17): AWS Backup of the database; copies to the DR region.
        self.backup: Backup | None = None
        if config.backup.enabled:
            dr_region = config.resolved_dr_region
            dr_provider = (
                AwsProvider(
                    self,
                    "aws-dr",
                    region=dr_region,
                    alias="dr",
                    allowed_account_ids=list(config.allowed_account_ids),
                    default_tags=[AwsProviderDefaultTags(tags=config.default_tags)],
                )
                if dr_region
                else None
            )
            self.backup = Backup(
                self,
                "backup",
                config.backup_props(),
                resource_arns=[self.database.arn],
                dr_provider=dr_provider,
                alert_topic_arn=self.monitoring.topic_arn,
            )
        # What a deploy pipeline needs: where to push the image, where the app answers.
        TerraformOutput(self, "ecr_repository_url", value=self.service.repository_url)
        TerraformOutput(self, "load_balancer_dns_name", value=self.service.load_balancer_dns_name)
        # To run the bootstrap (or a migration) by hand: see docs/constructs/database.md.
        TerraformOutput(self, "cluster_name", value=self.cluster.name)
        TerraformOutput(self, "database_bootstrap_task_family", value=self.database_bootstrap.family)
        TerraformOutput(
            self, "one_off_network_configuration", value=self.database_bootstrap.task.network_configuration
        )
