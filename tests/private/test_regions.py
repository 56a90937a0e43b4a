"""Regions and AZs: names, ids, the exact "did you mean" text and how many names it offers.

AZ names are "a Region code followed by a letter identifier"; an AZ id is "the first three
letters of the Region code, followed by the number at the end of the Region code, followed by
-az, followed by a number" ("AWS Availability Zones", AWS Regions and Availability Zones:
https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html).
The id prefixes below are copied from that page's AZ ID tables (and the EFS guide's "Supported
Availability Zones for One Zone file systems": https://docs.aws.amazon.com/efs/latest/ug/OneZoneAZs.html),
not derived from the region names.
"""

from __future__ import annotations

import pytest

from stackkit._private.regions import (
    AVAILABILITY_ZONES,
    az_id_prefix,
    check_network_region,
    partition_of,
    region_of_zone,
    region_problem,
    zone_problem,
    zones_problem,
)
from stackkit.errors import ValidationError

AZ_ID_PREFIXES = {
    "us-east-1": "use1",
    "us-east-2": "use2",
    "us-west-1": "usw1",
    "us-west-2": "usw2",
    "ca-central-1": "cac1",
    "sa-east-1": "sae1",
    "eu-west-1": "euw1",
    "eu-west-2": "euw2",
    "eu-west-3": "euw3",
    "eu-central-1": "euc1",
    "eu-north-1": "eun1",
    "eu-south-1": "eus1",
    "ap-south-1": "aps1",
    "ap-northeast-1": "apne1",
    "ap-northeast-2": "apne2",
    "ap-northeast-3": "apne3",
    "ap-southeast-1": "apse1",
    "ap-southeast-2": "apse2",
    "af-south-1": "afs1",
}
KNOWN = (
    "af-south-1, ap-northeast-1, ap-northeast-2, ap-northeast-3, ap-south-1, ap-southeast-1, "
    "ap-southeast-2, ca-central-1, eu-central-1, eu-north-1, eu-south-1, eu-west-1, eu-west-2, "
    "eu-west-3, sa-east-1, us-east-1, us-east-2, us-west-1, us-west-2"
)
NOT_A_ZONE = (
    "is not an Availability Zone name such as eu-west-1a (region code + letter) or an AZ id such as euw1-az1"
)


def test_the_table_is_the_regions_with_an_elb_account() -> None:
    assert sorted(AVAILABILITY_ZONES) == sorted(AZ_ID_PREFIXES)
    assert AVAILABILITY_ZONES["us-east-1"] == (
        "us-east-1a",
        "us-east-1b",
        "us-east-1c",
        "us-east-1d",
        "us-east-1e",
        "us-east-1f",
    )


@pytest.mark.parametrize(("region", "prefix"), sorted(AZ_ID_PREFIXES.items()))
def test_az_id_prefixes(region: str, prefix: str) -> None:
    assert az_id_prefix(region) == prefix
    assert region_of_zone(f"{prefix}-az1") == region
    assert region_of_zone(f"{prefix}-az12") == region
    assert zone_problem(f"{prefix}-az3", region) is None


@pytest.mark.parametrize(
    ("zone", "region"),
    [
        ("eu-west-1b", "eu-west-1"),
        ("ap-southeast-2c", "ap-southeast-2"),
        ("us-east-1f", "us-east-1"),
        ("us-east-1z", "us-east-1"),  # letters are per account: not checked
        ("eu-central-2a", None),  # not in the table
        ("eu-west-1", None),  # a region, not a zone
        ("eu-west-1ab", None),
        ("EU-WEST-1A", None),
        ("euw1-az", None),
        ("euw1-az123", None),
        ("xxx1-az1", None),
        ("euw1az1", None),
    ],
)
def test_region_of_zone(zone: str, region: str | None) -> None:
    assert region_of_zone(zone) == region


def test_a_known_region_has_no_problem() -> None:
    assert region_problem("eu-west-1") is None


@pytest.mark.parametrize(
    ("region", "suggestion"),
    [
        # Two names at most, best first; ties in reverse alphabetical order (difflib). "eu-west1"
        # shares 8 of 8 + 9 characters with eu-west-1 (0.94), 7 with eu-west-2/-3 and us-west-1 (0.82).
        ("eu-west1", "; did you mean eu-west-1 or us-west-1?"),
        ("us-esat-1", "; did you mean us-west-1 or us-east-1?"),
        ("apsoutheast-2", "; did you mean ap-southeast-2 or ap-southeast-1?"),
        ("mars-1", ""),
    ],
)
def test_an_unknown_region_gets_up_to_two_suggestions_and_the_known_list(
    region: str, suggestion: str
) -> None:
    assert region_problem(region) == f"{region!r} is not a known AWS region{suggestion} (known: {KNOWN})"


