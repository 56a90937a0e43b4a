"""IAM policy documents as the JSON strings the provider takes."""

from __future__ import annotations

import json


def policy_document(*statements: dict[str, object]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def assume_role_policy(service: str, account_id: str) -> str:
    """Trust policy letting one AWS service assume the role, only on behalf of this account
    (``aws:SourceAccount`` guards against the confused deputy)."""
    return policy_document(
        {
            "Effect": "Allow",
            "Principal": {"Service": service},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
        }
    )
