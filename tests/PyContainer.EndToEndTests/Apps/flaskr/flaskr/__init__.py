"""A tiny Flask app in the shape of Flask's tutorial: an application factory, a SQLite database in instance/."""
import os
import sqlite3

import click
from flask import Flask, g, request

SCHEMA = "CREATE TABLE IF NOT EXISTS entry (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL)"


def get_db():
    if "db" not in g:
        g.db = sqlite3.connect(os.path.join(g.instance_path, "flaskr.sqlite"))
    return g.db


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    # As Flask's tutorial does: the factory makes instance/ (already there in the image, writable by the app's user).
    os.makedirs(app.instance_path, exist_ok=True)

    @app.before_request
    def remember_instance_path():
        g.instance_path = app.instance_path

    @app.teardown_appcontext
    def close_db(error=None):
        db = g.pop("db", None)
        if db is not None:
            db.close()

    @app.get("/")
    def index():
        count = get_db().execute("SELECT COUNT(*) FROM entry").fetchone()[0]
        return f"flaskr entries: {count}\n"

    @app.post("/entries")
    def add_entry():
        db = get_db()
        db.execute("INSERT INTO entry (body) VALUES (?)", (request.get_data(as_text=True) or "hello",))
        db.commit()
        return f"added; entries: {db.execute('SELECT COUNT(*) FROM entry').fetchone()[0]}\n"

    @app.cli.command("init-db")
    def init_db():
        """Creates the database in instance/ (run as a startup step)."""
        connection = sqlite3.connect(os.path.join(app.instance_path, "flaskr.sqlite"))
        connection.execute(SCHEMA)
        connection.commit()
        connection.close()
        click.echo("Initialized the database.")

    return app
