"""The project's own commands run in a process of their own, as an operator runs them."""

import subprocess
import sys
from pathlib import Path

BASE = Path(__file__).resolve().parents[1]


def manage(*arguments: str, env: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
