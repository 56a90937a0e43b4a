"""Environment configuration: seed defaults, per-environment differences, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from stackkit import ValidationError
from stackkit.patterns import EnvironmentConfig
from stacks.app import synth
from stacks.environments import load_environment

VALID = {
    "environment": "dev",
    "allowed_account_ids": ["123456789012"],
    "state_bucket": "tfstate-bucket",
    "state_kms_key_id": "arn:aws:kms:us-east-1:123456789012:alias/tfstate",
    "certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
}


def config(**changes: object) -> EnvironmentConfig:
    return EnvironmentConfig(**{**VALID, **changes})


def test_seed_defaults_are_the_defaults() -> None:
    dev = config()
    assert dev.vpc_cidr == "10.0.0.0/16"
    assert dev.region == "us-east-1"
    assert dev.az_count == 2
    assert dev.resolved_state_key == "stackkit/dev/terraform.tfstate"
    assert dev.default_tags == {
        "Project": "stackkit",
        "Environment": "dev",
        "ManagedBy": "stackkit",
        "Owner": "platform-team",
    }


def test_prod_differs_only_where_stated() -> None:
    prod, dev = load_environment("prod"), load_environment("dev")
    assert (prod.az_count, prod.nat.value) == (3, "per_az")
    assert (dev.az_count, dev.nat.value) == (2, "single")
    assert prod.availability_zones == ("us-east-1a", "us-east-1b", "us-east-1c")


def test_every_az_of_a_region_is_accepted() -> None:
    """us-east-1 has six AZs (the most of any region in the region table), eu-west-1 three:
    ``az_count`` up to that number is valid (the layout has six slots per tier)."""
    six = config(az_count=6)
    assert six.availability_zones == (
        "us-east-1a",
        "us-east-1b",
        "us-east-1c",
        "us-east-1d",
        "us-east-1e",
        "us-east-1f",
    )
    certificate = "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"
    key = "arn:aws:kms:eu-west-1:123456789012:alias/tfstate"
    ireland = config(az_count=3, region="eu-west-1", certificate_arn=certificate, state_kms_key_id=key)
    assert ireland.availability_zones == (
        "eu-west-1a",
        "eu-west-1b",
        "eu-west-1c",
    )


def test_a_valid_subnet_cidrs_override_is_accepted_and_passed_to_the_network() -> None:
    """Three tiers of /24s inside 10.0.0.0/16, none overlapping: taken as given."""
    given = {
        "public": {"us-east-1a": "10.0.0.0/24", "us-east-1b": "10.0.1.0/24"},
        "private": {"us-east-1a": "10.0.2.0/24", "us-east-1b": "10.0.3.0/24"},
        "isolated": {"us-east-1a": "10.0.4.0/24", "us-east-1b": "10.0.5.0/24"},
    }
    props = config(subnet_cidrs=given).network_props()
    assert props.subnet_cidrs is not None
    assert {tier.value: by_az for tier, by_az in props.subnet_cidrs.items()} == given


@pytest.mark.parametrize(
    ("changes", "field", "hint"),
    [
        ({"vpc_cidr": "10.0.0/16"}, "vpc_cidr", "10.0.0.0/16"),
        ({"vpc_cidr": "10.0.0.1/16"}, "vpc_cidr", "host bits"),
        ({"vpc_cidr": "10.0.0.0/25"}, "vpc_cidr", "too small"),
        ({"vpc_cidr": "10.0.0.0/8"}, "vpc_cidr", "/16 and /28"),
        (
            {
                "subnet_cidrs": {
                    "public": {"us-east-1a": "10.0.0.0/24", "us-east-1b": "10.0.1.0/24"},
                    "private": {"us-east-1a": "10.0.0.128/25", "us-east-1b": "10.0.3.0/24"},
                    "isolated": {"us-east-1a": "10.0.4.0/24", "us-east-1b": "10.0.5.0/24"},
                }
            },
            "subnet_cidrs",
            "overlaps",
        ),
        (
            {
                "subnet_cidrs": {
                    "public": {"us-east-1a": "10.1.0.0/24", "us-east-1b": "10.0.1.0/24"},
                    "private": {"us-east-1a": "10.0.2.0/24", "us-east-1b": "10.0.3.0/24"},
                    "isolated": {"us-east-1a": "10.0.4.0/24", "us-east-1b": "10.0.5.0/24"},
                }
            },
            "subnet_cidrs",
            "outside the VPC",
        ),
        ({"az_count": 1}, "az_count", "greater than or equal to 2"),
        ({"az_count": 4, "region": "eu-west-1"}, "az_count", "use 2..3"),
        ({"project": ""}, "project", "3-32 characters"),
        ({"project": "My_Project"}, "project", "no uppercase letters; no underscores"),
        ({"region": "us-east-9"}, "region", "not a known AWS region"),
        ({"region": "mars-1"}, "region", "eu-west-1"),
        ({"allowed_account_ids": ["12345"]}, "allowed_account_ids", "12 digits"),
        ({"allowed_account_ids": []}, "allowed_account_ids", "at least 1"),
        ({"state_bucket": "Bad_Bucket"}, "state_bucket", "S3 bucket name"),
        ({"tags": {"Owner": "me"}}, "tags", "set by stackkit"),
        ({"nat": "sometimes"}, "nat", "single"),
        ({"colour": "blue"}, "colour", "Extra inputs"),
        ({"alarm_emails": ["oncall"]}, "alarm_emails", "oncall@example.com"),
        ({"alarm_https_endpoints": ["http://hooks.example.com"]}, "alarm_https_endpoints", "https://"),
        ({"alarm_thresholds": {"service_cpu_percent": 150}}, "alarm_thresholds.service_cpu_percent", "100"),
        ({"alarm_thresholds": {"evaluation_periods": 0}}, "alarm_thresholds.evaluation_periods", "1"),
    ],
)
def test_bad_input_names_the_field_and_the_fix(changes: dict[str, object], field: str, hint: str) -> None:
    with pytest.raises(ValidationError) as caught:
        config(**changes)
    assert field in caught.value.fields
    assert hint in str(caught.value)


def test_unknown_environment_is_rejected_with_the_choices() -> None:
    with pytest.raises(ValidationError) as caught:
        load_environment("qa")
    assert caught.value.fields == ["environment"]
    assert "dev, staging, prod" in str(caught.value)


def test_bad_environment_fails_before_anything_is_synthesized(tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        synth(str(tmp_path), environments=["dev", "qa"])
    assert not any(tmp_path.iterdir())
