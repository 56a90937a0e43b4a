"""A ``data.aws_iam_policy_document`` rendered as the AWS provider renders its ``json``."""

from __future__ import annotations

import json
from typing import Any


def render_policy_document(body: dict[str, Any]) -> dict[str, Any]:
    """The JSON of a ``data.aws_iam_policy_document`` (AWS provider argument reference,
    ``aws_iam_policy_document``: ``effect`` defaults to Allow; a ``principals`` block of type
    ``*`` with identifiers ``["*"]`` is ``"Principal": "*"``; each ``condition`` block is
    ``{test: {variable: values}}``). Statements of literal ``source_policy_documents`` come
    first, as the provider merges them."""
    statements: list[dict[str, Any]] = []
    for source in [
        *(body.get("source_policy_documents") or []),
        *(body.get("override_policy_documents") or []),
    ]:
        if isinstance(source, str) and not source.startswith("${"):
            try:
                parsed = json.loads(source)
            except json.JSONDecodeError:
                continue
            listed = parsed.get("Statement", []) if isinstance(parsed, dict) else []
            statements += [
                s for s in (listed if isinstance(listed, list) else [listed]) if isinstance(s, dict)
            ]
    blocks = body.get("statement") or []
    for block in blocks if isinstance(blocks, list) else [blocks]:
        if isinstance(block, dict):
            statements.append(_render_statement(block))
    document: dict[str, Any] = {"Version": body.get("version") or "2012-10-17", "Statement": statements}
    if body.get("policy_id"):
        document["Id"] = body["policy_id"]
    return document


def _render_principals(blocks: Any) -> Any:
    rendered: dict[str, list[Any]] = {}
    for block in blocks if isinstance(blocks, list) else [blocks]:
        if not isinstance(block, dict):
            continue
        kind, identifiers = block.get("type"), block.get("identifiers")
        if kind == "*" and identifiers == ["*"]:
            return "*"
        rendered.setdefault(str(kind), []).extend(
            identifiers if isinstance(identifiers, list) else [identifiers]
        )
    return {kind: ids[0] if len(ids) == 1 else ids for kind, ids in rendered.items()}


def _render_statement(block: dict[str, Any]) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": block.get("effect") or "Allow"}
    if block.get("sid"):
        statement["Sid"] = block["sid"]
    for argument, element in (
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ):
        if block.get(argument) is not None:
            statement[element] = block[argument]
    for argument, element in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        if block.get(argument):
            statement[element] = _render_principals(block[argument])
    conditions: dict[str, dict[str, Any]] = {}
    for condition in block.get("condition") or []:
        if isinstance(condition, dict):
            conditions.setdefault(str(condition.get("test")), {})[str(condition.get("variable"))] = (
                condition.get("values")
            )
    if conditions:
        statement["Condition"] = conditions
    return statement
