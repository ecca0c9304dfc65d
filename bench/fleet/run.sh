#!/usr/bin/env bash
# The fleet benchmark in one command: build the robot in release mode (statically linked, as a deploy image ships
# it), prepare bench/.venv (dbmate from PyPI, pinned in bench/requirements.txt), then time the robot and a dbmate
# loop on tenant schemas and tenant databases of one throwaway PostgreSQL cluster (bench/fleet/run.py; it stops and
# removes the cluster when it exits). Arguments go to run.py: bench/fleet/run.sh --schemas 1000 --databases 100
set -euo pipefail

fleet=$(cd "$(dirname "$0")" && pwd)
bench=$(dirname "$fleet")
root=$(dirname "$bench")
venv=$bench/.venv

(cd "$root" && timeout 3600 swift build -c release --product robot --static-swift-stdlib --scratch-path .build-static)

if [ ! -x "$venv/bin/dbmate" ]; then
    timeout 300 python3 -m venv "$venv"
    timeout 600 "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$bench/requirements.txt"
fi

exec "$venv/bin/python" "$fleet/run.py" --robot "$root/.build-static/release/robot" "$@"
