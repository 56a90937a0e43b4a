"""The replacement table: which attribute changes make Terraform destroy and re-create a
resource (:data:`FORCES_REPLACEMENT`), which attributes name the same object in AWS
(:data:`IDENTITY_KEYS`), and the other types the replacement guard
(:mod:`stackkit.policy.replacement`) watches because they guard access or availability.

A row is missing when Terraform's plan replaces a resource the guard did not predict:
``stackkit diff --plan`` names the attribute (``replace_paths``), and the row goes here with its
source.
"""

from __future__ import annotations

_DOCS = "https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/resources"

#: Attributes whose change makes Terraform destroy and re-create the resource, per type.
#: Source of each entry: the AWS provider 6.x argument reference (``<_DOCS>/<type>``), where
#: these arguments are marked "Forces new resource" (``ForceNew`` in the provider schema). A row
#: marked ``# ForceNew: <file>`` was read in the provider's source, where the argument reference
#: does not say it: the resource's schema in hashicorp/terraform-provider-aws,
#: ``internal/service/<file>`` (a 5.x snapshot), has ``ForceNew: true`` for the attribute.
FORCES_REPLACEMENT: dict[str, dict[str, str]] = {
    "aws_db_instance": {
        # The instance name, and its endpoint's hostname; provider 4.x: ForceNew. 5.x+ renames
        # in place, which still breaks every client holding the old endpoint: guarded all the same.
        "identifier": f"{_DOCS}/db_instance#identifier",
        "identifier_prefix": f"{_DOCS}/db_instance#identifier_prefix",
        "engine": f"{_DOCS}/db_instance#engine",  # Forces new resource (postgres -> mysql)
        "storage_encrypted": f"{_DOCS}/db_instance#storage_encrypted",  # Forces new resource
        "kms_key_id": f"{_DOCS}/db_instance#kms_key_id",  # Forces new resource
        "availability_zone": f"{_DOCS}/db_instance#availability_zone",  # Forces new resource
        # Moving a DB to another subnet group (another VPC) re-creates it, as listed in the issue.
        "db_subnet_group_name": f"{_DOCS}/db_instance#db_subnet_group_name",
        "db_name": f"{_DOCS}/db_instance#db_name",  # Forces new resource
        "username": f"{_DOCS}/db_instance#username",  # Forces new resource
        "snapshot_identifier": f"{_DOCS}/db_instance#snapshot_identifier",  # Forces new resource
        # "Optional, Forces new resource": a restore is a new instance (issue 17).
        "restore_to_point_in_time": f"{_DOCS}/db_instance#restore_to_point_in_time",
        "character_set_name": f"{_DOCS}/db_instance#character_set_name",  # Forces new resource
        "timezone": f"{_DOCS}/db_instance#timezone",  # Forces new resource
    },
    "aws_elasticache_replication_group": {
        "replication_group_id": f"{_DOCS}/elasticache_replication_group#replication_group_id",
        "at_rest_encryption_enabled": f"{_DOCS}/elasticache_replication_group#at_rest_encryption_enabled",
        "kms_key_id": f"{_DOCS}/elasticache_replication_group#kms_key_id",  # Forces new resource
        "subnet_group_name": f"{_DOCS}/elasticache_replication_group#subnet_group_name",
        "snapshot_arns": f"{_DOCS}/elasticache_replication_group#snapshot_arns",
        "snapshot_name": f"{_DOCS}/elasticache_replication_group#snapshot_name",
    },
    "aws_subnet": {
        "cidr_block": f"{_DOCS}/subnet#cidr_block",  # Forces new resource
        "availability_zone": f"{_DOCS}/subnet#availability_zone",  # Forces new resource
        "availability_zone_id": f"{_DOCS}/subnet#availability_zone_id",
        "vpc_id": f"{_DOCS}/subnet#vpc_id",  # Forces new resource
    },
    "aws_vpc": {
        "cidr_block": f"{_DOCS}/vpc#cidr_block",  # Forces new resource
        "instance_tenancy": f"{_DOCS}/vpc#instance_tenancy",
    },
    "aws_s3_bucket": {
        "bucket": f"{_DOCS}/s3_bucket#bucket",  # Forces new resource
        "bucket_prefix": f"{_DOCS}/s3_bucket#bucket_prefix",  # Forces new resource
        "object_lock_enabled": f"{_DOCS}/s3_bucket#object_lock_enabled",  # Forces new resource
    },
    "aws_kms_key": {
        "customer_master_key_spec": f"{_DOCS}/kms_key#customer_master_key_spec",  # Forces new resource
        "key_usage": f"{_DOCS}/kms_key#key_usage",  # Forces new resource
        "multi_region": f"{_DOCS}/kms_key#multi_region",  # Forces new resource
        "custom_key_store_id": f"{_DOCS}/kms_key#custom_key_store_id",  # Forces new resource
    },
    "aws_cloudwatch_log_group": {
        "name": f"{_DOCS}/cloudwatch_log_group#name",  # Forces new resource
        "name_prefix": f"{_DOCS}/cloudwatch_log_group#name_prefix",  # Forces new resource
    },
    "aws_rds_cluster": {
        "cluster_identifier": f"{_DOCS}/rds_cluster#cluster_identifier",  # Forces new resource
        "engine": f"{_DOCS}/rds_cluster#engine",  # Forces new resource
        "storage_encrypted": f"{_DOCS}/rds_cluster#storage_encrypted",  # Forces new resource
        "kms_key_id": f"{_DOCS}/rds_cluster#kms_key_id",  # Forces new resource
        "db_subnet_group_name": f"{_DOCS}/rds_cluster#db_subnet_group_name",  # Forces new resource
    },
    "aws_efs_file_system": {
        "encrypted": f"{_DOCS}/efs_file_system#encrypted",  # Forces new resource
        "kms_key_id": f"{_DOCS}/efs_file_system#kms_key_id",  # Forces new resource
        "creation_token": f"{_DOCS}/efs_file_system#creation_token",  # Forces new resource
    },
    "aws_dynamodb_table": {
        "name": f"{_DOCS}/dynamodb_table#name",  # Forces new resource
    },
    "aws_secretsmanager_secret": {
        "name": f"{_DOCS}/secretsmanager_secret#name",  # Forces new resource
        # ForceNew: secretsmanager/secret.go
        "name_prefix": f"{_DOCS}/secretsmanager_secret#name_prefix",
    },
    "aws_ecr_repository": {
        "name": f"{_DOCS}/ecr_repository#name",  # Forces new resource
        # The block and both its arguments (encryption_type, kms_key): ForceNew: ecr/repository.go
        "encryption_configuration": f"{_DOCS}/ecr_repository#encryption_configuration",
    },
    # Rows the plan check of issue 25 asks for (each a replacement a plan would show and the
    # guard did not predict). A new IAM role, alias, subnet group, security group, queue, topic,
    # load balancer or cluster is a new object: what refers to it by name or ARN (trust policies,
    # key aliases in app config, a database's subnet group, ENIs in a security group, queue and
    # topic URLs, the load balancer's DNS name) points at nothing while it is re-created.
    "aws_iam_role": {
        "name": f"{_DOCS}/iam_role#name",  # Forces new resource
        "name_prefix": f"{_DOCS}/iam_role#name_prefix",  # Forces new resource
        "path": f"{_DOCS}/iam_role#path",  # ForceNew: iam/role.go
    },
    "aws_kms_alias": {
        "name": f"{_DOCS}/kms_alias#name",  # ForceNew: kms/alias.go
        "name_prefix": f"{_DOCS}/kms_alias#name_prefix",  # ForceNew: kms/alias.go
    },
    "aws_db_subnet_group": {
        "name": f"{_DOCS}/db_subnet_group#name",  # ForceNew: rds/subnet_group.go
        "name_prefix": f"{_DOCS}/db_subnet_group#name_prefix",  # ForceNew: rds/subnet_group.go
    },
    "aws_elasticache_subnet_group": {
        "name": f"{_DOCS}/elasticache_subnet_group#name",  # ForceNew: elasticache/subnet_group.go
    },
    "aws_security_group": {
        "name": f"{_DOCS}/security_group#name",  # ForceNew: ec2/vpc_security_group.go
        "name_prefix": f"{_DOCS}/security_group#name_prefix",  # ForceNew: ec2/vpc_security_group.go
        "description": f"{_DOCS}/security_group#description",  # ForceNew: ec2/vpc_security_group.go
        "vpc_id": f"{_DOCS}/security_group#vpc_id",  # ForceNew: ec2/vpc_security_group.go
    },
    "aws_sqs_queue": {
        "name": f"{_DOCS}/sqs_queue#name",  # ForceNew: sqs/queue.go
        "name_prefix": f"{_DOCS}/sqs_queue#name_prefix",  # ForceNew: sqs/queue.go
        "fifo_queue": f"{_DOCS}/sqs_queue#fifo_queue",  # ForceNew: sqs/queue.go
    },
    "aws_sns_topic": {
        "name": f"{_DOCS}/sns_topic#name",  # ForceNew: sns/topic.go
        "name_prefix": f"{_DOCS}/sns_topic#name_prefix",  # ForceNew: sns/topic.go
        "fifo_topic": f"{_DOCS}/sns_topic#fifo_topic",  # ForceNew: sns/topic.go
    },
    "aws_lb": {
        "name": f"{_DOCS}/lb#name",  # ForceNew: elbv2/load_balancer.go
        "name_prefix": f"{_DOCS}/lb#name_prefix",  # ForceNew: elbv2/load_balancer.go
        "internal": f"{_DOCS}/lb#internal",  # ForceNew: elbv2/load_balancer.go
        "load_balancer_type": f"{_DOCS}/lb#load_balancer_type",  # ForceNew: elbv2/load_balancer.go
    },
    "aws_ecs_cluster": {
        "name": f"{_DOCS}/ecs_cluster#name",  # ForceNew: ecs/cluster.go
    },
    # Named resources that the replacement audit of issue 15 covers: a change of any of these
    # replaces the resource. A target group or DB parameter group with a name_prefix and
    # create_before_destroy survives it (new one first, then the old one goes); with a fixed
    # name the new one collides with the old. "Forces new resource" in each argument reference.
    "aws_lb_target_group": {
        "name": f"{_DOCS}/lb_target_group#name",
        "name_prefix": f"{_DOCS}/lb_target_group#name_prefix",
        "port": f"{_DOCS}/lb_target_group#port",
        "protocol": f"{_DOCS}/lb_target_group#protocol",
        "target_type": f"{_DOCS}/lb_target_group#target_type",
        "vpc_id": f"{_DOCS}/lb_target_group#vpc_id",
    },
    "aws_db_parameter_group": {
        "name": f"{_DOCS}/db_parameter_group#name",
        "name_prefix": f"{_DOCS}/db_parameter_group#name_prefix",
        "family": f"{_DOCS}/db_parameter_group#family",
        "description": f"{_DOCS}/db_parameter_group#description",
    },
    "aws_elasticache_parameter_group": {
        "name": f"{_DOCS}/elasticache_parameter_group#name",
        "family": f"{_DOCS}/elasticache_parameter_group#family",
        "description": f"{_DOCS}/elasticache_parameter_group#description",
    },
    # The vault holds the recovery points: a new name or key is a new, empty vault (issue 17).
    # Both ForceNew in the provider schema (internal/service/backup/vault.go); the vault has no
    # update API for its key.
    "aws_backup_vault": {
        "name": f"{_DOCS}/backup_vault#name",  # Forces new resource
        "kms_key_arn": f"{_DOCS}/backup_vault#kms_key_arn",  # Forces new resource
    },
}

