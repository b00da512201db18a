"""Where a planning run executes: in a process of its own, so that the API keeps answering
(the run does not hold the server's interpreter) and a crashing run cannot take the server
down."""

from __future__ import annotations

import contextlib
import subprocess
import sys

import sqlalchemy as sa

from promiseplan.store.lock import RunInProgress

BUSY = 3
"""Exit code of ``promiseplan db run`` when another run holds the lock."""


def run_in_process(
    engine: sa.Engine, now: str | None = None, horizon_days: int | None = None
) -> None:
    """Run ``promiseplan db run`` on ``engine``'s database and wait for it."""
    command = [
        sys.executable,
        "-m",
        "promiseplan.cli",
        "db",
        "run",
        "--database",
        engine.url.render_as_string(hide_password=False),
    ]
    if now is not None:
        command += ["--now", now]
    if horizon_days is not None:
        command += ["--horizon-days", str(horizon_days)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode == BUSY:
        raise RunInProgress("another planning run is in progress")
    if done.returncode != 0:
        raise RuntimeError(
            f"the planning run failed ({done.returncode}): {done.stderr.strip()[-2000:]}"
        )


def run_unless_busy(
    engine: sa.Engine, now: str | None = None, horizon_days: int | None = None
) -> None:
    """A run started on demand: when one is under way already, nothing (the cadence brings the
    next)."""
    with contextlib.suppress(RunInProgress):
        run_in_process(engine, now, horizon_days)
