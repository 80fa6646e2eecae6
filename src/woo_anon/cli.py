"""`woo-anon` command line. Each command parses options and calls one library function."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

import woo_anon
from woo_anon import __version__

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, help=(
    "Redact personal data from Dutch government PDFs (Woo), labelled with Woo grounds.\n\n"
    "Example: woo-anon redact dossier/ -o out/"))
err = Console(stderr=True)
out = Console()

Inputs = Annotated[list[Path], typer.Argument(help="PDF files and/or folders (searched recursively).")]
OutDir = Annotated[Path, typer.Option("--output", "-o", help="Output folder.")]
Model = Annotated[Optional[str], typer.Option(help="spaCy pipeline name or path (default: the shipped models/nl_woo_ner; 'blank' for rules only).")]
Allow = Annotated[list[Path], typer.Option("--allow", help="File of terms never to redact (one per line or TOML `terms = [...]`). Repeatable.")]
Deny = Annotated[list[Path], typer.Option("--deny", help="File of terms always to redact. Repeatable.")]
Force = Annotated[bool, typer.Option("--force", help="Overwrite existing outputs.")]


def _settings(model, allow, deny, grounds, threshold, ocr, no_propagate, redact_officials,
              include_values, propagate_batch=False, redact_images=False):
    return woo_anon.Settings(model=model, threshold=threshold, allow_files=tuple(map(str, allow)),
                    deny_files=tuple(map(str, deny)), grounds_file=str(grounds) if grounds else None,
                    ocr=ocr, propagate=not no_propagate, keep_officials=not redact_officials,
                    include_values=include_values, propagate_batch=propagate_batch,
                    redact_images=redact_images)


def _report_errors(results) -> None:
    for r in results:
        if r.status == "failed":
            err.print(f"error: {r.error}", highlight=False, soft_wrap=True)


def _summary(results) -> None:
    table = Table(title="woo-anon", show_lines=False)
    for column in ("document", "pages", "status", "redactions per ground"):
        table.add_column(column)
    for r in results:
        grounds = ", ".join(f"{g}: {n}" for g, n in r.by_ground.items()) or "-"
        table.add_row(r.name, str(r.pages), r.status, grounds if r.status != "failed" else r.error or "")
    out.print(table)
    done = [r for r in results if r.status != "failed"]
    totals: dict[str, int] = {}
    for r in done:
        for g, n in r.by_ground.items():
            totals[g] = totals.get(g, 0) + n
    out.print(f"{len(done)} of {len(results)} documents done, {sum(r.pages for r in done)} pages; "
              + (", ".join(f"{g}: {n}" for g, n in sorted(totals.items())) or "no redactions"))


@app.command()
def redact(
    inputs: Inputs,
    output: OutDir,
    model: Model = None,
    allow: Allow = [],
    deny: Deny = [],
    grounds: Annotated[Optional[Path], typer.Option(help="TOML table entity -> ground (default: built-in data/grounds.toml).")] = None,
    threshold: Annotated[float, typer.Option(help="Minimum detection score to redact.")] = 0.5,
    ocr: Annotated[str, typer.Option(help="auto | never | always")] = "auto",
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes (default: CPU cores).")] = 0,
    timeout: Annotated[int, typer.Option(help="Time limit per document in seconds.")] = 120,
    manifest: Annotated[Optional[Path], typer.Option(help="CSV/JSON with per-document metadata for the inventarislijst.")] = None,
    no_propagate: Annotated[bool, typer.Option("--no-propagate", help="Do not redact later mentions of detected names.")] = False,
    propagate_batch: Annotated[bool, typer.Option("--propagate-batch", help="A name found in one document is redacted in every document of the batch (two passes).")] = False,
    redact_officials: Annotated[bool, typer.Option("--redact-officials", help="Also redact names of officials acting in office.")] = False,
    include_values: Annotated[bool, typer.Option("--audit-values", help="Write plaintext values into the audit log (off by default).")] = False,
    redact_images: Annotated[bool, typer.Option("--redact-images", help="Redact every embedded image whole (photos, signatures, ID cards); page scans are OCR'd instead.")] = False,
    zip_output: Annotated[bool, typer.Option("--zip-output", help="Write each zip input back as OUTDIR/<name>.zip.")] = False,
    force: Force = False,
) -> None:
    """Redact PDFs in one step: detect, decide, redact, verify; write audit.jsonl and the
    inventarislijst.

    Example: woo-anon redact samples -o out
    """
    settings = _settings(model, allow, deny, grounds, threshold, ocr, no_propagate,
                         redact_officials, include_values, propagate_batch, redact_images)
    jobs = jobs or os.cpu_count() or 1
    request = _with_progress(lambda cb, total: woo_anon.redact_request(
        inputs, output, settings, manifest, cb, jobs=jobs, force=force, timeout=timeout,
        zip_output=zip_output, on_total=total))
    _summary(request.results)
    raise typer.Exit(request.exit_code)


def _with_progress(run):
    """Documents and pages done, pages/s and ETA on stderr while the batch runs."""
    import time

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[pages]} pages, {task.fields[rate]} pages/s"),
                  TimeRemainingColumn(), console=err, transient=True) as progress:
        task = progress.add_task("redacting", total=None, pages=0, rate="-")
        pages, start = [0], time.monotonic()

        def on_result(result) -> None:
            if result.status != "skipped":
                pages[0] += result.pages
            rate = pages[0] / max(time.monotonic() - start, 1e-6)
            progress.update(task, advance=1, pages=pages[0], rate=f"{rate:.1f}")
            if result.status == "failed":
                err.print(f"error: {result.error}", highlight=False, soft_wrap=True)

        return run(on_result, lambda total: progress.update(task, total=total))


@app.command()
def plan(
    inputs: Inputs,
    output: OutDir,
    model: Model = None,
    allow: Allow = [],
    deny: Deny = [],
    threshold: Annotated[float, typer.Option(help="Minimum detection score to redact.")] = 0.5,
    force: Force = False,
) -> None:
    """Detect and decide, but remove nothing: write <name>.plan.json and <name>.review.pdf.

    Example: woo-anon plan dossier/ -o review/
    """
    settings = _settings(model, allow, deny, None, threshold, "auto", False, False, False)
    request = woo_anon.plan_request(inputs, output, settings, force=force)
    _report_errors(request.results)
    _summary(request.results)
    raise typer.Exit(request.exit_code)


@app.command()
def apply(
    inputs: Inputs,
    plan_dir: Annotated[Path, typer.Option("--plan", help="Folder with the (edited) plan JSON and review PDF files.")],
    output: OutDir,
    force: Force = False,
) -> None:
    """Apply reviewed plans: redact, verify and audit.

    Example: woo-anon apply dossier/ --plan review/ -o out/
    """
    request = woo_anon.apply_request(inputs, plan_dir, output, force=force)
    _report_errors(request.results)
    _summary(request.results)
    raise typer.Exit(request.exit_code)


@app.command()
def learn(
    plan_dir: Annotated[Path, typer.Option("--plan", help="Folder with reviewed plan JSON / review PDF files.")],
    allow_out: Annotated[Path, typer.Option("--allow-out", help="Write 'always keep' terms here.")],
    deny_out: Annotated[Path, typer.Option("--deny-out", help="Write 'always redact' terms here.")],
) -> None:
    """Turn review decisions into allow/deny lists for later runs (--allow / --deny).

    Example: woo-anon learn --plan review/ --allow-out dossier-allow.txt --deny-out dossier-deny.txt
    """
    keep, redact = woo_anon.learn_lists(plan_dir)
    header = "# made by woo-anon learn from reviewed plans in {}\n".format(plan_dir)
    allow_out.write_text(header + "".join(f"{t}\n" for t in keep), encoding="utf-8")
    deny_out.write_text(header + "".join(f"{t}\n" for t in redact), encoding="utf-8")
    out.print(f"{len(keep)} terms to keep -> {allow_out}; {len(redact)} terms to redact -> {deny_out}")


@app.command()
def verify(
    output: Annotated[Path, typer.Argument(help="A redacted PDF.")],
    plan_file: Annotated[Path, typer.Option("--plan", help="The plan JSON it was made from.")],
) -> None:
    """Check a redacted PDF against its plan with two extractors; exit 5 when anything leaks.

    Example: woo-anon verify out/brief.pdf --plan review/brief.pdf.plan.json
    """
    problems = woo_anon.verify_file(output, plan_file)
    for problem in problems:
        err.print(problem, highlight=False)
    if problems:
        raise typer.Exit(woo_anon.ExitCode.VERIFICATION_FAILED)
    out.print(f"{output}: verified, nothing planned is readable")


@app.command()
def review(
    plan_dir: Annotated[Path, typer.Argument(help="Folder with plan JSON and review PDF files (from `woo-anon plan`).")],
    inputs: Annotated[Optional[list[Path]], typer.Argument(help="The original documents, as given to `plan`, for Toepassen (asked for in the screen when left out).")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Output folder for Toepassen (default: PLAN_DIR/toegepast).")] = None,
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (default: a free port).")] = 0,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Only print the URL; do not open a browser.")] = False,
    reviewer: Annotated[Optional[str], typer.Option(help="Reviewer name saved with every change (default: your login name).")] = None,
) -> None:
    """Review plans in the browser (local only): toggle, re-ground, draw, search, undo, apply.

    Example: woo-anon review review/ dossier/ -o out/
    """
    from woo_anon.review_app.server import serve  # lazy: starlette/uvicorn only for this command

    serve(plan_dir, list(map(str, inputs or [])), output or plan_dir / "toegepast", reviewer,
          port=port, open_browser=not no_browser)


@app.command()
def version() -> None:
    """Print the version."""
    out.print(__version__)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s", stream=sys.stderr)
    try:
        app(standalone_mode=True)
    except woo_anon.WooAnonError as exc:
        err.print(f"error: {exc}", highlight=False, soft_wrap=True)
        sys.exit(int(exc.exit_code))
    except KeyboardInterrupt:
        err.print("interrupted: finished documents are kept; run again to resume")
        sys.exit(int(woo_anon.ExitCode.INTERRUPTED))
    except Exception as exc:  # never a traceback for the user; -v style detail goes to the log
        logging.getLogger(__name__).debug("internal error", exc_info=True)
        err.print(f"internal error: {type(exc).__name__}: {str(exc)[:200]} (please report this)",
                  highlight=False, soft_wrap=True)
        sys.exit(int(woo_anon.ExitCode.INTERNAL_ERROR))
