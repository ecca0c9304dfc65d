#!/usr/bin/env python3
"""Peak memory of `robot run` on one large step (a seed of about 50 MB), beside `psql -f` of the same file.

    bench/memory.py --robot .build-static/release/robot [--megabytes 50]

Starts one throwaway cluster (as bench/run.py does), writes a catalogue of two steps — a table, then one
INSERT … ON CONFLICT DO NOTHING of that many megabytes — and runs each command under `/usr/bin/time -v`,
on a fresh database each, reading "Maximum resident set size". The goal (issue 17): the robot's peak
within 10 times the step's size.
"""

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from run import BenchmarkError, Cluster, run_command

TIMEOUT_SECONDS = 600


def write_catalogue(directory: Path, megabytes: int) -> int:
    """The two step files; returns the size of the seed step in bytes."""
    (directory / "0001_create_big_seed.sql").write_text(
        "-- robot:name Create the seed table (v1.0 Update)\n"
        "CREATE TABLE IF NOT EXISTS big_seed (id integer PRIMARY KEY, note text NOT NULL);\n")
    rows = []
    size = 0
    row = 0
    while size < megabytes * 1_000_000:
        row += 1
        text = f"({row}, 'seed row {row} with a little text to carry')"
        rows.append(text)
        size += len(text) + 2
    seed = ("-- robot:name Seed the big table (v1.0 Update)\nINSERT INTO big_seed (id, note) VALUES\n"
            + ",\n".join(rows) + "\nON CONFLICT DO NOTHING;\n")
    (directory / "0002_seed_big_table.sql").write_text(seed)
    return len(seed.encode())


def peak_kilobytes(arguments: list[str], env: dict | None = None) -> int:
    """Runs the command under /usr/bin/time -v; its maximum resident set size in KiB."""
    result = subprocess.run(["/usr/bin/time", "-v", *arguments], capture_output=True, text=True,
                            timeout=TIMEOUT_SECONDS, env=env)
    if result.returncode != 0:
        raise BenchmarkError(f"`{' '.join(arguments)}` exited with status {result.returncode}:\n{result.stderr[-2000:]}")
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    if not match:
        raise BenchmarkError("/usr/bin/time printed no maximum resident set size")
    return int(match.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--robot", type=Path, required=True, help="the robot binary")
    parser.add_argument("--megabytes", type=int, default=50, help="the seed step's size (default: 50)")
    arguments = parser.parse_args()
    cluster = Cluster()
    try:
        cluster.start()
        with tempfile.TemporaryDirectory(prefix="robot-memory-") as directory:
            steps = Path(directory)
            size = write_catalogue(steps, arguments.megabytes)
            cluster.query("CREATE DATABASE memory_robot")
            cluster.query("CREATE DATABASE memory_psql")
            robot = peak_kilobytes([str(arguments.robot), "run", "--json", str(steps)],
                                   env={"DATABASE_URL": cluster.url("memory_robot"), "PATH": "/usr/bin:/bin"})
            count = cluster.query("SELECT count(*) FROM big_seed", database="memory_robot")
            script = steps / "all.sql"
            script.write_text("".join(path.read_text() for path in sorted(steps.glob("0*.sql"))))
            psql = peak_kilobytes(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", cluster.url("memory_psql"),
                                   "-f", str(script)])
        megabytes = size / 1_000_000
        print(f"seed step: {megabytes:.1f} MB, {count} rows")
        print(f"| command | peak memory (max RSS) | × the step's size |")
        print(f"|---|---:|---:|")
        for name, peak in [("robot run", robot), ("psql -f", psql)]:
            print(f"| {name} | {peak / 1024:.0f} MiB | {peak * 1024 / size:.1f} |")
        return 0
    except BenchmarkError as error:
        print(f"memory benchmark failed: {error}", file=sys.stderr)
        return 1
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
