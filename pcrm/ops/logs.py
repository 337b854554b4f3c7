"""Log lines as JSON objects (one per line) carrying the request id; ``LOG_FORMAT=plain``
keeps the readable format for development."""

import json
import logging
from datetime import UTC, datetime

from pcrm.ops import context


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = context.current()
        return True


class ClientErrorsWithoutTraceback(logging.Filter):
    """A refused request (403, 404, 405 ...) is one line: what and who, not the stack of
    the exception that answered it. Server errors keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info, record.exc_text = None, None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or None,
            "process": record.process,
        }
        task = getattr(record, "task_name", None)
        if task:
            line["task"] = task
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)
