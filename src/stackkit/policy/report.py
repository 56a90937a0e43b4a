"""Renderings of a policy run: the per-stack table, SARIF 2.1.0 (GitHub code scanning) and
JUnit XML (test reporters)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from stackkit.policy.checkov import Finding, StackReport

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _relative(path: str) -> str:
    """Relative to the working directory (the repository in CI) when inside it, else absolute."""
    absolute = Path(path).resolve()
    return str(absolute.relative_to(Path.cwd())) if absolute.is_relative_to(Path.cwd()) else str(absolute)


def _uri(path: str) -> str:
    """SARIF wants a relative URI (resolved against the repository in code scanning) or a file URI."""
    relative = Path(_relative(path))
    return relative.as_uri() if relative.is_absolute() else relative.as_posix()


def _where(finding: Finding) -> str:
    return f"{_relative(finding.file)}:{finding.lines[0]}-{finding.lines[1]}"


def render_table(reports: dict[str, StackReport]) -> str:
    """Failed checks with resource, file and lines; passed and skipped counts; per stack."""
    lines: list[str] = []
    for name, report in reports.items():
        verdict = "FAILED" if report.failed else "ok"
        lines.append(
            f"{name:<12} {verdict:<7} passed {len(report.passed):>4}   failed {len(report.failed):>3}"
            f"   skipped {len(report.skipped):>3}"
        )
        for finding in sorted(report.failed, key=lambda f: (f.check_id, f.resource)):
            lines.append(f"    FAIL {finding.check_id:<16} {finding.resource}  ({_where(finding)})")
            lines.append(f"         {finding.check_name}")
            lines += [f"         - {detail}" for detail in finding.details]
        for finding in sorted(report.skipped, key=lambda f: (f.check_id, f.resource)):
            lines.append(
                f"    skip {finding.check_id:<16} {finding.resource}: {finding.skip_reason or 'skipped'}"
            )
    total = {
        kind: sum(len(getattr(r, kind)) for r in reports.values()) for kind in ("passed", "failed", "skipped")
    }
    lines.append(
        f"{len(reports)} stacks: {total['passed']} passed, {total['failed']} failed, "
        f"{total['skipped']} skipped"
    )
    return "\n".join(lines)


def sarif(reports: dict[str, StackReport]) -> dict[str, Any]:
    """One SARIF run; a result per failed check (level error) and per skipped one (note, suppressed)."""
    rules: dict[str, dict[str, Any]] = {}
    results: list[dict[str, Any]] = []
    for report in reports.values():
        for finding, skipped in [(f, False) for f in report.failed] + [(f, True) for f in report.skipped]:
            rules.setdefault(
                finding.check_id,
                {
                    "id": finding.check_id,
                    "name": finding.check_id,
                    "shortDescription": {"text": finding.check_name},
                },
            )
            message = f"{finding.resource} ({finding.stack}): {finding.check_name}"
            if finding.details:
                message += " - " + "; ".join(finding.details)
            result: dict[str, Any] = {
                "ruleId": finding.check_id,
                "level": "note" if skipped else "error",
                "message": {"text": message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": _uri(finding.file)},
                            "region": {
                                "startLine": max(finding.lines[0], 1),
                                "endLine": max(finding.lines[1], 1),
                            },
                        }
                    }
                ],
            }
            if skipped:
                result["suppressions"] = [{"kind": "external", "justification": finding.skip_reason or ""}]
            results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "stackkit check",
                        "informationUri": "https://www.checkov.io/",
                        "rules": sorted(rules.values(), key=lambda rule: rule["id"]),
                    }
                },
                "results": results,
            }
        ],
    }


def junit(reports: dict[str, StackReport]) -> str:
    """A ``testsuite`` per stack and a ``testcase`` per (check, resource)."""
    suites = ElementTree.Element("testsuites", name="stackkit check")
    for name, report in reports.items():
        findings = [*report.passed, *report.failed, *report.skipped]
        suite = ElementTree.SubElement(
            suites,
            "testsuite",
            name=name,
            tests=str(len(findings)),
            failures=str(len(report.failed)),
            skipped=str(len(report.skipped)),
            errors="0",
        )
        for finding in sorted(findings, key=lambda f: (f.check_id, f.resource)):
            case = ElementTree.SubElement(
                suite,
                "testcase",
                classname=name,
                name=f"{finding.check_id} {finding.resource}",
                file=finding.file,
            )
            if finding in report.failed:
                failure = ElementTree.SubElement(case, "failure", message=finding.check_name)
                failure.text = "\n".join([_where(finding), *finding.details])
            elif finding in report.skipped:
                ElementTree.SubElement(case, "skipped", message=finding.skip_reason or "skipped")
    ElementTree.indent(suites)
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


WRITERS = {
    "sarif": lambda reports: json.dumps(sarif(reports), indent=2) + "\n",
    "junit": junit,
}
