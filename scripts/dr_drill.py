"""Disaster-recovery drill: a throwaway stack restored from a recovery point in the DR region.

    .venv/bin/python scripts/dr_drill.py --recovery-point ARN [--env prod] [--outdir cdktf.out.drill]

Builds the stack ``<env>-dr-drill`` in the environment's DR region: a network and a Database
restored from ``ARN`` (the latest RDS recovery point of the DR vault; the runbook in
docs/disaster-recovery.md has the command that finds it), with every protection of production
except the two that would stop the teardown: deletion protection and ``prevent_destroy`` are
off in this stack only (it is destroyed at the end of the drill; its final snapshot is still
taken). Prints the commands of the remaining steps. Nothing here talks to AWS; ``cdktf deploy``
/ ``destroy`` do.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

# The environments are this repository's app (top-level ``stacks/``), beside ``scripts/``.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stackkit import Database, DatabaseProps, DatabaseRestore, Network, NetworkProps
from stackkit._private.cdk import App, AwsProvider, AwsProviderDefaultTags, TerraformStack
from stackkit._private.regions import AVAILABILITY_ZONES
from stacks.environments import load_environment

#: The drill's VPC: apart from the environments' 10.0.0.0/16, so it could be peered to inspect.
DRILL_CIDR = "10.250.0.0/16"


def build(app: App, env: str, recovery_point: str) -> TerraformStack:
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
    Database(
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
    return stack


def _unprotect(stack_file: Path) -> int:
    """Drop ``prevent_destroy`` from the drill stack only, so ``cdktf destroy`` can tear it down."""
    stack: dict[str, Any] = json.loads(stack_file.read_text())
    dropped = 0
    for by_name in (stack.get("resource") or {}).values():
        for body in by_name.values():
            if body.get("lifecycle", {}).pop("prevent_destroy", None) is not None:
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
    args = parser.parse_args(argv)
    app = App(outdir=args.outdir)
    stack = build(app, args.env, args.recovery_point)
    app.synth()
    stack_dir = Path(args.outdir) / "stacks" / stack.node.id
    dropped = _unprotect(stack_dir / "cdk.tf.json")
    print(f"synthesized {stack_dir} ({dropped} prevent_destroy removed: throwaway stack)")
    print(f"next: cd {stack_dir} && terraform init && terraform apply   # time it: the RTO's restore step")
    print("then: the check step of the runbook (docs/disaster-recovery.md), then: terraform destroy")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
