#!/usr/bin/env python3
"""Time a fleet: tenant schemas of one database, and tenant databases, on one throwaway PostgreSQL cluster.

Run it through bench/fleet/run.sh, which builds the robot in release mode and prepares bench/.venv (dbmate).

A generated house-style catalogue (bench/generate_steps.py, 20 steps by default) is applied to
    schemas     S tenant schemas of one database (tenant_0001 …; 1,000 by default), and
    databases   D tenant databases (tenant_db_0001 …; 100 by default),
each timed as one whole command, from process start to exit:
    robot --parallel 8   cold (every tenant fresh), then warm (the same again: nothing to do)
    robot --parallel 1   cold, then warm, on fresh tenants of its own
    dbmate loop          cold, then warm: a shell loop starting one `dbmate up` per tenant, as users do today;
                         for schemas, search_path goes through the URL's `options` (-csearch_path=tenant_0001)
The robot takes the schemas with --tenant-schemas and the databases with --targets. Every run is checked: the
robot's JSON report must show every target succeeded with every step applied (cold) or skipped (warm), and every
runner must leave every tenant with the same columns, indexes and settings rows. The cluster keeps PostgreSQL's
durable defaults (fsync, synchronous_commit, full_page_writes) and is stopped and removed at exit.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLEET = Path(__file__).resolve().parent
sys.path.insert(0, str(FLEET.parent))
import run  # noqa: E402
from run import ROOT, BenchmarkError, Cluster, format_seconds, machine_line, run_command  # noqa: E402

COMMAND_TIMEOUT_SECONDS = 3600
SCHEMA_QUERY = "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant\\_%' ORDER BY 1"
RUNNERS = ["robot --parallel 8", "robot --parallel 1", "dbmate loop"]
PUBLIC = "'public'"

DBMATE_SCHEMA_LOOP = """#!/bin/sh
# One dbmate process per tenant schema, search_path through the URL's options.
set -eu
for schema in $(psql -X -A -t -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -c "$SCHEMA_QUERY"); do
    "$DBMATE" --url "$DATABASE_URL&options=-csearch_path%3D$schema" --migrations-dir "$MIGRATIONS" --no-dump-schema up >/dev/null
done
"""

DBMATE_DATABASE_LOOP = """#!/bin/sh
# One dbmate process per tenant database.
set -eu
while read -r url; do
    "$DBMATE" --url "$url" --migrations-dir "$MIGRATIONS" --no-dump-schema up >/dev/null
