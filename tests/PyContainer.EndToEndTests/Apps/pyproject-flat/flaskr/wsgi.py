"""The WSGI entry point gunicorn serves."""
from flaskr import create_app

app = create_app()
