"""Cache: seed defaults and overrides in the JSON, encryption, the AUTH secret, logs, the
connections API, pinned addresses, Checkov, and every bad input rejected with its field."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from stackkit import Cache, CacheProps, Connections, Network, NetworkProps, ValidationError
from stackkit._private.cdk import CAPABILITIES, TerraformStack
from stackkit.policy.checkov import StackReport
from stacks.environments import load_environment
from tests.conftest import StackJson, ref, resources
from tests.synth_helpers import synth_stack

ENVS = ["dev", "staging", "prod"]
GROUP = "aws_elasticache_replication_group"


def _group(stack: StackJson) -> dict[str, Any]:
    groups = resources(stack, GROUP)
    assert list(groups) == ["stackkit_cache"]  # one cache, at its pinned address
    return groups["stackkit_cache"]


@pytest.mark.parametrize("env", ["dev", "staging"])
def test_seed_defaults_appear_in_the_json(stacks: dict[str, StackJson], env: str) -> None:
    group = _group(stacks[env])
    assert group["replication_group_id"] == "stackkit-cache"
    assert (group["engine"], group["engine_version"]) == ("redis", "7.1")
    assert (group["node_type"], group["num_cache_clusters"], group["port"]) == ("cache.t3.micro", 1, 6379)
    # One node: nothing to fail over to, so AWS would refuse failover and multi-AZ.
    assert group["automatic_failover_enabled"] is False
    assert group["multi_az_enabled"] is False
    assert "preferred_cache_cluster_azs" not in group
    assert group["cluster_mode"] == "disabled"


def test_node_ids_for_monitoring_follow_elasticache_naming(tmp_path: Path) -> None:
    found: dict[str, tuple[str, ...]] = {}

    def build(scope: TerraformStack) -> None:
        network = _network(scope)
        for count in (1, 3):
            cache = Cache(
                scope, f"c{count}", CacheProps(name=f"shop{count}", network=network, node_count=count)
            )
            found[cache.replication_group_id] = cache.member_cluster_ids

    stack = synth_stack(tmp_path, build)
    assert found == {
        "shop1-cache": ("shop1-cache-001",),
        "shop3-cache": tuple(f"shop3-cache-00{i}" for i in (1, 2, 3)),
    }
    assert {g["replication_group_id"] for g in resources(stack, GROUP).values()} == set(found)


def test_prod_override_has_two_nodes_in_two_azs_with_failover(stacks: dict[str, StackJson]) -> None:
    group = _group(stacks["prod"])
    assert group["num_cache_clusters"] == 2
    assert group["automatic_failover_enabled"] is True
    assert group["multi_az_enabled"] is True
    assert group["preferred_cache_cluster_azs"] == ["us-east-1a", "us-east-1b"]
    assert load_environment("prod").cache.node_count == 2
    assert load_environment("dev").cache.node_count == 1


@pytest.mark.parametrize("env", ENVS)
def test_encryption_snapshots_and_upgrades_are_on(stacks: dict[str, StackJson], env: str) -> None:
    stack = stacks[env]
    group = _group(stack)
    assert group["at_rest_encryption_enabled"] == "true"
    assert ref(group["kms_key_id"]) == "aws_kms_key.stackkit_cache_key"
    assert group["transit_encryption_enabled"] is True
    assert group["transit_encryption_mode"] == "required"
    assert group["snapshot_retention_limit"] == 7
    assert group["snapshot_window"] == "03:00-04:00"
    assert group["maintenance_window"] == "sun:05:00-sun:06:00"
    assert group["final_snapshot_identifier"] == "stackkit-cache-final"
    assert group["auto_minor_version_upgrade"] == "true"
    assert group["lifecycle"] == {"prevent_destroy": True}
    key = resources(stack, "aws_kms_key")["stackkit_cache_key"]
    assert key["enable_key_rotation"] is True
    assert key["lifecycle"] == {"prevent_destroy": True}
    statements = json.loads(key["policy"])["Statement"]
    assert ["logs.${data.aws_region.stackkit-aws-context_region_8A9E28D1.region}.amazonaws.com"] in [
        s["Principal"].get("Service") for s in statements
    ]


@pytest.mark.parametrize("env", ENVS)
def test_auth_token_is_generated_ephemeral_and_never_a_literal(
    stacks: dict[str, StackJson], env: str
) -> None:
    stack = stacks[env]
    group = _group(stack)
    generated = "${ephemeral.aws_secretsmanager_random_password.stackkit_cache_auth_token.random_password}"
    assert group["auth_token_update_strategy"] == "ROTATE"
    generator = stack["ephemeral"]["aws_secretsmanager_random_password"]["stackkit_cache_auth_token"]
    assert {key: value for key, value in generator.items() if key != "//"} == {
        "password_length": 64,
        "exclude_punctuation": True,
        "include_space": False,
    }

    secret = resources(stack, "aws_secretsmanager_secret")["stackkit_cache_auth_token"]
    assert ref(secret["kms_key_id"]) == "aws_kms_key.stackkit_cache_key"
    assert secret["lifecycle"] == {"prevent_destroy": True}
    version = resources(stack, "aws_secretsmanager_secret_version")["stackkit_cache_auth_token_value"]
    assert ref(version["secret_id"]) == "aws_secretsmanager_secret.stackkit_cache_auth_token"
    assert version["secret_string_wo"] == generated
    assert version["secret_string_wo_version"] == 1
    assert "secret_string" not in version  # the stored (non write-only) argument stays unused
    readers = stack.get("data", {}).get("aws_secretsmanager_secret_version", {})
    if CAPABILITIES.write_only_auth_token:
        # CDK Terrain: the token goes write-only into the cache too; nothing reads it back, so
        # it is in neither the JSON nor the state.
        assert group["auth_token_wo"] == generated
        assert group["auth_token_wo_version"] == 1
        assert "auth_token" not in group
        assert readers == {}
        return
    assert "auth_token_wo" not in group
    assert (
        group["auth_token"]
        == "${data.aws_secretsmanager_secret_version.stackkit_cache_auth_token.secret_string}"
    )
    reader = readers["stackkit_cache_auth_token"]
    assert ref(reader["secret_id"]) == "aws_secretsmanager_secret.stackkit_cache_auth_token"
    assert (
        reader["version_id"]
        == "${aws_secretsmanager_secret_version.stackkit_cache_auth_token_value.version_id}"
    )


@pytest.mark.parametrize("env", ENVS)
def test_subnet_group_parameter_group_and_security_group(stacks: dict[str, StackJson], env: str) -> None:
    stack = stacks[env]
    group = _group(stack)
    subnet_group = resources(stack, "aws_elasticache_subnet_group")["stackkit_cache_subnets"]
    isolated = {f"aws_subnet.{n}" for n in resources(stack, "aws_subnet") if "_isolated_" in n}
    assert {ref(s) for s in subnet_group["subnet_ids"]} == isolated
    assert subnet_group["lifecycle"] == {"prevent_destroy": True}
    assert ref(group["subnet_group_name"]) == "aws_elasticache_subnet_group.stackkit_cache_subnets"

    params = resources(stack, "aws_elasticache_parameter_group")["stackkit_cache_redis7_params"]
    assert (params["family"], params["name"]) == ("redis7", "stackkit-cache-redis7")
    # No create_before_destroy: the provider has no name_prefix for it (see cache.py).
    assert params["lifecycle"] == {"prevent_destroy": True}
    assert "parameter" not in params  # family defaults unless parameters are given
    assert (
        ref(group["parameter_group_name"]) == "aws_elasticache_parameter_group.stackkit_cache_redis7_params"
    )

    (sg_ref,) = group["security_group_ids"]
    sg = resources(stack, "aws_security_group")[ref(sg_ref).split(".")[1]]
    assert sg["name_prefix"] == "stackkit-cache-"
    assert ref(sg["vpc_id"]) == "aws_vpc.stackkit_vpc"
    assert "ingress" not in sg and "egress" not in sg  # rules only through connections


@pytest.mark.parametrize("env", ENVS)
def test_slow_and_engine_logs_go_to_encrypted_retained_groups(stacks: dict[str, StackJson], env: str) -> None:
    stack = stacks[env]
    deliveries = {d["log_type"]: d for d in _group(stack)["log_delivery_configuration"]}
    assert set(deliveries) == {"slow-log", "engine-log"}
    for log_type, delivery in deliveries.items():
        assert (delivery["destination_type"], delivery["log_format"]) == ("cloudwatch-logs", "json")
        address = f"stackkit_cache_{log_type.replace('-', '_')}"
        assert delivery["destination"] == f"${{aws_cloudwatch_log_group.{address}.name}}"
        log_group = resources(stack, "aws_cloudwatch_log_group")[address]
        assert log_group["name"] == f"/aws/elasticache/stackkit-cache/{log_type}"
        assert log_group["retention_in_days"] >= 365
        assert ref(log_group["kms_key_id"]) == "aws_kms_key.stackkit_cache_key"
        assert log_group["lifecycle"] == {"prevent_destroy": True}


@pytest.mark.parametrize("env", ENVS)
def test_in_every_environment_only_the_service_reaches_the_cache(
    stacks: dict[str, StackJson], env: str
) -> None:
    stack = stacks[env]
    (cache_sg,) = (ref(sg) for sg in _group(stack)["security_group_ids"])
    rules = [
        r
        for r in resources(stack, "aws_vpc_security_group_ingress_rule").values()
        if ref(r["security_group_id"]) == cache_sg
    ]
    assert len(rules) == 1
    (rule,) = rules
    assert (rule["ip_protocol"], rule["from_port"], rule["to_port"]) == ("tcp", 6379, 6379)
    assert "cidr_ipv4" not in rule
    service_sgs = {
        ref(sg)
        for s in resources(stack, "aws_ecs_service").values()
        for sg in s["network_configuration"]["security_groups"]
    }
    assert ref(rule["referenced_security_group_id"]) in service_sgs


_REFERENCE = re.compile(r"\$\{(data\.|ephemeral\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.")


@pytest.mark.parametrize("env", ENVS)
def test_every_reference_of_the_cache_resolves(stacks: dict[str, StackJson], env: str) -> None:
    stack = stacks[env]
    blocks = {"": stack["resource"], "data.": stack.get("data", {}), "ephemeral.": stack.get("ephemeral", {})}
    cache_bodies = [
        body
        for kind, by_name in stack["resource"].items()
        for name, body in by_name.items()
        if body.get("//", {}).get("metadata", {}).get("path", "").startswith(f"{env}/cache/")
    ]
    assert len(cache_bodies) >= 9
    found = 0
    for body in cache_bodies:
        for prefix, kind, name in _REFERENCE.findall(json.dumps(body)):
            found += 1
            assert name in blocks[prefix].get(kind, {}), f"dangling reference {prefix}{kind}.{name}"
    assert found >= 15


CACHE_CHECKS = ("CKV_AWS_29", "CKV_AWS_30", "CKV_AWS_31", "CKV_AWS_191", "CKV_STACKKIT_2", "CKV_STACKKIT_5")


@pytest.mark.parametrize("env", ENVS)
def test_checkov_passes_the_cache_checks(checkov_reports: dict[str, StackReport], env: str) -> None:
    report = checkov_reports[env]
    address = f"{GROUP}.stackkit_cache"
    passed = {f.check_id for f in report.passed if f.resource == address}
    skipped = {f.check_id for f in report.skipped if f.resource == address}
    # Checkov 3.3's CKV_AWS_31 knows auth_token but not the write-only auth_token_wo (CDK
    # Terrain): there it is a recorded skip, and the token's presence is asserted on the JSON.
    write_only = {"CKV_AWS_31"} if CAPABILITIES.write_only_auth_token else set()
    assert set(CACHE_CHECKS) - write_only <= passed
    assert write_only <= skipped
    assert not [f for f in report.failed if "cache" in f.resource]
    skipped -= write_only
    # Failover can only be skipped where there is a single node, never in prod.
    if env == "prod":
        assert "CKV2_AWS_50" in passed and skipped == set()
    else:
        assert skipped == {"CKV2_AWS_50"}
    assert ("aws_secretsmanager_secret.stackkit_cache_auth_token", "CKV_AWS_149") in {
        (f.resource, f.check_id) for f in report.passed
    }


# --- ad-hoc stacks ------------------------------------------------------------------------------


class Peer:
    """Something with its own security group that wants to reach the cache."""

    def __init__(self, scope: TerraformStack, network: Network) -> None:
        self.connections = Connections.with_new_security_group(
            scope, name="peer", vpc_id=network.vpc_id, description="a client", default_port=None
        )


def _network(scope: TerraformStack, name: str = "shop") -> Network:
    return Network(
        scope, f"{name}-net", NetworkProps(name=name, availability_zones=("us-east-1a", "us-east-1b"))
    )


@pytest.mark.parametrize("port", [6379, 6380])
def test_connections_yield_exactly_one_ingress_rule_on_the_cache_port(tmp_path: Path, port: int) -> None:
    def build(scope: TerraformStack) -> None:
        network = _network(scope)
        cache = Cache(scope, "cache", CacheProps(name="shop", network=network, port=port))
        assert cache.connections.default_port == cache.port == port
        cache.connections.allow_default_port_from(Peer(scope, network))

    stack = synth_stack(tmp_path, build)
    group = _group_of(stack, "shop_cache")
    (cache_sg,) = (ref(sg) for sg in group["security_group_ids"])
    (ingress,) = resources(stack, "aws_vpc_security_group_ingress_rule").values()
    assert ref(ingress["security_group_id"]) == cache_sg
    assert (ingress["ip_protocol"], ingress["from_port"], ingress["to_port"]) == ("tcp", port, port)
    peer_sg = ref(ingress["referenced_security_group_id"])
    assert peer_sg != cache_sg and peer_sg.startswith("aws_security_group.")
    (egress,) = resources(stack, "aws_vpc_security_group_egress_rule").values()
    assert (ref(egress["security_group_id"]), ref(egress["referenced_security_group_id"])) == (
        peer_sg,
        cache_sg,
    )
    assert group["port"] == port


def _group_of(stack: StackJson, name: str) -> dict[str, Any]:
    return resources(stack, GROUP)[name]


def _stateful_addresses(stack: StackJson) -> set[str]:
    return {
        f"{kind}.{name}"
        for kind in (GROUP, "aws_kms_key", "aws_elasticache_subnet_group", "aws_elasticache_parameter_group")
        for name in resources(stack, kind)
    }


def test_addresses_are_pinned_to_the_name_not_the_construct_tree(tmp_path: Path) -> None:
    def build_at(cache_id: str) -> Any:
        def build(scope: TerraformStack) -> None:
            Cache(scope, cache_id, CacheProps(name="shop", network=_network(scope)))

        return build

    here = synth_stack(tmp_path / "here", build_at("cache"))
    moved = synth_stack(tmp_path / "moved", build_at("somewhere-else"))
    assert (
        _stateful_addresses(here)
        == _stateful_addresses(moved)
        == {
            f"{GROUP}.shop_cache",
            "aws_kms_key.shop_cache_key",
            "aws_kms_key.shop_flow_logs_key",
            "aws_elasticache_subnet_group.shop_cache_subnets",
            "aws_elasticache_parameter_group.shop_cache_redis7_params",
        }
    )


def test_two_caches_coexist_and_overrides_reach_the_json(tmp_path: Path) -> None:
    def build(scope: TerraformStack) -> None:
        network = _network(scope)
        Cache(scope, "sessions", CacheProps(name="sessions", network=network))
        Cache(
            scope,
            "queue",
            CacheProps(
                name="queue",
                network=network,
                node_type="cache.r7g.large",
                node_count=3,
                engine_version="7.0",
                port=6380,
                snapshot_retention_days=35,
                auto_minor_version_upgrade=False,
                parameters={"maxmemory-policy": "noeviction"},
                auth_token_version=2,
                auth_token_update_strategy="SET",
            ),
        )

    stack = synth_stack(tmp_path, build)
    assert set(resources(stack, GROUP)) == {"sessions_cache", "queue_cache"}
    assert set(stack["ephemeral"]["aws_secretsmanager_random_password"]) == {
        "sessions_cache_auth_token",
        "queue_cache_auth_token",
    }
    queue = _group_of(stack, "queue_cache")
    assert (queue["node_type"], queue["num_cache_clusters"], queue["engine_version"]) == (
        "cache.r7g.large",
        3,
        "7.0",
    )
    assert (queue["port"], queue["snapshot_retention_limit"], queue["auto_minor_version_upgrade"]) == (
        6380,
        35,
        "false",
    )
    assert queue["preferred_cache_cluster_azs"] == ["us-east-1a", "us-east-1b", "us-east-1a"]
    assert queue["auth_token_update_strategy"] == "SET"
    params = resources(stack, "aws_elasticache_parameter_group")["queue_cache_redis7_params"]
    assert params["parameter"] == [{"name": "maxmemory-policy", "value": "noeviction"}]
    version = resources(stack, "aws_secretsmanager_secret_version")["queue_cache_auth_token_value"]
    assert version["secret_string_wo_version"] == 2
    assert "//" in _group_of(stack, "sessions_cache")  # the single-node skip is recorded...
    assert "CKV2_AWS_50" not in queue.get("//", {}).get("stackkit_checkov_skip", {})  # ...and only there
    if CAPABILITIES.write_only_auth_token:
        assert queue["auth_token_wo_version"] == 2


# --- bad input ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExistingNetwork:
    """A team's own network (NetworkLike), to validate props without synthesizing."""

    vpc_id: str = "vpc-123"
    isolated_subnet_ids: tuple[str, ...] = ("subnet-a", "subnet-b")
    availability_zones: tuple[str, ...] | None = ("eu-west-1a", "eu-west-1b")


