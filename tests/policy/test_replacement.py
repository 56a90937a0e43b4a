"""The replacement guard on real pairs of synthesized outputs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from stackkit._private.cdk import App, AwsProvider, AwsProviderDefaultTags, TerraformStack
from stackkit.cli import main
from stackkit.constructs.database import Database, DatabaseProps
from stackkit.constructs.network import Network, NetworkProps
from stackkit.policy.replacement import DiffResult, diff_outputs, load_stacks, render_diff
from stackkit.policy.replacement_table import FORCES_REPLACEMENT
from stackkit.policy.summary import diagram, markdown

ROOT = Path(__file__).resolve().parents[2]
AZS = ("us-east-1a", "us-east-1b")


def synth_pair_side(
    outdir: Path,
    *,
    name: str = "shop",
    construct_id: str = "network",
    azs: tuple[str, ...] = AZS,
    subnet_prefix_length: int | None = None,
    identifier: str | None = None,
    instance_class: str = "db.t3.medium",
    owner: str = "platform-team",
    moved: list[dict[str, str]] | None = None,
) -> Path:
    """One synthesized output of a stack with a Network and a Database (and ``moved`` blocks,
    written as the guard's advice says: ``stack.add_override("moved", [...])``)."""
    app = App(outdir=str(outdir))
    stack = TerraformStack(app, "test")
    tags = {"Project": "shop", "Environment": "dev", "ManagedBy": "stackkit", "Owner": owner}
    AwsProvider(stack, "aws", region="us-east-1", default_tags=[AwsProviderDefaultTags(tags=tags)])
    network = Network(
        stack,
        construct_id,
        NetworkProps(name=name, availability_zones=azs, subnet_prefix_length=subnet_prefix_length),
    )
    Database(
        stack,
        "database",
        DatabaseProps(name=name, network=network, identifier=identifier, instance_class=instance_class),
    )
    if moved:
        stack.add_override("moved", moved)
    app.synth()
    return outdir


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synth_pair_side(tmp_path_factory.mktemp("base"))


def diff_against(base: Path, tmp_path: Path, **changes: Any) -> DiffResult:
    head = synth_pair_side(tmp_path / "head", **changes)
    return diff_outputs(load_stacks(base), load_stacks(head))


def risks(result: DiffResult) -> dict[str, str]:
    return {risk.address: risk.reason for risk in result.risks}


def test_identical_outputs_have_no_changes(base: Path, tmp_path: Path) -> None:
    result = diff_against(base, tmp_path)
    assert result.risks == []
    assert (result.stacks["test"].added, result.stacks["test"].removed, result.stacks["test"].changed) == (
        [],
        [],
        {},
    )


def test_renaming_the_network_moves_its_addresses_and_is_flagged(base: Path, tmp_path: Path) -> None:
    result = diff_against(base, tmp_path, name="store")
    found = risks(result)
    assert "moved to aws_vpc.store_vpc" in found["aws_vpc.shop_vpc"]
    assert "aws_subnet.shop_isolated_us_east_1a" in found
    assert "aws_db_instance.shop_db" in found
    assert "aws_kms_key.shop_flow_logs_key" in found


def test_the_cli_fails_a_renamed_network_and_prints_the_moved_blocks_that_keep_it(
    base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    head = synth_pair_side(tmp_path / "head", name="store")
    assert main(["diff", str(base), str(head)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert (
        "   RISK aws_db_instance.shop_db: removed: Terraform destroys it; it looks renamed to "
        "aws_db_instance.store_db (same settings apart from names: final_snapshot_identifier, identifier)"
    ) in out
    assert (
        "   RISK aws_vpc.shop_vpc: address moved to aws_vpc.store_vpc without a moved block: Terraform "
        "destroys and re-creates it"
    ) in out
    # Every address of the two constructs moved (routes and associations too): one block each.
    assert (
        out.count(
            "   LOOKS RENAMED: 44 removed resource(s) look like added ones under a new address. "
            "To keep them, keep the old name (the construct's `name` prop, or a plain cdktf resource's "
            "construct id), or carry their state to the new addresses with a moved block per "
            "resource, such as"
        )
        == 1
    )
    assert '         {"from": "aws_db_instance.shop_db", "to": "aws_db_instance.store_db"},' in out
    assert '         {"from": "aws_vpc.shop_vpc", "to": "aws_vpc.store_vpc"},' in out
    # The printed Python, run by cdktf: only what a changed name replaces is left.
    moved = [json.loads(line.strip().rstrip(",")) for line in out if line.startswith('         {"from": ')]
    assert len(moved) == 44
    head = synth_pair_side(tmp_path / "fixed", name="store", moved=moved)
    assert json.loads((head / "stacks" / "test" / "cdk.tf.json").read_text())["moved"] == moved
    assert main(["diff", str(base), str(head)]) == 1
    after = capsys.readouterr().out
    assert sorted(line.split(":")[0] for line in after.splitlines() if line.startswith("   RISK")) == [
        "   RISK aws_cloudwatch_log_group.store_db_log_postgresql",
        "   RISK aws_cloudwatch_log_group.store_db_log_upgrade",
        "   RISK aws_cloudwatch_log_group.store_flow_logs",
        "   RISK aws_db_instance.store_db",
        # Names that force a new resource (the replacement table's rows of issue 25): the subnet
        # group, the IAM roles' name prefixes and the key aliases are named after the Network too.
        "   RISK aws_db_subnet_group.store_db_subnets",
        "   RISK aws_iam_role.store_db_monitoring_role",
        "   RISK aws_iam_role.store_flow_logs_role",
        "   RISK aws_kms_alias.store_db_alias",
        "   RISK aws_kms_alias.store_flow_logs_alias",
    ]
    assert "LOOKS RENAMED" not in after
    assert "   > aws_vpc.shop_vpc -> aws_vpc.store_vpc" in after.splitlines()


def test_moving_the_construct_in_the_tree_keeps_pinned_addresses(base: Path, tmp_path: Path) -> None:
    result = diff_against(base, tmp_path, construct_id="vpc-network")
    assert result.risks == []


def test_changing_the_db_identifier_is_flagged(base: Path, tmp_path: Path) -> None:
    found = risks(diff_against(base, tmp_path, identifier="shop-orders"))
    assert sorted(found) == [
        # RDS writes its logs to /aws/rds/instance/<identifier>/<log>: those groups are renamed too
        "aws_cloudwatch_log_group.shop_db_log_postgresql",
        "aws_cloudwatch_log_group.shop_db_log_upgrade",
        "aws_db_instance.shop_db",
        # (its parameter group's description names the identifier too: replaced, but with a
        # name prefix and create_before_destroy, so safely: not flagged)
    ]
    assert 'identifier "shop-db" -> "shop-orders"' in found["aws_db_instance.shop_db"]


def test_changing_subnet_cidrs_is_flagged(base: Path, tmp_path: Path) -> None:
    found = risks(diff_against(base, tmp_path, subnet_prefix_length=22))
    subnets = {address for address in found if address.startswith("aws_subnet.")}
    assert len(subnets) == 6
    assert "cidr_block" in found["aws_subnet.shop_private_us_east_1a"]
    assert "aws_vpc.shop_vpc" not in found


def test_adding_an_az_is_not_flagged(base: Path, tmp_path: Path) -> None:
    result = diff_against(base, tmp_path, azs=(*AZS, "us-east-1c"))
    assert result.risks == []
    added = result.stacks["test"].added
    assert "aws_subnet.shop_private_us_east_1c" in added
    assert result.stacks["test"].removed == []


@pytest.mark.parametrize("change", [{"owner": "data-team"}, {"instance_class": "db.t3.large"}])
def test_harmless_changes_are_reported_but_not_flagged(
    base: Path, tmp_path: Path, change: dict[str, str]
) -> None:
    head = synth_pair_side(tmp_path / "head", **change)
    result = diff_outputs(load_stacks(base), load_stacks(head))
    assert result.risks == []
    if "instance_class" in change:
        assert result.stacks["test"].changed == {"aws_db_instance.shop_db": ["instance_class"]}
    else:
        assert json.loads((head / "stacks" / "test" / "cdk.tf.json").read_text()) != json.loads(
            (base / "stacks" / "test" / "cdk.tf.json").read_text()
        )


def test_a_moved_block_makes_a_rename_safe(base: Path, tmp_path: Path) -> None:
    head = load_stacks(synth_pair_side(tmp_path / "head", identifier=None, name="shop"))
    stack = head["test"]
    body = stack["resource"]["aws_db_instance"].pop("shop_db")
    stack["resource"]["aws_db_instance"]["orders_db"] = body
    plain = diff_outputs(load_stacks(base), head)
    assert "moved to aws_db_instance.orders_db" in risks(plain)["aws_db_instance.shop_db"]
    stack["moved"] = [{"from": "aws_db_instance.shop_db", "to": "aws_db_instance.orders_db"}]
    with_block = diff_outputs(load_stacks(base), head)
    assert with_block.risks == []
    assert with_block.stacks["test"].moved == {"aws_db_instance.shop_db": "aws_db_instance.orders_db"}


def test_the_cli_exits_non_zero_until_the_risk_is_acknowledged(
    base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    head = synth_pair_side(tmp_path / "head", identifier="shop-orders")
    assert main(["diff", str(base), str(head)]) == 1
    assert "--allow-replace test/aws_db_instance.shop_db" in capsys.readouterr().out
    logs = ["aws_cloudwatch_log_group.shop_db_log_postgresql", "aws_cloudwatch_log_group.shop_db_log_upgrade"]
    acknowledged = [flag for address in logs for flag in ("--allow-replace", address)]
    assert (
        main(["diff", str(base), str(head), *acknowledged, "--allow-replace", "aws_db_instance.other"]) == 1
    )
    assert main(["diff", str(base), str(head), *acknowledged]) == 1
    assert (
        main(["diff", str(base), str(head), *acknowledged, "--allow-replace", "aws_db_instance.shop_db"]) == 0
    )
    assert (
        main(["diff", str(base), str(head), *acknowledged, "--allow-replace", "test/aws_db_instance.shop_db"])
        == 0
    )
    assert "ACKNOWLEDGED aws_db_instance.shop_db" in capsys.readouterr().out
    summary, risks_json = tmp_path / "summary.md", tmp_path / "risks.json"
    assert main(["diff", str(base), str(head), "--markdown", str(summary), "--json", str(risks_json)]) == 1
    assert "**blocking** `aws_db_instance.shop_db`" in summary.read_text()
    assert "```mermaid" in summary.read_text()
    assert {"stack": "test", "address": "aws_db_instance.shop_db"}.items() <= next(
        risk for risk in json.loads(risks_json.read_text()) if risk["address"] == "aws_db_instance.shop_db"
    ).items()


def test_every_forcing_attribute_names_its_source() -> None:
    for resource_type, attributes in FORCES_REPLACEMENT.items():
        for attribute, source in attributes.items():
            assert source.startswith("https://registry.terraform.io/providers/hashicorp/aws/"), attribute
            assert f"/{resource_type.removeprefix('aws_')}#{attribute}" in source
    for resource_type, attributes in {
        "aws_db_instance": {"identifier", "engine", "storage_encrypted", "kms_key_id", "availability_zone"},
        "aws_elasticache_replication_group": {
            "replication_group_id",
            "at_rest_encryption_enabled",
            "kms_key_id",
        },
        "aws_subnet": {"cidr_block", "availability_zone"},
        "aws_vpc": {"cidr_block"},
        "aws_s3_bucket": {"bucket"},
    }.items():
        assert attributes <= set(FORCES_REPLACEMENT[resource_type])


def test_summary_has_counts_changes_risks_and_a_mermaid_diagram(base: Path, tmp_path: Path) -> None:
    head_dir = synth_pair_side(tmp_path / "head", identifier="shop-orders")
    head = load_stacks(head_dir)
    text = markdown(head, diff_outputs(load_stacks(base), head))
    assert "## test" in text
    assert "| `aws_subnet` | 6 |" in text
    assert "**blocking** `aws_db_instance.shop_db`" in text
    assert "```mermaid\nflowchart LR" in text
    graph = diagram(head["test"])
    assert graph.nodes["aws_subnet__shop_private"] == "subnets<br/>shop_private x2"
    assert ("aws_subnet__shop_private", "aws_vpc__shop_vpc", "") in graph.edges
    assert (
        "aws_db_instance__shop_db",
        "aws_subnet__shop_isolated",
        "",
    ) in graph.edges  # via its subnet group
    assert "aws_kms_key" not in " ".join(graph.nodes)
    assert "aws_route_table" not in " ".join(graph.nodes)
    assert render_diff(diff_outputs(load_stacks(base), head)).count("RISK aws_db_instance.shop_db") == 1


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_diff_of_two_git_revisions_synthesizes_each_in_a_worktree(tmp_path: Path) -> None:
    """A throwaway repository with two commits (this repository's git state is left alone)."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "src", repo / "src", ignore=shutil.ignore_patterns("__pycache__"))
    # The app the gate runs: cdktf.json -> main.py (and the environments, wherever they live).
    for name in ("cdktf.json", "main.py"):
        shutil.copy(ROOT / name, repo / name)
    if (ROOT / "stacks").is_dir():
        shutil.copytree(ROOT / "stacks", repo / "stacks", ignore=shutil.ignore_patterns("__pycache__"))

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base")
    network = repo / "src" / "stackkit" / "constructs" / "network.py"
    text = network.read_text()
    assert 'DEFAULT_VPC_CIDR = "10.0.0.0/16"' in text
    network.write_text(text.replace('DEFAULT_VPC_CIDR = "10.0.0.0/16"', 'DEFAULT_VPC_CIDR = "10.1.0.0/16"'))
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qam", "new VPC CIDR")

    env = {**os.environ, "PATH": f"{ROOT / 'node_modules' / '.bin'}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        [sys.executable, "-m", "stackkit.cli", "diff", "HEAD~1", "HEAD"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert 'cidr_block "10.0.0.0/16" -> "10.1.0.0/16"' in result.stdout
    assert "RISK aws_vpc." in result.stdout
    listed = subprocess.run(["git", "worktree", "list"], cwd=repo, capture_output=True, text=True, check=True)
    assert len(listed.stdout.strip().splitlines()) == 1  # the temporary worktrees are gone


# --- issue 15: names that block a replacement -----------------------------------------------


def _one(resource_type: str, name: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"test": {"resource": {resource_type: {name: body}}}}


TARGET_GROUP = {"port": 3000, "protocol": "HTTP", "target_type": "ip", "vpc_id": "${aws_vpc.v.id}"}


def test_a_target_group_with_a_fixed_name_is_flagged_when_replaced() -> None:
    before = _one("aws_lb_target_group", "api_tg", {**TARGET_GROUP, "name": "api-tg"})
    after = _one(
        "aws_lb_target_group",
        "api_tg",
        {**TARGET_GROUP, "name": "api-tg", "port": 8080, "lifecycle": {"create_before_destroy": True}},
    )
    reason = {risk.address: risk.reason for risk in diff_outputs(before, after).risks}
    assert "port 3000 -> 8080 forces a new resource" in reason["aws_lb_target_group.api_tg"]
    assert "collides with the old one (use name_prefix)" in reason["aws_lb_target_group.api_tg"]


def test_a_target_group_with_a_name_prefix_and_create_before_destroy_is_replaced_safely() -> None:
    body = {**TARGET_GROUP, "name_prefix": "api-", "lifecycle": {"create_before_destroy": True}}
    before = _one("aws_lb_target_group", "api_tg", body)
    after = _one("aws_lb_target_group", "api_tg", {**body, "port": 8080})
    result = diff_outputs(before, after)
    assert result.risks == []
    assert result.stacks["test"].changed == {"aws_lb_target_group.api_tg": ["port"]}
    # Without create_before_destroy the old one is deleted first, while the listener uses it.
    no_cbd = {key: value for key, value in body.items() if key != "lifecycle"}
    flagged = diff_outputs(
        _one("aws_lb_target_group", "api_tg", no_cbd),
        _one("aws_lb_target_group", "api_tg", {**no_cbd, "port": 8080}),
    )
    assert [risk.address for risk in flagged.risks] == ["aws_lb_target_group.api_tg"]


def test_a_cache_parameter_group_description_change_is_flagged() -> None:
    # aws_elasticache_parameter_group has no name_prefix: a same-address replacement is a risk.
    body = {"name": "shop-cache-redis7", "family": "redis7", "description": "shop-cache: redis7 parameters"}
    after = _one("aws_elasticache_parameter_group", "shop_cache_redis7_params", {**body, "description": "x"})
    before = _one("aws_elasticache_parameter_group", "shop_cache_redis7_params", body)
    assert [risk.address for risk in diff_outputs(before, after).risks] == [
        "aws_elasticache_parameter_group.shop_cache_redis7_params"
    ]


def test_a_db_parameter_group_family_upgrade_is_replaced_safely(base: Path, tmp_path: Path) -> None:
    head = load_stacks(base)
    stack = json.loads(json.dumps(head["test"]))
    group = stack["resource"]["aws_db_parameter_group"]["shop_db_parameters"]
    assert "name" not in group and group["lifecycle"] == {"create_before_destroy": True}
    group["family"] = "postgres16"
    group["name_prefix"] = "shop-db-pg16-"
    result = diff_outputs(head, {"test": stack})
    assert result.risks == []
    assert result.stacks["test"].changed["aws_db_parameter_group.shop_db_parameters"] == [
        "family",
        "name_prefix",
    ]


REPOSITORY = {"name": "shop-api", "image_tag_mutability": "IMMUTABLE", "lifecycle": {"prevent_destroy": True}}


def test_a_removed_block_that_keeps_the_object_is_not_a_destruction() -> None:
    # Issue 15: the repository moves to the bootstrap stack's state; the app stack forgets it.
    before = _one("aws_ecr_repository", "shop_api_repository", REPOSITORY)
    after: dict[str, Any] = {
        "test": {
            "removed": [{"from": "aws_ecr_repository.shop_api_repository", "lifecycle": {"destroy": False}}]
        }
    }
    result = diff_outputs(before, after)
    assert result.risks == []
    assert result.stacks["test"].forgotten == ["aws_ecr_repository.shop_api_repository"]
    assert result.stacks["test"].removed == []
    assert "leaves this state, not destroyed" in render_diff(result)


@pytest.mark.parametrize(
    "removed",
    [
        [],  # a plain removal: Terraform destroys it
        [{"from": "aws_ecr_repository.shop_api_repository", "lifecycle": {"destroy": True}}],
        [{"from": "aws_ecr_repository.shop_api_repository"}],  # destroy is required; no keep
        [{"from": "aws_ecr_repository.other_repository", "lifecycle": {"destroy": False}}],
    ],
)
def test_a_removal_without_a_keeping_removed_block_is_still_flagged(removed: list[dict[str, Any]]) -> None:
    before = _one("aws_ecr_repository", "shop_api_repository", REPOSITORY)
    result = diff_outputs(before, {"test": {"removed": removed}})
    reason = {risk.address: risk.reason for risk in result.risks}
    assert reason == {"aws_ecr_repository.shop_api_repository": "removed: Terraform destroys it"}
