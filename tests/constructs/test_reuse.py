"""Reuse by other teams: bring your own network, any stack / parent / provider alias, two of
each construct in one stack, and no global state read at construct time."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from stackkit import (
    Cache,
    CacheMetrics,
    CacheProps,
    Cluster,
    ClusterProps,
    Database,
    DatabaseMetrics,
    DatabaseProps,
    EncryptionKey,
    EncryptionKeyProps,
    ExistingNetwork,
    Monitoring,
    MonitoringProps,
    Network,
    NetworkProps,
    ProviderScope,
    Service,
    ServiceMetrics,
    ServiceProps,
    ValidationError,
)
from stackkit._private.cdk import (
    App,
    AwsProvider,
    AwsProviderDefaultTags,
    Construct,
    TerraformDataSource,
    TerraformResource,
    TerraformStack,
)
from tests.conftest import StackJson, resources
from tests.synth_helpers import synth_stack

CERT = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"
VPC = "vpc-0a1b2c3d4e5f67890"
PUBLIC = ("subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002")
PRIVATE = ("subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012")
ISOLATED = ("subnet-0a1b2c3d4e5f60021", "subnet-0a1b2c3d4e5f60022")
TAGS = {"Project": "reuse", "Environment": "dev", "ManagedBy": "cdktf", "Owner": "test"}
PACKAGE = Path(__file__).resolve().parents[2] / "src" / "stackkit"


def existing(**changes: Any) -> ExistingNetwork:
    fields: dict[str, Any] = {
        "vpc_id": VPC,
        "public_subnet_ids": PUBLIC,
        "private_subnet_ids": PRIVATE,
        "isolated_subnet_ids": ISOLATED,
    }
    return ExistingNetwork(**{**fields, **changes})


def zones(*azs: str) -> dict[str, str]:
    """Each tier's first subnet in ``azs[0]``, its second in ``azs[-1]``."""
    return {
        subnet: azs[index % len(azs)]
        for tier in (PUBLIC, PRIVATE, ISOLATED)
        for index, subnet in enumerate(tier)
    }


# --- ExistingNetwork: validation ----------------------------------------------------------------
@pytest.mark.parametrize("tier", ["public_subnet_ids", "private_subnet_ids", "isolated_subnet_ids"])
def test_an_empty_subnet_list_is_rejected(tier: str) -> None:
    with pytest.raises(ValidationError) as caught:
        existing(**{tier: ()})
    assert caught.value.fields == [tier]


@pytest.mark.parametrize("vpc_id", ["vpc-123", "vpc-0A1B2C3D", "subnet-0a1b2c3d", "0a1b2c3d4e5f67890", ""])
def test_a_vpc_id_must_look_like_one(vpc_id: str) -> None:
    with pytest.raises(ValidationError) as caught:
        existing(vpc_id=vpc_id)
    assert caught.value.fields == ["vpc_id"]
    assert "vpc-0a1b2c3d4e5f67890" in str(caught.value)  # the message shows a valid id


@pytest.mark.parametrize("subnet", ["subnet-12", "vpc-0a1b2c3d", "subnet-0a1b2c3g", "sg-0a1b2c3d"])
@pytest.mark.parametrize("tier", ["public_subnet_ids", "private_subnet_ids", "isolated_subnet_ids"])
def test_a_subnet_id_must_look_like_one(tier: str, subnet: str) -> None:
    with pytest.raises(ValidationError) as caught:
        existing(**{tier: (PUBLIC[0] if tier != "public_subnet_ids" else ISOLATED[0], subnet)})
    assert caught.value.fields == [tier]


def test_duplicate_subnets_are_rejected() -> None:
    with pytest.raises(ValidationError) as caught:
        existing(private_subnet_ids=(PRIVATE[0], PRIVATE[0]))
    assert caught.value.fields == ["private_subnet_ids"]


def test_the_az_map_must_cover_every_subnet_and_name_real_azs() -> None:
    partial = zones("eu-west-1a", "eu-west-1b")
    del partial[ISOLATED[1]]
    with pytest.raises(ValidationError) as caught:
        existing(subnet_availability_zones=partial)
    assert caught.value.fields == ["subnet_availability_zones"]
    with pytest.raises(ValidationError) as caught:
        existing(subnet_availability_zones=zones("eu-west-1a", "west"))
    assert caught.value.fields == ["subnet_availability_zones"]


def test_a_bad_cidr_is_rejected() -> None:
    with pytest.raises(ValidationError) as caught:
        existing(cidr="10.0.0.0/33")
    assert caught.value.fields == ["cidr"]


