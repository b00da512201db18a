"""The online promiser of a running service: the stored orders re-planned in the background
after each new run, so that questions ("what could this order get now?") are answered against
the decisions of the last run on the current master data."""

from __future__ import annotations

import logging
import threading

import sqlalchemy as sa

from promiseplan.online import Promiser
from promiseplan.pipeline import resolve_settings, with_last_promises
from promiseplan.service.clock import Clock, minute
from promiseplan.store import load_snapshot
from promiseplan.store.order_views import last_run
from promiseplan.store.runs import last_promises
from promiseplan.store.tables import OUTPUT

log = logging.getLogger("promiseplan.promiser")


class LivePromiser:
    def __init__(self, engine: sa.Engine, clock: Clock) -> None:
        self.engine, self.clock = engine, clock
        self._ready: Promiser | None = None
        self._built_for: int | None = None
        self._building = False
        self._lock = threading.Lock()

    def current(self, wait: bool = False) -> Promiser | None:
        """The promiser of the newest run; a new one is built in the background when a newer
        run exists (``wait`` builds it in this thread: small data, tests)."""
        with self.engine.connect() as connection:
            newest = last_run(connection)
        with self._lock:
            start = newest is not None and newest != self._built_for and not self._building
            if start:
                self._building = True
        if start:
            if wait:
                self._build(newest)
            else:
                threading.Thread(target=self._build, args=(newest,), daemon=True).start()
        return self._ready

    def _build(self, run_id: int | None) -> None:
        try:
            dataset = with_last_promises(load_snapshot(self.engine), last_promises(self.engine))
            planned = _orders_of_run(self.engine, run_id)
            tables = dict(dataset.tables)
            tables["orders"] = tables["orders"].filter(tables["orders"]["order"].is_in(planned))
            tables["order_lines"] = tables["order_lines"].filter(
                tables["order_lines"]["order"].is_in(planned)
            )
            dataset = type(dataset)(tables, dataset.settings, dataset.has_promises)
            promiser = Promiser(dataset, resolve_settings(dataset, minute(self.clock())))
            with self._lock:
                self._ready, self._built_for = promiser, run_id
        except Exception:
            log.exception("building the online promiser failed")
        finally:
            with self._lock:
                self._building = False


def _orders_of_run(engine: sa.Engine, run_id: int | None) -> list[str]:
    table = OUTPUT["orders"]
    with engine.connect() as connection:
        return list(
            connection.execute(sa.select(table.c.order).where(table.c.run_id == run_id)).scalars()
        )
