"""Word survival on real government PDFs that were published after professional redaction.

Everything still readable in `../shared/corpus/real-pdfs` was judged public by the publisher, so
every word woo-anon removes from them (default settings) is over-redaction. For each document:
the words of the input and of woo-anon's output, read back independently (pdftotext for text
layers, Tesseract OCR for image-only pages), compared as multisets. Word survival = share of the
input's words still readable; the goal is >= 0.995 per document. Every removed word is listed.

The corpus is split in two halves, fixed here (sorted by name, alternating): DEVELOPMENT
documents may be studied to find classes of over-redaction; HELD-OUT documents are only measured
(before/after a change), never read for rules. Both halves are reported separately.

Run: python benchmarks/real_pdfs.py [--pages N] [--jobs 2] [--only SUBSTRING] [--half dev|held]
     [--no-cache] [--no-write]
Results are cached per (input, page limit, woo-anon source + model + settings) in build/bench-cache.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pymupdf

sys.path.insert(0, str(Path(__file__).parent))

from common import read_back, tree_state, write_results  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "real-pdfs"
CACHE = ROOT / "build" / "bench-cache" / "real-pdfs"
GOAL = 0.995
OCR_DPI = 200  # read-back of image-only pages, the same for input and output
WORD = re.compile(r"\w[\w'’.@/-]*\w|\w", re.UNICODE)

_engine = None


def half_of(name: str, names: list[str]) -> str:
    """"dev" or "held" for a corpus file: sorted by name, even positions develop, odd are held out."""
    return "dev" if sorted(names).index(name) % 2 == 0 else "held"


def words(text: str) -> Counter:
    """Words as a reader sees them (punctuation at the edges dropped, case kept)."""
    return Counter(WORD.findall(text))


def text_pages(path: Path) -> list[bool]:
    """Per page: does it have a text layer (else it is image-only and read back by OCR)?"""
    with pymupdf.open(path) as doc:
        return [len(page.get_text().strip()) >= 20 for page in doc]


def page_texts(path: Path, cache: bool = False, has_text: list[bool] | None = None) -> list[str]:
    """Per page: the text layer (pdftotext), or OCR of the rendered page when it has none.
    `has_text` (default: the file's own) decides which; an output is read the way its input
    was, so the ground labels printed on a redacted scan do not turn it into a "text" page.
    With cache, kept by the file's sha256 (the inputs never change)."""
    from woo_anon.ocr import ocr_region

    target = CACHE / "inputs" / f"{hashlib.sha256(path.read_bytes()).hexdigest()[:24]}.json"
    if cache and target.exists():
        return json.loads(target.read_text(encoding="utf-8"))

    with pymupdf.open(path) as doc:
        count = doc.page_count
    has_text = text_pages(path) if has_text is None else has_text
    full = read_back(path).split("\f")
    texts = []
    for number in range(count):
        if has_text[number]:
            texts.append(full[number] if number < len(full) else "")
        else:
            with pymupdf.open(path) as doc:
                texts.append(" ".join(w.text for w in ocr_region(doc[number], dpi=OCR_DPI)))
    if cache:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    return texts


def limited_copy(src: Path, pages: int | None, work: Path) -> Path:
    """The first `pages` pages of src as a new file (src itself when no limit applies)."""
    with pymupdf.open(src) as doc:
        if not pages or doc.page_count <= pages:
            return src
        out = pymupdf.open()
        out.insert_pdf(doc, from_page=0, to_page=pages - 1)
        target = work / src.name
        out.save(target)
        out.close()
    return target


def code_digest() -> str:
    """Changes whenever woo-anon's code, data, model or default settings change."""
    from woo_anon.api import Settings

    digest = hashlib.sha256(Settings().digest().encode())
    import woo_anon

    package = Path(woo_anon.__file__).parent
    for folder in (package, package.parents[1] / "models"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(folder.parent)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _init_worker() -> None:
    global _engine
    from woo_anon.api import Engine, Settings

    _engine = Engine(Settings())


def measure(src: Path, pages: int | None) -> dict:
    """Redact one document with default settings and compare words before and after."""
    from woo_anon.api import redact_file
    from woo_anon.audit import AuditLog

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "audit").mkdir()
        source = limited_copy(src, pages, work)
        result = redact_file(_engine, source, "out_" + src.name, work / "out",
                             AuditLog(work / "audit"), force=True)
        before = [words(t) for t in page_texts(source, cache=True)]
        if result.status != "verified":
            return {"name": src.name, "status": result.status, "error": result.error,
                    "pages": len(before), "words": sum(sum(c.values()) for c in before)}
        after = [words(t) for t in page_texts(Path(result.output), has_text=text_pages(source))]
    removed = Counter()
    for b, a in zip(before, after):
        removed += b - a
    total = sum(sum(c.values()) for c in before)
    return {"name": src.name, "status": "verified", "pages": len(before), "words": total,
            "removed": dict(sorted(removed.items())), "removed_count": sum(removed.values()),
            "redactions": sum(result.by_ground.values()),
            "seconds": round(time.perf_counter() - start, 1)}


def run(files: list[Path], pages: int | None, jobs: int, use_cache: bool) -> list[dict]:
    key = code_digest() + f"-p{pages or 0}"
    CACHE.mkdir(parents=True, exist_ok=True)
    results, todo = {}, []
    for f in files:
        cached = CACHE / f"{hashlib.sha256(f.read_bytes()).hexdigest()[:16]}-{key}.json"
        if use_cache and cached.exists():
            results[f.name] = json.loads(cached.read_text(encoding="utf-8"))
        else:
            todo.append((f, cached))
    print(f"real PDFs: {len(files) - len(todo)} cached, {len(todo)} to run", file=sys.stderr)
    if todo:
        with ProcessPoolExecutor(jobs, initializer=_init_worker) as pool:
            todo.sort(key=lambda fc: -fc[0].stat().st_size)  # largest first: less waiting at the end
            futures = {pool.submit(measure, f, pages): (f, c) for f, c in todo}
            for future, (f, cached) in futures.items():
                try:
                    data = future.result()
                except Exception as exc:  # the benchmark itself failed on this file: report it
                    data = {"name": f.name, "status": "failed", "error": f"benchmark: {exc}",
                            "pages": 0, "words": 0}
                if data["status"] == "verified":  # a failure may be a passing state of the tree
                    cached.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
                results[f.name] = data
                print(f"  {f.name}: {data.get('seconds', '-')} s", file=sys.stderr)
    return [results[f.name] for f in files]


def survival(row: dict) -> float | None:
    if row["status"] != "verified":
        return None
    return 1 - row["removed_count"] / row["words"] if row["words"] else 1.0


def summary(rows: list[dict], label: str) -> str:
    """One line: words surviving, documents meeting the goal, failures, for a set of rows."""
    ok = [r for r in rows if r["status"] == "verified"]
    words_all = sum(r["words"] for r in ok)
    removed_all = sum(r["removed_count"] for r in ok)
    meeting = sum(1 for r in ok if survival(r) >= GOAL)
    return (f"{label}: {words_all - removed_all} of {words_all} words survive "
            f"(**{1 - removed_all / max(words_all, 1):.4f}**); {meeting} of {len(rows)} documents "
            f"meet the goal of ≥ {GOAL}; {len(rows) - len(ok)} failed.")


def report(rows: list[dict], pages: int | None) -> str:
    names = [r["name"] for r in rows]
    corpus = sorted(p.name for p in CORPUS.glob("*.pdf")) or names
    halves = {r["name"]: half_of(r["name"], corpus) if r["name"] in corpus else "-" for r in rows}
    scope = f"first {pages} pages of each" if pages else "all pages"
    lines = [f"Measured on {tree_state()}.", "",
             f"### Word survival on {len(rows)} real government PDFs ({scope}; default settings)", "",
             "These PDFs were published after professional redaction (or contain no personal data), "
             "so every readable word is public and every word woo-anon removes is over-redaction. "
             "Words = text-layer words read back with pdftotext before and after, compared as "
             "multisets (page by page); image-only pages are read back by Tesseract OCR at "
             f"{OCR_DPI} dpi on both sides, so OCR noise can add a few removed words there "
             "(plooi_blg-1007826, vws_woodecision_besluitbrief and the image-only pages of some "
             "VWS files). Ground-code labels that woo-anon adds are not counted.", "",
             "The corpus is split in two fixed halves (sorted by name, alternating): rules were "
             "developed on the development half only; the held-out half is measured, never read.",
             "", "- " + summary(rows, "Overall")]
    for half, label in (("dev", "Development half"), ("held", "Held-out half")):
        part = [r for r in rows if halves[r["name"]] == half]
        if part:
            lines.append("- " + summary(part, label))
    lines += ["",
             "| document | half | pages | words | removed | survival | ≥ 0.995 |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        s = survival(r)
        cells = (f"{r['removed_count']} | {s:.4f} | {'yes' if s >= GOAL else '**no**'}" if s is not None
                 else f"– | failed: {r.get('error', '')} | **no**")
        lines.append(f"| {r['name']} | {halves[r['name']]} | {r['pages']} | {r['words']} | {cells} |")
    lines += ["", "### Every removed word (word ×count), per document", ""]
    for r in rows:
        if r["status"] == "verified" and r["removed"]:
            items = ", ".join(f"`{w}`" + (f" ×{n}" if n > 1 else "") for w, n in r["removed"].items())
            lines.append(f"- **{r['name']}** ({r['removed_count']}): {items}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=None, help="only the first N pages of each PDF")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--only", default="", help="only files whose name contains this")
    parser.add_argument("--half", choices=("dev", "held"), default=None,
                        help="only the development or the held-out half of the corpus")
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"{CORPUS}: corpus not found (the shared folder must sit beside the repository)")
    corpus = sorted(p.name for p in CORPUS.glob("*.pdf"))
    files = sorted(p for p in CORPUS.glob("*.pdf") if args.only in p.name
                   and (args.half is None or half_of(p.name, corpus) == args.half))
    start = time.perf_counter()
    rows = run(files, args.pages, args.jobs, not args.no_cache)
    body = report(rows, args.pages)
    print(body)
    print(f"({time.perf_counter() - start:.0f} s)", file=sys.stderr)
    if not args.no_write and not args.only and not args.half:
        write_results("real-pdfs", body)


if __name__ == "__main__":
    main()
