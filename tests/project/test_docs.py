"""The documentation site (mkdocs.yml, docs/): every construct and pattern has a page with a
props reference generated from the code, the generated tables show what the code defines, the
site builds with ``--strict`` (broken links and missing references fail), and the pages' python
blocks run as written (each in a fresh process; what they synthesize passes Checkov)."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pydantic
import pytest

import stackkit
from stackkit._private.skips import RECORDED_SKIPS
from stackkit.policy.checkov import run_checkov
from stackkit.policy.checks.stackkit_policy_common import POLICIES

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)
REFERENCE = re.compile(r"^::: stackkit\.(\w+)$", re.MULTILINE)
#: Every construct and pattern, and the page that documents it.
PAGES = {
    "Network": "constructs/network.md",
    "ExistingNetwork": "constructs/existing-network.md",
    "Database": "constructs/database.md",
    "Cache": "constructs/cache.md",
    "Cluster": "constructs/cluster.md",
    "ImageRepository": "constructs/image-repository.md",
    "FargateTaskDefinition": "constructs/task-definition.md",
    "FargateService": "constructs/fargate-service.md",
    "LoadBalancer": "constructs/load-balancer.md",
    "Queue": "constructs/queue.md",
    "EncryptionKey": "constructs/encryption-key.md",
    "ProviderScope": "constructs/provider-scope.md",
    "Connections": "constructs/connections.md",
    "Backup": "constructs/backup.md",
    "Service": "patterns/service.md",
    "LoadBalancedService": "patterns/load-balanced-service.md",
    "WorkerService": "patterns/worker-service.md",
    "ScheduledTask": "patterns/scheduled-task.md",
    "Monitoring": "monitoring.md",
    "EnvironmentStack": "configuration.md",
}


def pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def load_hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("stackkit_docs_hooks", DOCS / "hooks.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_construct_and_pattern_has_a_page_with_its_generated_reference() -> None:
    for name, page in PAGES.items():
        text = (DOCS / page).read_text()
        assert f"::: stackkit.{name}" in text, f"{page} has no generated reference of {name}"
        props = f"{name}Props"
        if hasattr(stackkit, props):
            assert f"::: stackkit.{props}\n" in text, f"{page} has no generated reference of {props}"


def test_every_public_name_has_a_generated_reference_on_some_page() -> None:
    referenced = {name for page in pages() for name in REFERENCE.findall(page.read_text())}
    public = set(stackkit.__all__) - {"__version__"}
    assert public - referenced == set(), "public names without a page"
    assert referenced - public == set(), "a reference to a name that is not public"


def test_no_props_table_is_maintained_by_hand() -> None:
    """Props, their defaults, the skips and the policies come from the code: no page and not the
    README repeat them in a hand-written table."""
    hand_written = re.compile(r"^\| (prop|field|setting|`\w+` field) \| default \|", re.MULTILINE)
    fields = {
        field
        for name in stackkit.__all__
        if isinstance(model := getattr(stackkit, name), type) and issubclass(model, pydantic.BaseModel)
        for field in model.model_fields
    }
    row = re.compile(r"^\| `(\w+)`", re.MULTILINE)
    for path in [*pages(), ROOT / "README.md"]:
        text = path.read_text()
        assert not hand_written.search(text), f"{path.relative_to(ROOT)} has a hand-written props table"
        assert "| CKV_STACKKIT_1 |" not in text and "| CKV_AWS_145 |" not in text, path
        props_rows = [name for name in row.findall(text) if name in fields]
        assert props_rows == [], f"{path.relative_to(ROOT)}: table rows of props fields {props_rows}"


def test_the_generated_tables_show_what_the_code_defines() -> None:
    hooks = load_hooks()
    skips = hooks.render("<!-- stackkit:skips -->").splitlines()
    assert len(skips) == 2 + len(RECORDED_SKIPS)
    for skip, row in zip(RECORDED_SKIPS, skips[2:], strict=True):
        assert row.startswith(f"| {skip.check_id} | `{skip.resource}` |") and skip.reason in row
    policies = hooks.render("<!-- stackkit:policies -->").splitlines()[2:]
    assert [row.split(" | ")[0].removeprefix("| ") for row in policies] == sorted(
        POLICIES, key=lambda policy_id: int(policy_id.rsplit("_", 1)[1])
    )
    for row in policies:
        what = row.split(" | ")[2]
        assert len(what) > 20, f"no description from the check file's docstring: {row}"
    example = hooks.render("<!-- stackkit:include examples/network_and_cache.py -->")
    assert example.startswith("```python\n") and "def build(app" in example
    assert "## 0.1.0" in hooks.render("<!-- stackkit:changelog -->").replace("### 0.1.0", "## 0.1.0")
    with pytest.raises(ValueError, match="unknown stackkit marker"):
        hooks.render("<!-- stackkit:skps -->")


def test_every_page_is_in_the_navigation() -> None:
    config = (ROOT / "mkdocs.yml").read_text()
    for path in pages():
        assert f": {path.relative_to(DOCS).as_posix()}\n" in config, f"{path} is not in mkdocs.yml's nav"


@pytest.mark.slow
def test_the_site_builds_strictly_offline_with_the_generated_references(tmp_path: Path) -> None:
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-5000:]
    assert "WARNING" not in done.stderr, done.stderr
    database = (site / "constructs" / "database" / "index.html").read_text()
    # griffe-pydantic: fields with their real defaults (docs/griffe_stackkit.py) and docstrings,
    # and the validators.
    assert "db.t3.medium" in database and "DEFAULT_INSTANCE_CLASS" not in database
    assert "Default 5432 (PostgreSQL" in database
    assert "_supported_engine_version" in database
    assert "pydantic-field" in database
    skips = (site / "gate" / "skips" / "index.html").read_text()
    assert all(skip.check_id in skips for skip in RECORDED_SKIPS)
    assert not list(site.rglob("*.py")), "the hook and the extension are not pages"

    # No rendered page (the generated references included) names a private module in its text or
    # links to one. (A signature's type from a private module keeps its path in a hover title.)
    def names_private(html: str) -> bool:
        html = html.split('id="changelog"')[0]  # the changelog (on the Upgrading page) is history
        text = re.sub(r"<[^>]*>", " ", html)
        return "stackkit._private" in text or re.search(r'href="[^"]*_private', html) is not None

    assert [
        page.relative_to(site).as_posix() for page in site.rglob("*.html") if names_private(page.read_text())
    ] == []
    assert "skip_check" in skips and "CKV2_AWS_34" in skips
    assert "fonts.googleapis.com" not in (site / "index.html").read_text()


def python_blocks() -> list[tuple[str, str]]:
    return [
        (path.relative_to(DOCS).as_posix(), code)
        for path in pages()
        for code in PYTHON_BLOCK.findall(path.read_text())
    ]


def test_the_docs_have_runnable_examples() -> None:
    assert {page for page, _code in python_blocks()} >= {
        "getting-started.md",
        "configuration.md",
        "constructs/provider-scope.md",
        "constructs/task-definition.md",
        "validation.md",
        "gate/skips.md",
    }


@pytest.mark.slow
def test_every_python_block_runs_and_what_it_synthesizes_passes_checkov(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    env = {**os.environ, "PATH": f"{ROOT / 'node_modules' / '.bin'}{os.pathsep}{os.environ.get('PATH', '')}"}
    stacks = tmp_path_factory.mktemp("docs-stacks")
    for index, (page, code) in enumerate(python_blocks(), start=1):
        folder = tmp_path_factory.mktemp(f"docs-block-{index}")
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=folder, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, f"{page}: python block failed:\n{code}\n{done.stderr[-3000:]}"
        for stack in sorted((folder / "cdktf.out" / "stacks").glob("*")):
            assert not (stacks / stack.name).exists(), f"{page}: stack name {stack.name} used twice"
            shutil.copytree(stack, stacks / stack.name)
    expected = ["dev", "flags", "migrations", "orders", "prod", "sessions"]
    assert sorted(path.name for path in stacks.iterdir()) == expected
    reports = run_checkov(stacks)
    for name, report in reports.items():
        failed = [f"{f.check_id} {f.resource}" for f in report.failed]
        assert failed == [], f"docs stack {name}: {failed}"
        assert len(report.passed) > (3 if name == "flags" else 50), name  # flags: one parameter
    # The skips page's own skip (stackkit.skip_check on a team's resource) is honoured as printed.
    assert [(f.check_id, f.resource, f.skip_reason) for f in reports["flags"].skipped] == [
        (
            "CKV2_AWS_34",
            "aws_ssm_parameter.flags",
            "public feature flags, no secret: a plain String parameter",
        )
    ]
    # The ProviderScope snippet really put the cache on the aliased provider.
    assert '"provider": "aws.west"' in (stacks / "sessions" / "cdk.tf.json").read_text()
