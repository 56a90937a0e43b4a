"""The replacement guard's reading of ``moved`` blocks, directly on hand-written stacks: which old
address each block carries to which new one, and the line for every block that carries nothing or
that ``terraform plan`` refuses (Terraform's words: "Redundant move statement", "Ambiguous move
statements", "Moved object still exists"). Every expected value is written out by hand."""

from __future__ import annotations

from typing import Any

import pytest

from stackkit.policy.moved_blocks import effective_moves, read_moved_blocks, through_moves

BODY: dict[str, Any] = {"engine": "postgres"}


def moves(
    blocks: list[tuple[str, str]], before: list[str], after: list[str]
) -> tuple[dict[str, str], list[str]]:
    """What ``blocks`` carry between the two configurations (addresses of one body each), and the
    problem lines."""
    problems: list[str] = []
    moved = effective_moves(blocks, dict.fromkeys(before, BODY), dict.fromkeys(after, BODY), problems)
    return moved, problems


def test_a_stack_without_moved_blocks_has_none() -> None:
    assert read_moved_blocks({"resource": {}}) == ([], [])


def test_a_lone_block_object_is_one_block_and_a_list_is_read_in_order() -> None:
    assert read_moved_blocks({"moved": {"from": "aws_vpc.a", "to": "aws_vpc.b"}}) == (
        [("aws_vpc.a", "aws_vpc.b")],
        [],
    )
    blocks = [{"from": "aws_vpc.a", "to": "aws_vpc.b"}, {"from": "aws_subnet.a", "to": "aws_subnet.b"}]
    assert read_moved_blocks({"moved": blocks}) == (
        [("aws_vpc.a", "aws_vpc.b"), ("aws_subnet.a", "aws_subnet.b")],
        [],
    )


@pytest.mark.parametrize(
    ("block", "problem"),
    [
        (
            "aws_vpc.a",
            'moved block "aws_vpc.a" is not {"from": "<type.name>", "to": "<type.name>"}: ignored, '
            "it carries no state",
        ),
        (
            {"from": "", "to": "aws_vpc.b"},
            'moved block {"from": "", "to": "aws_vpc.b"} is not {"from": "<type.name>", "to": '
            '"<type.name>"}: ignored, it carries no state',
        ),
        (
            {"from": "aws_vpc.a", "to": ""},
            'moved block {"from": "aws_vpc.a", "to": ""} is not {"from": "<type.name>", "to": '
            '"<type.name>"}: ignored, it carries no state',
        ),
        (
            {"to": "aws_vpc.b"},
            'moved block {"to": "aws_vpc.b"} is not {"from": "<type.name>", "to": "<type.name>"}: '
            "ignored, it carries no state",
        ),
    ],
    ids=["a-string", "empty-from", "empty-to", "no-from"],
)
def test_a_block_that_is_not_from_and_to_is_named_and_left_out(block: Any, problem: str) -> None:
    good = {"from": "aws_subnet.a", "to": "aws_subnet.b"}
    assert read_moved_blocks({"moved": [block, good]}) == ([("aws_subnet.a", "aws_subnet.b")], [problem])


def test_moved_that_is_neither_a_list_nor_a_block_carries_nothing() -> None:
    assert read_moved_blocks({"moved": 7}) == (
        [],
        ['"moved" is 7, not a list of blocks: ignored, it carries no state'],
    )


def test_two_blocks_moving_different_addresses_to_one_are_ambiguous() -> None:
    moved, problems = moves(
        [("aws_vpc.a", "aws_vpc.c"), ("aws_vpc.b", "aws_vpc.c")], ["aws_vpc.a", "aws_vpc.b"], ["aws_vpc.c"]
    )
    assert moved == {"aws_vpc.a": "aws_vpc.c"}
    assert problems == [
        'moved block aws_vpc.b -> aws_vpc.c: aws_vpc.a is already moved to aws_vpc.c ("Ambiguous move '
        'statements"): ignored'
    ]


def test_the_same_block_twice_is_one_move() -> None:
    moved, problems = moves(
        [("aws_vpc.a", "aws_vpc.b"), ("aws_vpc.a", "aws_vpc.b")], ["aws_vpc.a"], ["aws_vpc.b"]
    )
    assert (moved, problems) == ({"aws_vpc.a": "aws_vpc.b"}, [])


def test_a_block_between_two_addresses_neither_side_has_does_nothing() -> None:
    moved, problems = moves([("aws_vpc.x", "aws_vpc.y")], ["aws_vpc.a"], ["aws_vpc.a"])
    assert moved == {}
    assert problems == [
        "moved block aws_vpc.x -> aws_vpc.y: neither address is in these configurations; the block does "
        "nothing (remove it once no state holds the old address)"
    ]


def test_the_middle_of_a_chain_is_no_problem_of_its_own() -> None:
    # a -> b -> c: b is in neither configuration, but it is a step of the chain, not a stale block.
    moved, problems = moves(
        [("aws_vpc.a", "aws_vpc.b"), ("aws_vpc.b", "aws_vpc.c")], ["aws_vpc.a"], ["aws_vpc.c"]
    )
    assert (moved, problems) == ({"aws_vpc.a": "aws_vpc.c"}, [])


@pytest.mark.parametrize(
    "second",
    [
        ("aws_vpc.b", "aws_vpc.c"),  # a -> b -> c, and c is not in the head either
        ("aws_vpc.b", "aws_vpc.a"),  # a -> b -> a: the chain comes back round to a, which is gone
    ],
    ids=["chain", "cycle"],
)
def test_a_chain_that_ends_nowhere_leaves_its_first_address_removed(second: tuple[str, str]) -> None:
    moved, problems = moves([("aws_vpc.a", "aws_vpc.b"), second], ["aws_vpc.a"], ["aws_vpc.d"])
    assert moved == {}
    assert problems == [
        "moved block aws_vpc.a -> aws_vpc.b: aws_vpc.b is not in this configuration (a typo, or removed "
        "since), so the block carries nothing and aws_vpc.a counts as removed"
    ]


def test_references_in_lists_and_maps_follow_the_moves() -> None:
    # A data source's address (data.aws_region.old) is not a resource's, even beside a move of
    # the resource address aws_region.old.
    moved = {
        "aws_kms_key.old": "aws_kms_key.new",
        "aws_security_group.old": "aws_security_group.new",
        "aws_region.old": "aws_region.new",
    }
    body = {
        "kms_key_id": "${aws_kms_key.old.arn}",
        "vpc_security_group_ids": ["${aws_security_group.old.id}", "${aws_security_group.other.id}", 7],
        "depends_on": ["aws_kms_key.old"],
        "region": "${data.aws_region.old.name}",
        "nested": {"keys": ["${aws_kms_key.old.arn}"], "port": 5432, "off": None},
    }
    assert through_moves(body, moved) == {
        "kms_key_id": "${aws_kms_key.new.arn}",
        "vpc_security_group_ids": ["${aws_security_group.new.id}", "${aws_security_group.other.id}", 7],
        "depends_on": ["aws_kms_key.new"],
        "region": "${data.aws_region.old.name}",
        "nested": {"keys": ["${aws_kms_key.new.arn}"], "port": 5432, "off": None},
    }
    assert through_moves(body, {}) is body
