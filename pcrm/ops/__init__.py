"""Running PCRM in production: a request id carried from the web request into the
Celery tasks it queues and into every log line (JSON), Prometheus metrics, and the
readiness check."""
