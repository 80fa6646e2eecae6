"""Atomic file writes: every output is written to a temporary file beside its target and only
then moved into place, so a crash or Ctrl-C never leaves a half-written file under its real name."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

PART_PREFIX = ".woo-anon-"
PART_SUFFIX = ".part"
WORK_PREFIX = ".woo-anon-work-"
STAGING = "staged"  # inside the work folder: where cluster workers write finished outputs


def temp_for(target: str | Path) -> str:
    """A new, empty temporary file in the target's folder (same file system, so the final
    `os.replace` is atomic)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=PART_PREFIX, suffix=PART_SUFFIX, dir=target.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual permissions
    return tmp


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_path(target: str | Path) -> Iterator[str]:
    """Yield a temporary path to write; on success it is fsynced and replaces `target`;
    on any error it is removed and `target` is left as it was."""
    tmp = temp_for(target)
    try:
        yield tmp
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_atomic(target: str | Path, write: Callable[[str], None]) -> Path:
    """Call `write(tmp_path)` and move the result into place atomically."""
    with atomic_path(target) as tmp:
        write(tmp)
    return Path(target)


def write_text_atomic(target: str | Path, text: str) -> Path:
    """Write UTF-8 text atomically."""
    return write_atomic(target, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def remove_partials(folder: str | Path) -> None:
    """Remove temporary files left by a run that was killed mid-write."""
    for stale in Path(folder).rglob(f"{PART_PREFIX}*{PART_SUFFIX}"):
        stale.unlink(missing_ok=True)


_SCRATCH: dict[tuple[str, int], Path] = {}


def process_scratch(prefix: str) -> Path:
    """A temporary folder of this process for `prefix` (a forked worker gets its own), removed
    when the process ends."""
    import atexit
    import shutil

    key = (prefix, os.getpid())
    if key not in _SCRATCH:
        _SCRATCH[key] = Path(tempfile.mkdtemp(prefix=f"{prefix}{key[1]}-"))
        atexit.register(shutil.rmtree, _SCRATCH[key], True)
    return _SCRATCH[key]


def work_dir(outdir: str | Path) -> Path:
    """Where a run keeps what must not be published: unpacked originals, the resume state and
    the audit key. Beside the output folder, never inside it: OUTDIR holds only publishable
    files. `out/` → `.woo-anon-work-out/` next to it."""
    outdir = Path(outdir).resolve()
    if outdir.name == STAGING and outdir.parent.name.startswith(WORK_PREFIX):
        return outdir.parent  # a cluster worker's staging area shares its run's work folder
    return outdir.parent / f"{WORK_PREFIX}{outdir.name}"


def make_work_dir(outdir: str | Path) -> Path:
    """Create the work folder, readable by its owner only (it holds unredacted originals)."""
    work = work_dir(outdir)
    work.mkdir(parents=True, exist_ok=True)
    os.chmod(work, 0o700)
    return work
