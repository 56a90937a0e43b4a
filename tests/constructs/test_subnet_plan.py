"""``plan_subnets`` directly: exact CIDRs worked by hand, every refusal with its message.

AWS limits (EC2 API reference):
- CreateVpc: "The smallest VPC you can create uses a /28 netmask (16 IPv4 addresses), and the
  largest uses a /16 netmask (65,536 IPv4 addresses)."
  https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpc.html
- CreateSubnet: "The allowed size for an IPv4 subnet is between a /28 netmask (16 IP addresses)
  and a /16 netmask (65,536 IP addresses)."
  https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSubnet.html
- us-east-1 has six AZs (us-east-1a..f), the most of any region the table lists.

The layout (module docstring of ``stackkit.constructs.subnet_plan``): the VPC is cut into equal
blocks; tier t (public 0, private 1, isolated 2) and the AZ at position i take block ``6 t + i``.
The expected CIDRs below are that arithmetic done by hand, e.g. a /16 cut into /21 blocks (2,048
addresses = 8 in the third octet): block 6 starts at 10.0.48.0, block 12 at 10.0.96.0.
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from stackkit.constructs.subnet_plan import SubnetTier, parse_cidr, plan_subnets

PUBLIC, PRIVATE, ISOLATED = SubnetTier.PUBLIC, SubnetTier.PRIVATE, SubnetTier.ISOLATED
SIX = ("us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f")
TWO = ("eu-west-1a", "eu-west-1b")


def test_a_16_with_3_azs_gets_21s_at_blocks_0_6_and_12() -> None:
    assert plan_subnets("10.0.0.0/16", ("eu-west-1a", "eu-west-1b", "eu-west-1c")) == {
        PUBLIC: {"eu-west-1a": "10.0.0.0/21", "eu-west-1b": "10.0.8.0/21", "eu-west-1c": "10.0.16.0/21"},
        PRIVATE: {"eu-west-1a": "10.0.48.0/21", "eu-west-1b": "10.0.56.0/21", "eu-west-1c": "10.0.64.0/21"},
        ISOLATED: {
            "eu-west-1a": "10.0.96.0/21",
            "eu-west-1b": "10.0.104.0/21",
            "eu-west-1c": "10.0.112.0/21",
        },
    }


def test_six_azs_fill_every_slot_of_every_tier() -> None:
    """us-east-1 has 6 AZs: all of them fit, tier by tier, without overlap."""
    plan = plan_subnets("10.0.0.0/16", SIX)
    assert list(plan[PUBLIC].values()) == [
        "10.0.0.0/21",
        "10.0.8.0/21",
        "10.0.16.0/21",
        "10.0.24.0/21",
        "10.0.32.0/21",
        "10.0.40.0/21",
    ]
    assert list(plan[PRIVATE].values()) == [
        "10.0.48.0/21",
        "10.0.56.0/21",
        "10.0.64.0/21",
        "10.0.72.0/21",
        "10.0.80.0/21",
        "10.0.88.0/21",
    ]
    assert list(plan[ISOLATED].values()) == [
        "10.0.96.0/21",
        "10.0.104.0/21",
        "10.0.112.0/21",
        "10.0.120.0/21",
        "10.0.128.0/21",
        "10.0.136.0/21",
    ]
    assert list(plan[PUBLIC]) == list(SIX)


def test_one_az_gets_one_subnet_per_tier() -> None:
    assert plan_subnets("172.16.0.0/16", ("eu-west-1a",)) == {
        PUBLIC: {"eu-west-1a": "172.16.0.0/21"},
        PRIVATE: {"eu-west-1a": "172.16.48.0/21"},
        ISOLATED: {"eu-west-1a": "172.16.96.0/21"},
    }


def test_two_azs_and_the_tiers_in_their_order() -> None:
    plan = plan_subnets("10.20.0.0/16", TWO)
    assert list(plan) == [PUBLIC, PRIVATE, ISOLATED]
    assert plan == {
        PUBLIC: {"eu-west-1a": "10.20.0.0/21", "eu-west-1b": "10.20.8.0/21"},
        PRIVATE: {"eu-west-1a": "10.20.48.0/21", "eu-west-1b": "10.20.56.0/21"},
        ISOLATED: {"eu-west-1a": "10.20.96.0/21", "eu-west-1b": "10.20.104.0/21"},
    }


def test_a_23_is_the_smallest_vpc_that_fits_the_default_layout_with_28s() -> None:
    """/23 = 512 addresses = 32 blocks of /28 (16 addresses): block 6 starts at .96, 12 at .192,
    16 at 10.0.1.0 and 17 (the sixth isolated slot) at 10.0.1.16."""
    plan = plan_subnets("10.0.0.0/23", SIX)
    assert plan[PUBLIC]["us-east-1a"] == "10.0.0.0/28"
    assert plan[PUBLIC]["us-east-1f"] == "10.0.0.80/28"
    assert plan[PRIVATE]["us-east-1a"] == "10.0.0.96/28"
    assert plan[ISOLATED]["us-east-1a"] == "10.0.0.192/28"
    assert plan[ISOLATED]["us-east-1e"] == "10.0.1.0/28"
    assert plan[ISOLATED]["us-east-1f"] == "10.0.1.16/28"


def test_an_explicit_28_subnet_prefix_in_a_16() -> None:
    plan = plan_subnets("10.0.0.0/16", TWO, subnet_prefix_length=28)
    assert plan == {
        PUBLIC: {"eu-west-1a": "10.0.0.0/28", "eu-west-1b": "10.0.0.16/28"},
        PRIVATE: {"eu-west-1a": "10.0.0.96/28", "eu-west-1b": "10.0.0.112/28"},
        ISOLATED: {"eu-west-1a": "10.0.0.192/28", "eu-west-1b": "10.0.0.208/28"},
    }


def test_an_explicit_prefix_exactly_five_bits_below_the_vpc_fits() -> None:
    """18 blocks need 5 more bits (32 blocks); a /20 in a /16 gives only 16 blocks."""
    plan = plan_subnets("10.0.0.0/16", TWO, subnet_prefix_length=21)
    assert plan[ISOLATED]["eu-west-1b"] == "10.0.104.0/21"
    with pytest.raises(ValueError) as caught:
        plan_subnets("10.0.0.0/16", TWO, subnet_prefix_length=20)
    assert str(caught.value) == (
        "subnet_prefix_length 20 does not fit VPC 10.0.0.0/16: 3 tiers x 6 AZ slots need subnets of "
        "/21 to /28 (AWS subnets are /28 or larger)"
    )


def test_a_zero_prefix_is_not_taken_for_the_default() -> None:
    with pytest.raises(ValueError, match=r"^subnet_prefix_length 0 does not fit VPC 10.0.0.0/16"):
        plan_subnets("10.0.0.0/16", TWO, subnet_prefix_length=0)


@pytest.mark.parametrize(
    ("vpc", "message"),
    [
        ("10.0.0.0/15", "VPC CIDR 10.0.0.0/15 must have a prefix between /16 and /28 (AWS limit)"),
        ("10.0.0.0/29", "VPC CIDR 10.0.0.0/29 must have a prefix between /16 and /28 (AWS limit)"),
        (
            "10.0.0.0/24",
            "VPC 10.0.0.0/24 is too small for 3 tiers x 6 AZ slots of /28 subnets (the smallest AWS "
            "allows); use a VPC of /23 or larger, or give subnet_cidrs",
        ),
        (
            "10.0.0.0/28",
            "VPC 10.0.0.0/28 is too small for 3 tiers x 6 AZ slots of /28 subnets (the smallest AWS "
            "allows); use a VPC of /23 or larger, or give subnet_cidrs",
        ),
    ],
)
def test_vpcs_aws_refuses_or_the_layout_cannot_hold_are_refused(vpc: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        plan_subnets(vpc, TWO)
    assert str(caught.value) == message


def test_a_29_subnet_prefix_is_refused_even_in_a_large_vpc() -> None:
    with pytest.raises(ValueError) as caught:
        plan_subnets("10.0.0.0/16", TWO, subnet_prefix_length=29)
    assert str(caught.value) == (
        "subnet_prefix_length 29 does not fit VPC 10.0.0.0/16: 3 tiers x 6 AZ slots need subnets of "
        "/21 to /28 (AWS subnets are /28 or larger)"
    )


def test_an_explicit_prefix_in_a_23_has_one_choice() -> None:
    assert plan_subnets("10.0.0.0/23", TWO, subnet_prefix_length=28)[PRIVATE]["eu-west-1b"] == "10.0.0.112/28"
    with pytest.raises(ValueError, match=r"need subnets of /28 to /28"):
        plan_subnets("10.0.0.0/23", TWO, subnet_prefix_length=27)


def test_seven_azs_are_refused() -> None:
    with pytest.raises(ValueError) as caught:
        plan_subnets("10.0.0.0/16", (*SIX, "us-east-1g"))
    assert str(caught.value) == "at most 6 availability zones fit the subnet layout"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("10.0.0.1/16", "'10.0.0.1/16' is not a valid IPv4 CIDR block (10.0.0.1/16 has host bits set); "),
        ("10.0.0.0", "'10.0.0.0' has no prefix length; use the form 10.0.0.0/16"),
        ("10.0.0.0/33", "'10.0.0.0/33' is not a valid IPv4 CIDR block"),
        ("banana", "'banana' is not a valid IPv4 CIDR block"),
    ],
)
def test_a_cidr_that_is_not_one_is_refused_with_the_form_to_use(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_cidr(text)
    assert str(caught.value).startswith(message)
    assert str(caught.value).endswith("; use the form 10.0.0.0/16")


def test_parse_cidr_returns_the_network() -> None:
    assert str(parse_cidr("192.168.4.0/22")) == "192.168.4.0/22"


# --- overrides (subnet_cidrs) ------------------------------------------------------------------

VALID_OVERRIDES = {
    "public": {"eu-west-1a": "10.0.0.0/24", "eu-west-1b": "10.0.1.0/24"},
    "private": {"eu-west-1a": "10.0.16.0/20", "eu-west-1b": "10.0.32.0/20"},
    "isolated": {"eu-west-1a": "10.0.2.0/28", "eu-west-1b": "10.0.2.16/28"},
}


def test_valid_overrides_are_taken_as_given() -> None:
    assert plan_subnets("10.0.0.0/16", TWO, overrides=VALID_OVERRIDES) == {
        PUBLIC: {"eu-west-1a": "10.0.0.0/24", "eu-west-1b": "10.0.1.0/24"},
        PRIVATE: {"eu-west-1a": "10.0.16.0/20", "eu-west-1b": "10.0.32.0/20"},
        ISOLATED: {"eu-west-1a": "10.0.2.0/28", "eu-west-1b": "10.0.2.16/28"},
    }


def test_overrides_in_a_small_vpc_need_not_fit_the_default_layout() -> None:
    """A /26 cannot hold the 18-slot layout, but three /28s of one AZ fit it."""
    overrides = {
        "public": {"eu-west-1a": "10.0.0.0/28"},
        "private": {"eu-west-1a": "10.0.0.16/28"},
        "isolated": {"eu-west-1a": "10.0.0.48/28"},
    }
    plan = plan_subnets("10.0.0.0/26", ("eu-west-1a",), overrides=overrides)
    assert plan[ISOLATED] == {"eu-west-1a": "10.0.0.48/28"}


def _with(tier: str, by_az: Mapping[str, str] | None) -> dict[str, Mapping[str, str]]:
    changed: dict[str, Mapping[str, str]] = dict(VALID_OVERRIDES)
    if by_az is None:
        del changed[tier]
    else:
        changed[tier] = by_az
    return changed


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            _with("private", None),
            "subnet_cidrs['private'] must give one CIDR for each AZ ['eu-west-1a', 'eu-west-1b'], got []",
        ),
        (
            _with("isolated", {"eu-west-1a": "10.0.2.0/28"}),
            "subnet_cidrs['isolated'] must give one CIDR for each AZ ['eu-west-1a', 'eu-west-1b'], "
            "got ['eu-west-1a']",
        ),
        (
            _with("public", {**VALID_OVERRIDES["public"], "eu-west-1c": "10.0.3.0/24"}),
            "subnet_cidrs['public'] must give one CIDR for each AZ ['eu-west-1a', 'eu-west-1b'], "
            "got ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']",
        ),
        (
            _with("public", {"eu-west-1a": "10.1.0.0/24", "eu-west-1b": "10.0.1.0/24"}),
            "subnet public/eu-west-1a 10.1.0.0/24 is outside the VPC 10.0.0.0/16; pick a block inside it",
        ),
        (
            _with("isolated", {"eu-west-1a": "10.0.2.0/28", "eu-west-1b": "10.0.2.16/29"}),
            "subnet isolated/eu-west-1b 10.0.2.16/29 is smaller than /28 (AWS minimum)",
        ),
        (
            _with("private", {"eu-west-1a": "10.0.16.0/20", "eu-west-1b": "10.0.1.128/25"}),
            "subnet private/eu-west-1b 10.0.1.128/25 overlaps public/eu-west-1b 10.0.1.0/24; "
            "give each subnet its own block",
        ),
        (
            _with("isolated", {"eu-west-1a": "10.0.2.0/28", "eu-west-1b": "10.0.2.0/28"}),
            "subnet isolated/eu-west-1b 10.0.2.0/28 overlaps isolated/eu-west-1a 10.0.2.0/28; "
            "give each subnet its own block",
        ),
        (
            {**VALID_OVERRIDES, "database": {"eu-west-1a": "10.0.200.0/24"}},
            "unknown subnet tiers ['database']; use ['public', 'private', 'isolated']",
        ),
    ],
)
def test_each_kind_of_invalid_override_is_refused_with_its_message(
    overrides: dict[str, Mapping[str, str]], message: str
) -> None:
    with pytest.raises(ValueError) as caught:
        plan_subnets("10.0.0.0/16", TWO, overrides=overrides)
    assert str(caught.value) == message


def test_an_override_that_is_not_a_cidr_names_the_value() -> None:
    with pytest.raises(ValueError) as caught:
        overrides = _with("public", {"eu-west-1a": "10.0.0.0", "eu-west-1b": "x"})
        plan_subnets("10.0.0.0/16", TWO, overrides=overrides)
    assert str(caught.value) == "'10.0.0.0' has no prefix length; use the form 10.0.0.0/16"


def test_overrides_are_still_held_to_the_vpc_limits() -> None:
    with pytest.raises(ValueError, match=r"^VPC CIDR 10.0.0.0/15 must have a prefix between /16 and /28"):
        plan_subnets("10.0.0.0/15", TWO, overrides=VALID_OVERRIDES)
    with pytest.raises(ValueError, match=r"^at most 6 availability zones"):
        plan_subnets("10.0.0.0/16", (*SIX, "us-east-1g"), overrides=VALID_OVERRIDES)
