"""#18: output to a pipe or log file is not hard-wrapped at 80 columns: a long file name in an
error line and in the summary stays on one line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LONG = "VWS-WOO-204737-RE_Nieuwe_Kamervraag_over_het_bericht_dierenbeschermers_willen_verbod_op_reptielenbeurs"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).with_name("woo-anon")), *args], capture_output=True,
                          text=True, timeout=600, env={k: v for k, v in os.environ.items() if k != "COLUMNS"})


def test_error_line_for_a_long_name_is_one_line(tmp_path):
    missing = tmp_path / f"{LONG}.pdf"
    result = _cli("redact", str(missing), "-o", str(tmp_path / "out"))
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if LONG in line]
    assert lines, result.stderr
    assert f"{LONG}.pdf" in lines[0]  # the name is not broken across lines
    assert all(len(line) <= 1000 for line in result.stderr.splitlines())


def test_summary_row_for_a_long_name_is_one_line(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(ROOT / "samples" / "tabel_subsidies.pdf", src / f"{LONG}.pdf")
    broken = src / f"{LONG}_beschadigd.pdf"
    broken.write_bytes(b"%PDF-1.7\nthis is no pdf")
    result = _cli("redact", str(src), "-o", str(tmp_path / "out"))
    text = result.stdout + result.stderr
    # the full name on the error line
    assert any(f"{LONG}_beschadigd.pdf: damaged PDF" in line for line in text.splitlines()), text
    # each table row one line: a name shortened from the middle, its status and whole error
    rows = [line for line in text.splitlines() if "│" in line and LONG[:20] in line]
    assert len(rows) == 2, text
    assert any("reptielenbeurs.pdf" in r and "verified" in r for r in rows), rows
    assert any("beschadigd.pdf" in r and "failed" in r and "damaged PDF" in r for r in rows), rows
