"""The pieces of a load balancer that are not the load balancer: certificate, access-log bucket, WAF."""

from __future__ import annotations

from typing import Protocol

from stackkit._private.cdk import (
    AcmCertificate,
    AcmCertificateValidation,
    Construct,
    DataAwsElbServiceAccount,
    Lb,
    Route53Record,
    S3Bucket,
    S3BucketPolicy,
    TerraformIterator,
    Token,
    Wafv2WebAcl,
    Wafv2WebAclAssociation,
    Wafv2WebAclLoggingConfiguration,
    Wafv2WebAclLoggingConfigurationRedactedFields,
    Wafv2WebAclLoggingConfigurationRedactedFieldsSingleHeader,
    Wafv2WebAclRule,
)
from stackkit._private.logs import encrypted_log_group
from stackkit._private.secure_bucket import BucketIds, BucketLifecycle, secure_bucket
from stackkit._private.service_defaults import (
    DEFAULT_RATE_LIMIT_PER_IP,
    DEFAULT_RATE_LIMIT_WINDOW_SECONDS,
    WAF_COUNT_ONLY_RULES,
    WAF_REDACTED_HEADERS,
)
from stackkit._private.skips import (
    ALB_LOGS_NO_ACCESS_LOG,
    ALB_LOGS_NO_EVENTS,
    ALB_LOGS_NO_REPLICATION,
    ALB_LOGS_SSE_S3,
)
from stackkit._private.terraform import AwsContext, pin_address


class _CertificateProps(Protocol):
    @property
    def certificate_arn(self) -> str | None: ...
    @property
    def domain_name(self) -> str | None: ...
    @property
    def hosted_zone_id(self) -> str | None: ...
    @property
    def subject_alternative_names(self) -> tuple[str, ...]: ...


def certificate(scope: Construct, name: str, props: _CertificateProps, load_balancer: Lb) -> str:
    """The listener's certificate: the given ARN, or a DNS-validated one with an alias record."""
    if props.certificate_arn is not None:
        return props.certificate_arn
    assert props.domain_name is not None and props.hosted_zone_id is not None  # validated
    certificate = AcmCertificate(
        scope,
        "certificate",
        domain_name=props.domain_name,
        **(
            {"subject_alternative_names": list(props.subject_alternative_names)}
            if props.subject_alternative_names
            else {}
        ),
        validation_method="DNS",
        lifecycle={"create_before_destroy": True},
    )
    pin_address(certificate, name, "certificate")
    options = TerraformIterator.from_complex_list(certificate.domain_validation_options, "domain_name")
    records = Route53Record(
        scope,
        "certificate-validation-record",
        for_each=options,
        zone_id=props.hosted_zone_id,
        name=options.get_string("resource_record_name"),
        type=options.get_string("resource_record_type"),
        records=[options.get_string("resource_record_value")],
        ttl=60,
        allow_overwrite=True,
    )
    pin_address(records, name, "certificate_validation")
    validation = AcmCertificateValidation(
        scope,
        "certificate-validation",
        certificate_arn=certificate.arn,
        validation_record_fqdns=Token.as_list(
            TerraformIterator.from_resources(records).pluck_property("fqdn")
        ),
    )
    pin_address(validation, name, "certificate_validation")
    alias = Route53Record(
        scope,
        "alias",
        zone_id=props.hosted_zone_id,
        name=props.domain_name,
        type="A",
        alias={
            "name": load_balancer.dns_name,
            "zone_id": load_balancer.zone_id,
            "evaluate_target_health": True,
        },
    )
    pin_address(alias, name, "alias")
    validated: str = validation.certificate_arn
    return validated


def access_log_bucket(scope: Construct, name: str, access_log_days: int) -> tuple[S3Bucket, S3BucketPolicy]:
    """The ALB's access-log bucket (SSE-S3, private, versioned, expiring) and its policy."""
    context = AwsContext.of(scope)

    def log_delivery(bucket: S3Bucket) -> list[dict[str, object]]:
        elb_account = DataAwsElbServiceAccount(scope, "elb-account")
        pin_address(elb_account, name, "alb_logs", "elb_account")
        return [
            {
                # Regions older than August 2022 deliver as the regional ELB account,
                # newer ones as the log delivery service; allow exactly these two.
                "Sid": "ElbLogDelivery",
                "Effect": "Allow",
                "Principal": {
                    "AWS": elb_account.arn,
                    "Service": "logdelivery.elasticloadbalancing.amazonaws.com",
                },
                "Action": "s3:PutObject",
                "Resource": f"{bucket.arn}/{name}/AWSLogs/{context.account_id}/*",
            }
        ]

    return secure_bucket(
        scope,
        ids=BucketIds.prefixed("access-logs"),
        address=(name, "alb_logs"),
        bucket_name=f"{name}-alb-logs-{context.account_id}",
        kms_key_arn=None,  # ALB access logs can only be delivered to SSE-S3 buckets
        lifecycle=BucketLifecycle("expire-access-logs", noncurrent_days=30, expiration_days=access_log_days),
        checkov_skips=(ALB_LOGS_SSE_S3, ALB_LOGS_NO_ACCESS_LOG, ALB_LOGS_NO_REPLICATION, ALB_LOGS_NO_EVENTS),
        statements=log_delivery,
    )


