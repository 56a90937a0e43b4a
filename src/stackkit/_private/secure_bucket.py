"""One S3 bucket built the secure way, with its configuration resources: ``prevent_destroy``,
versioned, encrypted (SSE-KMS with a bucket key, or SSE-S3), public access blocked,
``BucketOwnerEnforced``, a lifecycle rule, and a bucket policy that denies non-TLS requests.

Used by the bootstrap stack's Terraform state bucket and by the load balancer's access-log
bucket. Addresses are pinned from ``address`` (``aws_s3_bucket.<address>``,
``aws_s3_bucket_versioning.<address>_versioning`` ...), construct ids from ``id_prefix``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from stackkit._private.cdk import (
    Construct,
    S3Bucket,
    S3BucketLifecycleConfiguration,
    S3BucketLifecycleConfigurationRule,
    S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload,
    S3BucketLifecycleConfigurationRuleExpiration,
    S3BucketLifecycleConfigurationRuleFilter,
    S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration,
    S3BucketOwnershipControls,
    S3BucketPolicy,
    S3BucketPublicAccessBlock,
    S3BucketServerSideEncryptionConfigurationA,
    S3BucketServerSideEncryptionConfigurationRuleA,
    S3BucketVersioningA,
)
from stackkit._private.iam import policy_document
from stackkit._private.skips import RecordedSkip, record_skip
from stackkit._private.terraform import PROTECTED, pin_address


@dataclass(frozen=True)
class BucketIds:
    """Construct ids of the bucket and of each of its configuration resources."""

    bucket: str
    versioning: str
    encryption: str
    public_access: str
    ownership: str
    lifecycle: str
    policy: str

    @classmethod
    def prefixed(cls, prefix: str, bucket: str | None = None) -> BucketIds:
        return cls(
            bucket=bucket or prefix,
            versioning=f"{prefix}-versioning",
            encryption=f"{prefix}-encryption",
            public_access=f"{prefix}-public-access",
            ownership=f"{prefix}-ownership",
            lifecycle=f"{prefix}-lifecycle",
            policy=f"{prefix}-policy",
        )


@dataclass(frozen=True)
class BucketLifecycle:
    """The bucket's one lifecycle rule (the whole bucket): current objects expire after
    ``expiration_days`` (None: never), noncurrent versions after ``noncurrent_days``, incomplete
    multipart uploads after 7 days."""

    rule_id: str
    noncurrent_days: int
    expiration_days: int | None = None


def secure_bucket(
    scope: Construct,
    *,
    ids: BucketIds,
    address: tuple[str, ...],
    bucket_name: str,
    kms_key_arn: str | None,
    lifecycle: BucketLifecycle,
    checkov_skips: Sequence[RecordedSkip] = (),
    statements: Callable[[S3Bucket], list[dict[str, object]]] = lambda bucket: [],
) -> tuple[S3Bucket, S3BucketPolicy]:
    """The bucket and its policy (``statements(bucket)`` first, then ``TlsOnly``).

    ``kms_key_arn``: SSE-KMS with that key and an S3 bucket key; None: SSE-S3 (AES256), e.g. for
    ALB access logs, which ELB delivers only to SSE-S3 buckets."""
    bucket = S3Bucket(scope, ids.bucket, bucket=bucket_name, force_destroy=False, lifecycle=PROTECTED)
    pin_address(bucket, *address)
    for skip in checkov_skips:
        record_skip(bucket, skip)
    bucket_id, bucket_arn = bucket.id, bucket.arn  # one kernel read each, for the seven parts
    versioning = S3BucketVersioningA(
        scope, ids.versioning, bucket=bucket_id, versioning_configuration={"status": "Enabled"}
    )
    pin_address(versioning, *address, "versioning")
    if kms_key_arn is not None:
        rule = S3BucketServerSideEncryptionConfigurationRuleA(
            apply_server_side_encryption_by_default={
                "sse_algorithm": "aws:kms",
                "kms_master_key_id": kms_key_arn,
            },
            bucket_key_enabled=True,
        )
    else:
        rule = S3BucketServerSideEncryptionConfigurationRuleA(
            apply_server_side_encryption_by_default={"sse_algorithm": "AES256"}
        )
    encryption = S3BucketServerSideEncryptionConfigurationA(
        scope, ids.encryption, bucket=bucket_id, rule=[rule]
    )
    pin_address(encryption, *address, "encryption")
    public_access = S3BucketPublicAccessBlock(
        scope,
        ids.public_access,
        bucket=bucket_id,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
    )
    pin_address(public_access, *address, "public_access")
    ownership = S3BucketOwnershipControls(
        scope, ids.ownership, bucket=bucket_id, rule={"object_ownership": "BucketOwnerEnforced"}
    )
    pin_address(ownership, *address, "ownership")
    expiration = (
        [S3BucketLifecycleConfigurationRuleExpiration(days=lifecycle.expiration_days)]
        if lifecycle.expiration_days is not None
        else None
    )
    lifecycle_configuration = S3BucketLifecycleConfiguration(
        scope,
        ids.lifecycle,
        bucket=bucket_id,
        rule=[
            S3BucketLifecycleConfigurationRule(
                id=lifecycle.rule_id,
                status="Enabled",
                filter=[S3BucketLifecycleConfigurationRuleFilter(prefix="")],
                expiration=expiration,
                noncurrent_version_expiration=[
                    S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration(
                        noncurrent_days=lifecycle.noncurrent_days
                    )
                ],
                abort_incomplete_multipart_upload=[
                    S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload(days_after_initiation=7)
                ],
            )
        ],
    )
    pin_address(lifecycle_configuration, *address, "lifecycle")
    policy = S3BucketPolicy(
        scope,
        ids.policy,
        bucket=bucket_id,
        policy=policy_document(
            *statements(bucket),
            {
                "Sid": "TlsOnly",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [bucket_arn, f"{bucket_arn}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
        ),
    )
    pin_address(policy, *address, "policy")
    return bucket, policy


__all__ = ["BucketIds", "BucketLifecycle", "secure_bucket"]
