"""Queue: an SQS queue encrypted with its own KMS key, with a dead-letter queue and a redrive policy."""

from __future__ import annotations

import json
from typing import Protocol

from pydantic import Field

from stackkit._private.cdk import Construct, SqsQueue, SqsQueueRedriveAllowPolicy
from stackkit._private.model import FrozenModel
from stackkit._private.terraform import pin_address
from stackkit.constructs.encryption_key import EncryptionKey, EncryptionKeyProps

#: SQS queue names: up to 80 characters; 4 are kept for the ``-dlq`` suffix.
QUEUE_NAME_PATTERN = r"^[a-z][a-z0-9-]{1,74}[a-z0-9]$"
#: SQS's own defaults (30 s visibility, 4 days retention); the DLQ keeps messages the maximum, 14 days.
DEFAULT_VISIBILITY_TIMEOUT = 30
DEFAULT_RETENTION_SECONDS = 4 * 24 * 3600
MAX_RETENTION_SECONDS = 14 * 24 * 3600
#: Deliveries before a message moves to the dead-letter queue.
DEFAULT_MAX_RECEIVE_COUNT = 5
#: How long SQS reuses a data key before asking KMS again (fewer KMS calls; 300 s is SQS's default).
DATA_KEY_REUSE_SECONDS = 300


class QueueLike(Protocol):
    """What a worker and Monitoring need from a queue: ours (:class:`Queue`) or a team's own."""

    @property
    def name(self) -> str:
        """The queue's name, known at synthesis (the QueueName dimension, alarm names)."""
        ...

    @property
    def arn(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def kms_key_arn(self) -> str | None:
        """The key encrypting messages (consumers need ``kms:Decrypt``); None for SSE-SQS."""
        ...

    @property
    def dead_letter_queue_name(self) -> str | None: ...


class QueueProps(FrozenModel):
    """Props of :class:`Queue`."""

    name: str = Field(pattern=QUEUE_NAME_PATTERN)
    """Required. The queue's name (the dead-letter queue is ``<name>-dlq``) and the base of the
    Terraform addresses."""
    visibility_timeout_seconds: int = Field(default=DEFAULT_VISIBILITY_TIMEOUT, ge=0, le=43200)
    """Default 30 s (SQS's). Longer than one message's processing, or it is delivered twice."""
    message_retention_seconds: int = Field(default=DEFAULT_RETENTION_SECONDS, ge=60, le=MAX_RETENTION_SECONDS)
    """Default 4 days (SQS's)."""
    max_receive_count: int = Field(default=DEFAULT_MAX_RECEIVE_COUNT, ge=1, le=1000)
    """Default 5 deliveries, then the message moves to the dead-letter queue."""
    dead_letter_retention_seconds: int = Field(default=MAX_RETENTION_SECONDS, ge=60, le=MAX_RETENTION_SECONDS)
    """Default 14 days (SQS's maximum): time to notice, fix and redrive."""


class Queue(Construct):
    """An SQS queue and its dead-letter queue, both SSE-KMS with a customer-managed key; the
    queue's redrive policy moves a message after ``max_receive_count`` deliveries, and the
    dead-letter queue accepts messages from this queue only.

    Attributes: ``queue``, ``name``, ``arn``, ``url``, ``dead_letter_queue``,
    ``dead_letter_queue_name``, ``dead_letter_queue_arn``, ``key``, ``kms_key_arn``.
    """

    def __init__(self, scope: Construct, id_: str, props: QueueProps) -> None:
        super().__init__(scope, id_)
        name = props.name
        self.key = EncryptionKey(
            self, "key", EncryptionKeyProps(name=f"{name}-queue", description=f"{name}: queue messages")
        )
        self.kms_key_arn: str | None = self.key.arn
        self.dead_letter_queue = SqsQueue(
            self,
            "dead-letter-queue",
            name=f"{name}-dlq",
            kms_master_key_id=self.key.arn,
            kms_data_key_reuse_period_seconds=DATA_KEY_REUSE_SECONDS,
            message_retention_seconds=props.dead_letter_retention_seconds,
        )
        pin_address(self.dead_letter_queue, name, "dlq")
        self.queue = SqsQueue(
            self,
            "queue",
            name=name,
            kms_master_key_id=self.key.arn,
            kms_data_key_reuse_period_seconds=DATA_KEY_REUSE_SECONDS,
            visibility_timeout_seconds=props.visibility_timeout_seconds,
            message_retention_seconds=props.message_retention_seconds,
            # maxReceiveCount: deliveries to this queue before SQS moves the message to the
            # dead-letter queue (SQS developer guide, "Using dead-letter queues").
            redrive_policy=json.dumps(
                {
                    "deadLetterTargetArn": self.dead_letter_queue.arn,
                    "maxReceiveCount": props.max_receive_count,
                }
            ),
        )
        pin_address(self.queue, name, "queue")
        allow = SqsQueueRedriveAllowPolicy(
            self,
            "redrive-allow",
            queue_url=self.dead_letter_queue.url,
            redrive_allow_policy=json.dumps(
                {"redrivePermission": "byQueue", "sourceQueueArns": [self.queue.arn]}
            ),
        )
        pin_address(allow, name, "dlq", "redrive_allow")
        self.name: str = name
        self.arn: str = self.queue.arn
        self.url: str = self.queue.url
        self.dead_letter_queue_name: str | None = f"{name}-dlq"
        self.dead_letter_queue_arn: str = self.dead_letter_queue.arn


def consume_statements(queue: QueueLike) -> list[dict[str, object]]:
    """Exactly what a consumer needs, as AWS CDK's ``QueueGrants.consumeMessages`` grants it
    (https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_sqs.QueueGrants.html): sqs:ReceiveMessage,
    ChangeMessageVisibility, GetQueueUrl, DeleteMessage, GetQueueAttributes and, for an SSE-KMS
    queue, kms:Decrypt on its key: receiving decrypts the message's data key)."""
    statements: list[dict[str, object]] = [
        {
            "Sid": "ConsumeQueue",
            "Effect": "Allow",
            "Action": [
                "sqs:ChangeMessageVisibility",
                "sqs:DeleteMessage",
                "sqs:GetQueueAttributes",
                "sqs:GetQueueUrl",
                "sqs:ReceiveMessage",
            ],
            "Resource": queue.arn,
        }
    ]
    if queue.kms_key_arn is not None:
        statements.append(
            {
                "Sid": "DecryptQueueMessages",
                "Effect": "Allow",
                "Action": "kms:Decrypt",
                "Resource": queue.kms_key_arn,
            }
        )
    return statements


__all__ = ["Queue", "QueueLike", "QueueProps", "consume_statements"]
