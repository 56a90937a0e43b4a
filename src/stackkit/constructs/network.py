"""Network: a VPC with public, private and isolated subnets in each Availability Zone."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Protocol, Self

from pydantic import Field, model_validator

from stackkit._private.cdk import (
    Construct,
    DefaultSecurityGroup,
    Eip,
    FlowLog,
    IamRole,
    IamRolePolicy,
    InternetGateway,
    NatGateway,
    Route,
    RouteTable,
    RouteTableAssociation,
    Subnet,
    Vpc,
    VpcEndpoint,
)
from stackkit._private.iam import assume_role_policy, policy_document
from stackkit._private.logs import DEFAULT_LOG_RETENTION_DAYS, encrypted_log_group
from stackkit._private.model import FrozenModel
from stackkit._private.regions import zones_problem
from stackkit._private.rules import LogRetentionDays
from stackkit._private.terraform import AwsContext, pin_address, region_of
from stackkit.constructs.encryption_key import EncryptionKey, EncryptionKeyProps
from stackkit.constructs.subnet_plan import SubnetTier, plan_subnets
from stackkit.errors import ValidationError

#: The seed's VPC CIDR.
DEFAULT_VPC_CIDR = "10.0.0.0/16"
NAME_PATTERN = r"^[a-z][a-z0-9-]{1,30}[a-z0-9]$"


class NatStrategy(StrEnum):
    """How private subnets reach the internet."""

    SINGLE = "single"
    """One NAT gateway for all AZs: cheaper, but an AZ outage cuts egress (dev)."""
    PER_AZ = "per_az"
    """One NAT gateway per AZ: survives the loss of an AZ (prod)."""


class NetworkLike(Protocol):
    """What a construct needs from a network: ours (:class:`Network`) or an existing one."""

    @property
    def vpc_id(self) -> str: ...
    @property
    def public_subnet_ids(self) -> Sequence[str]: ...
    @property
    def private_subnet_ids(self) -> Sequence[str]: ...
    @property
    def isolated_subnet_ids(self) -> Sequence[str]: ...
    @property
    def availability_zones(self) -> tuple[str, ...] | None: ...


class NetworkProps(FrozenModel):
    """Props of :class:`Network`. Defaults come from the seed, hardened."""

    name: str = Field(pattern=NAME_PATTERN)
    """Required. Names the resources (``<name>-vpc``) and their Terraform addresses; unique per stack."""
    availability_zones: tuple[str, ...] = Field(min_length=2)
    """Required. AZ names, e.g. ``("us-east-1a", "us-east-1b")``, all of the stack's region (checked
    when the provider's region is a literal). At least 2, so subnets and NAT can survive an AZ.
    Append to grow: existing subnets keep their address and CIDR."""
    cidr: str = DEFAULT_VPC_CIDR
    """Default ``10.0.0.0/16`` (the seed)."""
    nat: NatStrategy = NatStrategy.PER_AZ
    """Default one NAT gateway per AZ (highly available); ``single`` saves cost in dev."""
    subnet_prefix_length: int | None = None
    """Default: five bits below the VPC (/21 in a /16), room for 3 tiers x 6 AZs."""
    subnet_cidrs: dict[SubnetTier, dict[str, str]] | None = None
    """Explicit CIDR per tier and AZ instead of the computed layout. Default: computed."""
    flow_log_retention_days: LogRetentionDays = DEFAULT_LOG_RETENTION_DAYS
    """Default 365 days: a year of traffic records for incident reviews."""

    @model_validator(mode="after")
    def _subnets_fit(self) -> Self:
        if len(set(self.availability_zones)) != len(self.availability_zones):
            raise ValueError(f"availability_zones: has duplicates: {list(self.availability_zones)}")
        problem = zones_problem(self.availability_zones, names_only=True)
        if problem:
            raise ValueError(f"availability_zones: {problem}")
        try:
            self.subnet_plan()
        except ValueError as error:  # name the field to change (found by the property tests)
            field = (
                "subnet_cidrs"
                if self.subnet_cidrs is not None
                else "subnet_prefix_length"
                if self.subnet_prefix_length is not None
                else "cidr"
            )
            raise ValueError(f"{field}: {error}") from None
        return self

    def subnet_plan(self) -> dict[SubnetTier, dict[str, str]]:
        """CIDR per tier and AZ (see :mod:`stackkit.constructs.subnet_plan`)."""
        overrides = (
            {tier.value: by_az for tier, by_az in self.subnet_cidrs.items()}
            if self.subnet_cidrs is not None
            else None
        )
        return plan_subnets(self.cidr, self.availability_zones, self.subnet_prefix_length, overrides)


class Network(Construct):
    """A VPC from the seed's defaults, production-ready.

    Per AZ a public, a private and an isolated subnet, each keyed by tier and AZ name; an
    internet gateway; NAT per AZ or single; route tables per tier (isolated: no internet);
    flow logs to a KMS-encrypted log group; the default security group with no rules; an
    S3 gateway endpoint.

    Attributes: ``vpc_id``, ``cidr``, ``availability_zones``, ``public_subnet_ids``,
    ``private_subnet_ids``, ``isolated_subnet_ids``, ``subnet_ids`` (tier -> AZ -> id),
    ``vpc`` (the resource).
    """

    def __init__(self, scope: Construct, id_: str, props: NetworkProps) -> None:
        super().__init__(scope, id_)
        self.props = props
        # The AZs must be of the region the stack builds in (known only here, from the provider).
        problem = zones_problem(props.availability_zones, region_of(self))
        if problem:
            raise ValidationError("NetworkProps", [("availability_zones", problem)])
        name = props.name
        self.vpc = Vpc(
            self,
            "vpc",
            cidr_block=props.cidr,
            enable_dns_hostnames=True,
            enable_dns_support=True,
            tags={"Name": f"{name}-vpc"},
        )
        pin_address(self.vpc, name, "vpc")
        self.vpc_id: str = self.vpc.id
        self.cidr: str = props.cidr
        self.availability_zones: tuple[str, ...] = props.availability_zones

        plan = props.subnet_plan()
        self.subnet_ids: dict[SubnetTier, dict[str, str]] = {tier: {} for tier in SubnetTier}
        for tier, by_az in plan.items():
            for az, cidr in by_az.items():
                subnet = Subnet(
                    self,
                    f"{tier.value}-{az}",
                    vpc_id=self.vpc_id,
                    cidr_block=cidr,
                    availability_zone=az,
                    map_public_ip_on_launch=False,
                    tags={"Name": f"{name}-{tier.value}-{az}", "Tier": tier.value},
                )
                pin_address(subnet, name, tier.value, az)
                self.subnet_ids[tier][az] = subnet.id
        self.public_subnet_ids = list(self.subnet_ids[SubnetTier.PUBLIC].values())
        self.private_subnet_ids = list(self.subnet_ids[SubnetTier.PRIVATE].values())
        self.isolated_subnet_ids = list(self.subnet_ids[SubnetTier.ISOLATED].values())

        route_table_ids = self._routing(name)
        self._lock_default_security_group(name)
        endpoint = VpcEndpoint(
            self,
            "s3-endpoint",
            vpc_id=self.vpc_id,
            service_name=f"com.amazonaws.{AwsContext.of(self).region}.s3",
            vpc_endpoint_type="Gateway",
            route_table_ids=route_table_ids,
            tags={"Name": f"{name}-s3"},
        )
        pin_address(endpoint, name, "s3_endpoint")
        self._flow_logs(name)

    def _routing(self, name: str) -> list[str]:
        """Route tables; returns the ids of the private and isolated ones."""
        igw = InternetGateway(self, "igw", vpc_id=self.vpc_id, tags={"Name": f"{name}-igw"})
        pin_address(igw, name, "igw")
        public = RouteTable(self, "public-rt", vpc_id=self.vpc_id, tags={"Name": f"{name}-public"})
        pin_address(public, name, "public_rt")
        public_id = public.id
        internet = Route(
            self,
            "public-internet",
            route_table_id=public_id,
            destination_cidr_block="0.0.0.0/0",
            gateway_id=igw.id,
        )
        pin_address(internet, name, "public_internet")

        nat_azs = (
            self.availability_zones if self.props.nat is NatStrategy.PER_AZ else self.availability_zones[:1]
        )
        nat_ids: dict[str, str] = {}
        for az in nat_azs:
            eip = Eip(self, f"nat-eip-{az}", domain="vpc", tags={"Name": f"{name}-nat-{az}"})
            pin_address(eip, name, "nat_eip", az)
            nat = NatGateway(
                self,
                f"nat-{az}",
                allocation_id=eip.allocation_id,
                subnet_id=self.subnet_ids[SubnetTier.PUBLIC][az],
                tags={"Name": f"{name}-nat-{az}"},
                depends_on=[igw],
            )
            pin_address(nat, name, "nat", az)
            nat_ids[az] = nat.id

        gateway_route_tables: list[str] = []
        for az in self.availability_zones:
            self._associate(name, SubnetTier.PUBLIC, az, public_id)
            private = RouteTable(
                self, f"private-rt-{az}", vpc_id=self.vpc_id, tags={"Name": f"{name}-private-{az}"}
            )
            pin_address(private, name, "private_rt", az)
            private_id = private.id
            egress = Route(
                self,
                f"private-nat-{az}",
                route_table_id=private_id,
                destination_cidr_block="0.0.0.0/0",
                nat_gateway_id=nat_ids.get(az, nat_ids[nat_azs[0]]),
            )
            pin_address(egress, name, "private_nat", az)
            self._associate(name, SubnetTier.PRIVATE, az, private_id)
            # Isolated: local routes only (plus the S3 endpoint); no route to any gateway.
            isolated = RouteTable(
                self, f"isolated-rt-{az}", vpc_id=self.vpc_id, tags={"Name": f"{name}-isolated-{az}"}
            )
            pin_address(isolated, name, "isolated_rt", az)
            isolated_id = isolated.id
            self._associate(name, SubnetTier.ISOLATED, az, isolated_id)
            gateway_route_tables += [private_id, isolated_id]
        return gateway_route_tables

    def _associate(self, name: str, tier: SubnetTier, az: str, route_table_id: str) -> None:
        association = RouteTableAssociation(
            self,
            f"{tier.value}-rta-{az}",
            subnet_id=self.subnet_ids[tier][az],
            route_table_id=route_table_id,
        )
        pin_address(association, name, tier.value, "rta", az)

    def _lock_default_security_group(self, name: str) -> None:
        # Managing it with no ingress/egress blocks strips AWS's allow-all default rules.
        default_sg = DefaultSecurityGroup(
            self, "default-sg", vpc_id=self.vpc_id, tags={"Name": f"{name}-default-deny"}
        )
        pin_address(default_sg, name, "default_sg")

    def _flow_logs(self, name: str) -> None:
        context = AwsContext.of(self)
        key = EncryptionKey(
            self,
            "flow-log-key",
            EncryptionKeyProps(
                name=f"{name}-flow-logs",
                description=f"{name} VPC flow logs",
                allow_cloudwatch_logs=True,
            ),
        )
        group = encrypted_log_group(
            self,
            "flow-log-group",
            name=f"/aws/vpc/{name}/flow-logs",
            kms_key_arn=key.arn,
            retention_days=self.props.flow_log_retention_days,
            address=(name, "flow_logs"),
        )
        role = IamRole(
            self,
            "flow-log-role",
            name_prefix=f"{name}-flow-logs-"[:38],
            assume_role_policy=assume_role_policy("vpc-flow-logs.amazonaws.com", context.account_id),
        )
        pin_address(role, name, "flow_logs_role")
        policy = IamRolePolicy(
            self,
            "flow-log-policy",
            role=role.id,
            policy=policy_document(
                {
                    "Effect": "Allow",
                    "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    "Resource": [group.arn, f"{group.arn}:*"],
                }
            ),
        )
        pin_address(policy, name, "flow_logs_policy")
        flow_log = FlowLog(
            self,
            "flow-log",
            vpc_id=self.vpc_id,
            traffic_type="ALL",
            log_destination=group.arn,
            log_destination_type="cloud-watch-logs",
            iam_role_arn=role.arn,
            max_aggregation_interval=60,
        )
        pin_address(flow_log, name, "flow_log")


__all__ = ["DEFAULT_VPC_CIDR", "NatStrategy", "Network", "NetworkLike", "NetworkProps"]
