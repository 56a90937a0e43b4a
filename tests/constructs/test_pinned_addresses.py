"""Forgetting pin_address in a library construct fails the synthesis, naming the resource."""

from __future__ import annotations

from pathlib import Path

import pytest

from stackkit._private.cdk import Construct, S3Bucket, SnsTopic, TerraformStack
from stackkit._private.terraform import pin_address
from tests.synth_helpers import synth_stack


class Forgetful(Construct):
    """A library construct (as far as the check can tell) that pins one resource of two."""

    __module__ = "stackkit.constructs.forgetful"

    def __init__(self, scope: Construct, id_: str) -> None:
        super().__init__(scope, id_)
        pin_address(SnsTopic(self, "topic"), "demo", "topic")
        S3Bucket(self, "bucket")  # no pin_address


class Careful(Construct):
    __module__ = "stackkit.constructs.careful"

    def __init__(self, scope: Construct, id_: str) -> None:
        super().__init__(scope, id_)
        pin_address(SnsTopic(self, "topic"), "demo", "topic")
        pin_address(S3Bucket(self, "bucket"), "demo", "bucket")


class TeamConstruct(Construct):
    """A team's own construct: its addresses are its business."""

    def __init__(self, scope: Construct, id_: str) -> None:
        super().__init__(scope, id_)
        S3Bucket(self, "bucket")


def test_a_resource_without_a_pinned_address_fails_the_synthesis(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match=r"aws_s3_bucket test/forgetful/bucket \(created by Forgetful\)"):
        synth_stack(tmp_path, lambda stack: Forgetful(stack, "forgetful"))


def test_pinned_resources_and_a_teams_own_resources_pass(tmp_path: Path) -> None:
    def build(stack: TerraformStack) -> None:
        Careful(stack, "careful")
        TeamConstruct(stack, "team")

    buckets = synth_stack(tmp_path, build)["resource"]["aws_s3_bucket"]
    assert "demo_bucket" in buckets and len(buckets) == 2  # the team's keeps cdktf's address