def test_a_zone_typo_gets_two_suggestions_from_every_region_or_from_its_own() -> None:
    assert zone_problem("eu-wset-1b") == f"'eu-wset-1b' {NOT_A_ZONE}; did you mean eu-west-1b or eu-west-3b?"
    assert (
        zone_problem("eu-wset-1b", "eu-west-1")
        == f"'eu-wset-1b' {NOT_A_ZONE}; did you mean eu-west-1b or eu-west-1c?"
    )
    assert zone_problem("nowhere") == f"'nowhere' {NOT_A_ZONE}"
    # An unknown region: every known zone is a candidate.
    assert zone_problem("eu-wset-1b", "eu-central-2").endswith("did you mean eu-west-1b or eu-west-3b?")


def test_a_zone_of_another_region_names_the_right_ones() -> None:
    assert zone_problem("us-east-1a", "eu-west-1") == (
        "'us-east-1a' is in us-east-1, but the stack builds in eu-west-1; use one of "
        "eu-west-1a, eu-west-1b, eu-west-1c"
    )
    assert zone_problem("use1-az1", "eu-west-1") == (
        "'use1-az1' is in us-east-1, but the stack builds in eu-west-1; use one of "
        "eu-west-1a, eu-west-1b, eu-west-1c"
    )
    assert zone_problem("us-east-1a", "eu-central-2") == (
        "'us-east-1a' is in us-east-1, but the stack builds in eu-central-2; use one of "
    )
    assert zone_problem("us-east-1a") is None


def test_zones_problem_reports_the_first_problem() -> None:
    assert zones_problem(["eu-west-1a", "eu-west-1b"], "eu-west-1") is None
    assert zones_problem(["eu-west-1a", "euw1-az2"], "eu-west-1") is None
    assert zones_problem([]) is None
    assert zones_problem(["euw1-az1"], names_only=True) == (
        "'euw1-az1' is an AZ id; use the AZ name here, such as us-east-1a"
    )
    assert zones_problem(["eu-west-1a", "euw1-az1"], "eu-west-1", names_only=True) == (
        "'euw1-az1' is an AZ id; use the AZ name here, such as eu-west-1a"
    )
    assert zones_problem(["eu-west-1a", "us-east-1b", "eu-west-1a"]) == (
        "the AZs ['eu-west-1a', 'us-east-1b'] are in different regions (eu-west-1, us-east-1); "
        "use one region's"
    )
    assert zones_problem(["eu-west-1a", "eu-wset-1b"]) == (
        f"'eu-wset-1b' {NOT_A_ZONE}; did you mean eu-west-1b or eu-west-3b?"
    )
    assert zones_problem(["us-east-1a", "us-east-1b"], "eu-west-1") == (
        "'us-east-1a' is in us-east-1, but the stack builds in eu-west-1; use one of "
        "eu-west-1a, eu-west-1b, eu-west-1c"
    )


class _Network:
    def __init__(self, zones: tuple[str, ...] | None) -> None:
        self.availability_zones = zones


def test_check_network_region() -> None:
    check_network_region(_Network(("eu-west-1a", "eu-west-1b")), "eu-west-1", "DatabaseProps")
    check_network_region(_Network(None), "eu-west-1", "DatabaseProps")  # zones not stated
    check_network_region(_Network(()), "eu-west-1", "DatabaseProps")
    check_network_region(object(), "eu-west-1", "DatabaseProps")
    check_network_region(_Network(("us-east-1a", "us-east-1b")), None, "DatabaseProps")  # token region
    with pytest.raises(ValidationError) as caught:
        check_network_region(_Network(("us-east-1a", "us-east-1b")), "eu-west-1", "CacheProps")
    assert caught.value.fields == ["network.availability_zones"]
    assert str(caught.value) == (
        "invalid CacheProps:\n  - network.availability_zones: 'us-east-1a' is in us-east-1, but the "
        "stack builds in eu-west-1; use one of eu-west-1a, eu-west-1b, eu-west-1c"
    )


@pytest.mark.parametrize(
    ("region", "partition"),
    [
        # "AWS commercial Regions are in the aws partition, Regions in China are in the aws-cn
        # partition, and AWS GovCloud Regions are in the aws-us-gov partition" (AWS whitepaper "AWS
        # Fault Isolation Boundaries", "Partitions":
        # https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html).
        ("us-east-1", "aws"),
        ("eu-west-1", "aws"),
        ("af-south-1", "aws"),
        ("cn-north-1", "aws-cn"),
        ("cn-northwest-1", "aws-cn"),
        ("us-gov-west-1", "aws-us-gov"),
        ("us-gov-east-1", "aws-us-gov"),
        ("eu-central-2", None),  # a commercial region the table does not list: not judged
        ("xx-nowhere-9", None),
        ("us-govcloud-1", None),
        ("cn", None),
    ],
)
def test_partition_of(region: str, partition: str | None) -> None:
    assert partition_of(region) == partition
