"""The deploy recipes in deploy/: the entrypoint run for real (robot from the wheel, uvicorn, a real PostgreSQL);
the Dockerfile, the compose file and the Kubernetes manifest read and checked for what docs/deploy.md promises
(no container engine runs here)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest
import yaml

from conftest import REPOSITORY, Server, free_port, psql

DEPLOY = REPOSITORY / "deploy"
ENTRYPOINT_COMMAND = 'robot run --steps db/steps && exec uvicorn app.main:app --host 0.0.0.0 --port "${PORT:-8000}"'


def start_entrypoint(service: Path, database_url: str, tmp_path: Path) -> Server:
    port = free_port()
    path = os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]  # robot and uvicorn of the wheel's venv
    return Server(
        ["sh", str(DEPLOY / "entrypoint.sh")], port=port, cwd=service,
        env={"DATABASE_URL": database_url, "PORT": str(port), "PATH": path}, log=tmp_path / "entrypoint.log",
    )


def example_service(tmp_path: Path) -> Path:
    """A copy of the example service as the image lays it out: app/ and db/steps/ in the working directory."""
    service = tmp_path / "srv"
    shutil.copytree(DEPLOY / "example", service)
    return service


def test_the_entrypoint_brings_the_database_up_to_date_then_serves(tmp_path: Path, database_url: str) -> None:
    server = start_entrypoint(example_service(tmp_path), database_url, tmp_path)
    try:
        assert server.health() == {"status": "ok"}, server.output()
        tables = psql(database_url, "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables "
                                    "WHERE table_schema = 'public'")
        assert tables == "chat_messages,chat_rooms"
        assert psql(database_url, "SELECT count(*) FROM maintenance_robot.steps WHERE status = 'applied'") == "3"
        assert "3 applied" in server.output()  # the robot's report, in the container's log
        # exec: the server is the entrypoint's own process, so the platform's SIGTERM reaches uvicorn directly.
        assert os.readlink(f"/proc/{server.process.pid}/exe").startswith(os.path.realpath(sys.base_exec_prefix))
    finally:
        server.stop()
    assert "Finished server process" in server.output()  # uvicorn itself got the SIGTERM and shut down cleanly


def test_the_entrypoint_does_not_serve_when_a_critical_step_fails(tmp_path: Path, database_url: str) -> None:
    service = example_service(tmp_path)
    (service / "db/steps/0004_seed_rooms.sql").write_text("-- robot:critical\nINSERT INTO rooms (title) VALUES ('x');\n")
    server = start_entrypoint(service, database_url, tmp_path)
    try:
        assert server.health() is None
        assert server.wait() == 1
        output = server.output()
        assert 'robot: critical step 4 "Seed rooms" failed: ERROR 42P01 at db/steps/0004_seed_rooms.sql:2:13' in output
        assert "Uvicorn running" not in output
    finally:
        server.stop()


def test_the_entrypoint_is_the_documented_command() -> None:
    lines = [line for line in (DEPLOY / "entrypoint.sh").read_text().splitlines() if line and not line.startswith("#")]
    assert lines == [ENTRYPOINT_COMMAND]


def dockerfile_stages() -> List[Tuple[str, List[Tuple[str, str]]]]:
    """The Dockerfile's stages: (FROM line, [(instruction, arguments), …])."""
    stages: List[Tuple[str, List[Tuple[str, str]]]] = []
    for line in (DEPLOY / "Dockerfile").read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        instruction, _, arguments = line.strip().partition(" ")
        if instruction == "FROM":
            stages.append((arguments, []))
        else:
            stages[-1][1].append((instruction, arguments))
    return stages


def test_the_dockerfile_builds_with_the_wheel_script_and_ships_a_slim_image() -> None:
    (build_from, build), (runtime_from, runtime) = dockerfile_stages()
    assert build_from.startswith("swift:") and build_from.endswith(" AS build")
    # The build stage runs the very script the wheel is built with (.ci/wheel-check runs it too).
    assert ("RUN", "python/build-wheel.sh /dist") in build
    assert runtime_from.startswith("python:") and "-slim" in runtime_from
    # The wheel's glibc tag is read off the build stage's glibc: both stages on the same Debian release.
    assert build_from.split()[0].split("-")[-1] == runtime_from.split("-")[-1] == "bookworm"
    assert ("COPY", "--from=build /dist/ /tmp/dist/") in runtime
    assert any(i == "RUN" and "pip install --no-cache-dir /tmp/dist/*.whl" in a for i, a in runtime)
    assert ("COPY", "deploy/entrypoint.sh /usr/local/bin/entrypoint.sh") in runtime
    assert ("CMD", '["entrypoint.sh"]') in runtime
    assert all(i not in ("ENV", "ARG") or "DATABASE_URL" not in a for i, a in build + runtime)  # no secret baked in


def test_every_file_the_dockerfile_copies_exists() -> None:
    sources = [
        shlex.split(arguments)[:-1] for _, stage in dockerfile_stages() for instruction, arguments in stage
        if instruction == "COPY" and not arguments.startswith("--from")
    ]
    assert sources
    for source in (path for paths in sources for path in paths):
        assert (REPOSITORY / source).exists(), f"the Dockerfile copies {source}, which the repository does not have"


def load_yaml(name: str) -> Any:
    with open(DEPLOY / name, encoding="utf-8") as file:
        return yaml.safe_load(file)


def test_compose_runs_the_robot_once_before_the_app() -> None:
    services: Dict[str, Any] = load_yaml("docker-compose.yml")["services"]
    robot, app, db = services["robot"], services["app"], services["db"]
    assert robot["command"] == ["robot", "run", "--steps", "db/steps"]
    assert robot["restart"] == "no"
    assert robot["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert app["depends_on"] == {"robot": {"condition": "service_completed_successfully"}}
    assert app["command"][0] == "uvicorn"
    assert robot["image"] == app["image"] and robot["build"] == app["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
    assert "healthcheck" in db
    for service in (robot, app):
        assert re.fullmatch(r"postgres://chat:\$\{POSTGRES_PASSWORD[^}]*\}@db:5432/chat", service["environment"]["DATABASE_URL"])


def test_kubernetes_runs_the_robot_as_an_init_container() -> None:
    deployment = load_yaml("kubernetes.yaml")
    assert deployment["kind"] == "Deployment"
    pod = deployment["spec"]["template"]["spec"]
    (robot,) = pod["initContainers"]
    (app,) = pod["containers"]
    assert robot["command"] == ["robot", "run", "--steps", "db/steps"]
    assert robot["image"] == app["image"]
    for container in (robot, app):
        (variable,) = container["env"]
        assert variable == {"name": "DATABASE_URL", "valueFrom": {"secretKeyRef": {"name": "chat-database", "key": "url"}}}
    assert app["readinessProbe"]["httpGet"]["path"] == "/health"


@pytest.mark.parametrize("name", ["Dockerfile", "docker-compose.yml", "kubernetes.yaml", "entrypoint.sh"])
def test_docs_deploy_shows_each_file_as_it_is(name: str) -> None:
    guide = (REPOSITORY / "docs" / "deploy.md").read_text(encoding="utf-8")
    content = (DEPLOY / name).read_text(encoding="utf-8")
    assert f"`deploy/{name}`" in guide
    assert "\n" + content + "```" in guide, f"docs/deploy.md does not show deploy/{name} as it is"
