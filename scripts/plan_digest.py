"""The digest of what a Terraform plan changes: ``terraform show -json tfplan | python plan_digest.py``.

The deploy workflow plans twice: the plan job (shown in its summary, approved on prod) and the
apply job, which plans again with the deploy role and applies only when both digests agree
(``.github/workflows/deploy-environment.yml``). No plan file travels between the jobs: a saved plan
holds the secret values Terraform read (Terraform docs, "Manage sensitive data in your
configuration": "Terraform state and plan files contain detailed information about your
infrastructure, including resource attributes and metadata that can contain sensitive values"),
and a workflow artifact can be downloaded by anyone with read access to the repository (GitHub
Docs, "Downloading workflow artifacts": "People who are signed into GitHub and have read access
to a repository can download workflow artifacts").

Only the changes count (Terraform's JSON output format: ``resource_changes``, ``output_changes``):
each resource change that is not a no-op, with its address, actions, planned values and what
forces a replacement; each output change that is not a no-op. The prior state (``before``, read
again by each plan) is left out, so a refresh of unchanged resources does not matter; any
difference in what would be done does. The digest is printed, never the JSON: the planned values
may hold secrets.
"""

from __future__ import annotations

import hashlib
import json
import sys
from typing import Any

#: The parts of a resource change that say what Terraform will do.
CHANGE_KEYS = ("actions", "after", "after_unknown", "after_sensitive", "replace_paths")


def changes(plan: dict[str, Any]) -> dict[str, Any]:
    """The changes of a ``terraform show -json`` plan, in a canonical order."""
    resources = {
        change["address"]: {key: change["change"].get(key) for key in CHANGE_KEYS}
        for change in plan.get("resource_changes") or []
        if change["change"]["actions"] != ["no-op"]
    }
    outputs = {
        name: {key: change.get(key) for key in ("actions", "after", "after_unknown")}
        for name, change in (plan.get("output_changes") or {}).items()
        if change["actions"] != ["no-op"]
    }
    return {"resources": resources, "outputs": outputs}


def digest(plan: dict[str, Any]) -> str:
    canonical = json.dumps(changes(plan), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


if __name__ == "__main__":
    print(digest(json.load(sys.stdin)))
