"""Issue 15: every resource that is created before it is destroyed can exist twice, so it has no
fixed name (``name_prefix``) or no name at all for a reason written here; a resource with a
fixed name that cannot take a prefix does not create before destroying."""

from __future__ import annotations

from stackkit.policy.replacement import creates_before_destroy
from tests.conftest import StackJson

#: Types with create_before_destroy and no name argument at all, and why that is fine.
NAMELESS = {
    # An ACM certificate has no name; a second request for the same domain is a new certificate
    # (ARN) and the listener moves to it before the old one is deleted.
    "aws_acm_certificate": "no name: two certificates for one domain coexist",
}

#: Types that keep a fixed name and therefore must NOT create before destroy.
FIXED_NAME_NO_PREFIX = {
    # AWS provider 6.25.0: aws_elasticache_parameter_group has name, family, description,
    # parameter, tags (no name_prefix); its name changes with every replacing argument.
    "aws_elasticache_parameter_group": "the provider has no name_prefix",
}


def test_every_create_before_destroy_resource_can_exist_twice(stacks: dict[str, StackJson]) -> None:
    checked = set()
    for env, stack in stacks.items():
        for resource_type, by_name in stack.get("resource", {}).items():
            for name, body in by_name.items():
                if not creates_before_destroy(body):
                    continue
                checked.add(resource_type)
                address = f"{env}/{resource_type}.{name}"
                assert "name" not in body, f"{address}: a fixed name with create_before_destroy collides"
                assert "name_prefix" in body or resource_type in NAMELESS, (
                    f"{address}: create_before_destroy needs name_prefix or a reason in NAMELESS"
                )
    # The audit covers the named resources of the issue (a vacuous pass would prove nothing).
    assert {"aws_lb_target_group", "aws_db_parameter_group", "aws_security_group"} <= checked


def test_fixed_names_without_a_prefix_do_not_create_before_destroy(stacks: dict[str, StackJson]) -> None:
    for env, stack in stacks.items():
        for resource_type in FIXED_NAME_NO_PREFIX:
            groups = stack["resource"][resource_type]
            assert groups, f"{env}: no {resource_type}"
            for name, body in groups.items():
                assert "name" in body and not creates_before_destroy(body), f"{env}/{resource_type}.{name}"


def test_target_group_has_a_six_character_prefix_and_its_full_name_as_a_tag(
    stacks: dict[str, StackJson],
) -> None:
    for stack in stacks.values():
        group = stack["resource"]["aws_lb_target_group"]["stackkit_api_target_group"]
        # "name_prefix - Cannot be longer than 6 characters" (aws_lb_target_group, provider 6.x).
        assert len(group["name_prefix"]) <= 6 and group["name_prefix"].endswith("-")
        assert group["tags"]["Name"] == "stackkit-api-tg"
        assert group["lifecycle"] == {"create_before_destroy": True}
