"""The examples in ``examples/`` synthesize, pass Checkov and wire what they claim to wire."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from stackkit._private.cdk import App
from stackkit.policy.checkov import StackReport, run_checkov
from tests.conftest import StackJson, ref, resources

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NAMES = (
    "existing_vpc_database_and_service",
    "network_and_cache",
    "two_services_one_database",
    "restore_database_and_cache",
)
#: Passed checks per example stack today, less a margin: a floor that notices a scan that ran
#: on (next to) nothing.
MIN_PASSED = {"orders": 180, "sessions": 80, "shop": 350, "restore": 200}


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Each example's ``main([script, outdir])``, all stacks gathered in one folder."""
    gathered = tmp_path_factory.mktemp("examples") / "stacks"
    for name in NAMES:
        outdir = tmp_path_factory.mktemp(name)
        load(name).main([f"{name}.py", str(outdir)])
        for stack in (outdir / "stacks").iterdir():
            shutil.copytree(stack, gathered / stack.name)
    return gathered


@pytest.fixture(scope="module")
def example_stacks(synthesized: Path) -> dict[str, StackJson]:
    return {path.parent.name: json.loads(path.read_text()) for path in synthesized.glob("*/cdk.tf.json")}


@pytest.fixture(scope="module")
def example_reports(synthesized: Path) -> dict[str, StackReport]:
    return run_checkov(synthesized)


def test_every_example_has_a_build_function_and_a_stack(tmp_path: Path) -> None:
    for name in NAMES:
        module = load(name)
        app = App(outdir=str(tmp_path))  # never synthesized
        stack = module.build(app)
        assert stack.node.id == module.STACK


def test_examples_pass_checkov(
    example_stacks: dict[str, StackJson], example_reports: dict[str, StackReport]
) -> None:
    assert sorted(example_reports) == sorted(MIN_PASSED) == sorted(example_stacks)
    for stack, report in example_reports.items():
        failed = [f"{f.check_id} {f.resource}: {f.check_name}" for f in report.failed]
        assert failed == [], f"{stack}: {failed}"
        assert len(report.passed) >= MIN_PASSED[stack], stack


def ingress_into(stack: StackJson, group_address: str) -> list[dict[str, Any]]:
    return [
        rule
        for rule in resources(stack, "aws_vpc_security_group_ingress_rule").values()
        if ref(rule["security_group_id"]) == group_address
    ]


def group_of(stack: StackJson, resource_type: str, attribute: str = "vpc_security_group_ids") -> str:
    (body,) = resources(stack, resource_type).values()
    value = body[attribute] if attribute != "network_configuration" else body[attribute]["security_groups"]
    (group,) = value
    return ref(group)


def test_existing_vpc_example_creates_no_network_and_uses_the_given_ids(
    example_stacks: dict[str, StackJson],
) -> None:
    network = load(NAMES[0]).NETWORK
    stack = example_stacks["orders"]
    for kind in ("aws_vpc", "aws_subnet", "aws_nat_gateway", "aws_internet_gateway", "aws_route_table"):
        assert resources(stack, kind) == {}, kind
    (subnet_group,) = resources(stack, "aws_db_subnet_group").values()
    assert subnet_group["subnet_ids"] == list(network.isolated_subnet_ids)
    (service,) = resources(stack, "aws_ecs_service").values()
    assert service["network_configuration"]["subnets"] == list(network.private_subnet_ids)
    assert {group["vpc_id"] for group in resources(stack, "aws_security_group").values()} == {network.vpc_id}
    # The service reaches the database: one ingress rule from the tasks' group.
    database_group = group_of(stack, "aws_db_instance")
    (rule,) = ingress_into(stack, database_group)
    assert ref(rule["referenced_security_group_id"]) == group_of(
        stack, "aws_ecs_service", "network_configuration"
    )
    assert rule["from_port"] == rule["to_port"] == 5432


def test_network_and_cache_example_has_only_those(example_stacks: dict[str, StackJson]) -> None:
    stack = example_stacks["sessions"]
    assert len(resources(stack, "aws_vpc")) == 1
    (cache,) = resources(stack, "aws_elasticache_replication_group").values()
    assert cache["num_cache_clusters"] == 2 and cache["automatic_failover_enabled"] is True
    assert cache["preferred_cache_cluster_azs"] == ["us-east-2a", "us-east-2b"]
    for kind in ("aws_db_instance", "aws_ecs_service", "aws_ecs_cluster", "aws_lb"):
        assert resources(stack, kind) == {}, kind
    # Nobody was granted access, so the cache's security group has no ingress rule at all.
    (group,) = cache["security_group_ids"]
    assert ingress_into(stack, ref(group)) == []


def test_two_services_share_one_database_with_one_grant_each(example_stacks: dict[str, StackJson]) -> None:
    stack = example_stacks["shop"]
    assert len(resources(stack, "aws_db_instance")) == 1
    services = resources(stack, "aws_ecs_service")
    assert sorted(body["name"] for body in services.values()) == ["shop-billing", "shop-orders"]
    task_groups = {ref(body["network_configuration"]["security_groups"][0]) for body in services.values()}
    assert len(task_groups) == 2
    rules = ingress_into(stack, group_of(stack, "aws_db_instance"))
    assert len(rules) == 2
    assert {ref(rule["referenced_security_group_id"]) for rule in rules} == task_groups
    assert {(rule["from_port"], rule["to_port"]) for rule in rules} == {(5432, 5432)}
    # Each service has its own DATABASE_URL secret, both derived from the one master secret.
    urls = [name for name in resources(stack, "aws_secretsmanager_secret") if name.endswith("database_url")]
    assert sorted(urls) == ["shop_billing_database_url", "shop_orders_database_url"]
