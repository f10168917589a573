"""The production server: `gunicorn -c python:rapor.web.gunicorn_conf` (docs/deploy.md).

Sync workers, one per core plus one: a page is CPU-bound (~4 ms of CPU, the app database and
Redis answer in well under a millisecond), and each worker keeps its own copies of what it
served (content, page shells, lookups), which fewer workers share better: on 2 cores, 3 workers
served more pages than 2 or 4 (benchmarks/RESULTS.md, 2026-12-05). The one extra keeps the cores
busy while a worker waits on a first Excel build or a slow client. WEB_CONCURRENCY overrides it.

No `preload_app`: each worker imports the app after the fork, so no DuckDB connection, database
connection or Redis pool can be shared across processes, whatever a module opens at import; a
HUP then also loads new code into fresh workers. The cost is a second or two of start-up per
worker and no copy-on-write sharing, which CPython's reference counts mostly defeat anyway.
"""

import os

from rapor.web.logs import json_to_stdout

# The production configuration runs the production settings unless told otherwise.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapor.web.settings.production")

wsgi_app = "rapor.web.wsgi:application"
bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", len(os.sched_getaffinity(0)) + 1))
worker_class = "sync"
preload_app = False
# The slowest request, the largest Excel report, takes ~2.5 s: 30 s only stops a stuck worker.
timeout = 30
graceful_timeout = 30
# Signals are enough (HUP, TERM); the default socket path would be shared by every server here.
control_socket_disable = True

# Access and error logs as JSON lines on stdout, like the app's own (rapor.web.logs).
access_log_format = "%(m)s %(U)s %(s)s"
logconfig_dict = json_to_stdout("INFO", own=("gunicorn.error", "gunicorn.access"))
