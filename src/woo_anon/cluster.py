"""Run the per-document work on a Dask cluster (optional extra `woo-anon[cluster]`).

The cluster only executes: each worker builds the engine once (a worker plugin) and runs the same
per-document function as a local worker. The client alone writes the state file, the audit and
the inventarislijst, so a run interrupted on the cluster resumes like a local one.

Documents are submitted in a bounded window (one per worker thread), so a batch of 100,000
documents never has more than a handful of futures in flight, and a document's deadline can be
counted from its submission. A document that runs past its limit (hanging in native code, where
no Python-level alarm reaches) gets its worker restarted; a document whose worker died or was
restarted is retried once, then reported as failed.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

log = logging.getLogger(__name__)

GRACE = 15.0  # seconds past the document's own limit before its worker is restarted
START_UP = 120.0  # extra allowance while a fresh worker loads the model
RETRIES = 1


@dataclass(frozen=True)
class Outcome:
    """One job's end: its result, or None with the reason it was lost."""

    job: tuple
    result: Any
    reason: str = ""  # "" | "timeout" | "worker lost"
    worker: str = ""
    seconds: float = 0.0


@dataclass
class _Flight:
    job: tuple
    future: Any
    deadline: float
    tries: int = 1


@dataclass
class WorkerStats:
    documents: int = 0
    seconds: float = 0.0
    per_worker: dict[str, list[float]] = field(default_factory=dict)

    def add(self, worker: str, seconds: float) -> None:
        entry = self.per_worker.setdefault(worker, [0, 0.0])
        entry[0] += 1
        entry[1] += seconds

    def lines(self) -> list[str]:
        """One throughput line per worker, for the end of a run."""
        return [f"{w}: {int(n)} documents, {n / s if s else 0:.2f} documents/s busy"
                for w, (n, s) in sorted(self.per_worker.items())]


PLUGIN_NAME = "woo-anon-engine"


def engine_plugin(init: Callable[[], None]):
    """A worker plugin that builds the per-process engine once when a worker starts (made here
    so that Dask is imported only when a cluster is used)."""
    from distributed import WorkerPlugin

    class EnginePlugin(WorkerPlugin):
        def setup(self, worker) -> None:
            init()

    return EnginePlugin()


def _timed(func: Callable, job: tuple) -> tuple[Any, str, float]:
    """Runs on the worker: the job's result, the worker's address, and the time it took."""
    from distributed import get_worker

    start = time.perf_counter()
    result = func(*job)
    return result, get_worker().address, time.perf_counter() - start


