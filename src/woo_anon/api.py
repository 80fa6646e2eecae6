"""The public Python API: what the CLI calls, and what an integrator (a zaaksysteem export)
calls. Everything here is stable; everything else is internal.

    from woo_anon import Settings, redact_request
    result = redact_request(["export.zip"], "out", Settings(), zip_output=True)
    result.exit_code, result.rows, result.outputs
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping

from woo_anon import __version__
from woo_anon.audit import AuditLog
from woo_anon.batch import run_items, sources_for
from woo_anon.engine import Engine, Settings
from woo_anon.errors import BadInputError, ExitCode, PlanMismatchError, UsageError, WooAnonError
from woo_anon.inventory import rows, write_inventory
from woo_anon.manifest import read_manifest
from woo_anon.model import DocumentResult
from woo_anon.review_flow import learn_lists
from woo_anon.runner import Mode, output_path, process, write_redacted
from woo_anon.sources import Item, Sources, item_for, with_metadata

__all__ = ["Settings", "Engine", "DocumentResult", "RequestResult", "ExitCode", "WooAnonError",
           "redact_request", "plan_request", "apply_request", "verify_file", "learn_lists",
           "redact_file", "write_redacted", "exit_code_for", "write_report", "duplicates_summary",
           "__version__"]

Progress = Callable[[DocumentResult], None]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RequestResult:
    """The outcome of one request (a batch of documents).

    Attributes:
        results: one DocumentResult per document, in input order.
        rows: the inventarislijst rows (column → value), as written.
        outputs: files written besides the documents (inventarislijst, audit, zips).
    """

    results: tuple[DocumentResult, ...]
    rows: tuple[Mapping[str, str], ...] = ()
    outputs: tuple[Path, ...] = field(default_factory=tuple)

    @property
    def exit_code(self) -> int:
        return exit_code_for(self.results)


def exit_code_for(results: Iterable[DocumentResult]) -> int:
    """0 when nothing failed; the shared code when every document failed the same way;
    otherwise PARTIAL (6)."""
    results = list(results)
    failures = [r for r in results if r.status == "failed"]
    if not failures:
        return ExitCode.OK
    codes = {r.exit_code for r in failures}
    if len(failures) == len(results) and len(codes) == 1:
        return codes.pop()
    return ExitCode.PARTIAL


def _items(inputs: Iterable[str | Path], outdir: str | Path, manifest: str | Path | None,
           settings: Settings | None = None) -> tuple[Sources, tuple[Item, ...], Path | None]:
    """Resolve the inputs and read the manifest, before anything is processed: a bad manifest
    or an output folder that is also an input stops the request at once (exit 3). Mail and
    Office files are expanded here, as `settings.office_view` says."""
    inputs = list(map(str, inputs))
    _check_outdir(inputs, outdir)
    _intake_options(settings or Settings())
    if manifest is not None:
        read_manifest(manifest)  # checked before zips are unpacked
    sources = sources_for(inputs, outdir)
    used = Path(manifest) if manifest else sources.manifest
    table = read_manifest(used)
    items = with_metadata(sources.items, table)
    _report_unmatched(used, table, items)
    return sources, items, used


def _report_unmatched(manifest: Path | None, table: Mapping, items: tuple[Item, ...]) -> None:
    """A manifest row whose file is not among the inputs is named (not silently dropped)."""
    rows = {row.get("file", "") for row in table.values()}
    matched = {row.get("file", "") for item in items for row in [item.meta] if row}
    for missing in sorted(rows - matched):
        log.warning("%s: lists %s, which is not among the inputs", manifest, missing)


def _intake_options(settings: Settings) -> None:
    """How the intake renders Office files for this request (--office-view)."""
    from woo_anon.intake import IntakeOptions
    from woo_anon.intake.hooks import configure

    if settings.office_view not in ("all", "final"):
        raise UsageError(f"office view must be 'all' or 'final', not {settings.office_view!r}")
    configure(IntakeOptions(office_view=settings.office_view))


def _check_outdir(inputs: list[str], outdir: str | Path) -> None:
    target = Path(outdir).resolve()
    for given in map(Path, inputs):
        if given.is_dir() and given.resolve() == target:
            raise BadInputError(f"{given}: the output folder must not be the input folder "
                                "(choose another -o OUTDIR)")


def redact_request(inputs: Iterable[str | Path], outdir: str | Path, settings: Settings,
                   manifest: str | Path | None = None, progress: Progress | None = None, *,
                   jobs: int = 1, force: bool = False, timeout: int = 120,
                   zip_output: bool = False, duplicates: str = "mark",
                   on_total: Callable[[int], None] | None = None,
                   cluster: str | None = None, diwoo=None) -> RequestResult:
    """Redact a request: every document redacted, verified and audited into `outdir`, plus the
    inventarislijst (CSV + XLSX) and, with `zip_output`, each zip input written back as a zip.

    Args:
        inputs: PDF files, folders and zip exports.
        outdir: output folder (only publishable files are written there).
        settings: detection and policy settings.
        manifest: CSV/JSON with per-document metadata (default: one shipped in the input).
        progress: called with each DocumentResult as it finishes.
        jobs: worker processes.
        force: overwrite existing outputs and redo finished documents.
        timeout: seconds per document.
        zip_output: write `OUTDIR/<zip name>.zip` for each zip input.
        duplicates: `mark` (copies share decisions, rows say `dubbel`), `skip` (no output
            for copies, rows kept) or `off`; writes duplicates.csv.
        on_total: called once with the number of documents.
        cluster: run the documents on a Dask cluster: `tcp://host:8786`, or `local` for a
            LocalCluster with `jobs` workers (needs the `cluster` extra).
        diwoo: a `woo_anon.diwoo.Options` (publisher, besluit …): write `<name>.diwoo.xml` per
            published document and `sitemap.xml`; a document whose metadata fails is failed.
    """
    if diwoo is not None:
        from woo_anon.diwoo import organisation

        organisation(diwoo.publisher)  # an unknown publisher stops the request before it starts
    sources, items, used = _items(inputs, outdir, manifest, settings)
    dups = _duplicates(items, duplicates, jobs)
    results = run_items(items, outdir, settings, Mode.REDACT, jobs, force, timeout, progress,
                        on_total, duplicates=dups, cluster=cluster)
    if diwoo is not None:
        from woo_anon.publication import publish_request

        results = publish_request(results, outdir, _meta(items), diwoo,
                                  {item.name: item.source for item in items})
    return _finish(results, items, outdir, sources if zip_output else None, used, dups)


def _finish(results: list[DocumentResult], items: tuple[Item, ...], outdir: str | Path,
            sources: Sources | None, manifest: Path | None, dups=None) -> RequestResult:
    """Inventarislijst (and zips) for a finished request."""
    from woo_anon.batch import zip_outputs

    meta = dups.inventory_meta(_meta(items)) if dups is not None else _meta(items)
    inputs = {item.name: item.source for item in items}  # a date where the manifest has none
    written = write_inventory(results, outdir, meta, inputs)
    outputs = tuple(written) + (Path(outdir) / "audit.jsonl",)
    if dups is not None:
        dups.write(outdir)
        outputs += (Path(outdir) / "duplicates.csv",)
    if sources is not None:
        extras = outputs
        if manifest is not None and sources.zips:  # the zaaksysteem reads its results back
            from woo_anon.fsutil import work_dir
            from woo_anon.manifest_update import write_updated_manifest

            work_dir(outdir).mkdir(parents=True, exist_ok=True)
            extras += (write_updated_manifest(Path(manifest), results, work_dir(outdir)),)
        outputs += tuple(zip_outputs(sources, outdir, extras, manifest))
    return RequestResult(tuple(results), tuple(rows(results, meta, inputs)), outputs)


def duplicates_summary(outdir: str | Path) -> str:
    """The summary line of the duplicates a request in `outdir` grouped ('' when none)."""
    from woo_anon.dedupe.flow import Duplicates

    found = Duplicates.load(outdir)
    return found.summary() if found is not None else ""


def _duplicates(items: tuple[Item, ...], policy: str, jobs: int):
    """Issue #13: the request's copies grouped before planning (None for `off`)."""
    if policy == "off":
        return None
    from woo_anon.dedupe.flow import Duplicates
    from woo_anon.sources import render

    return Duplicates.for_items(items, render, policy, jobs=jobs)


