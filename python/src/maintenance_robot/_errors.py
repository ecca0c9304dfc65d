"""The exceptions a run raises, one per documented exit status of ``robot run``."""

from __future__ import annotations

from typing import Optional

from ._report import RunReport


class RobotError(Exception):
    """The robot did not finish its run.

    The base of every exception here. Raised as itself for an exit status without an exception of its own:
    1 without a report (the ledger could not be written), 130 or 143 (the robot was sent SIGINT or SIGTERM by
    someone else), or death by a signal.
    """

    exit_status: Optional[int]
    """The robot's exit status; ``None`` when it was killed by a signal (see :attr:`signal`) or timed out."""
    signal: Optional[int]
    """The signal that ended the robot, when one did."""
    stderr: str
    """Everything the robot wrote to standard error (its log lines and its message), without any password."""

    def __init__(
        self, message: str, *, stderr: str = "", exit_status: Optional[int] = None, signal: Optional[int] = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.stderr = stderr
        self.exit_status = exit_status
        self.signal = signal


class CriticalStepFailed(RobotError):
    """A critical step (or, with ``strict=True``, any step) failed and the run stopped: exit status 1.

    The service must not start. The steps before it stay applied; :attr:`report` says which step failed and why.
    """

    report: RunReport
    """The run's report: ``report.failed_steps`` holds the step with its SQLSTATE and file:line:column."""

    def __init__(self, message: str, *, report: RunReport, stderr: str = "", exit_status: Optional[int] = 1) -> None:
        super().__init__(message, stderr=stderr, exit_status=exit_status)
        self.report = report


class CatalogueError(RobotError):
    """A broken catalogue or bad usage, exit status 2: nothing ran.

    The message names the file, line and column, e.g. a gap in the step numbers, an unknown ``robot:`` directive,
    or a step directory that does not exist.
    """


class DatabaseUnavailable(RobotError):
    """The database could not be reached within the connect timeout, the connection was lost, or a lock was not
    obtained within its bound: exit status 3. The message names the session that holds the lock."""


class RobotTimeout(RobotError, TimeoutError):
    """The run took longer than its ``timeout``: the robot was sent SIGTERM (it stops before its next step and
    releases its lock) and, if it had not ended after the grace period, SIGKILL (its running step rolls back)."""
