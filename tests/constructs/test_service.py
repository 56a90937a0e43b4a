"""Service + Cluster: seed defaults, overrides, secrets, security-group chain, bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stackkit import ValidationError
from stackkit._private.cdk import Construct, TerraformOutput, TerraformStack
from stackkit.constructs.cache import Cache, CacheProps
from stackkit.constructs.cluster import Cluster, ClusterProps
from stackkit.constructs.connections import Connections
from stackkit.constructs.network import Network, NetworkProps
from stackkit.constructs.service import FARGATE_SIZES, Service, ServiceProps
from stackkit.patterns import EnvironmentConfig
from tests.conftest import StackJson, ref, resources
from tests.synth_helpers import synth_stack

ENVS = ["dev", "staging", "prod"]
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"
DB_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1234"
DB_KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-8444-555555555555"
AUTH_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop-cache-auth"


class TeamDatabase(Construct):
    """A team's own database, passed through the DatabaseLike protocol."""

    def __init__(self, scope: Construct, id_: str, vpc_id: str) -> None:
        super().__init__(scope, id_)
        self.address = "db.internal.example"
        self.port = 5432
        self.database_name = "shop"
        self.username = "shop_app"
        self.master_user_secret_arn = DB_SECRET
        self.master_user_secret_kms_key_arn = DB_KEY
        self.connections = Connections.with_new_security_group(
            self, name="team-db", vpc_id=vpc_id, description="team database", default_port=5432
        )


class TeamCache(Construct):
    """A team's own cache, passed through the CacheLike protocol."""

    def __init__(self, scope: Construct, id_: str, vpc_id: str) -> None:
        super().__init__(scope, id_)
        self.primary_endpoint = "cache.internal.example"
        self.port = 6379
        self.auth_secret_arn = AUTH_SECRET
        self.connections = Connections.with_new_security_group(
            self, name="team-cache", vpc_id=vpc_id, description="team cache", default_port=6379
        )


def adhoc(tmp_path: Path, **changes: Any) -> StackJson:
    """A stack with a real Network and Cluster, a team's database and cache, and the Service."""

    def build(stack: TerraformStack) -> None:
        network = Network(
            stack, "network", NetworkProps(name="shop", availability_zones=("us-east-1a", "us-east-1b"))
        )
        cluster = Cluster(stack, "cluster", ClusterProps(name="shop"))
        Service(
            stack,
            "service",
            ServiceProps(**{"name": "shop-web", "certificate_arn": CERT, **changes}),
            network=network,
            cluster=cluster,
            database=TeamDatabase(stack, "database", network.vpc_id),
            cache=TeamCache(stack, "cache", network.vpc_id),
        )

    return synth_stack(tmp_path, build)


def one(stack: StackJson, resource_type: str) -> dict[str, Any]:
    (body,) = resources(stack, resource_type).values()
    return body


def service_task(stack: StackJson) -> dict[str, Any]:
    """The service's task definition (the environment stacks also have the bootstrap task's)."""
    definitions = resources(stack, "aws_ecs_task_definition")
    return definitions.get("stackkit_api_task_definition") or one(stack, "aws_ecs_task_definition")


def container(stack: StackJson) -> dict[str, Any]:
    (definition,) = json.loads(service_task(stack)["container_definitions"])
    assert isinstance(definition, dict)
    return definition


def policy_of(stack: StackJson, name: str) -> list[dict[str, Any]]:
    statements: list[dict[str, Any]] = json.loads(resources(stack, "aws_iam_role_policy")[name]["policy"])[
        "Statement"
    ]
    return statements


# --- the seed's defaults, in every environment ----------------------------------------------


@pytest.mark.parametrize("env", ENVS)
def test_cluster_is_the_seeds_with_container_insights(stacks: dict[str, StackJson], env: str) -> None:
    cluster = resources(stacks[env], "aws_ecs_cluster")["stackkit_cluster"]
    assert cluster["name"] == "stackkit-cluster"
    assert cluster["setting"] == [{"name": "containerInsights", "value": "enabled"}]
    exec_config = cluster["configuration"]["execute_command_configuration"]
    assert exec_config["logging"] == "OVERRIDE"
    assert exec_config["log_configuration"]["cloud_watch_encryption_enabled"] is True
    assert ref(exec_config["kms_key_id"]).startswith("aws_kms_key.")


@pytest.mark.parametrize("env", ENVS)
def test_container_defaults_come_from_the_seed(stacks: dict[str, StackJson], env: str) -> None:
    stack = stacks[env]
    app = container(stack)
    assert app["portMappings"] == [{"containerPort": 3000, "protocol": "tcp"}]
    assert app["user"] == "1001"
    assert app["environment"] == [{"name": "NODE_ENV", "value": "production"}]
    health = app["healthCheck"]
    assert (health["interval"], health["timeout"], health["startPeriod"], health["retries"]) == (30, 3, 5, 3)
    assert health["command"][0] == "CMD-SHELL" and "http://localhost:3000/health" in health["command"][1]
    assert app["readonlyRootFilesystem"] is True
    assert app["mountPoints"] == [{"sourceVolume": "tmp", "containerPath": "/tmp", "readOnly": False}]
    # The bootstrap stack's repository, by name (issue 15).
    assert app["image"] == stack["output"]["ecr_repository_url"]["value"] + ":v1.0.0"
    assert app["image"].endswith(".dns_suffix}/stackkit-api:v1.0.0")
    logging = app["logConfiguration"]
    assert logging["logDriver"] == "awslogs"
    group = resources(stack, "aws_cloudwatch_log_group")[
        ref(logging["options"]["awslogs-group"]).split(".")[1]
    ]
    assert group["retention_in_days"] >= 365 and ref(group["kms_key_id"]).startswith("aws_kms_key.")

    task = service_task(stack)
    assert (task["cpu"], task["memory"]) == ("512", "1024")  # seed 0.5 vCPU / 512 MiB -> Fargate
    assert task["requires_compatibilities"] == ["FARGATE"] and task["network_mode"] == "awsvpc"
    assert task["volume"] == [{"name": "tmp"}]
    assert task["execution_role_arn"] != task["task_role_arn"]
    assert task["skip_destroy"] is True  # earlier revisions stay registered for rollback


