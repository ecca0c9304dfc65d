#!/usr/bin/env python3
"""The every-boot loop the robot replaces: execute each step string in turn, ignore failures.

    DATABASE_URL=postgres://... python every_boot_loop.py steps.json

This is the baseline for `robot run --heal`: a service that re-runs its whole step list at every
boot, with no ledger. Each step string goes in one simple-protocol message (asyncpg's `execute`
without arguments), so a multi-statement step runs as one implicit transaction, like a robot step.
It prints how many steps failed to standard error and always exits 0 when it could connect, as the
loops in services do; the benchmark checks the count is 0 on a fresh database.
"""

import asyncio
import json
import os
import sys

import asyncpg

CONNECT_TIMEOUT_SECONDS = 30
STEP_TIMEOUT_SECONDS = 300


async def run(url: str, steps: list[str]) -> int:
    connection = await asyncpg.connect(url, timeout=CONNECT_TIMEOUT_SECONDS)
    failures = 0
    try:
        for step in steps:
            try:
                await connection.execute(step, timeout=STEP_TIMEOUT_SECONDS)
            except asyncpg.PostgresError:
                failures += 1
    finally:
        await connection.close(timeout=CONNECT_TIMEOUT_SECONDS)
    return failures


def main() -> int:
    if len(sys.argv) != 2 or "DATABASE_URL" not in os.environ:
        print("usage: DATABASE_URL=postgres://... every_boot_loop.py STEPS.json", file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as file:
        steps = json.load(file)
    failures = asyncio.run(run(os.environ["DATABASE_URL"], steps))
    print(f"failed steps: {failures}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
