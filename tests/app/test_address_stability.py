"""Terraform addresses of stateful resources must not change: a changed address makes
Terraform destroy the old resource (a database, its key, its data) and create a new one.

When an address change is deliberate, regenerate with
``STACKKIT_UPDATE_SNAPSHOTS=1 npm test -- tests/app/test_address_stability.py`` and write an
upgrade note (``moved`` blocks or ``terraform state mv``) in the CHANGELOG.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from stackkit.policy.replacement import GUARDED_TYPES
from tests.conftest import StackJson

SNAPSHOT = Path(__file__).parents[1] / "snapshots" / "stateful_addresses.json"


def stateful_addresses(stacks: dict[str, StackJson]) -> dict[str, list[str]]:
    return {
        env: sorted(
            f"{resource_type}.{name}"
            for resource_type in sorted(GUARDED_TYPES)
            for name in stack.get("resource", {}).get(resource_type, {})
        )
        for env, stack in stacks.items()
    }


def test_stateful_addresses_are_unchanged(stacks: dict[str, StackJson]) -> None:
    current = stateful_addresses(stacks)
    if os.environ.get("STACKKIT_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(json.dumps(current, indent=2) + "\n")
    recorded = json.loads(SNAPSHOT.read_text())
    for env in current:
        missing = sorted(set(recorded.get(env, [])) - set(current[env]))
        added = sorted(set(current[env]) - set(recorded.get(env, [])))
        assert missing == [], f"{env}: these stateful resources would be DESTROYED: {missing}"
        assert added == [], f"{env}: new stateful resources; record them in the snapshot: {added}"
