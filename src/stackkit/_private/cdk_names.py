"""The names ``stackkit._private.cdk`` exports from the CDK and the AWS provider: a data table.

The same names exist in both CDKs (cdktf + ``cdktf_cdktf_provider_aws``, CDK Terrain +
``cdktn_provider_aws``). At run time ``_private/cdk.py`` imports them from the CDK it picked; the
``TYPE_CHECKING`` imports below say the same for mypy, against cdktf (a test keeps the two equal),
and ``_private/cdk.py`` re-exports them (``implicit_reexport`` for this module in pyproject.toml).
"""

# ruff: noqa: F401  (imported for ``_private/cdk.py``'s star import, under TYPE_CHECKING only)

from __future__ import annotations

from typing import TYPE_CHECKING

#: What is imported from the CDK's core module (``cdktf`` / ``cdktn``).
CORE_NAMES = (
    "App",
    "Aspects",
    "DataResource",
    "Fn",
    "IAspect",
    "LocalExecProvisioner",
    "S3Backend",
    "TerraformDataSource",
    "TerraformIterator",
    "TerraformOutput",
    "TerraformProvider",
    "TerraformResource",
    "TerraformResourceLifecycle",
    "TerraformStack",
    "Token",
)
#: What is imported from the provider package, by submodule.
PROVIDER_NAMES: dict[str, tuple[str, ...]] = {
    "acm_certificate": ("AcmCertificate",),
    "acm_certificate_validation": ("AcmCertificateValidation",),
    "appautoscaling_policy": (
        "AppautoscalingPolicy",
        "AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetrics",
    ),
    "appautoscaling_target": ("AppautoscalingTarget",),
    "backup_plan": (
        "BackupPlan",
        "BackupPlanRule",
        "BackupPlanRuleCopyAction",
        "BackupPlanRuleCopyActionLifecycle",
        "BackupPlanRuleLifecycle",
    ),
    "backup_selection": ("BackupSelection",),
    "backup_vault": ("BackupVault",),
    "backup_vault_lock_configuration": ("BackupVaultLockConfiguration",),
    "backup_vault_policy": ("BackupVaultPolicy",),
    "cloudwatch_dashboard": ("CloudwatchDashboard",),
    "cloudwatch_event_rule": ("CloudwatchEventRule",),
    "cloudwatch_event_target": ("CloudwatchEventTarget",),
    "cloudwatch_log_group": ("CloudwatchLogGroup",),
    "cloudwatch_log_resource_policy": ("CloudwatchLogResourcePolicy",),
    "cloudwatch_metric_alarm": (
        "CloudwatchMetricAlarm",
        "CloudwatchMetricAlarmMetricQuery",
        "CloudwatchMetricAlarmMetricQueryMetric",
    ),
    "data_aws_caller_identity": ("DataAwsCallerIdentity",),
    "data_aws_elb_service_account": ("DataAwsElbServiceAccount",),
    "data_aws_partition": ("DataAwsPartition",),
    "data_aws_region": ("DataAwsRegion",),
    "data_aws_secretsmanager_secret_version": ("DataAwsSecretsmanagerSecretVersion",),
    "db_instance": ("DbInstance", "DbInstanceRestoreToPointInTime"),
    "db_parameter_group": ("DbParameterGroup", "DbParameterGroupParameter"),
    "db_subnet_group": ("DbSubnetGroup",),
    "default_security_group": ("DefaultSecurityGroup",),
    "ecr_lifecycle_policy": ("EcrLifecyclePolicy",),
    "ecr_repository": ("EcrRepository", "EcrRepositoryEncryptionConfiguration"),
    "ecs_cluster": ("EcsCluster", "EcsClusterSetting"),
    "ecs_service": ("EcsService", "EcsServiceLoadBalancer"),
    "ecs_task_definition": ("EcsTaskDefinition", "EcsTaskDefinitionVolume"),
    "eip": ("Eip",),
    "elasticache_parameter_group": ("ElasticacheParameterGroup", "ElasticacheParameterGroupParameter"),
    "elasticache_replication_group": (
        "ElasticacheReplicationGroup",
        "ElasticacheReplicationGroupLogDeliveryConfiguration",
    ),
    "elasticache_subnet_group": ("ElasticacheSubnetGroup",),
    "flow_log": ("FlowLog",),
    "iam_openid_connect_provider": ("IamOpenidConnectProvider",),
    "iam_policy": ("IamPolicy",),
    "iam_role": ("IamRole",),
    "iam_role_policy": ("IamRolePolicy",),
    "iam_role_policy_attachment": ("IamRolePolicyAttachment",),
    "internet_gateway": ("InternetGateway",),
    "kms_alias": ("KmsAlias",),
    "kms_key": ("KmsKey",),
    "lb": ("Lb",),
    "lb_listener": ("LbListener", "LbListenerDefaultAction"),
    "lb_listener_rule": ("LbListenerRule", "LbListenerRuleAction", "LbListenerRuleCondition"),
    "lb_target_group": ("LbTargetGroup",),
    "nat_gateway": ("NatGateway",),
    "provider": ("AwsProvider", "AwsProviderDefaultTags"),
    "route": ("Route",),
    "route53_record": ("Route53Record",),
    "route_table": ("RouteTable",),
    "route_table_association": ("RouteTableAssociation",),
    "s3_bucket": ("S3Bucket",),
    "s3_bucket_lifecycle_configuration": (
        "S3BucketLifecycleConfiguration",
        "S3BucketLifecycleConfigurationRule",
        "S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload",
        "S3BucketLifecycleConfigurationRuleExpiration",
        "S3BucketLifecycleConfigurationRuleFilter",
        "S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration",
    ),
    "s3_bucket_ownership_controls": ("S3BucketOwnershipControls",),
    "s3_bucket_policy": ("S3BucketPolicy",),
    "s3_bucket_public_access_block": ("S3BucketPublicAccessBlock",),
    "s3_bucket_server_side_encryption_configuration": (
        "S3BucketServerSideEncryptionConfigurationA",
        "S3BucketServerSideEncryptionConfigurationRuleA",
    ),
    "s3_bucket_versioning": ("S3BucketVersioningA",),
    "scheduler_schedule": ("SchedulerSchedule",),
    "scheduler_schedule_group": ("SchedulerScheduleGroup",),
    "secretsmanager_secret": ("SecretsmanagerSecret",),
    "secretsmanager_secret_version": ("SecretsmanagerSecretVersion",),
    "security_group": ("SecurityGroup",),
    "sns_topic": ("SnsTopic",),
    "sns_topic_policy": ("SnsTopicPolicy",),
    "sns_topic_subscription": ("SnsTopicSubscription",),
    "sqs_queue": ("SqsQueue",),
    "sqs_queue_redrive_allow_policy": ("SqsQueueRedriveAllowPolicy",),
    "subnet": ("Subnet",),
    "vpc": ("Vpc",),
    "vpc_endpoint": ("VpcEndpoint",),
    "vpc_security_group_egress_rule": ("VpcSecurityGroupEgressRule",),
    "vpc_security_group_ingress_rule": ("VpcSecurityGroupIngressRule",),
    "wafv2_web_acl": ("Wafv2WebAcl", "Wafv2WebAclRule"),
    "wafv2_web_acl_association": ("Wafv2WebAclAssociation",),
    "wafv2_web_acl_logging_configuration": (
        "Wafv2WebAclLoggingConfiguration",
        "Wafv2WebAclLoggingConfigurationRedactedFields",
        "Wafv2WebAclLoggingConfigurationRedactedFieldsSingleHeader",
    ),
}

