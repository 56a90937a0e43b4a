"""Every gate skip (a Checkov check or an IAM analysis rule) a stackkit construct records, with its
reason: the one place they are defined.

A construct records one of these on the resource it concerns with :func:`record_skip` (never a
free-text reason at the call site), so this table is complete by construction. The documentation's
skips table is generated from :data:`RECORDED_SKIPS` (``docs/hooks.py``), and
``tests/policy/test_checkov.py`` checks that every skip found in the synthesized stacks is one of
these, word for word.
"""

from __future__ import annotations

from dataclasses import dataclass

from stackkit._private.cdk import TerraformResource
from stackkit.skip import skip_check


@dataclass(frozen=True)
class RecordedSkip:
    """One Checkov check or IAM analysis rule that does not apply to one kind of resource a
    construct creates."""

    check_id: str
    resource: str
    """The resource, as a Terraform address pattern (``aws_s3_bucket.<service>_alb_logs``)."""
    construct: str
    """The construct (or pattern) that creates the resource and records the skip."""
    when: str
    """``always``, or the condition under which the skip is recorded."""
    reason: str
    """Written into the resource's ``//`` metadata; ``stackkit check`` prints it."""


def record_skip(resource: TerraformResource, skip: RecordedSkip) -> None:
    """Record ``skip`` on ``resource`` (with :func:`stackkit.skip_check`)."""
    skip_check(resource, skip.check_id, skip.reason)


_ALB = "LoadBalancer (Service, LoadBalancedService)"