def web_acl(
    scope: Construct,
    name: str,
    *,
    load_balancer_arn: str,
    rule_groups: tuple[str, ...],
    kms_key_arn: str,
    log_retention_days: int,
    rate_limit_per_ip: int = DEFAULT_RATE_LIMIT_PER_IP,
    rate_limit_window_seconds: int = DEFAULT_RATE_LIMIT_WINDOW_SECONDS,
    rate_limit_count_only: bool = False,
) -> Wafv2WebAcl:
    """A WAFv2 web ACL on the load balancer: a rate-based rule per client IP first, then AWS
    managed rule groups; logging to an encrypted group with credential headers redacted."""

    def visibility(metric: str) -> dict[str, object]:
        return {
            "cloudwatch_metrics_enabled": True,
            "metric_name": metric,
            "sampled_requests_enabled": True,
        }

    acl = Wafv2WebAcl(
        scope,
        "web-acl",
        name=f"{name}-web-acl",
        scope="REGIONAL",
        default_action={"allow": {}},
        rule=[
            # Evaluated first (priority 0): one client IP above the limit in the window is
            # blocked (or only counted) until its rate falls below the limit again. A
            # rate-based statement aggregates on the request's origin IP (aggregate_key_type
            # IP; AWS WAF developer guide, "Rate-based rule statement").
            Wafv2WebAclRule(
                name="RateLimitPerClientIp",
                priority=0,
                action={"count": {}} if rate_limit_count_only else {"block": {}},
                statement={
                    "rate_based_statement": {
                        "limit": rate_limit_per_ip,
                        "aggregate_key_type": "IP",
                        "evaluation_window_sec": rate_limit_window_seconds,
                    }
                },
                visibility_config=visibility(f"{name}-rate-limit-per-ip"),
            ),
            *(
                Wafv2WebAclRule(
                    name=group,
                    priority=priority,
                    override_action={"none": {}},
                    statement={
                        "managed_rule_group_statement": {
                            "name": group,
                            "vendor_name": "AWS",
                            **(
                                {
                                    "rule_action_override": [
                                        {"name": rule, "action_to_use": {"count": {}}}
                                        for rule in WAF_COUNT_ONLY_RULES[group]
                                    ]
                                }
                                if group in WAF_COUNT_ONLY_RULES
                                else {}
                            ),
                        }
                    },
                    visibility_config=visibility(f"{name}-{group}"),
                )
                for priority, group in enumerate(rule_groups, start=1)
            ),
        ],
        visibility_config=visibility(f"{name}-web-acl"),
    )
    pin_address(acl, name, "web_acl")
    association = Wafv2WebAclAssociation(
        scope, "web-acl-association", resource_arn=load_balancer_arn, web_acl_arn=acl.arn
    )
    pin_address(association, name, "web_acl_association")
    # WAF only logs to log groups whose name starts with aws-waf-logs-.
    group = encrypted_log_group(
        scope,
        "waf-log-group",
        name=f"aws-waf-logs-{name}",
        kms_key_arn=kms_key_arn,
        retention_days=log_retention_days,
        address=(name, "waf_logs"),
    )
    # Credentials stay out of the logs kept for a year: WAF can redact UriPath, QueryString,
    # SingleHeader and Method (WAFv2 API reference, LoggingConfiguration.RedactedFields); the
    # redacted header's value is logged as REDACTED.
    logging = Wafv2WebAclLoggingConfiguration(
        scope,
        "web-acl-logging",
        resource_arn=acl.arn,
        log_destination_configs=[group.arn],
        redacted_fields=[
            Wafv2WebAclLoggingConfigurationRedactedFields(
                single_header=Wafv2WebAclLoggingConfigurationRedactedFieldsSingleHeader(name=header)
            )
            for header in WAF_REDACTED_HEADERS
        ],
    )
    pin_address(logging, name, "web_acl_logging")

    return acl
