#!/usr/bin/env bash
# Lint benchmark: 5,000 generated steps, robot lint (release build) against squawk on the same files.
# Usage: bench/lint/run.sh [STEPS]      (needs python3; installs squawk-cli into bench/.venv)
set -euo pipefail
cd "$(dirname "$0")/../.."
steps="${1:-5000}"
directory="bench/results/lint-steps"

[ -x bench/.venv/bin/squawk ] || { python3 -m venv bench/.venv && bench/.venv/bin/pip install -q squawk-cli; }
swift build -c release --product robot >/dev/null
rm -rf "$directory"
python3 bench/lint/generate.py "$directory" "$steps"
python3 bench/lint/compare.py .build/release/robot bench/.venv/bin/squawk "$directory"
