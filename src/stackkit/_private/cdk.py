"""The one module that imports the CDK (cdktf or CDK Terrain), constructs and the AWS provider bindings.

Every construct imports CDK types from here. Two CDKs are supported, with the same module layout
and class names (CDK Terrain is the maintained fork of cdktf):

* CDK Terrain (``cdktn`` + ``cdktn_provider_aws``: ``pip install stackkit[cdktn]``), used when it
  is installed;
* CDK for Terraform (``cdktf`` + ``cdktf_cdktf_provider_aws``: ``stackkit[cdktf]``), otherwise.

``STACKKIT_CDK=cdktf|cdktn`` picks one explicitly (a virtual environment with both). What differs
between them is exposed as :data:`CAPABILITIES` (probed on the loaded bindings), never as
``if cdktn`` branches in constructs.

Loading is made fast on both sides of jsii, without changing what is synthesized:

* Python: ``cdktf_cdktf_provider_aws/__init__.py`` imports all ~2,200 resource submodules
  (about 6.5 s with bytecode, far more without). We register the package without running
  that ``__init__`` so that importing ``cdktf_cdktf_provider_aws.vpc`` loads only ``vpc``.
  ``cdktn_provider_aws/__init__.py`` is lazy already (submodules resolved on first attribute
  access), so it runs as it is.
* Node: the jsii kernel requires the provider's ``lib/index.js``, which requires every
  submodule (about 3.5 s for cdktf's, 2.9 s for cdktn's). ``lazy_provider_index.js`` is
  preloaded into the kernel's node process and serves that index lazily, for both packages.
  The kernel starts with the first jsii import, so the preload is added to ``NODE_OPTIONS``
  before the CDK is imported; if it was imported earlier, the provider still works, only slower.
* Node, at synthesis: both CDKs run ``terraform version`` in a shell for every element that
  needs a recent Terraform (each ``terraform_data``, each import block); ``version_check_once.js``,
  preloaded alike, runs each distinct version command once per process.
* Python: jsii's bindings check every argument against the hints of a stub function, which
  they re-read on every call (``typing.get_type_hints``, ~0.1 ms, ~2,800 calls for this
  repository's stacks). A module-level stub's hints never change, so the bindings loaded here
  read them through a cache (:func:`_cache_stub_type_hints`); the checks themselves still run.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import inspect
import os
import sys
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stackkit._private.backends import (
    MissingCdkError,
    choose_backend,
    install_fix,
)

#: Required into the jsii kernel's node process, in this order (see the module docstring).
_NODE_PRELOADS = tuple(
    Path(__file__).with_name(name) for name in ("lazy_provider_index.js", "version_check_once.js")
)


def _register_provider_package_without_init(package: str) -> None:
    if package in sys.modules:
        return
    spec = importlib.util.find_spec(package)
    if spec is None or spec.submodule_search_locations is None:
        raise MissingCdkError(f"{package} is not installed: {install_fix(BACKEND.name)}")
    sys.modules[package] = importlib.util.module_from_spec(spec)


def _preload_into_jsii_kernel() -> None:
    if "jsii" in sys.modules:  # the kernel may already run; changing its env now is useless
        return
    options = os.environ.get("NODE_OPTIONS", "")
    for path in _NODE_PRELOADS:
        preload = f'--require "{path}"'
        if preload not in options:
            options = f"{options} {preload}".strip()
    os.environ["NODE_OPTIONS"] = options


BACKEND = choose_backend()
_preload_into_jsii_kernel()
if BACKEND.eager_provider_init:
    _register_provider_package_without_init(BACKEND.provider)

#: What is imported from the CDK's core module (``cdktf`` / ``cdktn``): the same names in both.
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
#: What is imported from the provider package, by submodule: the same names in both packages.
#: The ``TYPE_CHECKING`` imports below say the same for mypy (a test keeps them equal).
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

_STUB_PREFIX = "_typecheckingstub__"
_stub_hints: dict[Callable[..., Any], dict[str, Any]] = {}


def _cached_get_type_hints(obj: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """``typing.get_type_hints``, read once per jsii type-checking stub (a module-level function
    whose annotations never change); anything else, or any other call shape, is passed through."""
    if args or kwargs or not getattr(obj, "__name__", "").startswith(_STUB_PREFIX):
        return typing.get_type_hints(obj, *args, **kwargs)
    hints = _stub_hints.get(obj)
    if hints is None:
        hints = _stub_hints[obj] = typing.get_type_hints(obj)
    return hints


#: What jsii's generated bindings see as ``typing``: the real module's names, but
#: ``get_type_hints`` cached for their stubs (see the module docstring).
_TYPING_FOR_BINDINGS = types.ModuleType("typing")
_TYPING_FOR_BINDINGS.__dict__.update(vars(typing))
_TYPING_FOR_BINDINGS.get_type_hints = _cached_get_type_hints  # type: ignore[attr-defined]


def _cache_stub_type_hints(*classes: type) -> None:
    """Give the bindings' modules that define ``classes`` the cached ``typing``. Their public
    module object is a view (``publication``); the names their functions read live in the
    namespace the functions were defined in, which ``__init__.__globals__`` is."""
    for cls in classes:
        namespace = getattr(inspect.unwrap(cls.__init__), "__globals__", {})  # type: ignore[misc]
        if namespace.get("typing") is typing:
            namespace["typing"] = _TYPING_FOR_BINDINGS


# ruff: noqa: E402  (the imports below must follow the loaders above)
import jsii
from constructs import Construct, IConstruct, IValidation

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
else:
    _core = importlib.import_module(BACKEND.core)
    globals().update({name: getattr(_core, name) for name in CORE_NAMES})
    _cache_stub_type_hints(Construct, _core.App)
    for _submodule, _names in PROVIDER_NAMES.items():
        _module = importlib.import_module(f"{BACKEND.provider}.{_submodule}")
        globals().update({name: getattr(_module, name) for name in _names})
        _cache_stub_type_hints(getattr(_module, _names[0]))


# --- Where a resource was made ---------------------------------------------------------------
#: The attribute by which a resource or data source of a class exported here remembers the
#: scope it was made in. ``stackkit._private.terraform.stack_of`` finds its stack from there,
#: asking the jsii kernel once per scope instead of once per resource (``pin_address`` needs
#: the stack of each of the ~550 resources of this repository's stacks).
SCOPE_ATTRIBUTE = "_stackkit_scope"
_REMEMBERS_SCOPE = "_stackkit_remembers_scope"


def _remembering_scope(init: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(init)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        setattr(self, SCOPE_ATTRIBUTE, args[0] if args else kwargs.get("scope"))

    setattr(__init__, _REMEMBERS_SCOPE, True)
    return __init__


for _name in (*CORE_NAMES, *(name for names in PROVIDER_NAMES.values() for name in names)):
    _class = globals()[_name]
    if (
        isinstance(_class, type)
        and issubclass(_class, TerraformResource | TerraformDataSource)
        and _class not in (TerraformResource, TerraformDataSource)
        and not hasattr(_class.__init__, _REMEMBERS_SCOPE)
    ):
        _class.__init__ = _remembering_scope(_class.__init__)  # type: ignore[method-assign]


# --- What differs between the two CDKs ------------------------------------------------------
def _accepts(cls: Any, argument: str) -> bool:
    return argument in inspect.signature(cls.__init__).parameters


@dataclass(frozen=True)
class Capabilities:
    """What the loaded CDK and provider bindings can express; constructs branch on these."""

    native_ephemeral: bool
    """The CDK has ``TerraformEphemeralResource`` and the provider its ephemeral classes
    (``EphemeralAwsSecretsmanagerRandomPassword``...). cdktf 0.21 has neither: ephemeral blocks
    are written as raw JSON overrides there."""
    write_only_auth_token: bool
    """``ElasticacheReplicationGroup`` takes the write-only ``auth_token_wo`` (+ ``auth_token_wo_version``):
    in cdktn-provider-aws 25.8.1 (hashicorp/aws 6.69.1, registry docs of
    ``aws_elasticache_replication_group#auth_token_wo``); absent from cdktf-cdktf-provider-aws
    21.22.1 (provider 6.25.0)."""
    s3_backend_lockfile: bool
    """``S3Backend`` takes ``use_lockfile`` (S3-native state locking); cdktf 0.21's does not."""
    terraform_target_context: bool
    """The CDK checks write-only attributes, ephemeral resources and S3 locking against the
    ``targetVersions`` context (CDK Terrain: ``cdktn/lib/validations/target-versions.js``
    resolves it with ``scope.node.tryGetContext("targetVersions")`` from the element using the
    feature, defaulting to terraform >=1.5.7 and opentofu >=1.6.0, which refuses them)."""


def _probe() -> Capabilities:
    core = sys.modules[BACKEND.core]
    return Capabilities(
        native_ephemeral=hasattr(core, "TerraformEphemeralResource")
        and importlib.util.find_spec(f"{BACKEND.provider}.ephemeral_aws_secretsmanager_random_password")
        is not None,
        write_only_auth_token=_accepts(ElasticacheReplicationGroup, "auth_token_wo"),
        s3_backend_lockfile=_accepts(S3Backend, "use_lockfile"),
        # The target check came with the features it guards (cdktn 0.24: ephemeral resources,
        # write-only arguments); cdktf 0.21 has neither and checks nothing.
        terraform_target_context=hasattr(core, "TerraformEphemeralResource"),
    )


CAPABILITIES = _probe()

#: The Terraform that stackkit's output needs: write-only arguments (``secret_string_wo``,
#: ``auth_token_wo``) need Terraform 1.11 ("To use write-only arguments, you must use Terraform
#: v.1.11 or later": https://developer.hashicorp.com/terraform/language/manage-sensitive-data/write-only);
#: ephemeral resources came in 1.10 and S3 native locking (``use_lockfile``) is GA since 1.11.0
#: (Terraform 1.11.0 release notes). Written in npm semver, as cdktn's ``targetVersions`` wants it.
TERRAFORM_TARGET = {"terraform": ">=1.11.0"}


def ephemeral_resource_class(resource_type: str) -> Any:
    """The provider's class for the ephemeral ``resource_type`` (``aws_secretsmanager_random_password``
    -> ``EphemeralAwsSecretsmanagerRandomPassword``); only with ``CAPABILITIES.native_ephemeral``."""
    if not CAPABILITIES.native_ephemeral:
        raise RuntimeError(f"{BACKEND.name} has no ephemeral resource classes")
    module = importlib.import_module(f"{BACKEND.provider}.ephemeral_{resource_type}")
    cls: Any = getattr(module, "Ephemeral" + "".join(part.capitalize() for part in resource_type.split("_")))
    _cache_stub_type_hints(cls)
    return cls


#: Class decorator making a Python class a cdktf aspect (``visit(node)`` called at synthesis).
implements_aspect = jsii.implements(IAspect)
implements_validation = jsii.implements(IValidation)

__all__ = [
    "AcmCertificate",
    "AcmCertificateValidation",
    "App",
    "AppautoscalingPolicy",
    "AppautoscalingPolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetrics",
    "AppautoscalingTarget",
    "Aspects",
    "AwsProvider",
    "AwsProviderDefaultTags",
    "BackupPlan",
    "BackupPlanRule",
    "BackupPlanRuleCopyAction",
    "BackupPlanRuleCopyActionLifecycle",
    "BackupPlanRuleLifecycle",
    "BackupSelection",
    "BackupVault",
    "BackupVaultLockConfiguration",
    "BackupVaultPolicy",
    "CloudwatchDashboard",
    "CloudwatchEventRule",
    "CloudwatchEventTarget",
    "CloudwatchLogGroup",
    "CloudwatchLogResourcePolicy",
    "CloudwatchMetricAlarm",
    "CloudwatchMetricAlarmMetricQuery",
    "CloudwatchMetricAlarmMetricQueryMetric",
    "Construct",
    "DataAwsCallerIdentity",
    "DataAwsElbServiceAccount",
    "DataAwsPartition",
    "DataAwsRegion",
    "CAPABILITIES",
    "Capabilities",
    "DataAwsSecretsmanagerSecretVersion",
    "DbInstance",
    "DbInstanceRestoreToPointInTime",
    "DbParameterGroup",
    "DbParameterGroupParameter",
    "DataResource",
    "DbSubnetGroup",
    "DefaultSecurityGroup",
    "EcrLifecyclePolicy",
    "EcrRepository",
    "EcrRepositoryEncryptionConfiguration",
    "EcsCluster",
    "EcsClusterSetting",
    "EcsService",
    "EcsServiceLoadBalancer",
    "EcsTaskDefinition",
    "EcsTaskDefinitionVolume",
    "Eip",
    "ElasticacheParameterGroup",
    "ElasticacheParameterGroupParameter",
    "ElasticacheReplicationGroup",
    "ElasticacheReplicationGroupLogDeliveryConfiguration",
    "ElasticacheSubnetGroup",
    "FlowLog",
    "Fn",
    "IConstruct",
    "LocalExecProvisioner",
    "IamOpenidConnectProvider",
    "IamPolicy",
    "IamRole",
    "IamRolePolicy",
    "IamRolePolicyAttachment",
    "InternetGateway",
    "KmsAlias",
    "KmsKey",
    "Lb",
    "LbListener",
    "LbListenerDefaultAction",
    "LbListenerRule",
    "LbListenerRuleAction",
    "LbListenerRuleCondition",
    "LbTargetGroup",
    "NatGateway",
    "Route",
    "Route53Record",
    "RouteTable",
    "RouteTableAssociation",
    "S3Backend",
    "S3Bucket",
    "S3BucketLifecycleConfiguration",
    "S3BucketLifecycleConfigurationRule",
    "S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload",
    "S3BucketLifecycleConfigurationRuleExpiration",
    "S3BucketLifecycleConfigurationRuleFilter",
    "S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration",
    "S3BucketOwnershipControls",
    "S3BucketPolicy",
    "S3BucketPublicAccessBlock",
    "S3BucketServerSideEncryptionConfigurationA",
    "S3BucketServerSideEncryptionConfigurationRuleA",
    "S3BucketVersioningA",
    "SchedulerSchedule",
    "SchedulerScheduleGroup",
    "SecretsmanagerSecret",
    "SecretsmanagerSecretVersion",
    "SecurityGroup",
    "SnsTopic",
    "SnsTopicPolicy",
    "SnsTopicSubscription",
    "SqsQueue",
    "SqsQueueRedriveAllowPolicy",
    "Subnet",
    "TerraformDataSource",
    "TerraformIterator",
    "TerraformOutput",
    "TerraformProvider",
    "TerraformResource",
    "TerraformResourceLifecycle",
    "TerraformStack",
    "Token",
    "TERRAFORM_TARGET",
    "Vpc",
    "VpcEndpoint",
    "VpcSecurityGroupEgressRule",
    "VpcSecurityGroupIngressRule",
    "Wafv2WebAcl",
    "Wafv2WebAclAssociation",
    "Wafv2WebAclLoggingConfiguration",
    "Wafv2WebAclLoggingConfigurationRedactedFields",
    "Wafv2WebAclLoggingConfigurationRedactedFieldsSingleHeader",
    "Wafv2WebAclRule",
    "BACKEND",
    "SCOPE_ATTRIBUTE",
    "ephemeral_resource_class",
    "implements_aspect",
    "implements_validation",
]
