"""Batch runs: many items through the runner, in worker processes with a watchdog, with
progress and resume. Resume state lives in the work folder (fsutil.work_dir), not in OUTDIR."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
from dataclasses import asdict, replace
from pathlib import Path
from typing import Callable, Iterable

from woo_anon import runner, split
from woo_anon.audit import AuditLog
from woo_anon.engine import Engine, Settings
from woo_anon.errors import DocumentTimeoutError
from woo_anon.extract import sha256_file
from woo_anon.fsutil import make_work_dir, remove_partials, work_dir
from woo_anon.intake import close_converters
from woo_anon.model import DocumentResult
from woo_anon.pool import WatchdogPool
from woo_anon.runner import Mode
from woo_anon.sources import Item, Sources, render, resolve

STATE_FILE = "state.jsonl"
UNPACK_DIR = "unpacked"
_worker: dict = {}
log = logging.getLogger(__name__)


class State:
    """Which documents are done, keyed by name + input sha256 + settings digest."""

    def __init__(self, path: Path, digest: str) -> None:
        self.path = path
        self.digest = digest
        self.done: dict[tuple[str, str], dict] = {}
        self.names: set[str] = set()
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut off by a crash
                if rec.get("digest") == digest:
                    self.done[(rec["name"], rec["input_sha256"])] = rec
                    self.names.add(rec["name"])

    def finished(self, name: str, input_sha: str, target: Path) -> dict | None:
        rec = self.done.get((name, input_sha))
        if rec and target.exists() and sha256_file(target) == rec["output_sha256"]:
            return rec
        return None

    def record(self, result: DocumentResult) -> None:
        rec = {"name": result.name, "input_sha256": result.input_sha256, "digest": self.digest,
               "output_sha256": sha256_file(result.output), "result": asdict(result)}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(rec) + "\n")
            handle.flush()
            os.fsync(handle.fileno())


def sources_for(inputs: Iterable[str | Path], outdir: str | Path) -> Sources:
    """Resolve the inputs of a run into items; zips are unpacked into the work folder."""
    work = make_work_dir(outdir)
    return resolve(inputs, unpack_dir=work / UNPACK_DIR, exclude=(Path(outdir), work))


def run_batch(inputs: list[str], outdir: str | Path, settings: Settings, jobs: int = 1,
              force: bool = False, timeout: int = 120,
              on_result: Callable[[DocumentResult], None] | None = None,
              on_total: Callable[[int], None] | None = None) -> list[DocumentResult]:
    """Redact every input; skip what a previous identical run finished; never stop on one bad file."""
    items = sources_for(inputs, outdir).items
    return run_items(items, outdir, settings, Mode.REDACT, jobs, force, timeout, on_result, on_total)


def run_items(items: Iterable[Item], outdir: str | Path, settings: Settings, mode: Mode = Mode.REDACT,
              jobs: int = 1, force: bool = False, timeout: int = 120,
              on_result: Callable[[DocumentResult], None] | None = None,
              on_total: Callable[[int], None] | None = None,
              plan_dir: str | Path | None = None, reviewer: str | None = None,
              duplicates=None, cluster: str | None = None) -> list[DocumentResult]:
    """Run items through the runner in `mode`, `jobs` at a time. A finished document's output,
    audit records and resume state are written together (runner.uninterrupted), so an
    interrupted run resumes where it stopped. `duplicates` (dedupe.flow.Duplicates): group
    members are planned first and share their decisions; `skip` drops copies' outputs.
    `cluster` (a Dask scheduler address, or "local"): the documents run on a Dask cluster
    instead of local worker processes (woo_anon.cluster)."""
    from woo_anon.nlp import check_model

    if mode is not Mode.APPLY:
        check_model(settings.model)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    remove_partials(outdir)  # left by a run that was killed
    state = State(work_dir(outdir) / STATE_FILE, settings.digest())
    todo, results = [], []
    for item in items:
        done = None if force or mode is not Mode.REDACT else _already_done(state, item, outdir)
        if done is not None:
            results.append(done)
            if on_result:
                on_result(done)
        else:
            todo.append(item)
    shared: dict = {}
    if duplicates is not None and todo:  # issue #13: copies share decisions (dedupe.flow)
        todo, skipped, shared = duplicates.prepare_run(
            todo, mode, render, _first_pass(settings, mode, plan_dir), work_dir(outdir))
        results += skipped
        for result in skipped if on_result else ():
            on_result(result)
    if on_total:
        on_total(len(results) + len(todo))
    run = _start_run(outdir, settings, mode, force, reviewer) if todo else ""
    task = (str(outdir), mode, force, timeout, str(plan_dir) if plan_dir else None)
    init = (settings, str(outdir), run, mode, reviewer, state if mode is Mode.REDACT else None, shared)
    try:
        for result in _run(todo, task, init, jobs, cluster):
            results.append(result)
            if on_result:
                on_result(result)
    finally:
        remove_partials(outdir)  # from a worker stopped mid-write
        close_converters()  # this process's Chromium (workers close theirs as they end)
    return results


def _start_run(outdir: Path, settings: Settings, mode: Mode, force: bool,
               reviewer: str | None) -> str:
    """A new run section in the audit trail (plan writes no audit)."""
    if mode is Mode.PLAN:
        return ""
    audit = AuditLog(outdir, settings.include_values, reviewer)
    if audit.start_run(mode.value, settings.digest(), force) and force:
        log.warning("%s: --force: a new run section %s starts in the audit trail",
                    audit.path, audit.run)
    return audit.run


def _already_done(state: State, item: Item, outdir: Path) -> DocumentResult | None:
    if item.problem or not item.source.is_file() or item.name not in state.names:
        return None  # no hashing for documents no earlier run finished
    rec = state.finished(item.name, sha256_file(item.source), runner.output_path(outdir, item.name))
    if rec is None:
        return None
    data = dict(rec["result"], status="skipped")
    data["ocr_confidence"] = {int(k): v for k, v in data.get("ocr_confidence", {}).items()}
    data["ocr_pages"] = tuple(data.get("ocr_pages", ()))
    data["review_pages"] = tuple(data.get("review_pages", ()))
    return DocumentResult(**data)


# --- worker side ---------------------------------------------------------------------------

def _init_worker(settings: Settings, outdir: str, run: str, mode: Mode, reviewer: str | None,
                 state: State | None, shared: dict | None = None, pool: bool = True) -> None:
    if pool:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    _worker["settings"] = settings
    _worker["engine"] = Engine(settings) if mode is not Mode.APPLY else None
    audit = AuditLog(outdir, settings.include_values, reviewer) if mode is not Mode.PLAN else None
    if audit is not None:
        audit.run = run
    _worker["audit"] = audit
    _worker["commit"] = state.record if state is not None else None
    _worker["shared"] = shared or {}  # per group member: adjust(plan, document) or, at apply, a plan folder
    _worker["ranges"] = work_dir(outdir) / split.RANGES_DIR  # page ranges of long documents


def _analyse(item: Item, index: int, first: int, last: int, timeout: int) -> str | None:
    """Pages [first, last) of a long document (woo_anon.split): the file holding their
    analysis, or None when the range failed (the document is then run whole)."""
    try:
        with runner.library_messages() as messages, runner.time_limit(timeout, item):
            analysis = split.analyse_range(_worker["engine"], render(item), first, last,
                                           _worker["settings"].ocr)
        return split.save(replace(analysis, messages=tuple(messages)), _worker["ranges"])
    except Exception:
        return None


def _process(item: Item, outdir: str, mode: Mode, force: bool, timeout: int,
             plan_dir: str | None, known_names: tuple[str, ...] = (),
             ranges: tuple[str, ...] | None = None) -> DocumentResult:
    engine, share = _worker["engine"], _worker.get("shared", {}).get(item.name)
    analysis = None
    if ranges:  # a long document whose page ranges the workers read (woo_anon.split)
        try:
            analysis = split.load(ranges)
        except Exception:  # a range file lost: read the document here after all
            split.discard(ranges)
    if share is not None:
        from woo_anon.dedupe.flow import SharedEngine

        plan_dir, engine = (share, engine) if mode is Mode.APPLY else (plan_dir, SharedEngine(engine, share))
    return runner.process(item, mode, outdir, engine=engine, audit=_worker["audit"],
                          force=force, plan_dir=plan_dir, known_names=known_names,
                          settings=_worker["settings"], timeout=timeout,
                          commit=_worker["commit"], analysis=analysis)


def _first_pass(settings: Settings, mode: Mode, plan_dir) -> Callable:
    """How the duplicates' first pass plans a group member: the engine's automatic plan, or
    at apply the officer's reviewed plan."""
    if mode is Mode.APPLY:
        return lambda item: runner.load_reviewed_plan(render(item), item.name, plan_dir)
    engines: list[Engine] = []  # built on the first group member only

    def plan_of(item: Item):
        from woo_anon.dedupe.flow import analyse_member  # its analyzer spans are reused later

        engines[:] = engines or [Engine(settings)]
        return analyse_member(engines[0], render(item), item.name)
    return plan_of


