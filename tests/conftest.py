"""Shared fixtures: real PDFs written by the tests, one detection engine per session."""

from __future__ import annotations

import random
from pathlib import Path

import pymupdf
import pytest

from woo_anon import synth
from woo_anon.api import Engine, Settings

ROOT = Path(__file__).resolve().parents[1]


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
