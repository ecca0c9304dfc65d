"""The run report of ``robot run --json``, as typed values."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping, Optional, Tuple


class Outcome(str, enum.Enum):
    """How a run went as a whole."""

    SUCCEEDED = "succeeded"
    """Every step that ran succeeded, or there was nothing to do."""
    DEGRADED = "degraded"
    """Non-critical steps failed and the rest went on: the service may start, visibly degraded."""
    STOPPED = "stopped"
    """A critical step failed and the run stopped: the service must not start."""
    PLANNED = "planned"
    """A dry run: nothing was changed."""
    CANCELLED = "cancelled"
    """The run was cancelled between steps: the steps before stay applied."""


class Mode(str, enum.Enum):
    """How the run treated the steps."""

    APPLY = "apply"
    HEAL = "heal"
    DRY_RUN = "dry-run"


class StepStatus(str, enum.Enum):
    """What happened to one step in a run."""

    APPLIED = "applied"
    """The step ran and committed."""
    HEALED = "healed"
    """Heal mode: an applied step ran again and committed."""
    SKIPPED = "skipped"
    """Already applied with the same checksum."""
    FAILED = "failed"
    """The step failed and was rolled back."""
    NOT_RUN = "not-run"
    """A critical step failed earlier, or the run was cancelled, so this one did not run."""
    PENDING = "pending"
    """A dry run: the step would run."""


@dataclass(frozen=True)
class Notice:
    """A NOTICE, WARNING or INFO message the server sent while a step ran."""

    severity: str
    """``NOTICE``, ``WARNING``, ``INFO``, ``DEBUG`` or ``LOG``."""
    message: str
    sql_state: Optional[str] = None
    """The SQLSTATE, e.g. ``00000`` for a notice, ``01000`` for a warning."""
    detail: Optional[str] = None
    hint: Optional[str] = None
    context: Optional[str] = None
    """Where it was raised, e.g. ``PL/pgSQL function inline_code_block line 3 at RAISE``."""


@dataclass(frozen=True)
class StepFailure:
    """Why a step failed, pointing into its source file."""

    message: str
    sql_state: Optional[str] = None
    """The SQLSTATE, e.g. ``42P01`` for an undefined table."""
    detail: Optional[str] = None
    hint: Optional[str] = None
    context: Optional[str] = None
    """The server's context line, e.g. ``PL/pgSQL function inline_code_block line 3 at RAISE``."""
    statement: Optional[int] = None
    """The 1-based number of the failing statement within the step, when it is known."""
    location: Optional[str] = None
    """Where in the step's source the error is, as ``file:line:column``: ``db/steps/0003_x.sql:4:3``."""

    @property
    def file(self) -> Optional[str]:
        """The step file of :attr:`location`."""
        return self._location_parts()[0]

    @property
    def line(self) -> Optional[int]:
        """The 1-based line of :attr:`location` in the step file."""
        return self._location_parts()[1]

    @property
    def column(self) -> Optional[int]:
        """The 1-based column of :attr:`location` in the step file."""
        return self._location_parts()[2]

    def _location_parts(self) -> Tuple[Optional[str], Optional[int], Optional[int]]:
        parts = (self.location or "").rsplit(":", 2)
        if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
            return None, None, None
        return parts[0], int(parts[1]), int(parts[2])

    def __str__(self) -> str:
        text = "ERROR"
        if self.sql_state:
            text += f" {self.sql_state}"
        if self.location:
            text += f" at {self.location}"
        return f"{text}: {self.message}"


@dataclass(frozen=True)
class StepOutcome:
    """What happened to one step in a run."""

    position: int
    id: str
    """The step's id: its file name without ``.sql``, e.g. ``0003_add_owner_email``."""
    name: str
    critical: bool
    status: StepStatus
    tries: int
    """How many times this run tried the step (lock timeouts are retried)."""
    reason: Optional[str] = None
    """Why the step ran: ``new``, ``failed before``, ``changed since applied`` or ``heal``."""
    duration_ms: Optional[int] = None
    notices: Tuple[Notice, ...] = ()
    failure: Optional[StepFailure] = None


@dataclass(frozen=True)
class RunReport:
    """What a run did: each step's outcome with its duration and notices, and the run's totals."""

    outcome: Outcome
    mode: Mode
    target: str
    """The database, as a URL without its password."""
    ledger_schema: str
    started_at: datetime
    duration_seconds: float
    adopted_database: bool
    """The database had no ledger, so every step ran once to adopt it."""
    steps: Tuple[StepOutcome, ...]
    warnings: Tuple[str, ...]
    """Things a person should look at: edited steps, steps the catalogue does not know."""
    robot_version: str
    lock_wait_seconds: Optional[float] = None
    """How long the run waited for another robot's lock, when it had to."""

    @property
    def failed_steps(self) -> Tuple[StepOutcome, ...]:
        """The steps that failed in this run."""
        return tuple(step for step in self.steps if step.status is StepStatus.FAILED)

    def count(self, status: StepStatus) -> int:
        """How many steps ended with ``status``."""
        return sum(1 for step in self.steps if step.status is status)

    @classmethod
    def from_json(cls, text: str) -> "RunReport":
        """Reads the report that ``robot run --json`` prints.

        Raises:
            ValueError: ``text`` is not such a report.
        """
        try:
            return _report(json.loads(text))
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ValueError(f"not a robot run report: {error!r}") from error


def _report(value: Mapping[str, Any]) -> RunReport:
    lock_wait = value.get("lockWaitSeconds")
    return RunReport(
        outcome=Outcome(value["outcome"]),
        mode=Mode(value["mode"]),
        target=str(value["target"]),
        ledger_schema=str(value["ledgerSchema"]),
        started_at=_datetime(value["startedAt"]),
        duration_seconds=float(value["durationSeconds"]),
        adopted_database=bool(value["adoptedDatabase"]),
        steps=tuple(_step(step) for step in value["steps"]),
        warnings=tuple(str(warning) for warning in value["warnings"]),
        robot_version=str(value["robotVersion"]),
        lock_wait_seconds=None if lock_wait is None else float(lock_wait),
    )


def _step(value: Mapping[str, Any]) -> StepOutcome:
    failure = value.get("failure")
    duration = value.get("durationMilliseconds")
    return StepOutcome(
        position=int(value["position"]),
        id=str(value["id"]),
        name=str(value["name"]),
        critical=bool(value["isCritical"]),
        status=StepStatus(value["status"]),
        tries=int(value["tries"]),
        reason=value.get("reason"),
        duration_ms=None if duration is None else int(duration),
        notices=tuple(_notice(notice) for notice in value["notices"]),
        failure=None if failure is None else _failure(failure),
    )


def _notice(value: Mapping[str, Any]) -> Notice:
    return Notice(
        severity=str(value["severity"]),
        message=str(value["message"]),
        sql_state=value.get("sqlState"),
        detail=value.get("detail"),
        hint=value.get("hint"),
        context=value.get("context"),
    )


def _failure(value: Mapping[str, Any]) -> StepFailure:
    statement = value.get("statement")
    return StepFailure(
        message=str(value["message"]),
        sql_state=value.get("sqlState"),
        detail=value.get("detail"),
        hint=value.get("hint"),
        context=value.get("context"),
        statement=None if statement is None else int(statement),
        location=value.get("location"),
    )


def _datetime(text: str) -> datetime:
    # ISO 8601 with a trailing Z, which datetime.fromisoformat reads only from Python 3.11 on.
    return datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
