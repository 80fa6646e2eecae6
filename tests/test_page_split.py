"""Page-range parallelism (woo_anon.split): a long document run with two workers, its pages read
and analysed in ranges by both, gives exactly what the one-process path gives: the same plan
JSON, the same redacted bytes and the same audit records. Also when a range fails, and in a
batch that mixes short documents with a long one."""

from __future__ import annotations

import hashlib
import json
import os
import random
from pathlib import Path

import pytest

import synth
from conftest import all_text, compact
from woo_anon import split
from woo_anon.batch import run_items
from woo_anon.engine import Settings
from woo_anon.runner import Mode
from woo_anon.sources import item_for

PAGES = 70  # above split.SPLIT_PAGES: three ranges (32 + 32 + 6)
FULL, SURNAME = "Wilhelmina Zandbergen", "Zandbergen"
LATE = 66  # the page where the surname stands alone: in the last range


def _pages(rng: random.Random) -> tuple[list[str], list[str]]:
    """Pages of ordinary prose with personal data on some of them; returns the pages and the
    planted values."""
    filler = ("De gemeente heeft het verzoek ontvangen en beoordeeld. Het college neemt een "
              "besluit binnen de termijn die de wet stelt. ")
    pages, secrets = [], []
    for n in range(1, PAGES + 1):
        lines = [f"Pagina {n}", filler * 3]
        if n == 1:
            lines.append(f"Aanvrager {FULL} woont aan de Lindelaan 14 in Zwolle.")
        if n % 9 == 0:
            bsn, phone = synth.bsn(rng), synth.mobile(rng)
            lines.append(f"Het BSN van de aanvrager is {bsn}; bereikbaar op {phone}.")
            secrets += [bsn, phone]
        if n == LATE:
            lines.append(f"Volgens mevrouw {SURNAME} is de melding juist.")
        pages.append("\n\n".join(lines))
    return pages, secrets


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("split")
    pages, secrets = _pages(random.Random(17))
    long_doc = synth.write_pdf(base / "in" / "lang.pdf", pages)
    short = []
    for i in range(3):
        rng = random.Random(i)
        short.append(synth.write_pdf(base / "in" / f"kort{i}.pdf", [
            f"Notitie {i}\n\nDe aanvrager met BSN {synth.bsn(rng)} belde op {synth.mobile(rng)}."]))
    return {"base": base, "long": long_doc, "short": short, "secrets": secrets}


def _run(paths: list[Path], outdir: Path, mode: Mode, jobs: int):
    items = [item_for(p, p.name) for p in paths]
    results = run_items(items, outdir, Settings(), mode, jobs=jobs, force=True, timeout=600)
    assert all(r.status != "failed" for r in results), [r.error for r in results]
    return results


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.pdf"))}


def _audit(folder: Path) -> list[dict]:
    """The audit records without what differs between two runs by design (run id, time)."""
    records = [json.loads(line) for line in (folder / "audit.jsonl").read_text().splitlines()]
    return sorted((json.dumps({k: v for k, v in r.items() if k not in ("run", "time")},
                              sort_keys=True) for r in records))


def _plans(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text("utf-8") for p in sorted(folder.glob("*.plan.json"))}


@pytest.fixture()
def ranges_seen(monkeypatch, tmp_path) -> Path:
    """Each range a worker analyses leaves a marker file (the pool forks, so the workers run the
    patched function)."""
    marks = tmp_path / "marks"
    marks.mkdir()
    real = split.analyse_range

    def marked(engine, source, first, last, ocr):
        (marks / f"{first}-{last}-{os.getpid()}").touch()
        return real(engine, source, first, last, ocr)
    monkeypatch.setattr(split, "analyse_range", marked)
    return marks


def test_ranges_cover_the_document_in_analyzer_batches():
    assert split.ranges(70) == [(0, 32), (32, 64), (64, 70)]
    assert split.ranges(32) == [(0, 32)]
    assert all(last - first == split.RANGE_PAGES for first, last in split.ranges(100)[:-1])


def test_plan_identical_with_page_ranges(corpus, ranges_seen):
    base = corpus["base"]
    _run([corpus["long"]], base / "plan1", Mode.PLAN, jobs=1)
    _run([corpus["long"]], base / "plan2", Mode.PLAN, jobs=2)
    seen = sorted(p.name.rsplit("-", 1)[0] for p in ranges_seen.iterdir())
    assert seen == ["0-32", "32-64", "64-70"]  # the two-worker run did split the document
    one, two = _plans(base / "plan1"), _plans(base / "plan2")
    assert one == two and list(one) == ["lang.pdf.plan.json"]
    plan = json.loads(one["lang.pdf.plan.json"])
    late = [r for r in plan["redactions"] if r["page"] == LATE and r["text"] == SURNAME]
    assert late and all(r["status"] == "redact" for r in late)  # propagated from page 1


