"""Action names for the gate's IAM analysis, from parliament's copy of the IAM definitions (the
Service Authorization Reference): the likely action behind a misspelt one, and each action as AWS
names it."""

from __future__ import annotations

import difflib
import importlib
import warnings
from functools import cache
from typing import Any

from stackkit.policy.iam_documents import statements


@cache
def parliament() -> Any:
    """parliament, imported once. parliament 1.6.4 warns at import (pkg_resources is
    deprecated, unclosed files, invalid escapes): not the user's business, so not shown."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return importlib.import_module("parliament")


@cache
def known_actions(prefix: str) -> tuple[str, ...]:
    """Every action of a service prefix, from parliament's copy of the IAM definitions."""
    for service in parliament().iam_definition:
        if service["prefix"] == prefix:
            return tuple(f"{prefix}:{p['privilege']}" for p in service["privileges"])
    return ()


def suggestion(action: str) -> str:
    prefix = action.split(":", 1)[0].lower()
    close = difflib.get_close_matches(action, known_actions(prefix), n=1, cutoff=0.8)
    return f" (did you mean {close[0]}?)" if close else ""


@cache
def canonical_names() -> dict[str, str]:
    """``{action in lower case: its name as the Service Authorization Reference writes it}``."""
    names = (
        f"{service['prefix']}:{privilege['privilege']}"
        for service in parliament().iam_definition
        for privilege in service["privileges"]
    )
    return {name.lower(): name for name in names}


def canonical(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with each action named as AWS names it. IAM reads action names without regard
    to case (IAM User Guide, *IAM JSON policy elements: Action*,
    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html: "The
    prefix and the action name are case insensitive"); cloudsplaining 0.7 does not: it reports
    ``s3:getobject`` on one bucket as data exfiltration without resource constraints, and misses
    ``IAM:PassRole`` on ``*``."""
    names = canonical_names()

    def name(action: Any) -> Any:
        if not isinstance(action, str) or ":" not in action:
            return action
        prefix, _, rest = action.partition(":")
        return names.get(action.lower(), f"{prefix.lower()}:{rest}")

    def statement(found: dict[str, Any]) -> dict[str, Any]:
        renamed = dict(found)
        for element in ("Action", "NotAction"):
            if isinstance(found.get(element), list):
                renamed[element] = [name(action) for action in found[element]]
            elif element in found:
                renamed[element] = name(found[element])
        return renamed

    return {**document, "Statement": [statement(s) for s in statements(document)]}
