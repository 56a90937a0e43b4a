"""Issue 22 item 3: a team's own secrets (``secrets={"STRIPE_API_KEY": "<ARN>"}``) reach the
container as ECS ``secrets`` (``valueFrom``), the task execution role may read exactly those
secrets / parameters and decrypt with exactly the team's keys through this region's Secrets
Manager / SSM; every mistake is refused before synthesis, naming the field and the fix.

Expected values are written out from the ECS developer guide's formats ("Pass Secrets Manager
secrets through Amazon ECS environment variables", "Amazon ECS task execution IAM role")."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest

from stackkit import (
    Cluster,
    ClusterProps,
    ExistingNetwork,
    FargateTaskDefinition,
    FargateTaskDefinitionProps,
    ListenerRuleProps,
    LoadBalancedService,
    LoadBalancedServiceProps,
    LoadBalancer,
    LoadBalancerProps,
    OneOffTask,
    OneOffTaskProps,
    ScheduledTask,
    ScheduledTaskProps,
    Service,
    ServiceProps,
    ValidationError,
    WorkerService,
    WorkerServiceProps,
)
from stackkit._private.cdk import BACKEND, App, AwsProvider, TerraformStack
from stackkit._private.regions import partition_of
from stackkit._private.team_secrets import SecretReference, parse_reference
from stackkit.constructs.plain_values import plain_value_problems
from stackkit.patterns import EnvironmentConfig
from tests.synth_helpers import synth_stack

TerraformVariable = importlib.import_module(BACKEND.core).TerraformVariable

STRIPE = "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/stripe-AbCdEf"
MAIL = "arn:aws:ssm:us-east-1:123456789012:parameter/shop/mail-token"
KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-8444-555555555555"
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"
IMAGE = "public.ecr.aws/nginx/nginx:1.27"
#: The stack's region as Terraform reads it (the shared AWS context's data source).
REGION = "${data.aws_region.stackkit-aws-context_region_8A9E28D1.region}"
CONFIG: dict[str, Any] = {
    "environment": "dev",
    "allowed_account_ids": ["123456789012"],
    "state_bucket": "tfstate-bucket",
    "state_kms_key_id": "arn:aws:kms:us-east-1:123456789012:alias/tfstate",
    "certificate_arn": CERT,
}


def _refused(call: Any, field: str, message: str) -> ValidationError:
    """``call`` raises a ValidationError naming ``field`` whose message contains ``message``."""
    with pytest.raises(ValidationError) as caught:
        call()
    assert field in caught.value.fields, caught.value
    assert message in str(caught.value), str(caught.value)
    return caught.value


def _task_props(**changes: Any) -> FargateTaskDefinitionProps:
    return FargateTaskDefinitionProps(
        **{"name": "shop-job", "image": IMAGE, "container_port": None, **changes}
    )


def _network() -> ExistingNetwork:
    """An existing VPC: no resources, so only the workload under test is built."""
    return ExistingNetwork(
        vpc_id="vpc-0a1b2c3d",
        public_subnet_ids=("subnet-00000001", "subnet-00000002"),
        private_subnet_ids=("subnet-00000003", "subnet-00000004"),
        isolated_subnet_ids=("subnet-00000005", "subnet-00000006"),
    )


def _container(stack: dict[str, Any], family: str) -> dict[str, Any]:
    """The one container definition of the task definition of ``family``."""
    definition = stack["resource"]["aws_ecs_task_definition"][f"{family.replace('-', '_')}_task_definition"]
    (container,) = json.loads(definition["container_definitions"])
    return dict(container)


def _statements(stack: dict[str, Any], family: str) -> list[dict[str, Any]]:
    """The statements of the execution role's policy of ``family``."""
    body = stack["resource"]["aws_iam_role_policy"][f"{family.replace('-', '_')}_execution_policy"]
    return list(json.loads(body["policy"])["Statement"])


# --- the JSON: valueFrom and exactly these grants ----------------------------------------------


