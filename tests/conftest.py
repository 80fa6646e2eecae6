"""Shared fixtures: real PDFs written by the tests, one detection engine per session."""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import pymupdf
import pytest

import synth
from woo_anon.api import Engine, Settings

ROOT = Path(__file__).resolve().parents[1]

# CI sets WOO_ANON_REQUIRE_ALL=1 (.ci/run): a test skipped because a tool or the shared corpus
# is missing then fails, so a broken set-up step cannot turn CI green with OCR untested.
REQUIRED = re.compile(r"tesseract|ocr|corpus|poppler|pdftotext|soffice|libreoffice|chromium|playwright",
                      re.I)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("WOO_ANON_REQUIRE_ALL") == "1":
        reason = str(report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr)
        if REQUIRED.search(reason):
            report.outcome = "failed"
            report.longrepr = f"skipped in CI, where it must run (WOO_ANON_REQUIRE_ALL=1): {reason}"


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The default engine (shipped NER model when present, else rules only)."""
    return Engine(Settings())


@pytest.fixture()
def rng() -> random.Random:
    return random.Random(7)


def page_texts(path: str | Path) -> list[str]:
    with pymupdf.open(path) as doc:
        return [page.get_text() for page in doc]


def all_text(path: str | Path) -> str:
    return "\n".join(page_texts(path))


def compact(text: str) -> str:
    return "".join(text.split())


def write_text_pdf(path: Path, *pages: str, rotate: dict[int, int] | None = None) -> Path:
    return synth.write_pdf(path, list(pages), rotate=rotate)
