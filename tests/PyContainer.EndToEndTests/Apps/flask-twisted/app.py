"""Flask served by Twisted's WSGI container."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "flask-twisted answers\n"
