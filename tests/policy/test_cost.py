"""`stackkit cost` and the cost side of `stackkit diff`: figures worked by hand from the price
table (prices.json), on this repository's environments (tests/golden, the synthesized JSON) and
on small hand-written stacks."""

from __future__ import annotations

import copy
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from stackkit._private.regions import AVAILABILITY_ZONES
from stackkit.cli import main
from stackkit.policy.cost import CostItem, StackCost, Unpriced, cost_document, estimate, stack_cost
from stackkit.policy.cost_delta import cost_deltas, delta_markdown, over_limit, render_limit
from stackkit.policy.prices import load_prices

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
SERVICE = "aws_ecs_service.stackkit_api_service"


def golden(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((GOLDEN / f"{name}.json").read_text())
    return loaded


def monthly(cost: StackCost, address: str) -> Decimal:
    item = cost.item(address)
    assert item is not None, f"{address} is not priced: {cost.unpriced}"
    return item.monthly


def one_stack(resources: dict[str, dict[str, Any]], region: str = "us-east-1") -> dict[str, Any]:
    return {"provider": {"aws": [{"region": region}]}, "resource": resources}


def test_two_environments_fixed_items_worked_by_hand_to_the_cent() -> None:
    """us-east-1 prices of the table, 730 h: NAT $0.045/h, ALB $0.0225/h, db.t3.medium
    Multi-AZ $0.144/h + gp3 Multi-AZ $0.23/GB-month, cache.t3.micro $0.017/h, Fargate x86
    $0.04048/vCPU-h + $0.004445/GB-h."""
    dev, prod = stack_cost("dev", golden("dev")), stack_cost("prod", golden("prod"))
    # NAT: 0.045 x 730 = 32.85 per gateway; dev has one, prod one per AZ (three).
    assert monthly(dev, "aws_nat_gateway.stackkit_nat_us_east_1a") == Decimal("32.85")
    prod_nat = [item.monthly for item in prod.items if item.address.startswith("aws_nat_gateway.")]
    assert prod_nat == [Decimal("32.85")] * 3
    # ALB: 0.0225 x 730 = 16.425 -> 16.43.
    assert monthly(dev, "aws_lb.stackkit_api_alb") == Decimal("16.43")
    assert monthly(prod, "aws_lb.stackkit_api_alb") == Decimal("16.43")
    # RDS: 0.144 x 730 = 105.12, plus 20 GB x 0.23 = 4.60 -> 109.72 (both environments Multi-AZ).
    assert monthly(dev, "aws_db_instance.stackkit_db") == Decimal("109.72")
    assert monthly(prod, "aws_db_instance.stackkit_db") == Decimal("109.72")
    # Cache: 0.017 x 730 = 12.41 per node; dev one node, prod two.
    assert monthly(dev, "aws_elasticache_replication_group.stackkit_cache") == Decimal("12.41")
    assert monthly(prod, "aws_elasticache_replication_group.stackkit_cache") == Decimal("24.82")
    # Fargate: 3 tasks x 730 h x (0.5 x 0.04048 + 1 x 0.004445) = 54.06015 -> 54.06.
    assert monthly(dev, SERVICE) == Decimal("54.06")
    assert monthly(prod, SERVICE) == Decimal("54.06")
    # The stack total is the sum of its items.
    assert dev.monthly == sum(item.monthly for item in dev.items)


def test_prod_costs_more_than_dev() -> None:
    dev, prod = stack_cost("dev", golden("dev")), stack_cost("prod", golden("prod"))
    # Two more NAT gateways (65.70), a second cache node (12.41), eight more alarms (0.80).
    assert prod.monthly - dev.monthly == Decimal("78.71")


def test_doubling_the_task_count_adds_exactly_that_services_fargate_cost() -> None:
    base = golden("dev")
    doubled = copy.deepcopy(base)
    doubled["resource"]["aws_ecs_service"]["stackkit_api_service"]["desired_count"] = 6
    doubled["resource"]["aws_appautoscaling_target"]["stackkit_api_scaling_target"]["min_capacity"] = 6
    before, after = stack_cost("dev", base), stack_cost("dev", doubled)
    assert after.monthly - before.monthly == monthly(before, SERVICE) == Decimal("54.06")
    assert monthly(after, SERVICE) == Decimal("108.12")


def test_the_task_count_is_desired_count_raised_to_the_autoscaling_minimum() -> None:
    stack = golden("dev")
    stack["resource"]["aws_ecs_service"]["stackkit_api_service"]["desired_count"] = 1
    # The scalable target keeps at least min_capacity (3) tasks running.
    assert monthly(stack_cost("dev", stack), SERVICE) == Decimal("54.06")
    del stack["resource"]["aws_appautoscaling_target"]
    # Without autoscaling, desired_count alone: 1 x 730 x 0.024685 = 18.02005 -> 18.02.
    assert monthly(stack_cost("dev", stack), SERVICE) == Decimal("18.02")


def test_a_count_autoscaling_owns_is_its_minimum_whatever_desired_count_says() -> None:
    """dev's service ignores desired_count (lifecycle.ignore_changes) and scales 3..20: Terraform
    sets desired_count only at creation, autoscaling keeps the count within its range, so the
    fixed part is 3 tasks x 730 h x (0.5 x 0.04048 + 1 x 0.004445) = 54.06015 -> 54.06."""
    stack = golden("dev")
    service = stack["resource"]["aws_ecs_service"]["stackkit_api_service"]
    assert service["lifecycle"] == {"ignore_changes": ["desired_count"]}
    service["desired_count"] = 6  # a change Terraform ignores: no task more
    item = stack_cost("dev", stack).item(SERVICE)
    assert item == CostItem(
        SERVICE,
        Decimal("54.06"),
        "3 tasks x (0.5 vCPU + 1 GB X86_64) x 730 h, autoscaling 3..20 (desired_count ignored); "
        "usage-based, not counted: tasks above the minimum",
    )
    # Not ignored: every apply sets desired_count, kept within 3..20. 6 x 18.02005 = 108.1203.
    del service["lifecycle"]
    assert monthly(stack_cost("dev", stack), SERVICE) == Decimal("108.12")
    # Above the maximum: 20 tasks. 20 x 18.02005 = 360.401 -> 360.40.
    service["desired_count"] = 30
    assert monthly(stack_cost("dev", stack), SERVICE) == Decimal("360.40")
    # Ignored without a scalable target: the count it is created with, and a note.
    service["lifecycle"] = {"ignore_changes": "all"}
    service["desired_count"] = 2
    del stack["resource"]["aws_appautoscaling_target"]
    item = stack_cost("dev", stack).item(SERVICE)
    assert item is not None and item.monthly == Decimal("36.04")  # 2 x 18.02005 = 36.0401
    assert item.quantity == (
        "2 tasks x (0.5 vCPU + 1 GB X86_64) x 730 h (desired_count, set at creation only); "
        "usage-based, not counted: a count changed outside Terraform"
    )


def test_count_and_for_each_multiply_a_resource_or_leave_it_unpriced() -> None:
    cost = stack_cost(
        "s",
        one_stack(
            {
                "aws_nat_gateway": {
                    "three": {"count": 3},
                    "none": {"count": 0},
                    "some": {"count": "${length(var.zones)}"},
                },
                "aws_kms_key": {
                    "keys": {"for_each": {"a": "x", "b": "y"}},
                    "set": {"for_each": "${toset(var.names)}"},
                },
                "aws_route53_record": {"r": {"for_each": "${toset(var.names)}"}},  # free: not listed
            }
        ),
    )
    # 3 x 0.045 x 730 = 98.55; 2 keys x $1.00.
    assert cost.items == (
        CostItem("aws_kms_key.keys", Decimal("2.00"), "for_each 2 x (1 key)"),
        CostItem(
            "aws_nat_gateway.three",
            Decimal("98.55"),
            "count 3 x (730 h); usage-based, not counted: data processed",
        ),
    )
    assert cost.unpriced == (
        Unpriced(
            "aws_kms_key.set", "unpriced", "for_each is not a literal, so the number of objects is unknown"
        ),
        Unpriced(
            "aws_nat_gateway.some", "unpriced", "count is not a literal, so the number of objects is unknown"
        ),
    )


def test_ephemeral_storage_above_the_included_20_gib_is_unpriced_not_0() -> None:
    stack = fargate_stack("us-east-1", "X86_64")
    stack["resource"]["aws_ecs_task_definition"]["t"]["ephemeral_storage"] = {"size_in_gib": 20}
    assert stack_cost("s", stack).unpriced == ()
    stack["resource"]["aws_ecs_task_definition"]["t"]["ephemeral_storage"] = [{"size_in_gib": 50}]
    cost = stack_cost("s", stack)
    assert monthly(cost, "aws_ecs_service.s") == Decimal("18.02")  # vCPU and memory still counted
    assert cost.unpriced == (
        Unpriced(
            "aws_ecs_service.s",
            "unpriced",
            "ephemeral storage above the 20 GiB included (50 GiB per task) is not in the price table",
        ),
    )


TASK = {"cpu": "512", "memory": "1024", "requires_compatibilities": ["FARGATE"]}


def fargate_stack(region: str, arch: str) -> dict[str, Any]:
    task = {**TASK, "runtime_platform": {"cpu_architecture": arch, "operating_system_family": "LINUX"}}
    service = {
        "launch_type": "FARGATE",
        "desired_count": 1,
        "task_definition": "${aws_ecs_task_definition.t.arn}",
    }
    return one_stack({"aws_ecs_task_definition": {"t": task}, "aws_ecs_service": {"s": service}}, region)


def test_fargate_reads_the_task_definitions_cpu_architecture() -> None:
    # ARM, us-east-1: 730 x (0.5 x 0.03238 + 1 x 0.00356) = 14.4175 -> 14.42; x86: 18.02.
    service = "aws_ecs_service.s"
    assert monthly(stack_cost("s", fargate_stack("us-east-1", "ARM64")), service) == Decimal("14.42")
    assert monthly(stack_cost("s", fargate_stack("us-east-1", "X86_64")), service) == Decimal("18.02")
    # eu-west-2 x86 (0.04656, 0.00511): 730 x (0.02328 + 0.00511) = 20.7247 -> 20.72.
    assert monthly(stack_cost("s", fargate_stack("eu-west-2", "X86_64")), service) == Decimal("20.72")
    # The table has no ARM rate for eu-west-2: listed, not 0.
    arm = stack_cost("s", fargate_stack("eu-west-2", "ARM64"))
    assert arm.items == ()
    assert arm.unpriced == (
        Unpriced(service, "unpriced", "Fargate ARM64 vCPU-hours in eu-west-2: no price in the table"),
        Unpriced(service, "unpriced", "Fargate ARM64 GB-hours in eu-west-2: no price in the table"),
    )


DB = {
    "engine": "postgres",
    "instance_class": "db.t3.medium",
    "allocated_storage": 20,
    "storage_type": "gp3",
    "multi_az": False,
}


def test_single_az_postgres_and_an_unknown_class() -> None:
    # 0.072 x 730 = 52.56 plus 20 GB x 0.115 = 2.30 -> 54.86.
    cost = stack_cost("s", one_stack({"aws_db_instance": {"db": DB}}))
    assert monthly(cost, "aws_db_instance.db") == Decimal("54.86")
    assert cost.item("aws_db_instance.db") == CostItem(
        "aws_db_instance.db", Decimal("54.86"), "db.t3.medium Single-AZ x 730 h; 20 GB gp3 Single-AZ"
    )
    unknown = stack_cost("s", one_stack({"aws_db_instance": {"db": {**DB, "instance_class": "db.x9.huge"}}}))
    # The storage is still priced; the unknown class is listed, never counted as 0.
    assert monthly(unknown, "aws_db_instance.db") == Decimal("2.30")
    assert unknown.unpriced == (
        Unpriced(
            "aws_db_instance.db", "unpriced", "db.x9.huge Single-AZ in us-east-1: no price in the table"
        ),
    )
    assert cost_document({"s": unknown})["stacks"]["s"]["unpriced"] == ["aws_db_instance.db"]


def test_other_engines_io1_storage_and_unknown_regions_are_unpriced() -> None:
    mysql = stack_cost("s", one_stack({"aws_db_instance": {"db": {**DB, "engine": "mysql"}}}))
    assert mysql.items == () and "PostgreSQL only" in mysql.unpriced[0].reason
    io1 = stack_cost("s", one_stack({"aws_db_instance": {"db": {**DB, "storage_type": "io1", "iops": 3000}}}))
    assert monthly(io1, "aws_db_instance.db") == Decimal("52.56")  # the instance hours only
    assert [m.reason for m in io1.unpriced] == [
        "io1 storage Single-AZ in us-east-1: no price in the table",
        "provisioned IOPS (3000 on io1) are not in the price table",
    ]
    token = stack_cost("s", one_stack({"aws_nat_gateway": {"n": {}}}, region="${var.region}"))
    assert token.region is None and token.items == ()
    assert "names no literal region" in token.unpriced[0].reason


def test_usage_based_and_types_without_a_rule() -> None:
    cost = stack_cost(
        "s",
        one_stack(
            {
                "aws_backup_vault": {"v": {"name": "vault"}},
                "aws_iam_role": {"r": {}},
                "aws_neptune_cluster": {"g": {}},
            }
        ),
    )
    assert cost.items == ()
    assert cost.unpriced == (
        Unpriced("aws_backup_vault.v", "usage-based", "backup storage (recovery points) and restores"),
        Unpriced("aws_neptune_cluster.g", "unpriced", "stackkit has no cost rule for aws_neptune_cluster"),
    )


def test_interface_endpoints_secrets_replicas_and_paid_rule_groups() -> None:
    paid = {
        "name": "bots",
        "statement": {
            "managed_rule_group_statement": {"name": "AWSManagedRulesBotControlRuleSet", "vendor_name": "AWS"}
        },
    }
    free = {
        "name": "common",
        "statement": {"managed_rule_group_statement": {"name": "X", "vendor_name": "AWS"}},
    }
    cost = stack_cost(
        "s",
        one_stack(
            {
                "aws_vpc_endpoint": {
                    "ecr": {"vpc_endpoint_type": "Interface", "subnet_ids": ["subnet-a", "subnet-b"]},
                    "s3": {"vpc_endpoint_type": "Gateway"},
                },
                "aws_secretsmanager_secret": {"s": {"replica": [{"region": "us-east-1"}]}},
                "aws_wafv2_web_acl": {"w": {"rule": [paid, free]}},
            }
        ),
    )
    # 2 AZ x 0.01 x 730 = 14.60; the gateway endpoint is free and not listed.
    assert monthly(cost, "aws_vpc_endpoint.ecr") == Decimal("14.60")
    assert cost.item("aws_vpc_endpoint.s3") is None
    assert monthly(cost, "aws_secretsmanager_secret.s") == Decimal("0.80")  # secret + replica
    assert monthly(cost, "aws_wafv2_web_acl.w") == Decimal("7.00")  # 5 + 2 rules x 1
    assert [m.address for m in cost.unpriced] == ["aws_wafv2_web_acl.w"]
    assert "AWSManagedRulesBotControlRuleSet" in cost.unpriced[0].reason


def test_json_document_has_exactly_the_documented_shape() -> None:
    document = cost_document(estimate({"dev": golden("dev")}))
    assert set(document) == {"price_date", "currency", "stacks"}
    assert document["price_date"] == "2026-12-06" and document["currency"] == "USD"
    dev = document["stacks"]["dev"]
    assert set(dev) == {"monthly", "items", "unpriced"}
    assert dev["monthly"] == 248.87
    assert {key for item in dev["items"] for key in item} == {"address", "monthly", "quantity"}
    assert "aws_backup_vault.stackkit_backup_vault" in dev["unpriced"]
    assert "aws_eip.stackkit_nat_eip_us_east_1a" in dev["unpriced"]


def test_the_price_table_covers_every_region_and_names_every_source() -> None:
    table = load_prices()
    assert table.hours_per_month == 730
    for kind in table.kinds:
        assert set(table.regions(kind)) == set(AVAILABILITY_ZONES), kind
        for entries in table.regions(kind).values():
            for entry in entries if isinstance(entries, list) else [entries] if entries else []:
                source = table.sources[entry["source"]]
                assert source.page.startswith("https://aws.amazon.com/"), source
                assert source.read == "2026-12-06"
                assert source.basis in ("aws-page", "price-list", "transcription", "derived"), source
    # Multi-AZ is billed for primary and standby: exactly twice single-AZ, class by class.
    for single_kind, multi_kind in (
        ("rds_postgres_single_az_hour", "rds_postgres_multi_az_hour"),
        ("rds_storage_single_az_gb_month", "rds_storage_multi_az_gb_month"),
    ):
        for region in AVAILABILITY_ZONES:
            assert table.keys(single_kind, region) == table.keys(multi_kind, region)
            for key in table.keys(single_kind, region):
                single, multi = table.price(single_kind, region, key), table.price(multi_kind, region, key)
                assert single is not None and multi is not None and multi.usd == 2 * single.usd


def test_price_list_figures_name_their_commit_and_derived_ones_their_rule() -> None:
    """A ``price-list`` figure was copied from a table generated from AWS's Price List offer files
    and committed to a repository: its copy names the commit and the date. A ``derived`` figure
    was read nowhere: Multi-AZ is twice the Single-AZ figure of the Price List table."""
    table = load_prices()
    for source in table.sources.values():
        if source.basis == "price-list":
            assert source.seen_in is not None and re.search(r"/blob/[0-9a-f]{40}/", source.seen_in), source
        if source.basis in ("price-list", "transcription", "aws-page"):
            assert source.seen_in, source  # read somewhere: no figure rests on memory alone
    assert {s.id for s in table.sources.values() if s.basis == "derived"} == {"rds-multi-az-derived"}
    for region in AVAILABILITY_ZONES:
        for entry in table.regions("rds_postgres_multi_az_hour")[region] or []:
            if entry["source"] == "rds-multi-az-derived":
                singles = table.regions("rds_postgres_single_az_hour")[region]
                (single,) = [e for e in singles if e["source"] == "rds-price-list"]
                assert entry["usd"] == {key: 2 * usd for key, usd in single["usd"].items()}, region
    # Two Price List figures, as the files give them: db.t3.medium in eu-west-1 ($0.078) and
    # cache.t3.micro in sa-east-1 ($0.032).
    eu_db = table.price("rds_postgres_single_az_hour", "eu-west-1", "db.t3.medium")
    sa_cache = table.price("elasticache_node_hour", "sa-east-1", "cache.t3.micro")
    assert eu_db is not None and (eu_db.usd, eu_db.source.basis) == (Decimal("0.078"), "price-list")
    assert sa_cache is not None
    assert (sa_cache.usd, sa_cache.source.id) == (Decimal("0.032"), "elasticache-price-list")


def test_coverage_per_price_regions_with_a_figure() -> None:
    """How many of the 19 regions have a figure (docs/gate/cost.md, "Coverage"): a figure that goes
    missing from the table fails here."""
    table = load_prices()

    def regions(kind: str, key: str | None = None) -> int:
        return sum(table.price(kind, region, key) is not None for region in AVAILABILITY_ZONES)

    assert regions("nat_gateway_hour") == 3  # us-east-1, us-east-2, ap-southeast-1
    assert regions("alb_hour") == 1
    assert regions("rds_postgres_single_az_hour", "db.t3.medium") == 19
    assert regions("rds_postgres_multi_az_hour", "db.t3.micro") == 19
    assert regions("rds_postgres_single_az_hour", "db.t4g.micro") == 1
    assert regions("rds_postgres_single_az_hour", "db.m6g.large") == 15
    assert regions("rds_storage_multi_az_gb_month", "gp3") == 1
    assert regions("elasticache_node_hour", "cache.t3.micro") == 19
    assert regions("elasticache_node_hour", "cache.t4g.micro") == 17  # not ap-northeast-3, af-south-1
    assert regions("elasticache_node_hour", "cache.r7g.large") == 15
    assert regions("fargate_vcpu_hour", "X86_64") == regions("fargate_gb_hour", "X86_64") == 18
    assert regions("fargate_vcpu_hour", "ARM64") == regions("fargate_gb_hour", "ARM64") == 3
    for kind in ("kms_key_month", "secret_month", "cloudwatch_dashboard_month", "waf_web_acl_month"):
        assert regions(kind) == 1, kind
    # Classes and node types priced, summed over the regions.
    assert sum(len(table.keys("elasticache_node_hour", region)) for region in AVAILABILITY_ZONES) == 1042
    assert sum(len(table.keys("rds_postgres_single_az_hour", region)) for region in AVAILABILITY_ZONES) == 631


def cache_group(node_type: str, nodes: int) -> dict[str, Any]:
    return {"aws_elasticache_replication_group": {"c": {"node_type": node_type, "num_cache_clusters": nodes}}}


def test_regional_figures_worked_by_hand() -> None:
    """Figures of prices.json outside us-east-1, 730 h a month."""
    eu_west_1 = stack_cost(
        "s",
        one_stack(
            {
                "aws_db_instance": {"multi": {**DB, "multi_az": True}, "single": DB},
                "aws_nat_gateway": {"n": {}},
                **cache_group("cache.t3.micro", 2),
            },
            region="eu-west-1",
        ),
    )
    # db.t3.medium: Single-AZ $0.078 x 730 = 56.94; Multi-AZ 2 x 0.078 = 0.156 x 730 = 113.88.
    # gp3 storage has no eu-west-1 figure: listed, the instance hours still counted.
    assert monthly(eu_west_1, "aws_db_instance.single") == Decimal("56.94")
    assert monthly(eu_west_1, "aws_db_instance.multi") == Decimal("113.88")
    # cache.t3.micro $0.018 x 2 nodes x 730 = 26.28.
    assert monthly(eu_west_1, "aws_elasticache_replication_group.c") == Decimal("26.28")
    assert [(m.address, m.reason) for m in eu_west_1.unpriced] == [
        ("aws_db_instance.multi", "gp3 storage Multi-AZ in eu-west-1: no price in the table"),
        ("aws_db_instance.single", "gp3 storage Single-AZ in eu-west-1: no price in the table"),
        ("aws_nat_gateway.n", "NAT gateway hours in eu-west-1: no price in the table"),
    ]
    # NAT in ap-southeast-1: $0.059 x 730 = 43.07.
    singapore = stack_cost("s", one_stack({"aws_nat_gateway": {"n": {}}}, region="ap-southeast-1"))
    assert monthly(singapore, "aws_nat_gateway.n") == Decimal("43.07")
    # af-south-1: cache.t3.micro $0.021 x 730 = 15.33; cache.t4g.micro has no figure there.
    cape_town = stack_cost("s", one_stack(cache_group("cache.t3.micro", 1), region="af-south-1"))
    assert monthly(cape_town, "aws_elasticache_replication_group.c") == Decimal("15.33")
    t4g = stack_cost("s", one_stack(cache_group("cache.t4g.micro", 1), region="af-south-1"))
    assert t4g.items == ()
    assert t4g.unpriced[0].reason == "cache.t4g.micro nodes in af-south-1: no price in the table"
    # ap-northeast-3 db.t3.medium Single-AZ $0.112 x 730 = 81.76 (storage unpriced there).
    osaka = stack_cost("s", one_stack({"aws_db_instance": {"db": DB}}, region="ap-northeast-3"))
    assert monthly(osaka, "aws_db_instance.db") == Decimal("81.76")


def test_fargate_arm_outside_us_east_1() -> None:
    service = "aws_ecs_service.s"
    # sa-east-1 ARM: 730 x (0.5 x 0.0557 + 1 x 0.00612) = 730 x 0.03397 = 24.7981 -> 24.80.
    assert monthly(stack_cost("s", fargate_stack("sa-east-1", "ARM64")), service) == Decimal("24.80")
    # ap-southeast-2 ARM: 730 x (0.5 x 0.03885 + 1 x 0.00426) = 730 x 0.023685 = 17.29005 -> 17.29.
    assert monthly(stack_cost("s", fargate_stack("ap-southeast-2", "ARM64")), service) == Decimal("17.29")
    # ap-southeast-2 x86 still from its own source: 730 x (0.02428 + 0.00532) = 21.608 -> 21.61.
    assert monthly(stack_cost("s", fargate_stack("ap-southeast-2", "X86_64")), service) == Decimal("21.61")


def test_the_docs_name_every_source_of_the_table() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "gate" / "cost.md").read_text()
    for source in load_prices().sources.values():
        assert source.page in page, source.id
        assert source.seen_in is None or source.seen_in in page, source.id