def props(**changes: Any) -> CacheProps:
    return CacheProps(**{"name": "shop", "network": ExistingNetwork(), **changes})


def test_valid_props_keep_the_seed_defaults() -> None:
    cache = props()
    assert (cache.node_type, cache.node_count, cache.port, cache.engine_version) == (
        "cache.t3.micro",
        1,
        6379,
        "7.1",
    )
    assert cache.group_id == "shop-cache"
    assert props(production=True, node_count=2).node_count == 2
    assert props(network=ExistingNetwork(availability_zones=None), production=True, node_count=2).production


@pytest.mark.parametrize(
    ("changes", "field", "hint"),
    [
        ({"node_type": "t3.micro"}, "node_type", "cache"),
        ({"node_type": "cache.t3"}, "node_type", "cache"),
        ({"node_type": "cache.t3.micro.x"}, "node_type", "cache"),
        ({"node_count": 0}, "node_count", "greater than or equal to 1"),
        ({"node_count": 7}, "node_count", "less than or equal to 6"),
        ({"production": True}, "node_count", "production needs at least 2 nodes"),
        ({"production": True, "node_count": 1}, "node_count", "got 1"),
        ({"engine_version": "6.2"}, "engine_version", "7.0, 7.1"),
        ({"engine_version": "8.0"}, "engine_version", "7.0, 7.1"),
        ({"engine_version": "7"}, "engine_version", "7.0, 7.1"),
        ({"port": 80}, "port", "greater than or equal to 1024"),
        ({"port": 1023}, "port", "greater than or equal to 1024"),
        ({"port": 65536}, "port", "less than or equal to 65535"),
        ({"snapshot_retention_days": 0}, "snapshot_retention_days", "greater than or equal to 1"),
        ({"snapshot_retention_days": 36}, "snapshot_retention_days", "less than or equal to 35"),
        ({"snapshot_window": "3:00-4:00"}, "snapshot_window", "daily window hh:mm-hh:mm"),
        ({"snapshot_window": "03:00-03:30"}, "snapshot_window", "60 minutes"),
        ({"maintenance_window": "sunday:05:00-sunday:06:00"}, "maintenance_window", "weekly window"),
        ({"maintenance_window": "sun:05:00-sun:05:30"}, "maintenance_window", "60 minutes"),
        ({"maintenance_window": "mon:03:30-mon:04:30"}, "maintenance_window", "overlaps"),
        ({"replication_group_id": "Shop_Cache"}, "replication_group_id", "a-z"),
        ({"replication_group_id": "shop--cache"}, "replication_group_id", "single hyphens"),
        ({"replication_group_id": "x" * 41}, "replication_group_id", "1-40"),
        ({"name": "Shop"}, "name", "lowercase letters, digits and hyphens, 3-32 characters"),
        ({"log_retention_days": 0}, "log_retention_days", "CloudWatch Logs accepts"),
        ({"auth_token_version": 0}, "auth_token_version", "greater than or equal to 1"),
        ({"auth_token_update_strategy": "DELETE"}, "auth_token_update_strategy", "ROTATE"),
        ({"network": object()}, "network", "missing"),
        ({"network": ExistingNetwork(isolated_subnet_ids=())}, "network", "no isolated subnets"),
        (
            {
                "network": ExistingNetwork(availability_zones=("eu-west-1a",)),
                "production": True,
                "node_count": 2,
            },
            "network",
            "at least 2 AZs",
        ),
        ({"unknown": 1}, "unknown", "not permitted"),
    ],
)
def test_bad_props_are_rejected_naming_the_field(changes: dict[str, Any], field: str, hint: str) -> None:
    with pytest.raises(ValidationError) as caught:
        props(**changes)
    assert caught.value.fields == [field]
    assert re.search(re.escape(hint), str(caught.value))


@pytest.mark.parametrize(
    ("environment", "cache", "field", "hint"),
    [
        ("prod", {"node_count": 1}, "cache.node_count", "production needs at least 2 nodes"),
        ("dev", {"node_count": 7}, "cache.node_count", "less than or equal to 6"),
        ("dev", {"node_count": 0}, "cache.node_count", "greater than or equal to 1"),
        ("dev", {"node_type": "m5.large"}, "cache.node_type", "cache"),
        ("dev", {"port": 6380}, "cache.port", "not permitted"),
    ],
)
def test_bad_environment_cache_settings_fail_before_synthesis(
    environment: str, cache: dict[str, Any], field: str, hint: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        load_environment(environment, cache=cache)
    assert caught.value.fields == [field]
    assert hint in str(caught.value)


def test_environment_overrides_reach_the_props() -> None:
    dev = load_environment("dev", cache={"node_type": "cache.m7g.large", "node_count": 3})
    cache = dev.cache_props(ExistingNetwork())
    assert (cache.node_type, cache.node_count, cache.production, cache.name) == (
        "cache.m7g.large",
        3,
        False,
        "stackkit",
    )
    assert load_environment("prod").cache_props(ExistingNetwork()).production is True
