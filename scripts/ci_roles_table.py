"""Render the CI roles table of docs/ci-roles.md from a synthesized ``<env>-bootstrap`` stack.

    .venv/bin/python scripts/ci_roles_table.py            # synthesizes this checkout, rewrites the page
    .venv/bin/python scripts/ci_roles_table.py cdktf.out  # from an existing synthesis

What is rendered comes from the synthesized JSON (roles, trust, managed policies, every inline
statement, the permissions boundary); the "why" column from ``stackkit.patterns.ci_roles.REASONS``.
``tests/app/test_ci_roles.py`` fails when the page is not what this renders.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "ci-roles.md"
#: The environment whose bootstrap stack the page shows (the one with required reviewers).
ENVIRONMENT = "prod"
BEGIN = "<!-- generated: ci roles, by scripts/ci_roles_table.py -->"
END = "<!-- end of generated ci roles -->"

#: ``${data.aws_partition.x.partition}`` -> ``aws``, and the like: what a reader recognises.
_TOKENS = (
    (re.compile(r"\$\{data\.aws_partition\.[^}]+\.partition\}"), "aws"),
    (re.compile(r"\$\{data\.aws_caller_identity\.[^}]+\.account_id\}"), "<account>"),
    (re.compile(r"\$\{data\.aws_region\.[^}]+\.region\}"), "<region>"),
    (re.compile(r"\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)\.arn\}"), r"<\1>"),
)


def readable(text: str) -> str:
    for pattern, replacement in _TOKENS:
        text = pattern.sub(replacement, text)
    return text


def _code(values: Any) -> str:
    items = values if isinstance(values, list) else [values]
    return "<br>".join(f"`{readable(str(item))}`" for item in items)


def _condition(condition: dict[str, dict[str, Any]] | None) -> str:
    if not condition:
        return ""
    parts = []
    for operator, keys in condition.items():
        for key, value in keys.items():
            parts.append(f"{operator} `{key}` = {_code(value)}")
    return "<br>".join(parts)


def _statement_rows(policy: str, reasons: dict[str, str]) -> list[str]:
    rows = []
    for statement in json.loads(policy)["Statement"]:
        sid = statement["Sid"]
        actions = (
            _code(statement["Action"])
            if "Action" in statement
            else f"all but {_code(statement['NotAction'])}"
        )
        why = reasons[sid].replace("|", "\\|")
        rows.append(
            f"| {sid} | {statement['Effect']} | {actions} | {_code(statement['Resource'])} "
            f"| {_condition(statement.get('Condition'))} | {why} |"
        )
    return rows


HEADER = ["| statement | effect | actions | resources | condition | why |", "|---|---|---|---|---|---|"]


def render(bootstrap: dict[str, Any]) -> str:
    """The markdown of every CI role and of the permissions boundary in ``bootstrap``."""
    from stackkit.patterns.ci_roles import REASONS

    resources = bootstrap["resource"]
    attachments = resources.get("aws_iam_role_policy_attachment", {}).values()
    inline = {body["role"]: body["policy"] for body in resources["aws_iam_role_policy"].values()}
    lines: list[str] = []
    for address, role in sorted(resources["aws_iam_role"].items(), key=lambda item: item[1]["name"]):
        (trust,) = json.loads(role["assume_role_policy"])["Statement"]
        subject = trust["Condition"]["StringEquals"]["token.actions.githubusercontent.com:sub"]
        managed = sorted(
            a["policy_arn"].rsplit("/", 1)[1]
            for a in attachments
            if a["role"] == f"${{aws_iam_role.{address}.name}}"
        )
        lines += [
            f"### {role['path']}{role['name']}",
            "",
            f"Assumed only by a job whose OIDC `sub` is `{subject}`.",
            f"AWS managed policies: {', '.join(f'`{name}`' for name in managed) or 'none'}.",
            "",
            *HEADER,
            *_statement_rows(inline[f"${{aws_iam_role.{address}.id}}"], REASONS),
            "",
        ]
    (boundary,) = resources["aws_iam_policy"].values()
    lines += [
        f"### The permissions boundary: {boundary['name']}",
        "",
        "Set on every role the deploy role creates (it may create none without it); grants nothing by "
        "itself, it caps.",
        "",
        *HEADER,
        *_statement_rows(boundary["policy"], REASONS),
    ]
    return "\n".join(lines)


def rewrite(page: str, table: str) -> str:
    """``page`` with the text between the markers replaced by ``table``."""
    before, rest = page.split(BEGIN, 1)
    _, after = rest.split(END, 1)
    return f"{before}{BEGIN}\n\n{table}\n\n{END}{after}"


def bootstrap_json(outdir: Path) -> dict[str, Any]:
    stack: dict[str, Any] = json.loads(
        (outdir / "stacks" / f"{ENVIRONMENT}-bootstrap" / "cdk.tf.json").read_text()
    )
    return stack


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="stackkit-ci-roles-") as temporary:
        if argv:
            outdir = Path(argv[0])
        else:
            sys.path.insert(0, str(ROOT))
            from stacks.app import synth

            outdir = Path(temporary)
            synth(str(outdir), environments=[ENVIRONMENT])
        PAGE.write_text(rewrite(PAGE.read_text(), render(bootstrap_json(outdir))))
    print(f"wrote {PAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