def _names_of(item: Item) -> list[str]:
    """First pass of --propagate-batch: the person names one document reveals."""
    try:
        _, plan = _worker["engine"].plan(render(item), item.name)
    except Exception:  # a bad document is reported by the second pass
        return []
    return [r.text for r in plan.to_apply() if r.entity == "PERSON" and r.text]


def _batch_names(per_document) -> tuple[str, ...]:
    return tuple(sorted({name for names in per_document for name in names}))


def _propagates(settings: Settings, mode: Mode) -> bool:
    return settings.propagate_batch and mode is not Mode.APPLY


def _run(todo: list[Item], task: tuple, init: tuple, jobs: int,
         cluster: str | None = None) -> Iterable[DocumentResult]:
    if not todo:
        return
    if cluster:
        from woo_anon import cluster as dask_cluster  # Dask is imported only when asked for

        yield from dask_cluster.run_items(cluster, todo, task, init, jobs)
        return
    outdir, mode, force, timeout, plan_dir = task
    settings, run = init[0], init[2]
    clean = [i for i in todo if not i.problem]
    if jobs <= 1:
        _init_worker(*init, pool=False)
        known = _batch_names(map(_names_of, clean)) if _propagates(settings, mode) else ()
        for item in todo:
            yield _process(item, *task, known)
        return
    pool = WatchdogPool(jobs, _init_worker, init, timeout)
    try:
        known = ()
        if _propagates(settings, mode):
            known = _batch_names(names or [] for _, names in pool.run(_names_of, [(i,) for i in clean]))
        splitter = split.Splitter(_analyse, _process, jobs, (timeout,))
        sizes = _sizes(todo, splitter, mode, init[6])
        for job, result in splitter.schedule(pool, todo, lambda item, files: (
                item, *task, known, *((files,) if files else ())), sizes):
            yield result if result is not None else _hung(settings, outdir, run, mode, job[0], timeout)
    except BaseException:  # Ctrl-C: stop the workers now; each finishes a write it has begun
        pool.stop()
        raise
    finally:
        pool.close()
        shutil.rmtree(work_dir(outdir) / split.RANGES_DIR, ignore_errors=True)


