"""The service's clock: the machine's, or one that starts at a given moment and runs on in
real time (``serve --now``: demonstrations and tests on data of a fixed date)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now()


def clock_from(start: datetime) -> Clock:
    began = time.monotonic()

    def now() -> datetime:
        return start + timedelta(seconds=time.monotonic() - began)

    return now


def minute(moment: datetime) -> str:
    """``YYYY-MM-DDTHH:MM``, as runs take their ``now``."""
    return moment.strftime("%Y-%m-%dT%H:%M")
