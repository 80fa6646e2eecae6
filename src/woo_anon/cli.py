"""`woo-anon` command line. Each command parses options and calls one function of the public
API (`woo_anon`), then maps the outcome to a documented exit code."""

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

MANIFEST_HELP = (
    "CSV (; or ,; UTF-8, Windows-1252 or UTF-16) or JSON with per-document metadata for the "
    "inventarislijst. Columns (any case, Dutch or English): file/bestandsnaam, "
    "document_id/documentnummer, title/titel, date/datum, zaaknummer, family_id/familie, "
    "excluded/uitgezonderd, toelichting. Default: manifest.csv/json at the top of a folder or zip.")


def _show_version(value: bool) -> None:
    if value:
        print(f"woo-anon {__version__}")
        raise typer.Exit()


app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, help=(
    "Redact personal data from Dutch government documents (Woo), labelled with Woo grounds.\n\n"
    "Example: woo-anon redact dossier/ -o out/"))


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True,
                                                help="Print the version and exit.")] = False) -> None:
    """Redact personal data from Dutch government documents (Woo), labelled with Woo grounds."""


def _plain_help() -> None:
    """typer prints Python types in --help (`<list[Path]>`, `<bool>`): show metavars only."""
    from typer.core import TyperArgument, TyperOption

    TyperArgument.display_type_rich = lambda self, ctx: None
    TyperOption.display_type_rich = lambda self, ctx: None if self.is_flag else (
        self.metavar or self.name.upper())


_plain_help()
def _console(stderr: bool = False) -> Console:
    """A terminal gets rich's wrapping at its width; a pipe or log file gets whole lines (no
    hard wrap at 80 columns), so a long file name or error stays one line to grep. COLUMNS, when
    set, is the width either way."""
    stream = sys.stderr if stderr else sys.stdout
    if stream.isatty() or os.environ.get("COLUMNS"):
        return Console(stderr=stderr)
    return Console(stderr=stderr, width=1000, soft_wrap=True)


err = _console(stderr=True)
out = _console()

Inputs = Annotated[list[Path], typer.Argument(
    help="Documents (PDF, e-mail, Office, images), folders (searched recursively) and zip exports.",
    metavar="INPUT", show_default=False)]
