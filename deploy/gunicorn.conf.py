"""gunicorn for PCRM's web processes (``gunicorn -c deploy/gunicorn.conf.py pcrm.wsgi``).

Sync workers: each request holds one process; size with ``WEB_CONCURRENCY`` (about two
per core). Requests longer than ``WEB_TIMEOUT`` seconds are killed and logged; nginx
waits a little longer (``proxy_read_timeout``)."""

import os

bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# a worker is replaced now and then, so that a slow leak in a library stays small; rarely
# enough that its start (about a second of CPU) costs no throughput
max_requests = 100_000
max_requests_jitter = 10_000
accesslog = "-"
access_log_format = (
    '{"time":"%(t)s","request_id":"%({x-request-id}o)s","method":"%(m)s",'
    '"path":"%(U)s","status":%(s)s,"bytes":%(B)s,"duration_us":%(D)s}'
)
errorlog = "-"
forwarded_allow_ips = os.environ.get("WEB_FORWARDED_ALLOW_IPS", "127.0.0.1")
control_socket_disable = True


def child_exit(server, worker):
    """Prometheus' multiprocess files of a finished worker are merged, not double-counted."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
