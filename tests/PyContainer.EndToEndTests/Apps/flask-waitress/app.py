"""Flask served by waitress."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "flask-waitress answers\n"
