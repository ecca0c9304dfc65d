"""The example service of the deploy recipes: by the time it starts, the robot has brought its database up to date."""

from typing import Dict

from fastapi import FastAPI

app = FastAPI()


@app.get("/health")
def health() -> Dict[str, str]:
    return {"status": "ok"}