def test_redacted_bytes_and_audit_identical_in_a_mixed_batch(corpus, ranges_seen, monkeypatch):
    monkeypatch.setenv("WOO_ANON_AUDIT_KEY", "one key for both runs")  # same value hashes
    base, inputs = corpus["base"], [corpus["long"], *corpus["short"]]
    _run(inputs, base / "red1", Mode.REDACT, jobs=1)
    results = _run(inputs, base / "red2", Mode.REDACT, jobs=2)
    assert {r.name for r in results} == {p.name for p in inputs}
    assert len({p.name.rsplit("-", 1)[0] for p in ranges_seen.iterdir()}) == 3
    one, two = _digests(base / "red1"), _digests(base / "red2")
    assert one == two and len(one) == 4
    assert _audit(base / "red1") == _audit(base / "red2")
    text = compact(all_text(base / "red2" / "lang.pdf"))
    for value in corpus["secrets"] + [FULL, SURNAME]:
        assert compact(value) not in text
    assert "5.1.1e" in text and "5.1.2e" in text
    assert not (base / ".woo-anon-work-red2" / split.RANGES_DIR).exists()  # range files removed


def test_a_failing_range_falls_back_to_the_whole_document(corpus, monkeypatch, tmp_path):
    real = split.analyse_range

    def broken(engine, source, first, last, ocr):
        if first == 32:
            raise RuntimeError("range failed")
        return real(engine, source, first, last, ocr)
    monkeypatch.setattr(split, "analyse_range", broken)
    _run([corpus["long"]], tmp_path / "one", Mode.PLAN, jobs=1)
    _run([corpus["long"]], tmp_path / "two", Mode.PLAN, jobs=2)
    assert _plans(tmp_path / "one") == _plans(tmp_path / "two")


def _verdicts(path: Path, plan) -> tuple[list[str], list[str]]:
    from woo_anon.verify import verify_output

    return verify_output(path, plan, jobs=1), verify_output(path, plan, jobs=2)


def test_verification_in_two_processes_gives_the_same_verdict(corpus, engine, tmp_path):
    """A split document is verified by two processes: the problems are the same list, in the
    same order, as from one process; findings in either half fail the document; a clean output
    stays clean."""
    import pymupdf

    from woo_anon.extract import open_normalised
    from woo_anon.redact import redact_document

    document, plan = engine.plan(corpus["long"], "lang.pdf")
    one, two = _verdicts(corpus["long"], plan)  # nothing redacted: every value still readable
    assert one == two
    pages = {int(p.split(":")[0].split()[1]) for p in two if p.startswith("page ")}
    assert min(pages) <= PAGES // 2 < max(pages)  # found by the child and by the parent
    assert any("still readable (PyMuPDF)" in p for p in two)
    assert any("still readable (second extractor)" in p for p in two)
    doc = open_normalised(corpus["long"])
    redact_document(doc, plan)
    doc.save(tmp_path / "out.pdf", garbage=4, deflate=True)
    doc.close()
    assert _verdicts(tmp_path / "out.pdf", plan) == ([], [])
    # a redacted value written again on page 1 (the child's half) after redaction is found
    value = next(r.text for r in plan.to_apply() if r.page == 1)
    with pymupdf.open(tmp_path / "out.pdf") as doc:
        doc[0].insert_text((72, 760), f"Kopie: {value}.", fontsize=10)
        doc.save(tmp_path / "leak.pdf")
    one, two = _verdicts(tmp_path / "leak.pdf", plan)
    assert one == two
    assert two and all(p.startswith("page 1:") for p in two)


def test_a_verifier_child_that_dies_is_made_good(corpus, engine, monkeypatch):
    """If the forked child fails, the parent checks its pages itself: the verdict is unchanged."""
    from woo_anon import verify

    document, plan = engine.plan(corpus["long"], "lang.pdf")
    expected = verify.verify_output(corpus["long"], plan, jobs=1)
    parent, real = os.getpid(), verify._page_checks

    def dying(doc, plan, first, last):
        if os.getpid() != parent:
            os._exit(3)
        return real(doc, plan, first, last)
    monkeypatch.setattr(verify, "_page_checks", dying)
    assert verify.verify_output(corpus["long"], plan, jobs=2) == expected != []
