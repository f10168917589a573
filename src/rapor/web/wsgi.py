"""WSGI entry point for gunicorn: `gunicorn rapor.web.wsgi`."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapor.web.settings.demo")
application = get_wsgi_application()

# A worker keeps many long-lived objects (remembered lookups, URLs, page shells), and a request
# makes many short-lived ones: at CPython's default of a collection every 700 new container
# objects, collecting took ~0.06 ms of a ~2 ms request; every 10,000, half that
# (benchmarks/RESULTS.md). The few reference cycles a request leaves wait a little longer.
gc.set_threshold(10_000, 10, 10)