OutDir = Annotated[Path, typer.Option("--output", "-o", help="Output folder.", metavar="OUTDIR")]
Model = Annotated[Optional[str], typer.Option(metavar="NAME|PATH", help="spaCy pipeline name or path (default: the shipped nl_woo_ner; 'blank' for rules only).")]
Allow = Annotated[list[Path], typer.Option("--allow", metavar="FILE", show_default=False, help="File of terms never to redact (one per line or TOML `terms = [...]`). Repeatable.")]
Deny = Annotated[list[Path], typer.Option("--deny", metavar="FILE", show_default=False, help="File of terms always to redact. Repeatable.")]
Grounds = Annotated[Optional[Path], typer.Option(metavar="FILE", help="TOML table entity -> ground (default: built-in data/grounds.toml).")]
Threshold = Annotated[float, typer.Option(metavar="SCORE", help="Minimum detection score to redact.")]
Ocr = Annotated[str, typer.Option(metavar="auto|never|always", help="OCR for pages without a text layer.")]
Jobs = Annotated[int, typer.Option("--jobs", "-j", metavar="N", show_default=False, help="Worker processes (default: number of CPU cores).")]
Timeout = Annotated[int, typer.Option(metavar="SECONDS", help="Time limit per document.")]
OfficeView = Annotated[str, typer.Option("--office-view", metavar="all|final", help="Office files: all = tracked changes (deletions too), comments, hidden parts and speaker notes shown so they are reviewed and redacted; final = the accepted text only. Use the same value for plan and apply.")]
Cluster = Annotated[Optional[str], typer.Option(metavar="tcp://HOST:8786|local", help="Run the documents on a Dask cluster (needs the 'cluster' extra): a scheduler address, or 'local' for a LocalCluster with --jobs workers. Inputs and OUTDIR must be on storage every worker can reach.")]
Manifest = Annotated[Optional[Path], typer.Option(metavar="FILE", help=MANIFEST_HELP)]
NoPropagate = Annotated[bool, typer.Option("--no-propagate", help="Do not redact later mentions of detected names.")]
PropagateBatch = Annotated[bool, typer.Option("--propagate-batch", help="A name found in one document is redacted in every document of the batch (two passes).")]
RedactOfficials = Annotated[bool, typer.Option("--redact-officials", help="Also redact names of officials acting in office.")]
AuditValues = Annotated[bool, typer.Option("--audit-values", help="Write plaintext values into the audit log (off by default).")]
RedactImages = Annotated[bool, typer.Option("--redact-images", help="Redact every embedded image whole (photos, signatures, ID cards); page scans are OCR'd instead.")]
ZipOutput = Annotated[bool, typer.Option("--zip-output", help="Write each zip input back as OUTDIR/<name>.zip with the inventarislijst, manifest and audit.")]
Force = Annotated[bool, typer.Option("--force", help="Overwrite existing outputs and redo finished documents (a new run section in the audit).")]
Reviewer = Annotated[Optional[str], typer.Option(metavar="NAME", help="Who reviewed: recorded with every reviewed or hand-drawn decision in the audit.")]
Duplicates = Annotated[str, typer.Option("--duplicates", metavar="mark|skip|off", help="Copies of a document (same mail in several mailboxes, a print, a mail quoted whole in a later one): mark = same decisions as the original, 'dubbel' in the inventarislijst; skip = also no output for them (rows stay). Writes duplicates.csv.")]
Diwoo = Annotated[bool, typer.Option("--diwoo", help="Also write DiWoo 0.9.8 metadata per document (<name>.diwoo.xml, validated against the vendored XSD) and sitemap.xml; needs --publisher.")]
Publisher = Annotated[Optional[str], typer.Option(metavar="TOOI", help="--diwoo: the publishing organisation's TOOI code (gm0363) or URI.")]
Besluit = Annotated[str, typer.Option(metavar="ID", help="--diwoo: the Woo-besluit the documents are part of (isPartOf); a manifest column 'besluit' overrides it.")]
BaseUrl = Annotated[str, typer.Option("--base-url", metavar="URL", help="--diwoo: where the documents will be published (sitemap <loc>); relative names if left out.")]
Text = Annotated[bool, typer.Option("--text", help="Also write <name>.txt and <name>.text.json: the published text (presidio-anonymizer, same plan), verified like the PDF.")]
TextOperator = Annotated[str, typer.Option("--text-operator", metavar="ground|pseudonym|hash", help="--text: replace with [5.1.2e], a pseudonym per dossier ([Persoon 1]) or a keyed hash per dossier.")]


def _settings(model=None, allow=(), deny=(), grounds=None, threshold=0.5, ocr="auto",
              no_propagate=False, redact_officials=False, include_values=False,
              propagate_batch=False, redact_images=False, text=None, office_view="all"):
    if ocr not in ("auto", "never", "always"):
        raise typer.BadParameter("must be auto, never or always", param_hint="--ocr")
    if office_view not in ("all", "final"):
        raise typer.BadParameter("must be all or final", param_hint="--office-view")
    return woo_anon.Settings(model=model, threshold=threshold, allow_files=tuple(map(str, allow)),
                             deny_files=tuple(map(str, deny)),
                             grounds_file=str(grounds) if grounds else None, ocr=ocr,
                             propagate=not no_propagate, keep_officials=not redact_officials,
                             include_values=include_values, propagate_batch=propagate_batch,
                             redact_images=redact_images, text=text, office_view=office_view)


def _text_operator(text: bool, operator: str) -> str | None:
    """--text / --text-operator → Settings.text (None: no rendition). An operator without
    --text would do nothing: a usage error, not silence."""
    if not text and operator == "ground":  # the default: no need to load the rendition module
        return None
    if not text:
        raise typer.BadParameter("only applies with --text (the text rendition)",
                                 param_hint="--text-operator")
    operators = woo_anon.TEXT_OPERATORS
    if operator not in operators:
        raise typer.BadParameter(f"must be one of {', '.join(operators)}", param_hint="--text-operator")
    return operator if text else None


def _diwoo(diwoo: bool, publisher: str | None, besluit: str, base_url: str):
    """--diwoo options → woo_anon.diwoo.Options (None without --diwoo). A DiWoo option without
    --diwoo would do nothing: a usage error, not silence."""
    if not diwoo:
        given = [flag for flag, value in (("--publisher", publisher), ("--besluit", besluit),
                                          ("--base-url", base_url)) if value]
        if given:
            raise typer.BadParameter(f"{', '.join(given)} only apply with --diwoo")
        return None
    if not publisher:
        raise typer.BadParameter("--diwoo needs --publisher (a TOOI code such as gm0363)")
    return woo_anon.DiwooOptions(publisher, besluit=besluit, base_url=base_url)