#: Types whose ``name`` is unique only inside a parent: a security group's per VPC ("You can't have
#: two security groups for the same VPC with the same name", Amazon EC2 API Reference,
#: CreateSecurityGroup, https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html).
#: Two objects may share it, so it names no one object.
_NAMED_PER_PARENT = frozenset({"aws_security_group"})

#: The attributes that name a resource in AWS, unique in its account and region (a bucket name,
#: worldwide; an IAM role's, account-wide), among those that force a new resource: the same
#: literal value at a new address is the same object (two cannot exist at once). Not a security
#: group's name (unique per VPC) nor an inline role policy's (per role, and not in the table).
IDENTITY_KEYS: dict[str, tuple[str, ...]] = {
    resource_type: tuple(
        key
        for key in attributes
        if key in ("identifier", "cluster_identifier", "replication_group_id", "bucket", "name")
        and resource_type not in _NAMED_PER_PARENT
    )
    for resource_type, attributes in FORCES_REPLACEMENT.items()
}

#: Resources that guard data or access: when one moves, Terraform may delete the old one after
#: (or before) creating the new, leaving a bucket public or unencrypted, a port open or closed,
#: a network without its audit trail.
ACCESS_GUARD_TYPES = frozenset(
    {
        "aws_kms_alias",
        "aws_s3_bucket_policy",
        "aws_s3_bucket_public_access_block",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_versioning",
        "aws_s3_bucket_ownership_controls",
        "aws_s3_bucket_lifecycle_configuration",
        "aws_security_group",
        "aws_vpc_security_group_ingress_rule",
        "aws_vpc_security_group_egress_rule",
        "aws_default_security_group",  # strips AWS's allow-all default rules
        "aws_sns_topic_policy",
        "aws_secretsmanager_secret_version",
        "aws_iam_role",
        "aws_iam_role_policy",
        "aws_lb_listener",  # HTTPS termination and the HTTP-to-HTTPS redirect
        "aws_wafv2_web_acl",
        "aws_wafv2_web_acl_association",
        "aws_flow_log",  # the network's audit trail
        # Disaster recovery: the vault policy and lock keep recovery points from deletion.
        "aws_backup_vault_policy",
        "aws_backup_vault_lock_configuration",
    }
)

#: Resources whose replacement interrupts the service or changes what others address (a new
#: load balancer DNS name, new NAT IPs allow-listed by partners, a new subnet group).
AVAILABILITY_TYPES = frozenset(
    {
        "aws_vpc",
        "aws_subnet",
        "aws_nat_gateway",
        "aws_eip",
        "aws_db_parameter_group",
        "aws_db_subnet_group",
        "aws_elasticache_subnet_group",
        "aws_elasticache_parameter_group",
        "aws_secretsmanager_secret",
        "aws_ecs_cluster",
        "aws_ecs_service",
        "aws_ecr_repository",
        "aws_lb",
        "aws_sns_topic",
    }
)
