"""plan → review → apply."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest

from conftest import all_text, compact, write_text_pdf
import synth
from woo_anon.errors import ExitCode


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "woo_anon", *args], capture_output=True,
                          text=True, timeout=600)


@pytest.fixture()
def doc(tmp_path) -> tuple[Path, dict]:
    rng = random.Random(3)
    values = {"bsn": synth.bsn(rng), "iban": synth.iban(rng), "phone": "06-23456789"}
    text = (f"Betreft: aanvraag\n\nBSN {values['bsn']}, rekening {values['iban']}, "
            f"telefoon {values['phone']}.\nDeze zin blijft leesbaar.")
    src = write_text_pdf(tmp_path / "in" / "aanvraag.pdf", text)
    return src, values


def _plan(src: Path, plandir: Path) -> dict:
    proc = cli("plan", str(src), "-o", str(plandir), "--model", "blank")
    assert proc.returncode == 0, proc.stderr
    return json.loads((plandir / "aanvraag.pdf.plan.json").read_text())


def _entries(plan: dict, entity: str) -> list[dict]:
    return [r for r in plan["redactions"] if r["entity"] == entity and r["status"] == "redact"]


def _flip_phone_to_keep(src: Path, plandir: Path) -> None:
    """What a reviewer does in the JSON: set the phone number to keep (no review PDF)."""
    plan = _plan(src, plandir)
    _entries(plan, "PHONE_NUMBER")[0]["status"] = "keep"
    (plandir / "aanvraag.pdf.plan.json").write_text(json.dumps(plan))
    (plandir / "aanvraag.pdf.review.pdf").unlink()


def test_plan_writes_json_and_review_pdf(doc, tmp_path):
    src, values = doc
    plan = _plan(src, tmp_path / "plan")
    assert plan["source_sha256"] and plan["tool_version"]
    for r in plan["redactions"]:
        assert {"id", "page", "boxes", "entity", "ground", "score", "recognizer", "status", "reason"} <= set(r)
    with pymupdf.open(tmp_path / "plan" / "aanvraag.pdf.review.pdf") as review:
        annots = list(review[0].annots(types=[pymupdf.PDF_ANNOT_REDACT]))
        assert len(annots) == sum(len(r["boxes"]) for r in plan["redactions"] if r["status"] == "redact")
        assert all("5.1." in a.info["content"] for a in annots)
        assert values["bsn"] in review[0].get_text()  # nothing removed yet


def test_plan_then_apply_equals_redact(doc, tmp_path):
    src, _ = doc
    _plan(src, tmp_path / "plan")
    assert cli("apply", str(src), "--plan", str(tmp_path / "plan"), "-o", str(tmp_path / "a")).returncode == 0
    assert cli("redact", str(src), "-o", str(tmp_path / "r"), "--model", "blank", "-j", "1").returncode == 0
    assert all_text(tmp_path / "a" / "aanvraag.pdf") == all_text(tmp_path / "r" / "aanvraag.pdf")

    def boxes(path):
        recs = [json.loads(l) for l in (path / "audit.jsonl").read_text().splitlines()]
        return sorted((r["page"], tuple(r["box"]), r["ground"]) for r in recs if r["type"] == "redaction")
    assert boxes(tmp_path / "a") == boxes(tmp_path / "r")


def test_flip_to_keep_in_json(doc, tmp_path):
    src, values = doc
    _flip_phone_to_keep(src, tmp_path / "plan")
    assert cli("apply", str(src), "--plan", str(tmp_path / "plan"), "-o", str(tmp_path / "a")).returncode == 0
    text = compact(all_text(tmp_path / "a" / "aanvraag.pdf"))
    assert values["phone"] in text and values["bsn"] not in text and values["iban"] not in text
    audit = [json.loads(l) for l in (tmp_path / "a" / "audit.jsonl").read_text().splitlines()]
    assert any(r["type"] == "kept" and r["decision"] == "reviewed" for r in audit)


def test_delete_annotation_in_review_pdf(doc, tmp_path):
    src, values = doc
    plan = _plan(src, tmp_path / "plan")
    iban_id = _entries(plan, "IBAN_CODE")[0]["id"]
    review = tmp_path / "plan" / "aanvraag.pdf.review.pdf"
    with pymupdf.open(review) as rdoc:
        page = rdoc[0]
        for annot in list(page.annots()):
            if iban_id in annot.info["subject"]:
                page.delete_annot(annot)
        rdoc.saveIncr()
    assert cli("apply", str(src), "--plan", str(tmp_path / "plan"), "-o", str(tmp_path / "a")).returncode == 0
    text = compact(all_text(tmp_path / "a" / "aanvraag.pdf"))
    assert values["iban"] in text and values["bsn"] not in text


def test_hand_added_annotation_is_applied(doc, tmp_path):
    src, _ = doc
    _plan(src, tmp_path / "plan")
    review = tmp_path / "plan" / "aanvraag.pdf.review.pdf"
    with pymupdf.open(review) as rdoc:
        page = rdoc[0]
        rect = page.search_for("leesbaar")[0]
        annot = page.add_redact_annot(rect)
        annot.set_info(content="5.1.1d")
        annot.update()
        rdoc.saveIncr()
    assert cli("apply", str(src), "--plan", str(tmp_path / "plan"), "-o", str(tmp_path / "a")).returncode == 0
    text = all_text(tmp_path / "a" / "aanvraag.pdf")
    assert "leesbaar" not in text and "5.1.1d" in text
    audit = [json.loads(l) for l in (tmp_path / "a" / "audit.jsonl").read_text().splitlines()]
    assert any(r.get("decision") == "manual" and r["ground"] == "5.1.1d" for r in audit)


def test_plan_for_other_file_refused(doc, tmp_path):
    src, _ = doc
    _plan(src, tmp_path / "plan")
    other = write_text_pdf(tmp_path / "other" / "aanvraag.pdf", "Een ander document.")
    proc = cli("apply", str(other), "--plan", str(tmp_path / "plan"), "-o", str(tmp_path / "a"))
    assert proc.returncode == ExitCode.PLAN_MISMATCH
    assert "another file" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "a" / "aanvraag.pdf").exists()


def test_allow_and_deny_lists(tmp_path):
    src = write_text_pdf(tmp_path / "in" / "memo.pdf",
                         "Mevrouw Groenewoud sprak met de heer Smits over het project Zonnedak.")
    allow = tmp_path / "allow.txt"
    allow.write_text("Groenewoud\n")
    deny = tmp_path / "deny.toml"
    deny.write_text('terms = ["Zonnedak"]\n')
    proc = cli("redact", str(src), "-o", str(tmp_path / "o"), "--model", "blank", "-j", "1",
               "--allow", str(allow), "--deny", str(deny))
    assert proc.returncode == 0, proc.stderr
    text = all_text(tmp_path / "o" / "memo.pdf")
    assert "Groenewoud" in text and "Smits" not in text and "Zonnedak" not in text


def test_learn_lists_from_review(doc, tmp_path):
    src, values = doc
    _flip_phone_to_keep(src, tmp_path / "plan")
    proc = cli("learn", "--plan", str(tmp_path / "plan"), "--allow-out", str(tmp_path / "allow.txt"),
               "--deny-out", str(tmp_path / "deny.txt"))
    assert proc.returncode == 0, proc.stderr
    assert values["phone"] in (tmp_path / "allow.txt").read_text()
    # the learned allow-list keeps the number in the next run
    proc = cli("redact", str(src), "-o", str(tmp_path / "o"), "--model", "blank", "-j", "1",
               "--allow", str(tmp_path / "allow.txt"))
    assert proc.returncode == 0
    assert values["phone"] in compact(all_text(tmp_path / "o" / "aanvraag.pdf"))


def test_learn_keeps_only_what_an_officer_changed(doc, tmp_path):
    """Untouched proposals stay out of the lists; a flipped status or a changed ground counts."""
    src, values = doc
    plan = _plan(src, tmp_path / "plan")
    _entries(plan, "PHONE_NUMBER")[0]["status"] = "keep"
    _entries(plan, "IBAN_CODE")[0]["ground"] = "5.1.1d"
    (tmp_path / "plan" / "aanvraag.pdf.plan.json").write_text(json.dumps(plan))
    (tmp_path / "plan" / "aanvraag.pdf.review.pdf").unlink()
    proc = cli("learn", "--plan", str(tmp_path / "plan"), "--allow-out", str(tmp_path / "allow.txt"),
               "--deny-out", str(tmp_path / "deny.txt"))
    assert proc.returncode == 0, proc.stderr
    allow, deny = (tmp_path / "allow.txt").read_text(), (tmp_path / "deny.txt").read_text()
    assert values["phone"] in allow and values["iban"] in deny
    assert values["bsn"] not in allow + deny  # the tool's own decision, not the officer's


def test_plan_gives_context_the_audit_never_does(doc, tmp_path):
    src, values = doc
    plan = _plan(src, tmp_path / "plan")
    bsn = _entries(plan, "NL_BSN")[0]
    assert "aanvraag" in bsn["context"] and values["bsn"] in bsn["context"]
    assert cli("apply", str(src), "--plan", str(tmp_path / "plan"), "-o", str(tmp_path / "a")).returncode == 0
    audit = (tmp_path / "a" / "audit.jsonl").read_text()
    assert "aanvraag" not in audit.replace("aanvraag.pdf", "") and values["bsn"] not in audit
    records = [json.loads(l) for l in audit.splitlines()]
    assert not [r for r in records if r.get("decision") == "reviewed"]  # nothing was reviewed


def test_plan_summary_does_not_claim_verified(doc, tmp_path):
    src, _ = doc
    proc = cli("plan", str(src), "-o", str(tmp_path / "plan"), "--model", "blank")
    assert proc.returncode == 0 and "planned" in proc.stdout and "verified" not in proc.stdout