ALB_LOGS_SSE_S3 = RecordedSkip(
    "CKV_AWS_145",
    "aws_s3_bucket.<service>_alb_logs",
    _ALB,
    "always",
    "ALB access logs can only be delivered to SSE-S3 (AES256) buckets, not SSE-KMS",
)
ALB_LOGS_NO_ACCESS_LOG = RecordedSkip(
    "CKV_AWS_18",
    "aws_s3_bucket.<service>_alb_logs",
    _ALB,
    "always",
    "this is the access-log bucket; logging its own access would log forever",
)
ALB_LOGS_NO_REPLICATION = RecordedSkip(
    "CKV_AWS_144",
    "aws_s3_bucket.<service>_alb_logs",
    _ALB,
    "always",
    "diagnostic logs that expire; a cross-region copy doubles cost for no recovery need",
)
ALB_LOGS_NO_EVENTS = RecordedSkip(
    "CKV2_AWS_62",
    "aws_s3_bucket.<service>_alb_logs",
    _ALB,
    "always",
    "written only by ELB log delivery; nothing consumes object events",
)
ALB_HTTP_REDIRECT = RecordedSkip(
    "CKV_AWS_260",
    "aws_vpc_security_group_ingress_rule.<service>_alb_from_internet_80",
    _ALB,
    "always",
    "port 80 only answers with a redirect to HTTPS (listener default action)",
)
ALB_NO_DELETION_PROTECTION = RecordedSkip(
    "CKV_AWS_150",
    "aws_lb.<service>_alb",
    _ALB,
    "non-production only (deletion protection off); `stackkit check` ignores it on a prod-tagged resource",
    "non-production: torn down and rebuilt freely; production has deletion protection",
)
TARGET_GROUP_BEHIND_RULE = RecordedSkip(
    "CKV_AWS_378",
    "aws_lb_target_group.<service>_target_group",
    "LoadBalancedService (a target behind a shared LoadBalancer's listener rule)",
    "a target reached through a listener rule",
    "TLS ends at the HTTPS listener; this group is reached through a rule of that listener "
    "(aws_lb_listener_rule), which Checkov's connection check does not follow",
)
DATABASE_URL_NOT_ROTATED = RecordedSkip(
    "CKV2_AWS_57",
    "aws_secretsmanager_secret.<service>_database_url",
    "FargateTaskDefinition (Service, WorkerService, ScheduledTask...) with a database",
    "always",
    "derived value: rewritten from its sources on apply; it holds no credential (the "
    "app authenticates with IAM tokens; only the bootstrap task gets the master password, as "
    "PGPASSWORD from the RDS-rotated secret)",
)
REDIS_URL_NOT_ROTATED = RecordedSkip(
    "CKV2_AWS_57",
    "aws_secretsmanager_secret.<service>_redis_url",
    "FargateTaskDefinition (Service, WorkerService, ScheduledTask...) with a cache",
    "always",
    "derived from the cache's AUTH token, read ephemerally and written write-only on "
    "apply; rotate with the cache's auth_token_version (it rewrites this secret in the same "
    "apply), a rotation Lambda here would write a URL the cache does not accept",
)
CACHE_AUTH_TOKEN_NOT_ROTATED = RecordedSkip(
    "CKV2_AWS_57",
    "aws_secretsmanager_secret.<name>_cache_auth_token",
    "Cache",
    "always",
    "Secrets Manager has no rotation function for an ElastiCache AUTH token; rotate by "
    "bumping auth_token_version (new random token, applied with ROTATE/SET)",
)
CACHE_SINGLE_NODE = RecordedSkip(
    "CKV2_AWS_50",
    "aws_elasticache_replication_group.<name>_cache",
    "Cache",
    "one node only (non-production); `stackkit check` ignores it on a prod-tagged resource",
    "single-node cache (the seed's default, for non-production): failover needs a "
    "replica; production is refused with fewer than 2 nodes",
)
CACHE_AUTH_TOKEN_WRITE_ONLY = RecordedSkip(
    "CKV_AWS_31",
    "aws_elasticache_replication_group.<name>_cache",
    "Cache",
    "CDK Terrain only (`auth_token_wo`)",
    "AUTH is set through the write-only auth_token_wo; Checkov 3.3's CKV_AWS_31 "
    "(terraform/checks/resource/aws/ElasticacheReplicationGroupEncryptionAtTransitAuthToken.py) "
    "accepts only auth_token or user_group_ids. Transit encryption is required here",
)
SCHEDULED_TASK_SECURITY_GROUP = RecordedSkip(
    "CKV2_AWS_5",
    "aws_security_group.<task>_tasks_sg",
    "ScheduledTask",
    "always",
    "attached to the tasks the schedule starts (target.ecs_parameters.network_configuration "
    "of aws_scheduler_schedule), a connection Checkov does not know",
)
ONE_OFF_TASK_SECURITY_GROUP = RecordedSkip(
    "CKV2_AWS_5",
    "aws_security_group.<task>_tasks_sg",
    "OneOffTask (DatabaseBootstrap, migrations)",
    "always",
    "attached to the one-off task by aws ecs run-task --network-configuration (at run "
    "time, not in Terraform), a connection Checkov does not know",
)
STATE_BUCKET_NO_ACCESS_LOG = RecordedSkip(
    "CKV_AWS_18",
    "aws_s3_bucket.<project>_<env>_tfstate",
    "BootstrapStack",
    "always",
    "Terraform state bucket: every access is by the CI roles or an administrator, recorded by "
    "CloudTrail; a server access log bucket would need its own bucket and lifecycle",
)
STATE_BUCKET_NO_REPLICATION = RecordedSkip(
    "CKV_AWS_144",
    "aws_s3_bucket.<project>_<env>_tfstate",
    "BootstrapStack",
    "always",
    "Terraform state: versioned (every apply recoverable); a copy in another region is not "
    "needed to recover the state, which can be re-imported from the resources themselves",
)
STATE_BUCKET_NO_EVENTS = RecordedSkip(
    "CKV2_AWS_62",
    "aws_s3_bucket.<project>_<env>_tfstate",
    "BootstrapStack",
    "always",
    "Terraform state: nothing consumes object events of the state bucket",
)
LOGS_KEY_DESCRIBE_UNDER_CONTEXT = RecordedSkip(
    "IAM_PARLIAMENT_UNKNOWN_CONDITION_FOR_ACTION",
    "aws_kms_key.<name>_key",
    "EncryptionKey (log groups, alerts topic: allow_cloudwatch_logs)",
    "allow_cloudwatch_logs",
    "the CloudWatch Logs statement is the one the CloudWatch Logs guide gives (Encrypt log data in "
    "CloudWatch Logs using AWS KMS): kms:Describe* under the kms:EncryptionContext:aws:logs:arn "
    "condition, which DescribeKey requests do not carry; that part grants nothing, the rest is needed",
)

#: Every skip any construct records, in the order the documentation lists them.
RECORDED_SKIPS: tuple[RecordedSkip, ...] = (
    ALB_LOGS_SSE_S3,
    ALB_LOGS_NO_ACCESS_LOG,
    ALB_LOGS_NO_REPLICATION,
    ALB_LOGS_NO_EVENTS,
    ALB_HTTP_REDIRECT,
    ALB_NO_DELETION_PROTECTION,
    TARGET_GROUP_BEHIND_RULE,
    DATABASE_URL_NOT_ROTATED,
    REDIS_URL_NOT_ROTATED,
    CACHE_AUTH_TOKEN_NOT_ROTATED,
    CACHE_SINGLE_NODE,
    CACHE_AUTH_TOKEN_WRITE_ONLY,
    SCHEDULED_TASK_SECURITY_GROUP,
    ONE_OFF_TASK_SECURITY_GROUP,
    STATE_BUCKET_NO_ACCESS_LOG,
    STATE_BUCKET_NO_REPLICATION,
    STATE_BUCKET_NO_EVENTS,
    LOGS_KEY_DESCRIBE_UNDER_CONTEXT,
)
