"""The gate's IAM analysis: every IAM policy document of every synthesized stack, through
parliament, cloudsplaining and stackkit's own rules.

Checkov reads policy JSON shallowly (the strings cdktf writes are not decoded at all), so a
misspelt action or a role that may make an administrator passes it. This stage reads every
document :mod:`stackkit.policy.iam_documents` finds and reports, as gate results like Checkov's
(same :class:`~stackkit.policy.checkov.Finding`, table, SARIF at the user's Python line, JUnit):

- ``IAM_PARLIAMENT_<ISSUE>``: parliament (duo-labs) on every document: unknown actions and
  service prefixes, resources that do not match the action, malformed statements and conditions,
  unknown principals. Not gated: :data:`PARLIAMENT_NOT_GATED` and :data:`parliament_false_positive`.
- ``IAM_CLOUDSPLAINING_<FINDING>``: cloudsplaining (Salesforce) on identity policies: privilege
  escalation paths, data exfiltration and permissions management allowed without resource
  constraints (:data:`CLOUDSPLAINING_RULES`).
- ``IAM_STACKKIT_<RULE>``: :mod:`stackkit.policy.iam_rules`, on identity policies.

A permissions boundary is a ceiling, not a grant: parliament checks it, the escalation rules do
not read it as permissions (its Deny statements count for the roles it bounds).

A finding is skipped only by a reason recorded on the resource (or data source), under the same
``//`` key as a Checkov skip: ``stackkit.skip_check`` with the resource, the rule id and the reason.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stackkit._private.comment_keys import DATA_SKIPS_KEY, SKIP_KEY
from stackkit.policy.checkov import (
    CheckovError,
    Finding,
    StackReport,
    select_stacks,
    source_lines,
    stack_files,
)
from stackkit.policy.iam_documents import (
    PolicyDocument,
    StackDocuments,
    document_referrers,
    stack_documents,
    statements,
)
from stackkit.policy.iam_names import canonical as _canonical
from stackkit.policy.iam_names import parliament as _parliament
from stackkit.policy.iam_names import suggestion as _suggestion
from stackkit.policy.iam_rules import RULE_DOCS, RULES, Violation, deny_statements

PREFIX = "IAM_"
PARLIAMENT, CLOUDSPLAINING, STACKKIT = "IAM_PARLIAMENT", "IAM_CLOUDSPLAINING", "IAM_STACKKIT"
UNREADABLE_POLICY = "IAM_STACKKIT_UNREADABLE_POLICY"
ANALYSIS_ERROR = "IAM_STACKKIT_ANALYSIS_ERROR"
#: Where the rules are documented (the published docs site, ``docs/gate/iam-analysis.md``).
DOCS_URL = "https://stackkit.github.io/stackkit/gate/iam-analysis/"

#: parliament issues that do not fail the gate: ``Resource: "*"`` where the action could be
#: scoped is cloudsplaining's to judge (by risk: privilege escalation, exfiltration, permissions
#: management), and every resource policy and trust statement legitimately says ``*`` (the
#: resource itself); "usable" type mismatches work as written; a missing or 2008 ``Version``
#: matters only to policy variables (IAM User Guide, *IAM JSON policy elements: Version*). An
#: invalid Version is gated (IAM refuses it).
PARLIAMENT_NOT_GATED = frozenset(
    {"RESOURCE_STAR", "RESOURCE_EFFECTIVELY_STAR", "MISMATCHED_TYPE_BUT_USABLE", "NO_VERSION", "OLD_VERSION"}
)

#: What to do about each parliament issue (its own title says what is wrong).
PARLIAMENT_FIXES = {
    "UNKNOWN_ACTION": "check the spelling against the Service Authorization Reference",
    "UNKNOWN_PREFIX": "the service prefix is not an AWS service's: check the spelling",
    "RESOURCE_MISMATCH": "name resources of the types the action works on (Service Authorization Reference)",
    "UNKNOWN_CONDITION_FOR_ACTION": "the key is not in the action's request context, so the statement "
    "never matches that action: move the action to a statement without that condition",
    "MISMATCHED_TYPE": "use the condition operator of the key's type (String*, Arn*, Numeric*, Date*, Bool)",
    "MISMATCHED_TYPE_OPERATION_TO_NULL": 'the Null operator takes "true" or "false"',
    "UNKNOWN_OPERATOR": "use an IAM condition operator (IAM User Guide, condition operators)",
    "INVALID_ARN": "write arn:partition:service:region:account:resource",
    "UNKNOWN_PRINCIPAL": "name an account, an ARN, a service or *",
    "UNKNOWN_FEDERATION_SOURCE": "name a SAML or OIDC provider ARN or a known identity provider",
    "MALFORMED": "a statement needs Effect, Action (or NotAction) and, except in trust policies, Resource",
    "MALFORMED_JSON": "write the policy as valid JSON",
    "DUPLICATE_SID": "give every statement its own Sid",
    "INVALID_SID": "a Sid has letters and digits only",
    "INVALID_VERSION": 'use "Version": "2012-10-17"',
    "BAD_PATTERN_FOR_MFA": "test aws:MultiFactorAuthPresent with BoolIfExists (absent for long-term keys)",
    "EXCEPTION": "parliament could not read the statement: check that it is an IAM statement",
    "RESOURCE_POLICY_PRIVILEGE_ESCALATION": "a principal that may change this resource's policy can allow "
    "itself what the policy denies: do not allow the policy-changing action with the denied ones",
}

#: cloudsplaining's findings that fail the gate: ``(rule id, title, PolicyDocument property)``.
CLOUDSPLAINING_RULES = (
    ("IAM_CLOUDSPLAINING_PRIVILEGE_ESCALATION", "privilege escalation path", "allows_privilege_escalation"),
    (
        "IAM_CLOUDSPLAINING_DATA_EXFILTRATION",
        "data exfiltration without resource constraints",
        "allows_data_exfiltration_actions",
    ),
    (
        "IAM_CLOUDSPLAINING_RESOURCE_EXPOSURE",
        "permissions management without resource constraints",
        "permissions_management_without_constraints",
    ),
)


@dataclass(frozen=True)
class RuleInfo:
    """One rule of the IAM analysis, for the documentation's table."""

    rule_id: str
    tool: str
    reports: str
    fix: str


