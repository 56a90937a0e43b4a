"""Typed boundaries directly: which members a protocol declares, what counts as missing, and
the exact message a wrong object gets."""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

import pytest

from stackkit._private.boundary import like_message, missing_members, protocol_members, require_like

T = TypeVar("T")


class HasName(Protocol):
    name: str

    @property
    def _hidden(self) -> str: ...


class ThingLike(HasName, Protocol):
    """A protocol with an annotation (inherited), a property and a method."""

    size: int

    @property
    def address(self) -> str: ...

    def grant(self) -> None: ...


class Thing:
    name = "t"
    size = 1
    address = "a.example"

    def grant(self) -> None:
        return None


class Broken:
    name = "b"
    size = 2

    @property
    def address(self) -> str:
        raise RuntimeError("not known yet")


class Apple:
    pass


class Pear:
    pass


class Xylophone:
    pass


def test_protocol_members_in_declaration_order_bases_first_private_left_out() -> None:
    assert protocol_members(HasName) == ("name",)
    assert protocol_members(ThingLike) == ("name", "size", "address", "grant")


def test_typing_protocol_and_generic_add_no_members() -> None:
    class Holder(Protocol[T]):
        value: T

    assert protocol_members(Holder) == ("value",)


def test_missing_members_reads_each_once_and_a_raising_property_counts_as_missing() -> None:
    assert missing_members(Thing(), ("name", "size", "address", "grant")) == []
    assert missing_members(Broken(), ("name", "size", "address", "grant")) == ["address", "grant"]
    assert missing_members(None, ("name",)) == ["name"]
    assert missing_members(Thing(), ()) == []


def test_require_like_returns_the_value() -> None:
    thing = Thing()
    assert require_like(thing, "thing", ThingLike) is thing


def test_require_like_refuses_with_the_parameter_kind_members_and_what_is_missing() -> None:
    with pytest.raises(TypeError) as caught:
        require_like(Broken(), "thing", ThingLike)
    assert str(caught.value) == (
        "thing: expected a Thing or any ThingLike object (with name, size, address, grant); "
        "got a Broken, missing address, grant"
    )


@pytest.mark.parametrize(
    ("value", "described"),
    [
        (None, "None"),
        (Apple(), "an Apple"),
        (Pear(), "a Pear"),
        (Xylophone(), "a Xylophone"),
        ("text", "a str"),
        (1, "an int"),
    ],
)
def test_the_value_is_described_with_its_article(value: Any, described: str) -> None:
    with pytest.raises(TypeError) as caught:
        require_like(value, "peer", HasName, kind="Service")
    assert (
        str(caught.value)
        == f"peer: expected a Service or any HasName object (with name); got {described}, missing name"
    )


def test_ignored_members_are_not_required_but_still_listed() -> None:
    class NoGrant:
        name = "n"
        size = 3
        address = "x"

    value = NoGrant()
    assert require_like(value, "thing", ThingLike, ignore=frozenset({"grant"})) is value
    with pytest.raises(TypeError) as caught:
        require_like(Apple(), "thing", ThingLike, ignore=frozenset({"grant", "size"}))
    assert str(caught.value) == (
        "thing: expected a Thing or any ThingLike object (with name, size, address, grant); got an Apple, "
        "missing name, address"
    )


def test_like_message_with_a_kind() -> None:
    assert like_message(Apple(), "network", ThingLike, ["name"], kind="Network") == (
        "network: expected a Network or any ThingLike object (with name, size, address, grant); got an "
        "Apple, missing name"
    )
