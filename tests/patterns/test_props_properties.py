"""Property-based (issue 14): random values, and random mixes of valid ones, given to every
public props model and to the environment config either build (and synthesize) or fail with a
``ValidationError`` / ``TypeError`` naming a field. Never a jsii error, an ``AttributeError``
or a traceback from inside a construct."""

from __future__ import annotations

import tempfile
import traceback
import warnings
from collections.abc import Callable
from typing import Any

import pydantic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticUndefined

from stackkit import (
    AlarmThresholds,
    Cache,
    CacheProps,
    Cluster,
    ClusterProps,
    Database,
    DatabaseProps,
    EncryptionKey,
    EncryptionKeyProps,
    EnvironmentConfig,
    EnvironmentStack,
    ExistingNetwork,
    Monitoring,
    MonitoringProps,
    Network,
    NetworkProps,
    Service,
    ServiceProps,
    ValidationError,
)
from stackkit._private.cdk import App, AwsProvider, TerraformStack

CERT = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"
EXISTING = {
    "vpc_id": "vpc-0a1b2c3d",
    "public_subnet_ids": ("subnet-00000001",),
    "private_subnet_ids": ("subnet-00000002",),
    "isolated_subnet_ids": ("subnet-00000003", "subnet-00000004"),
}


def existing() -> ExistingNetwork:
    return ExistingNetwork(**EXISTING)


#: Other valid values per field name (besides the field's default), mixed with junk below.
POOL: dict[str, list[Any]] = {
    "name": ["shop", "shop2-api", "a1b"],
    "availability_zones": [("us-east-1a", "us-east-1b", "us-east-1c"), ("us-east-1b", "us-east-1d")],
    "cidr": ["10.1.0.0/16", "172.16.0.0/20"],
    "nat": ["single", "per_az"],
    "instance_class": ["db.t4g.micro", "db.r7g.2xlarge", "db.m7g.large"],
    "node_type": ["cache.r7g.large", "cache.t4g.small"],
    "node_count": [1, 2, 3, 6],
    "engine_version": ["14", "16", "17.2", "7.0", "7.1"],
    "multi_az": [True, False],
    "production": [True, False],
    "allocated_storage_gb": [20, 100, 500],
    "max_allocated_storage_gb": [100, 1000],
    "backup_window": ["01:00-02:00", "22:00-23:30"],
    "maintenance_window": ["sat:01:00-sat:02:00", "mon:10:00-mon:11:00"],
    "snapshot_window": ["01:00-02:00"],
    "cpu": [256, 512, 1024, 2048],
    "memory": [512, 1024, 2048, 4096],
    "desired_count": [1, 2, 3],
    "min_count": [1, 2, 3],
    "max_count": [3, 10, 20],
    "image": ["v2.0.0", "public.ecr.aws/nginx/nginx:1.27"],
    "environment": [
        {"NODE_ENV": "production", "PORT": "3000"},
        {"STRIPE": "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"},
    ],
    "certificate_arn": [CERT, None],
    "domain_name": ["app.example.com", None],
    "hosted_zone_id": ["Z0123456789ABC", None],
    "network": [existing()],
    "log_retention_days": [30, 365, 13],
    "description": ["a key", ""],
    "region": ["us-east-1", "eu-west-1", "eu-west1"],
    "az_count": [2, 3],
    "database": [{"instance_class": "db.t4g.micro"}, {"instance_class": "db.t3.medum"}],
    "cache": [{"node_type": "cache.r7g.large", "node_count": 2}, {"node_type": "cache.t3.mirco"}],
    "subnet_availability_zones": [
        {f"subnet-0000000{i}": ("us-east-1a", "us-east-1b")[i % 2] for i in range(1, 5)},
        {f"subnet-0000000{i}": "eu-wset-1b" for i in range(1, 5)},
    ],
}
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=100_000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.lists(st.text(max_size=6), max_size=3),
    st.dictionaries(st.text(max_size=6), st.text(max_size=6), max_size=2),
)


def _value(model: type[pydantic.BaseModel], field: str) -> st.SearchStrategy[Any]:
    default = model.model_fields[field].default
    valid = [*POOL.get(field, []), *([default] if default is not PydanticUndefined else [])]
    return st.one_of(st.sampled_from(valid), JUNK) if valid else JUNK


def changes(model: type[pydantic.BaseModel]) -> st.SearchStrategy[dict[str, Any]]:
    """Up to 4 fields of ``model``, each set to another valid value or to junk."""
    return st.lists(st.sampled_from(sorted(model.model_fields)), unique=True, max_size=4).flatmap(
        lambda fields: st.fixed_dictionaries({field: _value(model, field) for field in fields})
    )


