"""The online promiser of a running service. After each new run, a process of its own
re-plans the orders of that run on the current master data and then answers questions ("what
could this order get now?") over a pipe; the server keeps answering with the previous one
until the new one is ready, and never shares its interpreter with the re-planning."""

from __future__ import annotations

import logging
import multiprocessing
import threading
from multiprocessing.connection import Connection
from typing import Any

import sqlalchemy as sa

from promiseplan.online import Answer, Promiser, Request
from promiseplan.service.clock import Clock, minute
from promiseplan.store.runs import last_run

log = logging.getLogger("promiseplan.promiser")


def _build(url: str, run_id: int, now: str) -> Promiser:
    from promiseplan.dataset.load import Dataset
    from promiseplan.pipeline import fewer_collections, resolve_settings, with_last_promises
    from promiseplan.store import load_snapshot, open_database
    from promiseplan.store.runs import last_promises
    from promiseplan.store.tables import OUTPUT

    engine = open_database(url)
    dataset = with_last_promises(load_snapshot(engine), last_promises(engine))
    decided = OUTPUT["orders"]
    with engine.connect() as connection:
        planned = list(
            connection.execute(
                sa.select(decided.c.order).where(decided.c.run_id == run_id)
            ).scalars()
        )
    tables = dict(dataset.tables)
    tables["orders"] = tables["orders"].filter(tables["orders"]["order"].is_in(planned))
    lines = tables["order_lines"]
    tables["order_lines"] = lines.filter(lines["order"].is_in(planned))
    dataset = Dataset(tables, dataset.settings, dataset.has_promises)
    engine.dispose()
    with fewer_collections():
        return Promiser(dataset, resolve_settings(dataset, now))


def _serve(pipe: Connection, url: str, run_id: int, now: str) -> None:
    """The worker: build, say ready, then answer until the pipe closes."""
    try:
        promiser = _build(url, run_id, now)
    except Exception as error:  # reported to the server, which keeps the previous worker
        pipe.send(("failed", f"{type(error).__name__}: {error}"))
        return
    pipe.send(("ready", None))
    while True:
        try:
            request, created_at = pipe.recv()
        except EOFError:
            return
        try:
            pipe.send(("answer", promiser.promise(request, created_at)))
        except ValueError as error:
            pipe.send(("refused", str(error)))


class PromiserGone(RuntimeError):
    pass


class Worker:
    def __init__(self, url: str, run_id: int, now: str) -> None:
        self.run_id = run_id
        context = multiprocessing.get_context("spawn")
        self.pipe, child = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(child, url, run_id, now), daemon=True, name="promiser"
        )
        self.process.start()
        child.close()
        self.lock = threading.Lock()
        self.state = "building"

    def poll(self, timeout: float = 0.0) -> str:
        """building, ready or failed."""
        with self.lock:
            if self.state == "building" and self.pipe.poll(timeout):
                kind, detail = self.pipe.recv()
                self.state = "ready" if kind == "ready" else "failed"
                if detail:
                    log.error("the online promiser of run %s failed: %s", self.run_id, detail)
        return self.state

    def promise(self, request: Request, created_at: Any = None) -> Answer:
        """Raises ValueError for a request the rules refuse, PromiserGone when the worker
        stopped."""
        try:
            with self.lock:
                self.pipe.send((request, created_at))
                kind, detail = self.pipe.recv()
        except (EOFError, OSError) as error:
            self.state = "failed"
            raise PromiserGone(f"the online promiser of run {self.run_id} stopped") from error
        if kind == "refused":
            raise ValueError(detail)
        answer: Answer = detail
        return answer

    def stop(self) -> None:
        with self.lock:
            self.pipe.close()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()


class LivePromiser:
    def __init__(self, engine: sa.Engine, clock: Clock) -> None:
        self.engine, self.clock = engine, clock
        self._ready: Worker | None = None
        self._next: Worker | None = None
        self._failed: int | None = None
        self._lock = threading.Lock()

    def current(self, wait: float = 0.0) -> Worker | None:
        """The worker of the newest run that is ready (``wait``: seconds to give a new one to
        get ready before answering with the previous one); None before the first is ready."""
        with self.engine.connect() as connection:
            newest = last_run(connection)
        with self._lock:
            known: set[int | None] = {w.run_id for w in (self._ready, self._next) if w}
            known.add(self._failed)  # a failed build is not retried for the same run
            if newest is not None and newest not in known:
                if self._next is not None:
                    self._next.stop()
                url = self.engine.url.render_as_string(hide_password=False)
                self._next = Worker(url, newest, minute(self.clock()))
            upcoming = self._next
        if upcoming is not None:
            state = upcoming.poll(wait)
            with self._lock:
                if state != "building" and self._next is upcoming:
                    self._next = None
                    if state == "ready":
                        old, self._ready = self._ready, upcoming
                        if old is not None:
                            old.stop()
                    else:
                        self._failed = upcoming.run_id
        return self._ready

    def stop(self) -> None:
        with self._lock:
            for worker in (self._ready, self._next):
                if worker is not None:
                    worker.stop()
            self._ready = self._next = None
