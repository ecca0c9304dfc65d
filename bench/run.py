#!/usr/bin/env python3
"""Time the robot against psql -f, dbmate and the every-boot loop on one throwaway PostgreSQL cluster.

Run it through bench/run.sh, which builds the robot in release mode and prepares bench/.venv.

For each step count N and each repetition, every runner gets a fresh database (CREATE DATABASE) and
is timed, as a whole command from process start to exit, on:
    cold  the fresh database: every step applied
    warm  the same database again: nothing to do
    heal  (robot only) the same database with --heal: every step re-run
Each run is checked (every step applied, skipped or healed; no failures; the same schema from every
runner), so a broken runner cannot produce a fast number. The cluster keeps PostgreSQL's durable
defaults (fsync, synchronous_commit, full_page_writes all on) and is stopped and removed at exit.

Beside wall time, each command's processor time is read: the client's (the command and what it
started) and the server's (the backends it used, read from the postmaster's reaped children), which a
shared machine's load blurs less than wall time.
"""

import argparse
import json
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
COMMAND_TIMEOUT_SECONDS = 600
ADMIN_TIMEOUT_SECONDS = 60


class BenchmarkError(Exception):
    """A setup step or a runner failed; the message says which and what it printed."""


def run_command(arguments: list[str], *, timeout: float = ADMIN_TIMEOUT_SECONDS, env: dict | None = None,
                cwd: Path | None = None) -> subprocess.CompletedProcess:
    try:
        result = subprocess.run(arguments, capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd)
    except subprocess.TimeoutExpired as error:
        raise BenchmarkError(f"`{' '.join(arguments)}` did not finish within {timeout} s") from error
    if result.returncode != 0:
        raise BenchmarkError(f"`{' '.join(arguments)}` exited with status {result.returncode}:\n"
                             f"{result.stderr.strip()}\n{result.stdout.strip()}".strip())
    return result


# MARK: - The cluster

def server_binaries() -> Path:
    initdb = shutil.which("initdb")
    if initdb:
        return Path(os.path.realpath(initdb)).parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not candidates:
        raise BenchmarkError("PostgreSQL's server binaries were not found: install them (apt-get install postgresql)")
    return candidates[-1].parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """One throwaway PostgreSQL cluster with durable settings, owned by `postgres` when run as root."""

    def __init__(self) -> None:
        self.binaries = server_binaries()
        self.directory = Path(tempfile.mkdtemp(prefix="robot-bench-"))
        self.data = self.directory / "data"
        self.port = free_port()
        self.started = False

    def as_server_user(self, arguments: list[str]) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *arguments] if os.geteuid() == 0 else arguments

    def start(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.directory, user="postgres", group="postgres")
        # --no-sync only skips initdb's own final flush; the server keeps every durability setting on.
        run_command(self.as_server_user([str(self.binaries / "initdb"), "-D", str(self.data), "-U", "postgres",
                                         "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"]),
                    cwd=self.directory)
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        self.started = True
        run_command(self.as_server_user([str(self.binaries / "pg_ctl"), "-D", str(self.data), "-l",
                                         str(self.directory / "server.log"), "-o", options, "-w", "-t", "60", "start"]),
                    cwd=self.directory)

    def stop(self) -> None:
        if self.started:
            try:
                run_command(self.as_server_user([str(self.binaries / "pg_ctl"), "-D", str(self.data), "-m", "fast",
                                                 "-w", "-t", "60", "stop"]), cwd=self.directory)
            except BenchmarkError as error:
                print(f"could not stop the cluster in {self.directory}: {error}", file=sys.stderr)
                return
            self.started = False
        shutil.rmtree(self.directory, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}?sslmode=disable"

    def query(self, sql: str, database: str = "postgres") -> str:
        return run_command(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", self.url(database),
                            "-c", sql]).stdout.strip()

    def postmaster_pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def settings(self) -> str:
        return self.query("SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings "
                          "WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method')")


class ServerProcessorTime:
    """The processor seconds the server's backends used, read from the postmaster's reaped children (the `cutime`
    and `cstime` of /proc/PID/stat, in clock ticks of 10 ms). A backend counts once it has exited and been reaped,
    so each reading first waits, bounded, until no client's backend is left: none named for a connection from
    127.0.0.1 (PostgreSQL titles a backend `postgres: USER DB 127.0.0.1(PORT) …`), none exiting (a process that
    has let go of its memory has no title left) or exited and not yet reaped. Background processes that exit within
    a command's reading count with it (autovacuum workers, seldom here)."""

    SETTLE_SECONDS = 5.0

    def __init__(self, postmaster: int) -> None:
        self.postmaster = postmaster

    def backends_pending(self) -> bool:
        for child in Path(f"/proc/{self.postmaster}/task/{self.postmaster}/children").read_text().split():
            try:
                state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
                title = Path(f"/proc/{child}/cmdline").read_bytes()
            except OSError:
                return True  # exiting right now
            if state == "Z" or not title or b"127.0.0.1(" in title:
                return True
        return False

    def reading(self) -> float:
        deadline = time.monotonic() + self.SETTLE_SECONDS
        while self.backends_pending():
            if time.monotonic() >= deadline:
                print(f"a client's backend still runs after {self.SETTLE_SECONDS:g} s: this reading of the server's "
                      "processor time may leave it out", file=sys.stderr)
                break
            time.sleep(0.005)
        fields = Path(f"/proc/{self.postmaster}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")