def _summary(results, outdir: Path | None = None) -> None:
    """A table that stays readable at 80 columns (names shortened in the middle); the full
    table goes to a report file in the work folder."""
    name_width = max(24, min(60, out.width - 44))
    table = Table(title="woo-anon", show_lines=False)
    table.add_column("document", min_width=name_width, no_wrap=True)
    table.add_column("pages", justify="right")
    table.add_column("status")
    table.add_column("redactions per ground / error", overflow="fold")
    for r in results:
        detail = (", ".join(f"{g}: {n}" for g, n in r.by_ground.items()) or "-") \
            if r.status != "failed" else _short_error(r)
        table.add_row(_middle(r.name, name_width), str(r.pages), r.status, detail)
    out.print(table)
    done = [r for r in results if r.status != "failed"]
    totals: dict[str, int] = {}
    for r in done:
        for g, n in r.by_ground.items():
            totals[g] = totals.get(g, 0) + n
    out.print(f"{len(done)} of {len(results)} documents done, {sum(r.pages for r in done)} pages; "
              + (", ".join(f"{g}: {n}" for g, n in sorted(totals.items())) or "no redactions"))
    if outdir is not None and results:
        report = woo_anon.write_report(results, outdir)
        out.print(f"full report: {report}", highlight=False, soft_wrap=True)


def _middle(text: str, width: int) -> str:
    """Shorten from the middle, keeping the file name whole where it fits (documents in
    different folders, or with long similar names, stay told apart)."""
    if len(text) <= width:
        return text
    folder, _, base = text.rpartition("/")
    if folder and len(base) + 3 <= width:
        return _cut(folder, width - len(base) - 1) + "/" + base
    return _cut(text, width)


def _cut(text: str, width: int) -> str:
    half = (width - 1) // 2
    return text[:half] + "…" + text[-(width - 1 - half):]


def _short_error(result) -> str:
    error = result.error or ""
    where, _, reason = error.partition(": ")
    return reason if reason and os.path.basename(result.name) in where else error


def _quiet_mupdf() -> None:
    """MuPDF prints its warnings on stdout, through the progress bar, without a file name and
    with whatever they quote of a document. The runner collects them per document (one line
    each, quotes masked: woo_anon.mupdf_messages); anywhere else in a batch (grouping
    duplicates, reading dates, counting pages) they are not printed."""
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)


def _with_progress(label: str, run):
    """Documents and pages done, pages/s and ETA on stderr while the batch runs; each failure
    as one line naming the file."""
    import time

    _quiet_mupdf()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[pages]} pages, {task.fields[rate]} pages/s"),
                  TimeRemainingColumn(), console=err, transient=True) as progress:
        task = progress.add_task(label, total=None, pages=0, rate="-")
        pages, start = [0], time.monotonic()

        def on_result(result) -> None:
            if result.status != "skipped":
                pages[0] += result.pages
            rate = pages[0] / max(time.monotonic() - start, 1e-6)
            progress.update(task, advance=1, pages=pages[0], rate=f"{rate:.1f}")
            if result.status == "failed":
                err.print(f"error: {result.error}", highlight=False, soft_wrap=True)
            for message in result.messages:
                err.print(f"warning: {result.name}: {message}", highlight=False, soft_wrap=True)

        try:
            return run(on_result, lambda total: progress.update(task, total=total))
        except KeyboardInterrupt:  # typer would turn it into a silent exit 130
            progress.stop()
            err.print("interrupted: finished documents are kept; run again to resume",
                      highlight=False)
            raise typer.Exit(int(woo_anon.ExitCode.INTERRUPTED)) from None


def _zip_note(zip_output: bool, request) -> None:
    """--zip-output with no zip export among the inputs wrote nothing back: say so."""
    if zip_output and not any(path.suffix == ".zip" for path in request.outputs):
        err.print("warning: --zip-output: no zip export among the inputs, so no zip was written "
                  "back (the outputs are in the output folder)", highlight=False, soft_wrap=True)


