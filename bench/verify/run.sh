#!/bin/sh
# Verify of the generated 500-step catalogue with a checkpoint every 50 steps (its version tags), against one
# cold apply of the same catalogue (the fresh-install scenario of `--checkpoints none`, a single run on an
# empty database). Needs jq and PostgreSQL's server binaries. Usage: bench/verify/run.sh [path/to/robot]
set -eu
robot="${1:-.build/release/robot}"
steps="${TMPDIR:-/tmp}/robot-verify-bench-steps"
sh "$(dirname "$0")/generate.sh" "$steps" >/dev/null
"$robot" verify --steps "$steps" --checkpoints none --json --log-level error > "$steps.cold.json"
"$robot" verify --steps "$steps" --json --log-level error > "$steps.full.json"
cold=$(jq '.scenarios[] | select(.kind == "fresh-install") | .durationSeconds' "$steps.cold.json")
total=$(jq '.durationSeconds' "$steps.full.json")
echo "cold apply of 500 steps: ${cold}s"
jq -r '.scenarios[] | "\(.title): \(.durationSeconds)s"' "$steps.full.json"
echo "verify total (cluster start included): ${total}s"
echo "ratio: $(echo "$total / $cold" | bc -l | cut -c1-5)× a cold apply"
rm -rf "$steps" "$steps.cold.json" "$steps.full.json"
