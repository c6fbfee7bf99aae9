"""The container's WSGI entry point: graphite-web's Django application with its static files served by WhiteNoise.

graphite/wsgi.py means to do this itself, but graphite-web 1.1.8 detects WhiteNoise by a __version__ attribute
that WhiteNoise 6 no longer has, takes it for a version older than 3.2 and imports whitenoise.django, which is
gone: the app would not start. This file is the user's own; graphite's code stays as it is.
"""
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "graphite.settings")

from django.conf import settings  # noqa: E402  (after the environment above)
from django.core.wsgi import get_wsgi_application  # noqa: E402
from whitenoise import WhiteNoise  # noqa: E402

application = WhiteNoise(get_wsgi_application(), root=settings.STATIC_ROOT, prefix=settings.STATIC_URL)
