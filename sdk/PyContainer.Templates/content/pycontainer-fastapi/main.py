"""PyContainerService: a FastAPI app, served by uvicorn in the container."""
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(title="PYCONTAINER_SERVICE_DISPLAY_NAME")


class Greeting(BaseModel):
    service: str
    message: str


@app.get("/", response_model=Greeting)
def index() -> Greeting:
    return Greeting(service="PYCONTAINER_SERVICE_DISPLAY_NAME", message="Hello from PYCONTAINER_SERVICE_DISPLAY_NAME (FastAPI)!")


@app.get("/healthz")
def health() -> dict:
    return {"status": "ok"}
