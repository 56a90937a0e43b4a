"""What makes synthesis fast must not change what it produces (scripts/bench_synth.py measures
the speed; these check the behaviour): the version commands run once per process, the bindings'
type hints are cached but their checks still run, and the per-scope stack and AWS context caches
give the answers the jsii kernel would."""

from __future__ import annotations

import inspect
import json
import subprocess
import typing
from pathlib import Path

import pytest

from stackkit import Network, NetworkProps
from stackkit._private import cdk
from stackkit._private.cdk import (
    SCOPE_ATTRIBUTE,
    App,
    AwsProvider,
    Construct,
    SnsTopic,
    TerraformStack,
    Vpc,
)
from stackkit._private.terraform import AwsContext, pin_address, stack_of

ROOT = Path(__file__).resolve().parents[2]
PRELOAD = ROOT / "src" / "stackkit" / "_private" / "version_check_once.js"

#: What both CDKs' lib/validations/validate-binary-version.js do, reduced to the call that matters.
_VALIDATION = """\
"use strict";
const child_process_1 = require("child_process");
exports.run = (command) => (0, child_process_1.execSync)(command, { stdio: "pipe" }).toString();
"""


def _package(root: Path, name: str) -> Path:
    validations = root / "node_modules" / name / "lib" / "validations"
    validations.mkdir(parents=True)
    (validations.parent.parent / "package.json").write_text(
        json.dumps({"name": name, "main": "lib/index.js"})
    )
    (validations / "validate-binary-version.js").write_text(_VALIDATION)
    return validations / "validate-binary-version.js"


@pytest.mark.parametrize("cdk_package", ["cdktf", "cdktn"])
def test_each_version_command_runs_once_in_a_cdk_and_every_time_elsewhere(
    tmp_path: Path, cdk_package: str
) -> None:
    # Each run of the "version command" appends a line to a file, so the file counts the runs.
    runs = tmp_path / "runs.txt"
    version = f"echo run >> {runs} && echo 'Terraform v1.11.4'"
    failing = f"echo run >> {runs} && exit 3"
    cdk_file = _package(tmp_path, cdk_package)
    other_file = _package(tmp_path, "not-a-cdk")
    script = f"""
        const cdk = require({str(cdk_file)!r}), other = require({str(other_file)!r});
        const outputs = [cdk.run({version!r}), cdk.run({version!r}), cdk.run({version!r})];
        const errors = [];
        for (let i = 0; i < 2; i++) {{
          try {{ cdk.run({failing!r}); }} catch (e) {{ errors.push(e.status); }}
        }}
        const fs = require("fs");
        const count = () => fs.readFileSync({str(runs)!r}, "utf-8").split("\\n").length - 1;
        const inCdk = count();
        other.run({version!r}); other.run({version!r});
        console.log(JSON.stringify({{outputs, errors, inCdk, afterOther: count()}}));
    """
    done = subprocess.run(
        ["node", "--require", str(PRELOAD), "-e", script], capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout)
    assert result["outputs"] == ["Terraform v1.11.4\n"] * 3  # the same answer each time
    assert result["errors"] == [3, 3]  # a failing command fails every time, as it did
    assert result["inCdk"] == 2  # one run of each distinct command
    assert result["afterOther"] == 4  # a package that is not a CDK keeps running it each time


def test_the_bindings_read_stub_hints_through_the_cache_and_still_check_types(tmp_path: Path) -> None:
    namespace = inspect.unwrap(
        Vpc.__init__
    ).__globals__  # the binding's module, not its scope-keeping wrapper
    assert (
        namespace["typing"] is not typing and namespace["typing"].get_type_hints is cdk._cached_get_type_hints
    )
    stubs = [value for name, value in namespace.items() if name.startswith("_typecheckingstub__")]
    assert stubs and all(cdk._cached_get_type_hints(stub) == typing.get_type_hints(stub) for stub in stubs)
    stack = TerraformStack(App(outdir=str(tmp_path)), "typed")
    with pytest.raises(TypeError, match="cidr_block"):
        Vpc(stack, "vpc", cidr_block=10)


def test_stacks_found_from_remembered_scopes_are_the_kernels(tmp_path: Path) -> None:
    app = App(outdir=str(tmp_path))
    first, second = TerraformStack(app, "first"), TerraformStack(app, "second")
    for stack in (first, second):
        AwsProvider(stack, "aws", region="us-east-1")
    nested = Construct(Construct(second, "team"), "platform")
    topics = [SnsTopic(first, "topic"), SnsTopic(nested, "topic")]
    assert [getattr(topic, SCOPE_ATTRIBUTE) for topic in topics] == [first, nested]
    for topic in topics:
        assert stack_of(topic).node.path == TerraformStack.of(topic).node.path
    # The same address in two stacks is two resources; in one stack it is refused.
    for topic in topics:
        pin_address(topic, "shop", "alerts")
    with pytest.raises(ValueError, match=r"would both be resource\.aws_sns_topic\.shop_alerts"):
        pin_address(SnsTopic(Construct(second, "other"), "topic"), "shop", "alerts")


def test_the_aws_context_is_shared_per_stack_and_kept_apart_between_stacks(tmp_path: Path) -> None:
    app = App(outdir=str(tmp_path))
    stacks = [TerraformStack(app, name) for name in ("dev", "prod")]
    for stack in stacks:
        AwsProvider(stack, "aws", region="us-east-1")
    networks = [
        Network(
            stack,
            f"network-{index}",
            NetworkProps(name=f"net-{index}", availability_zones=("us-east-1a", "us-east-1b")),
        )
        for stack in stacks
        for index in range(2)
    ]
    contexts = [AwsContext.of(network) for network in networks]
    assert contexts[0] is contexts[1] and contexts[2] is contexts[3] and contexts[0] is not contexts[2]
    assert [context.node.path for context in contexts[::2]] == [
        "dev/stackkit-aws-context",
        "prod/stackkit-aws-context",
    ]
