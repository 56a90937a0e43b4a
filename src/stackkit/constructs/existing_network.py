"""ExistingNetwork: bring your own VPC. A typed, validated description of a network that
already exists, accepted wherever a :class:`~stackkit.constructs.network.Network` is."""

from __future__ import annotations

import re
from typing import Self

from pydantic import Field, field_validator, model_validator

from stackkit._private.model import FrozenModel
from stackkit._private.regions import zones_problem
from stackkit.constructs.subnet_plan import parse_cidr

VPC_ID = re.compile(r"^vpc-[0-9a-f]{8}([0-9a-f]{9})?$")
SUBNET_ID = re.compile(r"^subnet-[0-9a-f]{8}([0-9a-f]{9})?$")


class ExistingNetwork(FrozenModel):
    """A VPC and its subnets by id, e.g. from another team's Terraform outputs.

    Three tiers, as in :class:`Network`: ``public`` (load balancers), ``private`` (tasks, with
    a NAT route) and ``isolated`` (databases, caches). Without a separate data tier, pass the
    private subnets as ``isolated_subnet_ids`` too.
    """

    vpc_id: str
    """Required: ``vpc-`` followed by 8 or 17 hex digits."""
    public_subnet_ids: tuple[str, ...] = Field(min_length=1)
    """Required, at least one: subnets with a route to an internet gateway (load balancers)."""
    private_subnet_ids: tuple[str, ...] = Field(min_length=1)
    """Required, at least one: subnets with outbound internet through NAT (service tasks)."""
    isolated_subnet_ids: tuple[str, ...] = Field(min_length=1)
    """Required, at least one: subnets without internet routes (databases, caches). An RDS
    subnet group needs two, in different AZs."""
    subnet_availability_zones: dict[str, str] | None = None
    """Default: none (AZs unknown). Subnet id -> AZ name (``eu-west-1a``) or AZ id (``euw1-az1``),
    for every subnet, all in one known region; a typo is refused with the nearest name. When
    given, multi-AZ checks apply (a multi-AZ database or cache needs its subnets in at least 2
    AZs) and the constructs refuse AZs of another region than the stack's (when known)."""
    cidr: str | None = None
    """The VPC's CIDR, when callers need it (e.g. for a rule). Default: unknown."""

    @field_validator("vpc_id")
    @classmethod
    def _vpc_id(cls, value: str) -> str:
        if not VPC_ID.fullmatch(value):
            raise ValueError(f"{value!r} is not a VPC id such as vpc-0a1b2c3d4e5f67890")
        return value

    @field_validator("public_subnet_ids", "private_subnet_ids", "isolated_subnet_ids")
    @classmethod
    def _subnet_ids(cls, ids: tuple[str, ...]) -> tuple[str, ...]:
        for subnet in ids:
            if not SUBNET_ID.fullmatch(subnet):
                raise ValueError(f"{subnet!r} is not a subnet id such as subnet-0a1b2c3d4e5f67890")
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate subnet ids in {list(ids)}")
        return ids

    @field_validator("cidr")
    @classmethod
    def _cidr(cls, value: str | None) -> str | None:
        if value is not None:
            parse_cidr(value)
        return value

    @model_validator(mode="after")
    def _azs_cover_every_subnet(self) -> Self:
        zones = self.subnet_availability_zones
        if zones is None:
            return self
        every = {*self.public_subnet_ids, *self.private_subnet_ids, *self.isolated_subnet_ids}
        missing = sorted(every - set(zones))
        if missing:
            raise ValueError(f"subnet_availability_zones: no AZ given for {missing}")
        problem = zones_problem(zones.values())
        if problem:
            raise ValueError(f"subnet_availability_zones: {problem}")
        return self

    @property
    def availability_zones(self) -> tuple[str, ...] | None:
        """The distinct AZs of the isolated (data) subnets, or None when AZs were not given."""
        if self.subnet_availability_zones is None:
            return None
        return tuple(sorted({self.subnet_availability_zones[s] for s in self.isolated_subnet_ids}))
