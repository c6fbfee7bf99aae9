# graphite-web's local settings: the file every graphite-web user writes (from upstream's
# graphite/local_settings.py.example). Debian's graphite/settings.py imports a top-level module 'local_settings'
# (Debian's own is /etc/graphite/local_settings.py), so it sits here, beside manage.py: found by manage.py
# (migrate, collectstatic at build time) and by the web app alike, with no environment variable.
import os

# Give each deployment its own: docker run -e GRAPHITE_SECRET_KEY=... (graphite warns at start without one).
SECRET_KEY = os.environ.get("GRAPHITE_SECRET_KEY", "UNSAFE_DEFAULT")

# Everything graphite-web writes (its SQLite database, search index, whisper files, logs): a
# ContainerWritableDirectory of the project. The database is graphite.db in it; the logs go there too (graphite
# opens its log files at start and does not create their folder).
STORAGE_DIR = "/var/lib/graphite"
LOG_DIR = STORAGE_DIR

# collectstatic gathers content/ and Django's admin files here at build time; WhiteNoise (a requirement of the
# project) serves them at /static/.
STATIC_ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "static")