def test_availability_zones_are_those_of_the_isolated_subnets() -> None:
    assert existing().availability_zones is None
    assert existing(subnet_availability_zones=zones("eu-west-1a", "eu-west-1b")).availability_zones == (
        "eu-west-1a",
        "eu-west-1b",
    )


# --- multi-AZ needs 2 AZs when the network states them ---------------------------------------------
def test_a_multi_az_database_needs_two_azs() -> None:
    one_az = existing(subnet_availability_zones=zones("eu-west-1a"))
    with pytest.raises(ValidationError) as caught:
        DatabaseProps(name="orders", network=one_az)  # multi_az is the default
    assert caught.value.fields == ["network"]
    assert "multi_az=False" in str(caught.value)
    assert DatabaseProps(name="orders", network=one_az, multi_az=False).multi_az is False
    two_azs = existing(subnet_availability_zones=zones("eu-west-1a", "eu-west-1b"))
    assert DatabaseProps(name="orders", network=two_azs).multi_az is True
    assert DatabaseProps(name="orders", network=existing()).multi_az is True  # AZs unknown: not checked


def test_a_multi_node_cache_needs_two_azs() -> None:
    one_az = existing(subnet_availability_zones=zones("eu-west-1a"))
    with pytest.raises(ValidationError) as caught:
        CacheProps(name="orders", network=one_az, node_count=2)
    assert caught.value.fields == ["network"]
    assert CacheProps(name="orders", network=one_az, node_count=1).node_count == 1
    two_azs = existing(subnet_availability_zones=zones("eu-west-1a", "eu-west-1b"))
    assert CacheProps(name="orders", network=two_azs, node_count=2).node_count == 2
    assert CacheProps(name="orders", network=existing(), node_count=2).node_count == 2


def test_an_existing_network_creates_no_vpc_and_is_used_by_id(tmp_path: Path) -> None:
    network = existing()

    def build(stack: TerraformStack) -> None:
        database = Database(stack, "database", DatabaseProps(name="orders", network=network))
        cache = Cache(stack, "cache", CacheProps(name="orders", network=network))
        Service(
            stack,
            "service",
            ServiceProps(name="orders-api", certificate_arn=CERT),
            network=network,
            cluster=Cluster(stack, "cluster", ClusterProps(name="orders")),
            database=database,
            cache=cache,
        )

    stack = synth_stack(tmp_path, build)
    assert resources(stack, "aws_vpc") == {} and resources(stack, "aws_subnet") == {}
    (db_subnets,) = resources(stack, "aws_db_subnet_group").values()
    assert db_subnets["subnet_ids"] == list(ISOLATED)
    (cache_subnets,) = resources(stack, "aws_elasticache_subnet_group").values()
    assert cache_subnets["subnet_ids"] == list(ISOLATED)
    (service,) = resources(stack, "aws_ecs_service").values()
    assert service["network_configuration"]["subnets"] == list(PRIVATE)
    (alb,) = resources(stack, "aws_lb").values()
    assert alb["subnets"] == list(PUBLIC)
    groups = resources(stack, "aws_security_group").values()
    assert groups and {group["vpc_id"] for group in groups} == {VPC}


# --- composable: any stack, any parent, two of each -------------------------------------------------
def everything(
    scope: Construct, name: str, network: Network | None = None, certificate_arn: str = CERT
) -> None:
    """Every construct once, all named after ``name`` (the certificate must be of the scope's region)."""
    network = network or Network(
        scope, f"{name}-network", NetworkProps(name=name, availability_zones=("us-east-1a", "us-east-1b"))
    )
    database = Database(scope, f"{name}-database", DatabaseProps(name=name, network=network))
    cache = Cache(scope, f"{name}-cache", CacheProps(name=name, network=network))
    cluster = Cluster(scope, f"{name}-cluster", ClusterProps(name=name))
    service = Service(
        scope,
        f"{name}-service",
        ServiceProps(name=f"{name}-api", certificate_arn=certificate_arn),
        network=network,
        cluster=cluster,
        database=database,
        cache=cache,
    )
    Monitoring(
        scope,
        f"{name}-monitoring",
        MonitoringProps(
            name=name,
            service=ServiceMetrics.from_service(service),
            database=DatabaseMetrics.from_database(database),
            cache=CacheMetrics.from_cache(cache),
        ),
    )
    EncryptionKey(scope, f"{name}-key", EncryptionKeyProps(name=f"{name}-extra", description="extra"))