def _finish(request, outdir: Path) -> None:
    _summary(request.results, outdir)
    line = woo_anon.duplicates_summary(outdir)  # issue #13: one line on the grouping
    if line:
        out.print(line, highlight=False, soft_wrap=True)
    raise typer.Exit(request.exit_code)


def _policy(value: str) -> str:
    if value not in ("mark", "skip", "off"):
        raise typer.BadParameter(f"--duplicates must be mark, skip or off, not {value!r}")
    return value


@app.command()
def redact(
    inputs: Inputs, output: OutDir, model: Model = None, allow: Allow = [], deny: Deny = [],
    grounds: Grounds = None, threshold: Threshold = 0.5, ocr: Ocr = "auto", jobs: Jobs = 0,
    timeout: Timeout = 120, manifest: Manifest = None, no_propagate: NoPropagate = False,
    propagate_batch: PropagateBatch = False, redact_officials: RedactOfficials = False,
    include_values: AuditValues = False, redact_images: RedactImages = False,
    zip_output: ZipOutput = False, force: Force = False, duplicates: Duplicates = "mark",
    diwoo: Diwoo = False, publisher: Publisher = None, besluit: Besluit = "",
    base_url: BaseUrl = "", text: Text = False, text_operator: TextOperator = "ground",
    office_view: OfficeView = "all", cluster: Cluster = None,
) -> None:
    """Redact documents in one step: detect, decide, redact, verify, audit, inventarislijst.

    Example: woo-anon redact samples -o out
    Example: woo-anon redact dossier/ -o out/ --diwoo --publisher gm0363 --text
    """
    settings = _settings(model, allow, deny, grounds, threshold, ocr, no_propagate,
                         redact_officials, include_values, propagate_batch, redact_images,
                         _text_operator(text, text_operator), office_view)
    options = _diwoo(diwoo, publisher, besluit, base_url)
    request = _with_progress("redacting", lambda cb, total: woo_anon.redact_request(
        inputs, output, settings, manifest, cb, jobs=jobs or os.cpu_count() or 1, force=force,
        timeout=timeout, zip_output=zip_output, duplicates=_policy(duplicates), on_total=total,
        diwoo=options, cluster=cluster))
    for r in request.results:  # found after the documents, so not yet reported by the progress
        if r.status == "failed" and "DiWoo metadata:" in (r.error or ""):
            err.print(f"error: {r.error}", highlight=False, soft_wrap=True)
    _zip_note(zip_output, request)
    _finish(request, output)


@app.command()
def plan(
    inputs: Inputs, output: OutDir, model: Model = None, allow: Allow = [], deny: Deny = [],
    grounds: Grounds = None, threshold: Threshold = 0.5, ocr: Ocr = "auto", jobs: Jobs = 0,
    timeout: Timeout = 120, manifest: Manifest = None, no_propagate: NoPropagate = False,
    propagate_batch: PropagateBatch = False, redact_officials: RedactOfficials = False,
    redact_images: RedactImages = False, force: Force = False, duplicates: Duplicates = "mark",
    office_view: OfficeView = "all", cluster: Cluster = None,
) -> None:
    """Propose redactions without removing anything: <name>.plan.json + <name>.review.pdf.

    Takes the detection options of `redact`, so plan + apply gives what redact gives. What
    concerns the published result (--zip-output, --audit-values, --text, --diwoo) goes to
    `apply`, which writes it; plan writes no audit trail and no publication.

    Example: woo-anon plan dossier/ -o review/
    """
    settings = _settings(model, allow, deny, grounds, threshold, ocr, no_propagate,
                         redact_officials, False, propagate_batch, redact_images,
                         office_view=office_view)
    request = _with_progress("planning", lambda cb, total: woo_anon.plan_request(
        inputs, output, settings, manifest, cb, jobs=jobs or os.cpu_count() or 1, force=force,
        timeout=timeout, duplicates=_policy(duplicates), on_total=total, cluster=cluster))
    _finish(request, output)


