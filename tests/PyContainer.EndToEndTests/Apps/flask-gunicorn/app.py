"""Flask served by gunicorn: the app the install-strategy tests build several ways."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "flask-gunicorn answers\n"