done < "$TARGETS"
"""


class Fleet:
    """The commands of every runner on one kind of fleet, and the checks of what they leave."""

    def __init__(self, arguments: argparse.Namespace, cluster: Cluster, work: Path, kind: str) -> None:
        self.arguments, self.cluster, self.work, self.kind = arguments, cluster, work, kind
        self.size = arguments.schemas if kind == "schemas" else arguments.databases
        self.steps = work / "steps"

    # The tenants

    def create(self, label: str) -> str:
        """Fresh tenants for one runner's cold and warm runs; returns what the runners are pointed at."""
        if self.kind == "schemas":
            database = f"fleet_{label}"
            self.cluster.query(f"CREATE DATABASE {database}")
            self.cluster.query(f"DO $$ BEGIN FOR i IN 1..{self.size} LOOP "
                               f"EXECUTE format('CREATE SCHEMA %I', 'tenant_' || lpad(i::text, 4, '0')); END LOOP; END $$",
                               database)
            return database
        targets = self.work / f"targets_{label}.txt"
        urls = []
        for number in range(1, self.size + 1):
            database = f"fleet_{label}_{number:04d}"
            self.cluster.query(f"CREATE DATABASE {database}")
            urls.append(self.cluster.url(database))
        targets.write_text("\n".join(urls) + "\n")
        return str(targets)

    def drop(self, where: str) -> None:
        if self.kind == "schemas":
            self.cluster.query(f"DROP DATABASE {where}")
        else:
            for url in Path(where).read_text().split():
                self.cluster.query(f"DROP DATABASE {url.rsplit('/', 1)[1].split('?')[0]}")

    def fingerprint(self, where: str) -> str:
        """Columns, indexes and settings rows over every tenant, leaving out the runners' own tables."""
        own = ("'schema_migrations'",)
        columns = (f"SELECT count(*) FROM information_schema.columns WHERE table_schema LIKE %s "
                   f"AND table_name NOT IN ({', '.join(own)})")
        indexes = f"SELECT count(*) FROM pg_indexes WHERE schemaname LIKE %s AND tablename NOT IN ({', '.join(own)})"
        if self.kind == "schemas":
            pattern = "'tenant\\_%'"
            settings = ("SELECT sum((xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.app_settings', "
                        "nspname), false, true, '')))[1]::text::integer) FROM pg_namespace WHERE nspname LIKE 'tenant\\_%'")
            return self.cluster.query(f"SELECT ({columns % pattern}) || ' columns, ' || ({indexes % pattern}) || ' indexes, ' "
                                      f"|| ({settings}) || ' settings'", where)
        totals = [0, 0, 0]
        for url in Path(where).read_text().split():
            database = url.rsplit("/", 1)[1].split("?")[0]
            row = self.cluster.query(f"SELECT ({columns % PUBLIC}) || ',' || ({indexes % PUBLIC}) || ',' || "
                                     "(SELECT count(*) FROM app_settings)", database)
            totals = [total + int(value) for total, value in zip(totals, row.split(","))]
        return f"{totals[0]} columns, {totals[1]} indexes, {totals[2]} settings"

    # The runners

    def robot(self, where: str, parallel: int, mode: str) -> float:
        option = ["--tenant-schemas", SCHEMA_QUERY] if self.kind == "schemas" else ["--targets", where]
        environment = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
        if self.kind == "schemas":
            environment["DATABASE_URL"] = self.cluster.url(where)
        arguments = [str(self.arguments.robot), "run", "--steps", str(self.steps / "robot"), *option,
                     "--parallel", str(parallel), "--json", "--log-level", "warning"]
        seconds, result = timed(arguments, environment)
        report = json.loads(result.stdout)
        expected = "applied" if mode == "cold" else "skipped"
        good = [target for target in report["targets"] if target["outcome"] == "succeeded"
                and [step["status"] for step in target["report"]["steps"]].count(expected) == self.arguments.steps]
        if report["summary"]["targets"] != self.size or len(good) != self.size:
            raise BenchmarkError(f"robot --parallel {parallel} {mode} on {self.kind}: {report['summary']}, "
                                 f"{len(good)} of {self.size} targets with every step {expected}")
        return seconds

    def dbmate_loop(self, where: str) -> float:
        environment = dict(os.environ, DBMATE=str(self.arguments.venv / "bin" / "dbmate"),
                           MIGRATIONS=str(self.steps / "dbmate"), SCHEMA_QUERY=SCHEMA_QUERY, TARGETS=where,
                           DATABASE_URL=self.cluster.url(where) if self.kind == "schemas" else "")
        script = self.work / f"dbmate_{self.kind}.sh"
        script.write_text(DBMATE_SCHEMA_LOOP if self.kind == "schemas" else DBMATE_DATABASE_LOOP)
        seconds, _ = timed(["sh", str(script)], environment)
        return seconds

    def repetition(self, number: int, timings: dict | None) -> None:
        fingerprints = {}
        for runner in RUNNERS:
            where = self.create(f"{self.kind[0]}{number}_{runner.split()[-1]}")
            for mode in ("cold", "warm"):
                seconds = (self.dbmate_loop(where) if runner == "dbmate loop"
                           else self.robot(where, int(runner.split()[-1]), mode))
                if timings is not None:
                    timings.setdefault((self.kind, runner, mode), []).append(seconds)
            fingerprints[runner] = self.fingerprint(where)
            self.drop(where)
        if len(set(fingerprints.values())) != 1:
            raise BenchmarkError(f"the runners left different {self.kind}: {fingerprints}")


def timed(arguments: list[str], environment: dict) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    result = run_command(arguments, timeout=COMMAND_TIMEOUT_SECONDS, env=environment)
    return time.perf_counter() - started, result


def cell(values: list[float] | None) -> str:
    if not values:
        return "—"
    return f"{format_seconds(statistics.median(values))} ({format_seconds(min(values))}–{format_seconds(max(values))})"


