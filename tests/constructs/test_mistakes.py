"""Issue 14: the mistakes that used to reach AWS are refused before synthesis, naming the field
with a suggestion (or failed by `stackkit check` for the provider region)."""

from __future__ import annotations

import importlib
import warnings
from pathlib import Path
from typing import Any

import pytest

from stackkit import (
    Cache,
    CacheProps,
    Database,
    DatabaseProps,
    ExistingNetwork,
    Network,
    NetworkProps,
    ProviderScope,
    ValidationError,
)
from stackkit._private.arns import arn_region, certificate_region_problem, kms_key_region_problem
from stackkit._private.boundary import protocol_members, require_like
from stackkit._private.catalog import UncataloguedValueWarning
from stackkit._private.catalog.elasticache import NODE_TYPES
from stackkit._private.catalog.rds_postgres import INSTANCE_CLASSES
from stackkit._private.cdk import BACKEND, App, AwsProvider, TerraformStack
from stackkit._private.choices import one_of_problem
from stackkit._private.regions import AVAILABILITY_ZONES, region_problem, zone_problem
from stackkit._private.terraform import region_of
from stackkit.constructs.network import NetworkLike
from stackkit.constructs.plain_values import allow_problems, environment_problem, plain_value_problems
from stackkit.constructs.protocols import CacheLike, DatabaseLike
from stackkit.errors import human_pattern_message
from stackkit.patterns import EnvironmentConfig
from tests.private.test_regions import AZ_ID_PREFIXES
from tests.synth_helpers import synth_stack

#: A Terraform variable of whichever CDK runs (cdktf or CDK Terrain): its value is a token.
TerraformVariable = importlib.import_module(BACKEND.core).TerraformVariable

CONFIG = {
    "environment": "dev",
    "allowed_account_ids": ["123456789012"],
    "state_bucket": "tfstate-bucket",
    "state_kms_key_id": "arn:aws:kms:us-east-1:123456789012:alias/tfstate",
    "certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
}
WEST_CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"


def _existing(**changes: Any) -> ExistingNetwork:
    return ExistingNetwork(
        **{
            "vpc_id": "vpc-0a1b2c3d",
            "public_subnet_ids": ("subnet-00000001",),
            "private_subnet_ids": ("subnet-00000002",),
            "isolated_subnet_ids": ("subnet-00000003", "subnet-00000004"),
            **changes,
        }
    )


def _refused(call: Any, field: str, *hints: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call()
    assert field in caught.value.fields, caught.value
    for hint in hints:
        assert hint in str(caught.value), str(caught.value)
    return caught.value


# --- 1. known values, with suggestions ---------------------------------------------------------


def test_instance_class_typo_is_refused_with_the_closest_name() -> None:
    network = _existing()
    _refused(
        lambda: DatabaseProps(name="shop", network=network, instance_class="db.t3.medum"),
        "instance_class",
        "did you mean db.t3.medium",
    )
    _refused(
        lambda: EnvironmentConfig(**CONFIG, database={"instance_class": "db.t3.medum"}),
        "database.instance_class",
        "db.t3.medium",
    )


def test_node_type_typo_is_refused_with_the_closest_name() -> None:
    _refused(
        lambda: EnvironmentConfig(**CONFIG, cache={"node_type": "cache.t3.mirco"}),
        "cache.node_type",
        "did you mean cache.t3.micro",
    )


@pytest.mark.parametrize(
    "instance_class", ["db.r7g.2xlarge", "db.t4g.micro", "db.t3.medium", "db.m8g.48xlarge"]
)
def test_valid_newer_instance_classes_pass(instance_class: str) -> None:
    assert DatabaseProps(name="shop", network=_existing(), instance_class=instance_class).instance_class == (
        instance_class
    )


@pytest.mark.parametrize("node_type", ["cache.r7g.large", "cache.t4g.micro", "cache.m7g.16xlarge"])
def test_valid_newer_node_types_pass(node_type: str) -> None:
    assert EnvironmentConfig(**CONFIG, cache={"node_type": node_type}).cache.node_type == node_type


def test_catalogs_are_family_by_size_and_hold_the_seed_defaults() -> None:
    assert {"db.t3.medium", "db.r7g.2xlarge", "db.t4g.micro"} <= INSTANCE_CLASSES
    assert {"cache.t3.micro", "cache.r7g.large"} <= NODE_TYPES
    assert all(name.count(".") == 2 for name in INSTANCE_CLASSES | NODE_TYPES)


def test_an_uncatalogued_class_passes_with_the_opt_out_and_a_warning(tmp_path: Path) -> None:
    with pytest.warns(UncataloguedValueWarning, match="db.r9g.large"):
        props = DatabaseProps(
            name="shop",
            network=_existing(),
            instance_class="db.r9g.large",
            allow_uncatalogued_instance_class=True,
        )
    with pytest.warns(UncataloguedValueWarning, match="cache.r9g.large"):
        settings = EnvironmentConfig(
            **CONFIG, cache={"node_type": "cache.r9g.large", "allow_uncatalogued_node_type": True}
        ).cache
    assert (props.instance_class, settings.node_type) == ("db.r9g.large", "cache.r9g.large")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UncataloguedValueWarning)
        stack = synth_stack(tmp_path, lambda s: Database(s, "db", props))
    assert stack["resource"]["aws_db_instance"]["shop_db"]["instance_class"] == "db.r9g.large"