def test_a_secret_and_a_parameter_become_value_from_and_exactly_their_grants(tmp_path: Path) -> None:
    def build(stack: TerraformStack) -> None:
        cluster = Cluster(stack, "cluster", ClusterProps(name="shop"))
        props = _task_props(
            secrets={
                "STRIPE_API_KEY": f"{STRIPE}:api_key::",
                "STRIPE_WEBHOOK_SECRET": f"{STRIPE}:webhook::",  # the same secret, another key
                "MAIL_TOKEN": MAIL,
            },
            secrets_kms_key_arns=(KEY,),
        )
        FargateTaskDefinition(stack, "task", props, cluster=cluster, kms_key_arn=KEY)

    stack = synth_stack(tmp_path, build)
    container = _container(stack, "shop-job")
    assert container["secrets"] == [
        {"name": "MAIL_TOKEN", "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/shop/mail-token"},
        {
            "name": "STRIPE_API_KEY",
            "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/stripe-AbCdEf:api_key::",
        },
        {
            "name": "STRIPE_WEBHOOK_SECRET",
            "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/stripe-AbCdEf:webhook::",
        },
    ]
    assert [v["name"] for v in container["environment"]] == ["NODE_ENV"]  # nothing plain added
    statements = _statements(stack, "shop-job")
    assert statements[1:] == [
        {
            "Sid": "ReadTeamSecrets",
            "Effect": "Allow",
            "Action": "secretsmanager:GetSecretValue",
            # The secret itself: the ECS suffix selects a JSON key inside it, it is no resource.
            "Resource": ["arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/stripe-AbCdEf"],
        },
        {
            "Sid": "ReadTeamParameters",
            "Effect": "Allow",
            "Action": "ssm:GetParameters",
            "Resource": ["arn:aws:ssm:us-east-1:123456789012:parameter/shop/mail-token"],
        },
        {
            "Sid": "DecryptTeamSecrets",
            "Effect": "Allow",
            "Action": "kms:Decrypt",
            "Resource": ["arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-8444-555555555555"],
            "Condition": {
                "StringEquals": {
                    "kms:ViaService": [
                        f"secretsmanager.{REGION}.amazonaws.com",
                        f"ssm.{REGION}.amazonaws.com",
                    ]
                }
            },
        },
    ]
    assert statements[0]["Sid"] == "WriteContainerLogs"
    # The application's own role gets nothing from this: the secrets are read at task start.
    assert "shop_job_task_secrets" not in stack["resource"]["aws_iam_role_policy"]


def test_a_service_passes_its_secrets_to_the_task_without_a_key_grant_for_aws_managed_keys(
    tmp_path: Path,
) -> None:
    def build(stack: TerraformStack) -> None:
        network = _network()
        cluster = Cluster(stack, "cluster", ClusterProps(name="shop"))
        props = ServiceProps(name="shop-api", certificate_arn=CERT, secrets={"STRIPE_API_KEY": STRIPE})
        Service(stack, "api", props, network=network, cluster=cluster)

    stack = synth_stack(tmp_path, build)
    container = _container(stack, "shop-api")
    assert container["secrets"] == [{"name": "STRIPE_API_KEY", "valueFrom": STRIPE}]
    statements = _statements(stack, "shop-api")
    assert [s for s in statements if "kms:Decrypt" in json.dumps(s["Action"])] == []
    assert [s for s in statements if s.get("Sid") == "ReadTeamSecrets"] == [
        {
            "Sid": "ReadTeamSecrets",
            "Effect": "Allow",
            "Action": "secretsmanager:GetSecretValue",
            "Resource": [STRIPE],
        }
    ]
    assert all(s["Resource"] != "*" for s in statements if s["Sid"] != "RegistryLogin")


