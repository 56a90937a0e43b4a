"""ImageRepository: the ECR repository a service's images are pushed to; and a reference to one
that another stack created (:meth:`ImageRepository.from_name`).

The environments of this repository create their repositories in the bootstrap stack (deployed
first, so the image can be pushed before the app stack's tasks pull it, issue 15) and pass a
reference to the services of the app stack.
"""

from __future__ import annotations

import json
from typing import Protocol

from pydantic import Field

from stackkit._private.cdk import (
    Construct,
    EcrLifecyclePolicy,
    EcrRepository,
    EcrRepositoryEncryptionConfiguration,
)
from stackkit._private.model import FrozenModel
from stackkit._private.service_defaults import SERVICE_NAME_PATTERN, UNTAGGED_IMAGE_DAYS
from stackkit._private.terraform import PROTECTED, AwsContext, logical_id, pin_address


class ImageRepositoryLike(Protocol):
    """What a task definition needs of a repository: an :class:`ImageRepository`, or an
    :class:`ImageRepositoryReference` to one that another stack (or state) manages."""

    @property
    def name(self) -> str: ...
    @property
    def arn(self) -> str: ...
    @property
    def repository_url(self) -> str: ...


class ImageRepositoryReference:
    """An existing ECR repository by name, in the stack's account and region: no resource and no
    data source; the ARN and URL are computed from the stack's account id, partition, region
    and DNS suffix (``arn:<partition>:ecr:<region>:<account>:repository/<name>`` and
    ``<account>.dkr.ecr.<region>.<dns suffix>/<name>``: Amazon ECR user guide, "Private registry
    concepts" (registry URL) and "Actions, resources, and condition keys for Amazon ECR"
    (repository ARN)). So the app stack plans before the repository exists, and no read
    permission is needed; the deploy workflow's bootstrap job checks that it exists."""

    def __init__(self, scope: Construct, name: str) -> None:
        context = AwsContext.of(scope)
        self.name: str = name
        self.arn: str = f"arn:{context.partition}:ecr:{context.region}:{context.account_id}:repository/{name}"
        self.repository_url: str = (
            f"{context.account_id}.dkr.ecr.{context.region}.{context.dns_suffix}/{name}"
        )


class ImageRepositoryProps(FrozenModel):
    """Props of :class:`ImageRepository`."""

    name: str = Field(pattern=SERVICE_NAME_PATTERN)
    """Required. The repository name and the base of its Terraform address
    (``aws_ecr_repository.<name>_repository``)."""
    untagged_image_days: int = Field(default=UNTAGGED_IMAGE_DAYS, ge=1)
    """Default 14: untagged images (superseded pushes) expire; tagged ones stay for rollback."""


class ImageRepository(Construct):
    """An ECR repository: scan on push, immutable tags, KMS-encrypted with ``kms_key_arn``,
    ``prevent_destroy``, and a lifecycle rule expiring untagged images.

    Attributes: ``repository``, ``name``, ``arn``, ``repository_url``.
    """

    def __init__(self, scope: Construct, id_: str, props: ImageRepositoryProps, *, kms_key_arn: str) -> None:
        super().__init__(scope, id_)
        name = props.name
        self.repository = EcrRepository(
            self,
            "repository",
            name=name,
            image_tag_mutability="IMMUTABLE",
            image_scanning_configuration={"scan_on_push": True},
            encryption_configuration=[
                EcrRepositoryEncryptionConfiguration(encryption_type="KMS", kms_key=kms_key_arn)
            ],
            force_delete=False,
            lifecycle=PROTECTED,
        )
        pin_address(self.repository, name, "repository")
        self.name: str = self.repository.name
        self.arn: str = self.repository.arn
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
                                "countNumber": props.untagged_image_days,
                            },
                            "action": {"type": "expire"},
                        }
                    ]
                }
            ),
        )
        pin_address(expire, name, "repository_lifecycle")
        self.lifecycle_policy = expire

    @staticmethod
    def addresses(name: str) -> tuple[str, str]:
        """The Terraform addresses of repository ``name`` and of its lifecycle policy (what a
        ``removed``/``import`` pair moves between states)."""
        return (
            f"aws_ecr_repository.{logical_id(name, 'repository')}",
            f"aws_ecr_lifecycle_policy.{logical_id(name, 'repository_lifecycle')}",
        )

    @staticmethod
    def from_name(scope: Construct, name: str) -> ImageRepositoryReference:
        """A reference to the existing repository ``name`` (created by another stack, e.g. the
        bootstrap stack): pass it as ``repository=`` to a service, which then creates none."""
        return ImageRepositoryReference(scope, name)


__all__ = ["ImageRepository", "ImageRepositoryLike", "ImageRepositoryProps", "ImageRepositoryReference"]