def rule_catalog() -> list[RuleInfo]:
    """Every rule that can fail the gate: parliament's gated issues (its own titles), the
    cloudsplaining findings, stackkit's rules and the two about the analysis itself."""
    config: dict[str, dict[str, str]] = _parliament().config
    rules = [
        RuleInfo(
            f"{PARLIAMENT}_{issue}",
            "parliament",
            str(entry.get("title", "")).strip(),
            PARLIAMENT_FIXES.get(issue, ""),
        )
        for issue, entry in sorted(config.items())
        if issue not in PARLIAMENT_NOT_GATED
    ]
    rules += [
        RuleInfo(rule_id, "cloudsplaining", title, "name the resources, or add a condition that limits them")
        for rule_id, title, _attribute in CLOUDSPLAINING_RULES
    ]
    rules += [RuleInfo(rule_id, "stackkit", reports, fix) for rule_id, (reports, fix) in RULE_DOCS.items()]
    rules += [
        RuleInfo(
            UNREADABLE_POLICY,
            "stackkit",
            "a policy that is a Terraform expression, not JSON",
            "write it with json.dumps, Fn.jsonencode of a literal or a data aws_iam_policy_document",
        ),
        RuleInfo(
            ANALYSIS_ERROR,
            "stackkit",
            "parliament or cloudsplaining failed on the policy",
            "the message names the library and its error",
        ),
    ]
    return rules


