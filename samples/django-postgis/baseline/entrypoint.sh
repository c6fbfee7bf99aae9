#!/bin/sh
# Stands in for the write-up's entrypoint.sh (not shown in it): prepares the database, then serves the API.
set -e
python manage.py migrate --noinput
if [ "${LOAD_FIXTURES:-0}" = "1" ]; then
  python manage.py loaddata cities/fixtures/cities.json
fi
exec gunicorn --bind "0.0.0.0:${PORT:-8000}" citiesapi.wsgi:application
