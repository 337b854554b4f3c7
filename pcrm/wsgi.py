"""The WSGI application of the web processes (gunicorn: ``pcrm.wsgi``).

Garbage collection is kept out of the requests' time: what the process loaded to start
is frozen out of every collection, and the young generations are collected after each
response has been sent (Django's ``request_finished``). A collection in the middle of a
page walks everything the page holds at that moment — a few milliseconds on a tenth of
the requests; after the response, little is left to walk. Collection still runs inside
a request that makes a great deal of garbage.

Collecting the young generations by hand resets the counters that would start Python's
own collection of the oldest one, so on light requests (health checks, robots.txt) it
would never run and cyclic garbage that reached it would stay: after every
``FULL_COLLECTION_EVERY`` young collections since the last full one, the collection after
the response is a full one (what is frozen is not walked)."""

import gc
import os

from django.core.signals import request_finished
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcrm.settings")
application = get_wsgi_application()


FULL_COLLECTION_EVERY = 100


def collect_young_garbage(**kwargs) -> None:
    # the third count: young collections since the oldest generation was last collected
    gc.collect(2 if gc.get_count()[2] >= FULL_COLLECTION_EVERY else 1)


request_finished.connect(collect_young_garbage, dispatch_uid="pcrm.wsgi.collect_young_garbage")
gc.freeze()