def test_a_one_off_task_carries_its_secrets_too(tmp_path: Path) -> None:
    def build(stack: TerraformStack) -> None:
        network = _network()
        cluster = Cluster(stack, "cluster", ClusterProps(name="shop"))
        task = _task_props(name="shop-sync", secrets={"MAIL_TOKEN": MAIL})
        OneOffTask(
            stack, "sync", OneOffTaskProps(task=task, run_on_apply=False), network=network, cluster=cluster
        )

    stack = synth_stack(tmp_path, build)
    container = _container(stack, "shop-sync")
    assert container["secrets"] == [{"name": "MAIL_TOKEN", "valueFrom": MAIL}]
    statements = _statements(stack, "shop-sync")
    assert {
        "Sid": "ReadTeamParameters",
        "Effect": "Allow",
        "Action": "ssm:GetParameters",
        "Resource": [MAIL],
    } in statements


#: A parameter without a hierarchy ("shop-mail-token"): its ARN is parameter/<name>, one slash, as
#: for a hierarchical name ("/shop/mail-token" -> parameter/shop/mail-token), whose leading "/" the
#: ARN does not repeat.
FLAT_PARAMETER = "arn:aws:ssm:us-east-1:123456789012:parameter/shop-mail-token"


def test_every_pattern_on_a_task_carries_the_secrets_and_grants_exactly_them(tmp_path: Path) -> None:
    """LoadBalancedService, WorkerService and ScheduledTask take the task's ``secrets`` as they are:
    the container gets each ``valueFrom`` verbatim (a JSON key and version stage included), the
    execution role the secret's own ARN (without ECS's suffix) and both parameters' ARNs."""
    secrets = {
        "STRIPE_API_KEY": f"{STRIPE}:api_key:AWSCURRENT:",
        "MAIL_TOKEN": MAIL,
        "MAIL_FROM": FLAT_PARAMETER,
    }

    def build(stack: TerraformStack) -> None:
        network = _network()
        cluster = Cluster(stack, "cluster", ClusterProps(name="shop"))
        alb = LoadBalancer(
            stack, "alb", LoadBalancerProps(name="shop", certificate_arn=CERT), network=network
        )
        web = _task_props(name="shop-web", container_port=3000, secrets=secrets, secrets_kms_key_arns=(KEY,))
        rule = ListenerRuleProps(priority=10, paths=("/shop/*",))
        LoadBalancedService(
            stack,
            "web",
            LoadBalancedServiceProps(task=web, rule=rule),
            load_balancer=alb,
            network=network,
            cluster=cluster,
        )
        worker = WorkerServiceProps(task=_task_props(name="shop-worker", secrets=secrets))
        WorkerService(stack, "worker", worker, network=network, cluster=cluster)
        nightly = ScheduledTaskProps(
            task=_task_props(name="shop-nightly", secrets=secrets), schedule="cron(0 3 * * ? *)"
        )
        ScheduledTask(stack, "nightly", nightly, network=network, cluster=cluster)

    stack = synth_stack(tmp_path, build)
    read = [
        {
            "Sid": "ReadTeamSecrets",
            "Effect": "Allow",
            "Action": "secretsmanager:GetSecretValue",
            "Resource": ["arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/stripe-AbCdEf"],
        },
        {
            "Sid": "ReadTeamParameters",
            "Effect": "Allow",
            "Action": "ssm:GetParameters",
            "Resource": [
                "arn:aws:ssm:us-east-1:123456789012:parameter/shop-mail-token",
                "arn:aws:ssm:us-east-1:123456789012:parameter/shop/mail-token",
            ],
        },
    ]
    for family in ("shop-web", "shop-worker", "shop-nightly"):
        assert _container(stack, family)["secrets"] == [
            {
                "name": "MAIL_FROM",
                "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/shop-mail-token",
            },
            {
                "name": "MAIL_TOKEN",
                "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/shop/mail-token",
            },
            {
                "name": "STRIPE_API_KEY",
                "valueFrom": (
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/stripe-AbCdEf:api_key:AWSCURRENT:"
                ),
            },
        ], family
        statements = _statements(stack, family)
        assert statements[0]["Sid"] == "WriteContainerLogs"
        assert statements[1:3] == read, family
    # Only the web task names a key: the worker and the nightly task decrypt nothing of the team's.
    (decrypt,) = [s for s in _statements(stack, "shop-web") if s["Sid"] == "DecryptTeamSecrets"]
    assert decrypt["Resource"] == [KEY]
    for family in ("shop-worker", "shop-nightly"):
        assert [s for s in _statements(stack, family) if "kms:Decrypt" in json.dumps(s["Action"])] == []