def report(arguments: argparse.Namespace, timings: dict, machine: str) -> str:
    lines = [f"Median wall-clock seconds of whole commands over {arguments.repetitions} runs (min–max in brackets); "
             f"{arguments.steps} steps per tenant.", "",
             "| fleet | runner | cold | warm |", "|---|---|---:|---:|"]
    sizes = {"schemas": f"{arguments.schemas} schemas", "databases": f"{arguments.databases} databases"}
    for kind in arguments.kinds:
        for runner in RUNNERS:
            lines.append(f"| {sizes[kind]} | {runner} | {cell(timings.get((kind, runner, 'cold')))} | "
                         f"{cell(timings.get((kind, runner, 'warm')))} |")
    median = lambda kind, runner, mode: statistics.median(timings[(kind, runner, mode)])  # noqa: E731
    lines += ["", "| goal | measured | target | met |", "|---|---:|---:|---|"]
    for kind in arguments.kinds:
        warm = median(kind, "robot --parallel 8", "warm")
        ratio = median(kind, "robot --parallel 8", "cold") / median(kind, "dbmate loop", "cold")
        if kind == "schemas":
            met = ("yes" if warm <= 2 else "**no**") if arguments.schemas >= 1000 else "— (the goal is for 1,000 schemas)"
            lines.append(f"| {sizes[kind]} warm, --parallel 8 | {format_seconds(warm)} s | ≤ 2 s | {met} |")
        lines.append(f"| {sizes[kind]} cold, --parallel 8 / dbmate loop | {ratio:.2f} | ≤ 0.2 | "
                     f"{'yes' if ratio <= 0.2 else '**no**'} |")
        lines.append(f"| {sizes[kind]} cold, --parallel 8 / --parallel 1 | "
                     f"{median(kind, 'robot --parallel 8', 'cold') / median(kind, 'robot --parallel 1', 'cold'):.2f} | — | — |")
    return "\n".join(lines) + f"\n\nMachine: {machine}.\n"


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schemas", type=int, default=1000, help="tenant schemas (default: 1000)")
    parser.add_argument("--databases", type=int, default=100, help="tenant databases (default: 100)")
    parser.add_argument("--steps", type=int, default=20, help="steps in the catalogue (default: 20)")
    parser.add_argument("--kinds", default="schemas,databases", help="which fleets: schemas, databases or both")
    parser.add_argument("--repetitions", type=int, default=3, help="timed repetitions (default: 3)")
    parser.add_argument("--warmups", type=int, default=0, help="untimed rounds first (default: 0)")
    parser.add_argument("--robot", type=Path, default=ROOT / ".build" / "release" / "robot", help="the robot binary")
    parser.add_argument("--venv", type=Path, default=FLEET.parent / ".venv", help="the virtualenv with dbmate")
    parser.add_argument("--output", type=Path, default=FLEET.parent / "results", help="where fleet-latest.md is written")
    arguments = parser.parse_args()
    arguments.kinds = [kind.strip() for kind in arguments.kinds.split(",")]
    if not set(arguments.kinds) <= {"schemas", "databases"} or not arguments.kinds:
        parser.error("--kinds takes schemas, databases, or both separated by a comma")
    if not (1 <= arguments.schemas <= 9999 and 1 <= arguments.databases <= 9999 and 1 <= arguments.steps <= 9999):
        parser.error("--schemas, --databases and --steps take whole numbers from 1 to 9999")
    if arguments.repetitions < 1 or arguments.warmups < 0:
        parser.error("--repetitions must be at least 1 and --warmups at least 0")
    for path, what in [(arguments.robot, "the robot binary (swift build -c release --product robot)"),
                       (arguments.venv / "bin" / "dbmate", "dbmate (bench/fleet/run.sh sets up bench/.venv)")]:
        if not os.access(path, os.X_OK):
            parser.error(f"{path} is missing: {what}")
    return arguments


def benchmark(arguments: argparse.Namespace, cluster: Cluster) -> str:
    load_before = f"{os.getloadavg()[0]:.2f}"
    # Connections: each robot holds at most 8, each dbmate one; the default 100 is enough.
    cluster.start()
    timings: dict = {}
    with tempfile.TemporaryDirectory(prefix="robot-fleet-bench-") as directory:
        work = Path(directory)
        run_command([sys.executable, str(FLEET.parent / "generate_steps.py"), str(arguments.steps), str(work / "steps")])
        fleets = [Fleet(arguments, cluster, work, kind) for kind in arguments.kinds]
        for number in range(arguments.warmups):
            for fleet in fleets:
                fleet.repetition(number, None)
        for number in range(arguments.repetitions):
            for fleet in fleets:
                print(f"{fleet.kind}: repetition {number + 1} of {arguments.repetitions}", file=sys.stderr)
                fleet.repetition(arguments.warmups + number, timings)
    return report(arguments, timings, machine_line(cluster, load_before))


if __name__ == "__main__":
    sys.exit(run.main(parse_arguments, benchmark, "fleet-latest.md"))
