"""Settings of the polyglot sample's Django service: one view, a SQLite database in /tmp."""
import os

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "polyglot-sample-not-secret")
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "cities.urls"
WSGI_APPLICATION = "cities.wsgi.application"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "/tmp/db.sqlite3"}}
USE_TZ = True
