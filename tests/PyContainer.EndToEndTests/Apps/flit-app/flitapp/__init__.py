"""Greets from a flit-built package."""
import importlib.metadata
import importlib.resources
import os

from flask import Flask, render_template

__version__ = "1.2.3"

app = Flask(__name__)


@app.get("/")
def index():
    metadata = importlib.metadata.metadata("flitapp")
    greeting = importlib.resources.files("flitapp").joinpath("data/greeting.txt").read_text(encoding="utf-8")
    return render_template(
        "index.html",
        version=metadata["Version"],
        summary=metadata["Summary"],
        greeting=greeting.strip(),
        where=os.path.dirname(__file__),
    )