def test_the_environment_config_hands_its_service_secrets_to_the_service() -> None:
    service = {"secrets": {"STRIPE_API_KEY": STRIPE}, "secrets_kms_key_arns": (KEY,)}
    props = EnvironmentConfig(**CONFIG, service=service).service_props()
    assert props.secrets == {"STRIPE_API_KEY": STRIPE}
    assert props.secrets_kms_key_arns == (KEY,)
    assert EnvironmentConfig(**CONFIG).service_props().secrets == {}


def test_an_environment_stack_gives_its_service_the_secrets_and_only_it_the_grant(tmp_path: Path) -> None:
    from stackkit import EnvironmentStack

    service = {"secrets": {"STRIPE_API_KEY": f"{STRIPE}:api_key::", "MAIL_TOKEN": MAIL}}
    app = App(outdir=str(tmp_path))
    EnvironmentStack(app, EnvironmentConfig(**CONFIG, service=service))
    app.synth()
    stack = json.loads((tmp_path / "stacks" / "dev" / "cdk.tf.json").read_text())
    assert _container(stack, "stackkit-api")["secrets"] == [
        {"name": "DATABASE_URL", "valueFrom": "${aws_secretsmanager_secret.stackkit_api_database_url.arn}"},
        {"name": "MAIL_TOKEN", "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/shop/mail-token"},
        {"name": "REDIS_URL", "valueFrom": "${aws_secretsmanager_secret.stackkit_api_redis_url.arn}"},
        {
            "name": "STRIPE_API_KEY",
            "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/stripe-AbCdEf:api_key::",
        },
    ]
    granted = {
        name: [
            (s["Sid"], s["Resource"]) for s in json.loads(body["policy"])["Statement"] if "Team" in s["Sid"]
        ]
        for name, body in stack["resource"]["aws_iam_role_policy"].items()
        if name.endswith("_execution_policy")
    }
    assert {name: grants for name, grants in granted.items() if grants} == {
        "stackkit_api_execution_policy": [
            ("ReadTeamSecrets", ["arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/stripe-AbCdEf"]),
            ("ReadTeamParameters", ["arn:aws:ssm:us-east-1:123456789012:parameter/shop/mail-token"]),
        ]
    }  # the database bootstrap task reads none of them


# --- references: what is parsed, what is granted -----------------------------------------------


def test_references_name_their_store_and_the_resource_to_grant() -> None:
    suffixed = parse_reference(f"{STRIPE}::AWSPREVIOUS:")
    assert suffixed == SecretReference("secretsmanager", STRIPE, "aws", "us-east-1")
    version = "9d4cb84b-ad69-40c0-a0ab-cead3EXAMPLE"
    assert parse_reference(f"{STRIPE}:::{version}") == SecretReference(
        "secretsmanager", STRIPE, "aws", "us-east-1"
    )
    assert parse_reference(f"{STRIPE}:::") == SecretReference("secretsmanager", STRIPE, "aws", "us-east-1")
    assert parse_reference(MAIL) == SecretReference("ssm", MAIL, "aws", "us-east-1")
    china = "arn:aws-cn:ssm:cn-north-1:123456789012:parameter/shop"
    assert parse_reference(china) == SecretReference("ssm", china, "aws-cn", "cn-north-1")
    assert [partition_of(r) for r in ("us-east-1", "cn-north-1", "us-gov-west-1", "xx-nowhere-9")] == [
        "aws",
        "aws-cn",
        "aws-us-gov",
        None,
    ]


# --- every mistake, refused before synthesis with its message ----------------------------------