def _sizes(todo: list[Item], splitter: split.Splitter, mode: Mode,
           shared: dict | None) -> dict[str, int]:
    """Page counts of the PDFs that may be split (not at apply, not a duplicate-group member:
    those plans come from elsewhere)."""
    if mode is Mode.APPLY:
        return {}
    return {item.name: split.page_count(item.source) for item in todo
            if splitter.wants_split(item, split.SPLIT_PAGES) and item.name not in (shared or {})}


def _hung(settings: Settings, outdir: str, run: str, mode: Mode, item: Item,
          timeout: int) -> DocumentResult:
    """A worker that hung in native code or died: report the document, keep the batch going."""
    audit = None
    if mode is not Mode.PLAN:
        audit = AuditLog(outdir, settings.include_values)
        audit.run = run
    return runner.failed(audit, item, DocumentTimeoutError(
        f"{item.source}: processing hung or crashed and was stopped (limit {timeout} s)"))


def zip_outputs(sources: Sources, outdir: str | Path, extras: Iterable[Path] = (),
                manifest: Path | None = None) -> list[Path]:
    """For each zip input, write OUTDIR/<name>.zip: its redacted documents at their paths in the
    export, the export's manifest where it was, and `extras` (inventarislijst, audit) at the
    top. Only publishable files: nothing from the work folder but the manifest."""
    import zipfile

    from woo_anon.fsutil import atomic_path

    written = []
    for archive, folder_name in sources.zips:
        folder = Path(outdir) / folder_name
        target = Path(outdir) / f"{folder_name}.zip"
        with atomic_path(target) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
                if path.is_file() and not path.name.startswith("."):
                    zf.write(path, path.relative_to(folder).as_posix())
            unpacked = work_dir(outdir) / UNPACK_DIR / folder_name
            if manifest is not None and manifest.resolve().is_relative_to(unpacked.resolve()):
                zf.write(manifest, manifest.resolve().relative_to(unpacked.resolve()).as_posix())
            for extra in extras:
                if Path(extra).is_file():
                    zf.write(extra, Path(extra).name)
        written.append(target)
    return written
