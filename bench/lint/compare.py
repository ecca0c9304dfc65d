#!/usr/bin/env python3
"""Times robot lint and squawk on the same step directory and compares their idempotency findings.

Usage: compare.py ROBOT SQUAWK DIR
Prints a Markdown table: best-of-3 wall time of each, the ratio, and where they disagree on
idempotency (robot's error-level statement rules vs. squawk's prefer-robust-stmts), by rule.
"""
import collections
import glob
import json
import subprocess
import sys
import time

IDEMPOTENCY_RULES = {
    "create-without-if-not-exists", "create-without-or-replace", "create-without-guard",
    "add-constraint-without-guard", "insert-without-on-conflict", "add-column-without-if-not-exists",
    "drop-without-if-exists", "rename-without-guard",
}
TIMEOUT_SECONDS = 600


def timed(command):
    best, output = None, None
    for _ in range(3):
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
        output = result.stdout
    return best, output


def main():
    robot, squawk, directory = sys.argv[1:4]
    files = sorted(glob.glob(f"{directory}/*.sql"))
    megabytes = sum(len(open(f, "rb").read()) for f in files) / 1e6
    robot_time, robot_output = timed([robot, "lint", "--steps", directory, "--format", "json"])
    squawk_time, squawk_output = timed([squawk, "--reporter", "json", *files])

    robot_findings = {}
    for d in json.loads(robot_output):
        if d["ruleID"] in IDEMPOTENCY_RULES:
            robot_findings[(d["file"], d["line"])] = d["ruleID"]
    squawk_findings = {}
    for d in json.loads(squawk_output or "[]"):
        if d["rule_name"] == "prefer-robust-stmts":
            squawk_findings[(d["file"], d["line"] + 1)] = d["message"]

    # squawk reports a statement once per line it starts on; match on (file, line of the statement).
    robot_only = collections.Counter(rule for key, rule in robot_findings.items() if key not in squawk_findings)
    squawk_only = collections.Counter(message for key, message in squawk_findings.items() if key not in robot_findings)
    both = sum(1 for key in robot_findings if key in squawk_findings)

    print(f"| steps | MB | robot lint (release) | squawk {squawk_version(squawk)} | robot ÷ squawk |")
    print("|---:|---:|---:|---:|---:|")
    print(f"| {len(files)} | {megabytes:.1f} | {robot_time * 1000:.0f} ms | {squawk_time * 1000:.0f} ms | {robot_time / squawk_time:.2f} |")
    print()
    print(f"Idempotency findings: robot {len(robot_findings)}, squawk {len(squawk_findings)} (prefer-robust-stmts), both {both}.")
    print()
    print("| found only by | what | count |")
    print("|---|---|---:|")
    for rule, count in sorted(robot_only.items()):
        print(f"| robot lint | `{rule}` | {count} |")
    for message, count in sorted(squawk_only.items()):
        print(f"| squawk | {message} | {count} |")


def squawk_version(squawk):
    return subprocess.run([squawk, "--version"], capture_output=True, text=True, timeout=60).stdout.split()[-1]


if __name__ == "__main__":
    main()