def plan_request(inputs: Iterable[str | Path], outdir: str | Path, settings: Settings,
                 manifest: str | Path | None = None, progress: Progress | None = None, *,
                 jobs: int = 1, force: bool = False, timeout: int = 120, duplicates: str = "mark",
                 on_total: Callable[[int], None] | None = None,
                 cluster: str | None = None) -> RequestResult:
    """Plan a request: per document `<name>.plan.json` and `<name>.review.pdf` in `outdir`;
    nothing is removed. Same options as `redact_request`; the grouping of copies is saved
    beside the plans (duplicates.csv/.json) so `apply` shares the officer's edits."""
    _, items, _ = _items(inputs, outdir, manifest, settings)
    dups = _duplicates(items, duplicates, jobs)
    results = run_items(items, outdir, settings, Mode.PLAN, jobs, force, timeout, progress, on_total,
                        duplicates=dups, cluster=cluster)
    if dups is not None:
        dups.write(outdir)
    meta = dups.inventory_meta(_meta(items)) if dups is not None else _meta(items)
    return RequestResult(tuple(results), tuple(rows(results, meta)))


def apply_request(inputs: Iterable[str | Path], plan_dir: str | Path, outdir: str | Path,
                  settings: Settings | None = None, manifest: str | Path | None = None,
                  progress: Progress | None = None, *, jobs: int = 1, force: bool = False,
                  timeout: int = 120, zip_output: bool = False, reviewer: str | None = None,
                  on_total: Callable[[int], None] | None = None,
                  cluster: str | None = None) -> RequestResult:
    """Apply reviewed plans from `plan_dir`: redact, verify, audit, inventarislijst. Ground
    codes outside the Woo (and the grounds table) are refused; `reviewer` is recorded with
    every reviewed or hand-drawn decision."""
    from woo_anon.dedupe.flow import Duplicates

    settings = settings or Settings()
    sources, items, used = _items(inputs, outdir, manifest, settings)
    dups = Duplicates.load(plan_dir)  # the grouping `plan` saved: officer's edits reach every copy
    results = run_items(items, outdir, settings, Mode.APPLY, jobs, force, timeout, progress,
                        on_total, plan_dir=plan_dir, reviewer=reviewer, duplicates=dups,
                        cluster=cluster)
    return _finish(results, items, outdir, sources if zip_output else None, used, dups)


