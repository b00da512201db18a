"""The planner loop: a planning run every so often (two hours by default), then the
notifications of that run delivered."""

from __future__ import annotations

import logging
import re
import threading
from datetime import datetime, timedelta

import sqlalchemy as sa

from promiseplan.service.clock import Clock, minute, system_clock
from promiseplan.service.executor import run_in_process
from promiseplan.service.notify import Notifier, deliver
from promiseplan.store import RunInProgress

log = logging.getLogger("promiseplan.cadence")


def parse_every(text: str) -> timedelta:
    """``2h``, ``30m``, ``90s`` or combinations such as ``1h30m``."""
    parts = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", text.strip())
    if not parts or not any(parts.groups()):
        raise ValueError(f"'{text}' is not a duration such as 2h, 30m or 1h30m")
    hours, minutes, seconds = (int(p or 0) for p in parts.groups())
    every = timedelta(hours=hours, minutes=minutes, seconds=seconds)
    if every <= timedelta(0):
        raise ValueError("the cadence must be longer than zero")
    return every


class Cadence:
    def __init__(
        self,
        engine: sa.Engine,
        every: timedelta,
        notifier: Notifier,
        clock: Clock = system_clock,
    ) -> None:
        self.engine = engine
        self.every = every
        self.notifier = notifier
        self.clock = clock
        self.next_run: datetime | None = None
        """When the loop plans next (by ``clock``)."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="planner", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=60)

    def tick(self) -> None:
        try:
            run_in_process(self.engine, minute(self.clock()))
            log.info("planning run done")
        except RunInProgress:
            log.info("a run is under way elsewhere; skipped")
        except Exception:
            log.exception("the planning run failed")
        try:
            deliver(self.engine, self.notifier)
        except Exception:
            log.exception("delivering notifications failed")

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.tick()
            self.next_run = self.clock() + self.every
            self._stop.wait(self.every.total_seconds())
