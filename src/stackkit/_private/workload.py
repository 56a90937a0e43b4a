"""What every service pattern builds first: a key, the image repository (for a bare tag) and
the task definition."""

from __future__ import annotations

from stackkit._private.cdk import Construct
from stackkit.constructs.cluster import ClusterLike
from stackkit.constructs.encryption_key import EncryptionKey, EncryptionKeyProps
from stackkit.constructs.image_repository import ImageRepository, ImageRepositoryProps
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
) -> tuple[EncryptionKey, ImageRepository | None, FargateTaskDefinition]:
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
    repository = (
        ImageRepository(scope, "repository", ImageRepositoryProps(name=name), kms_key_arn=key.arn)
        if props.uses_own_repository
        else None
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
