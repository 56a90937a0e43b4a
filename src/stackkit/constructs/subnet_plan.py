"""Pure subnet planning: which CIDR each (tier, AZ) gets. No cdktf here, so config can
validate a network before anything is synthesized.

Layout: the VPC is cut into equal blocks; tier ``t`` and the AZ at position ``i`` of the
AZ list take block ``t * SLOTS_PER_TIER + i``. Appending an AZ therefore never moves an
existing subnet, and subnets never overlap by construction.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from enum import StrEnum

#: The most AZs any region has (us-east-1): every region's AZs fit the layout.
SLOTS_PER_TIER = 6
#: The smallest subnet AWS allows.
SMALLEST_SUBNET_PREFIX = 28


class SubnetTier(StrEnum):
    """Public (load balancers, NAT), private (tasks; internet via NAT), isolated (data; no internet)."""

    PUBLIC = "public"
    PRIVATE = "private"
    ISOLATED = "isolated"


TIERS: tuple[SubnetTier, ...] = tuple(SubnetTier)
#: 3 tiers x 6 slots = 18 blocks: 5 more prefix bits than the VPC's (32 blocks) hold them all.
LAYOUT_BITS = (len(TIERS) * SLOTS_PER_TIER - 1).bit_length()


def parse_cidr(value: str) -> ipaddress.IPv4Network:
    """A strict IPv4 CIDR (host bits zero), with a message that says what would be valid."""
    try:
        network = ipaddress.IPv4Network(value)  # strict by default: host bits must be zero
    except ValueError as error:
        raise ValueError(
            f"{value!r} is not a valid IPv4 CIDR block ({error}); use the form 10.0.0.0/16"
        ) from None
    if "/" not in value:
        raise ValueError(f"{value!r} has no prefix length; use the form 10.0.0.0/16")
    return network


def default_subnet_prefix(vpc: ipaddress.IPv4Network) -> int:
    """The subnets' prefix when none is given: the largest blocks that fit."""
    return vpc.prefixlen + LAYOUT_BITS


def plan_subnets(
    vpc_cidr: str,
    availability_zones: Sequence[str],
    subnet_prefix_length: int | None = None,
    overrides: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[SubnetTier, dict[str, str]]:
    """CIDR per tier and AZ name. Raises ``ValueError`` naming the problem and the fix."""
    vpc = parse_cidr(vpc_cidr)
    if not 16 <= vpc.prefixlen <= 28:
        raise ValueError(f"VPC CIDR {vpc_cidr} must have a prefix between /16 and /28 (AWS limit)")
    if len(availability_zones) > SLOTS_PER_TIER:
        raise ValueError(f"at most {SLOTS_PER_TIER} availability zones fit the subnet layout")
    if overrides is not None:
        return _check_overrides(vpc, availability_zones, overrides)
    shortest = default_subnet_prefix(vpc)
    prefix = shortest if subnet_prefix_length is None else subnet_prefix_length
    slots = f"{len(TIERS)} tiers x {SLOTS_PER_TIER} AZ slots"
    if shortest > SMALLEST_SUBNET_PREFIX:
        largest_vpc = SMALLEST_SUBNET_PREFIX - LAYOUT_BITS
        raise ValueError(
            f"VPC {vpc_cidr} is too small for {slots} of /{SMALLEST_SUBNET_PREFIX} subnets (the smallest "
            f"AWS allows); use a VPC of /{largest_vpc} or larger, or give subnet_cidrs"
        )
    if not shortest <= prefix <= SMALLEST_SUBNET_PREFIX:
        raise ValueError(
            f"subnet_prefix_length {prefix} does not fit VPC {vpc_cidr}: {slots} need subnets of "
            f"/{shortest} to /{SMALLEST_SUBNET_PREFIX} (AWS subnets are /{SMALLEST_SUBNET_PREFIX} or larger)"
        )
    blocks = list(vpc.subnets(new_prefix=prefix))
    return {
        tier: {
            az: str(blocks[tier_index * SLOTS_PER_TIER + az_index])
            for az_index, az in enumerate(availability_zones)
        }
        for tier_index, tier in enumerate(TIERS)
    }


def _check_overrides(
    vpc: ipaddress.IPv4Network,
    availability_zones: Sequence[str],
    overrides: Mapping[str, Mapping[str, str]],
) -> dict[SubnetTier, dict[str, str]]:
    plan: dict[SubnetTier, dict[str, str]] = {}
    seen: list[tuple[str, ipaddress.IPv4Network]] = []
    for tier in TIERS:
        by_az = overrides.get(tier.value)
        if by_az is None or set(by_az) != set(availability_zones):
            raise ValueError(
                f"subnet_cidrs[{tier.value!r}] must give one CIDR for each AZ "
                f"{list(availability_zones)}, got {sorted(by_az or {})}"
            )
        plan[tier] = {}
        for az in availability_zones:
            subnet = parse_cidr(by_az[az])
            label = f"{tier.value}/{az} {subnet}"
            if not subnet.subnet_of(vpc):
                raise ValueError(f"subnet {label} is outside the VPC {vpc}; pick a block inside it")
            if subnet.prefixlen > SMALLEST_SUBNET_PREFIX:
                raise ValueError(f"subnet {label} is smaller than /{SMALLEST_SUBNET_PREFIX} (AWS minimum)")
            for other_label, other in seen:
                if subnet.overlaps(other):
                    raise ValueError(f"subnet {label} overlaps {other_label}; give each subnet its own block")
            seen.append((label, subnet))
            plan[tier][az] = str(subnet)
    unknown = set(overrides) - {tier.value for tier in TIERS}
    if unknown:
        raise ValueError(f"unknown subnet tiers {sorted(unknown)}; use {[t.value for t in TIERS]}")
    return plan
