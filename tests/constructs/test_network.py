"""Network: tiers keyed by AZ, NAT per environment, isolation, flow logs, default SG."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stackkit import NatStrategy, Network, NetworkProps, ValidationError
from tests.conftest import StackJson, ref, resources
from tests.synth_helpers import synth_stack

TIERS = ("public", "private", "isolated")


@pytest.mark.parametrize(("env", "azs"), [("dev", "ab"), ("staging", "ab"), ("prod", "abc")])
def test_every_tier_has_one_subnet_per_az_keyed_by_az_name(
    stacks: dict[str, StackJson], env: str, azs: str
) -> None:
    subnets = resources(stacks[env], "aws_subnet")
    expected = {f"stackkit_{tier}_us_east_1{az}" for tier in TIERS for az in azs}
    assert set(subnets) == expected
    for name, body in subnets.items():
        assert name.endswith(body["availability_zone"].replace("-", "_"))
        assert body["map_public_ip_on_launch"] is False


@pytest.mark.parametrize(("env", "nat_count"), [("dev", 1), ("staging", 1), ("prod", 3)])
def test_nat_gateways_per_environment(stacks: dict[str, StackJson], env: str, nat_count: int) -> None:
    nats = resources(stacks[env], "aws_nat_gateway")
    assert len(nats) == nat_count
    public_subnets = {
        f"aws_subnet.{name}" for name in resources(stacks[env], "aws_subnet") if "_public_" in name
    }
    assert all(ref(nat["subnet_id"]) in public_subnets for nat in nats.values())


def _routes_by_table(stack: StackJson) -> dict[str, list[dict[str, Any]]]:
    routes: dict[str, list[dict[str, Any]]] = {}
    for route in resources(stack, "aws_route").values():
        routes.setdefault(ref(route["route_table_id"]), []).append(route)
    return routes


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_only_public_routes_to_igw_private_to_nat_isolated_nowhere(
    stacks: dict[str, StackJson], env: str
) -> None:
    stack = stacks[env]
    routes = _routes_by_table(stack)
    tables = resources(stack, "aws_route_table")
    for name, table in tables.items():
        assert "route" not in table  # no inline routes hide anywhere
        table_routes = routes.get(f"aws_route_table.{name}", [])
        if "isolated" in name:
            assert table_routes == []
        elif "private" in name:
            assert [r.keys() & {"gateway_id", "nat_gateway_id"} for r in table_routes] == [{"nat_gateway_id"}]
        else:
            assert [ref(r["gateway_id"]) for r in table_routes] == ["aws_internet_gateway.stackkit_igw"]
    for association in resources(stack, "aws_route_table_association").values():
        subnet, table = ref(association["subnet_id"]), ref(association["route_table_id"])
        tier = next(t for t in TIERS if f"_{t}_" in subnet)
        assert tier in table


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_flow_logs_go_to_an_encrypted_retained_protected_log_group(
    stacks: dict[str, StackJson], env: str
) -> None:
    stack = stacks[env]
    (flow_log,) = resources(stack, "aws_flow_log").values()
    assert flow_log["traffic_type"] == "ALL"
    assert ref(flow_log["vpc_id"]) == "aws_vpc.stackkit_vpc"
    group = resources(stack, "aws_cloudwatch_log_group")["stackkit_flow_logs"]
    assert ref(flow_log["log_destination"]) == "aws_cloudwatch_log_group.stackkit_flow_logs"
    assert group["retention_in_days"] >= 365
    assert group["lifecycle"] == {"prevent_destroy": True}
    key = resources(stack, "aws_kms_key")[ref(group["kms_key_id"]).split(".")[1]]
    assert key["enable_key_rotation"] is True
    (logs,) = [st for st in json.loads(key["policy"])["Statement"] if st["Sid"] == "CloudWatchLogsEncrypt"]
    assert logs["Principal"]["Service"][0].startswith("logs.")
    assert logs["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"].endswith(":log-group:*")
    assert key["lifecycle"] == {"prevent_destroy": True}


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_default_security_group_has_no_rules_and_s3_endpoint_serves_inner_tiers(
    stacks: dict[str, StackJson], env: str
) -> None:
    stack = stacks[env]
    (default_sg,) = resources(stack, "aws_default_security_group").values()
    assert "ingress" not in default_sg and "egress" not in default_sg
    (endpoint,) = resources(stack, "aws_vpc_endpoint").values()
    assert endpoint["vpc_endpoint_type"] == "Gateway"
    assert {ref(t).split(".")[1].split("_rt")[0] for t in endpoint["route_table_ids"]} == {
        "stackkit_private",
        "stackkit_isolated",
    }
    vpc = resources(stack, "aws_vpc")["stackkit_vpc"]
    assert (vpc["cidr_block"], vpc["enable_dns_hostnames"], vpc["tags"]["Name"]) == (
        "10.0.0.0/16",
        True,
        "stackkit-vpc",
    )


def _network_addresses(tmp_path: Path, azs: tuple[str, ...]) -> dict[str, str]:
    stack = synth_stack(
        tmp_path,
        lambda scope: Network(
            scope, "net", NetworkProps(name="shop", availability_zones=azs, nat=NatStrategy.PER_AZ)
        ),
    )
    found = {f"aws_subnet.{n}": b["cidr_block"] for n, b in resources(stack, "aws_subnet").items()}
    found |= {f"aws_nat_gateway.{n}": b["subnet_id"] for n, b in resources(stack, "aws_nat_gateway").items()}
    return found


def test_adding_an_az_keeps_every_existing_subnet_and_nat_gateway(tmp_path: Path) -> None:
    two = _network_addresses(tmp_path / "two", ("us-east-1a", "us-east-1b"))
    three = _network_addresses(tmp_path / "three", ("us-east-1a", "us-east-1b", "us-east-1c"))
    assert len(two) == 6 + 2 and len(three) == 9 + 3
    assert {address: three[address] for address in two} == two


def test_network_props_reject_duplicate_azs_and_single_az() -> None:
    with pytest.raises(ValidationError, match="duplicates"):
        NetworkProps(name="shop", availability_zones=("eu-west-1a", "eu-west-1a"))
    with pytest.raises(ValidationError) as caught:
        NetworkProps(name="shop", availability_zones=("eu-west-1a",))
    assert caught.value.fields == ["availability_zones"]


def test_network_props_take_a_valid_subnet_cidrs_override_as_given() -> None:
    """/26 blocks of 10.20.0.0/24 chosen by hand (none overlapping), not the default layout."""
    given = {
        "public": {"eu-west-1a": "10.20.0.0/26", "eu-west-1b": "10.20.0.64/26"},
        "private": {"eu-west-1a": "10.20.0.128/27", "eu-west-1b": "10.20.0.160/27"},
        "isolated": {"eu-west-1a": "10.20.0.192/28", "eu-west-1b": "10.20.0.208/28"},
    }
    props = NetworkProps(
        name="shop", cidr="10.20.0.0/24", availability_zones=("eu-west-1a", "eu-west-1b"), subnet_cidrs=given
    )
    assert {tier.value: by_az for tier, by_az in props.subnet_plan().items()} == given


def test_duplicate_availability_zones_are_refused_naming_the_field() -> None:
    """Found by the property tests: the message named no field (``(model)``)."""
    with pytest.raises(ValidationError) as caught:
        NetworkProps(name="shop", availability_zones=("us-east-1a", "us-east-1a"))
    assert caught.value.fields == ["availability_zones"]
