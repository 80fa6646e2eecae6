"""Page-range parallelism for one long document (issue #17).

In a run with more than one worker, a PDF of at least SPLIT_PAGES pages is not given to one
worker whole. Its pages are read and analysed in ranges, in all workers at once: each range task
opens the normalised PDF, extracts its pages and runs the analyzer step (spaCy + presidio) on
them, and leaves the frozen Pages and raw spans in a file in the work folder. When every range
is back, one worker finishes the document as the one-process path does: the document-wide
detection steps (model-span filter, line joins, propagation, officials, consistency, special
categories, deny list) over all pages, the plan, redaction, verification, output, audit and
resume state (runner.process with `analysis`). The plan and the output are the same as from the
one-process path: ranges are whole multiples of the analyzer's spaCy batch, so the model sees
the same batches.

A range that fails or hangs is not reported on its own: the document is then run whole, the
ordinary way, which reports what is wrong with it.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from woo_anon.model import Document, Page, Span

SPLIT_PAGES = 48  # a document this long is split over the workers
RANGE_PAGES = 32  # pages per range: the analyzer's spaCy batch (detect.Analyze)
RANGES_DIR = "ranges"
MIN_BYTES = 16_000  # a smaller file holds too little to gain from splitting: not opened to count


@dataclass(frozen=True)
class Analysis:
    """The extracted pages of a whole document and the analyzer's spans on them."""

    pages: tuple[Page, ...]
    spans: tuple[Span, ...]
    messages: tuple[str, ...] = ()


def page_count(path: Path) -> int:
    """Pages of a PDF, 0 for anything that does not open (the ordinary path reports it) and
    for a file too small to gain from splitting (thousands of short letters are not opened twice)."""
    import pymupdf

    try:
        if path.stat().st_size < MIN_BYTES:
            return 0
        with pymupdf.open(path, filetype="pdf") as doc:
            return 0 if doc.needs_pass else doc.page_count
    except Exception:
        return 0


def ranges(pages: int, size: int = RANGE_PAGES) -> list[tuple[int, int]]:
    """[first, last) page indexes of each range."""
    return [(first, min(first + size, pages)) for first in range(0, pages, size)]


def analyse_range(engine, source: Path, first: int, last: int, ocr: str) -> Analysis:
    """Extract pages [first, last) of the normalised PDF and run the analyzer step on them."""
    from woo_anon.extract import open_normalised, read_document
    from woo_anon.processors import Context

    doc = open_normalised(source)
    try:
        document = read_document(doc, source, "", ocr, sha256="-", pages=range(first, last))
    finally:
        doc.close()
    step = next(p for p in engine.detector.processors if p.name == "analyzer")
    return Analysis(document.pages, tuple(step(Context(document), [])))


def save(analysis: Analysis, folder: Path) -> str:
    """Store a range's analysis as a file in `folder` (the work folder): the parent process
    passes file names, never the pages themselves, so its memory stays flat."""
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix="range-", suffix=".pickle", dir=folder)
    with os.fdopen(handle, "wb") as out:
        pickle.dump(analysis, out, protocol=pickle.HIGHEST_PROTOCOL)
    return name


def load(files: tuple[str, ...]) -> Analysis:
    """The whole document's analysis from its ranges' files, in page order; the files are
    removed."""
    parts = []
    for name in files:
        with open(name, "rb") as handle:
            parts.append(pickle.load(handle))
        Path(name).unlink(missing_ok=True)
    return Analysis(tuple(p for part in parts for p in part.pages),
                    tuple(s for part in parts for s in part.spans),
                    tuple(dict.fromkeys(m for part in parts for m in part.messages)))


def document_of(analysis: Analysis, source: Path, name: str, sha256: str) -> Document:
    """The Document that extraction of the whole file would have given."""
    return Document(path=str(source), name=name, sha256=sha256, pages=analysis.pages)


def discard(files) -> None:
    for name in files:
        if name:
            Path(name).unlink(missing_ok=True)


class Splitter:
    """The bookkeeping of a batch whose long documents are split: which ranges of which
    document are back. `schedule` drives a WatchdogPool."""

    def __init__(self, range_task, whole_task, jobs: int, extra: tuple = ()) -> None:
        self.range_task, self.whole_task, self.jobs = range_task, whole_task, jobs
        self.extra = extra  # passed to each range task after (item, index, first, last)
        self.parts: dict[str, list[str | None]] = {}

    def wants_split(self, item, size: int) -> bool:
        return self.jobs > 1 and size >= SPLIT_PAGES and not item.problem \
            and item.suffix == ".pdf"

    def schedule(self, pool, items: list, whole_args, sizes: dict[str, int]) -> Iterator[tuple]:
        """Run `items` on `pool`; yields (job, result) of the whole-document tasks. Long
        documents' ranges go first, so their finishing task can start while the other workers
        take the short documents."""
        for item in items:
            if self.wants_split(item, sizes.get(item.name, 0)):
                spans = ranges(sizes[item.name])
                self.parts[item.name] = [None] * len(spans)
                for index, (first, last) in enumerate(spans):
                    pool.submit(self.range_task, (item, index, first, last, *self.extra))
        for item in items:
            if item.name not in self.parts:
                pool.submit(self.whole_task, whole_args(item, None))
        try:
            for func, job, result in pool.results():
                if func is self.range_task:
                    self._range_done(pool, job, result, whole_args)
                else:
                    yield job, result
        finally:
            for files in self.parts.values():
                discard(files)

    def _range_done(self, pool, job: tuple, result, whole_args) -> None:
        item, index = job[0], job[1]
        files = self.parts.get(item.name)
        if files is None:  # the document already went the ordinary way
            discard([result] if isinstance(result, str) else [])
            return
        if not isinstance(result, str):  # the range failed or hung: run the document whole
            del self.parts[item.name]
            pool.cancel(lambda func, other: func is self.range_task and other[0].name == item.name)
            discard(files)
            pool.submit(self.whole_task, whole_args(item, None), first=True)
            return
        files[index] = result
        if all(files):
            del self.parts[item.name]
            pool.submit(self.whole_task, whole_args(item, tuple(files)), first=True)