def parliament_false_positive(issue: str, detail: str, location: str) -> str | None:
    """Why a parliament 1.6.4 finding is wrong by AWS's documentation, or None. Each case is
    one parliament does not know, not one stackkit chose to allow:

    - an OIDC provider as ``Federated`` principal: parliament knows SAML providers and four
      built-in identity providers only; IAM documents ``arn:aws:iam::<account>:oidc-provider/<host>``
      (IAM User Guide, *Create a role for OpenID Connect federation*);
    - an OIDC provider's own condition keys (``token.actions.githubusercontent.com:sub``) on
      ``sts:AssumeRoleWithWebIdentity``: their names start with the provider's host, which no
      action table lists (IAM User Guide, *Available keys for AWS OIDC federation*);
    - an ARN operator on a key parliament types as String: the ARN operators compare strings that
      hold ARNs, as AWS's managed policy CloudWatchLogsAPIKeyAccess does with ``ArnLike`` on
      ``kms:EncryptionContext:aws:logs:arn``."""
    if issue == "UNKNOWN_FEDERATION_SOURCE" and re.fullmatch(
        r"arn:[a-z-]+:iam::\d{12}:oidc-provider/.+", detail
    ):
        return "OIDC provider principal"
    if (
        issue == "UNKNOWN_CONDITION_FOR_ACTION"
        and (found := re.fullmatch(r"Unknown condition ([^ ]+) for action (.+)", detail))
        and re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+(/[^:]*)?:[a-z_]+", found.group(1))
        and found.group(2).lower() == "sts:assumerolewithwebidentity"
    ):
        return "OIDC provider condition key"
    if issue == "MISMATCHED_TYPE" and re.fullmatch(
        r"Type mismatch: Arn\w+ requires a value of type Arn but given String", detail
    ):
        return "ARN operator on an ARN held in a string key"
    return None


def _lint_copy(document: PolicyDocument) -> dict[str, Any]:
    """parliament's input: a trust policy's statements get ``Resource: "*"``, which parliament
    requires and a trust policy has no place for (it is about the role itself)."""
    if document.kind != "trust":
        return document.lint_document
    return {
        **document.lint_document,
        "Statement": [
            s if "Resource" in s or "NotResource" in s else {**s, "Resource": "*"}
            for s in statements(document.lint_document)
        ],
    }


def parliament_violations(document: PolicyDocument) -> list[Violation]:
    parliament = _parliament()
    analysed = parliament.analyze_policy_string(
        json.dumps(_lint_copy(document)), ignore_private_auditors=True
    )
    found: list[Violation] = []
    for finding in analysed.findings:
        issue = str(finding.issue)
        detail = (
            finding.detail if isinstance(finding.detail, str) else json.dumps(finding.detail, default=str)
        )
        location = finding.location if isinstance(finding.location, dict) else {}
        where = str(location.get("string", ""))
        if issue in PARLIAMENT_NOT_GATED or parliament_false_positive(issue, detail, where):
            continue
        subject = detail or where
        if issue == "UNKNOWN_ACTION":
            subject = f"{where or detail}{_suggestion(where)}"
        fix = PARLIAMENT_FIXES.get(
            issue, str(getattr(finding, "description", "")) or "see parliament's documentation"
        )
        title = str(getattr(finding, "title", "")) or issue.lower().replace("_", " ")
        found.append(Violation(f"{PARLIAMENT}_{issue}", title, f"{document.part}: {subject}: {fix}"))
    return found


def cloudsplaining_violations(document: PolicyDocument) -> list[Violation]:
    from cloudsplaining.scan.policy_document import PolicyDocument as CloudsplainingDocument

    analysed = CloudsplainingDocument(_canonical(document.document))
    found: list[Violation] = []
    for rule_id, title, attribute in CLOUDSPLAINING_RULES:
        result = getattr(analysed, attribute)
        if not result:
            continue
        if attribute == "allows_privilege_escalation":
            paths = "; ".join(f"{path['type']} ({' + '.join(path['actions'])})" for path in result)
            message = (
                f"{document.part}: allows {paths} without resource constraints: scope the resources of "
                "these actions, or remove one of each path's actions"
            )
        else:
            message = (
                f"{document.part}: allows {', '.join(sorted(result))} on every resource: name the resources "
                "(their ARNs) or add a condition that limits them"
            )
        found.append(Violation(rule_id, title, message))
    return found