def names(stack: StackJson, resource_type: str, attribute: str) -> list[str]:
    return sorted(body[attribute] for body in resources(stack, resource_type).values())


def test_two_instances_of_every_construct_live_in_one_stack(tmp_path: Path) -> None:
    elements: list[int] = []

    def build(stack: TerraformStack) -> None:
        everything(stack, "alpha")
        everything(stack, "beta")
        elements.append(
            sum(isinstance(c, TerraformResource | TerraformDataSource) for c in stack.node.find_all())
        )

    stack = synth_stack(tmp_path, build)
    # No two resources share an address (synthesis would merge them into one block silently).
    blocks = sum(len(by_name) for block in ("resource", "data") for by_name in stack[block].values())
    assert blocks == elements[0]
    assert sorted(body["tags"]["Name"] for body in resources(stack, "aws_vpc").values()) == [
        "alpha-vpc",
        "beta-vpc",
    ]
    assert names(stack, "aws_db_instance", "identifier") == ["alpha-db", "beta-db"]
    assert names(stack, "aws_elasticache_replication_group", "replication_group_id") == [
        "alpha-cache",
        "beta-cache",
    ]
    assert names(stack, "aws_ecs_cluster", "name") == ["alpha-cluster", "beta-cluster"]
    assert names(stack, "aws_ecs_service", "name") == ["alpha-api", "beta-api"]
    assert names(stack, "aws_sns_topic", "name") == ["alpha-alerts", "beta-alerts"]
    aliases = names(stack, "aws_kms_alias", "name")
    assert "alias/alpha-extra" in aliases and "alias/beta-extra" in aliases
    assert len(aliases) == len(set(aliases))
    # One ephemeral AUTH-token generator and one DATABASE_URL read per instance.
    ephemeral = stack["ephemeral"]
    assert len(ephemeral["aws_secretsmanager_random_password"]) == 2
    assert len(ephemeral["aws_secretsmanager_secret_version"]) == 2  # the AUTH tokens for REDIS_URL
    # The account/region data sources are shared: one set for the stack.
    assert len(stack["data"]["aws_region"]) == 1


def test_constructs_work_nested_in_any_parent_with_unchanged_addresses(tmp_path: Path) -> None:
    def flat(stack: TerraformStack) -> None:
        everything(stack, "alpha")

    def nested(stack: TerraformStack) -> None:
        everything(Construct(Construct(stack, "team"), "platform"), "alpha")

    def addresses(stack: StackJson, block: str) -> set[str]:
        return {f"{kind}.{name}" for kind, by_name in stack[block].items() for name in by_name}

    flat_stack = synth_stack(tmp_path / "flat", flat)
    nested_stack = synth_stack(tmp_path / "nested", nested)
    # Every resource keeps its address: moving constructs must not destroy anything. The whole
    # set, not a sample: a bucket's public-access block re-created elsewhere is as unsafe as a
    # re-created database. Data sources too, so references to them stay put.
    assert addresses(nested_stack, "resource") == addresses(flat_stack, "resource")
    assert addresses(nested_stack, "data") == addresses(flat_stack, "data")
    assert len(addresses(flat_stack, "resource")) > 100
    assert {
        "aws_db_instance.alpha_db",
        "aws_s3_bucket_public_access_block.alpha_api_alb_logs_public_access",
        "aws_security_group.alpha_api_tasks_sg",
    } <= addresses(flat_stack, "resource")
    paths = [body["//"]["metadata"]["path"] for body in resources(nested_stack, "aws_db_instance").values()]
    assert paths == ["test/team/platform/alpha-database/instance"]


def test_two_constructs_pinned_to_one_address_are_refused(tmp_path: Path) -> None:
    def build(stack: TerraformStack) -> None:
        for team in ("orders", "billing"):
            Network(
                Construct(stack, team),
                "network",
                NetworkProps(name="shop", availability_zones=("us-east-1a", "us-east-1b")),
            )

    with pytest.raises(ValueError, match=r"test/billing/network/vpc and test/orders/network/vpc .*aws_vpc"):
        synth_stack(tmp_path, build)


def provider_addresses(stack: StackJson) -> dict[str, str | None]:
    """``{type.name: provider}`` of every resource and data source whose path is under ``west``."""
    found: dict[str, str | None] = {}
    for block in ("resource", "data"):
        for kind, by_name in stack.get(block, {}).items():
            for name, body in by_name.items():
                if "/west/" in body["//"]["metadata"]["path"]:
                    found[f"{kind}.{name}"] = body.get("provider")
    return found


