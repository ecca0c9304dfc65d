"""A FastAPI app whose lifespan awaits ``run_async()`` before it serves:

    uvicorn lifespan_run_async:app --app-dir python/tests/apps
"""

import os
from contextlib import asynccontextmanager
from typing import AsyncIterator

from fastapi import FastAPI

from health import add_health
from maintenance_robot import run_async


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Shutting down during the run cancels it: the robot is sent SIGTERM and releases its lock.
    app.state.report = await run_async(os.environ.get("STEPS", "db/steps"))
    yield


app = FastAPI(lifespan=lifespan)
add_health(app)