def _meta(items: Iterable[Item]) -> dict[str, Mapping[str, str]]:
    return {item.name: item.meta for item in items if item.metadata}


def verify_file(output: str | Path, plan_file: str | Path) -> list[str]:
    """Check a redacted PDF against its plan; returns the problems (empty when clean).
    PlanMismatchError (exit 7) when the plan belongs to another document."""
    from woo_anon.extract import open_pdf
    from woo_anon.plan import read_plan
    from woo_anon.verify import verify_output

    plan = read_plan(plan_file)
    with open_pdf(output) as doc:
        pages = doc.page_count
    check_plan_matches(Path(output), plan, Path(plan_file), pages)
    return verify_output(output, plan)


def check_plan_matches(output: Path, plan, plan_file: Path, pages: int) -> None:
    """The audit trail beside the output says which input it was made from; without one, the
    plan's document name and page count must fit the output."""
    made_from = _audited_input(output)
    other = (made_from is not None and made_from != plan.source_sha256) or (
        made_from is None and Path(plan.source).name != output.name) or any(
        r.page > pages for r in plan.redactions)
    if other:
        raise PlanMismatchError(f"{output}: the plan {plan_file} was made for another document "
                                f"({plan.source}); use that document's plan")


def _audited_input(output: Path) -> str | None:
    import json

    from woo_anon.extract import sha256_file

    digest = sha256_file(output)
    for folder in list(output.resolve().parents)[:4]:
        audit = folder / "audit.jsonl"
        if not audit.is_file():
            continue
        for line in audit.read_text(encoding="utf-8").splitlines():
            if digest in line:
                record = json.loads(line)
                if record.get("output_sha256") == digest and record.get("input_sha256"):
                    return record["input_sha256"]
    return None


def write_report(results: Iterable[DocumentResult], outdir: str | Path) -> Path:
    """The full summary (names, status, grounds, errors, library messages) as a text file in
    the work folder beside OUTDIR (it may name local paths, so it is not published)."""
    from woo_anon.fsutil import work_dir, write_text_atomic

    lines = []
    for r in results:
        detail = "; ".join(f"{g}: {n}" for g, n in r.by_ground.items()) or "-"
        lines.append(f"{r.name}\t{r.pages} pages\t{r.status}\t"
                     + (r.error or "" if r.status == "failed" else detail))
        lines += [f"\t{message}" for message in r.messages]
    target = work_dir(outdir) / "report.txt"
    target.parent.mkdir(parents=True, exist_ok=True)
    return write_text_atomic(target, "\n".join(lines) + "\n")


def redact_file(engine: Engine, path: str | Path, name: str, outdir: str | Path,
                audit: AuditLog, force: bool = False,
                known_names: tuple[str, ...] = ()) -> DocumentResult:
    """One document through the whole pipeline (the runner in redact mode)."""
    return process(item_for(path, name), Mode.REDACT, outdir, engine=engine, audit=audit,
                   force=force, known_names=known_names)


__all__ += ["output_path", "Item"]