def test_names_with_digits_pass() -> None:
    assert EnvironmentConfig(**{**CONFIG, "project": "shop2-api3"}).project == "shop2-api3"


# --- regions and AZs -----------------------------------------------------------------------------


def test_region_typo_is_refused_with_a_suggestion() -> None:
    _refused(
        lambda: EnvironmentConfig(**{**CONFIG, "region": "eu-west1"}), "region", "did you mean eu-west-1"
    )


def test_az_typo_in_an_existing_network_is_refused_with_a_suggestion() -> None:
    error = _refused(
        lambda: _existing(
            subnet_availability_zones={
                "subnet-00000001": "eu-west-1a",
                "subnet-00000002": "eu-west-1a",
                "subnet-00000003": "eu-west-1a",
                "subnet-00000004": "eu-wset-1b",
            }
        ),
        "subnet_availability_zones",
        "'eu-wset-1b'",
        "did you mean eu-west-1b",
    )
    assert "eu-west-1a" not in str(error).split("did you mean")[0].split("'eu-wset-1b'")[0]


def test_azs_of_two_regions_are_refused() -> None:
    _refused(
        lambda: NetworkProps(name="shop", availability_zones=("eu-west-1a", "us-east-1b")),
        "availability_zones",
        "different regions",
    )


def test_az_ids_are_accepted_for_an_existing_network() -> None:
    network = _existing(
        subnet_availability_zones={f"subnet-0000000{i}": f"euw1-az{1 + i % 2}" for i in range(1, 5)}
    )
    assert network.availability_zones == ("euw1-az1", "euw1-az2")


@pytest.mark.parametrize("region", sorted(AVAILABILITY_ZONES))
def test_every_known_zone_name_and_id_belongs_to_its_region(region: str) -> None:
    for zone in AVAILABILITY_ZONES[region]:
        assert zone_problem(zone, region) is None
    assert zone_problem(f"{AZ_ID_PREFIXES[region]}-az1", region) is None
    assert region_problem(region) is None


def _stack(region: Any = "eu-west-1") -> TerraformStack:
    stack = TerraformStack(App(outdir="/tmp/stackkit-unused"), "s")
    AwsProvider(stack, "aws", region=region(stack) if callable(region) else region)
    return stack


def test_region_of_reads_the_provider_literal_and_skips_tokens() -> None:
    assert region_of(_stack()) == "eu-west-1"
    token = _stack(lambda s: TerraformVariable(s, "region", type="string").string_value)
    assert region_of(token) is None
    stack = _stack()
    west = AwsProvider(stack, "west", region="us-west-2", alias="west")
    assert region_of(ProviderScope(stack, "in-west", provider=west)) == "us-west-2"