@pytest.mark.parametrize("env", ENVS)
def test_service_rolls_out_safely_and_rolls_back(stacks: dict[str, StackJson], env: str) -> None:
    stack = stacks[env]
    service = resources(stack, "aws_ecs_service")["stackkit_api_service"]
    assert service["desired_count"] == 3
    assert service["launch_type"] == "FARGATE" and service["platform_version"] == "LATEST"
    assert service["deployment_minimum_healthy_percent"] == 100
    assert service["deployment_maximum_percent"] == 200
    assert service["deployment_circuit_breaker"] == {"enable": True, "rollback": True}
    assert service["lifecycle"] == {"ignore_changes": ["desired_count"]}
    assert service["enable_execute_command"] is False
    assert ref(service["cluster"]) == "aws_ecs_cluster.stackkit_cluster"
    network = service["network_configuration"]
    assert network["assign_public_ip"] is False
    assert {ref(s) for s in network["subnets"]} == {
        f"aws_subnet.{name}" for name in resources(stack, "aws_subnet") if "_private_" in name
    }
    (balancer,) = service["load_balancer"]
    assert (balancer["container_name"], balancer["container_port"]) == ("stackkit-api", 3000)
    assert ref(balancer["target_group_arn"]) == "aws_lb_target_group.stackkit_api_target_group"


@pytest.mark.parametrize("env", ENVS)
def test_autoscaling_tracks_cpu_70_and_memory_80_between_3_and_20(
    stacks: dict[str, StackJson], env: str
) -> None:
    stack = stacks[env]
    target = one(stack, "aws_appautoscaling_target")
    assert (target["min_capacity"], target["max_capacity"]) == (3, 20)
    assert target["scalable_dimension"] == "ecs:service:DesiredCount"
    assert "aws_ecs_service.stackkit_api_service.name" in target["resource_id"]
    tracked = {
        p["target_tracking_scaling_policy_configuration"]["predefined_metric_specification"][
            "predefined_metric_type"
        ]: p["target_tracking_scaling_policy_configuration"]["target_value"]
        for p in resources(stack, "aws_appautoscaling_policy").values()
    }
    assert tracked == {"ECSServiceAverageCPUUtilization": 70, "ECSServiceAverageMemoryUtilization": 80}