BAD_REFERENCES = [
    pytest.param(
        "sk_live_not_an_arn",
        "STRIPE_API_KEY: 'sk_live_not_an_arn' is not the ARN of a Secrets Manager secret or an SSM "
        "parameter; use the full ARN",
        id="not-an-arn",
    ),
    pytest.param(
        "arn:aws:s3:::shop-config/stripe.txt",
        "is not the ARN of a Secrets Manager secret or an SSM parameter",
        id="s3-arn-without-region",
    ),
    pytest.param(
        "arn:aws:sqs:us-east-1:123456789012:shop-jobs",
        "is an ARN of sqs; ECS injects only a Secrets Manager secret",
        id="another-service",
    ),
    pytest.param(
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/stripe",
        "is not a complete secret ARN: it ends with the secret's name, a hyphen and the 6 random "
        "characters Secrets Manager adds (e.g. 'arn:aws:secretsmanager:us-east-1:123456789012:secret:"
        "payments/stripe-AbCdEf'); get it with `aws secretsmanager describe-secret --secret-id shop/stripe "
        "--query ARN`",
        id="partial-secret-arn",
    ),
    pytest.param(
        f"{STRIPE}:api_key",
        "after the secret's ARN ECS takes exactly ':<json-key>:<version-stage>:<version-id>' (leave a part "
        "empty but keep its colon, e.g. ':api_key::'",
        id="json-key-without-its-colons",
    ),
    pytest.param(
        f"{STRIPE}:a:b:c:d", "ECS takes exactly ':<json-key>:<version-stage>:<version-id>'", id="four-parts"
    ),
    pytest.param(
        f"{STRIPE}:api_key:AWSCURRENT:9d4cb84b-ad69-40c0-a0ab-cead3EXAMPLE",
        "give a version stage or a version id, not both",
        id="stage-and-id",
    ),
    pytest.param(
        f"{STRIPE}:::v1", "the version id 'v1' is not a version id (32-64 letters, digits and -)", id="bad-id"
    ),
    pytest.param(
        "arn:aws:secretsmanager:us-east-1:123456789012:rotation:x",
        "is not a secret ARN: expected arn:<partition>:secretsmanager:<region>:<account>:secret:<name>",
        id="not-a-secret-resource",
    ),
    pytest.param(
        "arn:aws:ssm:us-east-1:123456789012:parameter//shop/mail-token",
        "is not a parameter ARN: expected arn:<partition>:ssm:<region>:<account>:parameter/<name> (the name "
        "without its leading '/'",
        id="parameter-with-leading-slash",
    ),
    pytest.param(
        "/shop/mail-token",
        "STRIPE_API_KEY: '/shop/mail-token' is a parameter's name: give its ARN, "
        "arn:<partition>:ssm:<region>:<account>:parameter/shop/mail-token (the name's leading '/' is "
        "the one after 'parameter'), so that the execution role is granted exactly it",
        id="parameter-name-instead-of-arn",
    ),
    pytest.param(
        "arn:aws:ssm:us-east-1:123456789012:document/shop",
        "is not a parameter ARN",
        id="ssm-document",
    ),
    pytest.param(
        "arn:aws:ssm:us-east-1:123456789012:parameter/aws/reference/secretsmanager/shop/stripe",
        "refers to a Secrets Manager secret through Parameter Store: pass the secret's own ARN",
        id="parameter-referencing-a-secret",
    ),
    pytest.param(
        "${TfToken[TOKEN.12]}",
        "is a Terraform reference, not an ARN: stackkit grants exactly the secret it is given",
        id="token",
    ),
    pytest.param(
        "arn:aws:secretsmanager:us-east-1:1234:secret:shop/stripe-AbCdEf",
        "is not the ARN of a Secrets Manager secret or an SSM parameter",
        id="short-account",
    ),
]


