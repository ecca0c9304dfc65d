"""Shared fixtures: a fresh database per test on the throwaway cluster that .ci/wheel-check starts
(``throwaway-postgres -- pytest …`` sets DATABASE_URL), step directories, and the psql client."""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Dict, Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]


def psql_binary() -> str:
    found = shutil.which("psql") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"), reverse=True)), None)
    if found is None:
        raise RuntimeError("psql was not found: install PostgreSQL's client (.ci/run does)")
    return found


def psql(url: str, sql: str) -> str:
    """Runs ``sql`` on ``url`` and returns the rows, unaligned, one a line."""
    result = subprocess.run(
        [psql_binary(), "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
        capture_output=True, text=True, timeout=60,
    )
    if result.returncode != 0:
        raise AssertionError(f"psql failed: {result.stderr}")
    return result.stdout.strip()


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


@pytest.fixture(scope="session")
def cluster_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        pytest.fail("DATABASE_URL is not set: run the tests through throwaway-postgres, as .ci/wheel-check does")
    return url


@pytest.fixture
def database_url(cluster_url: str) -> str:
    """A new, empty database of its own for the test."""
    name = "test_" + uuid.uuid4().hex[:12]
    psql(cluster_url, f'CREATE DATABASE "{name}" TEMPLATE template0')
    return with_database(cluster_url, name)


def write_steps(directory: Path, steps: Dict[str, str]) -> Path:
    """Writes ``{"0001_slug": "SQL", …}`` as step files into ``directory`` and returns it."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, sql in steps.items():
        (directory / f"{name}.sql").write_text(sql, encoding="utf-8")
    return directory


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def robot_processes() -> Iterator[int]:
    """The pids of running robots of this environment's wheel."""
    from maintenance_robot import robot_binary

    binary = robot_binary()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.readlink(f"/proc/{entry}/exe") == binary:
                    yield int(entry)
            except OSError:
                continue


class Server:
    """A server process (uvicorn, or an entrypoint script that execs it) on ``port``, its output in a file."""

    def __init__(self, command: "list[str]", *, port: int, cwd: Path, env: Dict[str, str], log: Path) -> None:
        self.port = port
        self.log = log
        with open(log, "wb") as output:
            self.process = subprocess.Popen(
                command, cwd=cwd, env={**os.environ, **env}, stdin=subprocess.DEVNULL, stdout=output,
                stderr=subprocess.STDOUT,
            )

    def health(self, within: float = 60) -> "dict[str, object] | None":
        """``/health``'s JSON once it answers; ``None`` when the process ends first. Fails after ``within`` seconds."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return None
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2) as response:
                    return dict(json.loads(response.read()))
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"/health did not answer within {within} s:\n{self.output()}")

    def wait(self, within: float = 60) -> int:
        """The exit status, once the process has ended by itself within ``within`` seconds."""
        try:
            return self.process.wait(timeout=within)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the server did not exit within {within} s:\n{self.output()}") from None

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
