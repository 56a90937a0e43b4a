"""Run the real Checkov over synthesized stacks and honour per-resource skips.

Checkov cannot suppress a check for one resource in Terraform JSON (checkov #4634), and a
global ``--skip-check`` hides the check everywhere. Constructs therefore record a skip, with
its reason, on the resource itself (:func:`stackkit.skip_check`, which teams use too); this
runner moves exactly those (stack, resource, check) failures to ``skipped`` and refuses a
skip without a reason.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from stackkit._private.comment_keys import SKIP_KEY
from stackkit._private.source_location import SOURCE_KEY, SOURCES_KEY
from stackkit.policy.checks.stackkit_policy_common import (
    POLICIES,
    PRODUCTION_ENVIRONMENTS,
    ROOT_ENV,
    provider_default_tags,
)

CHECKS_DIR = Path(__file__).with_name("checks")
#: stackkit's own checks cannot be skipped per resource: they are the gate itself.
OWN_CHECK_PREFIX = "CKV_STACKKIT_"

#: Offline, and a file Checkov cannot parse fails instead of passing silently.
CHECKOV_ENV = {
    "CKV_PARSE_ERROR_FAIL": "true",
    "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true",
    "BC_SKIP_MAPPING": "TRUE",
    "CHECKOV_EXPERIMENTAL_IMAGE_REFERENCING": "false",
}


#: Checks a construct may skip outside production only. Whether a resource is production is
#: decided here from its effective ``Environment`` tag (provider ``default_tags`` + its own tags,
#: else the stack name), as stackkit's own policies decide it, not from how the construct was
#: built: a ``production=False`` construct in a prod-tagged stack does not get these skips.
PRODUCTION_REQUIRED = {
    "CKV_AWS_150": "load balancer deletion protection",
    "CKV2_AWS_50": "cache automatic failover (more than one node)",
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
    details: tuple[str, ...] = ()
    #: ``app.py:12``: the user's line that created the resource (recorded by ``pin_address``),
    #: relative to the folder the app ran in.
    source: str | None = None


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
                if check_id.startswith(OWN_CHECK_PREFIX):
                    raise CheckovError(f"{address}: stackkit's own check {check_id} cannot be skipped")
                skips[(address, check_id)] = reason
    return skips


def _read_json(path: Path) -> dict[str, object]:
    try:
        parsed: dict[str, object] = json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise CheckovError(f"{path} is not valid JSON: {error}") from None
    return parsed


def environment_of(stack_json: dict[str, object], address: str, stack: str) -> str:
    """The effective ``Environment`` tag of ``address`` (``type.name``), else the stack name."""
    resource_type, name = address.split(".", 1)
    resources = stack_json.get("resource") or {}
    assert isinstance(resources, dict)
    body = (resources.get(resource_type) or {}).get(name) or {}
    provider = body.get("provider")
    tags = dict(provider_default_tags(stack_json, provider if isinstance(provider, str) else None))
    own = body.get("tags")
    if isinstance(own, dict):
        tags.update(own)
    value = tags.get("Environment")
    return value if isinstance(value, str) and value and "${" not in value else stack


def _production_refusal(stack_json: dict[str, object], stack: str, finding: Finding) -> str | None:
    """Why a recorded skip does not apply to this production resource, or None."""
    if finding.check_id not in PRODUCTION_REQUIRED or "." not in finding.resource:
        return None
    if finding.resource.startswith("resource."):
        return None
    env = environment_of(stack_json, finding.resource, stack)
    if env.lower() not in PRODUCTION_ENVIRONMENTS:
        return None
    return (
        f"the recorded non-production skip does not apply: Environment is {env!r}, and production "
        f"needs {PRODUCTION_REQUIRED[finding.check_id]}"
    )


def source_lines(stack_json: dict[str, object]) -> dict[str, str]:
    """``{address: "app.py:12"}`` recorded by ``pin_address`` in one synthesized stack: the
    stack's map (``//.stackkit_sources``), else per resource (earlier 0.2 pre-releases)."""
    metadata = stack_json.get("//")
    stack_map = metadata.get(SOURCES_KEY) if isinstance(metadata, dict) else None
    if isinstance(stack_map, dict):
        return {str(address): str(where) for address, where in stack_map.items()}
    found: dict[str, str] = {}
    resources = stack_json.get("resource") or {}
    assert isinstance(resources, dict)
    for resource_type, by_name in resources.items():
        for name, body in by_name.items():
            where = (body.get("//") or {}).get(SOURCE_KEY)
            if isinstance(where, str):
                found[f"{resource_type}.{name}"] = where
    return found


