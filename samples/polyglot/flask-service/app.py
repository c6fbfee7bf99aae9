"""The Flask service of the polyglot sample."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "Hello from the Flask service\n"
