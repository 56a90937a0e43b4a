"""Region facts in ARNs: a regional resource handed to a construct must be in the region the
construct builds in.

ARN format (IAM User Guide, "IAM identifiers" / AWS General Reference "Amazon Resource Names"):
``arn:partition:service:region:account-id:resource``; ACM certificates are
``arn:aws:acm:<region>:<account>:certificate/<id>`` and KMS keys
``arn:aws:kms:<region>:<account>:key/<key-id>`` (or ``alias/<name>``).
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html

Why it matters: an ALB's certificate must be an ACM certificate in the load balancer's region
(ACM User Guide, "Integrated services": "To use an ACM certificate with Elastic Load Balancing,
you must request or import the certificate in the same Region as your load balancer"), and a
KMS key encrypts only resources of its own region unless it is a multi-Region replica there
(KMS Developer Guide, "Multi-Region keys").
"""

from __future__ import annotations

import re

from stackkit._private.cdk import Token

ARN = re.compile(
    r"^arn:(?P<partition>aws(?:-[a-z]+)*):(?P<service>[a-z0-9-]+):(?P<region>[a-z0-9-]*):"
    r"(?P<account>\d{12}|aws)?:(?P<resource>.+)$"
)


def arn_region(arn: str) -> str | None:
    """The region field of a literal ARN, or None (a token, not an ARN, or a resource without
    a region, such as IAM)."""
    if Token.is_unresolved(arn):
        return None
    match = ARN.fullmatch(arn)
    return match["region"] or None if match else None


def arn_region_problem(arn: str | None, region: str | None, *, what: str, service: str) -> str | None:
    """Why ``arn`` cannot be used by a construct building in ``region``: another region, or an
    ARN of another service. None when it fits, or when either side is unknown at synth time
    (a token): then there is nothing to check, so nothing is guessed."""
    if arn is None or Token.is_unresolved(arn):
        return None
    match = ARN.fullmatch(arn)
    if match is None:
        return None  # the format is checked by the field's own validator
    if match["service"] != service:
        return f"{arn!r} is an ARN of {match['service']}, not of {service}: expected {what}"
    if region is None or not match["region"] or match["region"] == region:
        return None
    return (
        f"{what} {arn!r} is in {match['region']}, but this construct builds in {region}; "
        f"{what}s are regional: use one from {region}"
    )


def certificate_region_problem(certificate_arn: str | None, region: str | None) -> str | None:
    """An ACM certificate for a load balancer in ``region`` (see the module docstring)."""
    return arn_region_problem(certificate_arn, region, what="ACM certificate", service="acm")


def kms_key_region_problem(kms_key_arn: str | None, region: str | None) -> str | None:
    """A KMS key ARN for a resource in ``region`` (see the module docstring)."""
    return arn_region_problem(kms_key_arn, region, what="KMS key", service="kms")