def test_every_construct_runs_on_an_aliased_provider(tmp_path: Path) -> None:
    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "two-regions")
    AwsProvider(stack, "aws", region="us-east-1", default_tags=[AwsProviderDefaultTags(tags=TAGS)])
    west = AwsProvider(
        stack, "aws-west", region="us-west-2", alias="west", default_tags=[AwsProviderDefaultTags(tags=TAGS)]
    )
    everything(stack, "east")
    in_west = ProviderScope(Construct(stack, "team"), "west", provider=west)
    network = Network(
        in_west, "network", NetworkProps(name="west", availability_zones=("us-west-2a", "us-west-2b"))
    )
    everything(in_west, "west", network, CERT.replace("us-east-1", "us-west-2"))
    app.synth()
    synthesized: StackJson = json.loads((tmp_path / "stacks" / "two-regions" / "cdk.tf.json").read_text())

    under_west = provider_addresses(synthesized)
    assert len(under_west) > 100
    assert {provider for provider in under_west.values()} == {"aws.west"}
    # Nothing else moved to the alias: the east copies keep the default provider.
    east = [
        body
        for block in ("resource", "data")
        for by_name in synthesized.get(block, {}).values()
        for body in by_name.values()
        if "/east-" in body["//"]["metadata"]["path"]
    ]
    assert east and all("provider" not in body for body in east)
    # The shared account/region data sources exist once per provider, each on its own.
    regions = synthesized["data"]["aws_region"]
    assert sorted(body.get("provider", "default") for body in regions.values()) == ["aws.west", "default"]
    (west_region,) = [name for name, body in regions.items() if body.get("provider") == "aws.west"]
    (endpoint,) = [
        body
        for body in resources(synthesized, "aws_vpc_endpoint").values()
        if body.get("provider") == "aws.west"
    ]
    assert f"data.aws_region.{west_region}.region" in endpoint["service_name"]
    # Raw ephemeral blocks follow the scope too.
    for kind, by_name in synthesized["ephemeral"].items():
        for name, body in by_name.items():
            expected = "aws.west" if name.startswith("west") else None
            assert body.get("provider") == expected, f"{kind}.{name}"


def test_nothing_reads_environment_variables_or_process_state_at_construct_time() -> None:
    """Only entry points (main.py, the CLI, the policy runner) read the process environment;
    ``_private/backends.py`` reads ``STACKKIT_CDK`` and ``STACKKIT_FAST_LOAD`` once, when cdk.py
    chooses and loads the CDK at import (and the CLI's gate before running an app);
    ``_private/loading.py`` reads the variables the jsii kernel starts with, and
    ``_private/node.py`` picks the Node for jsii, once at import."""
    allowed = {"cli.py", "_private/backends.py", "_private/loading.py", "_private/node.py"}
    pattern = re.compile(r"\b(os\.environ|os\.getenv|getenv\(|sys\.argv|global\s+\w)")
    offenders = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.relative_to(PACKAGE).as_posix() not in allowed
        and not path.relative_to(PACKAGE).as_posix().startswith("policy/")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_same_id_peers_in_different_parents_can_share_one_database(tmp_path: Path) -> None:
    """Two teams' ``service`` constructs (same id, different parents) both reach one database."""

    def build(stack: TerraformStack) -> None:
        network = Network(
            stack, "network", NetworkProps(name="shop", availability_zones=("us-east-1a", "us-east-1b"))
        )
        database = Database(stack, "database", DatabaseProps(name="shop", network=network))
        cluster = Cluster(stack, "cluster", ClusterProps(name="shop"))
        for team in ("orders", "billing"):
            service = Service(
                Construct(stack, team),
                "service",
                ServiceProps(name=f"{team}-api", certificate_arn=CERT),
                network=network,
                cluster=cluster,
                database=database,
            )
        with pytest.raises(ValueError, match="may already reach"):
            database.connections.allow_default_port_from(service)

    stack = synth_stack(tmp_path, build)
    (db,) = resources(stack, "aws_db_instance").values()
    (db_group,) = db["vpc_security_group_ids"]
    into_db = [
        rule
        for rule in resources(stack, "aws_vpc_security_group_ingress_rule").values()
        if rule["security_group_id"] == db_group
    ]
    assert len(into_db) == 2
    assert len({rule["referenced_security_group_id"] for rule in into_db}) == 2
