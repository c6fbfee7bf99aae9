"""A flat-layout package whose app needs its package data: a template and a SQL schema."""
import os

from flask import Flask, render_template


def create_app():
    app = Flask(__name__)

    @app.get("/")
    def index():
        return render_template("index.html", where=os.path.dirname(__file__))

    @app.get("/schema")
    def schema():
        with open(os.path.join(app.root_path, "schema.sql"), encoding="utf-8") as f:
            return f.read()

    return app
