"""What every service pattern builds first: a key, the image repository (for a bare tag) and
the task definition; and the way out of its tasks' security group."""

from __future__ import annotations

from stackkit._private.cdk import Construct, TerraformResource, VpcSecurityGroupEgressRule
from stackkit._private.skips import RecordedSkip, record_skip
from stackkit._private.terraform import pin_address
from stackkit.constructs.cluster import ClusterLike
from stackkit.constructs.connections import Connections
from stackkit.constructs.encryption_key import EncryptionKey, EncryptionKeyProps
from stackkit.constructs.image_repository import ImageRepository, ImageRepositoryLike, ImageRepositoryProps
from stackkit.constructs.task_definition import (
    CacheLike,
    DatabaseLike,
    FargateTaskDefinition,
    FargateTaskDefinitionProps,
)


def build_task(
    scope: Construct,
    props: FargateTaskDefinitionProps,
    *,
    cluster: ClusterLike,
    purpose: str,
    database: DatabaseLike | None,
    cache: CacheLike | None,
    repository: ImageRepositoryLike | None = None,
) -> tuple[EncryptionKey, ImageRepositoryLike | None, FargateTaskDefinition]:
    """``repository``: an existing one (then none is created); else a new one for a bare tag."""
    name = props.name
    key = EncryptionKey(
        scope,
        "key",
        EncryptionKeyProps(
            name=f"{name}-{purpose}",
            description=f"{name}: container logs, connection secrets, images",
            allow_cloudwatch_logs=True,
        ),
    )
    if repository is None and props.uses_own_repository:
        repository = ImageRepository(
            scope, "repository", ImageRepositoryProps(name=name), kms_key_arn=key.arn
        )
    task = FargateTaskDefinition(
        scope,
        "task",
        props,
        cluster=cluster,
        kms_key_arn=key.arn,
        repository=repository,
        database=database,
        cache=cache,
    )
    return key, repository, task


def no_ingress_task_connections(
    scope: Construct, name: str, *, vpc_id: str, description: str, attached: RecordedSkip
) -> Connections:
    """The security group of tasks that nothing reaches (``<name>-tasks``, no ingress, no default
    port). ``attached`` is the CKV2_AWS_5 skip saying where the group is attached to the tasks:
    outside an ECS service, where Checkov's "attached to a resource" check cannot see it."""
    connections = Connections.with_new_security_group(
        scope, name=f"{name}-tasks", vpc_id=vpc_id, description=description, default_port=None
    )
    record_skip(connections.security_group, attached)
    return connections


def open_task_egress(
    scope: Construct,
    connections: Connections,
    name: str,
    *,
    database: DatabaseLike | None,
    cache: CacheLike | None,
    what: str = "tasks",
) -> list[TerraformResource]:
    """The tasks' way out of ``connections``: HTTPS to AWS APIs and their port on ``database``
    and ``cache`` (one rule pair each). Returns the rules in that order (a run that needs the
    path depends on them).
    Tasks reach ECR, Secrets Manager and CloudWatch Logs over HTTPS (through NAT; there are no
    interface endpoints), so HTTPS egress is open; nothing else is."""
    grants: list[TerraformResource] = []
    if database is not None:
        grants += database.connections.allow_default_port_from(connections, f"{name}: {what} to database")
    if cache is not None:
        grants += cache.connections.allow_default_port_from(connections, f"{name}: {what} to cache")
    https_egress = VpcSecurityGroupEgressRule(
        scope,
        "egress-https",
        security_group_id=connections.security_group_id,
        cidr_ipv4="0.0.0.0/0",
        ip_protocol="tcp",
        from_port=443,
        to_port=443,
        description=f"{name}: HTTPS to AWS APIs (ECR, Secrets Manager, CloudWatch Logs)",
    )
    pin_address(https_egress, name, "tasks", "to_internet_443")
    return [https_egress, *grants]
