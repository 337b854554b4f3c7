"""Message backends that record each send as one line in ``SCALE_OUT_SENT_LOG`` (opened
for appending by every process: small writes to an O_APPEND file do not interleave), so
the scale-out run can count how often each message left."""

import json
import os

from django.core.mail.backends.base import BaseEmailBackend

from pcrm.notify.backends import Backend


def _record(channel: str, recipient: str, text: str) -> None:
    line = json.dumps(
        {
            "channel": channel,
            "to": recipient,
            "text": text,
            "pid": os.getpid(),
            "group": os.getpgid(0),  # which worker (its process group) sent it
        }
    )
    with open(os.environ["SCALE_OUT_SENT_LOG"], "a", encoding="utf-8") as log:
        log.write(line + "\n")


class FileSmsBackend(Backend):
    def send(self, message) -> str:
        _record("sms", message.recipient, message.body)
        return ""


class FileEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            for recipient in message.to:
                _record("email", recipient, f"{message.subject}\n{message.body}")
        return len(email_messages)
