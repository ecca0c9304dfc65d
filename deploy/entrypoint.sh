#!/bin/sh
# The container's command where the platform runs one process per service (EasyPanel, Coolify, a plain
# docker run): bring the database up to date, then become the server. A failed critical step (exit status 1),
# a broken catalogue (2) or an unreachable database (3) ends the container before the server starts, with the
# robot's message in its log, and the platform restarts it. DATABASE_URL comes from the platform's environment.
robot run --steps db/steps && exec uvicorn app.main:app --host 0.0.0.0 --port "${PORT:-8000}"