if TYPE_CHECKING:  # mypy checks against cdktf (the repository's environment); cdktn has the same API
    from cdktf import (
        App,
        Aspects,
        DataResource,
        Fn,
        IAspect,
        LocalExecProvisioner,
        S3Backend,
        TerraformDataSource,
        TerraformIterator,
        TerraformOutput,
        TerraformProvider,
        TerraformResource,
        TerraformResourceLifecycle,
        TerraformStack,
        Token,
    )
    from cdktf_cdktf_provider_aws.acm_certificate import AcmCertificate
    from cdktf_cdktf_provider_aws.acm_certificate_validation import AcmCertificateValidation
    from cdktf_cdktf_provider_aws.appautoscaling_policy import (
        AppautoscalingPolicy,
        AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetrics,
    )
    from cdktf_cdktf_provider_aws.appautoscaling_target import AppautoscalingTarget
    from cdktf_cdktf_provider_aws.backup_plan import (
        BackupPlan,
        BackupPlanRule,
        BackupPlanRuleCopyAction,
        BackupPlanRuleCopyActionLifecycle,
        BackupPlanRuleLifecycle,
    )
    from cdktf_cdktf_provider_aws.backup_selection import BackupSelection
    from cdktf_cdktf_provider_aws.backup_vault import BackupVault
    from cdktf_cdktf_provider_aws.backup_vault_lock_configuration import BackupVaultLockConfiguration
    from cdktf_cdktf_provider_aws.backup_vault_policy import BackupVaultPolicy
    from cdktf_cdktf_provider_aws.cloudwatch_dashboard import CloudwatchDashboard
    from cdktf_cdktf_provider_aws.cloudwatch_event_rule import CloudwatchEventRule
    from cdktf_cdktf_provider_aws.cloudwatch_event_target import CloudwatchEventTarget
    from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
    from cdktf_cdktf_provider_aws.cloudwatch_log_resource_policy import CloudwatchLogResourcePolicy
    from cdktf_cdktf_provider_aws.cloudwatch_metric_alarm import (
        CloudwatchMetricAlarm,
        CloudwatchMetricAlarmMetricQuery,
        CloudwatchMetricAlarmMetricQueryMetric,
    )
    from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
    from cdktf_cdktf_provider_aws.data_aws_elb_service_account import DataAwsElbServiceAccount
    from cdktf_cdktf_provider_aws.data_aws_partition import DataAwsPartition
    from cdktf_cdktf_provider_aws.data_aws_region import DataAwsRegion
    from cdktf_cdktf_provider_aws.data_aws_secretsmanager_secret_version import (
        DataAwsSecretsmanagerSecretVersion,
    )
    from cdktf_cdktf_provider_aws.db_instance import DbInstance, DbInstanceRestoreToPointInTime
    from cdktf_cdktf_provider_aws.db_parameter_group import DbParameterGroup, DbParameterGroupParameter
    from cdktf_cdktf_provider_aws.db_subnet_group import DbSubnetGroup
    from cdktf_cdktf_provider_aws.default_security_group import DefaultSecurityGroup
    from cdktf_cdktf_provider_aws.ecr_lifecycle_policy import EcrLifecyclePolicy
    from cdktf_cdktf_provider_aws.ecr_repository import EcrRepository, EcrRepositoryEncryptionConfiguration
    from cdktf_cdktf_provider_aws.ecs_cluster import EcsCluster, EcsClusterSetting
    from cdktf_cdktf_provider_aws.ecs_service import EcsService, EcsServiceLoadBalancer
    from cdktf_cdktf_provider_aws.ecs_task_definition import EcsTaskDefinition, EcsTaskDefinitionVolume
    from cdktf_cdktf_provider_aws.eip import Eip
    from cdktf_cdktf_provider_aws.elasticache_parameter_group import (
        ElasticacheParameterGroup,
        ElasticacheParameterGroupParameter,
    )
    from cdktf_cdktf_provider_aws.elasticache_replication_group import (
        ElasticacheReplicationGroup,
        ElasticacheReplicationGroupLogDeliveryConfiguration,
    )
    from cdktf_cdktf_provider_aws.elasticache_subnet_group import ElasticacheSubnetGroup
    from cdktf_cdktf_provider_aws.flow_log import FlowLog
    from cdktf_cdktf_provider_aws.iam_openid_connect_provider import IamOpenidConnectProvider
    from cdktf_cdktf_provider_aws.iam_policy import IamPolicy
    from cdktf_cdktf_provider_aws.iam_role import IamRole
    from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
    from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
    from cdktf_cdktf_provider_aws.internet_gateway import InternetGateway
    from cdktf_cdktf_provider_aws.kms_alias import KmsAlias
    from cdktf_cdktf_provider_aws.kms_key import KmsKey
    from cdktf_cdktf_provider_aws.lb import Lb
    from cdktf_cdktf_provider_aws.lb_listener import LbListener, LbListenerDefaultAction
    from cdktf_cdktf_provider_aws.lb_listener_rule import (
        LbListenerRule,
        LbListenerRuleAction,
        LbListenerRuleCondition,
    )
    from cdktf_cdktf_provider_aws.lb_target_group import LbTargetGroup
    from cdktf_cdktf_provider_aws.nat_gateway import NatGateway
    from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags
    from cdktf_cdktf_provider_aws.route import Route
    from cdktf_cdktf_provider_aws.route53_record import Route53Record
    from cdktf_cdktf_provider_aws.route_table import RouteTable
    from cdktf_cdktf_provider_aws.route_table_association import RouteTableAssociation
    from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
    from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import (
        S3BucketLifecycleConfiguration,
        S3BucketLifecycleConfigurationRule,
        S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload,
        S3BucketLifecycleConfigurationRuleExpiration,
        S3BucketLifecycleConfigurationRuleFilter,
        S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration,
    )
    from cdktf_cdktf_provider_aws.s3_bucket_ownership_controls import S3BucketOwnershipControls
    from cdktf_cdktf_provider_aws.s3_bucket_policy import S3BucketPolicy
    from cdktf_cdktf_provider_aws.s3_bucket_public_access_block import S3BucketPublicAccessBlock
    from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (
        S3BucketServerSideEncryptionConfigurationA,
        S3BucketServerSideEncryptionConfigurationRuleA,
    )
    from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA
    from cdktf_cdktf_provider_aws.scheduler_schedule import SchedulerSchedule
    from cdktf_cdktf_provider_aws.scheduler_schedule_group import SchedulerScheduleGroup
    from cdktf_cdktf_provider_aws.secretsmanager_secret import SecretsmanagerSecret
    from cdktf_cdktf_provider_aws.secretsmanager_secret_version import SecretsmanagerSecretVersion
    from cdktf_cdktf_provider_aws.security_group import SecurityGroup
    from cdktf_cdktf_provider_aws.sns_topic import SnsTopic
    from cdktf_cdktf_provider_aws.sns_topic_policy import SnsTopicPolicy
    from cdktf_cdktf_provider_aws.sns_topic_subscription import SnsTopicSubscription
    from cdktf_cdktf_provider_aws.sqs_queue import SqsQueue
    from cdktf_cdktf_provider_aws.sqs_queue_redrive_allow_policy import SqsQueueRedriveAllowPolicy
    from cdktf_cdktf_provider_aws.subnet import Subnet
    from cdktf_cdktf_provider_aws.vpc import Vpc
    from cdktf_cdktf_provider_aws.vpc_endpoint import VpcEndpoint
    from cdktf_cdktf_provider_aws.vpc_security_group_egress_rule import VpcSecurityGroupEgressRule
    from cdktf_cdktf_provider_aws.vpc_security_group_ingress_rule import VpcSecurityGroupIngressRule
    from cdktf_cdktf_provider_aws.wafv2_web_acl import Wafv2WebAcl, Wafv2WebAclRule
    from cdktf_cdktf_provider_aws.wafv2_web_acl_association import Wafv2WebAclAssociation
    from cdktf_cdktf_provider_aws.wafv2_web_acl_logging_configuration import (
        Wafv2WebAclLoggingConfiguration,
        Wafv2WebAclLoggingConfigurationRedactedFields,
        Wafv2WebAclLoggingConfigurationRedactedFieldsSingleHeader,
    )
