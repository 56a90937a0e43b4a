"""``stackkit``: the policy gate for any cdktf project's pull requests.

    stackkit check [--app CMD | --from cdktf.out] [--env STACK]... [--format sarif=PATH] [--format junit=PATH]
    stackkit diff BASE HEAD [--plan STACK=PLAN.json]... [--allow-replace ADDRESS]... [--markdown summary.md]
                            [--comment comment.md] [--max-monthly-increase USD]
    stackkit cost [--app CMD | --from cdktf.out] [--env STACK]... [--format text|json]
    stackkit summary [--app CMD | --from cdktf.out] [--base REV [--plan STACK=PLAN.json]...]
                     [--format markdown|json] [--comment comment.md] > summary.md
    stackkit init [DIR] [--name NAME] [--stackkit-source PATH_OR_URL | --requirement REQ] [--gate-ref REF]

Exit codes: 0 clean, 1 policy failure or unacknowledged risk, 2 usage or tool error.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path

from stackkit._private.backends import CdkLoadError
from stackkit._private.distribution import installed_source, requirement
from stackkit.errors import ValidationError
from stackkit.policy.checkov import CheckovError, run_checkov, select_stacks, stack_files
from stackkit.policy.cost import cost_document, estimate, render_costs
from stackkit.policy.cost_delta import cost_deltas, over_limit, render_limit
from stackkit.policy.iam_analysis import merge, run_iam_analysis
from stackkit.policy.plan import PlanError, read_plans, require_stacks
from stackkit.policy.plan_check import check_plans, render_plans
from stackkit.policy.replacement import diff_outputs, load_stacks, render_diff
from stackkit.policy.report import DEFAULT_OUT, WRITERS, RunInfo, render_table, tool_version
from stackkit.policy.sources import SourceError, resolve, stacks_folder, synthesize_here
from stackkit.scaffold import GATE_REPOSITORY, ScaffoldError, gate_pin, scaffold
from stackkit.scaffold.release import RELEASE_COMMIT

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2

SYNTHESIS_HELP = (
    "Synthesis works as `cdktf synth`: the `app` command of ./cdktf.json (or --app) runs in this "
    'folder with CDKTF_OUTDIR (the "output" of cdktf.json, cdktf.out by default, or --outdir) and '
    "the other variables the cdktf CLI sets; every stack it writes is scanned (an app with a fixed "
    "App(outdir=...) is found where it wrote, with a note). A git revision (diff BASE HEAD, summary "
    "--base) is checked out in a temporary worktree and its app runs there with the interpreter and "
    "packages of the current environment (a worktree has no .venv): a leading `python`/"
    "`.venv/bin/python` in the app command becomes this interpreter, and the worktree's src/ comes "
    "first on PYTHONPATH. Node.js 22 is needed (node_modules/.bin/node is used when present)."
)


def _progress(message: str) -> None:
    """A progress line, only when a person watches (stdout is a terminal), kept off stdout."""
    if sys.stdout.isatty():
        print(message, file=sys.stderr, flush=True)


def _format(value: str) -> tuple[str, Path]:
    kind, _, path = value.partition("=")
    if kind not in WRITERS or not path:
        raise argparse.ArgumentTypeError(
            f"expected {' or '.join(f'{k}=PATH' for k in WRITERS)}, got {value!r}"
        )
    return kind, Path(path)


def _plan(value: str) -> tuple[str, Path]:
    stack, _, path = value.partition("=")
    if not stack or not path:
        raise argparse.ArgumentTypeError(f"expected STACK=PLAN.json (`terraform show -json`), got {value!r}")
    return stack, Path(path)


def _usd(value: str) -> Decimal:
    try:
        amount = Decimal(value)
    except InvalidOperation:
        amount = Decimal(-1)
    if not amount.is_finite() or amount < 0:
        raise argparse.ArgumentTypeError(f"expected a dollar amount such as 50 or 12.50, got {value!r}")
    return abs(amount)  # -0 is 0 (printed "$0.00", not "$-0.00")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _stacks_dir(args: argparse.Namespace) -> Path:
    """``<dir>/stacks`` from ``--from``, else the app of this folder run into ``--outdir``, or
    into cdktf.json's ``output`` (``cdktf.out``) as ``cdktf synth`` does."""
    if args.source is not None:
        source = Path(args.source)
        if not source.is_dir():
            raise SourceError(f"--from {source}: no such folder")
        return stacks_folder(source)
    outdir = Path(args.outdir).resolve() if args.outdir else None
    return synthesize_here(outdir, _progress, app=args.app)