@pytest.mark.parametrize("env", ENVS)
def test_load_balancer_is_https_only_logged_and_firewalled(stacks: dict[str, StackJson], env: str) -> None:
    stack = stacks[env]
    alb = resources(stack, "aws_lb")["stackkit_api_alb"]
    assert alb["internal"] is False and alb["drop_invalid_header_fields"] is True
    assert alb["enable_deletion_protection"] is (env == "prod")
    assert alb["access_logs"]["enabled"] is True
    assert ref(alb["access_logs"]["bucket"]) == "aws_s3_bucket.stackkit_api_alb_logs"
    assert all("_public_" in ref(subnet) for subnet in alb["subnets"])

    listeners = {body["port"]: body for body in resources(stack, "aws_lb_listener").values()}
    assert set(listeners) == {80, 443}
    assert listeners[443]["protocol"] == "HTTPS"
    assert listeners[443]["ssl_policy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert listeners[443]["default_action"][0]["type"] == "forward"
    (redirect,) = listeners[80]["default_action"]
    assert redirect["redirect"] == {"port": "443", "protocol": "HTTPS", "status_code": "HTTP_301"}

    target_group = resources(stack, "aws_lb_target_group")["stackkit_api_target_group"]
    assert target_group["health_check"]["path"] == "/ready" and target_group["target_type"] == "ip"
    assert target_group["port"] == 3000

    acl = one(stack, "aws_wafv2_web_acl")
    groups = [
        rule["statement"]["managed_rule_group_statement"]["name"]
        for rule in acl["rule"]
        if "managed_rule_group_statement" in rule["statement"]
    ]
    assert "AWSManagedRulesKnownBadInputsRuleSet" in groups and "AWSManagedRulesCommonRuleSet" in groups
    association = one(stack, "aws_wafv2_web_acl_association")
    assert ref(association["resource_arn"]) == "aws_lb.stackkit_api_alb"
    logging = one(stack, "aws_wafv2_web_acl_logging_configuration")
    assert ref(logging["log_destination_configs"][0]) == "aws_cloudwatch_log_group.stackkit_api_waf_logs"


def test_certificate_is_an_existing_arn_or_requested_with_dns_validation(
    stacks: dict[str, StackJson],
) -> None:
    dev_https = next(b for b in resources(stacks["dev"], "aws_lb_listener").values() if b["port"] == 443)
    assert dev_https["certificate_arn"].startswith("arn:aws:acm:us-east-1:111111111111:certificate/")
    assert resources(stacks["dev"], "aws_acm_certificate") == {}

    prod = stacks["prod"]
    certificate = one(prod, "aws_acm_certificate")
    assert (certificate["domain_name"], certificate["validation_method"]) == ("app.example.com", "DNS")
    validation_record = resources(prod, "aws_route53_record")["stackkit_api_certificate_validation"]
    assert "domain_validation_options" in validation_record["for_each"]
    prod_https = next(b for b in resources(prod, "aws_lb_listener").values() if b["port"] == 443)
    assert (
        ref(prod_https["certificate_arn"])
        == "aws_acm_certificate_validation.stackkit_api_certificate_validation"
    )
    alias = resources(prod, "aws_route53_record")["stackkit_api_alias"]
    assert ref(alias["alias"]["name"]) == "aws_lb.stackkit_api_alb"


@pytest.mark.parametrize("env", ENVS)
def test_access_log_bucket_is_private_versioned_encrypted_and_expiring(
    stacks: dict[str, StackJson], env: str
) -> None:
    stack = stacks[env]
    bucket = "aws_s3_bucket.stackkit_api_alb_logs"
    assert resources(stack, "aws_s3_bucket")["stackkit_api_alb_logs"]["lifecycle"] == {
        "prevent_destroy": True
    }

    def for_bucket(resource_type: str) -> dict[str, Any]:
        (body,) = [b for b in resources(stack, resource_type).values() if ref(b["bucket"]) == bucket]
        return body

    block = for_bucket("aws_s3_bucket_public_access_block")
    assert all(block[k] is True for k in ("block_public_acls", "block_public_policy", "ignore_public_acls"))
    assert for_bucket("aws_s3_bucket_versioning")["versioning_configuration"] == {"status": "Enabled"}
    (rule,) = for_bucket("aws_s3_bucket_server_side_encryption_configuration")["rule"]
    assert rule["apply_server_side_encryption_by_default"] == {"sse_algorithm": "AES256"}  # ELB requires it
    (lifecycle,) = for_bucket("aws_s3_bucket_lifecycle_configuration")["rule"]
    assert lifecycle["expiration"] == [{"days": 365}] and lifecycle["status"] == "Enabled"
    statements = json.loads(for_bucket("aws_s3_bucket_policy")["policy"])["Statement"]
    delivery = next(s for s in statements if s["Sid"] == "ElbLogDelivery")
    assert delivery["Action"] == "s3:PutObject"
    assert delivery["Principal"]["Service"] == "logdelivery.elasticloadbalancing.amazonaws.com"
    assert any(
        s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        for s in statements
    )


def test_ecr_repository_scans_is_immutable_encrypted_and_protected(tmp_path: Path) -> None:
    # A Service without repository= creates its own (the environments pass the bootstrap stack's).
    repository = resources(adhoc(tmp_path), "aws_ecr_repository")["shop_web_repository"]
    assert repository["image_tag_mutability"] == "IMMUTABLE"
    assert repository["image_scanning_configuration"] == {"scan_on_push": True}
    (encryption,) = repository["encryption_configuration"]
    assert encryption["encryption_type"] == "KMS" and ref(encryption["kms_key"]).startswith("aws_kms_key.")
    assert repository["lifecycle"] == {"prevent_destroy": True}


@pytest.mark.parametrize("env", ENVS)
def test_stateful_service_resources_have_pinned_addresses(stacks: dict[str, StackJson], env: str) -> None:
    stack = stacks[env]
    assert "stackkit_cluster" in resources(stack, "aws_ecs_cluster")
    assert "stackkit_api_service" in resources(stack, "aws_ecs_service")
    assert "stackkit_api_alb_logs" in resources(stack, "aws_s3_bucket")


# --- secrets ------------------------------------------------------------------------------------


@pytest.mark.parametrize("env", ENVS)
def test_urls_are_ecs_secrets_and_no_plaintext_secret_reaches_the_container(
    stacks: dict[str, StackJson], env: str
) -> None:
    stack = stacks[env]
    app = container(stack)
    plain = {item["name"]: item["value"] for item in app["environment"]}
    assert not {"DATABASE_URL", "REDIS_URL"} & set(plain)
    for value in plain.values():
        assert "://" not in value and "password" not in value.lower()
    secrets = {item["name"]: item["valueFrom"] for item in app["secrets"]}
    # No PGPASSWORD and no master secret (issue 15): the app logs in as its IAM user.
    assert {name: ref(value) for name, value in secrets.items()} == {
        "DATABASE_URL": "aws_secretsmanager_secret.stackkit_api_database_url",
        "REDIS_URL": "aws_secretsmanager_secret.stackkit_api_redis_url",
    }
    text = service_task(stack)["container_definitions"]
    assert "ephemeral." not in text and "secret_string" not in text and "master_user_secret" not in text


@pytest.mark.parametrize("env", ENVS)
def test_database_url_has_no_password_and_redis_url_is_written_write_only(
    stacks: dict[str, StackJson], env: str
) -> None:
    stack = stacks[env]
    ephemeral = stack["ephemeral"]["aws_secretsmanager_secret_version"]
    # Only the cache's AUTH token is read (ephemerally); the database password is never read.
    assert set(ephemeral) == {"stackkit_api_cache_auth_secret"}
    versions = resources(stack, "aws_secretsmanager_secret_version")
    database_url = versions["stackkit_api_database_url_value"]["secret_string"]
    assert (
        database_url
        == "postgresql://app@${aws_db_instance.stackkit_db.address}:5432/myapp?sslmode=verify-full"
    )
    assert "password" not in database_url and "master_user_secret" not in database_url
    redis_url = versions["stackkit_api_redis_url_value"]
    assert "secret_string" not in redis_url  # would be stored in state
    assert redis_url["secret_string_wo_version"] == 1
    assert redis_url["secret_string_wo"].startswith(
        "rediss://:${urlencode(ephemeral.aws_secretsmanager_secret_version.stackkit_api_cache_auth_secret"
    )
    # The Service reads no secret through a data source (data sources land in state). The
    # cache's own AUTH-token read is the Cache construct's business (its auth_token needs it).
    for body in stack.get("data", {}).get("aws_secretsmanager_secret_version", {}).values():
        assert "master_user_secret" not in body["secret_id"] and "_url" not in body["secret_id"]
    for secret in ("stackkit_api_database_url", "stackkit_api_redis_url"):
        assert ref(resources(stack, "aws_secretsmanager_secret")[secret]["kms_key_id"]).startswith(
            "aws_kms_key."
        )


@pytest.mark.parametrize("env", ENVS)
def test_execution_role_reads_exactly_the_task_secrets_and_their_keys(
    stacks: dict[str, StackJson], env: str
) -> None:
    stack = stacks[env]
    statements = {s["Sid"]: s for s in policy_of(stack, "stackkit_api_execution_policy")}
    assert statements["ReadConnectionSecrets"]["Action"] == "secretsmanager:GetSecretValue"
    assert statements["ReadConnectionSecrets"]["Resource"] == [
        "${aws_secretsmanager_secret.stackkit_api_database_url.arn}",
        "${aws_secretsmanager_secret.stackkit_api_redis_url.arn}",
    ]
    secret_key = resources(stack, "aws_secretsmanager_secret")["stackkit_api_database_url"]["kms_key_id"]
    assert statements["DecryptConnectionSecrets"]["Action"] == "kms:Decrypt"
    assert statements["DecryptConnectionSecrets"]["Resource"] == [secret_key]
    assert "secretsmanager." in json.dumps(statements["DecryptConnectionSecrets"]["Condition"])
    wildcard = [s["Sid"] for s in statements.values() if s["Resource"] == "*"]
    assert wildcard == ["RegistryLogin"]  # ecr:GetAuthorizationToken has no resource scoping
    secret_actions = [s for s in statements.values() if "secretsmanager" in json.dumps(s["Action"])]
    assert len(secret_actions) == 1
    # The task role is another role: it may only connect to the database as the app user.
    roles = resources(stack, "aws_iam_role_policy")
    task_policies = [
        name for name, p in roles.items() if ref(p["role"]) == "aws_iam_role.stackkit_api_task_role"
    ]
    assert task_policies == ["stackkit_api_task_database_connect"]


# --- the security-group chain -----------------------------------------------------------------


@pytest.mark.parametrize("env", ENVS)
def test_security_groups_form_exactly_alb_to_tasks_to_database_and_cache(
    stacks: dict[str, StackJson], env: str
) -> None:
    stack = stacks[env]
    groups = resources(stack, "aws_security_group")
    for body in groups.values():
        assert "ingress" not in body and "egress" not in body  # every rule is a separate resource
    service = resources(stack, "aws_ecs_service")["stackkit_api_service"]
    (tasks,) = (ref(g) for g in service["network_configuration"]["security_groups"])
    (alb,) = (ref(g) for g in resources(stack, "aws_lb")["stackkit_api_alb"]["security_groups"])
    database = next(
        ref(g) for b in resources(stack, "aws_db_instance").values() for g in b["vpc_security_group_ids"]
    )
    cache = next(
        ref(g)
        for b in resources(stack, "aws_elasticache_replication_group").values()
        for g in b["security_group_ids"]
    )

    def edges(resource_type: str) -> set[tuple[str, str, int]]:
        found = set()
        for rule in resources(stack, resource_type).values():
            assert rule["ip_protocol"] == "tcp" and rule["from_port"] == rule["to_port"]
            peer = (
                ref(rule["referenced_security_group_id"])
                if "referenced_security_group_id" in rule
                else rule["cidr_ipv4"]
            )
            found.add((peer, ref(rule["security_group_id"]), rule["from_port"]))
        return found

    bootstrap = "aws_security_group.stackkit_db_bootstrap_tasks_sg"  # the one-off bootstrap task
    ingress = edges("aws_vpc_security_group_ingress_rule")
    assert ingress == {
        ("0.0.0.0/0", alb, 443),
        ("0.0.0.0/0", alb, 80),
        (alb, tasks, 3000),
        (tasks, database, 5432),
        (tasks, cache, 6379),
        (bootstrap, database, 5432),
    }
    egress = {(group, peer, port) for peer, group, port in edges("aws_vpc_security_group_egress_rule")}
    assert egress == {
        (alb, tasks, 3000),
        (tasks, database, 5432),
        (tasks, cache, 6379),
        (tasks, "0.0.0.0/0", 443),  # AWS APIs (ECR, Secrets Manager, Logs) through NAT
        (bootstrap, database, 5432),
        (bootstrap, "0.0.0.0/0", 443),  # ECR Public, Secrets Manager, Logs, the RDS CA bundle
    }


# --- overrides (an ad-hoc stack with a team's own database and cache) -----------------------


def test_overrides_appear_in_the_json(tmp_path: Path) -> None:
    stack = adhoc(
        tmp_path,
        image="public.ecr.aws/acme/shop:2.4.1",
        container_port=8080,
        user="app",
        environment={"NODE_ENV": "staging", "LOG_LEVEL": "debug"},
        health_check_path="/livez",
        health_check_interval=10,
        readiness_path="/readyz",
        cpu=1024,
        memory=3072,
        cpu_architecture="ARM64",
        desired_count=4,
        min_count=2,
        max_count=8,
        cpu_target=55,
        memory_target=65,
        circuit_breaker=False,
        deletion_protection=True,
        enable_execute_command=True,
        connection_secret_version=3,
    )
    app = container(stack)
    assert app["image"] == "public.ecr.aws/acme/shop:2.4.1"
    assert app["portMappings"] == [{"containerPort": 8080, "protocol": "tcp"}]
    assert app["user"] == "app"
    assert app["environment"] == [
        {"name": "LOG_LEVEL", "value": "debug"},
        {"name": "NODE_ENV", "value": "staging"},
    ]
    assert "http://localhost:8080/livez" in app["healthCheck"]["command"][1]
    assert app["healthCheck"]["interval"] == 10
    task = one(stack, "aws_ecs_task_definition")
    assert (task["cpu"], task["memory"]) == ("1024", "3072")
    assert task["runtime_platform"]["cpu_architecture"] == "ARM64"
    service = one(stack, "aws_ecs_service")
    assert service["desired_count"] == 4 and service["enable_execute_command"] is True
    assert service["deployment_circuit_breaker"] == {"enable": False, "rollback": False}
    target = one(stack, "aws_appautoscaling_target")
    assert (target["min_capacity"], target["max_capacity"]) == (2, 8)
    values = sorted(
        p["target_tracking_scaling_policy_configuration"]["target_value"]
        for p in resources(stack, "aws_appautoscaling_policy").values()
    )
    assert values == [55, 65]
    target_group = one(stack, "aws_lb_target_group")
    assert target_group["health_check"]["path"] == "/readyz" and target_group["port"] == 8080
    assert one(stack, "aws_lb")["enable_deletion_protection"] is True
    assert (
        resources(stack, "aws_secretsmanager_secret_version")["shop_web_redis_url_value"][
            "secret_string_wo_version"
        ]
        == 3
    )
    # An external image needs no pull permission on the repository.
    statements = policy_of(stack, "shop_web_execution_policy")
    assert not any("ecr:" in json.dumps(s["Action"]) for s in statements)
    # ECS Exec on: the task role may open sessions and use the cluster's exec key only.
    exec_statements = {s["Sid"]: s for s in policy_of(stack, "shop_web_task_exec_policy")}
    assert ref(exec_statements["ExecEncryption"]["Resource"]) == "aws_kms_key.shop_ecs_exec_key"
    # The team's database and cache are reached through their own connections.
    groups = resources(stack, "aws_security_group")
    ingress = {
        (b["from_port"], groups[ref(b["security_group_id"]).split(".")[1]]["tags"]["Name"])
        for b in resources(stack, "aws_vpc_security_group_ingress_rule").values()
    }
    assert {(5432, "team-db"), (6379, "team-cache"), (8080, "shop-web-tasks")} <= ingress


def test_database_and_redis_urls_use_the_team_outputs(tmp_path: Path) -> None:
    stack = adhoc(tmp_path)
    ephemeral = stack["ephemeral"]["aws_secretsmanager_secret_version"]
    # element([arn, endpoint], 0): the secret itself, read only once the endpoint exists.
    assert ephemeral["shop_web_cache_auth_secret"]["secret_id"] == (
        f'${{element(["{AUTH_SECRET}", "cache.internal.example"], 0)}}'
    )
    assert set(ephemeral["shop_web_cache_auth_secret"]) <= {"secret_id", "//"}  # `//`: CDK Terrain's metadata
    versions = resources(stack, "aws_secretsmanager_secret_version")
    assert versions["shop_web_database_url_value"]["secret_string"] == (
        'postgresql://${urlencode("shop_app")}@db.internal.example:5432/shop?sslmode=require'
    )
    secrets = {item["name"]: item["valueFrom"] for item in container(stack)["secrets"]}
    assert secrets["PGPASSWORD"] == f"{DB_SECRET}:password::"
    grants = {s["Sid"]: s for s in policy_of(stack, "shop_web_execution_policy")}
    assert DB_SECRET in grants["ReadConnectionSecrets"]["Resource"]
    assert DB_KEY in grants["DecryptConnectionSecrets"]["Resource"]
    assert versions["shop_web_redis_url_value"]["secret_string_wo"].endswith("@cache.internal.example:6379")


def test_two_services_coexist_in_one_stack(tmp_path: Path) -> None:
    def build(stack: TerraformStack) -> None:
        network = Network(
            stack, "network", NetworkProps(name="shop", availability_zones=("us-east-1a", "us-east-1b"))
        )
        cluster = Cluster(stack, "cluster", ClusterProps(name="shop"))
        database = TeamDatabase(stack, "database", network.vpc_id)
        cache = TeamCache(stack, "cache", network.vpc_id)
        for name in ("shop-web", "shop-admin"):
            Service(
                stack,
                name,
                ServiceProps(name=name, certificate_arn=CERT),
                network=network,
                cluster=cluster,
                database=database,
                cache=cache,
            )

    stack = synth_stack(tmp_path, build)
    assert set(resources(stack, "aws_ecs_service")) == {"shop_web_service", "shop_admin_service"}
    assert len(stack["ephemeral"]["aws_secretsmanager_secret_version"]) == 2  # one AUTH read each


# --- Fargate sizes ------------------------------------------------------------------------------


def test_the_seed_size_maps_to_512_1024() -> None:
    # (Accepting every FARGATE_SIZES pair was tested by looping over the table the validator
    # reads: it could not fail. Sizes outside the table are refused in the bad-input tests.)
    defaults = ServiceProps(name="shop-web", certificate_arn=CERT)
    assert (defaults.cpu, defaults.memory) == (512, 1024)
    assert FARGATE_SIZES[512][0] == 1024 and 512 not in FARGATE_SIZES[512]


# --- bad input: rejected before synthesis, naming the field ------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"cpu": 512, "memory": 512}, "cpu", "cpu 256: memory 512, 1024, 2048"),
        ({"cpu": 300, "memory": 1024}, "cpu", "cpu 16384: memory 32768..122880 step 8192"),
        ({"container_port": 0}, "container_port", ""),
        ({"container_port": 65536}, "container_port", ""),
        ({"min_count": 5, "max_count": 4, "desired_count": 4}, "min_count", "greater than max_count"),
        ({"desired_count": 2}, "desired_count", "outside min_count..max_count (3..20)"),
        ({"desired_count": 21}, "desired_count", "outside"),
        ({"cpu_target": 0}, "cpu_target", "1..100"),
        ({"cpu_target": 101}, "cpu_target", "1..100"),
        ({"memory_target": 150}, "memory_target", "1..100"),
        ({"health_check_path": "health"}, "health_check_path", "starting with '/'"),
        ({"readiness_path": "ready"}, "readiness_path", "starting with '/'"),
        ({"image": "Shop/App:1.0"}, "image", "full image URI"),
        ({"image": "registry.example.com/shop/app"}, "image", "with a tag or digest"),
        ({"image": "shop/app:"}, "image", ""),
        ({"image": "shop/app@sha256:abc"}, "image", ""),
        ({"image": "v1 .0"}, "image", ""),
        ({"certificate_arn": "arn:aws:iam::123456789012:server-certificate/shop"}, "certificate_arn", "ACM"),
        ({"certificate_arn": "not-an-arn"}, "certificate_arn", "ACM"),
        ({"certificate_arn": None}, "certificate_arn", "either"),
        ({"domain_name": "shop.example.com", "hosted_zone_id": "Z123ABC"}, "certificate_arn", "not both"),
        ({"certificate_arn": None, "domain_name": "shop.example.com"}, "domain_name", "together"),
        ({"health_check_command": ("curl", "-f", "http://localhost/health")}, "health_check_command", "CMD"),
        ({"health_check_command": ("CMD-SHELL",)}, "health_check_command", "CMD-SHELL"),
        ({"user": "root"}, "user", "non-root"),
        ({"user": "0"}, "user", "non-root"),
        ({"environment": {"DATABASE_URL": "postgres://u:p@h/db"}}, "environment", "ECS secret"),
        ({"waf_rule_groups": ("AWSManagedRulesCommonRuleSet",)}, "waf_rule_groups", "Log4Shell"),
        ({"ssl_policy": "ELBSecurityPolicy-2016-08"}, "ssl_policy", ""),
        ({"production": True, "min_count": 1, "desired_count": 1}, "min_count", "at least 2"),
        ({"production": True, "circuit_breaker": False}, "circuit_breaker", "rollback"),
        ({"production": True, "deletion_protection": False}, "deletion_protection", ""),
    ],
)
def test_bad_service_props_are_rejected_naming_the_field(
    changes: dict[str, Any], field: str, text: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        ServiceProps(**{"name": "shop-web", "certificate_arn": CERT, **changes})
    assert caught.value.fields == [field]
    assert text in str(caught.value)


CONFIG = {
    "environment": "prod",
    "allowed_account_ids": ["123456789012"],
    "state_bucket": "tfstate-bucket",
    "state_kms_key_id": "arn:aws:kms:us-east-1:123456789012:alias/tfstate",
    "certificate_arn": CERT,
}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"service": {"cpu": 512, "memory": 512}}, "service.cpu"),
        ({"service": {"min_count": 1, "desired_count": 1}}, "service.min_count"),
        ({"service": {"desired_count": 30}}, "service.desired_count"),
        ({"service": {"image": "bad image"}}, "service.image"),
        ({"certificate_arn": "arn:aws:iam::123456789012:server-certificate/x"}, "certificate_arn"),
        ({"certificate_arn": None}, "certificate_arn"),
        ({"project": "a-very-long-project-name-of-30c"}, "project"),
    ],
)
def test_bad_service_settings_in_the_environment_config_name_the_config_field(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        EnvironmentConfig(**{**CONFIG, **changes})
    assert caught.value.fields == [field]


def test_image_can_be_overridden_per_environment_from_the_process_environment(tmp_path: Path) -> None:
    from stacks.app import build_app
    from stacks.environments import image_overrides

    images = image_overrides({"STACKKIT_PROD_SERVICE_IMAGE": "v1.2.2", "UNRELATED": "x"})
    assert images == {"prod": "v1.2.2"}
    app = build_app(str(tmp_path), ["prod", "dev"], images)
    stacks = {stack.node.id: stack for stack in app.node.children}
    assert stacks["prod"].config.service_props().image == "v1.2.2"  # type: ignore[attr-defined]
    assert stacks["dev"].config.service_props().image == "v1.0.0"  # type: ignore[attr-defined]
    with pytest.raises(ValidationError) as caught:
        build_app(str(tmp_path), ["dev"], image_overrides({"STACKKIT_DEV_SERVICE_IMAGE": "bad image"}))
    assert caught.value.fields == ["service.image"]


def test_typed_outputs_point_at_the_right_resources(tmp_path: Path) -> None:
    outputs = {
        "service_name": "${aws_ecs_service.shop_web_service.name}",
        "service_arn": "${aws_ecs_service.shop_web_service.arn}",
        "cluster_arn": "${aws_ecs_cluster.shop_cluster.arn}",
        "load_balancer_dns_name": "${aws_lb.shop_web_alb.dns_name}",
        "load_balancer_arn": "${aws_lb.shop_web_alb.arn}",
        "load_balancer_arn_suffix": "${aws_lb.shop_web_alb.arn_suffix}",
        "target_group_arn": "${aws_lb_target_group.shop_web_target_group.arn}",
        "target_group_arn_suffix": "${aws_lb_target_group.shop_web_target_group.arn_suffix}",
        "task_role_arn": "${aws_iam_role.shop_web_task_role.arn}",
        "repository_url": "${aws_ecr_repository.shop_web_repository.repository_url}",
    }

    def build(stack: TerraformStack) -> None:
        network = Network(
            stack, "network", NetworkProps(name="shop", availability_zones=("us-east-1a", "us-east-1b"))
        )
        service = Service(
            stack,
            "service",
            ServiceProps(name="shop-web", certificate_arn=CERT),
            network=network,
            cluster=Cluster(stack, "cluster", ClusterProps(name="shop")),
            database=TeamDatabase(stack, "database", network.vpc_id),
            cache=TeamCache(stack, "cache", network.vpc_id),
        )
        for attribute in outputs:
            TerraformOutput(stack, attribute, value=getattr(service, attribute))
        TerraformOutput(stack, "security_group_id", value=service.security_group_id)
        assert service.task_role is not service.execution_role
        assert service.min_count == 3

    stack = synth_stack(tmp_path, build)
    assert {name: stack["output"][name]["value"] for name in outputs} == outputs
    assert ref(stack["output"]["security_group_id"]["value"]).startswith("aws_security_group.")


def test_without_a_cache_there_is_no_redis_url_and_no_cache_grant(tmp_path: Path) -> None:
    def build(stack: TerraformStack) -> None:
        network = Network(
            stack, "network", NetworkProps(name="shop", availability_zones=("us-east-1a", "us-east-1b"))
        )
        Service(
            stack,
            "service",
            ServiceProps(name="shop-web", certificate_arn=CERT),
            network=network,
            cluster=Cluster(stack, "cluster", ClusterProps(name="shop")),
            database=TeamDatabase(stack, "database", network.vpc_id),
        )

    stack = synth_stack(tmp_path, build)
    assert [item["name"] for item in container(stack)["secrets"]] == ["DATABASE_URL", "PGPASSWORD"]
    assert "ephemeral" not in stack  # nothing secret is read to build DATABASE_URL
    assert set(resources(stack, "aws_secretsmanager_secret")) == {"shop_web_database_url"}
    (read,) = [
        s for s in policy_of(stack, "shop_web_execution_policy") if s["Sid"] == "ReadConnectionSecrets"
    ]
    assert [ref(arn) for arn in read["Resource"]] == [
        DB_SECRET,
        "aws_secretsmanager_secret.shop_web_database_url",
    ]
    ports = {b["from_port"] for b in resources(stack, "aws_vpc_security_group_egress_rule").values()}
    assert 6379 not in ports and 5432 in ports


@pytest.mark.parametrize("env", ENVS)
def test_environment_stack_outputs_the_repository_and_the_load_balancer(
    stacks: dict[str, StackJson], env: str
) -> None:
    outputs = stacks[env]["output"]
    # The repository is the bootstrap stack's (issue 15): its URL from account, region, name.
    assert outputs["ecr_repository_url"]["value"].endswith("/stackkit-api")
    assert ".dkr.ecr.${data.aws_region." in outputs["ecr_repository_url"]["value"]
    assert outputs["load_balancer_dns_name"]["value"] == "${aws_lb.stackkit_api_alb.dns_name}"


def test_a_custom_health_check_command_replaces_the_dockerfiles(tmp_path: Path) -> None:
    stack = adhoc(tmp_path, health_check_command=("CMD", "/app/bin/healthcheck", "--port", "3000"))
    assert container(stack)["healthCheck"]["command"] == ["CMD", "/app/bin/healthcheck", "--port", "3000"]


# --- issue 15: WAF ------------------------------------------------------------------------------


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_waf_redacts_credentials_and_limits_each_client_ip(stacks: dict[str, StackJson], env: str) -> None:
    stack = stacks[env]
    logging = one(stack, "aws_wafv2_web_acl_logging_configuration")
    assert logging["redacted_fields"] == [
        {"single_header": {"name": "authorization"}},
        {"single_header": {"name": "cookie"}},
    ]
    acl = one(stack, "aws_wafv2_web_acl")
    (rate,) = [rule for rule in acl["rule"] if "rate_based_statement" in rule["statement"]]
    assert rate["statement"]["rate_based_statement"] == {
        "limit": 2000,
        "aggregate_key_type": "IP",
        "evaluation_window_sec": 300,
    }
    assert rate["action"] == {"block": {}}
    # Evaluated before the managed groups, at a priority of its own.
    priorities = [rule["priority"] for rule in acl["rule"]]
    assert rate["priority"] == min(priorities) and len(set(priorities)) == len(priorities)
    assert rate["visibility_config"]["cloudwatch_metrics_enabled"] is True


def test_the_rate_limit_is_configurable_and_may_only_count(tmp_path: Path) -> None:
    stack = adhoc(tmp_path, rate_limit_per_ip=500, rate_limit_window_seconds=60, rate_limit_count_only=True)
    (rate,) = [r for r in one(stack, "aws_wafv2_web_acl")["rule"] if "rate_based_statement" in r["statement"]]
    assert rate["statement"]["rate_based_statement"]["limit"] == 500
    assert rate["statement"]["rate_based_statement"]["evaluation_window_sec"] == 60
    assert rate["action"] == {"count": {}}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"rate_limit_per_ip": 9}, "rate_limit_per_ip"),
        ({"rate_limit_window_seconds": 30}, "rate_limit_window_seconds"),
    ],
)
def test_rate_limits_waf_refuses_are_refused(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ServiceProps(name="shop-web", certificate_arn=CERT, **changes)
    assert caught.value.fields == [field]


# --- issue 15: one knob per rotation ---------------------------------------------------------------


def redis_url_version(stack: StackJson) -> int:
    versions = resources(stack, "aws_secretsmanager_secret_version")
    (redis,) = [body for address, body in versions.items() if address.endswith("_redis_url_value")]
    return int(redis["secret_string_wo_version"])


@pytest.mark.parametrize(
    ("auth_token_version", "connection_secret_version", "expected"), [(1, 1, 1), (3, 1, 3), (3, 2, 4)]
)
def test_the_cache_token_version_rewrites_redis_url(
    tmp_path: Path, auth_token_version: int, connection_secret_version: int, expected: int
) -> None:
    def build(stack: TerraformStack) -> None:
        network = Network(
            stack, "network", NetworkProps(name="shop", availability_zones=("us-east-1a", "us-east-1b"))
        )
        cache = Cache(
            stack, "cache", CacheProps(name="shop", network=network, auth_token_version=auth_token_version)
        )
        Service(
            stack,
            "service",
            ServiceProps(
                name="shop-web", certificate_arn=CERT, connection_secret_version=connection_secret_version
            ),
            network=network,
            cluster=Cluster(stack, "cluster", ClusterProps(name="shop")),
            cache=cache,
        )

    stack = synth_stack(tmp_path, build)
    (token,) = [
        b for a, b in resources(stack, "aws_secretsmanager_secret_version").items() if "auth_token" in a
    ]
    assert token["secret_string_wo_version"] == auth_token_version
    assert redis_url_version(stack) == expected


def test_environment_redis_url_follows_the_cache_token(stacks: dict[str, StackJson]) -> None:
    for stack in stacks.values():
        (token,) = [
            b
            for a, b in resources(stack, "aws_secretsmanager_secret_version").items()
            if "cache_auth_token" in a
        ]
        assert redis_url_version(stack) == token["secret_string_wo_version"]


def test_a_service_given_an_existing_repository_creates_none_and_pulls_from_it(tmp_path: Path) -> None:
    # Issue 15: the environments' repositories live in the bootstrap stack; a reference by name.
    from stackkit.constructs.image_repository import ImageRepository

    def build(stack: TerraformStack) -> None:
        network = Network(
            stack, "network", NetworkProps(name="shop", availability_zones=("us-east-1a", "us-east-1b"))
        )
        cluster = Cluster(stack, "cluster", ClusterProps(name="shop"))
        service = Service(
            stack,
            "service",
            ServiceProps(name="shop-web", certificate_arn=CERT),
            network=network,
            cluster=cluster,
            repository=ImageRepository.from_name(stack, "shop-images"),
        )
        TerraformOutput(stack, "url", value=service.repository_url)

    stack = synth_stack(tmp_path, build)
    assert resources(stack, "aws_ecr_repository") == {} and resources(stack, "aws_ecr_lifecycle_policy") == {}
    url = stack["output"]["url"]["value"]
    assert url.startswith("${data.aws_caller_identity.") and url.endswith("}/shop-images")
    assert ".account_id}.dkr.ecr.${data.aws_region." in url and ".dns_suffix}/" in url
    assert container(stack)["image"] == f"{url}:v1.0.0"
    (execution,) = (
        json.loads(p["policy"])
        for name, p in resources(stack, "aws_iam_role_policy").items()
        if name.endswith("execution_policy")
    )
    pull = next(s for s in execution["Statement"] if s["Sid"] == "PullImage")
    assert pull["Resource"].startswith("arn:${data.aws_partition.")
    assert pull["Resource"].endswith(".account_id}:repository/shop-images")
    assert ":ecr:${data.aws_region." in pull["Resource"]
