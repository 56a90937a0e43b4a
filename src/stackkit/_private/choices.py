""" "Set A or B": one message that says which mistake was made, neither or both."""

from __future__ import annotations


def one_of_problem(
    first: str, first_set: bool, second: str, second_set: bool, *, why: str = ""
) -> str | None:
    """``None`` when exactly one of two alternatives is set; otherwise a ``"<first>: ..."``
    message (the form cross-field validators use) that tells "neither" from "both".

    ``first`` / ``second`` describe the alternatives as the user writes them, e.g.
    ``"certificate_arn"`` and ``"domain_name + hosted_zone_id"``; ``why`` is appended to the
    "neither" case (what each alternative does)."""
    field = first.split()[0]
    if first_set and second_set:
        return f"{field}: set either {first} or {second}, not both (both are set)"
    if not first_set and not second_set:
        return f"{field}: set {first} or {second}; neither is set{f' ({why})' if why else ''}"
    return None
