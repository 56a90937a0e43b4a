"""ImageRepository: the ECR repository a service's images are pushed to."""

from __future__ import annotations

import json

from pydantic import Field

from stackkit._private.cdk import (
    Construct,
    EcrLifecyclePolicy,
    EcrRepository,
    EcrRepositoryEncryptionConfiguration,
)
from stackkit._private.model import FrozenModel
from stackkit._private.service_defaults import SERVICE_NAME_PATTERN, UNTAGGED_IMAGE_DAYS
from stackkit._private.terraform import PROTECTED, pin_address


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


__all__ = ["ImageRepository", "ImageRepositoryProps"]