def _repository_prefix(project: Path) -> str:
    """The project folder relative to its git repository's root ("" at the root or outside git)."""
    result = subprocess.run(
        ["git", "rev-parse", "--show-prefix"], cwd=project, capture_output=True, text=True, check=False
    )
    return result.stdout.strip().rstrip("/") if result.returncode == 0 else ""


def _run_info(stacks_dir: Path, elapsed: float) -> RunInfo:
    """Report paths relative to the repository: the output folder when it lies in this project,
    else the conventional ``cdktf.out`` (a temporary folder's name changes on every run)."""
    out_dir = stacks_dir.parent if stacks_dir.name == "stacks" else stacks_dir
    here = Path.cwd().resolve()
    prefix = _repository_prefix(here)
    resolved = out_dir.resolve()
    label = resolved.relative_to(here).as_posix() if resolved.is_relative_to(here) else DEFAULT_OUT
    label = f"{prefix}/{label}" if prefix else label
    return RunInfo(out_dir=out_dir, out_label=label, project=prefix, elapsed=elapsed)


def _selected(stacks: dict[str, dict[str, object]], only: list[str] | None) -> dict[str, dict[str, object]]:
    if not only:
        return stacks
    unknown = [name for name in only if name not in stacks]
    if unknown:
        raise SourceError(f"no stack named {', '.join(unknown)}; the app wrote: {', '.join(stacks)}")
    return {name: body for name, body in stacks.items() if name in only}


def _check(args: argparse.Namespace) -> int:
    stacks_dir = _stacks_dir(args)
    only = tuple(args.env) if args.env else None
    select_stacks(stack_files(stacks_dir), only)  # an unknown --env fails before the scan
    _progress(f"scanning {stacks_dir} with Checkov, stackkit's policies and the IAM analysis")
    started = time.perf_counter()
    reports = run_checkov(stacks_dir, only=only)
    iam_started = time.perf_counter()
    merge(reports, run_iam_analysis(stacks_dir, only=only))
    iam_elapsed = time.perf_counter() - iam_started
    elapsed = time.perf_counter() - started
    for index, (name, report) in enumerate(reports.items(), start=1):
        _progress(f"[{index}/{len(reports)}] checked {name}: {len(report.failed)} failed")
    info = _run_info(stacks_dir, elapsed)
    print(render_table(reports, info))
    print(f"policy scan: {elapsed:.1f} s (of which IAM analysis {iam_elapsed:.1f} s)")
    for kind, path in args.formats:
        _write(path, WRITERS[kind](reports, info))
        print(f"wrote {kind} to {path}")
    return EXIT_FAILED if any(report.failed for report in reports.values()) else EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    allowed = tuple(args.allow_replace)
    plans = read_plans(args.plan)
    with tempfile.TemporaryDirectory(prefix="stackkit-diff-") as workdir:
        base = _selected(load_stacks(resolve(args.base, Path(workdir), app=args.app)), args.env)
        head = _selected(load_stacks(resolve(args.head, Path(workdir), app=args.app)), args.env)
    require_stacks(plans, head)
    result = diff_outputs(base, head)
    checks = check_plans(result, plans, base, head)  # the plan's destructions join the risks
    if checks:
        print(render_plans(checks))
    print(render_diff(result, allowed))
    summarize = bool(args.markdown or args.comment)
    priced = args.max_monthly_increase is not None or summarize
    deltas = cost_deltas(estimate(base), estimate(head)) if priced else []
    over_budget = False
    if args.max_monthly_increase is not None:
        print(render_limit(deltas, args.max_monthly_increase))
        over_budget = bool(over_limit(deltas, args.max_monthly_increase))
    if summarize:
        # The summary reads construct defaults (disaster recovery): it imports the CDK, lazily.
        from stackkit.policy.summary_format import fit_comment, summary_markdown

        text = summary_markdown(head, result, allowed, checks, deltas)
        if args.markdown:
            _write(Path(args.markdown), text)
        if args.comment:
            _write(Path(args.comment), fit_comment(text))
    if args.json:
        _write(
            Path(args.json),
            json.dumps(
                [{"stack": r.stack, "address": r.address, "reason": r.reason} for r in result.risks], indent=2
            ),
        )
    return EXIT_FAILED if result.unacknowledged(allowed) or over_budget else EXIT_OK


def _cost(args: argparse.Namespace) -> int:
    costs = estimate(_selected(load_stacks(_stacks_dir(args)), args.env))
    print(json.dumps(cost_document(costs), indent=2) if args.format == "json" else render_costs(costs))
    return EXIT_OK