@pytest.mark.parametrize(("reference", "message"), BAD_REFERENCES)
def test_a_malformed_reference_is_refused_naming_the_variable(reference: str, message: str) -> None:
    _refused(lambda: _task_props(secrets={"STRIPE_API_KEY": reference}), "secrets", message)
    _refused(
        lambda: ServiceProps(name="shop-api", certificate_arn=CERT, secrets={"STRIPE_API_KEY": reference}),
        "secrets",
        message,
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "1PASSWORD",
            "'1PASSWORD' is not a valid environment variable name: letters, digits and _, not starting "
            "with a digit",
        ),
        ("STRIPE-KEY", "'STRIPE-KEY' is not a valid environment variable name"),
        ("", "'' is not a valid environment variable name"),
        (
            "DATABASE_URL",
            "DATABASE_URL is stackkit's own secret (set from the database or cache the service is "
            "connected to); give yours another name",
        ),
        ("REDIS_URL", "REDIS_URL is stackkit's own secret"),
        ("PGPASSWORD", "PGPASSWORD is stackkit's own secret"),
    ],
)
def test_a_bad_or_reserved_name_is_refused(name: str, message: str) -> None:
    _refused(lambda: _task_props(secrets={name: STRIPE}), "secrets", message)


def test_a_name_in_both_environment_and_secrets_is_refused() -> None:
    message = (
        "STRIPE_API_KEY is also in environment; a variable is either plain or a secret: "
        "remove it from one of them"
    )
    both = {"environment": {"STRIPE_API_KEY": "see-secrets"}, "secrets": {"STRIPE_API_KEY": STRIPE}}
    _refused(lambda: _task_props(**both), "secrets", message)
    _refused(lambda: ServiceProps(name="shop-api", certificate_arn=CERT, **both), "secrets", message)
    # NODE_ENV=production is the default environment: the message says where it comes from.
    error = _refused(
        lambda: _task_props(secrets={"NODE_ENV": STRIPE}), "secrets", "NODE_ENV is also in environment"
    )
    assert str(error).endswith("remove it from one of them (NODE_ENV=production is the default environment)")
    # An environment's service has no environment of its own to take it out of: rename the secret.
    _refused(
        lambda: EnvironmentConfig(**CONFIG, service={"secrets": {"NODE_ENV": STRIPE}}),
        "service.secrets",
        "service.secrets: NODE_ENV is the service's plain environment (NODE_ENV=production); give the "
        "secret another name",
    )
    assert _task_props(environment={}, secrets={"NODE_ENV": STRIPE}).secrets == {"NODE_ENV": STRIPE}


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        (
            ("arn:aws:kms:us-east-1:123456789012:alias/shop-secrets",),
            "'arn:aws:kms:us-east-1:123456789012:alias/shop-secrets' is an alias: an alias in a policy's "
            "Resource does not match its key; give the key's ARN (aws kms describe-key --key-id <alias> "
            "--query KeyMetadata.Arn)",
        ),
        (
            ("11111111-2222-4333-8444-555555555555",),
            "'11111111-2222-4333-8444-555555555555' is not a KMS key ARN",
        ),
        ((STRIPE,), "is not a KMS key ARN such as 'arn:aws:kms:us-east-1:123456789012:key/"),
        ((KEY, KEY), "has duplicates"),
    ],
)
def test_a_bad_key_is_refused(keys: tuple[str, ...], message: str) -> None:
    _refused(
        lambda: _task_props(secrets={"STRIPE_API_KEY": STRIPE}, secrets_kms_key_arns=keys),
        "secrets_kms_key_arns",
        message,
    )


def test_keys_without_secrets_are_refused() -> None:
    _refused(
        lambda: _task_props(secrets_kms_key_arns=(KEY,)),
        "secrets_kms_key_arns",
        "secrets_kms_key_arns: there are no secrets to decrypt",
    )
    multi_region = "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab"
    assert _task_props(secrets={"X": STRIPE}, secrets_kms_key_arns=(multi_region,)).secrets_kms_key_arns


# --- another region or partition than the stack's ---------------------------------------------

WEST_STRIPE = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/stripe-AbCdEf"


