"""Property-based: no invalid input reaches jsii; each fails with our ValidationError."""

from __future__ import annotations

import ipaddress
import traceback

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stackkit import ValidationError
from stackkit.patterns import EnvironmentConfig

VALID = {
    "environment": "dev",
    "allowed_account_ids": ["123456789012"],
    "state_bucket": "tfstate-bucket",
    "state_kms_key_id": "arn:aws:kms:us-east-1:123456789012:alias/tfstate",
    "certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
}
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def rejected(field: str, **changes: object) -> None:
    try:
        EnvironmentConfig(**{**VALID, **changes})
    except ValidationError as error:
        assert field in error.fields, error
        frames = "".join(traceback.format_tb(error.__traceback__))
        assert "jsii" not in frames
    else:
        raise AssertionError(f"accepted invalid {field}: {changes}")


def _is_valid_cidr(text: str) -> bool:
    try:
        network = ipaddress.IPv4Network(text, strict=True)
    except ValueError:
        return False
    return "/" in text and 16 <= network.prefixlen <= 23


@FAST
@given(st.text(max_size=24).filter(lambda t: not _is_valid_cidr(t)))
def test_any_non_cidr_or_unfit_vpc_is_rejected(text: str) -> None:
    rejected("vpc_cidr", vpc_cidr=text)


@FAST
@given(st.integers(min_value=24, max_value=32), st.integers(min_value=0, max_value=255))
def test_vpcs_too_small_for_the_layout_are_rejected(prefix: int, octet: int) -> None:
    network = ipaddress.IPv4Network(f"10.{octet}.0.0/{prefix}", strict=False)
    rejected("vpc_cidr", vpc_cidr=str(network))


@FAST
@given(st.one_of(st.integers(max_value=1), st.integers(min_value=7, max_value=10_000)))
def test_az_counts_outside_the_region_are_rejected(count: int) -> None:
    rejected("az_count", az_count=count)


@FAST
@given(st.text(max_size=20).filter(lambda t: not (t.isdigit() and len(t) == 12 and t.isascii())))
def test_account_ids_not_twelve_digits_are_rejected(account: str) -> None:
    rejected("allowed_account_ids", allowed_account_ids=[account])


@FAST
@given(
    st.text(max_size=40).filter(lambda t: not __import__("re").fullmatch(r"[a-z][a-z0-9-]{1,30}[a-z0-9]", t))
)
def test_invalid_project_names_are_rejected(project: str) -> None:
    rejected("project", project=project)


@FAST
@given(
    st.text(max_size=20).filter(
        lambda t: t not in __import__("stackkit._private.regions", fromlist=["x"]).AVAILABILITY_ZONES
    )
)
def test_unknown_regions_are_rejected(region: str) -> None:
    rejected("region", region=region)


@FAST
# The documented rule, written out here (not read from the code): 1-32 of a-z, 0-9, -, starting
# with a letter.
@given(st.text(max_size=40).filter(lambda t: not __import__("re").fullmatch(r"[a-z][a-z0-9-]{0,31}", t)))
def test_invalid_environment_names_are_rejected(name: str) -> None:
    rejected("environment", environment=name)
