"""Telling a rename from a loss, directly: the words of a resource name, what changed between two
names, where the renamed words appear in a value, and which added resource a removed one pairs
with when several could (the same object first, then the fewest changed words, then the change
the other pairs share). Hand-written bodies; every expected value is written out."""

from __future__ import annotations

from typing import Any

import pytest

from stackkit.policy.renames import (
    Rename,
    _name_change,
    _phrase,
    _words,
    find_renames,
    rename_advice,
    type_of,
)

IDENTIFIER = {"aws_db_instance": ("identifier",)}


def db(name: str, **extra: Any) -> dict[str, Any]:
    return {"identifier": f"{name}-db", "engine": "postgres", "instance_class": "db.t3.medium", **extra}


def renames(
    before: dict[str, dict[str, Any]],
    after: dict[str, dict[str, Any]],
    identity: dict[str, tuple[str, ...]] | None = None,
) -> list[tuple[str, str, bool]]:
    """``(old, new, same_object)`` of every pair found between two sets of resources (by address)."""
    removed = sorted(set(before) - set(after))
    added = sorted(set(after) - set(before))
    found = find_renames(removed, added, before, after, IDENTIFIER if identity is None else identity)
    return [(rename.old, rename.new, rename.same_object) for rename in found]


def test_the_type_and_the_words_of_an_address() -> None:
    assert type_of("aws_db_instance.shop_db") == "aws_db_instance"
    # cdktf's default logical id ends with a hash of the construct path: not a word of the name.
    assert _words("aws_db_instance.shop_db_1A2B3C4D") == ("shop", "db")
    assert _words("aws_lb.Shop-API_v2") == ("shop", "api", "v2")


@pytest.mark.parametrize(
    ("before", "after", "change"),
    [
        (("shop", "db", "log", "upgrade"), ("store", "db", "log", "upgrade"), (("shop",), ("store",))),
        (("a", "b", "c"), ("a", "x", "c"), (("b",), ("x",))),
        (("a", "b", "c"), ("a", "b", "x"), (("c",), ("x",))),
        (("a", "b", "c"), ("x", "b", "c"), (("a",), ("x",))),
        (("a", "b"), ("x", "y"), (("a", "b"), ("x", "y"))),
        (("shop", "db"), ("shop", "db"), ((), ())),
        (("x",), ("x", "x"), ((), ("x",))),
        (("shop", "db"), ("shop", "reports", "db"), ((), ("reports",))),
    ],
)
def test_the_words_a_rename_changed(
    before: tuple[str, ...], after: tuple[str, ...], change: tuple[tuple[str, ...], tuple[str, ...]]
) -> None:
    assert _name_change(before, after) == change


def test_renamed_words_are_found_with_one_separator_or_none_in_any_case() -> None:
    phrase = _phrase(("store", "front"))
    text = "store-front storefront store front Store_Front mystore-front store--front store-fronts"
    assert phrase.findall(text) == ["store-front", "storefront", "store front", "Store_Front"]


# --- which added resource a removed one pairs with ------------------------------------------------


def test_the_same_object_wins_over_a_closer_name() -> None:
    # orders_primary_db keeps the identifier (the same object: three words changed); store_db only
    # has the same settings apart from the renamed word (one word changed).
    before = {"aws_db_instance.shop_db": db("shop")}
    after = {
        "aws_db_instance.orders_primary_db": db("shop", instance_class="db.r6g.large"),
        "aws_db_instance.store_db": db("store"),
    }
    assert renames(before, after) == [("aws_db_instance.shop_db", "aws_db_instance.orders_primary_db", True)]


def test_among_equally_close_names_the_change_the_other_pairs_share_wins() -> None:
    # shop -> store is the change of the database pair; the key could pair with store_key or with
    # orders_key (both one word away): it takes the shared change, not the first name.
    before = {
        "aws_db_instance.shop_db": db("shop"),
        "aws_kms_key.shop_key": {"description": "shop key"},
    }
    after = {
        "aws_db_instance.store_db": db("store"),
        "aws_kms_key.orders_key": {"description": "orders key"},
        "aws_kms_key.store_key": {"description": "store key"},
    }
    assert renames(before, after) == [
        ("aws_db_instance.shop_db", "aws_db_instance.store_db", False),
        ("aws_kms_key.shop_key", "aws_kms_key.store_key", False),
    ]


def test_a_closer_name_with_other_settings_does_not_stop_the_search() -> None:
    # shop_logs_db is one word away but another database; store_db, two words away, is the rename.
    before = {"aws_db_instance.shop_db": db("shop")}
    after = {
        "aws_db_instance.shop_logs_db": db("shop-logs", instance_class="db.r6g.large"),
        "aws_db_instance.store_db": db("store"),
    }
    assert renames(before, after, {}) == [("aws_db_instance.shop_db", "aws_db_instance.store_db", False)]


