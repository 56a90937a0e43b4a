"""Service: the seed's app as an ECS Fargate service behind its own HTTPS load balancer.

A thin pattern over the parts (AWS CDK's ``ApplicationLoadBalancedFargateService``): a key,
an :class:`ImageRepository`, a :class:`FargateTaskDefinition`, a :class:`LoadBalancer` whose
default action is this service, and a :class:`FargateService`. Every default is a fact of the
seed (see the seed-to-construct table in docs/patterns/service.md); Terraform addresses are
those of stackkit 0.1.
For several services behind one load balancer, see :class:`LoadBalancedService`; for a queue
worker, :class:`WorkerService`; for a cron job, :class:`ScheduledTask`.
"""

from __future__ import annotations

from stackkit._private.cdk import Construct
from stackkit._private.service_defaults import (  # re-exported: stackkit 0.1 defined them here
    ACM_ARN_PATTERN,
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
    DEFAULT_READINESS_INTERVAL,
    DEFAULT_READINESS_PATH,
    DEFAULT_SSL_POLICY,
    DEFAULT_USER,
    DEFAULT_WAF_RULE_GROUPS,
    FARGATE_SIZES,
    IMAGE_URI_PATTERN,
    SECRET_NAMES,
    SERVICE_NAME_PATTERN,
    UNTAGGED_IMAGE_DAYS,
    WAF_COUNT_ONLY_RULES,
    fargate_size_choices,
)
from stackkit._private.team_secrets import require_secrets_in_region
from stackkit.constructs.cluster import ClusterLike
from stackkit.constructs.encryption_key import EncryptionKey, EncryptionKeyProps
from stackkit.constructs.fargate_service import FargateService, FargateServiceProps
from stackkit.constructs.image_repository import ImageRepository, ImageRepositoryLike, ImageRepositoryProps
from stackkit.constructs.load_balancer import LoadBalancer, LoadBalancerProps, LoadBalancerTargetProps
from stackkit.constructs.network import NetworkLike
from stackkit.constructs.protocols import require_workload_inputs
from stackkit.constructs.service_props import ServiceProps
from stackkit.constructs.task_definition import (
    CacheLike,
    DatabaseLike,
    FargateTaskDefinition,
    FargateTaskDefinitionProps,
)


