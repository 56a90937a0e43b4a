"""Issue 14, service side: the Service refuses a certificate of another region, a secret in a
plain ``environment`` value, a Cache passed as ``database``, and tells "neither" from "both".

The functions are in ``stackkit._private`` (tested in ``test_mistakes.py``); these tests show
them wired into the Service."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stackkit import (
    Cache,
    CacheProps,
    Cluster,
    ClusterProps,
    Network,
    NetworkProps,
    Service,
    ServiceProps,
    ValidationError,
)
from stackkit._private.cdk import TerraformStack
from tests.synth_helpers import synth_stack

EAST = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"
WEST = "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"
STRIPE = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"


def _parts(stack: TerraformStack) -> tuple[Network, Cluster]:
    network = Network(stack, "n", NetworkProps(name="shop", availability_zones=("us-east-1a", "us-east-1b")))
    return network, Cluster(stack, "c", ClusterProps(name="shop"))


def test_certificate_of_another_region_is_refused(tmp_path: Path) -> None:
    def build(stack: TerraformStack) -> None:
        network, cluster = _parts(stack)
        with pytest.raises(
            ValidationError, match=r"certificate_arn: .* is in eu-west-1.* builds in us-east-1"
        ):
            Service(
                stack,
                "s",
                ServiceProps(name="shop-api", certificate_arn=WEST),
                network=network,
                cluster=cluster,
            )

    synth_stack(tmp_path, build)


def test_a_secret_in_a_plain_value_is_refused_and_a_marked_one_recorded(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"environment: STRIPE: the value looks like a Stripe"):
        ServiceProps(name="shop-api", certificate_arn=EAST, environment={"STRIPE": STRIPE})
    sha = {"GIT_SHA": "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"}
    props = ServiceProps(
        name="shop-api", certificate_arn=EAST, environment=sha, allow_plain_values={"GIT_SHA": "build commit"}
    )

    def build(stack: TerraformStack) -> None:
        network, cluster = _parts(stack)
        Service(stack, "s", props, network=network, cluster=cluster)

    stack = synth_stack(tmp_path, build)
    (task,) = stack["resource"]["aws_ecs_task_definition"].values()
    assert task["//"]["stackkit_allow_plain_values"] == {"GIT_SHA": "build commit"}
    assert "GIT_SHA" in json.dumps(task["container_definitions"])


def test_a_cache_passed_as_database_is_a_type_error(tmp_path: Path) -> None:
    def build(stack: TerraformStack) -> None:
        network, cluster = _parts(stack)
        cache = Cache(stack, "cache", CacheProps(name="shop", network=network))
        with pytest.raises(
            TypeError, match=r"^database: expected a Database .* got a Cache, missing .*\baddress\b"
        ):
            Service(
                stack,
                "s",
                ServiceProps(name="shop-api", certificate_arn=EAST),
                network=network,
                cluster=cluster,
                database=cache,  # type: ignore[arg-type]
            )

    synth_stack(tmp_path, build)


def test_neither_and_both_certificates_have_different_messages() -> None:
    with pytest.raises(ValidationError, match="neither is set"):
        ServiceProps(name="shop-api")
    with pytest.raises(ValidationError, match=r"not both \(both are set\)"):
        ServiceProps(
            name="shop-api", certificate_arn=EAST, domain_name="a.example.com", hosted_zone_id="Z0123"
        )


def test_the_service_name_message_is_for_people() -> None:
    """Central (errors.py): no edit of service.py needed."""
    with pytest.raises(ValidationError) as caught:
        ServiceProps(name="Payments_API", certificate_arn=EAST)
    assert "name: use lowercase letters, digits and hyphens, 3-28 characters, starting with a letter" in str(
        caught.value
    )
    assert "String should match pattern" not in str(caught.value)
