"""Run a function in several threads released at the same instant, each on its own
database connection; for tests that prove a claim or a unique key holds under a race."""

import threading

from django.db import connection


def at_once(target, count: int, *, timeout: float = 120):
    """Call ``target()`` in ``count`` threads at once; returns (results, errors)."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=30)
            results.append(target())
        except Exception as exc:  # returned to the test, which asserts on it
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results, errors
