"""What every service pattern builds first: a key, the image repository (for a bare tag) and
the task definition."""

from __future__ import annotations

from stackkit._private.cdk import Construct
from stackkit.constructs.cluster import ClusterLike
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
