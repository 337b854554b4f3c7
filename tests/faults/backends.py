"""SMS backends for fault tests, used by worker processes the tests start and kill."""

import os
import time
from pathlib import Path

from pcrm.notify.backends import SmsBackend


class HangingSmsBackend(SmsBackend):
    """Says it started sending (a file), then hangs as a provider that never answers."""

    def send(self, phone: str, body: str) -> None:
        Path(os.environ["PCRM_FAULT_MARK"]).write_text(phone)
        time.sleep(600)
