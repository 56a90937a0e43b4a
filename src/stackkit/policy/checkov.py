"""Run the real Checkov over synthesized stacks and honour per-resource skips.

Checkov cannot suppress a check for one resource in Terraform JSON (checkov #4634), and a
global ``--skip-check`` hides the check everywhere. Constructs therefore record a skip, with
its reason, on the resource itself (:func:`stackkit._private.terraform.skip_check`); this
runner moves exactly those (stack, resource, check) failures to ``skipped`` and refuses a
skip without a reason.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from stackkit._private.terraform import SKIP_KEY

CHECKS_DIR = Path(__file__).with_name("checks")

#: Offline, and a file Checkov cannot parse fails instead of passing silently.
CHECKOV_ENV = {
    "CKV_PARSE_ERROR_FAIL": "true",
    "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true",
    "BC_SKIP_MAPPING": "TRUE",
    "CHECKOV_EXPERIMENTAL_IMAGE_REFERENCING": "false",
}


class CheckovError(RuntimeError):
    """Checkov could not run, could not parse a stack, or a skip is malformed."""


@dataclass(frozen=True)
class Finding:
    stack: str
    check_id: str
    check_name: str
    resource: str
    file: str
    lines: tuple[int, int]
    skip_reason: str | None = None


@dataclass
class StackReport:
    stack: str
    passed: list[Finding] = field(default_factory=list)
    failed: list[Finding] = field(default_factory=list)
    skipped: list[Finding] = field(default_factory=list)


def stack_files(stacks_dir: Path) -> dict[str, Path]:
    """``{stack name: cdk.tf.json}`` under a ``cdktf.out/stacks`` folder."""
    files = {path.parent.name: path for path in sorted(stacks_dir.glob("*/cdk.tf.json"))}
    if not files:
        raise CheckovError(f"no */cdk.tf.json under {stacks_dir}: synthesize first")
    return files


def collect_skips(stack_json: dict[str, object]) -> dict[tuple[str, str], str]:
    """``{(resource address, check id): reason}`` recorded in one synthesized stack."""
    skips: dict[tuple[str, str], str] = {}
    resources = stack_json.get("resource", {})
    assert isinstance(resources, dict)
    for resource_type, by_name in resources.items():
        for name, body in by_name.items():
            for check_id, reason in body.get("//", {}).get(SKIP_KEY, {}).items():
                address = f"{resource_type}.{name}"
                if not isinstance(reason, str) or not reason.strip():
                    raise CheckovError(f"{address}: skip of {check_id} has no reason")
                skips[(address, check_id)] = reason
    return skips


def _read_json(path: Path) -> dict[str, object]:
    try:
        parsed: dict[str, object] = json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise CheckovError(f"{path} is not valid JSON: {error}") from None
    return parsed


def run_checkov(stacks_dir: Path, *, extra_checks_dirs: tuple[Path, ...] = ()) -> dict[str, StackReport]:
    """Scan every stack under ``stacks_dir`` in one Checkov run (start-up dominates)."""
    files = stack_files(stacks_dir)
    skips = {name: collect_skips(_read_json(path)) for name, path in files.items()}
    command = [
        sys.executable,
        "-m",
        "checkov.main",
        "--directory",
        str(stacks_dir),
        "--framework",
        "terraform_json",
        "--output",
        "json",
        "--skip-download",
        "--external-checks-dir",
        str(CHECKS_DIR),
    ]
    for directory in extra_checks_dirs:
        command += ["--external-checks-dir", str(directory)]
    result = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, **CHECKOV_ENV}, check=False
    )
    if result.returncode not in (0, 1) or not result.stdout.strip():
        raise CheckovError(f"checkov exited {result.returncode}: {result.stderr[-2000:]}")
    output = json.loads(result.stdout)
    report = (
        output
        if isinstance(output, dict)
        else next(item for item in output if item.get("check_type") == "terraform_json")
    )
    if report.get("summary", {}).get("parsing_errors"):
        raise CheckovError(f"checkov could not parse: {report['results'].get('parsing_errors')}")

    reports = {name: StackReport(name) for name in files}
    results = report.get("results", {})
    for kind in ("passed_checks", "failed_checks", "skipped_checks"):
        for item in results.get(kind, []):
            stack = Path(item["file_path"].lstrip("/")).parts[0]
            finding = Finding(
                stack=stack,
                check_id=item["check_id"],
                check_name=item["check_name"],
                resource=item["resource"],
                file=str(stacks_dir / item["file_path"].lstrip("/")),
                lines=(item["file_line_range"][0], item["file_line_range"][1]),
            )
            target = reports[stack]
            if kind == "passed_checks":
                target.passed.append(finding)
            elif kind == "skipped_checks":
                target.skipped.append(finding)
            elif (reason := skips[stack].get((finding.resource, finding.check_id))) is not None:
                target.skipped.append(Finding(**{**finding.__dict__, "skip_reason": reason}))
            else:
                target.failed.append(finding)
    return reports
