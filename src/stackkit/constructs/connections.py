"""Connections: who may talk to a construct, on which port, without hand-written SG rules.

Modelled on AWS CDK's ``ec2.Connections``. A Database, Cache or Service owns one; callers
write ``database.connections.allow_default_port_from(service)``. Each grant creates exactly
one ingress rule on the target's security group (source: the peer's security group) and,
so the peer's egress stays least-privilege, one egress rule on the peer's security group.
"""

from __future__ import annotations

from typing import Protocol

from stackkit._private.cdk import (
    Construct,
    SecurityGroup,
    VpcSecurityGroupEgressRule,
    VpcSecurityGroupIngressRule,
)
from stackkit._private.terraform import logical_id


class HasConnections(Protocol):
    """Anything that owns a :class:`Connections` (Database, Cache, Service...)."""

    @property
    def connections(self) -> Connections: ...


class Connections:
    """A security group, the port its owner listens on, and grants between owners."""

    def __init__(self, scope: Construct, security_group: SecurityGroup, default_port: int | None) -> None:
        self._scope = scope
        self.security_group = security_group
        self.security_group_id: str = security_group.id
        self.default_port = default_port

    @classmethod
    def with_new_security_group(
        cls,
        scope: Construct,
        *,
        name: str,
        vpc_id: str,
        description: str,
        default_port: int | None,
    ) -> Connections:
        """A security group with no rules at all, owned by ``scope``."""
        group = SecurityGroup(
            scope,
            "security-group",
            name_prefix=f"{name}-",
            description=description,
            vpc_id=vpc_id,
            tags={"Name": name},
            revoke_rules_on_delete=True,
            lifecycle={"create_before_destroy": True},
        )
        return cls(scope, group, default_port)

    @property
    def connections(self) -> Connections:
        return self

    def allow_default_port_from(self, peer: HasConnections, description: str | None = None) -> None:
        """Let ``peer`` reach this owner's default port."""
        if self.default_port is None:
            raise ValueError("this owner has no default port; use allow_from(peer, port)")
        self.allow_from(peer, self.default_port, description)

    def allow_from(self, peer: HasConnections, port: int, description: str | None = None) -> None:
        """Let ``peer`` reach ``port`` (TCP) on this owner: one ingress + one peer egress rule."""
        if not 1 <= port <= 65535:
            raise ValueError(f"port {port} is outside 1..65535")
        source = peer.connections
        peer_name = source._scope.node.id
        text = description or f"from {peer_name} to {self._scope.node.id} on tcp/{port}"
        rule_id = logical_id("from", peer_name, str(port))
        VpcSecurityGroupIngressRule(
            self._scope,
            f"ingress-{rule_id}",
            security_group_id=self.security_group_id,
            referenced_security_group_id=source.security_group_id,
            ip_protocol="tcp",
            from_port=port,
            to_port=port,
            description=text,
        )
        VpcSecurityGroupEgressRule(
            source._scope,
            f"egress-{logical_id('to', self._scope.node.id, str(port))}",
            security_group_id=source.security_group_id,
            referenced_security_group_id=self.security_group_id,
            ip_protocol="tcp",
            from_port=port,
            to_port=port,
            description=text,
        )
