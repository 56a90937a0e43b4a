"""Moving a resource from one Terraform state to another, declaratively (no ``terraform state``
command): the old stack gets a ``removed`` block with ``destroy = false`` (the resource leaves
its state, the object stays), the new stack an ``import`` block (the object enters its state).

* ``removed``: Terraform >= 1.7; "replace the resource block with a removed block ... set the
  destroy argument to false" removes it from state without destroying it (Terraform language,
  "Remove a resource from state", https://developer.hashicorp.com/terraform/language/state/remove;
  "removed block reference", https://developer.hashicorp.com/terraform/language/block/removed).
  JSON form: ``"removed": [{"from": "<address>", "lifecycle": {"destroy": false}}]``.
* ``import``: Terraform >= 1.5; ``import { to = <address>  id = "<id>" }`` beside the resource
  block; it may stay in the configuration "as a record of the resource's origin" (Terraform
  language, "import block reference", https://developer.hashicorp.com/terraform/language/block/import).
  cdktf writes it with ``TerraformResource.import_from(id)``:
  ``"import": [{"to": "<address>", "id": "<id>"}]``.

stackkit stacks need Terraform 1.11 already (write-only arguments), so both are available.
"""

from __future__ import annotations

from typing import Any

from stackkit._private.cdk import TerraformStack

#: The stack attribute that collects the stack's ``removed`` blocks (one override for all).
_REMOVED_ATTRIBUTE = "_stackkit_removed_blocks"


def forget(stack: TerraformStack, *addresses: str) -> None:
    """Add ``removed { from = <address>  lifecycle { destroy = false } }`` to ``stack`` for each
    address: Terraform drops it from this stack's state and leaves the object alone."""
    blocks: list[dict[str, Any]] = getattr(stack, _REMOVED_ATTRIBUTE, [])
    known = {block["from"] for block in blocks}
    blocks += [
        {"from": address, "lifecycle": {"destroy": False}} for address in addresses if address not in known
    ]
    setattr(stack, _REMOVED_ATTRIBUTE, blocks)
    stack.add_override("removed", blocks)


__all__ = ["forget"]
