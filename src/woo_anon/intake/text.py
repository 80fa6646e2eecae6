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
        html_to_pdf(body.html or "<p>(leeg)</p>", target, body.images)
    elif suffix == ".csv":
        markup, findings = _csv_html(text)
        html_to_pdf(markup, target, landscape=True)
    else:
        html_to_pdf(plain_html(text) or "<p>(leeg)</p>", target)
    finalise(target)
    return [Rendition(name=output_name(source), source=source, kind="text", pdf=target,
                      family_id=family_id, findings=findings)]


def _csv_html(text: str) -> tuple[str, tuple[str, ...]]:
    """The rows as an HTML table. Its header row (PDF/UA wants header cells) is the file's first
    row when csv.Sniffer takes it for one, else spreadsheet column letters (A, B, …)."""
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    findings: tuple[str, ...] = ()
    if len(rows) > MAX_CSV_ROWS:
        findings = (f"afgekapt na {MAX_CSV_ROWS} van {len(rows)} rijen",)
        rows = rows[:MAX_CSV_ROWS]
    width = max((len(row) for row in rows), default=1)
    if rows and _has_header(sample, rows):
        header, rows = rows[0], rows[1:]
    else:
        header = [_column(i) for i in range(width)]
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in header)
    cells = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    note = f"<p><b>{escape(findings[0])}</b></p>" if findings else ""
    style = ('<style>td, th { border: 0.5pt solid #999; padding: 1pt 3pt; font-size: 8pt; '
             'text-align: left; }</style>')
    return (f'{style}<table style="border-collapse: collapse"><thead><tr>{head}</tr></thead>'
            f"<tbody>{cells}</tbody></table>{note}"), findings


def _has_header(sample: str, rows: list[list[str]]) -> bool:
    try:
        return csv.Sniffer().has_header(sample)
    except csv.Error:
        return len(rows) > 1 and not any(c.strip().replace(",", "").replace(".", "").isdigit()
                                         for c in rows[0])


def _column(index: int) -> str:
    """Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name
