"""One review session: the request's plans, the pages behind them, search and Toepassen."""

from __future__ import annotations

import csv
import tempfile
import threading
import time
from pathlib import Path

from woo_anon.errors import WooAnonError
from woo_anon.extract import open_pdf
from woo_anon.ocr import LOW_CONFIDENCE
from woo_anon.policy import Policy
from woo_anon.review_app.apply import ApplyJob, result_row, run_apply
from woo_anon.review_app.pages import PDF_LOCK, PageSource, covered, same_place
from woo_anon.review_app.store import EditError, PlanDoc, PlanStore


class ReviewSession:
    """Everything the routes need; all methods are plain (run them on a worker thread)."""

    def __init__(self, plan_dir: Path, inputs: list[str], outdir: Path, reviewer: str,
                 grounds_file: str | None = None) -> None:
        self.policy = Policy.load(grounds_file)
        self.store = PlanStore(plan_dir, reviewer, dict(self.policy.ground_names),
                               self.policy.default_ground)
        self.inputs = inputs
        self.outdir = outdir
        self.job = ApplyJob()
        self.sources: dict[int, PageSource] = {}
        # a background page scan may still be writing when the server stops: never a traceback
        self._workdir = tempfile.TemporaryDirectory(prefix="woo-anon-review-",
                                                    ignore_cleanup_errors=True)
        self.flags: dict[int, dict[str, str]] = {doc.index: {} for doc in self.store.docs}
        self.viewing: int | None = None
        for doc in self.store.docs:
            self._open(doc)
        self._duplicate_flags()
        threading.Thread(target=self._scan_flags, daemon=True).start()

    def _duplicate_flags(self) -> None:
        """duplicates.csv (written beside the plans by the duplicate grouping), when present."""
        table = self.store.plan_dir / "duplicates.csv"
        if not table.is_file():
            return
        by_name = {doc.name: doc.index for doc in self.store.docs}
        with open(table, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                index = by_name.get(row.get("document", ""))
                if index is not None and row.get("original"):
                    self.flags[index]["dubbel"] = f"dubbel van {row['original']} ({row.get('kind', '')})"

    def _scan_flags(self) -> None:
        """Scanned pages, found in the background so the list shows them without opening."""
        for index, source in list(self.sources.items()):
            try:
                scans = source.scan_pages()
            except Exception:  # a page MuPDF cannot read is reported when it is opened
                continue
            finally:
                self._release(index)
            if scans and "ocr" not in self.flags[index]:
                self.flags[index]["scan"] = f"scan (OCR) op pagina {_pages(scans)}"

    def _open(self, doc: PlanDoc) -> None:
        if doc.error:
            return
        if not doc.review_file.exists():
            doc.error = f"review-PDF ontbreekt: {doc.review_file.name}"
            return
        source = PageSource(doc.review_file, doc.name, Path(self._workdir.name))
        try:
            with PDF_LOCK, open_pdf(doc.review_file) as pdf:
                doc.pages = pdf.page_count
        except WooAnonError as exc:
            doc.error = f"review-PDF onleesbaar: {exc}"
            return
        self.sources[doc.index] = source

    # --- reading ---------------------------------------------------------------------------

    def summary(self, doc: PlanDoc) -> dict:
        """One row of the document list."""
        row = {"index": doc.index, "name": doc.name, "pages": doc.pages, "error": doc.error,
               "flags": list(self.flags.get(doc.index, {}).values())}
        if doc.error:
            return row
        items = doc.raw.get("redactions", [])
        by_ground: dict[str, int] = {}
        for item in items:
            if item.get("status") == "redact":
                by_ground[item.get("ground", "")] = by_ground.get(item.get("ground", ""), 0) + 1
        reviewed = sum(1 for item in items if item.get("reviewer"))
        row.update(by_ground=dict(sorted(by_ground.items())), proposals=len(items),
                   keep=sum(1 for item in items if item.get("status") == "keep"),
                   to_review=sum(1 for item in items if item.get("status") == "review"),
                   reviewed=reviewed, status="in beoordeling" if reviewed else "niet beoordeeld")
        result = next((r for r in self.job.results if r["name"] == doc.name), None)
        if result:
            row["status"] = "toegepast, geverifieerd" if result["status"] == "verified" else "toepassen mislukt"
        return row

    def document(self, index: int) -> dict:
        """Page sizes and every proposal of one document (text included: this is the review)."""
        doc = self._doc(index)
        return {"index": index, "name": doc.name, "sizes": self.sources[index].sizes(),
                "matrices": self.sources[index].matrices(),
                "redactions": doc.raw.get("redactions", []),
                "flags": list(self.flags.get(index, {}).values())}

    def words(self, index: int, page: int) -> list[dict]:
        self._doc(index)
        words = self.sources[index].words(page)
        self._ocr_flags(index)
        return words

    def render(self, index: int, page: int, zoom: float) -> bytes:
        self._doc(index)
        return self.sources[index].render(page, min(max(zoom, 0.5), 4.0))

    def _ocr_flags(self, index: int) -> None:
        document = self.sources[index].document()
        low = [p.number for p in document.pages if p.ocr and (p.ocr_confidence or 0) < LOW_CONFIDENCE]
        scans = [p.number for p in document.pages if p.ocr]
        flags = self.flags[index]
        flags.pop("scan", None)
        if scans:
            flags["ocr"] = f"OCR op pagina {_pages(scans)}"
        if low:
            flags["laag"] = f"lage OCR-zekerheid op pagina {_pages(low)}: controleer die pagina's extra"

    def _doc(self, index: int) -> PlanDoc:
        if not 0 <= index < len(self.store.docs) or index not in self.sources:
            raise EditError("onbekend of onleesbaar document")
        if index != self.viewing:  # only the document on screen stays open and extracted
            previous, self.viewing = self.viewing, index
            self._release(previous)
        return self.store.docs[index]

    def _release(self, index: int | None) -> None:
        if index is not None and index != self.viewing and index in self.sources:
            self.sources[index].close()

    # --- editing ---------------------------------------------------------------------------

    def add_selection(self, index: int, page: int, start: int, end: int, ground: str) -> dict:
        """Selected text → a manual redaction with one box per line."""
        doc = self._doc(index)
        hit = self.sources[index].selection(page, start, end)
        _refuse_covered(doc, page, hit.boxes)
        return self.store.add(index, page, [list(b) for b in hit.boxes], hit.text, ground,
                              "geselecteerd in beoordeling")

    def add_box(self, index: int, page: int, box: list, ground: str) -> dict:
        """A drawn box → a manual redaction; its text is whatever words it covers."""
        doc = self._doc(index)
        text = self._text_under(index, page, box)
        box = self.sources[index].to_plan(page, box)
        _refuse_covered(doc, page, [box])
        return self.store.add(index, page, [box], text, ground,
                              "getekend in beoordeling")

    def _text_under(self, index: int, page: int, box: list) -> str:
        """The words a drawn box (as shown) mostly covers."""
        try:
            words = self.sources[index].words(page)
            return " ".join(w["t"] for w in words if covered((tuple(w["b"]),), [box]))
        except (WooAnonError, TypeError, ValueError, IndexError):
            return ""

    def search(self, term: str, scope: int | None, status: str, ground: str) -> dict:
        """Set every occurrence of `term` (one document, or all when scope is None) to `status`.

        An occurrence marking the same place as an existing proposal changes that proposal;
        other occurrences become manual redactions (for `redact`) or are left alone (`keep`).
        """
        if status not in ("redact", "keep"):
            raise EditError("status moet 'redact' of 'keep' zijn")
        ground = self.store.check_ground(ground) if status == "redact" else ground
        if scope is not None and scope not in self.sources:
            raise EditError("onbekend of onleesbaar document")
        indices = [scope] if scope is not None else sorted(self.sources)
        changes, found = {}, 0
        for index in indices:
            doc = self.store.docs[index]
            if index not in self.sources:
                continue
            hits = self.sources[index].find(term)
            self._release(index)
            found += len(hits)
            ids, new = _match(doc.raw.get("redactions", []), hits, status, ground)
            if ids or new:
                changes[index] = (ids, new)
        changed = self.store.bulk(changes, status) if changes else 0
        return {"found": found, "changed": changed, "documents": sorted(changes)}

    # --- Toepassen -------------------------------------------------------------------------

    def start_apply(self, force: bool, inputs: list[str] | None = None) -> dict:
        """Start applying every document of the request, exactly as `woo-anon apply INPUTS` would.

        The inputs given on the command line win; without them the officer names the folder
        with the original documents in the page (the plans record names, not paths).
        """
        if not self.inputs:
            missing = [p for p in inputs or [] if not Path(p).exists()]
            if not inputs or missing:
                raise EditError(f"originele documenten niet gevonden: {', '.join(missing) or '(niets opgegeven)'}")
            self.inputs = list(inputs)
        with self.store.lock:
            if self.job.running:
                raise EditError("toepassen is al bezig")
            self.store.frozen = True
            job = self.job = ApplyJob()
            job.running, job.started = True, time.monotonic()
            job.total = len(self.store.docs)
        threading.Thread(target=self._apply, args=(job, force), daemon=True).start()
        return job.state()

    def _apply(self, job: ApplyJob, force: bool) -> None:
        try:
            with PDF_LOCK:  # no page rendering in parallel: MuPDF is not thread-safe
                results = run_apply(list(self.inputs), self.store.plan_dir, self.outdir, force, job,
                                    self.store.reviewer)
            job.results = [result_row(r) for r in results]
            job.done = len(results)
        except WooAnonError as exc:
            job.error = str(exc)
        except Exception as exc:  # shown in the page; the server keeps running
            job.error = f"interne fout: {type(exc).__name__}: {str(exc)[:200]}"
        finally:
            with self.store.lock:
                job.running, job.finished = False, time.monotonic()
                self.store.frozen = False

    def output_file(self, index: int) -> Path:
        doc = self._doc(index)
        result = next((r for r in self.job.results if r["name"] == doc.name and r["output"]), None)
        if result is None or not Path(result["output"]).is_file():
            raise EditError("nog geen uitvoer voor dit document")
        return Path(result["output"])

    def close(self) -> None:
        with PDF_LOCK:
            for source in self.sources.values():
                source.close()
        self._workdir.cleanup()


ALREADY = 0.9  # share of a new box under existing redactions that makes it redundant


def _redacted_boxes(items: list[dict], page: int) -> list:
    return [b for i in items if i.get("page") == page and i.get("status") == "redact" for b in i.get("boxes", [])]


def _refuse_covered(doc: PlanDoc, page: int, boxes) -> None:
    """A box inside one already redacted adds nothing, and overlapping boxes hide each
    other's ground label (the output would fail verification)."""
    if covered(tuple(boxes), _redacted_boxes(doc.raw.get("redactions", []), page), ALREADY):
        raise EditError("dit stuk is al gelakt")


def _match(items: list[dict], hits, status: str, ground: str) -> tuple[list[str], list[dict]]:
    ids, new = [], []
    for hit in hits:
        same = [i for i in items if i.get("page") == hit.page and same_place(hit.boxes, i.get("boxes", []))]
        ids += [i["id"] for i in same if i.get("status") != status and i["id"] not in ids]
        if not same and status == "redact" and not covered(hit.boxes, _redacted_boxes(items, hit.page), ALREADY):
            new.append({"page": hit.page, "boxes": [list(b) for b in hit.boxes], "entity": "MANUAL",
                        "ground": ground, "score": 1.0, "recognizer": "reviewer", "status": "redact",
                        "reason": "zoekterm in beoordeling", "text": hit.text})
    return ids, new


def _pages(numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:10]))
    return shown + (f" en {len(numbers) - 10} meer" if len(numbers) > 10 else "")
