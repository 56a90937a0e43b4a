"""Database: the seed's defaults and every hardening in the JSON, overrides, the connections
API, pinned addresses, Checkov, and every bad input rejected with its field named."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from stackkit import Database, DatabaseProps, Network, NetworkProps, ValidationError
from stackkit._private.cdk import Construct, TerraformOutput, TerraformStack
from stackkit.constructs.connections import Connections
from stackkit.policy.checkov import StackReport
from stacks.app import synth
from stacks.environments import load_environment
from tests.conftest import StackJson, ref, resources
from tests.synth_helpers import synth_stack

ENVS = ("dev", "staging", "prod")
INSTANCE = "aws_db_instance.stackkit_db"
KEY = "aws_kms_key.stackkit_db_key"


def _instance(stack: StackJson) -> dict[str, Any]:
    return resources(stack, "aws_db_instance")["stackkit_db"]


def _network(scope: Construct, name: str = "demo") -> Network:
    return Network(
        scope, f"network-{name}", NetworkProps(name=name, availability_zones=("us-east-1a", "us-east-1b"))
    )


class _FakeNetwork:
    """An existing network, brought by id (anything with vpc_id and isolated_subnet_ids)."""

    def __init__(self, subnets: int = 2) -> None:
        self.vpc_id = "vpc-0123456789abcdef0"
        self.public_subnet_ids: list[str] = []
        self.private_subnet_ids: list[str] = []
        self.isolated_subnet_ids = [f"subnet-0000000{i}" for i in range(subnets)]
        self.availability_zones = None


def _props(**changes: Any) -> DatabaseProps:
    return DatabaseProps(**{"name": "demo", "network": _FakeNetwork(), **changes})


def _walk(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key, inner
            yield from _walk(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _walk(inner)


# --- the seed's defaults and the hardening, in every environment ------------------------------


@pytest.mark.parametrize("env", ENVS)
def test_seed_defaults_are_in_the_json(stacks: dict[str, StackJson], env: str) -> None:
    db = _instance(stacks[env])
    assert db["identifier"] == "stackkit-db"
    assert (db["engine"], db["engine_version"], db["instance_class"]) == ("postgres", "15", "db.t3.medium")
    assert db["allocated_storage"] == 20
    assert db["multi_az"] is True
    assert db["backup_retention_period"] == 30
    assert db["deletion_protection"] is True
    assert db["skip_final_snapshot"] is False
    assert db["final_snapshot_identifier"] == "stackkit-db-final"
    assert (db["db_name"], db["username"], db["port"]) == ("myapp", "dbadmin", 5432)


@pytest.mark.parametrize("env", ENVS)
def test_hardening_is_on_by_default(stacks: dict[str, StackJson], env: str) -> None:
    db = _instance(stacks[env])
    assert (db["storage_type"], db["storage_encrypted"], db["max_allocated_storage"]) == ("gp3", True, 100)
    for attribute in ("kms_key_id", "master_user_secret_kms_key_id", "performance_insights_kms_key_id"):
        assert ref(db[attribute]) == KEY, attribute
    assert db["manage_master_user_password"] is True
    assert db["iam_database_authentication_enabled"] is True
    assert db["performance_insights_enabled"] is True
    assert db["performance_insights_retention_period"] == 7
    assert db["monitoring_interval"] == 60
    assert ref(db["monitoring_role_arn"]) == "aws_iam_role.stackkit_db_monitoring_role"
    assert db["enabled_cloudwatch_logs_exports"] == ["postgresql", "upgrade"]
    assert db["copy_tags_to_snapshot"] is True
    assert db["auto_minor_version_upgrade"] is True
    assert db["allow_major_version_upgrade"] is False
    assert db["publicly_accessible"] is False
    assert db["delete_automated_backups"] is False
    assert db["ca_cert_identifier"] == "rds-ca-rsa2048-g1"
    assert (db["backup_window"], db["maintenance_window"]) == ("03:00-04:00", "sun:04:30-sun:05:30")
    assert db["lifecycle"] == {"prevent_destroy": True}


@pytest.mark.parametrize("env", ENVS)
def test_no_password_anywhere_in_the_json(stacks: dict[str, StackJson], env: str) -> None:
    password_keys = {"password", "password_wo", "master_password", "master_user_password"}
    found = [key for key, _ in _walk(stacks[env]) if key in password_keys]
    assert found == []
    assert "password" not in json.dumps(_instance(stacks[env])).replace("manage_master_user_password", "")


@pytest.mark.parametrize("env", ENVS)
def test_key_rotates_is_protected_and_lets_logs_encrypt(stacks: dict[str, StackJson], env: str) -> None:
    key = resources(stacks[env], "aws_kms_key")["stackkit_db_key"]
    assert key["enable_key_rotation"] is True
    assert key["lifecycle"] == {"prevent_destroy": True}
    statements = json.loads(key["policy"])["Statement"]
    services = [s["Principal"]["Service"] for s in statements if "Service" in s.get("Principal", {})]
    assert len(services) == 1
    assert len(services[0]) == 1
    assert services[0][0].startswith("logs.")
    assert services[0][0].endswith(".amazonaws.com")


@pytest.mark.parametrize("env", ENVS)
def test_subnet_group_is_the_isolated_subnets_only(stacks: dict[str, StackJson], env: str) -> None:
    stack = stacks[env]
    group = resources(stack, "aws_db_subnet_group")["stackkit_db_subnets"]
    isolated = {f"aws_subnet.{name}" for name in resources(stack, "aws_subnet") if "_isolated_" in name}
    assert {ref(subnet) for subnet in group["subnet_ids"]} == isolated
    assert len(isolated) == (3 if env == "prod" else 2)
    assert group["lifecycle"] == {"prevent_destroy": True}
    assert ref(_instance(stack)["db_subnet_group_name"]) == "aws_db_subnet_group.stackkit_db_subnets"


@pytest.mark.parametrize("env", ENVS)
def test_parameter_group_logs_queries_forces_tls_and_can_be_replaced(
    stacks: dict[str, StackJson], env: str
) -> None:
    group = resources(stacks[env], "aws_db_parameter_group")["stackkit_db_parameters"]
    assert group["family"] == "postgres15"
    assert group["name_prefix"] == "stackkit-db-pg15-"
    assert "name" not in group
    assert group["lifecycle"] == {"create_before_destroy": True}
    assert {p["name"]: p["value"] for p in group["parameter"]} == {
        "log_statement": "ddl",
        "log_min_duration_statement": "1000",
        "rds.force_ssl": "1",
    }
    assert (
        ref(_instance(stacks[env])["parameter_group_name"]) == "aws_db_parameter_group.stackkit_db_parameters"
    )


@pytest.mark.parametrize("env", ENVS)
def test_log_groups_exist_before_the_instance_with_retention_and_kms(
    stacks: dict[str, StackJson], env: str
) -> None:
    groups = resources(stacks[env], "aws_cloudwatch_log_group")
    for log_type in ("postgresql", "upgrade"):
        group = groups[f"stackkit_db_log_{log_type}"]
        assert group["name"] == f"/aws/rds/instance/stackkit-db/{log_type}"
        assert group["retention_in_days"] == 365
        assert ref(group["kms_key_id"]) == KEY
        assert group["lifecycle"] == {"prevent_destroy": True}
        assert f"aws_cloudwatch_log_group.stackkit_db_log_{log_type}" in _instance(stacks[env])["depends_on"]


@pytest.mark.parametrize("env", ENVS)
def test_enhanced_monitoring_role(stacks: dict[str, StackJson], env: str) -> None:
    stack = stacks[env]
    role = resources(stack, "aws_iam_role")["stackkit_db_monitoring_role"]
    statement = json.loads(role["assume_role_policy"])["Statement"]
    assert [s["Principal"] for s in statement] == [{"Service": "monitoring.rds.amazonaws.com"}]
    attachment = resources(stack, "aws_iam_role_policy_attachment")["stackkit_db_monitoring_policy"]
    assert attachment["policy_arn"].endswith(":iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole")
    assert ref(attachment["role"]) == "aws_iam_role.stackkit_db_monitoring_role"
    assert "aws_iam_role_policy_attachment.stackkit_db_monitoring_policy" in _instance(stack)["depends_on"]


@pytest.mark.parametrize("env", ENVS)
def test_only_the_service_tasks_reach_the_database_on_its_port(
    stacks: dict[str, StackJson], env: str
) -> None:
    stack = stacks[env]
    [sg_ref] = {ref(sg) for sg in _instance(stack)["vpc_security_group_ids"]}
    group = resources(stack, "aws_security_group")[sg_ref.split(".")[1]]
    assert "ingress" not in group
    assert "egress" not in group
    rules = [
        rule
        for rule in resources(stack, "aws_vpc_security_group_ingress_rule").values()
        if ref(rule["security_group_id"]) == sg_ref
    ]
    [service] = resources(stack, "aws_ecs_service").values()
    task_groups = {ref(sg) for sg in service["network_configuration"]["security_groups"]}
    # Granted twice through database.connections: the service's tasks and the bootstrap task
    # (issue 15), each from its own security group.
    assert len(rules) == 2
    bootstrap = "aws_security_group.stackkit_db_bootstrap_tasks_sg"
    assert {ref(rule["referenced_security_group_id"]) for rule in rules} == task_groups | {bootstrap}
    for rule in rules:
        assert (rule["ip_protocol"], rule["from_port"], rule["to_port"]) == ("tcp", 5432, 5432)
        assert "cidr_ipv4" not in rule


# --- Checkov -----------------------------------------------------------------------------------

#: Checkov's RDS checks; each must have run (and passed) on the instance, so that none is silently
#: not applicable.
RDS_CHECKS = (
    "CKV_AWS_16",  # storage encrypted
    "CKV_AWS_17",  # not publicly accessible
    "CKV_AWS_118",  # enhanced monitoring
    "CKV_AWS_129",  # log exports
    "CKV_AWS_133",  # backup retention
    "CKV_AWS_157",  # multi-AZ
    "CKV_AWS_161",  # IAM authentication
    "CKV_AWS_211",  # modern CA
    "CKV_AWS_226",  # minor version upgrades
    "CKV_AWS_293",  # deletion protection
    "CKV_AWS_353",  # performance insights
    "CKV_AWS_354",  # performance insights with a CMK
    "CKV2_AWS_30",  # query logging
    "CKV2_AWS_60",  # copy tags to snapshots
    "CKV2_AWS_69",  # TLS in transit
    "CKV_STACKKIT_2",  # prevent_destroy
    "CKV_STACKKIT_3",  # deletion protection + final snapshot
)


@pytest.mark.parametrize("env", ENVS)
def test_checkov_ran_and_passed_every_rds_check(checkov_reports: dict[str, StackReport], env: str) -> None:
    report = checkov_reports[env]
    passed = {f.check_id for f in report.passed if f.resource == INSTANCE}
    assert set(RDS_CHECKS) - passed == set()
    assert [f.check_id for f in report.failed if f.resource.startswith("aws_db_")] == []
    assert [f.check_id for f in report.skipped if f.resource.startswith("aws_db_")] == []
    if env == "prod":
        assert "CKV_STACKKIT_4" in passed  # multi-AZ in production


# --- addresses ---------------------------------------------------------------------------------


@pytest.mark.parametrize("env", ENVS)
def test_stateful_addresses_are_pinned(stacks: dict[str, StackJson], env: str) -> None:
    stack = stacks[env]
    assert "stackkit_db" in resources(stack, "aws_db_instance")
    assert "stackkit_db_key" in resources(stack, "aws_kms_key")
    assert "stackkit_db_parameters" in resources(stack, "aws_db_parameter_group")
    assert "stackkit_db_subnets" in resources(stack, "aws_db_subnet_group")
    # Pinned: the addresses do not come from the construct path.
    assert _instance(stack)["//"]["metadata"]["path"] == f"{env}/database/instance"


def test_two_databases_coexist_in_one_stack(tmp_path: Path) -> None:
    def build(stack: TerraformStack) -> None:
        network = _network(stack)
        Database(stack, "orders", DatabaseProps(name="orders", network=network))
        Database(stack, "billing", DatabaseProps(name="billing", network=network))

    stack = synth_stack(tmp_path, build)
    assert set(resources(stack, "aws_db_instance")) == {"orders_db", "billing_db"}
    assert set(resources(stack, "aws_db_subnet_group")) == {"orders_db_subnets", "billing_db_subnets"}
    assert {"orders_db_key", "billing_db_key"} <= set(resources(stack, "aws_kms_key"))
    assert {g["name"] for g in resources(stack, "aws_db_subnet_group").values()} == {
        "orders-db",
        "billing-db",
    }


# --- overrides and attributes ------------------------------------------------------------------


def test_every_override_shows_up_in_the_json(tmp_path: Path) -> None:
    def build(stack: TerraformStack) -> None:
        Database(
            stack,
            "database",
            DatabaseProps(
                name="demo",
                network=_FakeNetwork(subnets=3),
                engine_version="16.4",
                instance_class="db.m6g.large",
                allocated_storage_gb=50,
                max_allocated_storage_gb=200,
                multi_az=False,
                backup_retention_days=14,
                deletion_protection=False,
                allow_major_version_upgrade=True,
                identifier="orders-primary",
                final_snapshot_identifier="orders-last",
                database_name="orders",
                username="orders_owner",
                port=6543,
                backup_window="22:00-22:45",
                maintenance_window="Wed:01:00-wed:02:00",
                monitoring_interval_seconds=15,
                performance_insights_retention_days=93,
                log_retention_days=731,
                log_statement="mod",
                log_min_duration_statement_ms=250,
                parameters={"log_connections": "1"},
            ),
        )

    stack = synth_stack(tmp_path, build)
    db = resources(stack, "aws_db_instance")["demo_db"]
    expected = {
        "engine_version": "16.4",
        "instance_class": "db.m6g.large",
        "allocated_storage": 50,
        "max_allocated_storage": 200,
        "multi_az": False,
        "backup_retention_period": 14,
        "deletion_protection": False,
        "allow_major_version_upgrade": True,
        "identifier": "orders-primary",
        "final_snapshot_identifier": "orders-last",
        "db_name": "orders",
        "username": "orders_owner",
        "port": 6543,
        "backup_window": "22:00-22:45",
        "maintenance_window": "wed:01:00-wed:02:00",
        "monitoring_interval": 15,
        "performance_insights_retention_period": 93,
    }
    assert {key: db[key] for key in expected} == expected
    group = resources(stack, "aws_db_parameter_group")["demo_db_parameters"]
    assert (group["family"], group["name_prefix"]) == ("postgres16", "demo-db-pg16-")
    assert {p["name"]: p["value"] for p in group["parameter"]} == {
        "log_statement": "mod",
        "log_min_duration_statement": "250",
        "rds.force_ssl": "1",
        "log_connections": "1",
    }
    subnets = resources(stack, "aws_db_subnet_group")["demo_db_subnets"]["subnet_ids"]
    assert subnets == ["subnet-00000000", "subnet-00000001", "subnet-00000002"]
    logs = resources(stack, "aws_cloudwatch_log_group")
    assert logs["demo_db_log_postgresql"]["name"] == "/aws/rds/instance/orders-primary/postgresql"
    assert logs["demo_db_log_postgresql"]["retention_in_days"] == 731
    [group_body] = resources(stack, "aws_security_group").values()
    assert group_body["vpc_id"] == "vpc-0123456789abcdef0"


def test_environment_overrides_reach_the_database(tmp_path: Path) -> None:
    config = load_environment(
        "staging",
        database={
            "instance_class": "db.r6g.large",
            "allocated_storage_gb": 100,
            "max_allocated_storage_gb": 500,
        },
    )
    synth(str(tmp_path), [config])
    stack = json.loads((tmp_path / "stacks" / "staging" / "cdk.tf.json").read_text())
    db = _instance(stack)
    assert (db["instance_class"], db["allocated_storage"], db["max_allocated_storage"]) == (
        "db.r6g.large",
        100,
        500,
    )
    assert db["backup_retention_period"] == 30  # untouched fields keep the seed's defaults


def test_attributes_resolve_to_the_instance(tmp_path: Path) -> None:
    databases: list[Database] = []

    def build(stack: TerraformStack) -> None:
        database = Database(stack, "database", DatabaseProps(name="demo", network=_network(stack)))
        databases.append(database)
        for attribute in ("endpoint", "address", "master_user_secret_arn", "security_group_id"):
            TerraformOutput(stack, attribute, value=getattr(database, attribute))
        TerraformOutput(stack, "kms_key_arn", value=database.kms_key.arn)

    stack = synth_stack(tmp_path, build)
    outputs = {name: body["value"] for name, body in stack["output"].items()}
    assert outputs["endpoint"] == "${aws_db_instance.demo_db.endpoint}"
    assert outputs["address"] == "${aws_db_instance.demo_db.address}"
    assert outputs["master_user_secret_arn"] == "${aws_db_instance.demo_db.master_user_secret[0].secret_arn}"
    assert outputs["kms_key_arn"] == "${aws_kms_key.demo_db_key.arn}"
    assert ref(outputs["security_group_id"]).startswith("aws_security_group.")
    database = databases[0]
    assert (database.identifier, database.port, database.database_name, database.username) == (
        "demo-db",
        5432,
        "myapp",
        "dbadmin",
    )
    assert database.connections.default_port == 5432
    assert (database.allocated_storage_gb, database.max_allocated_storage_gb) == (20, 100)
    assert database.instance is not None


# --- connections -------------------------------------------------------------------------------


class _Peer(Construct):
    """Stands in for a Service: anything that owns a Connections."""

    def __init__(self, scope: Construct, id_: str, vpc_id: str) -> None:
        super().__init__(scope, id_)
        self.connections = Connections.with_new_security_group(
            self, name="peer", vpc_id=vpc_id, description="a peer", default_port=None
        )


def test_allow_default_port_from_makes_exactly_one_ingress_rule(tmp_path: Path) -> None:
    def build(stack: TerraformStack) -> None:
        network = _network(stack)
        database = Database(stack, "database", DatabaseProps(name="demo", network=network, port=6000))
        peer = _Peer(stack, "api", network.vpc_id)
        database.connections.allow_default_port_from(peer)

    stack = synth_stack(tmp_path, build)
    groups = {
        body["name_prefix"]: f"aws_security_group.{name}"
        for name, body in resources(stack, "aws_security_group").items()
    }
    db_sg, peer_sg = groups["demo-db-"], groups["peer-"]
    ingress = list(resources(stack, "aws_vpc_security_group_ingress_rule").values())
    assert len(ingress) == 1
    [rule] = ingress
    assert ref(rule["security_group_id"]) == db_sg
    assert ref(rule["referenced_security_group_id"]) == peer_sg
    assert (rule["ip_protocol"], rule["from_port"], rule["to_port"]) == ("tcp", 6000, 6000)
    egress = list(resources(stack, "aws_vpc_security_group_egress_rule").values())
    assert [
        (ref(e["security_group_id"]), ref(e["referenced_security_group_id"]), e["from_port"]) for e in egress
    ] == [(peer_sg, db_sg, 6000)]


def test_without_a_grant_nothing_can_reach_the_database(tmp_path: Path) -> None:
    stack = synth_stack(
        tmp_path,
        lambda stack: Database(stack, "database", DatabaseProps(name="demo", network=_network(stack))),
    )
    assert resources(stack, "aws_vpc_security_group_ingress_rule") == {}
    [group] = resources(stack, "aws_security_group").values()
    assert "ingress" not in group


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "hint"),
    [
        ({"engine_version": "12"}, "engine_version", "supported"),
        ({"engine_version": "15.x"}, "engine_version", "major.minor"),
        ({"engine_version": "15.7.1"}, "engine_version", "major.minor"),
        ({"engine_version": "latest"}, "engine_version", "14, 15, 16, 17"),
        ({"instance_class": "t3.medium"}, "instance_class", "did you mean db.t3.medium"),
        ({"instance_class": "db.t3"}, "instance_class", "not a known RDS for PostgreSQL instance class"),
        ({"instance_class": "db.T3.Medium"}, "instance_class", "allow_uncatalogued_instance_class"),
        ({"allocated_storage_gb": 19}, "allocated_storage_gb", "20"),
        ({"allocated_storage_gb": 70000}, "allocated_storage_gb", "65536"),
        ({"allocated_storage_gb": 100, "max_allocated_storage_gb": 50}, "max_allocated_storage_gb", "10%"),
        ({"max_allocated_storage_gb": 21}, "max_allocated_storage_gb", "22 GB"),
        ({"backup_retention_days": 0}, "backup_retention_days", "1"),
        ({"backup_retention_days": 36}, "backup_retention_days", "35"),
        ({"production": True, "backup_retention_days": 6}, "backup_retention_days", "at least 7"),
        ({"production": True, "multi_az": False}, "multi_az", "multi-AZ"),
        (
            {"production": True, "deletion_protection": False},
            "deletion_protection",
            "deletion_protection=True",
        ),
        ({"database_name": "select"}, "database_name", "reserved"),
        ({"database_name": "template1"}, "database_name", "reserved"),
        ({"database_name": "my-app"}, "database_name", "underscores"),
        ({"database_name": "1app"}, "database_name", "starting with a letter"),
        ({"database_name": "a" * 64}, "database_name", "1-63"),
        ({"username": "user"}, "username", "reserved"),
        ({"username": "admin"}, "username", "reserved"),
        ({"username": "rdsadmin"}, "username", "reserved"),
        ({"username": "pg_owner"}, "username", "pg_"),
        ({"username": "app user"}, "username", "underscores"),
        ({"username": "u" * 64}, "username", "1-63"),
        ({"identifier": "Orders_DB"}, "identifier", "lowercase"),
        ({"identifier": "orders--db"}, "identifier", "'--'"),
        ({"identifier": "orders-"}, "identifier", "trailing"),
        ({"identifier": "o" * 64}, "identifier", "1-63"),
        ({"final_snapshot_identifier": "9-final"}, "final_snapshot_identifier", "starting with a letter"),
        ({"name": "Demo"}, "name", "lowercase letters"),
        ({"port": 80}, "port", "1150"),
        ({"backup_window": "3:00-4:00"}, "backup_window", "hh:mm"),
        ({"backup_window": "03:00-03:15"}, "backup_window", "30 minutes"),
        ({"backup_window": "25:00-26:00"}, "backup_window", "time of day"),
        ({"maintenance_window": "sunday:04:30-sunday:05:30"}, "maintenance_window", "ddd:hh:mm"),
        ({"maintenance_window": "sun:04:30-sun:04:45"}, "maintenance_window", "30 minutes"),
        ({"maintenance_window": "sun:03:30-sun:04:30"}, "backup_window", "overlaps"),
        (
            {"backup_window": "23:30-00:30", "maintenance_window": "mon:00:00-mon:01:00"},
            "backup_window",
            "overlaps",
        ),
        ({"monitoring_interval_seconds": 0}, "monitoring_interval_seconds", "off"),
        ({"monitoring_interval_seconds": 45}, "monitoring_interval_seconds", "60"),
        ({"performance_insights_retention_days": 30}, "performance_insights_retention_days", "7, 31"),
        ({"performance_insights_retention_days": 744}, "performance_insights_retention_days", "months"),
        ({"log_retention_days": 13}, "log_retention_days", "CloudWatch"),
        ({"log_statement": "everything"}, "log_statement", "ddl"),
        ({"log_min_duration_statement_ms": -5}, "log_min_duration_statement_ms", "0"),
        ({"parameters": {"rds.force_ssl": "0"}}, "parameters", "TLS"),
        ({"network": _FakeNetwork(subnets=1)}, "network", "at least 2 AZs"),
        ({"network": "vpc-123"}, "network", "isolated_subnet_ids"),
        ({"storage_type": "gp2"}, "storage_type", "Extra inputs"),
    ],
)
def test_bad_props_are_rejected_with_the_field_named(changes: dict[str, Any], field: str, hint: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _props(**changes)
    assert caught.value.fields == [field]
    assert hint in str(caught.value)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"backup_retention_days": 1, "multi_az": False, "deletion_protection": False},  # fine outside prod
        {"production": True, "backup_retention_days": 7},
        {"engine_version": "17.2", "allocated_storage_gb": 100, "max_allocated_storage_gb": 110},
        {"username": "postgres", "database_name": "orders"},
        {"backup_window": "04:00-05:00", "maintenance_window": "sun:05:00-sun:06:00"},  # touching, apart
        {"performance_insights_retention_days": 731},
        {"instance_class": "db.x2iedn.16xlarge"},
    ],
)
def test_valid_edges_are_accepted(changes: dict[str, Any]) -> None:
    props = _props(**changes)
    assert props.name == "demo"
    assert {field: getattr(props, field) for field in changes} == changes


@pytest.mark.parametrize(
    ("env", "database", "field"),
    [
        ("prod", {"multi_az": False}, "database.multi_az"),
        ("prod", {"backup_retention_days": 3}, "database.backup_retention_days"),
        ("prod", {"deletion_protection": False}, "database.deletion_protection"),
        ("dev", {"instance_class": "m5.large"}, "database.instance_class"),
        ("dev", {"engine_version": "9.6"}, "database.engine_version"),
        ("dev", {"allocated_storage_gb": 10}, "database.allocated_storage_gb"),
        ("dev", {"allocated_storage_gb": 200}, "database.max_allocated_storage_gb"),
        ("staging", {"backup_retention_days": 40}, "database.backup_retention_days"),
        ("staging", {"port": 5433}, "database.port"),  # not an environment setting
    ],
)
def test_bad_environment_database_settings_name_the_field(
    env: str, database: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        load_environment(env, database=database)
    assert caught.value.fields == [field]


def test_dev_may_trade_availability_for_cost() -> None:
    config = load_environment("dev", database={"multi_az": False, "backup_retention_days": 1})
    props = config.database_props(_FakeNetwork())
    assert (props.multi_az, props.backup_retention_days, props.production) == (False, 1, False)
    assert load_environment("prod").database_props(_FakeNetwork()).production is True