def connect(address: str, jobs: int = 0):
    """A Client for `tcp://host:port`, or a LocalCluster (one process per core) for `local`."""
    from woo_anon.errors import UsageError

    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise UsageError("--cluster needs Dask: pip install 'woo-anon[cluster]'") from None

    # one task per worker thread (no queue on a worker that could die with a bad document)
    dask.config.set({"distributed.scheduler.allowed-failures": RETRIES,
                     "distributed.scheduler.worker-saturation": 1.0,
                     "distributed.worker.daemon": False,
                     "distributed.logging.distributed": "error"})
    logging.getLogger("distributed").setLevel(logging.ERROR)  # its INFO lines drown ours
    if address == "local":
        workers = jobs or os.cpu_count() or 1
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, scheduler_kwargs={"dashboard": False},
                               silence_logs=logging.ERROR)
        return Client(cluster)
    try:
        return Client(address, timeout="30s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(f"--cluster {address}: no Dask scheduler reachable ({exc})") from None


def run(client, init: Callable[[], None], func: Callable, jobs: list[tuple], limit: float,
        stats: WorkerStats | None = None, grace: float = GRACE,
        start_up: float = START_UP) -> Iterator[Outcome]:
    """Run `func(*job)` for every job on the cluster; yield an Outcome per job as it ends.

    `limit` is the per-document time limit; a document is given `grace` seconds more (its own
    alarm should stop it first) and `start_up` more while the workers are new."""
    from distributed import wait

    client.register_plugin(engine_plugin(init), name=PLUGIN_NAME)
    pending = list(reversed(jobs))
    flights: dict[str, _Flight] = {}
    fresh_until = time.monotonic() + start_up
    while pending or flights:
        while pending and len(flights) < max(1, _threads(client)):
            job = pending.pop()
            future = client.submit(_timed, func, job, pure=False, retries=0)
            extra = grace + (start_up if time.monotonic() < fresh_until else 0.0)
            flights[future.key] = _Flight(job, future, time.monotonic() + limit + extra)
        try:
            done = wait([f.future for f in flights.values()], timeout=0.5,
                        return_when="FIRST_COMPLETED").done
        except TimeoutError:
            done = set()
        for future in done:
            yield _finish(flights.pop(future.key), stats)
        yield from _watch(client, flights, limit + grace + start_up)
        if not done and not flights and pending:
            time.sleep(0.1)


def _threads(client) -> int:
    return sum(client.nthreads().values())


def _finish(flight: _Flight, stats: WorkerStats | None) -> Outcome:
    try:
        result, worker, seconds = flight.future.result()
    except Exception as exc:  # KilledWorker: its worker died too often while running it
        name = type(exc).__name__
        return Outcome(flight.job, None, "worker lost" if name == "KilledWorker" else f"error: {name}")
    if stats is not None:
        stats.add(worker, seconds)
    return Outcome(flight.job, result, "", worker, seconds)


def _watch(client, flights: dict[str, _Flight], allowance: float) -> Iterator[Outcome]:
    """Restart the worker of a document past its deadline; after the retry, give it up."""
    now = time.monotonic()
    late = {key: f for key, f in flights.items() if now > f.deadline}
    if not late:
        return
    where = {key: worker for worker, keys in client.processing().items() for key in keys}
    for key, flight in late.items():
        worker = where.get(key)
        if flight.tries > RETRIES:
            flight.future.cancel()
            del flights[key]
            yield Outcome(flight.job, None, "timeout", worker or "")
        else:
            flight.tries += 1
            flight.deadline = now + allowance  # a restarted worker loads the model again
        if worker:
            try:
                client.restart_workers([worker], timeout=allowance)
            except Exception:  # the worker may already be gone; the scheduler replaces it
                pass


# --- the batch on a cluster ----------------------------------------------------------------
# Workers write a document's output into a staging folder in the run's work folder (storage the
# client can reach) and keep its audit lines; the client moves the output into OUTDIR and writes
# the audit lines and the resume state together, so OUTDIR, audit and state have one writer.

def _worker_init(init: tuple) -> None:
    """On each worker (also a restarted one): the engine, and an audit that keeps its lines."""
    from woo_anon import batch

    settings, outdir, run, mode, reviewer, _state, shared = init
    batch._init_worker(settings, outdir, run, mode, reviewer, None, shared, pool=False)
    if batch._worker["audit"] is not None:
        batch._worker["audit"].buffer = []


def _worker_process(item, outdir: str, mode, force: bool, timeout: int, plan_dir: str | None,
                    known: tuple[str, ...]) -> tuple[Any, list[str]]:
    """On a worker: one document through the runner; its result and its audit lines."""
    from woo_anon import batch

    audit = batch._worker["audit"]
    if audit is not None:
        audit.buffer = []
    result = batch._process(item, outdir, mode, force, timeout, plan_dir, known)
    return result, (list(audit.buffer) if audit is not None else [])


def _worker_names(item) -> list[str]:
    from woo_anon import batch

    return batch._names_of(item)


def run_items(address: str, todo: list, task: tuple, init: tuple, jobs: int) -> Iterator[Any]:
    """The batch's documents on the cluster at `address`; yields a DocumentResult per document
    after its output, audit lines and resume state are in place."""
    from functools import partial

    from woo_anon.runner import Mode

    outdir, mode, force, timeout, plan_dir = task
    settings, run_id, state = init[0], init[2], init[5]
    staged = Path(outdir) if mode is Mode.PLAN else _staging(outdir)
    client = connect(address, jobs)
    stats = WorkerStats()
    try:
        work = partial(_worker_init, init[:5] + (None,) + init[6:])  # resume state stays here
        known = _known_names(client, work, todo, settings, mode, timeout)
        ready, results = _precheck(todo, outdir, mode, force, settings, run_id, init[4])
        yield from results
        jobs_ = [(item, str(staged), mode, True if staged != Path(outdir) else force, timeout,
                  plan_dir, known) for item in ready]
        for outcome in run(client, work, _worker_process, jobs_, timeout, stats, GRACE, START_UP):
            yield _land(outcome, outdir, staged, mode, settings, run_id, init[4], state, timeout)
    finally:
        _close(client)
    for line in stats.lines():
        log.info("cluster worker %s", line)


def _staging(outdir: str) -> Path:
    from woo_anon.fsutil import STAGING, work_dir

    folder = work_dir(outdir) / STAGING
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _known_names(client, init, todo, settings, mode, timeout) -> tuple[str, ...]:
    from woo_anon.runner import Mode

    if not settings.propagate_batch or mode is Mode.APPLY:
        return ()
    clean = [(item,) for item in todo if not item.problem]
    names = {n for o in run(client, init, _worker_names, clean, timeout) for n in (o.result or ())}
    return tuple(sorted(names))


def _precheck(todo, outdir, mode, force, settings, run_id, reviewer):
    """Outputs that exist (without --force) fail here, as in a local run: workers write into the
    staging folder, where they cannot see OUTDIR's files."""
    from woo_anon.errors import WooAnonError
    from woo_anon.runner import Mode, check_target, failed, output_path

    ready, results = [], []
    for item in todo:
        try:
            if mode is not Mode.PLAN and not item.problem:
                check_target(output_path(outdir, item.name), force)
            ready.append(item)
        except WooAnonError as exc:
            results.append(failed(_audit(outdir, settings, run_id, reviewer, mode), item, exc))
    return ready, results


def _audit(outdir, settings, run_id, reviewer, mode):
    from woo_anon.audit import AuditLog
    from woo_anon.runner import Mode

    if mode is Mode.PLAN:
        return None
    audit = AuditLog(outdir, settings.include_values, reviewer)
    audit.run = run_id
    return audit


def _land(outcome: Outcome, outdir, staged: Path, mode, settings, run_id, reviewer, state,
          timeout):
    """On the client: move a staged output into OUTDIR and record it (audit, state) in one go."""
    from dataclasses import replace

    from woo_anon.errors import DocumentTimeoutError
    from woo_anon.runner import Mode, failed, output_path, uninterrupted

    audit = _audit(outdir, settings, run_id, reviewer, mode)
    item = outcome.job[0]
    if outcome.result is None:
        why = "took longer than the time limit" if outcome.reason == "timeout" else \
            f"was lost ({outcome.reason}: its worker died twice)"
        return failed(audit, item, DocumentTimeoutError(
            f"{item.source}: processing on the cluster {why} (limit {timeout} s)"))
    result, lines = outcome.result
    with uninterrupted():
        if mode is not Mode.PLAN and result.output and staged != Path(outdir) \
                and result.status == "verified":
            final = output_path(outdir, item.name)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(result.output, final)
            for suffix in (".txt", ".text.json"):  # --text renditions travel with their PDF
                if Path(result.output + suffix).is_file():
                    os.replace(result.output + suffix, str(final) + suffix)
            result = replace(result, output=str(final))
        if audit is not None:
            audit.append_lines(lines)
        if state is not None and mode is Mode.REDACT and result.status == "verified":
            state.record(result)
    return result


def _close(client) -> None:
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()
