#!/usr/bin/env bash
# Mutation testing (issue 26): mutmut changes one thing at a time in the gate's core and in the
# planners and checkers (the modules under [tool.mutmut] only_mutate in pyproject.toml), runs the
# fast direct tests that cover the changed function, and scripts/mutation_score.py prints the
# score per module and fails below 90% (survivors explained in mutation-equivalents.toml do not
# count against a module). Usage:
#
#     bash scripts/mutation.sh                 # everything, from scratch
#     bash scripts/mutation.sh "stackkit._private.aws_cron*"   # one module's mutants
#
# MUTATION_JOBS sets the parallel test processes (default: the CPU count).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf mutants
start=$(date +%s)
# mutmut's progress spinner goes to the log; the summary below is what to read.
.venv/bin/mutmut run --max-children "${MUTATION_JOBS:-$(nproc)}" "$@" > mutants.log 2>&1 || {
    tail -n 40 mutants.log
    exit 1
}
elapsed=$(($(date +%s) - start))
echo "mutmut run: ${elapsed} s (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
.venv/bin/python scripts/mutation_score.py
