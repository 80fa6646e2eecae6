"""#18: a deny-list term carries its own Woo ground (`term<TAB>ground`, TOML `[[terms]]`), and
`learn` writes the ground an officer chose, so the next run applies it."""

from __future__ import annotations

import json

import pytest

from conftest import all_text, write_text_pdf
from test_review import _entries, _plan, cli, doc  # noqa: F401  (doc: the fixture)

NAME = "Pietersen"


@pytest.mark.parametrize("form", ["txt", "toml", "plain"])
def test_deny_list_term_with_its_own_ground(tmp_path, form):
    src = tmp_path / "in" / "verslag.pdf"
    src.parent.mkdir()
    write_text_pdf(src, f"Het gesprek met {NAME} ging over de verbouwing van het pand.")
    if form == "txt":
        deny = tmp_path / "deny.txt"
        deny.write_text(f"# lijst\n{NAME}\t5.1.1d\n", encoding="utf-8")
    elif form == "toml":
        deny = tmp_path / "deny.toml"
        deny.write_text(f'[[terms]]\ntext = "{NAME}"\nground = "5.1.1d"\n', encoding="utf-8")
    else:
        deny = tmp_path / "deny.txt"
        deny.write_text(f"{NAME}\n", encoding="utf-8")
    proc = cli("redact", str(src), "-o", str(tmp_path / "o"), "--model", "blank", "-j", "1",
               "--deny", str(deny))
    assert proc.returncode == 0, proc.stderr
    text = all_text(tmp_path / "o" / "verslag.pdf")
    assert NAME not in text
    if form == "plain":  # the old form: the deny list's ground from the grounds table
        assert "5.1.1d" not in text and "5.1.2e" in text
    else:
        assert "5.1.1d" in text


def test_learn_writes_the_changed_ground(doc, tmp_path):  # noqa: F811
    src, values = doc
    plan = _plan(src, tmp_path / "plan")
    _entries(plan, "IBAN_CODE")[0]["ground"] = "5.1.1d"
    (tmp_path / "plan" / "aanvraag.pdf.plan.json").write_text(json.dumps(plan))
    (tmp_path / "plan" / "aanvraag.pdf.review.pdf").unlink()
    proc = cli("learn", "--plan", str(tmp_path / "plan"), "--allow-out", str(tmp_path / "allow.txt"),
               "--deny-out", str(tmp_path / "deny.txt"))
    assert proc.returncode == 0, proc.stderr
    lines = (tmp_path / "deny.txt").read_text().splitlines()
    assert any(line.split("\t") == [values["iban"], "5.1.1d"] for line in lines), lines
