"""Shared helpers for the benchmarks: the anchors wired to PyMuPDF the plain way, text readers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pymupdf


def read_back(path: Path) -> str:
    """Independent extractor: poppler's pdftotext, else pdfminer.six."""
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                              timeout=120).stdout.decode("utf-8", "replace")
    from pdfminer.high_level import extract_text

    return extract_text(str(path))


def read_back_ocr(path: Path) -> str:
    """For scanned outputs: what a reader sees, by OCR (Tesseract) of the rendered pages."""
    from woo_anon.ocr import ocr_region

    with pymupdf.open(path) as doc:
        return "\n".join(" ".join(w.text for w in ocr_region(page)) for page in doc)


def redact_strings(src: Path, dst: Path, found: list[list[str]]) -> None:
    """The plain way: search each found string on its page and redact the hits."""
    with pymupdf.open(src) as doc:
        for page, strings in zip(doc, found):
            for value in set(strings):
                for rect in page.search_for(value):
                    page.add_redact_annot(rect, fill=(0, 0, 0))
            page.apply_redactions()
        doc.save(dst, garbage=3, deflate=True)


class DeduceAnchor:
    name = "deduce"

    def __init__(self) -> None:
        from deduce import Deduce

        self.deduce = Deduce()

    def find(self, text: str) -> list[tuple[int, int, str]]:
        result = self.deduce.deidentify(text)
        return [(a.start_char, a.end_char, a.tag) for a in result.annotations]

    def redact(self, src: Path, dst: Path) -> None:
        with pymupdf.open(src) as doc:
            texts = [page.get_text() for page in doc]
        redact_strings(src, dst, [[t[s:e] for s, e, _ in self.find(t)] for t in texts])


class PresidioAnchor:
    """presidio with only its built-in recognisers (language-agnostic ones, NL phone region)."""

    name = "presidio (built-in)"

    def __init__(self) -> None:
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.predefined_recognizers import CreditCardRecognizer, PhoneRecognizer

        from woo_anon.detect import PreloadedNlpEngine, use_offline_tldextract
        from woo_anon.nlp import load_pipeline

        use_offline_tldextract()
        import logging

        logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
        registry = RecognizerRegistry(supported_languages=["nl"])
        registry.load_predefined_recognizers(languages=["nl"])
        registry.remove_recognizer("SpacyRecognizer")
        registry.remove_recognizer("PhoneRecognizer")
        registry.add_recognizer(PhoneRecognizer(supported_language="nl", supported_regions=["NL"]))
        registry.add_recognizer(CreditCardRecognizer(supported_language="nl"))
        self.engine = AnalyzerEngine(nlp_engine=PreloadedNlpEngine(load_pipeline("blank")),
                                     registry=registry, supported_languages=["nl"])

    def find(self, text: str) -> list[tuple[int, int, str]]:
        return [(r.start, r.end, r.entity_type)
                for r in self.engine.analyze(text, language="nl", score_threshold=0.4)]

    def redact(self, src: Path, dst: Path) -> None:
        with pymupdf.open(src) as doc:
            texts = [page.get_text() for page in doc]
        redact_strings(src, dst, [[t[s:e] for s, e, _ in self.find(t)] for t in texts])


def write_results(section: str, body: str) -> None:
    """Keep benchmarks/RESULTS.md with one marked section per benchmark script."""
    import time

    results = Path(__file__).parent / "RESULTS.md"
    old = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n"
    marker = f"<!-- {section} -->"
    parts = old.split(marker)
    block = f"{marker}\n## {section} ({time.strftime('%Y-%m-%d')})\n\n{body}\n{marker}"
    text = parts[0] + block + parts[2] if len(parts) == 3 else old.rstrip() + "\n\n" + block + "\n"
    results.write_text(text, encoding="utf-8")


def tree_state() -> str:
    """Which code was measured: the commit, and whether the working tree had other changes."""
    root = Path(__file__).resolve().parents[1]
    try:
        run = lambda *a: subprocess.run(["git", "-C", str(root), *a], capture_output=True,  # noqa: E731
                                        text=True, timeout=30).stdout.strip()
        commit = run("rev-parse", "--short", "HEAD")
        dirty = run("status", "--porcelain", "--untracked-files=no", "--", "src", "models")
    except (OSError, subprocess.SubprocessError):
        return "unknown commit"
    return f"commit {commit}" + (" plus uncommitted changes in src/ or models/" if dirty else "")
