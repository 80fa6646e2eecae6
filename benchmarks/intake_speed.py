"""Intake speed: documents/s per input type: the conversion alone, and end to end
(`woo-anon redact`) with --jobs 1 and --jobs 2; CPU seconds per document (user+sys of this
process and every converter it waited for) beside each rate, since on a shared machine the wall
clock measures the neighbours too.

Each type gets the same number of small generated documents with fake personal data; plain PDFs
with the same text are the anchor in the same run. Office types include the LibreOffice export
(one soffice start per document, one profile per worker). With ../shared present, the public
.msg samples are timed too.

`csv` (not in the default types) is a 5000-row CSV per document, the intake's row limit: a
long tagged table (one structure element per cell).

Run: python benchmarks/intake_speed.py [--per-type 6] [--types txt,eml,csv]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "mail-office" / "msg"
_spec = importlib.util.spec_from_file_location("build", ROOT / "scripts" / "make_intake_samples.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

LINES = ["Verslag van het overleg over de Lindelaan.",
         "Aanwezig: mevrouw Sanne Verbeek, telefoon 06-18273645, e-mail s.verbeek@voorbeeldmail.nl.",
         "De aanvrager (BSN 111222333) ontvangt binnen zes weken een besluit."]


def make_inputs(folder: Path, kind: str, count: int) -> None:
    """`count` documents of one type in `folder`."""
    folder.mkdir(parents=True)
    for i in range(count):
        path = folder / f"doc{i}.{kind}"
        if kind == "pdf":
            build.make_pdf(path, LINES)
        elif kind == "txt":
            path.write_text("\n".join(LINES), encoding="utf-8")
        elif kind == "csv":
            rows = (f"Persoon {n};06-{10000000 + n};Straat {n}, Plaats" for n in range(5000))
            path.write_text("naam;telefoon;adres\n" + "\n".join(rows) + "\n", encoding="utf-8")
        elif kind == "eml":
            build.make_eml(path, "Sanne Verbeek <s.verbeek@voorbeeldmail.nl>", "b@gemeente.example",
                           "", f"Overleg {i}", "\n".join(LINES), [])
        elif kind == "docx":
            build.make_docx(path, LINES, deleted="Ruud Mulder", comment=("Karin de Groot", "Bellen"))
        elif kind == "xlsx":
            build.make_xlsx(path, [[line] for line in LINES], [["BSN", "111222333"]])
        elif kind == "pptx":
            build.make_pptx(path, LINES[0], LINES[1], LINES[2])
        elif kind == "png":
            _png(path)
        elif kind == "msg":
            shutil.copyfile(sorted(CORPUS.glob("msgreader_*.msg"))[i % 3], path)


def _png(path: Path) -> None:
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 90), "\n".join(LINES), fontsize=12)
    page.get_pixmap(dpi=200).save(path)


def cpu_seconds(children_only: bool = False) -> float:
    """User+sys CPU of the children waited for (and of this process unless `children_only`)."""
    kids = os.times()
    used = kids.children_user + kids.children_system
    return used if children_only else used + kids.user + kids.system


def timed_run(folder: Path, jobs: int) -> tuple[float, float, int]:
    """Wall and CPU seconds for `woo-anon redact folder --jobs N`, and the PDFs written."""
    out = Path(tempfile.mkdtemp(prefix="woo-intake-bench-out-"))
    exe = Path(sys.executable).with_name("woo-anon")
    start, cpu = time.perf_counter(), cpu_seconds(children_only=True)
    subprocess.run([str(exe), "redact", str(folder), "-o", str(out / "o"), "--jobs", str(jobs)],
                   capture_output=True, timeout=3600)
    seconds, cpu = time.perf_counter() - start, cpu_seconds(children_only=True) - cpu
    written = len(list((out / "o").rglob("*.pdf")))
    shutil.rmtree(out, ignore_errors=True)
    return seconds, cpu, written


def render_rate(folder: Path) -> tuple[float, float]:
    """Documents/s and CPU s per document for the conversion alone (woo_anon.intake.render, one
    process; the browser is closed before the clock stops, so its CPU is counted)."""
    from woo_anon.intake import close_converters, render

    files = sorted(folder.iterdir())
    with tempfile.TemporaryDirectory(prefix="woo-intake-bench-r-") as work:
        start, cpu = time.perf_counter(), cpu_seconds()
        for index, path in enumerate(files):
            render(path, Path(work) / str(index))
        close_converters()
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
        return len(files) / seconds, cpu / len(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-type", type=int, default=6)
    parser.add_argument("--types", default="pdf,txt,eml,docx,xlsx,pptx,png,msg")
    parser.add_argument("--render-only", action="store_true", help="time the conversion alone")
    args = parser.parse_args()
    kinds = [k for k in args.types.split(",") if k != "msg" or CORPUS.is_dir()]
    with tempfile.TemporaryDirectory(prefix="woo-intake-bench-") as tmp:
        print(f"{'type':<6} {'docs':>5} {'out':>5} {'render docs/s':>14} {'cpu s/doc':>9} "
              f"{'jobs1 docs/s':>13} {'cpu s/doc':>9} {'jobs2 docs/s':>13} {'cpu s/doc':>9}")
        nan = float("nan")
        for kind in kinds:
            folder = Path(tmp) / kind
            make_inputs(folder, kind, args.per_type)
            cells = list(render_rate(folder)) if kind != "pdf" else [nan, nan]
            written = 0
            for jobs in (() if args.render_only else (1, 2)):
                seconds, cpu, written = timed_run(folder, jobs)
                cells += [args.per_type / seconds, cpu / args.per_type]
            cells += [nan] * (6 - len(cells))
            print(f"{kind:<6} {args.per_type:>5} {written:>5} {cells[0]:>14.2f} {cells[1]:>9.2f} "
                  f"{cells[2]:>13.2f} {cells[3]:>9.2f} {cells[4]:>13.2f} {cells[5]:>9.2f}"
                  + ("   (anchor)" if kind == "pdf" else ""), flush=True)


if __name__ == "__main__":
    main()
