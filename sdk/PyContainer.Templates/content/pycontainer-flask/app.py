"""PyContainerService: a Flask app, served by gunicorn in the container."""
import os

from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "Hello from PYCONTAINER_SERVICE_DISPLAY_NAME (Flask)!\n"


@app.get("/healthz")
def health():
    return {"status": "ok"}


if __name__ == "__main__":
    # Local development only; the container runs gunicorn.
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "8000")), debug=True)
