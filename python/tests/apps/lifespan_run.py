"""A FastAPI app whose lifespan runs the robot with ``run()`` before it serves (uvicorn apps.lifespan_run:app)."""

import os
from contextlib import asynccontextmanager
from typing import AsyncIterator, Dict, Union

from fastapi import FastAPI

from maintenance_robot import RunReport, run


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # DATABASE_URL from the environment; a failed critical step raises, and uvicorn does not start.
    app.state.report = run(os.environ.get("STEPS", "db/steps"))
    yield


app = FastAPI(lifespan=lifespan)


@app.get("/health")
def health() -> Dict[str, Union[str, int]]:
    report: RunReport = app.state.report
    return {"status": "ok", "outcome": report.outcome.value, "steps": len(report.steps)}
