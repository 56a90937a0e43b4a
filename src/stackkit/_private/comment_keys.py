"""Keys stackkit writes under a synthesized resource's ``//`` comment block, which the gate reads.

``//`` is a comment key in Terraform JSON: neither Terraform nor Checkov reads it. This module
imports no CDK, so the gate (``stackkit check``) reads the keys without one installed.
"""

from __future__ import annotations

#: Where a skip is recorded: ``resource["//"][SKIP_KEY][check_id] = reason``
#: (:func:`stackkit.skip_check`; :mod:`stackkit.policy.checkov` honours it).
SKIP_KEY = "stackkit_checkov_skip"
