"""The Python API against the real binary of the installed wheel and a real PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Dict, List

import pytest

import maintenance_robot
from maintenance_robot import (
    CatalogueError,
    CriticalStepFailed,
    DatabaseUnavailable,
    Mode,
    Outcome,
    RobotError,
    RobotTimeout,
    RunReport,
    StepStatus,
    robot_binary,
    run,
    run_async,
)

from conftest import free_port, psql, robot_processes, write_steps

VARIANTS = ["run", "run_async"]

SOFT_FAILURE = {
    "0001_create_things": "-- robot:critical\nCREATE TABLE IF NOT EXISTS things (id int PRIMARY KEY);\n",
    "0002_say_hello": "DO $$ BEGIN RAISE NOTICE 'hello from step 2'; END $$;\n",
    "0003_divide_by_zero": "-- fails, softly: the run goes on\nSELECT 1/0;\n",
}
CRITICAL_FAILURE = {
    "0001_create_things": "CREATE TABLE IF NOT EXISTS things (id int PRIMARY KEY);\n",
    "0002_read_missing_table": "-- robot:critical\nSELECT id FROM missing_table;\n",
    "0003_never_runs": "CREATE TABLE IF NOT EXISTS never (id int);\n",
}
SLOW_FIRST_STEP = {
    "0001_take_a_while": "SELECT pg_sleep(3);\n",
    "0002_create_after": "CREATE TABLE IF NOT EXISTS after_the_wait (id int);\n",
}


def invoke(variant: str, *args: Any, **kwargs: Any) -> RunReport:
    if variant == "run":
        return run(*args, **kwargs)
    return asyncio.run(run_async(*args, **kwargs))


def statuses(report: RunReport) -> List[StepStatus]:
    return [step.status for step in report.steps]


def test_the_installed_wheel_is_the_one_tested() -> None:
    assert "site-packages" in maintenance_robot.__file__
    on_path = shutil.which("robot")
    assert on_path is not None and os.path.realpath(on_path) == robot_binary()


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_first_run_reports_each_step(variant: str, tmp_path: Path, database_url: str) -> None:
    steps = write_steps(tmp_path / "steps", SOFT_FAILURE)
    report = invoke(variant, steps, database_url=database_url)

    assert report.outcome is Outcome.DEGRADED
    assert report.mode is Mode.APPLY
    assert report.adopted_database
    assert report.robot_version == maintenance_robot.__version__
    assert report.started_at.tzinfo is not None and report.duration_seconds > 0
    assert statuses(report) == [StepStatus.APPLIED, StepStatus.APPLIED, StepStatus.FAILED]
    assert [step.id for step in report.steps] == list(SOFT_FAILURE)
    assert [step.critical for step in report.steps] == [True, False, False]
    assert all(step.duration_ms is not None and step.duration_ms >= 0 and step.tries == 1 for step in report.steps)
    assert report.steps[0].reason == "new"

    (notice,) = report.steps[1].notices
    assert (notice.severity, notice.sql_state, notice.message) == ("NOTICE", "00000", "hello from step 2")
    assert notice.context is not None and "RAISE" in notice.context

    (failed,) = report.failed_steps
    failure = failed.failure
    assert failure is not None
    assert (failure.sql_state, failure.message, failure.statement) == ("22012", "division by zero", 1)
    assert failure.file == f"{steps}/0003_divide_by_zero.sql"
    assert (failure.line, failure.column) == (2, 1)
    assert str(failure) == f"ERROR 22012 at {steps}/0003_divide_by_zero.sql:2:1: division by zero"
    assert report.count(StepStatus.APPLIED) == 2
    assert psql(database_url, "SELECT to_regclass('things') IS NOT NULL") == "t"


def test_a_warm_run_skips_what_is_applied_and_retries_what_failed(tmp_path: Path, database_url: str) -> None:
    steps = write_steps(tmp_path / "steps", SOFT_FAILURE)
    run(steps, database_url=database_url)
    report = run(steps, database_url=database_url)
    assert statuses(report) == [StepStatus.SKIPPED, StepStatus.SKIPPED, StepStatus.FAILED]
    assert not report.adopted_database
    assert (report.steps[2].reason or "").startswith("failed before")


def test_heal_runs_every_step_again(tmp_path: Path, database_url: str) -> None:
    steps = write_steps(tmp_path / "steps", {k: v for k, v in SOFT_FAILURE.items() if k != "0003_divide_by_zero"})
    run(steps, database_url=database_url)
    report = run(steps, database_url=database_url, heal=True)
    assert report.mode is Mode.HEAL
    assert statuses(report) == [StepStatus.HEALED, StepStatus.HEALED]
    assert report.outcome is Outcome.SUCCEEDED


def test_the_database_url_comes_from_the_environment_when_not_given(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    report = run(write_steps(tmp_path / "steps", {"0001_create_things": SOFT_FAILURE["0001_create_things"]}))
    assert report.outcome is Outcome.SUCCEEDED
    assert report.target.startswith(database_url)


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_failed_critical_step_raises_with_the_report(variant: str, tmp_path: Path, database_url: str) -> None:
    steps = write_steps(tmp_path / "steps", CRITICAL_FAILURE)
    with pytest.raises(CriticalStepFailed) as raised:
        invoke(variant, steps, database_url=database_url)
    error = raised.value
    assert error.exit_status == 1
    location = f"{steps}/0002_read_missing_table.sql:2:16"
    assert str(error) == (
        f'robot: critical step 2 "Read missing table" failed: ERROR 42P01 at {location}: '
        'relation "missing_table" does not exist; earlier steps stay applied. Fix the step and deploy again'
    )
    assert "step failed and was rolled back" in error.stderr  # the robot's log lines are kept
    assert error.report.outcome is Outcome.STOPPED
    assert statuses(error.report) == [StepStatus.APPLIED, StepStatus.FAILED, StepStatus.NOT_RUN]
    failure = error.report.failed_steps[0].failure
    assert failure is not None and failure.sql_state == "42P01" and failure.location == location
    assert psql(database_url, "SELECT to_regclass('things') IS NOT NULL, to_regclass('never') IS NULL") == "t|t"


@pytest.mark.parametrize("variant", VARIANTS)
def test_strict_makes_a_soft_failure_critical(variant: str, tmp_path: Path, database_url: str) -> None:
    steps = write_steps(tmp_path / "steps", SOFT_FAILURE)
    with pytest.raises(CriticalStepFailed) as raised:
        invoke(variant, steps, database_url=database_url, strict=True)
    assert raised.value.report.outcome is Outcome.STOPPED
    assert str(raised.value).startswith('robot: critical step 3 "Divide by zero" failed: ERROR 22012')


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_broken_catalogue_raises_and_nothing_runs(variant: str, tmp_path: Path, database_url: str) -> None:
    steps = write_steps(tmp_path / "steps", {
        "0001_create_things": SOFT_FAILURE["0001_create_things"],
        "0003_gap": "SELECT 1;\n",
        "0004_typo": "-- robot:critcal\nSELECT 1;\n",
    })
    with pytest.raises(CatalogueError) as raised:
        invoke(variant, steps, database_url=database_url)
    assert raised.value.exit_status == 2
    message = str(raised.value)
    assert message.startswith("robot: the step catalogue has 2 problems; nothing ran:")
    assert f"{steps}/0004_typo.sql:1: unknown directive 'robot:critcal'" in message
    assert "step numbers 2 are missing" in message
    assert psql(database_url, "SELECT to_regclass('things') IS NULL") == "t"


def test_a_missing_step_directory_is_a_catalogue_error(tmp_path: Path, database_url: str) -> None:
    with pytest.raises(CatalogueError, match="no such step directory"):
        run(tmp_path / "nowhere", database_url=database_url)


@pytest.mark.parametrize("variant", VARIANTS)
def test_an_unreachable_database_raises_without_the_password(variant: str, tmp_path: Path) -> None:
    port = free_port()
    url = f"postgres://app:pw-S3cret%21@127.0.0.1:{port}/app"
    started = time.monotonic()
    with pytest.raises(DatabaseUnavailable) as raised:
        invoke(variant, write_steps(tmp_path / "steps", SOFT_FAILURE), database_url=url, connect_timeout=1)
    assert time.monotonic() - started < 30
    error = raised.value
    assert error.exit_status == 3
    assert f"robot: Could not connect to postgres://app@127.0.0.1:{port}/app" in str(error)
    for text in (str(error), repr(error), error.stderr, repr(error.args)):
        assert "S3cret" not in text


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_password_is_taken_out_of_whatever_the_robot_says(variant: str, tmp_path: Path, database_url: str) -> None:
    # The cluster trusts its clients and never asks for the password; the step's error repeats it.
    url = database_url.replace("postgres@", "postgres:pw-S3cret@", 1)
    steps = write_steps(tmp_path / "steps", {"0001_echo_the_password": "-- robot:critical\nSELECT 'pw-S3cret'::int;\n"})
    with pytest.raises(CriticalStepFailed) as raised:
        invoke(variant, steps, database_url=url)
    assert 'invalid input syntax for type integer: "***"' in str(raised.value)
    assert "S3cret" not in str(raised.value) + raised.value.stderr


def started_robot() -> int:
    """The pid of the robot a test has just started in another thread, once it runs."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        for pid in robot_processes():
            return pid
        time.sleep(0.05)
    raise AssertionError("the robot did not start")