@app.command()
def apply(
    inputs: Inputs,
    plan_dir: Annotated[Path, typer.Option("--plan", metavar="PLANDIR", help="Folder with the (edited) plan JSON and review PDF files.")],
    output: OutDir, grounds: Grounds = None, jobs: Jobs = 0, timeout: Timeout = 120,
    manifest: Manifest = None, reviewer: Reviewer = None, zip_output: ZipOutput = False,
    force: Force = False, text: Text = False, text_operator: TextOperator = "ground",
    office_view: OfficeView = "all", cluster: Cluster = None, include_values: AuditValues = False,
) -> None:
    """Apply reviewed plans: redact, verify, audit and write the inventarislijst.

    Example: woo-anon apply dossier/ --plan review/ -o out/ --reviewer "A. de Vries"
    """
    settings = _settings(grounds=grounds, text=_text_operator(text, text_operator),
                         office_view=office_view, include_values=include_values)
    request = _with_progress("applying", lambda cb, total: woo_anon.apply_request(
        inputs, plan_dir, output, settings, manifest, cb, jobs=jobs or os.cpu_count() or 1,
        force=force, timeout=timeout, zip_output=zip_output, reviewer=reviewer, on_total=total,
        cluster=cluster))
    _zip_note(zip_output, request)
    _finish(request, output)


@app.command()
def learn(
    plan_dir: Annotated[Path, typer.Option("--plan", metavar="PLANDIR", help="Folder with reviewed plan JSON / review PDF files.")],
    allow_out: Annotated[Path, typer.Option("--allow-out", metavar="FILE", help="Write 'always keep' terms here.")],
    deny_out: Annotated[Path, typer.Option("--deny-out", metavar="FILE", help="Write 'always redact' terms here.")],
) -> None:
    """Turn an officer's review decisions into allow/deny lists (--allow / --deny).

    Only decisions a person changed count.

    Example: woo-anon learn --plan review/ --allow-out dossier-allow.txt --deny-out dossier-deny.txt
    """
    keep, redact = woo_anon.learn_lists(plan_dir)
    header = "# made by woo-anon learn from reviewed plans in {}\n".format(plan_dir)
    allow_out.write_text(header + "".join(f"{t}\n" for t in keep), encoding="utf-8")
    deny_out.write_text(header + "".join(f"{t}\n" for t in redact), encoding="utf-8")
    out.print(f"{len(keep)} terms to keep -> {allow_out}; {len(redact)} terms to redact -> {deny_out}",
              highlight=False, soft_wrap=True)


@app.command()
def verify(
    output: Annotated[Path, typer.Argument(metavar="OUTPUT.pdf", help="A redacted PDF.")],
    plan_file: Annotated[Path, typer.Option("--plan", metavar="PLAN.json", help="The plan JSON it was made from.")],
) -> None:
    """Check a redacted PDF against its plan with two extractors.

    Exit 5 when anything planned is readable, 7 when the plan belongs to another document.

    Example: woo-anon verify out/brief.pdf --plan review/brief.pdf.plan.json
    """
    problems = woo_anon.verify_file(output, plan_file)
    for problem in problems:
        err.print(f"{output}: {problem}", highlight=False, soft_wrap=True)
    if problems:
        raise typer.Exit(woo_anon.ExitCode.VERIFICATION_FAILED)
    out.print(f"{output}: verified, nothing planned is readable", highlight=False, soft_wrap=True)


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
    """Print the version (also: woo-anon --version).

    Example: woo-anon version
    """
    out.print(__version__)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s", stream=sys.stderr)
    logging.getLogger("woo_anon.cluster").setLevel(logging.INFO)  # per-worker throughput lines
    try:
        code = app(standalone_mode=False)  # our exit codes come back as the return value
        sys.exit(code if isinstance(code, int) else 0)
    except woo_anon.WooAnonError as exc:
        err.print(f"error: {exc}", highlight=False, soft_wrap=True)
        sys.exit(int(exc.exit_code))
    except (KeyboardInterrupt, *_abort()):  # Ctrl-C (click turns it into Abort)
        err.print("interrupted: finished documents are kept; run again to resume", highlight=False)
        sys.exit(int(woo_anon.ExitCode.INTERRUPTED))
    except _usage_errors() as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except Exception as exc:  # never a traceback for the user; -v style detail goes to the log
        logging.getLogger(__name__).debug("internal error", exc_info=True)
        err.print(f"internal error: {type(exc).__name__}: {str(exc)[:200]} (please report this)",
                  highlight=False, soft_wrap=True)
        sys.exit(int(woo_anon.ExitCode.INTERNAL_ERROR))


def _usage_errors():
    """typer's own click exceptions (it vendors click): usage errors, no-arguments help."""
    return (typer.BadParameter.__mro__[2],)  # ClickException


def _abort():
    import click

    return (typer.Abort, click.exceptions.Abort)
