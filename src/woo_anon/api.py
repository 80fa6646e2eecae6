"""The public Python API: what the CLI calls, and what an integrator (a zaaksysteem export)
calls. Everything here is stable; everything else is internal.

    from woo_anon import Settings, redact_request
    result = redact_request(["export.zip"], "out", Settings(), zip_output=True)
    result.exit_code, result.rows, result.outputs
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping

from woo_anon import __version__
from woo_anon.audit import AuditLog
from woo_anon.batch import run_items, sources_for
from woo_anon.engine import Engine, Settings
from woo_anon.errors import ExitCode, WooAnonError
from woo_anon.inventory import read_manifest, rows, write_inventory
from woo_anon.model import DocumentResult
from woo_anon.review_flow import learn_lists
from woo_anon.runner import Mode, output_path, process, write_redacted
from woo_anon.sources import Item, Sources, item_for, with_metadata

__all__ = ["Settings", "Engine", "DocumentResult", "RequestResult", "ExitCode", "WooAnonError",
           "redact_request", "plan_request", "apply_request", "verify_file", "learn_lists",
           "redact_file", "write_redacted", "exit_code_for", "__version__"]

Progress = Callable[[DocumentResult], None]


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


def _items(inputs: Iterable[str | Path], outdir: str | Path,
           manifest: str | Path | None) -> tuple[Sources, tuple[Item, ...]]:
    sources = sources_for(list(map(str, inputs)), outdir)
    table = read_manifest(manifest or sources.manifest)
    return sources, with_metadata(sources.items, table)


def redact_request(inputs: Iterable[str | Path], outdir: str | Path, settings: Settings,
                   manifest: str | Path | None = None, progress: Progress | None = None, *,
                   jobs: int = 1, force: bool = False, timeout: int = 120,
                   zip_output: bool = False,
                   on_total: Callable[[int], None] | None = None) -> RequestResult:
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
        on_total: called once with the number of documents.
    """
    from woo_anon.batch import zip_outputs

    sources, items = _items(inputs, outdir, manifest)
    results = run_items(items, outdir, settings, Mode.REDACT, jobs, force, timeout, progress, on_total)
    written = write_inventory(results, outdir, _meta(items))
    outputs = tuple(written) + (Path(outdir) / "audit.jsonl",)
    if zip_output:
        outputs += tuple(zip_outputs(sources, outdir))
    return RequestResult(tuple(results), tuple(rows(results, _meta(items))), outputs)


def plan_request(inputs: Iterable[str | Path], outdir: str | Path, settings: Settings,
                 manifest: str | Path | None = None, progress: Progress | None = None, *,
                 jobs: int = 1, force: bool = False, timeout: int = 120,
                 on_total: Callable[[int], None] | None = None) -> RequestResult:
    """Plan a request: per document `<name>.plan.json` and `<name>.review.pdf` in `outdir`;
    nothing is removed. Same options as `redact_request`."""
    _, items = _items(inputs, outdir, manifest)
    results = run_items(items, outdir, settings, Mode.PLAN, jobs, force, timeout, progress, on_total)
    return RequestResult(tuple(results), tuple(rows(results, _meta(items))))


def apply_request(inputs: Iterable[str | Path], plan_dir: str | Path, outdir: str | Path,
                  settings: Settings | None = None, manifest: str | Path | None = None,
                  progress: Progress | None = None, *, jobs: int = 1, force: bool = False,
                  timeout: int = 120, on_total: Callable[[int], None] | None = None) -> RequestResult:
    """Apply reviewed plans from `plan_dir`: redact, verify, audit, inventarislijst."""
    settings = settings or Settings()
    _, items = _items(inputs, outdir, manifest)
    results = run_items(items, outdir, settings, Mode.APPLY, jobs, force, timeout, progress,
                        on_total, plan_dir=plan_dir)
    written = write_inventory(results, outdir, _meta(items))
    return RequestResult(tuple(results), tuple(rows(results, _meta(items))),
                         tuple(written) + (Path(outdir) / "audit.jsonl",))


def _meta(items: Iterable[Item]) -> dict[str, Mapping[str, str]]:
    return {item.name: item.meta for item in items if item.metadata}


def verify_file(output: str | Path, plan_file: str | Path) -> list[str]:
    """Check a redacted PDF against its plan; returns the problems (empty when clean)."""
    from woo_anon.plan import read_plan
    from woo_anon.verify import verify_output

    return verify_output(output, read_plan(plan_file))


def redact_file(engine: Engine, path: str | Path, name: str, outdir: str | Path,
                audit: AuditLog, force: bool = False,
                known_names: tuple[str, ...] = ()) -> DocumentResult:
    """One document through the whole pipeline (the runner in redact mode)."""
    return process(item_for(path, name), Mode.REDACT, outdir, engine=engine, audit=audit,
                   force=force, known_names=known_names)


__all__ += ["output_path", "Item"]
