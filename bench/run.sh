#!/usr/bin/env bash
# The engine benchmark in one command: build the robot in release mode, prepare bench/.venv
# (dbmate and asyncpg from PyPI, pinned in bench/requirements.txt), then time every runner on one
# throwaway PostgreSQL cluster (bench/run.py; it stops and removes the cluster when it exits).
# Arguments go to run.py: bench/run.sh --counts 10,500 --repetitions 5
set -euo pipefail

bench=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$bench")
venv=$bench/.venv

# Statically linked, as a deploy image ships it: no shared Swift libraries to load at every boot.
(cd "$root" && timeout 3600 swift build -c release --product robot --static-swift-stdlib --scratch-path .build-static)

if ! "$venv/bin/python" -c 'import asyncpg' 2>/dev/null || [ ! -x "$venv/bin/dbmate" ]; then
    timeout 300 python3 -m venv "$venv"
    timeout 600 "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$bench/requirements.txt"
fi

exec "$venv/bin/python" "$bench/run.py" --robot "$root/.build-static/release/robot" "$@"
