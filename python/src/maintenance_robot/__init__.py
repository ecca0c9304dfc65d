"""The Maintenance Robot for Python services: brings a PostgreSQL database to the shape the service expects.

The package bundles the statically linked ``robot`` command (installed on ``PATH``) and a small typed API that runs
it with ``--json`` and returns its report::

    from maintenance_robot import run

    report = run("db/steps")            # DATABASE_URL from the environment, or database_url=...

In an asyncio application (a FastAPI lifespan), ``await run_async("db/steps")``.
"""

from importlib import metadata as _metadata

from ._binary import robot_binary
from ._errors import CatalogueError, CriticalStepFailed, DatabaseUnavailable, RobotError, RobotTimeout
from ._report import Mode, Notice, Outcome, RunReport, StepFailure, StepOutcome, StepStatus
from ._run import DEFAULT_GRACE, DEFAULT_TIMEOUT, run, run_async

__version__ = _metadata.version("maintenance-robot")
"""The package's version: the bundled robot's."""

# Tracebacks and reprs name the public path (maintenance_robot.CriticalStepFailed), not the private module.
for _name in ("RobotError", "CriticalStepFailed", "CatalogueError", "DatabaseUnavailable", "RobotTimeout", "RunReport",
              "StepOutcome", "StepFailure", "Notice", "Outcome", "Mode", "StepStatus"):
    globals()[_name].__module__ = __name__
del _name

__all__ = [
    "run",
    "run_async",
    "RunReport",
    "StepOutcome",
    "StepFailure",
    "Notice",
    "Outcome",
    "Mode",
    "StepStatus",
    "RobotError",
    "CriticalStepFailed",
    "CatalogueError",
    "DatabaseUnavailable",
    "RobotTimeout",
    "robot_binary",
    "DEFAULT_TIMEOUT",
    "DEFAULT_GRACE",
    "__version__",
]