def test_the_environment_refuses_secrets_and_keys_of_another_region_or_partition() -> None:
    def config(**service: Any) -> EnvironmentConfig:
        return EnvironmentConfig(**CONFIG, service=service)

    _refused(
        lambda: config(secrets={"STRIPE_API_KEY": f"{WEST_STRIPE}:api_key::"}),
        "service.secrets",
        f"STRIPE_API_KEY '{WEST_STRIPE}:api_key::' is in eu-west-1, but this stack builds in us-east-1; "
        "use one in us-east-1 (a Secrets Manager replica secret, or a parameter created there)",
    )
    china = "arn:aws-cn:ssm:us-east-1:123456789012:parameter/shop/mail-token"
    _refused(
        lambda: config(secrets={"MAIL_TOKEN": china}),
        "service.secrets",
        f"MAIL_TOKEN '{china}' is in partition aws-cn, but us-east-1 is in aws: use an ARN of aws",
    )
    west_key = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-4333-8444-555555555555"
    _refused(
        lambda: config(secrets={"STRIPE_API_KEY": STRIPE}, secrets_kms_key_arns=(west_key,)),
        "service.secrets_kms_key_arns",
        f"the key '{west_key}' is in eu-west-1, but this stack builds in us-east-1",
    )
    # A malformed one is named in the environment's terms too.
    _refused(lambda: config(secrets={"X": "nope"}), "service.secrets", "X: 'nope' is not the ARN")
    # In the secret's own region, the same secret is accepted.
    west = {
        **CONFIG,
        "region": "eu-west-1",
        "certificate_arn": CERT.replace("us-east-1", "eu-west-1"),
        "state_kms_key_id": CONFIG["state_kms_key_id"].replace("us-east-1", "eu-west-1"),
    }
    assert EnvironmentConfig(**west, service={"secrets": {"STRIPE_API_KEY": WEST_STRIPE}}).service.secrets


def _stack(region: Any) -> TerraformStack:
    stack = TerraformStack(App(outdir="/tmp/stackkit-unused"), "s")
    AwsProvider(stack, "aws", region=region(stack) if callable(region) else region)
    return stack


def test_constructs_refuse_secrets_of_another_region_before_any_resource() -> None:
    stack = _stack("us-east-1")
    cluster = Cluster(stack, "cluster", ClusterProps(name="shop"))
    error = _refused(
        lambda: FargateTaskDefinition(
            stack,
            "task",
            _task_props(secrets={"STRIPE_API_KEY": WEST_STRIPE}),
            cluster=cluster,
            kms_key_arn=KEY,
        ),
        "secrets",
        f"STRIPE_API_KEY '{WEST_STRIPE}' is in eu-west-1, but this stack builds in us-east-1",
    )
    assert error.model == "FargateTaskDefinitionProps"
    assert stack.node.try_find_child("task") is None
    network = _network()
    props = ServiceProps(name="shop-api", certificate_arn=CERT, secrets={"STRIPE_API_KEY": WEST_STRIPE})
    error = _refused(
        lambda: Service(stack, "api", props, network=network, cluster=cluster), "secrets", "eu-west-1"
    )
    assert error.model == "ServiceProps"
    assert stack.node.try_find_child("api") is None


