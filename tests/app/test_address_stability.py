"""Terraform addresses of stateful resources must not change: a changed address makes
Terraform destroy the old resource (a database, its key, its data) and create a new one.

When an address change is deliberate, regenerate the snapshot with the script (a test only
compares) and write an upgrade note (``moved`` blocks, or a ``removed``/``import`` pair between two
stacks) in the CHANGELOG::

    .venv/bin/python -m tests.app.update_stateful_addresses            # synthesizes, then writes
    .venv/bin/python -m tests.app.update_stateful_addresses cdktf.out  # from an existing synthesis

The snapshot covers the app stacks (``<env>``) and the bootstrap stacks (``<env>-bootstrap``).
An address may leave an app stack only to another stack's state: a ``removed`` block with
``destroy = false`` in the app stack and an ``import`` block (and the resource) in its
bootstrap stack (issue 15: the image repositories).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stackkit.policy.replacement import GUARDED_TYPES, forgotten_addresses
from stacks.environments import ENVIRONMENT_NAMES
from tests.conftest import StackJson

SNAPSHOT = Path(__file__).parents[1] / "snapshots" / "stateful_addresses.json"


@pytest.fixture(scope="module")
def all_stacks(outdir: Path) -> dict[str, StackJson]:
    return read_stacks(outdir)


def read_stacks(outdir: Path) -> dict[str, StackJson]:
    """Every synthesized stack under ``outdir`` (``<outdir>/stacks/<name>/cdk.tf.json``) by name."""
    return {
        path.parent.name: json.loads(path.read_text())
        for path in sorted((outdir / "stacks").glob("*/cdk.tf.json"))
    }


def stateful_addresses(stacks: dict[str, StackJson]) -> dict[str, list[str]]:
    return {
        env: sorted(
            f"{resource_type}.{name}"
            for resource_type in sorted(GUARDED_TYPES)
            for name in stack.get("resource", {}).get(resource_type, {})
        )
        for env, stack in stacks.items()
    }


def imported(stack: StackJson) -> dict[str, Any]:
    return {str(block["to"]): block["id"] for block in stack.get("import") or []}


def moved_out(stacks: dict[str, StackJson], env: str) -> set[str]:
    """Addresses that leave ``env`` for ``<env>-bootstrap`` through a removed/import pair."""
    target = stacks.get(f"{env}-bootstrap", {})
    addresses = {
        f"{resource_type}.{name}"
        for resource_type, by_name in (target.get("resource") or {}).items()
        for name in by_name
    }
    return forgotten_addresses(stacks[env]) & set(imported(target)) & addresses


def test_stateful_addresses_are_unchanged(all_stacks: dict[str, StackJson]) -> None:
    current = stateful_addresses(all_stacks)
    recorded = json.loads(SNAPSHOT.read_text())
    for env in current:
        moved = moved_out(all_stacks, env) if env in ENVIRONMENT_NAMES else set()
        missing = sorted(set(recorded.get(env, [])) - set(current[env]) - moved)
        added = sorted(set(current[env]) - set(recorded.get(env, [])))
        assert missing == [], f"{env}: these stateful resources would be DESTROYED: {missing}"
        assert added == [], (
            f"{env}: new stateful resources; record them with python -m tests.app.update_stateful_addresses: "
            f"{added}"
        )


@pytest.mark.parametrize("env", ENVIRONMENT_NAMES)
def test_every_address_that_leaves_an_app_stack_is_imported_by_its_bootstrap_stack(
    all_stacks: dict[str, StackJson], env: str
) -> None:
    app, bootstrap = all_stacks[env], all_stacks[f"{env}-bootstrap"]
    forgotten = forgotten_addresses(app)
    # Every removed block of the app stack keeps the object (destroy = false)...
    assert {block["from"] for block in app.get("removed") or []} == forgotten
    # ...and is one half of a pair: the bootstrap stack has the resource and imports it.
    assert moved_out(all_stacks, env) == forgotten
    assert set(imported(bootstrap)) == forgotten
    # No address is in both stacks' configurations (one object, one state).
    app_addresses = {f"{t}.{n}" for t, by_name in app.get("resource", {}).items() for n in by_name}
    assert forgotten.isdisjoint(app_addresses)
    # The stateful ones among them are the image repositories (issue 15), imported by name.
    stateful = {address for address in forgotten if address.split(".", 1)[0] in GUARDED_TYPES}
    assert stateful == {"aws_ecr_repository.stackkit_api_repository"}
    assert imported(bootstrap)["aws_ecr_repository.stackkit_api_repository"] == "stackkit-api"
    assert imported(bootstrap)["aws_ecr_lifecycle_policy.stackkit_api_repository_lifecycle"] == "stackkit-api"


def test_the_snapshot_records_the_move(all_stacks: dict[str, StackJson]) -> None:
    recorded = json.loads(SNAPSHOT.read_text())
    for env in ENVIRONMENT_NAMES:
        assert "aws_ecr_repository.stackkit_api_repository" not in recorded[env]
        assert "aws_ecr_repository.stackkit_api_repository" in recorded[f"{env}-bootstrap"]