def _subset(
    props: ServiceProps, model: type[FargateTaskDefinitionProps | FargateServiceProps | LoadBalancerProps]
) -> dict[str, object]:
    """The fields of ``props`` that ``model`` also has, as given (defaults stay the part's)."""
    given = props.model_dump(exclude_unset=True)
    return {field: value for field, value in given.items() if field in model.model_fields}


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
    (and ``_arn_suffix``), ``min_count``, ``readiness_path``, ``security_group_id``,
    ``connections``, ``task_role`` (and ``task_role_arn``), ``execution_role``,
    ``repository_url``, ``database_url_secret_arn``, ``redis_url_secret_arn``; and the parts:
    ``key``, ``repository``, ``task``, ``alb``, ``target``, ``fargate``.

    ``repository``: an existing repository (:meth:`ImageRepository.from_name`, e.g. one the
    bootstrap stack created); then the service creates none. Default: its own
    (``aws_ecr_repository.<name>_repository``, as in stackkit 0.1).
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
        repository: ImageRepositoryLike | None = None,
    ) -> None:
        require_workload_inputs(network=network, cluster=cluster, database=database, cache=cache)
        require_secrets_in_region(scope, props, "ServiceProps")
        super().__init__(scope, id_)
        self.props = props
        name = props.name
        self.name = name
        self.key = EncryptionKey(
            self,
            "key",
            EncryptionKeyProps(
                name=f"{name}-service",
                description=f"{name}: container logs, WAF logs, connection secrets, images",
                allow_cloudwatch_logs=True,
            ),
        )
        self.repository: ImageRepositoryLike = (
            repository
            if repository is not None
            else ImageRepository(
                self, "repository", ImageRepositoryProps(name=name), kms_key_arn=self.key.arn
            )
        )
        self.task = FargateTaskDefinition(
            self,
            "task",
            FargateTaskDefinitionProps(**_subset(props, FargateTaskDefinitionProps)),
            cluster=cluster,
            kms_key_arn=self.key.arn,
            repository=self.repository,
            database=database,
            cache=cache,
        )
        self.alb = LoadBalancer(
            self,
            "alb",
            LoadBalancerProps(**_subset(props, LoadBalancerProps)),
            network=network,
            kms_key_arn=self.key.arn,
        )
        self.target = self.alb.add_target(
            self,
            LoadBalancerTargetProps(
                name=name,
                port=props.container_port,
                readiness_path=props.readiness_path,
                readiness_interval=props.readiness_interval,
                default=True,
            ),
        )
        self.fargate = FargateService(
            self,
            "fargate",
            FargateServiceProps(**_subset(props, FargateServiceProps)),
            network=network,
            cluster=cluster,
            task_definition=self.task,
            target=self.target,
            database=database,
            cache=cache,
        )
        self.connections = self.fargate.connections
        self.security_group_id: str = self.fargate.security_group_id
        self.service = self.fargate.service
        self.service_name: str = self.fargate.service_name
        self.service_arn: str = self.fargate.service_arn
        self.cluster_arn: str = cluster.arn
        self.cluster_name: str = cluster.name
        self.load_balancer = self.alb.load_balancer
        self.https_listener = self.alb.https_listener
        self.target_group = self.target.target_group
        self.load_balancer_arn: str = self.alb.arn
        self.load_balancer_dns_name: str = self.alb.dns_name
        self.target_group_arn: str = self.target.target_group_arn
        # CloudWatch dimensions (what Monitoring reads), the autoscaling floor, the readiness path.
        self.load_balancer_arn_suffix: str = self.alb.arn_suffix
        self.target_group_arn_suffix: str = self.target.target_group_arn_suffix
        self.min_count: int = props.min_count
        self.readiness_path: str = props.readiness_path
        self.log_group = self.task.log_group
        self.execution_role = self.task.execution_role
        self.task_role = self.task.task_role
        self.task_role_arn: str = self.task.task_role_arn
        self.repository_url: str = self.repository.repository_url
        self.image: str = self.task.image
        self.database_url_secret_arn: str | None = self.task.database_url_secret_arn
        self.redis_url_secret_arn: str | None = self.task.redis_url_secret_arn


__all__ = [
    "ACM_ARN_PATTERN",
    "CacheLike",
    "DEFAULT_ACCESS_LOG_DAYS",
    "DEFAULT_CONTAINER_PORT",
    "DEFAULT_CPU",
    "DEFAULT_CPU_TARGET",
    "DEFAULT_DESIRED_COUNT",
    "DEFAULT_ENVIRONMENT",
    "DEFAULT_GRACE_PERIOD",
    "DEFAULT_HEALTH_INTERVAL",
    "DEFAULT_HEALTH_RETRIES",
    "DEFAULT_HEALTH_START_PERIOD",
    "DEFAULT_HEALTH_TIMEOUT",
    "DEFAULT_IMAGE",
    "DEFAULT_LIVENESS_PATH",
    "DEFAULT_MAX_COUNT",
    "DEFAULT_MAX_PERCENT",
    "DEFAULT_MEMORY",
    "DEFAULT_MEMORY_TARGET",
    "DEFAULT_MIN_COUNT",
    "DEFAULT_MIN_HEALTHY_PERCENT",
    "DEFAULT_READINESS_INTERVAL",
    "DEFAULT_READINESS_PATH",
    "DEFAULT_SSL_POLICY",
    "DEFAULT_USER",
    "DEFAULT_WAF_RULE_GROUPS",
    "DatabaseLike",
    "FARGATE_SIZES",
    "IMAGE_URI_PATTERN",
    "SECRET_NAMES",
    "SERVICE_NAME_PATTERN",
    "Service",
    "ServiceProps",
    "UNTAGGED_IMAGE_DAYS",
    "WAF_COUNT_ONLY_RULES",
    "fargate_size_choices",
]
