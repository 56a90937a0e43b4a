"""AWS commercial regions and their Availability Zone names (public AWS documentation, 2026).

A table, not an API call: validation must work offline and before synthesis. Accounts map
AZ letters differently, but names like ``us-east-1a`` exist in every account of the region.

Only regions that have a legacy Elastic Load Balancing account are listed: the Service's
access-log bucket policy names it (``aws_elb_service_account``), and newer regions
(eu-central-2, me-central-1, ...) have none, so their plan would fail.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import get_close_matches

from stackkit.errors import ValidationError

AVAILABILITY_ZONES: dict[str, tuple[str, ...]] = {
    "us-east-1": ("us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"),
    "us-east-2": ("us-east-2a", "us-east-2b", "us-east-2c"),
    "us-west-1": ("us-west-1a", "us-west-1c"),
    "us-west-2": ("us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"),
    "ca-central-1": ("ca-central-1a", "ca-central-1b", "ca-central-1d"),
    "sa-east-1": ("sa-east-1a", "sa-east-1b", "sa-east-1c"),
    "eu-west-1": ("eu-west-1a", "eu-west-1b", "eu-west-1c"),
    "eu-west-2": ("eu-west-2a", "eu-west-2b", "eu-west-2c"),
    "eu-west-3": ("eu-west-3a", "eu-west-3b", "eu-west-3c"),
    "eu-central-1": ("eu-central-1a", "eu-central-1b", "eu-central-1c"),
    "eu-north-1": ("eu-north-1a", "eu-north-1b", "eu-north-1c"),
    "eu-south-1": ("eu-south-1a", "eu-south-1b", "eu-south-1c"),
    "ap-south-1": ("ap-south-1a", "ap-south-1b", "ap-south-1c"),
    "ap-northeast-1": ("ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"),
    "ap-northeast-2": ("ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c", "ap-northeast-2d"),
    "ap-northeast-3": ("ap-northeast-3a", "ap-northeast-3b", "ap-northeast-3c"),
    "ap-southeast-1": ("ap-southeast-1a", "ap-southeast-1b", "ap-southeast-1c"),
    "ap-southeast-2": ("ap-southeast-2a", "ap-southeast-2b", "ap-southeast-2c"),
    "af-south-1": ("af-south-1a", "af-south-1b", "af-south-1c"),
}

# --- checks on names, with suggestions --------------------------------------------------------
#
# AZ names are the region code followed by a letter (us-east-1a); AZ ids are the region's short
# code, "-az" and a number (use1-az1), the same physical zone in every account. AWS documents
# both in "Regions and Zones" (EC2 User Guide, "Availability Zones": "An Availability Zone is
# represented by a Region code followed by a letter identifier; for example, us-east-1a", and
# "AZ IDs ... for example, use1-az1").
# https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-regions-availability-zones.html

AZ_NAME = re.compile(r"^(?P<region>[a-z]{2}(?:-[a-z]+)+-\d)(?P<letter>[a-z])$")
AZ_ID = re.compile(r"^(?P<short>[a-z]{2,4}\d)-az(?P<number>\d{1,2})$")
REGION_NAME = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d$")

_DIRECTIONS = {
    "east": "e",
    "west": "w",
    "north": "n",
    "south": "s",
    "central": "c",
    "northeast": "ne",
    "northwest": "nw",
    "southeast": "se",
    "southwest": "sw",
}


def az_id_prefix(region: str) -> str:
    """The short code AZ ids start with: ``us-east-1`` -> ``use1``, ``ap-southeast-2`` -> ``apse2``
    (for the regions of :data:`AVAILABILITY_ZONES`: area, one direction, number)."""
    area, direction, number = region.split("-")
    return f"{area}{_DIRECTIONS[direction]}{number}"


def _suggest(value: str, choices: list[str]) -> str:
    near = get_close_matches(value, choices, n=2)  # difflib's default cutoff, 0.6
    return f"; did you mean {' or '.join(near)}?" if near else ""


def region_problem(region: str) -> str | None:
    """Why ``region`` is not a region stackkit can build in, with the nearest names; or None."""
    if region in AVAILABILITY_ZONES:
        return None
    return (
        f"{region!r} is not a known AWS region{_suggest(region, sorted(AVAILABILITY_ZONES))} "
        f"(known: {', '.join(sorted(AVAILABILITY_ZONES))})"
    )


#: Region name prefixes of the partitions other than ``aws``: "AWS commercial Regions are in the
#: aws partition, Regions in China are in the aws-cn partition, and AWS GovCloud Regions are in
#: the aws-us-gov partition" (AWS whitepaper "AWS Fault Isolation Boundaries", "Partitions",
#: https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html).
PARTITION_PREFIXES = {"cn-": "aws-cn", "us-gov-": "aws-us-gov"}


def partition_of(region: str) -> str | None:
    """The partition of ``region`` (``aws``, ``aws-cn``, ``aws-us-gov``), or None when it is not
    a region this table knows (then no partition check is made)."""
    for prefix, partition in PARTITION_PREFIXES.items():
        if region.startswith(prefix):
            return partition
    return "aws" if region in AVAILABILITY_ZONES else None


def region_of_zone(zone: str) -> str | None:
    """The region of an AZ name (``eu-west-1b`` -> ``eu-west-1``) or AZ id (``euw1-az2``), if known."""
    named = AZ_NAME.fullmatch(zone)
    if named and named["region"] in AVAILABILITY_ZONES:
        return named["region"]
    by_id = AZ_ID.fullmatch(zone)
    if by_id:
        for region in AVAILABILITY_ZONES:
            if az_id_prefix(region) == by_id["short"]:
                return region
    return None


def zone_problem(zone: str, region: str | None = None) -> str | None:
    """Why ``zone`` is not an AZ name or AZ id (of ``region``, when known), with the nearest
    valid names; or None. Letters are not checked against the account: AZ letters map to
    physical zones per account, and a region can add zones."""
    zone_region = region_of_zone(zone)
    if zone_region is None:
        candidates = sorted(z for zones in AVAILABILITY_ZONES.values() for z in zones)
        if region in AVAILABILITY_ZONES:
            candidates = list(AVAILABILITY_ZONES[region])
        return (
            f"{zone!r} is not an Availability Zone name such as eu-west-1a (region code + letter) "
            f"or an AZ id such as euw1-az1{_suggest(zone, candidates)}"
        )
    if region is not None and zone_region != region:
        return (
            f"{zone!r} is in {zone_region}, but the stack builds in {region}; use one of "
            f"{', '.join(AVAILABILITY_ZONES.get(region, ()))}"
        )
    return None


def zones_problem(zones: Iterable[str], region: str | None = None, *, names_only: bool = False) -> str | None:
    """The first problem of a set of AZs: a zone that is not an AZ (with a suggestion), an AZ id
    where only names work (``names_only``: subnets and cache placement take names), zones of
    different regions, or zones of another region than ``region`` (when known)."""
    zones = list(zones)
    for zone in zones:
        problem = zone_problem(zone)
        if problem:
            return problem
        if names_only and not AZ_NAME.fullmatch(zone):
            return f"{zone!r} is an AZ id; use the AZ name here, such as {region or 'us-east-1'}a"
    regions = sorted({region_of_zone(zone) or "" for zone in zones})
    if len(regions) > 1:
        return (
            f"the AZs {sorted(set(zones))} are in different regions ({', '.join(regions)}); use one region's"
        )
    for zone in zones:
        problem = zone_problem(zone, region)
        if problem:
            return problem
    return None


def check_network_region(network: object, region: str | None, props_name: str) -> None:
    """Refuse, before any resource exists, a network whose ``availability_zones`` are not zones
    of ``region`` (the provider's, known only in the construct, not in the props). Skipped when
    the network states no zones (an ``ExistingNetwork`` may not know them) or the region is a
    token (``region`` None)."""
    zones = getattr(network, "availability_zones", None)
    problem = zones_problem(zones, region) if zones else None
    if problem:
        raise ValidationError(props_name, [("network.availability_zones", problem)])
