"""A minimal Flask service: the first sample PyContainer containerizes."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "Hello from Flask, containerized by PyContainer!\n"


@app.get("/healthz")
def health():
    return {"status": "ok"}
