"""A FastAPI app whose lifespan awaits ``run_async()`` before it serves (uvicorn apps.lifespan_run_async:app)."""

import os
from contextlib import asynccontextmanager
from typing import AsyncIterator, Dict, Union

from fastapi import FastAPI

from maintenance_robot import RunReport, run_async


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Shutting down during the run cancels it: the robot is sent SIGTERM and releases its lock.
    app.state.report = await run_async(os.environ.get("STEPS", "db/steps"))
    yield


app = FastAPI(lifespan=lifespan)


@app.get("/health")
def health() -> Dict[str, Union[str, int]]:
    report: RunReport = app.state.report
    return {"status": "ok", "outcome": report.outcome.value, "steps": len(report.steps)}