@pytest.mark.parametrize("pattern", ["worker", "scheduled", "one-off", "load-balanced"])
def test_every_pattern_refuses_a_secret_of_another_region_naming_its_task_field(pattern: str) -> None:
    """Before any resource of the pattern exists (no key, no target on the load balancer), in the
    pattern's own terms: ``task.secrets`` of ``WorkerServiceProps`` and so on."""
    stack = _stack("us-east-1")
    network = _network()
    cluster = Cluster(stack, "cluster", ClusterProps(name="shop"))
    alb = LoadBalancer(stack, "alb", LoadBalancerProps(name="shop", certificate_arn=CERT), network=network)
    secrets = {"STRIPE_API_KEY": WEST_STRIPE}
    job = _task_props(name="shop-job", secrets=secrets)
    builds: dict[str, tuple[str, Any]] = {
        "worker": (
            "WorkerServiceProps",
            lambda: WorkerService(stack, "p", WorkerServiceProps(task=job), network=network, cluster=cluster),
        ),
        "scheduled": (
            "ScheduledTaskProps",
            lambda: ScheduledTask(
                stack,
                "p",
                ScheduledTaskProps(task=job, schedule="rate(1 hour)"),
                network=network,
                cluster=cluster,
            ),
        ),
        "one-off": (
            "OneOffTaskProps",
            lambda: OneOffTask(stack, "p", OneOffTaskProps(task=job), network=network, cluster=cluster),
        ),
        "load-balanced": (
            "LoadBalancedServiceProps",
            lambda: LoadBalancedService(
                stack,
                "p",
                LoadBalancedServiceProps(
                    task=_task_props(name="shop-web", container_port=3000, secrets=secrets),
                    rule=ListenerRuleProps(priority=10, paths=("/shop/*",)),
                ),
                load_balancer=alb,
                network=network,
                cluster=cluster,
            ),
        ),
    }
    model, build = builds[pattern]
    constructs_before = len(stack.node.find_all())
    error = _refused(
        build,
        "task.secrets",
        f"STRIPE_API_KEY '{WEST_STRIPE}' is in eu-west-1, but this stack builds in us-east-1; use one in "
        "us-east-1 (a Secrets Manager replica secret, or a parameter created there)",
    )
    assert error.model == model
    assert error.fields == ["task.secrets"]
    assert stack.node.try_find_child("p") is None
    assert len(stack.node.find_all()) == constructs_before  # nothing added anywhere, the ALB included


def test_with_a_token_region_the_region_check_is_skipped() -> None:
    stack = _stack(lambda s: TerraformVariable(s, "region", type="string").string_value)
    cluster = Cluster(stack, "cluster", ClusterProps(name="shop"))
    task = FargateTaskDefinition(
        stack, "task", _task_props(secrets={"STRIPE_API_KEY": WEST_STRIPE}), cluster=cluster, kms_key_arn=KEY
    )
    assert task.props.secrets == {"STRIPE_API_KEY": WEST_STRIPE}


# --- the detector's advice names the prop ------------------------------------------------------


def test_the_plain_secret_advice_names_the_secrets_prop() -> None:
    stripe_key = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
    (problem,) = plain_value_problems({"STRIPE": stripe_key})
    assert problem == (
        "STRIPE: the value looks like a Stripe Access Key; store it in Secrets Manager or SSM and pass "
        "its ARN in secrets={'STRIPE': '<ARN>'} (ServiceProps.secrets / FargateTaskDefinitionProps.secrets), "
        "or if it is not one, mark it: allow_plain_values={'STRIPE': '<reason>'}"
    )
    _refused(
        lambda: ServiceProps(name="shop-api", certificate_arn=CERT, environment={"STRIPE": stripe_key}),
        "environment",
        "pass its ARN in secrets={'STRIPE': '<ARN>'} (ServiceProps.secrets",
    )
    (by_name,) = plain_value_problems({"MAIL_PASSWORD": "hunter2"})
    assert by_name.startswith("MAIL_PASSWORD: the name says it holds a secret; store it in Secrets Manager")


@pytest.mark.parametrize(
    ("environment", "field", "message"),
    [
        (
            {"DATABASE_URL": "postgres://app:hunter2-hunter2@db.internal/orders"},
            "environment",
            "DATABASE_URL is injected as an ECS secret; do not set it as plain environment",
        ),
        (
            {"STRIPE-KEY": "postgres://app:hunter2-hunter2@db.internal/orders"},
            "environment",
            "'STRIPE-KEY' is not a valid environment variable name",
        ),
    ],
)
def test_a_refused_environment_never_repeats_its_values(
    environment: dict[str, str], field: str, message: str
) -> None:
    """The message goes to a terminal and CI logs: it names the variable, never its value (a
    plain DATABASE_URL is a password in the clear). Other fields still say what was given."""
    for build, where in (
        (lambda: _task_props(environment=environment), field),
        (
            lambda: WorkerServiceProps(
                task={"name": "shop-job", "container_port": None, "environment": environment}
            ),
            f"task.{field}",
        ),
    ):
        error = _refused(build, where, message)
        assert str(error).endswith(message), str(error)
        assert "hunter2" not in str(error)
    _refused(lambda: _task_props(user="root"), "user", "(got 'root')")
