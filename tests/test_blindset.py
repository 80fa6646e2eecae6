"""Self-check of the blind benchmark set (benchmarks/woo_blindset.py): the documents are
deterministic, their labelled values are valid and readable in the rendered PDFs, and no person
name is in any list or text the tool or its model could have seen."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest
from stdnum import iban
from stdnum.nl import bsn

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import woo_blindset  # noqa: E402

OLD_KINDS = {"action-list", "council-news", "mail-chain", "objection-decision", "objection-register",
             "report-form", "visit-report", "letter", "email", "minutes", "phone", "permit"}


@pytest.fixture(scope="module")
def docs():
    return woo_blindset.make_docs("unlisted", 11, 4)


def test_deterministic_per_seed(docs):
    again = woo_blindset.make_docs("unlisted", 11, 4)
    assert [(d.text, d.secrets, d.keeps) for d in docs] == [(d.text, d.secrets, d.keeps) for d in again]
    assert [d.text for d in woo_blindset.make_docs("unlisted", 12, 4)] != [d.text for d in docs]


def test_new_kinds_layouts_and_balance(docs):
    kinds = {d.kind for d in docs}
    assert len(kinds) >= 7 and not kinds & OLD_KINDS
    assert len({d.layout for d in docs}) >= 3
    assert len(docs) == 4 * len(kinds)
    for doc in docs:
        assert 4 <= len(doc.secrets) and 4 <= len(doc.keeps), doc.name
        secret_values = {v for _, v in doc.secrets}
        assert not secret_values & set(doc.keeps), doc.name


def test_identifiers_are_valid(docs):
    for doc in docs:
        for entity, value in doc.secrets:
            if entity == "NL_BSN":
                assert bsn.is_valid(value), value
            elif entity == "IBAN_CODE":
                assert iban.is_valid(value), value
            elif entity == "NL_POSTCODE":
                assert re.fullmatch(r"[1-9]\d{3} ?[A-Z]{2}", value) and value[-2:] not in ("SA", "SD", "SS")
            elif entity == "NL_LICENCE_PLATE":
                assert re.fullmatch(r"[0-9BDFGHJKLNPRSTVXZ]{1,3}(-[0-9BDFGHJKLNPRSTVXZ]{1,3}){2}", value), value


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_value_is_readable_in_the_pdf(docs, tmp_path):
    for doc in docs:
        path = woo_blindset.write_pdf(doc, tmp_path / doc.name)
        with pymupdf.open(path) as pdf:
            text = "\n".join(page.get_text() for page in pdf)
            for page in pdf:  # nothing runs off the page
                for block in page.get_text("dict")["blocks"]:
                    assert pymupdf.Rect(block["bbox"]) in page.rect + (-1, -1, 1, 1), doc.name
        if shutil.which("pdftotext"):
            text += subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
        for value in [v for _, v in doc.secrets] + doc.keeps:
            assert _squash(value) in _squash(text), (doc.name, value)


def test_person_names_are_unseen():
    woo_blindset.check_pools()


def test_no_person_name_hides_in_public_text(docs):
    """A name part inside a kept phrase would count as 'still readable' whatever the redactor did."""
    for doc in docs:
        parts = {t.lower() for e, v in doc.secrets if e == "PERSON" for t in re.split(r"[\s,]+", v)
                 if len(t) >= 3 and not t.endswith(".")} - {"van", "der", "den", "ter", "het"}
        for keep in doc.keeps:
            assert not {t.lower() for t in re.findall(r"\w+", keep)} & parts, (doc.name, keep)