def _summary(args: argparse.Namespace) -> int:
    # The summary reads construct defaults (disaster recovery): it imports the CDK, lazily.
    from stackkit.policy.summary_format import fit_comment, summary_markdown
    from stackkit.policy.summary_json import summary_document

    allowed = tuple(args.allow_replace)
    if args.plan and not args.base:
        raise PlanError("--plan needs --base: the plan is set against stackkit's prediction of BASE -> HEAD")
    plans = read_plans(args.plan)
    with tempfile.TemporaryDirectory(prefix="stackkit-summary-") as workdir:
        head = _selected(load_stacks(_stacks_dir(args)), args.env)
        base = (
            _selected(load_stacks(resolve(args.base, Path(workdir), app=args.app)), args.env)
            if args.base
            else None
        )
    require_stacks(plans, head)
    diff = diff_outputs(base, head) if base is not None else None
    checks = check_plans(diff, plans, base or {}, head) if diff is not None else {}
    deltas = cost_deltas(estimate(base), estimate(head)) if base is not None else None
    summary = summary_markdown(head, diff, allowed, checks, deltas)
    if args.comment:
        _write(Path(args.comment), fit_comment(summary))
    text = (
        json.dumps(summary_document(head, diff, allowed, checks, deltas), indent=2)
        if args.format == "json"
        else summary
    )
    if args.output:
        _write(Path(args.output), text)
    else:
        print(text)
    return EXIT_OK


def _source_url(source: str) -> str:
    """``--stackkit-source``: a URL as given (``https://.../stackkit-0.3.0-py3-none-any.whl``,
    ``git+https://...@<commit>``), a local wheel or folder as its absolute ``file://`` URL."""
    if "://" in source:
        return source
    path = Path(source).expanduser().resolve()
    if not path.exists():
        raise ScaffoldError(f"--stackkit-source {source}: no such file or folder (a wheel, a folder, a URL)")
    return path.as_uri()


