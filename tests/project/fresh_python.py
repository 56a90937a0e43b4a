"""Programs run in a fresh Python of this environment, as a team's app runs: the loading tests'
way of seeing a process from the start (what ``import stackkit`` does to it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import typing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


#: Pasted into the programs: the NODE_OPTIONS that this process's jsii kernel started with.
KERNEL_NODE_OPTIONS = """
def kernel_node_options():
    import os
    from pathlib import Path

    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            parent = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (proc / "cmdline").read_bytes()
            environ = (proc / "environ").read_bytes().split(b"\\0")
        except OSError:
            continue
        if parent == os.getpid() and b"jsii-runtime" in command:
            found = [item.partition(b"=")[2] for item in environ if item.startswith(b"NODE_OPTIONS=")]
            return found[0].decode() if found else None
    raise AssertionError("no jsii kernel")
"""


def python(
    program: str, *, env: dict[str, str | None] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    """Run ``program`` in a fresh Python of this environment (which must succeed)."""
    environ = {
        key: value for key, value in os.environ.items() if key not in ("NODE_OPTIONS", "STACKKIT_FAST_LOAD")
    }
    for key, value in (env or {}).items():
        if value is None:
            environ.pop(key, None)
        else:
            environ[key] = value
    done = subprocess.run(
        [sys.executable, "-c", KERNEL_NODE_OPTIONS + textwrap.dedent(program)],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def last_json(done: subprocess.CompletedProcess[str]) -> typing.Any:
    return json.loads(done.stdout.strip().splitlines()[-1])
