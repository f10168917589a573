"""WSGI entry point for gunicorn: `gunicorn rapor.web.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapor.web.settings.demo")
application = get_wsgi_application()
