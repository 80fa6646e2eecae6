"""Running a converter (LibreOffice, Chromium) in its own process group under a time limit."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from woo_anon.errors import DocumentTimeoutError

GONE_WITHIN = 10.0  # seconds to wait for a killed converter's processes to be gone


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
    wait_group_gone(proc.pid)


def wait_group_gone(group: int, limit: float = GONE_WITHIN) -> None:
    """Return once no process of process group `group` is alive (a zombie is dead), or after
    `limit` seconds. SIGKILL is delivered asynchronously: the converter's helpers, which are
    not our children, may still be exiting when killpg returns, and a dying soffice.bin still
    holds the profile the next conversion uses."""
    deadline = time.monotonic() + limit
    while _alive_in_group(group) and time.monotonic() < deadline:
        time.sleep(0.01)


def _alive_in_group(group: int) -> bool:
    """True while a process of `group` is not yet dead, as /proc shows it (without /proc: no
    way to tell, False)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return False
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # exited while we looked
        if int(fields[2]) == group and fields[0] not in ("Z", "X"):
            return True
    return False