def test_network_in_another_region_than_the_provider_is_refused_before_any_resource() -> None:
    stack = _stack("eu-west-1")
    props = NetworkProps(name="shop", availability_zones=("us-east-1a", "us-east-1b"))
    _refused(lambda: Network(stack, "network", props), "availability_zones", "us-east-1", "eu-west-1a")
    assert not [c for c in stack.node.find_all() if type(c).__name__ == "Vpc"]


def test_with_a_token_region_the_az_check_is_skipped() -> None:
    stack = _stack(lambda s: TerraformVariable(s, "region", type="string").string_value)
    network = Network(
        stack, "network", NetworkProps(name="shop", availability_zones=("us-east-1a", "us-east-1b"))
    )
    assert network.availability_zones == ("us-east-1a", "us-east-1b")
    assert len([c for c in stack.node.find_all() if type(c).__name__ == "Vpc"]) == 1
    assert len([c for c in stack.node.find_all() if type(c).__name__ == "Subnet"]) == 6  # 3 tiers x 2 AZs


def test_existing_network_of_another_region_is_refused_by_database_and_cache() -> None:
    zones = {f"subnet-0000000{i}": ("us-east-1a", "us-east-1b")[i % 2] for i in range(1, 5)}
    network = _existing(subnet_availability_zones=zones)
    stack = _stack("eu-west-1")
    _refused(
        lambda: Cache(stack, "cache", CacheProps(name="shop", network=network, node_count=2)),
        "network.availability_zones",
        "eu-west-1",
    )
    _refused(
        lambda: Database(stack, "db", DatabaseProps(name="shop", network=network)),
        "network.availability_zones",
        "eu-west-1",
    )


# --- 2. region facts in ARNs ---------------------------------------------------------------------


def test_certificate_of_another_region_is_refused_by_the_environment() -> None:
    _refused(
        lambda: EnvironmentConfig(**{**CONFIG, "certificate_arn": WEST_CERT}),
        "certificate_arn",
        "eu-west-1",
        "us-east-1",
    )
    west_key = "arn:aws:kms:eu-west-1:123456789012:alias/tfstate"
    assert EnvironmentConfig(
        **{**CONFIG, "region": "eu-west-1", "certificate_arn": WEST_CERT, "state_kms_key_id": west_key}
    )


def test_arn_region_checks() -> None:
    key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    assert arn_region(key) == "us-east-1"
    assert certificate_region_problem(WEST_CERT, "eu-west-1") is None
    assert "us-east-1" in (certificate_region_problem(CONFIG["certificate_arn"], "eu-west-1") or "")
    assert "eu-west-1" in (kms_key_region_problem(key, "eu-west-1") or "")
    assert kms_key_region_problem(key, None) is None  # region unknown: nothing is guessed
    assert kms_key_region_problem("${aws_kms_key.k.arn}", "eu-west-1") is None  # a token
    assert "not of acm" in (certificate_region_problem(key, "us-east-1") or "")


# --- 3. secrets by value ------------------------------------------------------------------------

SECRETS = {
    "STRIPE": "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc",
    "GH": "ghp_" + "aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gH3jK5",
    "SLACK": "xoxb-" + "123456789012-1234567890123-abcdefghijABCDEFGHIJabcd",
    "AWS": "AKIA" + "IOSFODNN7EXAMPLE",
    "PEM": "-----BEGIN RSA PRIVATE KEY-----",
    "JWT": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
    "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "RANDOM": "kJ8s9dF2mN4pQ7rT1vX3zB6cE0gH5jL8",
    "URL": "postgres://app:s3cret@db:5432/app",
}
PLAIN = {
    "NODE_ENV": "production",
    "PORT": "3000",
    "API_BASE": "https://api.example.com/v1",
    "REGION": "us-east-1",
    "BUCKET": "arn:aws:s3:::my-bucket",
    "ACCOUNT": "123456789012",
    "REDIS_HOST": "${aws_elasticache_replication_group.c.primary_endpoint_address}",
}


@pytest.mark.parametrize("name", sorted(SECRETS))
def test_secret_values_are_found_whatever_their_name(name: str) -> None:
    problems = plain_value_problems({name: SECRETS[name]})
    assert len(problems) == 1 and problems[0].startswith(f"{name}:")
    assert SECRETS[name] not in problems[0]


