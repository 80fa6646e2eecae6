"""Worker processes with a watchdog.

The in-worker alarm stops a slow document at Python level. A document that hangs inside
native code (a MuPDF loop) never returns to Python; the watchdog then kills that worker after
the time limit plus a grace period, reports the document, and starts a fresh worker, so one
bad file never stalls the batch.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import queue
import time
from collections import deque
from typing import Callable, Iterator

GRACE = 15.0  # seconds after the worker's own alarm before it is killed
START_UP = 120.0  # extra allowance for loading the model in a new worker
STOP_GRACE = 10.0  # after Ctrl-C: time for workers to finish a write they have begun


def _loop(index: int, initializer: Callable, init_args: tuple, tasks, results) -> None:
    initializer(*init_args)
    results.put((index, "ready", None))
    while True:
        item = tasks.get()
        if item is None:
            return
        token, func, args = item
        results.put((index, token, func(*args)))


class _Worker:
    def __init__(self, ctx, index: int, initializer: Callable, init_args: tuple, results) -> None:
        self.tasks = ctx.Queue()
        self.process = ctx.Process(target=_loop, daemon=True,
                                   args=(index, initializer, init_args, self.tasks, results))
        self.process.start()
        self.job: tuple | None = None
        self.func: Callable | None = None
        self.token = -1
        self.deadline = 0.0
        self.limit = 0.0
        self.ready = False

    def give(self, token: int, func: Callable, job: tuple, limit: float) -> None:
        self.job, self.func, self.token, self.limit = job, func, token, limit
        self.deadline = time.monotonic() + limit + (0.0 if self.ready else START_UP)
        self.tasks.put((token, func, job))

    def mark_ready(self) -> None:
        self.ready = True
        if self.job is not None:  # the clock for its first document starts now
            self.deadline = time.monotonic() + self.limit

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)


class WatchdogPool:
    """A fixed number of worker processes, each set up once by `initializer(*init_args)`.
    `run(func, jobs)` calls `func(*job)` in the workers and yields (job, result), or (job, None)
    for a job whose worker hung past the limit or died. `submit` + `results` do the same for
    tasks of several kinds, more of them submitted while results come in (the page ranges of a
    long document, then its finishing task: woo_anon.split). Functions and jobs must be
    picklable (module-level functions, plain data)."""

    def __init__(self, jobs: int, initializer: Callable, init_args: tuple, limit: float) -> None:
        self.ctx = mp.get_context("fork")
        self.initializer, self.init_args = initializer, init_args
        self.limit = limit + GRACE
        self.results_queue = self.ctx.Queue()
        self.pending: deque[tuple[Callable, tuple]] = deque()
        self.workers = [self._start(i) for i in range(jobs)]
        self.tokens = itertools.count()

    def _start(self, index: int) -> _Worker:
        return _Worker(self.ctx, index, self.initializer, self.init_args, self.results_queue)

    def run(self, func: Callable, jobs: list[tuple]) -> Iterator[tuple[tuple, object]]:
        """`func(*job)` for every job; yields (job, result) as they finish."""
        for job in jobs:
            self.submit(func, job)
        for _, job, result in self.results():
            yield job, result

    def submit(self, func: Callable, job: tuple, first: bool = False) -> None:
        """Queue `func(*job)`; `first`: before everything already waiting."""
        (self.pending.appendleft if first else self.pending.append)((func, job))

    def cancel(self, drop: Callable[[Callable, tuple], bool]) -> None:
        """Remove the waiting tasks for which `drop(func, job)` is true."""
        self.pending = deque(task for task in self.pending if not drop(*task))

    def results(self) -> Iterator[tuple[Callable, tuple, object]]:
        """Run the queued tasks (more may be submitted while this runs); yields (func, job,
        result), result None for a task whose worker hung past the limit or died."""
        while self.pending or any(w.job is not None for w in self.workers):
            for worker in self.workers:
                if worker.job is None and self.pending:
                    func, job = self.pending.popleft()
                    worker.give(next(self.tokens), func, job, self.limit)
            try:
                index, token, result = self.results_queue.get(timeout=0.2)
            except queue.Empty:
                pass
            else:
                worker = self.workers[index]
                if token == "ready":
                    worker.mark_ready()
                elif token == worker.token and worker.job is not None:
                    func, job, worker.job = worker.func, worker.job, None
                    yield func, job, result
            yield from self._reap()

    def _reap(self) -> Iterator[tuple[Callable, tuple, None]]:
        now = time.monotonic()
        for i, worker in enumerate(self.workers):
            if worker.job is not None and (now > worker.deadline or not worker.process.is_alive()):
                func, job = worker.func, worker.job
                worker.stop()
                self.workers[i] = self._start(i)
                yield func, job, None

    def stop(self) -> None:
        """Ask every worker to stop (SIGTERM: a worker finishing a write holds it until the
        write is recorded), give them a moment, then kill what is left."""
        for worker in self.workers:
            if worker.process.is_alive():
                worker.process.terminate()
        self.pending.clear()
        deadline = time.monotonic() + STOP_GRACE
        for worker in self.workers:
            worker.process.join(timeout=max(0.0, deadline - time.monotonic()))
            worker.job = None

    def close(self) -> None:
        for worker in self.workers:
            if worker.process.is_alive() and worker.job is None:
                worker.tasks.put(None)
        for worker in self.workers:
            worker.process.join(timeout=5)
            worker.stop()