def test_the_database_url_reaches_the_robot_through_its_environment_only(tmp_path: Path) -> None:
    url = f"postgres://app:pw-S3cret@127.0.0.1:{free_port()}/app"
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(run, write_steps(tmp_path / "steps", SOFT_FAILURE), database_url=url, connect_timeout=5)
        robot = started_robot()
        with open(f"/proc/{robot}/cmdline", "rb") as cmdline:
            arguments = cmdline.read().split(b"\0")
        with open(f"/proc/{robot}/environ", "rb") as environ:
            environment = environ.read().split(b"\0")
        assert isinstance(running.exception(timeout=60), DatabaseUnavailable)
    assert not any(b"S3cret" in argument or b"database-url" in argument for argument in arguments)
    assert f"DATABASE_URL={url}".encode() in environment


def test_a_timeout_stops_the_robot_with_sigterm_after_its_running_step(tmp_path: Path, database_url: str) -> None:
    steps = write_steps(tmp_path / "steps", SLOW_FIRST_STEP)
    started = time.monotonic()
    with pytest.raises(RobotTimeout) as raised:
        run(steps, database_url=database_url, timeout=1, grace=30)
    assert 2.5 < time.monotonic() - started < 25
    assert raised.value.exit_status == 143 and raised.value.signal is None
    assert str(raised.value).startswith("robot run did not finish within 1 s and was stopped with SIGTERM")
    assert isinstance(raised.value, TimeoutError)
    assert not list(robot_processes())
    # The step that was running finished and was recorded; the next one never started.
    report = run(steps, database_url=database_url)
    assert statuses(report) == [StepStatus.SKIPPED, StepStatus.APPLIED]


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_robot_that_does_not_stop_is_killed_after_the_grace_period(variant: str, tmp_path: Path, database_url: str) -> None:
    steps = write_steps(tmp_path / "steps", {"0001_sleep_long": "SELECT pg_sleep(120);\n"})
    started = time.monotonic()
    with pytest.raises(RobotTimeout) as raised:
        invoke(variant, steps, database_url=database_url, timeout=1, grace=1)
    assert time.monotonic() - started < 20
    assert raised.value.signal == signal.SIGKILL and raised.value.exit_status is None
    assert "stopped with SIGTERM, then SIGKILL" in str(raised.value)
    assert not list(robot_processes())
    # Killed mid-step: the step's transaction never committed, so its ledger row is not there.
    if psql(database_url, "SELECT to_regclass('maintenance_robot.steps') IS NOT NULL") == "t":
        assert psql(database_url, "SELECT count(*) FROM maintenance_robot.steps") == "0"