def _init(args: argparse.Namespace) -> int:
    target = Path(args.directory).resolve()
    name = args.name or target.name.lower().replace("_", "-")
    source = _source_url(args.stackkit_source) if args.stackkit_source else installed_source()
    stackkit_requirement = args.requirement or requirement(source)
    if args.gate_ref:
        gate_ref, gate_ref_comment = args.gate_ref, ""
    else:
        gate_ref, gate_ref_comment = gate_pin(tool_version(), RELEASE_COMMIT)
    written = scaffold(
        target,
        name=name,
        stackkit_requirement=stackkit_requirement,
        gate_ref=gate_ref,
        gate_ref_comment=gate_ref_comment,
        force=args.force,
    )
    for path in written:
        print(f"created {path.relative_to(target)}")
    print(f"stackkit requirement: {stackkit_requirement}")
    if "file://" in stackkit_requirement:
        print(
            "note: that is a file on this machine; for CI, point --stackkit-source at a URL it can "
            "reach (a release asset, or git+https://...@<commit>)"
        )
    if not args.gate_ref and not gate_ref_comment.startswith(" # v"):
        # Not a released build: the workflow names the release tag, which exists only once that
        # version is released; GitHub fails a call of a workflow at a ref that does not exist.
        print(
            f"note: the pull-request workflow calls stackkit's gate workflow at {gate_ref}, the tag of "
            "this version's release; until that release exists, pass --gate-ref <commit> (a commit "
            f"of {GATE_REPOSITORY} with .github/workflows/gate.yml, e.g. the one this stackkit was "
            "built from)"
        )
    print(f"next: cd {os.path.relpath(target)}, then follow README.md (install, synthesize, check)")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stackkit",
        description="Policy gate for cdktf projects built with stackkit (or any cdktf app).",
        epilog=SYNTHESIS_HELP,
    )
    parser.add_argument("--version", action="version", version=f"stackkit {tool_version()}")
    commands = parser.add_subparsers(dest="command", required=True)

    def add_app(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--app",
            metavar="CMD",
            help="the command that synthesizes the app (default: `app` in ./cdktf.json), as cdktf's --app",
        )
        command.add_argument(
            "--env",
            action="append",
            metavar="STACK",
            help="only these stacks (names as the app writes them under stacks/); repeatable",
        )

    def add_source(command: argparse.ArgumentParser) -> None:
        add_app(command)
        command.add_argument(
            "--from", dest="source", metavar="DIR", help="an existing cdktf.out (skip synthesis)"
        )
        command.add_argument(
            "--outdir",
            metavar="DIR",
            help='synthesize into DIR (default: the "output" of cdktf.json, cdktf.out, as `cdktf synth`)',
        )

    def add_plan(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--plan",
            action="append",
            default=[],
            type=_plan,
            metavar="STACK=PLAN.json",
            help="Terraform's own plan of STACK (`terraform show -json PLANFILE`; PLAN.json `-`: read "
            "it from stdin): its deletions and replacements of guarded resources are risks too, and "
            "where it disagrees with the prediction a mismatch is reported; repeatable",
        )

    def add_comment(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--comment",
            metavar="PATH",
            help="also write the summary as a pull request comment: marker first, cut to GitHub's "
            "65,536-character limit with a note",
        )

    check = commands.add_parser(
        "check",
        help="Checkov + stackkit's policies + the IAM analysis on every stack",
        epilog=SYNTHESIS_HELP,
    )
    add_source(check)
    check.add_argument(
        "--format",
        dest="formats",
        action="append",
        type=_format,
        default=[],
        metavar="KIND=PATH",
        help="also write sarif=PATH (GitHub code scanning) or junit=PATH; repeatable",
    )
    check.set_defaults(handler=_check)

    diff = commands.add_parser(
        "diff",
        help="flag stateful resources destroyed or replaced between BASE and HEAD",
        epilog=SYNTHESIS_HELP,
    )
    add_app(diff)
    diff.add_argument("base", help="a cdktf.out folder or a git revision")
    diff.add_argument("head", help="a cdktf.out folder or a git revision")
    diff.add_argument(
        "--allow-replace",
        action="append",
        default=[],
        metavar="ADDRESS",
        help="acknowledge one risk: type.name (every stack) or stack/type.name; repeatable",
    )
    add_plan(diff)
    diff.add_argument("--json", metavar="PATH", help="also write the risks as JSON")
    diff.add_argument(
        "--markdown",
        metavar="PATH",
        help="also write the job summary (HEAD's stacks, changes, risks, diagrams)",
    )
    add_comment(diff)
    diff.add_argument(
        "--max-monthly-increase",
        type=_usd,
        metavar="USD",
        help="also fail when a stack's monthly cost (stackkit cost) rises by more than USD; names the items",
    )
    diff.set_defaults(handler=_diff)

    cost = commands.add_parser(
        "cost",
        help="monthly cost of every stack, offline, from the price table shipped with stackkit",
        epilog=SYNTHESIS_HELP,
    )
    add_source(cost)
    cost.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    cost.set_defaults(handler=_cost)

    summary = commands.add_parser(
        "summary", help="Markdown job summary with a Mermaid diagram per stack", epilog=SYNTHESIS_HELP
    )
    add_source(summary)
    summary.add_argument("--base", metavar="REV_OR_DIR", help="also report changes and risks against this")
    add_plan(summary)
    summary.add_argument("--allow-replace", action="append", default=[], metavar="ADDRESS")
    summary.add_argument(
        "--format",
        choices=("markdown", "json"),
        default="markdown",
        help="markdown (default) or json (has_changes, per-stack counts, risks, cost deltas; "
        "schema: stackkit/policy/summary.schema.json)",
    )
    summary.add_argument("--output", metavar="PATH", help="write here instead of stdout")
    add_comment(summary)
    summary.set_defaults(handler=_summary)

    init = commands.add_parser(
        "init", help="scaffold a team's cdktf repository using stackkit (app, cdktf.json, workflow)"
    )
    init.add_argument("directory", nargs="?", default=".", help="an empty folder (default: here)")
    init.add_argument("--name", help="project name (default: the folder's name)")
    source = init.add_mutually_exclusive_group()
    source.add_argument(
        "--stackkit-source",
        metavar="PATH_OR_URL",
        help="where the project installs stackkit from: a wheel, a checkout folder, or a URL "
        "(https://.../stackkit-X-py3-none-any.whl, git+https://...@COMMIT); the requirement is "
        "stackkit[cdktf,policy] @ it (default: where this stackkit was installed from)",
    )
    source.add_argument(
        "--requirement",
        metavar="REQ",
        help="the whole requirement on stackkit in pyproject.toml, instead of --stackkit-source",
    )
    init.add_argument(
        "--gate-ref",
        metavar="REF",
        help="the ref of stackkit's reusable gate workflow the pull-request workflow calls "
        "(default: this version's release tag, vX.Y.Z)",
    )
    init.add_argument("--force", action="store_true", help="write into a non-empty folder")
    init.set_defaults(handler=_init)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except (
        CheckovError,
        SourceError,
        ScaffoldError,
        FileNotFoundError,
        ValidationError,
        CdkLoadError,
        PlanError,
    ) as error:
        print(f"stackkit {args.command}: {error}", file=sys.stderr)
        return EXIT_ERROR
    return code


if __name__ == "__main__":
    sys.exit(main())