def test_cost_deltas_the_limit_and_the_summary_table() -> None:
    base = estimate({"dev": golden("dev"), "prod": golden("prod")})
    doubled = golden("dev")
    doubled["resource"]["aws_ecs_service"]["stackkit_api_service"]["desired_count"] = 6
    doubled["resource"]["aws_appautoscaling_target"]["stackkit_api_scaling_target"]["min_capacity"] = 6
    head = estimate({"dev": doubled, "prod": golden("prod")})
    deltas = cost_deltas(base, head)
    assert [(d.stack, d.before, d.after, d.delta) for d in deltas] == [
        ("dev", Decimal("248.87"), Decimal("302.93"), Decimal("54.06")),
        ("prod", Decimal("327.58"), Decimal("327.58"), Decimal("0.00")),
    ]
    (change,) = deltas[0].changed
    assert (change.address, change.before, change.after) == (SERVICE, Decimal("54.06"), Decimal("108.12"))
    assert [d.stack for d in over_limit(deltas, Decimal("54"))] == ["dev"]
    assert over_limit(deltas, Decimal("54.06")) == []  # "exceeds": equal is within the limit
    report = render_limit(deltas, Decimal("50"))
    assert "COST OVER LIMIT dev: +$54.06/month (limit $50.00)" in report
    assert f"   ~ {SERVICE}: $54.06 -> $108.12 (+$54.06)" in report
    assert delta_markdown(deltas).splitlines() == [
        "| Stack | Monthly before | Monthly after | Delta | Changed items |",
        "| --- | ---: | ---: | ---: | --- |",
        f"| dev | $248.87 | $302.93 | +$54.06 | `{SERVICE}` $54.06 → $108.12 |",
    ]
    assert delta_markdown(cost_deltas(base, base)) == ""
    # A stack that appears: before is None.
    (new,) = cost_deltas({}, {"dev": base["dev"]})
    assert (new.before, new.after, new.delta) == (None, Decimal("248.87"), Decimal("248.87"))