def test_cancelling_run_async_stops_the_robot_with_sigterm_and_waits_for_it(tmp_path: Path, database_url: str) -> None:
    steps = write_steps(tmp_path / "steps", SLOW_FIRST_STEP)

    async def cancel_while_the_first_step_runs() -> float:
        task = asyncio.ensure_future(run_async(steps, database_url=database_url, grace=30))
        deadline = time.monotonic() + 5
        while not list(robot_processes()) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.sleep(1)  # the robot is connected and inside its slow first step
        cancelled = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return time.monotonic() - cancelled

    waited = asyncio.run(cancel_while_the_first_step_runs())
    assert 0.5 < waited < 25  # the running step finished; nothing was killed
    assert not list(robot_processes())
    report = run(steps, database_url=database_url)
    assert statuses(report) == [StepStatus.SKIPPED, StepStatus.APPLIED]


@pytest.mark.parametrize("bounds", [{"timeout": 0}, {"grace": -1}, {"connect_timeout": float("nan")}, {"timeout": float("inf")}])
def test_bounds_must_be_positive_numbers(bounds: Dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="a number of seconds above 0"):
        run(tmp_path, **bounds)
    assert not list(robot_processes())


def test_a_robot_ended_by_someone_elses_signal_raises_robot_error(tmp_path: Path, database_url: str) -> None:
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(run, write_steps(tmp_path / "steps", SLOW_FIRST_STEP), database_url=database_url)
        os.kill(started_robot(), signal.SIGKILL)
        error = running.exception(timeout=30)
    assert type(error) is RobotError
    assert error.signal == signal.SIGKILL and str(error).startswith("the robot was ended by SIGKILL")


def test_a_report_that_is_not_json_is_refused() -> None:
    with pytest.raises(ValueError, match="not a robot run report"):
        RunReport.from_json('{"outcome": "succeeded"}')