def _fillers(count: int, body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``count`` added keys whose names share no word with ``shop_key`` and sort before ``store_key``."""
    return {f"aws_kms_key.a{index:02}_x_y_key": dict(body) for index in range(count)}


def test_the_closest_names_are_tried_first_among_many_additions() -> None:
    # 21 other keys (each three words away) sort before store_key by name: the search bound (20)
    # must take the closest names, not the first ones.
    before = {"aws_kms_key.shop_key": {"description": "shop key"}}
    after = {
        **_fillers(21, {"description": "other key"}),
        "aws_kms_key.store_key": {"description": "store key"},
    }
    assert renames(before, after) == [("aws_kms_key.shop_key", "aws_kms_key.store_key", False)]


def test_among_many_identical_additions_the_closest_name_is_the_same_object() -> None:
    same = {"enable_key_rotation": True, "deletion_window_in_days": 30}
    before = {"aws_kms_key.shop_key": same}
    after = {**_fillers(21, same), "aws_kms_key.store_key": same}
    assert renames(before, after) == [("aws_kms_key.shop_key", "aws_kms_key.store_key", True)]


def test_the_same_settings_in_another_order_are_the_same_object() -> None:
    before = {"aws_kms_key.shop_key": {"enable_key_rotation": True, "description": "shared"}}
    after = {"aws_kms_key.orders_audit_key": {"description": "shared", "enable_key_rotation": True}}
    assert renames(before, after) == [("aws_kms_key.shop_key", "aws_kms_key.orders_audit_key", True)]


def test_the_renamed_words_are_masked_inside_lists_too() -> None:
    rule = {"description": "shop-db from shop-api", "from_port": 5432}
    before = {"aws_security_group.shop_db": {"ingress": [rule], "egress": []}}
    after = {
        "aws_security_group.store_db": {
            "ingress": [{"description": "store-db from store-api", "from_port": 5432}],
            "egress": [],
        }
    }
    assert renames(before, after, {}) == [
        ("aws_security_group.shop_db", "aws_security_group.store_db", False)
    ]


def test_lists_that_differ_in_a_literal_are_no_rename() -> None:
    before = {"aws_security_group.shop_db": {"ingress": [{"from_port": 5432}]}}
    after = {"aws_security_group.store_db": {"ingress": [{"from_port": 6379}]}}
    assert renames(before, after, {}) == []


def test_a_literal_star_is_not_a_renamed_word() -> None:
    # "arn:...:*" where the other side has the renamed word: other settings, not a rename.
    before = {"aws_iam_policy.shop_read": {"policy": "arn:aws:s3:::*-logs/*"}}
    after = {"aws_iam_policy.store_read": {"policy": "arn:aws:s3:::store-logs/*"}}
    assert renames(before, after, {}) == []
    assert renames({"aws_iam_policy.shop_read": {"policy": "arn:aws:s3:::shop-logs/*"}}, after, {}) == [
        ("aws_iam_policy.shop_read", "aws_iam_policy.store_read", False)
    ]


def test_a_reference_is_masked_but_text_that_looks_like_a_mask_is_not() -> None:
    before = {"aws_db_instance.shop_db": db("shop", kms_key_id="${aws_kms_key.shop_key.arn}")}
    renamed = {"aws_db_instance.store_db": db("store", kms_key_id="${aws_kms_key.store_key.arn}")}
    assert renames(before, renamed, {}) == [("aws_db_instance.shop_db", "aws_db_instance.store_db", False)]
    literal = {"aws_db_instance.store_db": db("store", kms_key_id="${aws_kms_key.*.arn}")}
    assert renames(before, literal, {}) == []


def test_what_changed_includes_an_attribute_only_one_side_has() -> None:
    before = {"aws_db_instance.shop_db": db("shop")}
    after = {"aws_db_instance.orders_db": db("shop", multi_az=True, tags={"Team": "orders"})}
    (rename,) = find_renames(
        ["aws_db_instance.shop_db"], ["aws_db_instance.orders_db"], before, after, IDENTIFIER
    )
    assert rename == Rename(
        "aws_db_instance.shop_db", "aws_db_instance.orders_db", ("multi_az",), same_object=True
    )


def test_the_advice_names_every_attribute_a_moved_block_cannot_save() -> None:
    lines = rename_advice(
        [
            Rename(
                "aws_db_instance.shop_db", "aws_db_instance.store_db", forcing=("identifier", "kms_key_id")
            ),
            Rename("aws_kms_key.shop_key", "aws_kms_key.store_key"),
            Rename(
                "aws_cloudwatch_log_group.shop_logs", "aws_cloudwatch_log_group.store_logs", forcing=("name",)
            ),
        ]
    )
    assert lines[-1] == (
        "A moved block carries the state, but these also change an attribute that forces a new resource, "
        "so they are replaced anyway: aws_db_instance.shop_db (identifier, kms_key_id), "
        "aws_cloudwatch_log_group.shop_logs (name). Keep the old name for them."
    )
    assert lines[1:5] == [
        "  moved {",
        "    from = aws_db_instance.shop_db",
        "    to   = aws_db_instance.store_db",
        "  }",
    ]
    assert rename_advice([]) == []