def _deny_context(document: PolicyDocument, documents: StackDocuments) -> list[dict[str, Any]]:
    """The Deny statements that apply together with ``document``: its own, those of the other
    identity documents of the same principals, and those of their permissions boundaries."""
    denies = deny_statements(document.document)
    if not document.principals:
        return denies
    boundaries = {documents.boundaries[p] for p in document.principals if p in documents.boundaries}
    for other in documents.documents:
        if other is document or other.kind not in ("identity", "boundary"):
            continue
        if (other.principals and document.principals <= other.principals) or other.address in boundaries:
            denies += deny_statements(other.document)
    return denies


def document_violations(document: PolicyDocument, documents: StackDocuments) -> list[Violation]:
    """Every violation of one document: parliament on all, cloudsplaining and stackkit's own
    rules on identity policies. A library that fails on a document is itself a finding."""
    analysers: list[tuple[str, Callable[[], list[Violation]]]] = [
        (PARLIAMENT, lambda: parliament_violations(document))
    ]
    if document.kind == "identity":
        denies = _deny_context(document, documents)
        analysers.append((CLOUDSPLAINING, lambda: cloudsplaining_violations(document)))
        analysers.append((STACKKIT, lambda: [v for rule in RULES for v in rule(document.document, denies)]))
    found: list[Violation] = []
    for name, analyse in analysers:
        try:
            found += analyse()
        except Exception as error:  # a library's bug must not pass a policy silently
            found.append(
                Violation(
                    ANALYSIS_ERROR,
                    "the IAM analysis failed on this policy",
                    f"{document.part}: {name.removeprefix(PREFIX).lower()} raised "
                    f"{type(error).__name__}: {error}",
                )
            )
    return found


