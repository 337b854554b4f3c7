"""SMS backends for fault tests, used by worker processes the tests start and kill."""

import os
import time
from pathlib import Path

from pcrm.notify.backends import Backend


class HangingSmsBackend(Backend):
    """Says it started sending (a file), then hangs as a provider that never answers."""

    def send(self, message) -> str:
        Path(os.environ["PCRM_FAULT_MARK"]).write_text(message.recipient)
        time.sleep(600)
