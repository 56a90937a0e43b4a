"""Disaster-recovery drill: a throwaway stack restored from a recovery point in the DR region.

    .venv/bin/python scripts/dr_drill.py --recovery-point ARN [--env prod] [--outdir cdktf.out.drill]

    .venv/bin/python scripts/dr_drill.py --recovery-point ARN --check-sql 'SELECT 1/count(*) FROM orders'

Builds the stack ``<env>-dr-drill`` in the environment's DR region: a network, a Database
restored from ``ARN`` (the latest RDS recovery point of the DR vault; the runbook in
docs/disaster-recovery.md has the command that finds it), with every protection of production
except the two that would stop the teardown: deletion protection and ``prevent_destroy`` are off
in this stack only (it is destroyed at the end of the drill; its final snapshot is still taken),
and the check: an ECS cluster and a :class:`~stackkit.OneOffTask` that logs in as the restored
master user (the RDS-managed master secret, the bootstrap's path) over ``sslmode=verify-full``
and runs :data:`CHECK_SQL` plus ``--check-sql``. The task runs during the apply, which fails
unless psql exits 0: applying the stack *is* restore + check. Prints the commands of the three
steps (apply, the task's log, destroy). Nothing here talks to AWS; ``terraform apply`` /
``destroy`` do.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

# The environments are this repository's app (top-level ``stacks/``), beside ``scripts/``.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stackkit import (
    Cluster,
    ClusterProps,
    Database,
    DatabaseProps,
    DatabaseRestore,
    FargateTaskDefinitionProps,
    Network,
    NetworkProps,
    OneOffTask,
    OneOffTaskProps,
    skip_check,
)
from stackkit._private.cdk import App, AwsProvider, AwsProviderDefaultTags, TerraformStack
from stackkit._private.regions import AVAILABILITY_ZONES
from stackkit.constructs.one_off_task import bootstrap_script
from stacks.environments import load_environment

#: Under each resource's ``//`` key: this stack removed its ``prevent_destroy`` (a reviewer, and
#: the drill's test, can tell the deliberate exception of CKV_STACKKIT_2 from a forgotten one).
UNPROTECTED_KEY = "stackkit_drill_unprotected"

#: The drill's VPC: apart from the environments' 10.0.0.0/16, so it could be peered to inspect.
DRILL_CIDR = "10.250.0.0/16"

#: Always run: the restored catalog answers (a query that needs the database up, the master
#: login and TLS). An application query (``--check-sql``) proves the data: make it fail when the
#: data is wrong, e.g. ``SELECT 1/count(*) FROM orders`` (division by zero on an empty table).
CHECK_SQL = "SELECT count(*) AS tables FROM pg_catalog.pg_tables;"


def check_sql(application_sql: str | None) -> str:
    """The check's SQL: :data:`CHECK_SQL`, then ``application_sql`` (``;``-terminated)."""
    sql = CHECK_SQL + "\n"
    if application_sql:
        application_sql = application_sql.strip()
        # The script feeds the SQL through a here-document ending at a line "SQL".
        if "SQL" in (line.strip() for line in application_sql.splitlines()):
            raise SystemExit("--check-sql: a line that is just SQL would end the here-document")
        sql += application_sql.rstrip(";") + ";\n"
    return sql


