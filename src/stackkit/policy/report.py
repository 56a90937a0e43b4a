"""Renderings of a policy run: the per-stack table, SARIF 2.1.0 (GitHub code scanning) and
JUnit XML (test reporters)."""

from __future__ import annotations

import json
import platform
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree

from stackkit.policy.checkov import OWN_CHECK_PREFIX, Finding, StackReport
from stackkit.policy.checks.stackkit_policy_common import POLICIES
from stackkit.policy.iam_analysis import DOCS_URL as IAM_DOCS_URL
from stackkit.policy.iam_analysis import PREFIX as IAM_PREFIX

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
#: The documentation page on skips (docs/gate/skips.md on the published site).
SKIPS_PAGE = "https://stackkit.github.io/stackkit/gate/skips/"
#: Where the synthesized JSON is reported when it lies outside the repository (a temporary
#: folder): a fixed, relative name, so alerts keep their identity across runs.
DEFAULT_OUT = "cdktf.out"


@dataclass(frozen=True)
class RunInfo:
    """What the renderers need besides the findings.

    ``project``: the project folder relative to the repository root (``""`` at the root; the
    SARIF URIs of the user's Python lines start with it). ``out_label``: the synthesized
    output's path relative to the repository when it lies inside it, else ``cdktf.out``.
    ``out_dir``: the real folder scanned. ``elapsed``: the scan's duration in seconds."""

    out_dir: Path
    out_label: str = DEFAULT_OUT
    project: str = ""
    elapsed: float = 0.0


def tool_version() -> str:
    try:
        return version("stackkit")
    except PackageNotFoundError:  # running from a source tree without metadata
        return "0.0.0"


def _json_uri(finding: Finding, info: RunInfo) -> str:
    """``cdktf.out/stacks/<stack>/cdk.tf.json``: relative, POSIX, the same on every run."""
    relative = Path(finding.file).resolve().relative_to(info.out_dir.resolve())
    return str(PurePosixPath(info.out_label, *relative.parts))


def _where(finding: Finding, info: RunInfo) -> str:
    return f"{_json_uri(finding, info)}:{finding.lines[0]}-{finding.lines[1]}"


def _source(finding: Finding, info: RunInfo) -> tuple[str, int] | None:
    """``(repository-relative path, line)`` of the user's line that made the resource."""
    if not finding.source or ":" not in finding.source:
        return None
    path, _, line = finding.source.rpartition(":")
    if not line.isdigit():
        return None
    return str(PurePosixPath(info.project, path)), int(line)  # PurePosixPath("", path) is path


def render_table(reports: dict[str, StackReport], info: RunInfo) -> str:
    """Failed checks with resource, file and lines; passed and skipped counts; per stack."""
    lines: list[str] = []
    for name, report in reports.items():
        verdict = "FAILED" if report.failed else "ok"
        lines.append(
            f"{name:<12} {verdict:<7} passed {len(report.passed):>4}   failed {len(report.failed):>3}"
            f"   skipped {len(report.skipped):>3}"
        )
        for finding in sorted(report.failed, key=lambda f: (f.check_id, f.resource)):
            made_at = f", made at {finding.source}" if finding.source else ""
            lines.append(
                f"    FAIL {finding.check_id:<16} {finding.resource}  ({_where(finding, info)}{made_at})"
            )
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


def _rule(finding: Finding) -> dict[str, Any]:
    """A SARIF ``reportingDescriptor``. GitHub shows ``shortDescription``/``fullDescription`` at
    the top of an alert and ``help`` below it ("SARIF support for code scanning", GitHub Docs:
    https://docs.github.com/en/code-security/reference/code-scanning/sarif-files/sarif-support)."""
    own = finding.check_id.startswith(OWN_CHECK_PREFIX)
    iam = finding.check_id.startswith(IAM_PREFIX)
    policy = next((p for p in POLICIES.values() if p.id == finding.check_id), None)
    full = policy.name if policy is not None else finding.check_name
    if iam:
        help_text = (
            f"{finding.check_id}: {finding.check_name} (stackkit's IAM analysis: parliament, "
            "cloudsplaining and stackkit's own rules over every policy document). The finding names "
            "the statement, the actions and the fix. When it does not apply to this one resource, "
            f"record why on it with stackkit.skip_check, giving the resource, {finding.check_id} and "
            "the reason (for a data.aws_iam_policy_document, pass the data source or every resource "
            f"that uses it; see {SKIPS_PAGE})."
        )
    elif own:
        help_text = (
            f"{finding.check_id} is one of stackkit's own policies: {full}. It cannot be skipped; "
            "change the construct's props (the finding's details say which setting)."
        )
    else:
        help_text = (
            f"Checkov check {finding.check_id}: {finding.check_name}. Fix the resource, or, when the "
            "check does not apply to this one resource, record why next to it with "
            f'stackkit.skip_check(resource, "{finding.check_id}", "<a reason a reviewer can judge>") '
            f"(see {SKIPS_PAGE})."
        )
    rule: dict[str, Any] = {
        "id": finding.check_id,
        "name": finding.check_id,
        "shortDescription": {"text": finding.check_name},
        "fullDescription": {"text": full},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["security", "terraform", "iam" if iam else "stackkit" if own else "checkov"]},
    }
    if iam:
        rule["helpUri"] = IAM_DOCS_URL
    elif not own:
        rule["helpUri"] = "https://www.checkov.io/5.Policy%20Index/terraform.html"
    return rule


