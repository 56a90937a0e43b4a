"""``stackkit.skip_check``: a team's own skip, validated before synthesis, recorded where the gate
reads the constructs' skips (``//.stackkit_checkov_skip``), for Checkov ids and IAM-analysis ids."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest

import stackkit
from stackkit import Cluster, ClusterProps, ValidationError, skip_check
from stackkit._private.cdk import BACKEND, S3Bucket, TerraformStack
from stackkit.policy.checkov import collect_skips
from stackkit.policy.iam_analysis import run_iam_analysis
from tests.synth_helpers import synth_stack

REASON = "access logs of this bucket go to the team's central log account"


def skipped(tmp_path: Path, check_id: str) -> dict[tuple[str, str], str]:
    def build(stack: TerraformStack) -> None:
        skip_check(S3Bucket(stack, "logs", bucket="team-logs"), check_id, REASON)

    return collect_skips(synth_stack(tmp_path, build))


def test_it_is_public() -> None:
    assert "skip_check" in stackkit.__all__ and stackkit.skip_check is skip_check


@pytest.mark.parametrize(
    "check_id",
    ["CKV_AWS_18", "CKV2_AWS_62", "IAM_PARLIAMENT_UNKNOWN_ACTION", "IAM_STACKKIT_ROLE_WITHOUT_BOUNDARY"],
)
def test_a_checkov_or_iam_id_is_recorded_where_the_gate_reads_skips(tmp_path: Path, check_id: str) -> None:
    assert skipped(tmp_path, check_id) == {("aws_s3_bucket.logs", check_id): REASON}


def test_the_record_is_the_key_the_constructs_use(tmp_path: Path) -> None:
    stack: dict[str, Any] = synth_stack(
        tmp_path, lambda s: skip_check(S3Bucket(s, "b", bucket="team-b"), "CKV_AWS_144", f"  {REASON}  ")
    )
    body = stack["resource"]["aws_s3_bucket"]["b"]
    assert body["//"]["stackkit_checkov_skip"] == {"CKV_AWS_144": REASON}  # the reason, stripped


@pytest.mark.parametrize(
    ("check_id", "reason", "field", "message"),
    [
        ("CKV_AWS18", REASON, "check_id", "'CKV_AWS18' is neither a Checkov check id (CKV_AWS_18"),
        ("ckv_aws_18", REASON, "check_id", "nor an IAM analysis rule id (IAM_PARLIAMENT_UNKNOWN_ACTION)"),
        ("IAM_", REASON, "check_id", "'IAM_' is neither"),
        ("CKV_STACKKIT_2", REASON, "check_id", "CKV_STACKKIT_2 is one of stackkit's own policies"),
        ("CKV_AWS_18", "   why   ", "reason", "needs a reason a reviewer can judge (10 characters or more)"),
    ],
)
def test_a_wrong_id_or_reason_is_refused_naming_the_field(
    tmp_path: Path, check_id: str, reason: str, field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        synth_stack(tmp_path, lambda s: skip_check(S3Bucket(s, "b", bucket="team-b"), check_id, reason))
    assert caught.value.model == "skip_check"
    assert caught.value.fields == [field]
    assert message in str(caught.value)


def test_a_construct_is_not_a_resource(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        synth_stack(
            tmp_path,
            lambda s: skip_check(Cluster(s, "c", ClusterProps(name="team")), "CKV_AWS_65", REASON),  # type: ignore[arg-type]
        )
    assert caught.value.fields == ["resource"]
    assert "expected a Terraform resource (a provider binding such as S3Bucket), got Cluster" in str(
        caught.value
    )


def test_a_policy_document_data_source_takes_an_iam_skip_only(tmp_path: Path) -> None:
    """The IAM analysis reports a policy written as ``DataAwsIamPolicyDocument`` on the data
    source, so its skip goes there; Checkov's skips are read on resources only."""
    documents = importlib.import_module(f"{BACKEND.provider}.data_aws_iam_policy_document")

    def build(stack: TerraformStack) -> None:
        document = documents.DataAwsIamPolicyDocument(
            stack,
            "d",
            statement=[
                documents.DataAwsIamPolicyDocumentStatement(actions=["s3:GetObject"], resources=["*"])
            ],
        )
        skip_check(document, "IAM_CLOUDSPLAINING_DATA_EXFILTRATION", REASON)
        with pytest.raises(ValidationError) as caught:
            skip_check(document, "CKV_AWS_18", REASON)
        assert "a data source (DataAwsIamPolicyDocument) takes only a skip of an IAM analysis rule" in str(
            caught.value
        )

    stack = synth_stack(tmp_path, build)
    # cdktf writes a data source's own `//` block from its metadata, so the skip is on the stack.
    assert stack["//"]["stackkit_data_source_skips"] == {
        "aws_iam_policy_document": {"d": {"IAM_CLOUDSPLAINING_DATA_EXFILTRATION": REASON}}
    }


def _policy_document(stack: TerraformStack) -> Any:
    """A ``data aws_iam_policy_document`` that lets its holder pass any role."""
    documents = importlib.import_module(f"{BACKEND.provider}.data_aws_iam_policy_document")
    statement = documents.DataAwsIamPolicyDocumentStatement(actions=["iam:PassRole"], resources=["*"])
    return documents.DataAwsIamPolicyDocument(stack, "deploy", statement=[statement])


def test_a_record_on_a_data_source_s_own_comment_is_lost(tmp_path: Path) -> None:
    """Why skip_check records a data source's skip on the stack: cdktf writes a data source's
    ``//`` itself, after its overrides, so a skip recorded there never reaches the JSON."""

    def build(stack: TerraformStack) -> None:
        _policy_document(stack).add_override("//.stackkit_checkov_skip.IAM_STACKKIT_PASSROLE_ANY", REASON)

    document = synth_stack(tmp_path, build, name="team")["data"]["aws_iam_policy_document"]["deploy"]
    assert document["//"] == {"metadata": {"path": "team/deploy", "uniqueId": "deploy"}}
    report = run_iam_analysis(tmp_path / "stacks")["team"]
    assert ("IAM_STACKKIT_PASSROLE_ANY", "data.aws_iam_policy_document.deploy") in {
        (f.check_id, f.resource) for f in report.failed
    }
