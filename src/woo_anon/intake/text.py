"""Plain text, CSV, HTML and calendar (.ics) files → A4 PDF."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from woo_anon.intake import Rendition, output_name
from woo_anon.intake.dispatch import Context
from woo_anon.intake.htmlbody import sanitise
from woo_anon.intake.layout import escape, finalise, html_to_pdf, plain_html

MAX_CSV_ROWS = 20000


def read_text(path: Path) -> str:
    """Decode a text file: UTF-8 (with or without BOM), else Windows-1252."""
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def render(ctx: Context, path: Path, source: str, family_id: str, depth: int) -> list[Rendition]:
    """Lay the file out as text (CSV as a table in landscape, HTML without remote content)."""
    suffix = Path(source).suffix.lower()
    text = read_text(path)
    target = ctx.target(source)
    findings: tuple[str, ...] = ()
    if suffix in (".html", ".htm"):
        body = sanitise(text, {})
        html_to_pdf(body.html or "<p>(leeg)</p>", target, body.archive())
    elif suffix == ".csv":
        markup, findings = _csv_html(text)
        html_to_pdf(markup, target, landscape=True)
    else:
        html_to_pdf(plain_html(text) or "<p>(leeg)</p>", target)
    finalise(target)
    return [Rendition(name=output_name(source), source=source, kind="text", pdf=target,
                      family_id=family_id, findings=findings)]


def _csv_html(text: str) -> tuple[str, tuple[str, ...]]:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    findings: tuple[str, ...] = ()
    if len(rows) > MAX_CSV_ROWS:
        findings = (f"afgekapt na {MAX_CSV_ROWS} van {len(rows)} rijen",)
        rows = rows[:MAX_CSV_ROWS]
    cells = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    note = f"<p><b>{escape(findings[0])}</b></p>" if findings else ""
    style = '<style>td { border: 0.5pt solid #999; padding: 1pt 3pt; font-size: 8pt; }</style>'
    return f'{style}<table style="border-collapse: collapse">{cells}</table>{note}', findings
