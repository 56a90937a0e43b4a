#!/usr/bin/env bash
# Plan one environment with one service image, as both deploy jobs do (deploy-environment.yml):
#
#   bash scripts/plan_environment.sh <environment> <image tag>
#
# Synthesizes the app with STACKKIT_<ENV>_SERVICE_IMAGE (stacks/environments.py), runs
# `terraform plan -out=tfplan` in cdktf.out/stacks/<environment> and writes the digest of what the
# plan changes to plan-digest.txt beside it (scripts/plan_digest.py; the plan's JSON, which may
# hold secret values, only goes through a pipe). Needs the repository's .venv, Terraform and AWS
# credentials.
set -euo pipefail

stack="$1"
image_tag="$2"
root="$(pwd)"
variable="STACKKIT_$(echo "$stack" | tr '[:lower:]-' '[:upper:]_')_SERVICE_IMAGE"
export "$variable=$image_tag"
.venv/bin/python main.py
cd "cdktf.out/stacks/$stack"
terraform init -input=false
terraform plan -input=false -no-color -out=tfplan
terraform show -json tfplan | "$root/.venv/bin/python" "$root/scripts/plan_digest.py" > plan-digest.txt
