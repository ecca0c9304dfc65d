"""The /health route both test apps share: it answers once the lifespan's run has returned its report."""

from typing import Dict, Union

from fastapi import FastAPI

from maintenance_robot import RunReport


def add_health(app: FastAPI) -> None:
    @app.get("/health")
    def health() -> Dict[str, Union[str, int]]:
        report: RunReport = app.state.report
        return {"status": "ok", "outcome": report.outcome.value, "steps": len(report.steps)}
