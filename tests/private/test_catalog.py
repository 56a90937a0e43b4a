"""Catalog checks: how many names "did you mean" offers, in which order, the exact messages,
and where the opt-out's warning points.

The suggestions are ``difflib.get_close_matches`` (ratio = 2 x matching characters / total
characters, cutoff 0.6, best first, ties in reverse alphabetical order). Ratios worked by hand
for the cases below: "db.t3.medum" against "db.t3.medium" shares 11 of 11 + 12 characters
(22/23 = 0.96), "db.t4g.medium" 10 (20/24 = 0.83), "db.t3.small" 8 (16/22 = 0.73).
"""

from __future__ import annotations

import inspect
import sys
import warnings
from typing import Any

import pytest

from stackkit import DatabaseProps, ExistingNetwork
from stackkit._private.catalog import (
    UncataloguedValueWarning,
    check_catalogued,
    check_catalogued_field,
    closest,
    did_you_mean,
    rds_postgres,
    user_stacklevel,
)
from stackkit._private.catalog.elasticache import NODE_TYPES
from stackkit._private.catalog.rds_postgres import INSTANCE_CLASSES

FRUIT = frozenset({"apple", "apply", "ample", "maple", "banana"})


def test_at_most_three_names_are_offered_best_first() -> None:
    assert closest("db.t3.medum", INSTANCE_CLASSES) == ["db.t3.medium", "db.t4g.medium", "db.t3.small"]
    assert closest("cache.t3.mirco", NODE_TYPES) == ["cache.t3.micro", "cache.t4g.micro", "cache.t3.medium"]


def test_the_count_can_be_asked_for() -> None:
    assert closest("db.t3.medum", INSTANCE_CLASSES, count=1) == ["db.t3.medium"]
    assert len(closest("db.t3.medum", INSTANCE_CLASSES, count=5)) == 5


def test_ties_and_the_cutoff() -> None:
    """ "appel" shares 4 of 5 + 5 characters with apple and apply ("app" + "e" or "l": 0.8), 3 with
    maple ("ap" + "e") and ample ("a" + "p" + "e": 0.6, the cutoff) and 1 with banana (0.18)."""
    assert closest("appel", FRUIT) == ["apply", "apple", "maple"]
    assert closest("appel", FRUIT, count=5) == ["apply", "apple", "maple", "ample"]
    assert closest("kiwi", FRUIT) == []


def test_did_you_mean_text() -> None:
    assert did_you_mean("db.t3.medum", INSTANCE_CLASSES) == (
        "; did you mean db.t3.medium or db.t4g.medium or db.t3.small?"
    )
    assert did_you_mean("banan", FRUIT) == "; did you mean banana?"
    assert did_you_mean("kiwi", FRUIT) == ""


def _check(value: str, allowed: bool = False) -> str:
    return check_catalogued(
        value,
        FRUIT,
        what="fruit",
        source="the orchard list",
        retrieved="2026-12-01",
        opt_out="allow_any_fruit",
        allowed=allowed,
    )


def test_a_catalogued_value_passes_without_a_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _check("apple") == "apple"
        assert _check("apple", allowed=True) == "apple"


def test_an_unknown_value_is_refused_with_the_closest_names_and_the_opt_out() -> None:
    with pytest.raises(ValueError) as caught:
        _check("banan")
    assert str(caught.value) == (
        "'banan' is not a known fruit; did you mean banana? "
        "(catalog from the orchard list, read 2026-12-01; for a newer one set allow_any_fruit=True)"
    )


def test_the_opt_out_warns_with_the_source_and_returns_the_value() -> None:
    with pytest.warns(UncataloguedValueWarning) as caught:
        assert _check("kiwi", allowed=True) == "kiwi"
    assert len(caught) == 1
    assert str(caught[0].message) == (
        "'kiwi' is not a fruit in stackkit's catalog (the orchard list, read 2026-12-01); accepted "
        "because allow_any_fruit=True. Check the name: AWS refuses unknown ones only at apply."
    )


def test_a_field_error_names_the_field_and_its_opt_out() -> None:
    with pytest.raises(ValueError) as caught:
        check_catalogued_field(
            "instance_class",
            "db.t3.medum",
            INSTANCE_CLASSES,
            what="class",
            source=rds_postgres,
            allowed=False,
        )
    assert str(caught.value) == (
        "instance_class: 'db.t3.medum' is not a known class; did you mean db.t3.medium or db.t4g.medium "
        "or db.t3.small? (catalog from https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/"
        "Concepts.DBInstanceClass.Support.html, read 2026-11-30; for a newer one set "
        "allow_uncatalogued_instance_class=True)"
    )


def test_the_uncatalogued_warning_points_at_the_line_that_built_the_props() -> None:
    """Not at stackkit's validator: a team sees (and can filter) the warning by its own line."""
    network = ExistingNetwork(
        vpc_id="vpc-0a1b2c3d",
        public_subnet_ids=("subnet-00000001",),
        private_subnet_ids=("subnet-00000002",),
        isolated_subnet_ids=("subnet-00000003", "subnet-00000004"),
    )
    with pytest.warns(UncataloguedValueWarning) as caught:
        line = inspect.currentframe().f_lineno + 1  # type: ignore[union-attr]
        DatabaseProps(
            name="shop",
            network=network,
            instance_class="db.r9g.large",
            allow_uncatalogued_instance_class=True,
        )
    assert [(warning.filename, warning.lineno) for warning in caught] == [(__file__, line)]


def _function(module: str, source: str, **names: object) -> Any:
    """A function whose frames belong to ``module`` (``__name__`` in its globals)."""
    namespace: dict[str, Any] = {"__name__": module, "sys": sys, **names}
    exec(source, namespace)
    return namespace["f"]


def test_the_level_passes_over_stackkit_pydantic_and_wrappers_between_them() -> None:
    source = "def f():\n    return user_stacklevel(sys._getframe())"
    inner = _function("stackkit.fake", source, user_stacklevel=user_stacklevel)
    wrapper = _function("sometool.wrap", "def f():\n    return inner()", inner=inner)
    second = _function("othertool.wrap", "def f():\n    return wrapper()", wrapper=wrapper)
    outer = _function("pydantic.fake", "def f():\n    return second()", second=second)
    # inner (1) -> two tool frames (2, 3) -> pydantic (4) -> this test (5)
    assert outer() == 5
    # Called straight from here: inner (1) -> this test (2).
    assert inner() == 2
    # No stackkit frame beyond inner: the first tool frame (2) is the caller.
    assert second() == 2


def test_a_caller_outside_stackkit_is_level_one_and_a_module_without_a_name_is_not_stackkits() -> None:
    assert user_stacklevel(sys._getframe()) == 1
    source = "def f():\n    return user_stacklevel(sys._getframe())"
    inner = _function("stackkit.fake", source, user_stacklevel=user_stacklevel)
    namespace: dict[str, Any] = {"inner": inner}
    exec("def f():\n    return inner()", namespace)  # globals without __name__
    assert "__name__" not in namespace
    # inner (1) -> the nameless caller (2)
    assert namespace["f"]() == 2