# MARK: - The runners

@dataclass
class Sample:
    """One command: its wall-clock seconds, and the processor seconds of the client and of the server."""
    wall: float
    client: float
    server: float


@dataclass
class Timings:
    """Samples per (N, runner, mode), in the order measured."""
    samples: dict[tuple[int, str, str], list[Sample]] = field(default_factory=dict)

    def add(self, count: int, runner: str, mode: str, sample: Sample) -> None:
        self.samples.setdefault((count, runner, mode), []).append(sample)

    def median(self, count: int, runner: str, mode: str) -> float:
        return statistics.median(sample.wall for sample in self.samples[(count, runner, mode)])

    def cell(self, count: int, runner: str, mode: str) -> str:
        samples = self.samples.get((count, runner, mode))
        if not samples:
            return "—"
        values = [sample.wall for sample in samples]
        return f"{format_seconds(statistics.median(values))} ({format_seconds(min(values))}–{format_seconds(max(values))})"

    def processor_cell(self, count: int, runner: str, mode: str) -> str:
        samples = self.samples.get((count, runner, mode))
        if not samples:
            return "—"
        client = statistics.median(sample.client for sample in samples)
        server = statistics.median(sample.server for sample in samples)
        return f"{client * 1000:.0f} + {server * 1000:.0f}"


def format_seconds(seconds: float) -> str:
    return f"{seconds:.3f}" if seconds < 10 else f"{seconds:.1f}"


def timed(arguments: list[str], url: str, server: ServerProcessorTime) -> tuple[Sample, subprocess.CompletedProcess]:
    environment = dict(os.environ, DATABASE_URL=url)
    server_before = server.reading()
    client_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = run_command(arguments, timeout=COMMAND_TIMEOUT_SECONDS, env=environment)
    wall = time.perf_counter() - started
    client_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    client = (client_after.ru_utime + client_after.ru_stime) - (client_before.ru_utime + client_before.ru_stime)
    return Sample(wall, client, server.reading() - server_before), result


COMPARE = "robot (compare)"


class Runners:
    """The four runners on one generated step set of `count` steps (five with a --compare robot)."""

    def __init__(self, robot: Path, venv: Path, steps: Path, count: int, server: ServerProcessorTime,
                 compare: Path | None = None) -> None:
        self.robot, self.venv, self.steps, self.count, self.compare = robot, venv, steps, count, compare
        self.server = server

    def robot_run(self, url: str, mode: str, compare: bool = False) -> Sample:
        robot, name = (self.compare, COMPARE) if compare else (self.robot, "robot")
        arguments = [str(robot), "run", "--steps", str(self.steps / "robot"), "--json"]
        if mode == "heal":
            arguments.append("--heal")
        sample, result = timed(arguments, url, self.server)
        report = json.loads(result.stdout)
        expected = {"cold": "applied", "warm": "skipped", "heal": "healed"}[mode]
        statuses = [step["status"] for step in report["steps"]]
        if report["outcome"] != "succeeded" or statuses.count(expected) != self.count:
            raise BenchmarkError(f"{name} {mode} run: outcome {report['outcome']}, expected {self.count} steps "
                                 f"{expected}, got {statuses.count(expected)}")
        return sample

    def psql_file(self, url: str) -> Sample:
        sample, _ = timed(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", str(self.steps / "all.sql")], url,
                          self.server)
        return sample

    def dbmate_up(self, url: str) -> Sample:
        sample, _ = timed([str(self.venv / "bin" / "dbmate"), "--url", url, "--migrations-dir", str(self.steps / "dbmate"),
                           "--no-dump-schema", "up"], url, self.server)
        return sample

    def every_boot_loop(self, url: str) -> Sample:
        sample, result = timed([str(self.venv / "bin" / "python"), str(BENCH / "every_boot_loop.py"),
                                str(self.steps / "steps.json")], url, self.server)
        if "failed steps: 0" not in result.stderr:
            raise BenchmarkError(f"the every-boot loop had failures: {result.stderr.strip()}")
        return sample


