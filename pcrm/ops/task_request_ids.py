"""A task queued while handling a request carries that request's id in its headers; the
worker makes it current while the task runs, so the task's log lines can be found with
the request's."""

from celery import signals

from pcrm.ops import context

HEADER = "pcrm_request_id"
_tokens: dict[str, object] = {}


@signals.before_task_publish.connect
def carry_request_id(headers=None, **kwargs):
    request_id = context.current()
    if headers is not None and request_id:
        headers.setdefault(HEADER, request_id)


@signals.task_prerun.connect
def restore_request_id(task_id=None, task=None, **kwargs):
    request_id = getattr(task.request, HEADER, None) or context.accept(None)
    _tokens[task_id] = context.bind(request_id)


@signals.task_postrun.connect
def forget_request_id(task_id=None, **kwargs):
    token = _tokens.pop(task_id, None)
    if token is not None:
        context.unbind(token)
