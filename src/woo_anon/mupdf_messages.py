"""MuPDF's warnings for one document, as lines an officer can read in a batch's output.

MuPDF collapses a warning that comes again at once into "... repeated N times...", a line that
on its own no longer says what was repeated. Each distinct warning is shown once here, with how
often it came. A warning can quote the document itself (a damaged content stream gives
"unknown keyword: 'Pietersen'"), so quoted fragments are masked: the batch output and the
report carry no text of the document.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Iterator

REPEATED = re.compile(r"^\.\.\. repeated (\d+) times?\.\.\.$")
QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")
MASK = "'…'"


def mask(line: str) -> str:
    """A warning with whatever it quotes replaced by '…'."""
    return QUOTED.sub(MASK, line)


def counted(text: str) -> dict[str, int]:
    """Distinct (masked) warnings of MuPDF's warning text, in first-seen order, each with the
    number of times it came (a "... repeated N times..." line adds N to the one before)."""
    counts: dict[str, int] = {}
    last = None
    for line in filter(None, (raw.strip() for raw in text.splitlines())):
        repeated = REPEATED.match(line)
        if repeated:
            if last is not None:
                counts[last] += int(repeated.group(1))
            continue
        last = mask(line)
        counts[last] = counts.get(last, 0) + 1
    return counts


def summary(text: str, limit: int = 3) -> list[str]:
    """One line per distinct warning ("MuPDF: <warning> (12×)": how often MuPDF gave it while
    the document was processed, every pass over a page counting), at most `limit`, then one
    line for how many more distinct warnings there were."""
    counts = counted(text)
    lines = [f"MuPDF: {message}" + (f" ({count}×)" if count > 1 else "")
             for message, count in list(counts.items())[:limit]]
    if len(counts) > limit:
        lines.append(f"MuPDF: … and {len(counts) - limit} more")
    return lines


@contextmanager
def silenced() -> Iterator[None]:
    """MuPDF prints nothing while this runs (it would print on stdout, without a file name and
    with whatever a warning quotes). For reading a PDF outside the per-document runner, which
    collects and reports the same warnings when it processes the document."""
    import pymupdf

    tools = pymupdf.TOOLS
    shown = tools.mupdf_display_errors()
    tools.mupdf_display_errors(False)
    try:
        yield
    finally:
        tools.mupdf_display_errors(shown)
