"""What makes synthesis fast must not change what it produces (scripts/bench_synth.py measures
the speed; these check the behaviour): the per-scope stack and AWS context caches give the answers
the jsii kernel would. The loading speed-ups have their own tests (test_loading.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stackkit import Network, NetworkProps
from stackkit._private.cdk import (
    SCOPE_ATTRIBUTE,
    App,
    AwsProvider,
    Construct,
    SnsTopic,
    TerraformStack,
)
from stackkit._private.terraform import AwsContext, pin_address, stack_of


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