def _stack() -> TerraformStack:
    stack = TerraformStack(App(outdir=tempfile.mkdtemp(prefix="stackkit-props-")), "props")
    AwsProvider(stack, "aws", region="us-east-1")
    return stack


def _synth(stack: TerraformStack) -> None:
    app = stack.node.scope
    assert isinstance(app, App)
    app.synth()


def build_network(props: Any) -> None:
    stack = _stack()
    Network(stack, "network", props)
    _synth(stack)


def build_in_stack(construct: Callable[..., Any], **kwargs: Any) -> Callable[[Any], None]:
    def build(props: Any) -> None:
        stack = _stack()
        construct(stack, "it", props, **kwargs)
        _synth(stack)

    return build


def build_service(props: Any) -> None:
    stack = _stack()
    cluster = Cluster(stack, "cluster", ClusterProps(name="shop"))
    Service(stack, "service", props, network=existing(), cluster=cluster)
    _synth(stack)


def build_existing(props: Any) -> None:
    stack = _stack()
    Cache(stack, "cache", CacheProps(name="shop", network=props))
    _synth(stack)


def build_environment(config: Any) -> None:
    app = App(outdir=tempfile.mkdtemp(prefix="stackkit-env-"))
    EnvironmentStack(app, config)
    app.synth()


MODELS: dict[str, tuple[type[Any], dict[str, Any], Callable[[Any], None] | None]] = {
    "NetworkProps": (
        NetworkProps,
        {"name": "shop", "availability_zones": ("us-east-1a", "us-east-1b")},
        build_network,
    ),
    "DatabaseProps": (DatabaseProps, {"name": "shop", "network": existing()}, build_in_stack(Database)),
    "CacheProps": (CacheProps, {"name": "shop", "network": existing()}, build_in_stack(Cache)),
    "ClusterProps": (ClusterProps, {"name": "shop"}, build_in_stack(Cluster)),
    "EncryptionKeyProps": (
        EncryptionKeyProps,
        {"name": "shop", "description": "a key"},
        build_in_stack(EncryptionKey),
    ),
    "MonitoringProps": (MonitoringProps, {"name": "shop"}, build_in_stack(Monitoring)),
    "AlarmThresholds": (AlarmThresholds, {}, None),
    "ExistingNetwork": (ExistingNetwork, EXISTING, build_existing),
    "ServiceProps": (ServiceProps, {"name": "shop-api", "certificate_arn": CERT}, build_service),
    "EnvironmentConfig": (
        EnvironmentConfig,
        {
            "environment": "dev",
            "allowed_account_ids": ("123456789012",),
            "state_bucket": "tfstate-bucket",
            "state_kms_key_id": "arn:aws:kms:us-east-1:123456789012:alias/tfstate",
            "certificate_arn": CERT,
        },
        build_environment,
    ),
}
#: Building is the slow part (jsii); each model gets a few dozen random mixes.
BOUNDED = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def _names_a_field(model: type[pydantic.BaseModel], fields: list[str]) -> bool:
    return bool(fields) and all(field.split(".")[0] in model.model_fields for field in fields)


def check_outcome(model: type[Any], data: dict[str, Any], build: Callable[[Any], None] | None) -> bool:
    """True when the props built (and synthesized); False when refused naming a field."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            props = model(**data)
            if build is not None:
                build(props)
            return True
        except ValidationError as error:
            assert _names_a_field(model, error.fields), f"{error} names no field of {model.__name__}"
            assert "jsii" not in "".join(traceback.format_tb(error.__traceback__))
        except TypeError as error:
            field = str(error).split(":", 1)[0]
            assert field in model.model_fields, f"TypeError naming no field: {error}"
            assert "jsii" not in "".join(traceback.format_tb(error.__traceback__))
        return False


@pytest.mark.parametrize("name", sorted(MODELS))
def test_random_props_build_or_fail_naming_a_field(name: str) -> None:
    model, base, build = MODELS[name]
    outcomes: list[bool] = []

    @BOUNDED
    @given(changes(model))
    def run(overrides: dict[str, Any]) -> None:
        outcomes.append(check_outcome(model, {**base, **overrides}, build))

    run()
    assert True in outcomes and False in outcomes, f"{name}: the property saw only one outcome"


def test_unbuildable_outcomes_are_reported_not_swallowed() -> None:
    """The property's own guard: an error naming no field fails it."""
    with pytest.raises(AssertionError):
        check_outcome(
            NetworkProps,
            {"name": "shop", "availability_zones": ("us-east-1a", "us-east-1b")},
            lambda props: (_ for _ in ()).throw(ValidationError("X", [("(model)", "no")])),
        )
