"""A FastAPI app whose lifespan runs the robot with ``run()`` before it serves:

    uvicorn lifespan_run:app --app-dir python/tests/apps
"""

import os
from contextlib import asynccontextmanager
from typing import AsyncIterator

from fastapi import FastAPI

from health import add_health
from maintenance_robot import run


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # DATABASE_URL from the environment; a failed critical step raises, and uvicorn does not start.
    app.state.report = run(os.environ.get("STEPS", "db/steps"))
    yield


app = FastAPI(lifespan=lifespan)
add_health(app)