def schema_fingerprint(cluster: Cluster, database: str) -> str:
    """Columns, indexes and rows of the public tables, so every runner is seen to build the same database."""
    return cluster.query(
        "SELECT (SELECT count(*) FROM information_schema.columns c WHERE c.table_schema = 'public' "
        "        AND c.table_name <> 'schema_migrations') || ' columns, ' || "
        "(SELECT count(*) FROM pg_indexes i WHERE i.schemaname = 'public' AND i.tablename <> 'schema_migrations') || ' indexes, ' || "
        "(SELECT count(*) FROM app_settings) || ' settings'", database)


def repetition(cluster: Cluster, runners: Runners, timings: Timings | None, label: str, compare_first: bool = False) -> None:
    """One round: every runner on its own fresh database, cold then warm (then heal)."""
    fingerprints = {}
    plans = {
        "robot": [("cold", lambda url: runners.robot_run(url, "cold")), ("warm", lambda url: runners.robot_run(url, "warm")),
                  ("heal", lambda url: runners.robot_run(url, "heal"))],
        "psql -f": [("cold", runners.psql_file)],
        "dbmate": [("cold", runners.dbmate_up), ("warm", runners.dbmate_up)],
        "every-boot loop": [("cold", runners.every_boot_loop), ("warm", runners.every_boot_loop)],
    }
    if runners.compare is not None:
        compare = [(mode, lambda url, mode=mode: runners.robot_run(url, mode, compare=True)) for mode in ("cold", "warm", "heal")]
        # The two robots run one after the other and take turns going first, repetition by repetition.
        robots = [("robot", plans.pop("robot")), (COMPARE, compare)]
        plans = dict((robots[::-1] if compare_first else robots) + list(plans.items()))
    for runner, modes in plans.items():
        database = f"bench_{label}_{runner.replace(' ', '_').replace('-', '').replace('(', '').replace(')', '')}"
        cluster.query(f"CREATE DATABASE {database}")
        for mode, measure in modes:
            sample = measure(cluster.url(database))
            if timings is not None:
                timings.add(runners.count, runner, mode, sample)
        fingerprints[runner] = schema_fingerprint(cluster, database)
        cluster.query(f"DROP DATABASE {database}")
    if len(set(fingerprints.values())) != 1:
        raise BenchmarkError(f"the runners built different databases: {fingerprints}")


# MARK: - Report

RUNNER_ORDER = ["robot", COMPARE, "psql -f", "dbmate", "every-boot loop"]