def write_outputs(root: Path, stacks: dict[str, dict[str, Any]]) -> Path:
    for name, body in stacks.items():
        (root / "stacks" / name).mkdir(parents=True)
        (root / "stacks" / name / "cdk.tf.json").write_text(json.dumps(body))
    return root


def test_diff_max_monthly_increase_fails_over_the_limit_and_passes_under_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doubled = golden("dev")
    doubled["resource"]["aws_ecs_service"]["stackkit_api_service"]["desired_count"] = 6
    doubled["resource"]["aws_appautoscaling_target"]["stackkit_api_scaling_target"]["min_capacity"] = 6
    base = write_outputs(tmp_path / "base", {"dev": golden("dev")})
    head = write_outputs(tmp_path / "head", {"dev": doubled})
    assert main(["diff", str(base), str(head), "--max-monthly-increase", "50"]) == 1
    out = capsys.readouterr().out
    assert "COST OVER LIMIT dev: +$54.06/month (limit $50.00)" in out
    assert f"~ {SERVICE}: $54.06 -> $108.12 (+$54.06)" in out
    assert main(["diff", str(base), str(head), "--max-monthly-increase", "60"]) == 0
    assert "No stack's monthly cost rises by more than $60.00." in capsys.readouterr().out
    assert main(["diff", str(base), str(head)]) == 0  # no limit: cost is not checked
    assert "Monthly cost" not in capsys.readouterr().out
    for bad in ("-5", "abc", "nan", "inf", "", "$5", "1,000"):
        with pytest.raises(SystemExit):
            main(["diff", str(base), str(head), "--max-monthly-increase", bad])
        assert f"--max-monthly-increase: expected a dollar amount such as 50 or 12.50, got {bad!r}" in (
            capsys.readouterr().err
        )
    assert main(["diff", str(base), str(head), "--max-monthly-increase", "-0"]) == 1
    assert "COST OVER LIMIT dev: +$54.06/month (limit $0.00)" in capsys.readouterr().out


def test_cost_command_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = write_outputs(tmp_path / "out", {"dev": golden("dev"), "prod": golden("prod")})
    assert main(["cost", "--from", str(out), "--env", "prod", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert list(document["stacks"]) == ["prod"] and document["stacks"]["prod"]["monthly"] == 327.58
    assert main(["cost", "--from", str(out)]) == 0
    text = capsys.readouterr().out
    assert "== dev (us-east-1): $248.87 per month" in text
    assert "== prod (us-east-1): $327.58 per month" in text
    assert "not counted, unpriced: key in us-west-2: no price in the table" in text
    assert main(["cost", "--from", str(out), "--env", "qa"]) == 2
    assert "no stack named qa" in capsys.readouterr().err


def test_cost_of_this_repositorys_environments_as_synthesized(
    outdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The environments synthesized by this session (not the golden copies)."""
    assert main(["cost", "--from", str(outdir), "--format", "json"]) == 0
    stacks = json.loads(capsys.readouterr().out)["stacks"]
    assert {name: stacks[name]["monthly"] for name in ("dev", "staging", "prod")} == {
        "dev": 248.87,
        "staging": 248.87,
        "prod": 327.58,
    }
