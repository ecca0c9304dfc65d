"""FastAPI apps whose lifespan runs the robot from the installed wheel, served by uvicorn, against a real PostgreSQL."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import Server, free_port, psql, write_steps

APPS = Path(__file__).resolve().parent / "apps"
LIFESPANS = ["lifespan_run", "lifespan_run_async"]

STEPS = {
    "0001_create_chat_rooms": "-- robot:critical\nCREATE TABLE IF NOT EXISTS chat_rooms (id bigserial PRIMARY KEY, title text NOT NULL);\n",
    "0002_add_archived": "ALTER TABLE chat_rooms ADD COLUMN IF NOT EXISTS archived boolean NOT NULL DEFAULT false;\n",
}
FAILING = {
    **STEPS,
    "0003_seed_missing_table": "-- robot:critical\nINSERT INTO missing_table VALUES (1);\n",
}


def serve(module: str, steps: Path, database_url: str, tmp_path: Path) -> Server:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", f"{module}:app", "--app-dir", str(APPS), "--port", str(port)]
    return Server(command, port=port, cwd=tmp_path, env={"DATABASE_URL": database_url, "STEPS": str(steps)}, log=tmp_path / "uvicorn.log")


@pytest.mark.parametrize("module", LIFESPANS)
def test_the_app_answers_after_the_steps_ran(module: str, tmp_path: Path, database_url: str) -> None:
    server = serve(module, write_steps(tmp_path / "steps", STEPS), database_url, tmp_path)
    try:
        health = server.health()
        assert health == {"status": "ok", "outcome": "succeeded", "steps": 2}, server.output()
        assert psql(database_url, "SELECT column_name FROM information_schema.columns "
                                  "WHERE table_name = 'chat_rooms' ORDER BY ordinal_position") == "id\ntitle\narchived"
        assert psql(database_url, "SELECT string_agg(id || ':' || status, ',' ORDER BY position) FROM maintenance_robot.steps") \
            == "0001_create_chat_rooms:applied,0002_add_archived:applied"
    finally:
        server.stop()


@pytest.mark.parametrize("module", LIFESPANS)
def test_a_failed_critical_step_stops_uvicorns_startup_with_the_robots_message(
    module: str, tmp_path: Path, database_url: str
) -> None:
    steps = write_steps(tmp_path / "steps", FAILING)
    server = serve(module, steps, database_url, tmp_path)
    try:
        assert server.health() is None, "the app served although a critical step failed"
        assert server.wait() != 0
        output = server.output()
        assert "Application startup failed" in output
        assert (
            f'maintenance_robot.CriticalStepFailed: robot: critical step 3 "Seed missing table" failed: '
            f'ERROR 42P01 at {steps}/0003_seed_missing_table.sql:2:13: relation "missing_table" does not exist'
        ) in output
    finally:
        server.stop()
