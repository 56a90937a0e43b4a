"""What stackkit's cost estimate does with resource types that have no pricing rule of their own:
billed only by use (listed as usage-based), a fixed charge the price table has no figure for
(listed as unpriced), or nothing by themselves (not listed). A type in none of these and without
a rule in :mod:`stackkit.policy.cost_rules` is listed as unpriced ("no cost rule")."""

from __future__ import annotations

#: Types billed only by use: listed as usage-based, with what drives their bill.
USAGE_BASED: dict[str, str] = {
    "aws_backup_vault": "backup storage (recovery points) and restores",
    "aws_s3_bucket": "storage and requests",
    "aws_cloudwatch_log_group": "log ingestion and storage",
    "aws_ecr_repository": "image storage",
    "aws_sns_topic": "publishes and deliveries",
    "aws_sqs_queue": "requests",
    "aws_lambda_function": "invocations and duration",
    "aws_flow_log": "flow log delivery (vended logs)",
    "aws_wafv2_web_acl_logging_configuration": "WAF log delivery",
    "aws_dynamodb_table": "reads, writes and storage",
    "aws_efs_file_system": "storage",
}

#: Types with a fixed charge the table has no figure for: listed as unpriced, with the charge.
UNPRICED_TYPES: dict[str, str] = {
    "aws_eip": "public IPv4 address-hours",
    "aws_route53_zone": "hosted zone-months",
    "aws_instance": "EC2 instance-hours",
    "aws_rds_cluster": "Aurora cluster storage and I/O",
    "aws_rds_cluster_instance": "Aurora instance-hours",
    "aws_cloudwatch_composite_alarm": "composite alarm-months",
    "aws_ec2_transit_gateway": "transit gateway attachment-hours",
    "aws_vpn_connection": "VPN connection-hours",
    "aws_networkfirewall_firewall": "firewall endpoint-hours",
    "aws_opensearch_domain": "domain instance-hours",
    "aws_msk_cluster": "broker-hours",
    "aws_mq_broker": "broker-hours",
    "aws_kms_custom_key_store": "custom key store-hours",
    "aws_shield_protection": "Shield Advanced subscription",
}

#: Types that cost nothing by themselves (their effect is billed on the resources above).
FREE_TYPES = frozenset(
    {
        "aws_acm_certificate",  # public certificates used with ELB
        "aws_acm_certificate_validation",
        "aws_appautoscaling_policy",
        "aws_appautoscaling_target",
        "aws_backup_plan",
        "aws_backup_selection",
        "aws_backup_vault_lock_configuration",
        "aws_backup_vault_policy",
        "aws_cloudwatch_event_rule",  # events from AWS services
        "aws_cloudwatch_log_resource_policy",
        "aws_db_parameter_group",
        "aws_db_subnet_group",
        "aws_default_security_group",
        "aws_ecr_lifecycle_policy",
        "aws_ecr_repository_policy",
        "aws_ecs_task_definition",  # billed through the service or task that runs it
        "aws_elasticache_parameter_group",
        "aws_elasticache_subnet_group",
        "aws_iam_openid_connect_provider",
        "aws_iam_policy",
        "aws_iam_role",
        "aws_iam_role_policy",
        "aws_iam_role_policy_attachment",
        "aws_internet_gateway",
        "aws_kms_alias",
        "aws_lambda_permission",
        "aws_lb_listener",
        "aws_lb_listener_rule",
        "aws_lb_target_group",
        "aws_route",
        "aws_route53_record",
        "aws_route_table",
        "aws_route_table_association",
        "aws_s3_bucket_lifecycle_configuration",
        "aws_s3_bucket_ownership_controls",
        "aws_s3_bucket_policy",
        "aws_s3_bucket_public_access_block",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_versioning",
        "aws_secretsmanager_secret_policy",
        "aws_secretsmanager_secret_rotation",
        "aws_secretsmanager_secret_version",
        "aws_security_group",
        "aws_sns_topic_policy",
        "aws_sns_topic_subscription",
        "aws_sqs_queue_policy",
        "aws_sqs_queue_redrive_allow_policy",
        "aws_subnet",
        "aws_vpc",
        "aws_vpc_security_group_egress_rule",
        "aws_vpc_security_group_ingress_rule",
        "aws_wafv2_web_acl_association",
        "terraform_data",
    }
)