def test_plain_values_pass() -> None:
    assert plain_value_problems(PLAIN) == []


def test_a_false_positive_is_marked_next_to_the_value_with_a_reason() -> None:
    sha = {"GIT_SHA": "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"}
    assert plain_value_problems(sha)
    assert plain_value_problems(sha, {"GIT_SHA": "commit hash of the build, public"}) == []
    assert allow_problems(sha, {"GIT_SHA": "ok"}) == [
        "GIT_SHA: say why the value is not a secret (at least 10 characters)"
    ]
    assert allow_problems(sha, {"OTHER": "a long enough reason"})


# --- 4. typed boundaries and messages for people ---------------------------------------------------


def test_a_cache_where_a_database_is_expected_is_a_type_error_naming_the_parameter(tmp_path: Path) -> None:
    caught: list[TypeError] = []

    def build(stack: TerraformStack) -> None:
        network = Network(
            stack, "n", NetworkProps(name="shop", availability_zones=("us-east-1a", "us-east-1b"))
        )
        cache = Cache(stack, "cache", CacheProps(name="shop", network=network))
        require_like(cache, "cache", CacheLike)
        with pytest.raises(TypeError, match=r"^peer: expected a Service, Database, Cache .* missing connect"):
            cache.connections.allow_default_port_from("my-service")  # type: ignore[arg-type]
        with pytest.raises(TypeError) as error:
            require_like(cache, "database", DatabaseLike)
        caught.append(error.value)

    synth_stack(tmp_path, build)
    message = str(caught[0])
    assert message.startswith("database: expected a Database or any DatabaseLike object")
    assert "got a Cache, missing " in message
    missing = message.split("got a Cache, missing ", 1)[1].split(", ")
    assert {"address", "database_name", "username"} <= set(missing)
    assert "port" not in missing and "connections" not in missing  # a Cache has those


def test_protocol_members_are_read_from_the_protocol() -> None:
    assert protocol_members(NetworkLike) == (
        "vpc_id",
        "public_subnet_ids",
        "private_subnet_ids",
        "isolated_subnet_ids",
        "availability_zones",
    )
    with pytest.raises(TypeError, match=r"network: expected a Network .* got None, missing vpc_id"):
        require_like(None, "network", NetworkLike)


def test_name_patterns_read_as_sentences() -> None:
    error = _refused(lambda: EnvironmentConfig(**{**CONFIG, "project": "Payments_API"}), "project")
    assert "String should match pattern" not in str(error)
    assert "lowercase letters, digits and hyphens, 3-32 characters, starting with a letter" in str(error)
    # The service's name pattern (service.py is not edited): 3-28 characters.
    assert (human_pattern_message(r"^[a-z][a-z0-9-]{1,26}[a-z0-9]$", "Payments_API") or "").startswith(
        "use lowercase letters, digits and hyphens, 3-28 characters, starting with a letter"
    )


def test_either_or_messages_tell_neither_from_both() -> None:
    neither = {k: v for k, v in CONFIG.items() if k != "certificate_arn"}
    _refused(lambda: EnvironmentConfig(**neither), "certificate_arn", "neither is set")
    both = {**CONFIG, "domain_name": "app.example.com", "hosted_zone_id": "Z0123456789ABC"}
    error = _refused(lambda: EnvironmentConfig(**both), "certificate_arn", "not both (both are set)")
    assert "neither" not in str(error)
    assert one_of_problem("a", True, "b", False) is None


def test_environment_problem_is_ready_for_a_props_validator() -> None:
    """What the Service's validator calls (wired after issue 13's split)."""
    stripe = {"STRIPE": SECRETS["STRIPE"], "NODE_ENV": "production"}
    assert (environment_problem(stripe, {}) or "").startswith(
        "environment: STRIPE: the value looks like a Stripe"
    )
    assert environment_problem(stripe, {"STRIPE": "test key of the public sandbox"}) is None
    assert (environment_problem(stripe, {"STRIPE": "x"}) or "").startswith("allow_plain_values: STRIPE")
