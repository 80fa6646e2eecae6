"""No command accepts an option it then ignores: an option that does nothing is a trap (an
officer who asks for the zips back, or for the values in the audit, must get them or be told).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import write_text_pdf

NAME = "Ferdinand Kloosterboer"  # fake
LETTER = f"Geachte heer {NAME},\n\nUw aanvraag is ontvangen. Bel 06-27182818 voor vragen."


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "woo_anon", *args], capture_output=True,
                          text=True, timeout=600)


@pytest.mark.parametrize("option", ["--zip-output", "--audit-values"])
def test_plan_refuses_what_only_apply_writes(tmp_path, option):
    src = write_text_pdf(tmp_path / "brief.pdf", LETTER)
    run = cli("plan", str(src), "-o", str(tmp_path / "plan"), "--model", "blank", option)
    assert run.returncode == 2 and option in run.stderr, run.stderr
    assert "Traceback" not in run.stderr and not (tmp_path / "plan").exists()


@pytest.mark.parametrize("args, named", [
    (["--publisher", "gm0363"], "--publisher"),
    (["--besluit", "WOO-2026-1"], "--besluit"),
    (["--base-url", "https://example.org/woo"], "--base-url"),
    (["--text-operator", "pseudonym"], "--text-operator"),
])
def test_redact_refuses_a_publication_option_without_its_switch(tmp_path, args, named):
    src = write_text_pdf(tmp_path / "brief.pdf", LETTER)
    run = cli("redact", str(src), "-o", str(tmp_path / "out"), "--model", "blank", *args)
    assert run.returncode == 2 and named in run.stderr, run.stderr
    assert "Traceback" not in run.stderr and not (tmp_path / "out" / "brief.pdf").exists()


def _values(outdir: Path) -> list[str]:
    lines = (outdir / "audit.jsonl").read_text(encoding="utf-8").splitlines()
    return [r["value"] for r in map(json.loads, lines) if "value" in r]


def test_apply_writes_values_to_the_audit_only_when_asked(tmp_path):
    """Plan, then apply twice: without --audit-values the audit holds hashes only, with it the
    plaintext of each redaction (plan + apply can give what redact --audit-values gives)."""
    src = write_text_pdf(tmp_path / "in" / "brief.pdf", LETTER)
    planned = cli("plan", str(src), "-o", str(tmp_path / "plan"), "--model", "blank", "-j", "1")
    assert planned.returncode == 0, planned.stderr
    for outdir, extra in (("plain", []), ("values", ["--audit-values"])):
        run = cli("apply", str(src), "--plan", str(tmp_path / "plan"), "-o",
                  str(tmp_path / outdir), "-j", "1", *extra)
        assert run.returncode == 0, run.stderr
    assert _values(tmp_path / "plain") == []
    assert "06-27182818" in _values(tmp_path / "values")
    assert NAME not in (tmp_path / "plain" / "audit.jsonl").read_text(encoding="utf-8")


def test_zip_output_without_a_zip_input_says_nothing_was_zipped(tmp_path):
    src = write_text_pdf(tmp_path / "brief.pdf", LETTER)
    run = cli("redact", str(src), "-o", str(tmp_path / "out"), "--model", "blank", "-j", "1",
              "--zip-output")
    assert run.returncode == 0, run.stderr
    assert "--zip-output: no zip export among the inputs" in run.stderr
    assert (tmp_path / "out" / "brief.pdf").is_file() and not list((tmp_path / "out").glob("*.zip"))
