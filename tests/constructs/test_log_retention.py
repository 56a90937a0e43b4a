"""Every construct's log retention field accepts only what CloudWatch Logs accepts, through the
one shared type (stackkit._private.rules.LogRetentionDays)."""

from __future__ import annotations

from typing import Any

import pytest

from stackkit import (
    CacheProps,
    ClusterProps,
    DatabaseProps,
    ExistingNetwork,
    MonitoringProps,
    NetworkProps,
    ServiceProps,
    ValidationError,
)
from stackkit._private.model import FrozenModel

NETWORK = ExistingNetwork(
    vpc_id="vpc-0a1b2c3d4e5f67890",
    public_subnet_ids=("subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"),
    private_subnet_ids=("subnet-0a1b2c3d4e5f60003", "subnet-0a1b2c3d4e5f60004"),
    isolated_subnet_ids=("subnet-0a1b2c3d4e5f60005", "subnet-0a1b2c3d4e5f60006"),
)
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-4000-8000-000000000000"

#: (props class, the other required fields, the retention field)
CASES: list[tuple[type[FrozenModel], dict[str, Any], str]] = [
    (DatabaseProps, {"name": "demo", "network": NETWORK}, "log_retention_days"),
    (CacheProps, {"name": "demo", "network": NETWORK}, "log_retention_days"),
    (ServiceProps, {"name": "demo", "certificate_arn": CERT}, "log_retention_days"),
    (ClusterProps, {"name": "demo"}, "exec_log_retention_days"),
    (
        NetworkProps,
        {"name": "demo", "availability_zones": ("us-east-1a", "us-east-1b")},
        "flow_log_retention_days",
    ),
    (MonitoringProps, {"name": "demo"}, "deployment_log_retention_days"),
]


@pytest.mark.parametrize(("props", "required", "field"), CASES, ids=[case[0].__name__ for case in CASES])
def test_a_retention_cloudwatch_refuses_is_refused_naming_the_field_and_the_values(
    props: type[FrozenModel], required: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        props(**required, **{field: 100})
    assert caught.value.fields == [field]
    assert "1, 3, 5, 7, 14, 30" in str(caught.value) and "3653" in str(caught.value)
    assert getattr(props(**required, **{field: 400}), field) == 400
