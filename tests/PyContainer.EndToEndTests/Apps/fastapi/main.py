"""A FastAPI (ASGI) app served by uvicorn."""
from fastapi import FastAPI

app = FastAPI()


@app.get("/")
def index():
    return {"shape": "fastapi", "server": "uvicorn"}