def _recorded_skip(skips: dict[tuple[str, str], str], finding: Finding) -> str | None:
    """The reason recorded for this finding, if any. Checkov 3.3 names some terraform_json
    findings ``resource.<name>`` instead of ``<type>.<name>`` (seen for aws_lb and
    aws_vpc_security_group_*_rule checks), so such a finding is matched by name and check id."""
    if not finding.resource.startswith("resource."):
        return skips.get((finding.resource, finding.check_id))
    name = finding.resource.removeprefix("resource.")
    matches = [
        why
        for (address, check), why in skips.items()
        if check == finding.check_id and address.split(".", 1)[1] == name
    ]
    return matches[0] if len(matches) == 1 else None


def _addresses_by_name(stack_json: dict[str, object]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    resources = stack_json.get("resource") or {}
    assert isinstance(resources, dict)
    for resource_type, by_name in resources.items():
        for name in by_name:
            found.setdefault(name, []).append(f"{resource_type}.{name}")
    return found


def _full_address(resource: str, addresses: dict[str, list[str]]) -> str:
    """Checkov 3.3 sometimes reports a terraform_json resource as ``resource.<name>``; give
    it back its ``<type>.<name>`` address when the name is unique in the stack."""
    if resource.startswith("resource."):
        candidates = addresses.get(resource.removeprefix("resource."), [])
        if len(candidates) == 1:
            return candidates[0]
    return resource


def select_stacks(files: dict[str, Path], only: tuple[str, ...] | None) -> dict[str, Path]:
    """The stacks named in ``only`` (``--env``), refusing a name the output does not have."""
    if not only:
        return files
    unknown = [name for name in only if name not in files]
    if unknown:
        raise CheckovError(
            f"no stack named {', '.join(unknown)}; the app wrote: {', '.join(files) or 'none'}"
        )
    return {name: path for name, path in files.items() if name in only}


#: Top-level blocks Checkov 3.3's terraform_json parser cannot read: it takes every top-level key
#: but ``//`` for a block of labelled bodies, so ``"import": [{"to": "...", "id": "..."}]`` fails
#: the whole file as a parsing error (checkov/terraform_json/parser.py, ``handle_block_type``;
#: tried with checkov 3.3.30). They hold addresses, not resources: nothing for a check to read.
STATE_MOVE_BLOCKS = ("import", "removed", "moved")
_STATE_MOVE_KEY = re.compile(r'^  "(?:' + "|".join(STATE_MOVE_BLOCKS) + r')": ', re.MULTILINE)


def scannable(text: str) -> str:
    """``text`` (a cdktf ``cdk.tf.json``) with its state-move blocks renamed to ``//`` (a comment
    key Checkov skips): same lines, so finding line numbers still point into the real file."""
    return _STATE_MOVE_KEY.sub('  "//": ', text)


# Mutation testing (scripts/mutation.sh) covers the skip handling above with direct tests; what
# follows runs the real Checkov in a subprocess and is tested end to end (the slow tests).
# pragma: no mutate block
def _scan_directory(stacks_dir: Path, documents: dict[str, dict[str, object]], temporary: Path) -> Path:
    """``stacks_dir``, or a copy of its stacks that Checkov can parse when one has state-move
    blocks (same ``<stack>/cdk.tf.json`` layout, so reported paths are the same). ``documents``:
    every stack of ``stacks_dir``, parsed."""
    if not any(key in document for document in documents.values() for key in STATE_MOVE_BLOCKS):
        return stacks_dir
    for name, path in stack_files(stacks_dir).items():
        (temporary / name).mkdir(parents=True)
        (temporary / name / "cdk.tf.json").write_text(scannable(path.read_text()))
    return temporary


def run_checkov(
    stacks_dir: Path,
    *,
    extra_checks_dirs: tuple[Path, ...] = (),
    only: tuple[str, ...] | None = None,
) -> dict[str, StackReport]:
    """Scan every stack under ``stacks_dir`` (or those named in ``only``) in one Checkov run
    (start-up dominates: the unselected stacks cost a few milliseconds, not a second run)."""
    every = stack_files(stacks_dir)
    files = select_stacks(every, only)
    if importlib.util.find_spec("checkov") is None:
        raise CheckovError("Checkov is not installed: pip install 'stackkit[policy]'")
    documents = {name: _read_json(path) for name, path in every.items()}  # each file parsed once
    skips = {name: collect_skips(documents[name]) for name in files}
    with tempfile.TemporaryDirectory(prefix="stackkit-checkov-") as temporary:
        scan_dir = _scan_directory(stacks_dir, documents, Path(temporary))
        return _run_checkov(stacks_dir, scan_dir, files, skips, extra_checks_dirs)


def _run_checkov(
    stacks_dir: Path,
    scan_dir: Path,
    files: dict[str, Path],
    skips: dict[str, dict[tuple[str, str], str]],
    extra_checks_dirs: tuple[Path, ...],
) -> dict[str, StackReport]:
    command = [
        sys.executable,
        "-m",
        "checkov.main",
        "--directory",
        str(scan_dir),
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
    env = {**os.environ, **CHECKOV_ENV, ROOT_ENV: str(stacks_dir.resolve())}
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
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
    stack_jsons = {name: _read_json(path) for name, path in files.items()}
    addresses = {name: _addresses_by_name(stack_json) for name, stack_json in stack_jsons.items()}
    sources = {name: source_lines(stack_json) for name, stack_json in stack_jsons.items()}
    results = report.get("results", {})
    for kind in ("passed_checks", "failed_checks", "skipped_checks"):
        for item in results.get(kind, []):
            stack = Path(item["file_path"].lstrip("/")).parts[0]
            if stack not in reports:
                continue  # not selected with --env
            resource = _full_address(item["resource"], addresses[stack])
            finding = Finding(
                stack=stack,
                check_id=item["check_id"],
                check_name=item["check_name"],
                resource=resource,
                source=sources[stack].get(resource),
                file=str(stacks_dir / item["file_path"].lstrip("/")),
                lines=(item["file_line_range"][0], item["file_line_range"][1]),
                details=tuple(str(detail) for detail in item.get("details") or ()),
            )
            target = reports[stack]
            if kind == "passed_checks":
                target.passed.append(finding)
            elif kind == "skipped_checks":
                target.skipped.append(finding)
            elif (reason := _recorded_skip(skips[stack], finding)) is not None:
                refusal = _production_refusal(stack_jsons[stack], stack, finding)
                if refusal is None:
                    target.skipped.append(Finding(**{**finding.__dict__, "skip_reason": reason}))
                else:
                    target.failed.append(
                        Finding(**{**finding.__dict__, "details": (*finding.details, refusal)})
                    )
            else:
                target.failed.append(finding)
    _require_own_checks_ran(files, reports)
    return reports


def _require_own_checks_ran(files: dict[str, Path], reports: dict[str, StackReport]) -> None:
    """A check that fails to load (a missing ``__init__.py``, a bad id, an import error) is
    skipped by Checkov without a word: make that an error instead of a silent pass."""
    for name, path in files.items():
        resources = _read_json(path).get("resource") or {}
        assert isinstance(resources, dict)
        present = {resource_type for resource_type, by_name in resources.items() if by_name}
        report = reports[name]
        ran = {finding.check_id for finding in [*report.passed, *report.failed, *report.skipped]}
        for policy in POLICIES.values():
            if policy.id not in ran and present.intersection(policy.resource_types):
                raise CheckovError(f"{policy.id} did not run on stack {name}: is it loaded by Checkov?")
