"""Running a converter (LibreOffice, Chromium) in its own process group under a time limit."""

from __future__ import annotations

import os
import signal
import subprocess

from woo_anon.errors import DocumentTimeoutError


def run_converter(command: list[str], env: dict[str, str], timeout: float, too_long: str) -> None:
    """Run `command` in a new session; on timeout, the document's own limit or Ctrl-C kill its
    whole process group (no orphans) — on timeout with DocumentTimeoutError(`too_long`). Helper
    processes still alive after a normal exit are killed too."""
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, start_new_session=True, env=env)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        raise DocumentTimeoutError(too_long) from None
    except BaseException:  # the document's own time limit (SIGALRM) or Ctrl-C: no orphans
        _kill(proc)
        raise
    _kill(proc)


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()
