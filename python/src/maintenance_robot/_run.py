"""Running the bundled ``robot run --json`` and turning its exit status into a report or an exception."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import signal
import subprocess
from typing import Dict, List, Mapping, Optional, Set, Tuple, Union
from urllib.parse import unquote, urlsplit

from ._binary import robot_binary
from ._errors import CatalogueError, CriticalStepFailed, DatabaseUnavailable, RobotError, RobotTimeout
from ._report import RunReport

StepsPath = Union[str, "os.PathLike[str]"]

DEFAULT_TIMEOUT = 600.0
"""Seconds a run may take before it is stopped."""
DEFAULT_GRACE = 10.0
"""Seconds a stopped robot gets to end its running step and release its lock before it is killed."""
_AFTER_KILL = 10.0
"""Seconds to wait for a killed robot's pipes to close: a bound, never reached in practice."""

logger = logging.getLogger("maintenance_robot")
"""The robot's log lines (its standard error) after a successful run, at their own level."""


def run(
    steps: StepsPath = "db/steps",
    *,
    database_url: Optional[str] = None,
    heal: bool = False,
    strict: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    connect_timeout: Optional[float] = None,
    grace: float = DEFAULT_GRACE,
) -> RunReport:
    """Runs ``robot run --json`` on the step directory ``steps`` and returns its report.

    Every step that is new, failed before, or changed since it was applied runs in its own transaction and is
    recorded in the database's ledger; a warm boot does nothing. Soft failures of non-critical steps are in the
    report (``report.outcome is Outcome.DEGRADED``); a failed critical step raises :class:`CriticalStepFailed`.

    Args:
        steps: the directory of ``NNNN_slug.sql`` step files, relative to the working directory.
        database_url: the database as a ``postgres://`` URL. It reaches the robot through its environment
            (``DATABASE_URL``), never its command line, and no exception names its password. ``None``: the robot
            reads ``DATABASE_URL``, else the ``PGHOST``, ``PGPORT``, ``PGUSER``, ``PGPASSWORD``, ``PGDATABASE``
            variables of this process.
        heal: re-run every step, applied or not, to repair a damaged database. Safe only because every step is
            idempotent: lint the catalogue first (``robot lint``).
        strict: treat every step as critical: the first failure raises :class:`CriticalStepFailed`.
        timeout: seconds the whole run may take. Then the robot is sent SIGTERM (it stops before its next step,
            releases its lock and records what ran), after ``grace`` more seconds SIGKILL (its running step rolls
            back), and :class:`RobotTimeout` is raised.
        connect_timeout: seconds the robot waits for the database to accept connections (the robot's default: 60).
        grace: seconds between SIGTERM and SIGKILL when the run is stopped.

    Returns:
        The run's report: its outcome, and each step's status, duration, notices and failure.

    Raises:
        CriticalStepFailed: a critical step (or with ``strict``, any step) failed: exit status 1, report attached.
        CatalogueError: a broken catalogue or bad usage: exit status 2, nothing ran.
        DatabaseUnavailable: the database was unreachable, the connection broke, or a lock was not obtained
            within its bound: exit status 3.
        RobotTimeout: the run took longer than ``timeout``.
        RobotError: any other ending: the robot was signalled by someone else, or the ledger could not be written.
        ValueError: a bound is not a positive number.
        FileNotFoundError: the bundled binary is missing from this environment.

    A ``KeyboardInterrupt`` (or any exception) while the robot runs stops it as a timeout does, then propagates.
    The robot runs in a session of its own, so a Ctrl-C reaches it through this function only, as one SIGTERM.
    """
    invocation = _Invocation(steps, database_url, heal, strict, timeout, connect_timeout, grace)
    process = subprocess.Popen(
        invocation.command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=invocation.environment, start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _, stderr = _stop(process, grace)
        raise invocation.timed_out(stderr, process.returncode) from None
    except BaseException:
        _stop(process, grace)
        raise
    return invocation.finish(process.returncode, stdout, stderr)


async def run_async(
    steps: StepsPath = "db/steps",
    *,
    database_url: Optional[str] = None,
    heal: bool = False,
    strict: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    connect_timeout: Optional[float] = None,
    grace: float = DEFAULT_GRACE,
) -> RunReport:
    """Runs ``robot run --json`` as an asyncio subprocess: :func:`run` for an event loop, e.g. a FastAPI lifespan.

    Takes the same arguments, returns the same report and raises the same exceptions as :func:`run`.

    Cancelling the awaiting task stops the robot as a timeout does: SIGTERM, so that it stops before its next step,
    releases its lock and records what ran; SIGKILL if it has not ended after ``grace`` seconds. The task waits for
    the robot to end (so no robot outlives it) and then raises ``CancelledError``.
    """
    invocation = _Invocation(steps, database_url, heal, strict, timeout, connect_timeout, grace)
    process = await asyncio.create_subprocess_exec(
        *invocation.command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=invocation.environment, start_new_session=True,
    )
    output = asyncio.ensure_future(process.communicate())
    try:
        stdout, stderr = await asyncio.wait_for(asyncio.shield(output), timeout)
    except asyncio.TimeoutError:
        _, stderr = await _stop_async(process, output, grace)
        raise invocation.timed_out(stderr, process.returncode) from None
    except BaseException:
        stopping = asyncio.ensure_future(_stop_async(process, output, grace))
        try:
            await asyncio.shield(stopping)
        except asyncio.CancelledError:
            pass  # cancelled again while stopping: the stop goes on, bounded by grace, and the first error propagates
        raise
    assert process.returncode is not None  # communicate() returns once the process has ended
    return invocation.finish(process.returncode, stdout, stderr)


class _Invocation:
    """One run's command line, environment and secrets, and how its ending is read."""

    def __init__(
        self, steps: StepsPath, database_url: Optional[str], heal: bool, strict: bool,
        timeout: float, connect_timeout: Optional[float], grace: float,
    ) -> None:
        _require_positive("timeout", timeout)
        _require_positive("grace", grace)
        if connect_timeout is not None:
            _require_positive("connect_timeout", connect_timeout)
        self.command: List[str] = [robot_binary(), "run", f"--steps={os.fspath(steps)}", "--json"]
        if heal:
            self.command.append("--heal")
        if strict:
            self.command.append("--strict")
        if connect_timeout is not None:
            self.command.append(f"--connect-timeout={float(connect_timeout)!r}")
        self.environment: Dict[str, str] = dict(os.environ)
        if database_url is not None:
            self.environment["DATABASE_URL"] = database_url
        self.timeout = timeout
        self.grace = grace
        self._secrets = _secrets(self.environment)

    def finish(self, status: int, stdout: bytes, stderr: bytes) -> RunReport:
        """The report of a robot that ended with ``status``, or the exception that status stands for."""
        said = self._redacted(stderr)
        if status == 0:
            _log(said)
            return RunReport.from_json(stdout.decode("utf-8"))
        message = _message(said) or f"robot run ended with exit status {status} and said nothing"
        if status == 1:
            try:
                report = RunReport.from_json(stdout.decode("utf-8", "replace"))
            except ValueError:
                raise RobotError(message, stderr=said, exit_status=status) from None
            raise CriticalStepFailed(message, report=report, stderr=said)
        if status == 2:
            raise CatalogueError(message, stderr=said, exit_status=status)
        if status == 3:
            raise DatabaseUnavailable(message, stderr=said, exit_status=status)
        if status < 0:
            name = signal.Signals(-status).name
            raise RobotError(f"the robot was ended by {name}\n{said}".strip(), stderr=said, signal=-status)
        raise RobotError(message, stderr=said, exit_status=status)

    def timed_out(self, stderr: bytes, status: Optional[int]) -> RobotTimeout:
        """The exception for a run stopped after its timeout; ``status`` is how the robot then ended."""
        said = self._redacted(stderr)
        ended_by = None if status is None or status >= 0 else -status
        how = "SIGTERM, then SIGKILL" if ended_by == signal.SIGKILL else "SIGTERM"
        message = (
            f"robot run did not finish within {self.timeout:g} s and was stopped with {how} "
            f"(grace period {self.grace:g} s); raise timeout= if the steps need longer"
        )
        exit_status = None if ended_by else status
        return RobotTimeout(f"{message}\n{said}".strip(), stderr=said, exit_status=exit_status, signal=ended_by)

    def _redacted(self, output: bytes) -> str:
        text = output.decode("utf-8", "replace")
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text


def _secrets(environment: Mapping[str, str]) -> List[str]:
    """The passwords the robot is given, longest first, so that no exception or log line can repeat them."""
    found: Set[str] = set()
    url = environment.get("DATABASE_URL")
    if url:
        found.add(url)
        try:
            password = urlsplit(url).password
        except ValueError:
            password = None
        if password:
            found.update({password, unquote(password)})
    if environment.get("PGPASSWORD"):
        found.add(environment["PGPASSWORD"])
    return sorted(found, key=len, reverse=True)


def _message(said: str) -> str:
    """The robot's message: its last words, from the first line it starts with ``robot:`` (after its log lines)."""
    lines = said.strip().splitlines()
    start = next((index for index, line in enumerate(lines) if line.startswith("robot: ")), 0)
    return "\n".join(lines[start:])


def _require_positive(name: str, value: float) -> None:
    if not (isinstance(value, (int, float)) and 0 < value < float("inf")):
        raise ValueError(f"{name} takes a number of seconds above 0, not {value!r}")


def _stop(process: "subprocess.Popen[bytes]", grace: float) -> Tuple[bytes, bytes]:
    """SIGTERM, SIGKILL after ``grace`` seconds; waits for the robot to end and returns what it wrote."""
    process.send_signal(signal.SIGTERM)  # nothing when it has ended and been reaped
    try:
        return process.communicate(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate(timeout=_AFTER_KILL)


async def _stop_async(
    process: asyncio.subprocess.Process, output: "asyncio.Future[Tuple[bytes, bytes]]", grace: float
) -> Tuple[bytes, bytes]:
    """:func:`_stop` for an asyncio subprocess whose ``communicate()`` is ``output``."""
    _send(process, signal.SIGTERM)
    try:
        return await asyncio.wait_for(asyncio.shield(output), grace)
    except asyncio.TimeoutError:
        _send(process, signal.SIGKILL)
        return await asyncio.wait_for(asyncio.shield(output), _AFTER_KILL)


def _send(process: asyncio.subprocess.Process, number: signal.Signals) -> None:
    try:
        process.send_signal(number)
    except ProcessLookupError:
        pass  # it has ended and been reaped


_LEVELS = {
    "trace": logging.DEBUG, "debug": logging.DEBUG, "info": logging.INFO, "notice": logging.INFO,
    "warning": logging.WARNING, "error": logging.ERROR, "critical": logging.CRITICAL,
}
_LEVEL_WORD = re.compile(r"^\S+ (trace|debug|info|notice|warning|error|critical) ")


def _log(said: str) -> None:
    """Passes the robot's log lines on to :data:`logger`, each at its own level."""
    for line in said.splitlines():
        if line.strip():
            match = _LEVEL_WORD.match(line)
            logger.log(_LEVELS[match.group(1)] if match else logging.INFO, "%s", line)
