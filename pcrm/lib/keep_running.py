"""Run a command and start it again whenever it dies: the embedded default's worker and
beat (``Procfile``), which nothing else would restart; production has systemd for that.

    python -m pcrm.lib.keep_running celery -A pcrm worker ...

A stop asked for (SIGINT, SIGTERM: Ctrl-C under ``make run``) is passed to the command
and ends this too. A command that dies by itself is started again after a pause that
doubles from one second up to thirty while it keeps dying within a minute of starting.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time

FIRST_PAUSE, LONGEST_PAUSE, HEALTHY_AFTER = 1.0, 30.0, 60.0


def run(command: list[str], *, sleep=time.sleep) -> int:
    stopping = {"signal": None}
    child: subprocess.Popen | None = None

    def stop(signum, _frame):
        stopping["signal"] = signum
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    pause = FIRST_PAUSE
    while True:
        started = time.monotonic()
        child = subprocess.Popen(command)  # noqa: S603 (the Procfile's own command)
        code = child.wait()
        if stopping["signal"] is not None:
            return code
        if time.monotonic() - started > HEALTHY_AFTER:
            pause = FIRST_PAUSE
        print(
            f"keep_running: {command[0]} ended with {code}; starting it again in {pause:.0f} s",
            file=sys.stderr,
            flush=True,
        )
        sleep(pause)
        if stopping["signal"] is not None:
            return code
        pause = min(pause * 2, LONGEST_PAUSE)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python -m pcrm.lib.keep_running COMMAND [ARGUMENT ...]")
    sys.exit(run(sys.argv[1:]))
