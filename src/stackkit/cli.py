"""``stackkit``: the policy gate for pull requests.

    stackkit check [--from cdktf.out] [--format sarif=PATH] [--format junit=PATH]
    stackkit diff BASE HEAD [--allow-replace ADDRESS]... [--markdown summary.md]
    stackkit summary [--from cdktf.out] [--base REV] > summary.md

Exit codes: 0 clean, 1 policy failure or unacknowledged risk, 2 usage or tool error.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from stackkit.errors import ValidationError
from stackkit.policy.checkov import CheckovError, run_checkov
from stackkit.policy.replacement import diff_outputs, load_stacks, render_diff
from stackkit.policy.report import WRITERS, render_table
from stackkit.policy.sources import SourceError, resolve, synthesize_here
from stackkit.policy.summary import markdown

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


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


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _stacks_dir(args: argparse.Namespace, workdir: Path) -> Path:
    """``<dir>/stacks`` from ``--from``, else this checkout synthesized into ``--outdir``/temp."""
    if args.source is not None:
        source = Path(args.source)
        return source / "stacks" if (source / "stacks").is_dir() else source
    outdir = Path(args.outdir) if args.outdir else workdir / "cdktf.out"
    synthesize_here(outdir, tuple(args.env or ()), _progress)
    return outdir / "stacks"


def _check(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="stackkit-check-") as workdir:
        stacks_dir = _stacks_dir(args, Path(workdir))
        _progress(f"scanning {stacks_dir} with Checkov and stackkit's policies")
        started = time.perf_counter()
        reports = run_checkov(stacks_dir)
        elapsed = time.perf_counter() - started
        for index, (name, report) in enumerate(reports.items(), start=1):
            _progress(f"[{index}/{len(reports)}] checked {name}: {len(report.failed)} failed")
        print(render_table(reports))
        print(f"policy scan: {elapsed:.1f} s")
        for kind, path in args.formats:
            _write(path, WRITERS[kind](reports))
            print(f"wrote {kind} to {path}")
        return EXIT_FAILED if any(report.failed for report in reports.values()) else EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    allowed = tuple(args.allow_replace)
    with tempfile.TemporaryDirectory(prefix="stackkit-diff-") as workdir:
        base = load_stacks(resolve(args.base, Path(workdir)))
        head = load_stacks(resolve(args.head, Path(workdir)))
    result = diff_outputs(base, head)
    print(render_diff(result, allowed))
    if args.markdown:
        _write(Path(args.markdown), markdown(head, result, allowed))
    if args.json:
        _write(
            Path(args.json),
            json.dumps(
                [{"stack": r.stack, "address": r.address, "reason": r.reason} for r in result.risks], indent=2
            ),
        )
    return EXIT_FAILED if result.unacknowledged(allowed) else EXIT_OK


def _summary(args: argparse.Namespace) -> int:
    allowed = tuple(args.allow_replace)
    with tempfile.TemporaryDirectory(prefix="stackkit-summary-") as workdir:
        head = load_stacks(_stacks_dir(args, Path(workdir)))
        diff = diff_outputs(load_stacks(resolve(args.base, Path(workdir))), head) if args.base else None
    text = markdown(head, diff, allowed)
    if args.output:
        _write(Path(args.output), text)
    else:
        print(text)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stackkit", description="Policy gate for stackkit stacks.")
    commands = parser.add_subparsers(dest="command", required=True)

    def add_source(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--from", dest="source", metavar="DIR", help="an existing cdktf.out (skip synthesis)"
        )
        command.add_argument(
            "--outdir", metavar="DIR", help="synthesize into DIR (default: a temporary folder)"
        )
        command.add_argument(
            "--env",
            action="append",
            help="environments to synthesize (default: all of the repository's stacks/ app)",
        )

    check = commands.add_parser("check", help="Checkov + stackkit's policies on every stack")
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
        "diff", help="flag stateful resources destroyed or replaced between BASE and HEAD"
    )
    diff.add_argument("base", help="a cdktf.out folder or a git revision")
    diff.add_argument("head", help="a cdktf.out folder or a git revision")
    diff.add_argument(
        "--allow-replace",
        action="append",
        default=[],
        metavar="ADDRESS",
        help="acknowledge one risk: type.name (every stack) or stack/type.name; repeatable",
    )
    diff.add_argument("--json", metavar="PATH", help="also write the risks as JSON")
    diff.add_argument(
        "--markdown",
        metavar="PATH",
        help="also write the job summary (HEAD's stacks, changes, risks, diagrams)",
    )
    diff.set_defaults(handler=_diff)

    summary = commands.add_parser("summary", help="Markdown job summary with a Mermaid diagram per stack")
    add_source(summary)
    summary.add_argument("--base", metavar="REV_OR_DIR", help="also report changes and risks against this")
    summary.add_argument("--allow-replace", action="append", default=[], metavar="ADDRESS")
    summary.add_argument("--output", metavar="PATH", help="write here instead of stdout")
    summary.set_defaults(handler=_summary)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except (CheckovError, SourceError, FileNotFoundError, ValidationError) as error:
        print(f"stackkit {args.command}: {error}", file=sys.stderr)
        return EXIT_ERROR
    return code


if __name__ == "__main__":
    sys.exit(main())
