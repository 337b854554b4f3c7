import pytest

from pcrm.notify.backends import ConsoleAlimtalkBackend, ConsoleSmsBackend


@pytest.fixture(autouse=True)
def _console_outboxes():
    """What the console backends "sent" belongs to one test."""
    for backend in (ConsoleSmsBackend, ConsoleAlimtalkBackend):
        backend.sent.clear()
    yield
    for backend in (ConsoleSmsBackend, ConsoleAlimtalkBackend):
        backend.sent.clear()