def results_table(timings: Timings, counts: list[int], cell=Timings.cell) -> str:
    """One row per N and runner, one `cell` per mode: wall time, or with `Timings.processor_cell` processor time."""
    lines = ["| N | runner | cold | warm | heal |", "|---:|---|---:|---:|---:|"]
    for count in counts:
        for runner in RUNNER_ORDER:
            if runner == COMPARE and (count, COMPARE, "cold") not in timings.samples:
                continue
            cells = [cell(timings, count, runner, mode) for mode in ("cold", "warm", "heal")]
            lines.append(f"| {count} | {runner} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def goals_table(timings: Timings, counts: list[int]) -> str:
    small, large = min(counts), max(counts)
    compared = (large, COMPARE, "cold") in timings.samples
    lines = ["| goal | ratio of medians | target | met |", "|---|---:|---:|---|"]
    for robot in ["robot", COMPARE] if compared else ["robot"]:
        robot_warm = timings.median(large, robot, "warm")
        # (goal, ratio of medians, target, whether the ratio may equal the target)
        goals = [
            (f"{robot} warm at or below dbmate warm (N = {large})", robot_warm / timings.median(large, "dbmate", "warm"), 1.0, True),
            (f"{robot} warm at N = {large} within 1.3× of N = {small}", robot_warm / timings.median(small, robot, "warm"), 1.3, True),
            (f"{robot} cold within 1.2× of psql -f (N = {large})",
             timings.median(large, robot, "cold") / timings.median(large, "psql -f", "cold"), 1.2, True),
            (f"{robot} heal below the every-boot loop on the same, up-to-date database (N = {large})",
             timings.median(large, robot, "heal") / timings.median(large, "every-boot loop", "warm"), 1.0, False),
        ]
        for name, ratio, target, inclusive in goals:
            met = ratio <= target if inclusive else ratio < target
            lines.append(f"| {name} | {ratio:.2f} | {'≤' if inclusive else '<'} {target:.1f} | {'yes' if met else '**no**'} |")
    if compared:
        for mode in ("cold", "warm", "heal"):
            ratio = timings.median(large, COMPARE, mode) / timings.median(large, "robot", mode)
            lines.append(f"| compare / robot, {mode} (N = {large}) | {ratio:.2f} | — | — |")
    return "\n".join(lines)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine_line(cluster: Cluster, load_before: str) -> str:
    version = cluster.query("SHOW server_version")
    load_after = f"{os.getloadavg()[0]:.2f}"
    return (f"{os.cpu_count()} cores (nproc), {cpu_model()}, PostgreSQL {version}, {platform.system()} "
            f"{platform.release()}; server settings: {cluster.settings()}; load average (1 min) "
            f"{load_before} before, {load_after} after")


# MARK: - Main

def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--counts", default="10,500", help="step counts N, comma-separated (default: 10,500)")
    parser.add_argument("--repetitions", type=int, default=5, help="timed repetitions per N (default: 5)")
    parser.add_argument("--warmups", type=int, default=1, help="untimed rounds first, to warm caches (default: 1)")
    parser.add_argument("--robot", type=Path, default=ROOT / ".build" / "release" / "robot", help="the robot binary")
    parser.add_argument("--compare", type=Path, help="a second robot binary, timed beside --robot as \"robot (compare)\"")
    parser.add_argument("--venv", type=Path, default=BENCH / ".venv", help="the virtualenv with dbmate and asyncpg")
    parser.add_argument("--output", type=Path, default=BENCH / "results", help="where the markdown report is written")
    arguments = parser.parse_args()
    try:
        arguments.counts = sorted({int(count) for count in arguments.counts.split(",")})
    except ValueError:
        parser.error("--counts takes whole numbers separated by commas, e.g. 10,500")
    if len(arguments.counts) < 2 or not all(1 <= count <= 9999 for count in arguments.counts):
        parser.error("--counts needs at least two step counts between 1 and 9999 (the flatness goal compares them)")
    if arguments.repetitions < 1 or arguments.warmups < 0:
        parser.error("--repetitions must be at least 1 and --warmups at least 0")
    for path, what in [(arguments.robot, "the robot binary (swift build -c release --product robot)"),
                       (arguments.venv / "bin" / "dbmate", "dbmate (bench/run.sh sets up bench/.venv)")] + \
                      ([(arguments.compare, "the --compare robot binary")] if arguments.compare else []):
        if not os.access(path, os.X_OK):
            parser.error(f"{path} is missing: {what}")
    return arguments


def stop_on_signal(signum, _frame) -> None:
    raise SystemExit(128 + signum)


def benchmark(arguments: argparse.Namespace, cluster: Cluster) -> str:
    load_before = f"{os.getloadavg()[0]:.2f}"
    cluster.start()
    server = ServerProcessorTime(cluster.postmaster_pid())
    timings = Timings()
    work = Path(tempfile.mkdtemp(prefix="robot-bench-steps-"))
    try:
        runners_by_count = {}
        for count in arguments.counts:
            steps = work / f"n{count}"
            run_command([sys.executable, str(BENCH / "generate_steps.py"), str(count), str(steps)])
            runners_by_count[count] = Runners(arguments.robot, arguments.venv, steps, count, server, arguments.compare)
        for warmup in range(arguments.warmups):
            for count in arguments.counts:
                repetition(cluster, runners_by_count[count], None, f"n{count}_warmup{warmup}")
        # The counts take turns, in alternating order, repetition by repetition: the goals compare medians at
        # different N, and a shared machine's load drifts during a run.
        for number in range(arguments.repetitions):
            for count in arguments.counts if number % 2 == 0 else reversed(arguments.counts):
                print(f"N = {count}: repetition {number + 1} of {arguments.repetitions}", file=sys.stderr)
                repetition(cluster, runners_by_count[count], timings, f"n{count}_r{number}", compare_first=number % 2 == 1)
        machine = machine_line(cluster, load_before)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return (f"Median wall-clock seconds of whole commands over {arguments.repetitions} runs (min–max in "
            f"brackets), each runner on a fresh database per run.\n\n{results_table(timings, arguments.counts)}\n\n"
            f"{goals_table(timings, arguments.counts)}\n\nMedian processor milliseconds of the same commands, the "
            f"client's (the command and what it started) + the server's (the backends it used; clock ticks of 10 ms):"
            f"\n\n{results_table(timings, arguments.counts, Timings.processor_cell)}\n\nMachine: {machine}.\n")


def main(parse=parse_arguments, measure=benchmark, report_name: str = "latest.md") -> int:
    """Parses the arguments, runs `measure` on one cluster (stopped and removed however it ends) and writes its report."""
    arguments = parse()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop_on_signal)
    cluster = Cluster()
    try:
        report = measure(arguments, cluster)
    except BenchmarkError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    finally:
        cluster.stop()
    arguments.output.mkdir(parents=True, exist_ok=True)
    (arguments.output / report_name).write_text(report)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
