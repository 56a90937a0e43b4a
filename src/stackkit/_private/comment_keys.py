"""Keys stackkit writes under a synthesized resource's ``//`` comment block, which the gate reads.

``//`` is a comment key in Terraform JSON: neither Terraform nor Checkov reads it. This module
imports no CDK, so the gate (``stackkit check``) reads the keys without one installed.
"""

from __future__ import annotations

#: Where a skip is recorded: ``resource["//"][SKIP_KEY][check_id] = reason``
#: (:func:`stackkit.skip_check`; :mod:`stackkit.policy.checkov` honours it).
SKIP_KEY = "stackkit_checkov_skip"
#: Where a skip on a data source is recorded: ``stack["//"][DATA_SKIPS_KEY][type][name][check_id]
#: = reason``. cdktf writes a data source's own ``//`` block last, from its construct metadata
#: (``TerraformDataSource.toTerraform``: ``attributes["//"] = this.constructNodeMetadata``), so an
#: override there is lost; the stack's ``//`` keeps it.
DATA_SKIPS_KEY = "stackkit_data_source_skips"

#: ``resource["//"][BOUNDARY_KEY] = why``: marks an ``aws_iam_policy`` used as a permissions
#: boundary. A boundary grants nothing, it caps ("Policies used as permissions boundaries do not
#: provide permissions", IAM API reference, PutRolePermissionsBoundary,
#: https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePermissionsBoundary.html), so the
#: gate's IAM analysis reads it as a ceiling, not as a grant (a boundary used by roles of other
#: stacks has no reference to it in its own stack: this marker names it).
BOUNDARY_KEY = "stackkit_permissions_boundary"