def _block_lines(text: str) -> dict[str, tuple[int, int]]:
    """``{address: (first line, last line)}`` of every resource and data source in a
    pretty-printed ``cdk.tf.json`` (cdktf writes two-space indentation)."""
    found: dict[str, tuple[int, int]] = {}
    path: list[str] = []
    starts: dict[int, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        indent = len(line) - len(line.lstrip(" "))
        opening = re.match(r'^ *"([^"]+)": \{$', line)
        if opening and indent % 2 == 0:
            depth = indent // 2
            del path[depth - 1 :]
            path.append(opening.group(1))
            starts[depth] = number
        elif line.strip() in ("}", "},") and indent % 2 == 0 and 0 < indent // 2 <= len(path):
            depth = indent // 2
            if depth == 3 and path[0] in ("resource", "data"):
                address = f"{path[1]}.{path[2]}" if path[0] == "resource" else f"data.{path[1]}.{path[2]}"
                found[address] = (starts[depth], number)
            del path[depth - 1 :]
    return found


def _recorded_skips(stack: dict[str, Any]) -> dict[tuple[str, str], str]:
    """``{(address, IAM rule id): reason}`` recorded on resources and data sources (and, for data
    sources, in the stack's ``//`` block: :data:`~stackkit._private.comment_keys.DATA_SKIPS_KEY`)."""
    skips: dict[tuple[str, str], str] = {}
    recorded: list[tuple[str, str, str, dict[str, Any]]] = [
        (block, resource_type, name, (body.get("//") or {}).get(SKIP_KEY) or {})
        for block in ("resource", "data")
        for resource_type, by_name in (stack.get(block) or {}).items()
        for name, body in by_name.items()
    ]
    on_stack = (stack.get("//") or {}).get(DATA_SKIPS_KEY) or {}
    recorded += [
        ("data", resource_type, name, by_rule)
        for resource_type, by_name in on_stack.items()
        for name, by_rule in by_name.items()
    ]
    for block, resource_type, name, by_rule in recorded:
        address = f"{'data.' if block == 'data' else ''}{resource_type}.{name}"
        for rule_id, reason in by_rule.items():
            if not rule_id.startswith(PREFIX):
                continue
            if not isinstance(reason, str) or not reason.strip():
                raise CheckovError(f"{address}: skip of {rule_id} has no reason")
            skips[(address, rule_id)] = reason
    return skips


def analyse_stack(
    stack: dict[str, Any],
) -> tuple[dict[tuple[str, str], list[Violation]], dict[str, set[str]]]:
    """``({(address, rule id): violations}, {address: analyser families that ran on it})``."""
    documents = stack_documents(stack)
    violations: dict[tuple[str, str], list[Violation]] = {}
    analysed: dict[str, set[str]] = {}
    for document in documents.documents:
        families = analysed.setdefault(document.address, set())
        families.add(PARLIAMENT)
        if document.kind == "identity":
            families.update((CLOUDSPLAINING, STACKKIT))
        for violation in document_violations(document, documents):
            violations.setdefault((document.address, violation.rule_id), []).append(violation)
    for unreadable in documents.unreadable:
        analysed.setdefault(unreadable.address, set()).add(STACKKIT)
        violations.setdefault((unreadable.address, UNREADABLE_POLICY), []).append(
            Violation(
                UNREADABLE_POLICY,
                "a policy the gate cannot read",
                f"{unreadable.part} is a Terraform expression, not JSON ({unreadable.value[:80]}): write "
                "it with json.dumps, Fn.jsonencode of a literal or a data aws_iam_policy_document so it "
                "can be analysed, or "
                "record why with stackkit.skip_check",
            )
        )
    return violations, analysed


def run_iam_analysis(stacks_dir: Path, *, only: tuple[str, ...] | None = None) -> dict[str, StackReport]:
    """Analyse every stack under ``stacks_dir`` (or those named in ``only``)."""
    files = select_stacks(stack_files(stacks_dir), only)
    for module in ("parliament", "cloudsplaining"):
        if importlib.util.find_spec(module) is None:
            raise CheckovError(
                f"{module} is not installed (the IAM analysis needs it): pip install 'stackkit[policy]'"
            )
    return {name: _stack_report(name, path) for name, path in files.items()}


def _stack_report(name: str, path: Path) -> StackReport:
    text = path.read_text()
    stack = json.loads(text)
    violations, analysed = analyse_stack(stack)
    skips = _recorded_skips(stack)
    referrers = document_referrers(stack)
    lines = _block_lines(text)
    sources = source_lines(stack)
    report = StackReport(name)

    def finding(address: str, rule_id: str, title: str, details: tuple[str, ...] = ()) -> Finding:
        return Finding(
            stack=name,
            check_id=rule_id,
            check_name=title,
            resource=address,
            file=str(path),
            lines=lines.get(address, (1, 1)),
            details=details,
            source=sources.get(address),
        )

    failed_families: dict[str, set[str]] = {}
    for (address, rule_id), found in sorted(violations.items()):
        result = finding(address, rule_id, found[0].title, tuple(dict.fromkeys(v.message for v in found)))
        failed_families.setdefault(address, set()).add(_family(rule_id))
        if (reason := _skip_reason(skips, referrers, address, rule_id)) is not None:
            report.skipped.append(Finding(**{**result.__dict__, "skip_reason": reason}))
        else:
            report.failed.append(result)
    for address, families in sorted(analysed.items()):
        for family in sorted(families - failed_families.get(address, set())):
            report.passed.append(
                finding(address, family, f"{family.removeprefix(PREFIX).lower()}: no finding")
            )
    return report


def _skip_reason(
    skips: dict[tuple[str, str], str], referrers: dict[str, set[str]], address: str, rule_id: str
) -> str | None:
    """The reason recorded for a finding: on its resource or data source, or, for a policy
    document data source, on every resource whose policy it is (a team skips on the
    ``IamRolePolicy`` it wrote as readily as on the document)."""
    if (reason := skips.get((address, rule_id))) is not None:
        return reason
    reasons = [skips.get((referrer, rule_id)) for referrer in sorted(referrers.get(address, ()))]
    return reasons[0] if reasons and all(reasons) else None


def _family(rule_id: str) -> str:
    return next(f for f in (PARLIAMENT, CLOUDSPLAINING, STACKKIT) if rule_id.startswith(f))


def merge(reports: dict[str, StackReport], iam: dict[str, StackReport]) -> dict[str, StackReport]:
    """Checkov's reports with the IAM analysis' results added, stack by stack."""
    for name, extra in iam.items():
        report = reports.setdefault(name, StackReport(name))
        report.passed += extra.passed
        report.failed += extra.failed
        report.skipped += extra.skipped
    return reports