def build(app: App, env: str, recovery_point: str, application_sql: str | None = None) -> TerraformStack:
    config = load_environment(env)
    region = config.resolved_dr_region
    if region is None:
        raise SystemExit(f"{env} has no DR region (backup.dr_region): nothing to drill against")
    stack = TerraformStack(app, f"{env}-dr-drill")
    tags = {**config.default_tags, "Environment": env, "Purpose": "dr-drill"}
    AwsProvider(
        stack,
        "aws",
        region=region,
        allowed_account_ids=list(config.allowed_account_ids),
        default_tags=[AwsProviderDefaultTags(tags=tags)],
    )
    network = Network(
        stack,
        "network",
        NetworkProps(
            name=f"{config.project}-drill", availability_zones=AVAILABILITY_ZONES[region][:2], cidr=DRILL_CIDR
        ),
    )
    database = Database(
        stack,
        "database",
        DatabaseProps(
            name=f"{config.project}-drill",
            network=network,
            restore_from=DatabaseRestore.from_snapshot(recovery_point),
            deletion_protection=False,  # throwaway: torn down at the end of the drill
            multi_az=False,  # one instance is enough to prove the data restores
            **{
                key: value
                for key, value in config.database.model_dump().items()
                if key
                in ("engine_version", "instance_class", "allocated_storage_gb", "max_allocated_storage_gb")
            },
        ),
    )
    # Reviewed skips: the two protections the drill turns off on purpose (stackkit's own
    # CKV_STACKKIT_3 / _4 still fail on it, and CKV_STACKKIT_2 on every resource _unprotect
    # marks: tests/app/test_disaster_recovery.py asserts that these are the only failures).
    skip_check(
        database.instance, "CKV_AWS_293", "throwaway DR drill instance: destroyed at the end of the drill"
    )
    skip_check(database.instance, "CKV_AWS_157", "DR drill: one instance proves the data restores")
    cluster = Cluster(stack, "cluster", ClusterProps(name=f"{config.project}-drill"))
    # The bootstrap's path (DatabaseBootstrap): database_user="master" gives PGPASSWORD from the
    # RDS-managed master secret and DATABASE_URL with sslmode=verify-full; bootstrap_script
    # fetches the RDS CA bundle and runs psql with ON_ERROR_STOP=1: psql returns 3 "if an error
    # occurred in a script and the variable ON_ERROR_STOP was set" (PostgreSQL docs, psql, Exit
    # Status, https://www.postgresql.org/docs/current/app-psql.html), so the run step fails.
    # The restored instance keeps the source's master user (see Database._data_source), the
    # default username of both the environments and this stack. Its password: the AWS provider
    # turns manage_master_user_password on right after a snapshot restore (a post-creation
    # modification, hashicorp/terraform-provider-aws#33699, fixing #31509), so RDS creates the
    # restored instance's own master secret and sets a new password before the check runs.
    OneOffTask(
        stack,
        "check",
        OneOffTaskProps(
            task=FargateTaskDefinitionProps(
                name=f"{config.project}-drill-check",
                image=f"public.ecr.aws/docker/library/postgres:{database.major_version}-alpine",
                container_port=None,
                command=("sh", "-c", bootstrap_script(check_sql(application_sql))),
                environment={},
                cpu=256,
                memory=512,
                database_user="master",
            )
        ),
        network=network,
        cluster=cluster,
        database=database,
    )
    return stack


def _unprotect(stack_file: Path) -> int:
    """Drop ``prevent_destroy`` from the drill stack only, so ``cdktf destroy`` can tear it down."""
    stack: dict[str, Any] = json.loads(stack_file.read_text())
    dropped = 0
    for by_name in (stack.get("resource") or {}).values():
        for body in by_name.values():
            if body.get("lifecycle", {}).pop("prevent_destroy", None) is not None:
                body.setdefault("//", {})[UNPROTECTED_KEY] = (
                    "prevent_destroy removed: throwaway DR drill stack"
                )
                dropped += 1
            if body.get("lifecycle") == {}:
                del body["lifecycle"]
    stack_file.write_text(json.dumps(stack, indent=2))
    return dropped


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recovery-point", required=True, help="RDS recovery point ARN in the DR vault")
    parser.add_argument("--env", default="prod")
    parser.add_argument("--outdir", default="cdktf.out.drill")
    parser.add_argument(
        "--check-sql", help="an application query run after the catalog check; make it fail on bad data"
    )
    args = parser.parse_args(argv)
    check_sql(args.check_sql)  # refused before anything is built
    app = App(outdir=args.outdir)
    stack = build(app, args.env, args.recovery_point, args.check_sql)
    app.synth()
    stack_dir = Path(args.outdir) / "stacks" / stack.node.id
    dropped = _unprotect(stack_dir / "cdk.tf.json")
    print(f"synthesized {stack_dir} ({dropped} prevent_destroy removed: throwaway stack)")
    region = load_environment(args.env).resolved_dr_region
    log_group = f"/ecs/{load_environment(args.env).project}-drill-check"
    for line in (
        f"1. restore + check (time it: the RTO's restore step; fails unless the check query succeeds):\n"
        f"   cd {stack_dir} && terraform init && terraform apply",
        # aws logs tail GROUP --since 3h: a relative time (AWS CLI reference, aws logs tail,
        # https://docs.aws.amazon.com/cli/latest/reference/logs/tail.html).
        f"2. the check task's output: aws logs tail {log_group} --region {region} --since 3h",
        f"3. tear down: cd {stack_dir} && terraform destroy   # then delete the drill's final snapshot",
    ):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
