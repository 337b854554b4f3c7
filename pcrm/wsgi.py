"""The WSGI application of the web processes (gunicorn: ``pcrm.wsgi``).

Garbage collection is kept out of the requests' time: what the process loaded to start
is frozen out of every collection, and the young generations are collected after each
response has been sent (Django's ``request_finished``). A collection in the middle of a
page walks everything the page holds at that moment — a few milliseconds on a tenth of
the requests; after the response, little is left to walk. Collection still runs inside
a request that makes a great deal of garbage."""

import gc
import os

from django.core.signals import request_finished
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcrm.settings")
application = get_wsgi_application()


def collect_young_garbage(**kwargs) -> None:
    gc.collect(1)


request_finished.connect(collect_young_garbage, dispatch_uid="pcrm.wsgi.collect_young_garbage")
gc.freeze()