def _physical(uri: str, start: int, end: int | None = None) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": max(start, 1)}
    if end is not None:
        region["endLine"] = max(end, region["startLine"])
    return {"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}


def sarif(reports: dict[str, StackReport], info: RunInfo) -> dict[str, Any]:
    """One SARIF run with a result per failed check.

    The location is the user's Python line that created the resource (so a pull request shows
    the finding on the ``app.py`` line that made it); the synthesized JSON is a related location
    (or the location, for a resource made without a recorded line). URIs are relative to the
    repository and the same on every run: GitHub needs consistent file paths to match alerts
    across runs (same GitHub Docs page, "Consistent file paths"). Skipped checks are not results:
    they are listed in the table and the job summary, each with its recorded reason."""
    rules: dict[str, dict[str, Any]] = {}
    results: list[dict[str, Any]] = []
    for report in reports.values():
        for finding in sorted(report.failed, key=lambda f: (f.check_id, f.resource)):
            rules.setdefault(finding.check_id, _rule(finding))
            message = f"{finding.resource} ({finding.stack}): {finding.check_name}"
            if finding.details:
                message += " - " + "; ".join(finding.details)
            json_location = _physical(_json_uri(finding, info), *finding.lines)
            source = _source(finding, info)
            result: dict[str, Any] = {
                "ruleId": finding.check_id,
                "level": "error",
                "message": {"text": message},
                "locations": [_physical(*source) if source else json_location],
                "partialFingerprints": {
                    "stackkitResource/v1": f"{finding.stack}/{finding.resource}/{finding.check_id}"
                },
            }
            if source:
                result["relatedLocations"] = [
                    {
                        "id": 1,
                        **json_location,
                        "message": {"text": f"{finding.resource} in the synthesized stack {finding.stack}"},
                    }
                ]
            results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "stackkit",
                        "version": tool_version(),
                        "semanticVersion": tool_version(),
                        "informationUri": "https://www.checkov.io/",
                        "rules": sorted(rules.values(), key=lambda rule: rule["id"]),
                    }
                },
                "results": results,
            }
        ],
    }


def junit(reports: dict[str, StackReport], info: RunInfo) -> str:
    """A ``testsuite`` per stack and a ``testcase`` per (check, resource).

    Attributes as the strict JUnit schemas (Ant's ``junit.xsd`` / Jenkins' ``junit-10.xsd``) have
    them: ``time`` everywhere (one Checkov run scans all stacks: its time is shared by the stacks
    in proportion to their checks; Checkov does not time single checks, so test cases get 0),
    ``timestamp`` and ``hostname`` on a suite, and no ``file`` attribute (not in those schemas;
    the location is in the failure text)."""
    total = sum(len(r.passed) + len(r.failed) + len(r.skipped) for r in reports.values())
    suites = ElementTree.Element(
        "testsuites",
        name="stackkit check",
        tests=str(total),
        failures=str(sum(len(r.failed) for r in reports.values())),
        errors="0",
        time=f"{info.elapsed:.3f}",
    )
    timestamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    for name, report in reports.items():
        findings = [*report.passed, *report.failed, *report.skipped]
        suite = ElementTree.SubElement(
            suites,
            "testsuite",
            name=name,
            tests=str(len(findings)),
            failures=str(len(report.failed)),
            errors="0",
            skipped=str(len(report.skipped)),
            time=f"{info.elapsed * len(findings) / total if total else 0.0:.3f}",
            timestamp=timestamp,
            hostname=platform.node() or "localhost",
        )
        for finding in sorted(findings, key=lambda f: (f.check_id, f.resource)):
            case = ElementTree.SubElement(
                suite,
                "testcase",
                classname=name,
                name=f"{finding.check_id} {finding.resource}",
                time="0",
            )
            if finding in report.failed:
                failure = ElementTree.SubElement(case, "failure", message=finding.check_name, type="policy")
                made_at = [f"made at {finding.source}"] if finding.source else []
                failure.text = "\n".join([_where(finding, info), *made_at, *finding.details])
            elif finding in report.skipped:
                ElementTree.SubElement(case, "skipped", message=finding.skip_reason or "skipped")
    ElementTree.indent(suites)
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


WRITERS: dict[str, Callable[[dict[str, StackReport], RunInfo], str]] = {
    "sarif": lambda reports, info: json.dumps(sarif(reports, info), indent=2) + "\n",
    "junit": junit,
}
