"""Run a function in several threads released at the same instant, each on its own
database connection; for tests that prove a claim or a unique key holds under a race."""

import threading

from django.db import connection


def at_once(target, count: int | None = None, *, arguments=None, timeout: float = 120):
    """Call ``target()`` in ``count`` threads at once, or ``target(*args)`` once for each
    tuple of ``arguments``; returns (results, errors)."""
    calls = list(arguments) if arguments is not None else [()] * count
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(args):
        try:
            barrier.wait(timeout=30)
            results.append(target(*args))
        except Exception as exc:  # returned to the test, which asserts on it
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(args,)) for args in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results, errors
