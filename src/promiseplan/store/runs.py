"""Runs and their outputs. A run's outputs are stored in one transaction with its record: a run
that fails or is killed leaves the previous runs as they were."""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Any

import polars as pl
import sqlalchemy as sa

from promiseplan.engine.plan import Plan
from promiseplan.model.settings import Settings
from promiseplan.store.bulk import bulk_insert
from promiseplan.store.frames import rows_frame
from promiseplan.store.notifications import write_notifications
from promiseplan.store.tables import OUTPUT, RUNS


def start_run(engine: sa.Engine, settings: Settings, started_at: datetime) -> int:
    """Record a run as running (committed at once, so a run that is killed shows up); earlier
    runs still marked running were interrupted: they are marked failed."""
    with engine.begin() as connection:
        connection.execute(
            RUNS.update()
            .where(RUNS.c.status == "running")
            .values(status="failed", error="interrupted: the process stopped during the run")
        )
        return int(
            connection.execute(
                RUNS.insert().returning(RUNS.c.id),
                {
                    "status": "running",
                    "started_at": started_at,
                    "now": settings.now,
                    "horizon_days": settings.horizon_days,
                },
            ).scalar_one()
        )


def record_run(engine: sa.Engine, run_id: int, plan: Plan, finished_at: datetime) -> None:
    """Store every output of the run and mark it succeeded, in one transaction."""
    with engine.begin() as connection:
        for name, frame in plan.tables.items():
            rows = frame.with_row_index("seq").with_columns(
                pl.col("seq").cast(pl.Int64), pl.lit(run_id).alias("run_id")
            )
            bulk_insert(connection, OUTPUT[name], rows)
        previous = last_run(connection, before=run_id)
        write_notifications(connection, run_id, previous, plan.tables, finished_at)
        connection.execute(
            RUNS.update()
            .where(RUNS.c.id == run_id)
            .values(
                status="succeeded",
                finished_at=finished_at,
                kpis=json.dumps(plan.kpis, sort_keys=True),
            )
        )


class ProgressRecorder:
    """Writes a run's progress (lines planned of all) to its record, at most every
    ``interval`` seconds, so that the API can show it while the run goes on."""

    def __init__(self, engine: sa.Engine, run_id: int, interval: float = 0.5) -> None:
        self.engine, self.run_id, self.interval = engine, run_id, interval
        self.last = -interval

    def __call__(self, done: int, total: int) -> None:
        moment = time.monotonic()
        if moment - self.last < self.interval and done < total:
            return
        self.last = moment
        with self.engine.begin() as connection:
            connection.execute(
                RUNS.update()
                .where(RUNS.c.id == self.run_id)
                .values(progress_done=done, progress_total=total)
            )


def record_failed_run(engine: sa.Engine, run_id: int, error: str) -> None:
    with engine.begin() as connection:
        connection.execute(
            RUNS.update()
            .where(RUNS.c.id == run_id)
            .values(status="failed", finished_at=datetime.now(), error=error)
        )


def list_runs(engine: sa.Engine) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        rows = connection.execute(sa.select(RUNS).order_by(RUNS.c.id)).mappings().all()
    return [dict(r) for r in rows]


def run_outputs(engine: sa.Engine, run_id: int) -> dict[str, pl.DataFrame]:
    """The output tables of one run, as the files show them."""
    out = {}
    with engine.connect() as connection:
        for name, table in OUTPUT.items():
            frame = rows_frame(
                connection, table, table.c.run_id == run_id, first=(None, [table.c.seq])
            )
            if frame.height or name != "promise_changes":
                out[name] = frame
    return out


def last_run(connection: sa.Connection, before: int | None = None) -> int | None:
    """The newest succeeded run (older than run ``before``, when given)."""
    query = sa.select(sa.func.max(RUNS.c.id)).where(RUNS.c.status == "succeeded")
    if before is not None:
        query = query.where(RUNS.c.id < before)
    newest: int | None = connection.execute(query).scalar()
    return newest


def last_promises(engine: sa.Engine) -> pl.DataFrame | None:
    """The promises of the newest succeeded run (its confirmations that are not unconfirmed),
    in the form of ``promises.csv``; None before the first run."""
    confirmations = OUTPUT["confirmations"]
    with engine.connect() as connection:
        last = last_run(connection)
        if last is None:
            return None
        rows = connection.execute(
            sa.select(
                confirmations.c.order,
                confirmations.c.line,
                confirmations.c.quantity,
                confirmations.c.promised_date,
            )
            .where(confirmations.c.run_id == last, confirmations.c.status != "unconfirmed")
            .order_by(confirmations.c.seq)
        ).all()
    return pl.DataFrame(
        [tuple(r) for r in rows],
        schema={
            "order": pl.String(),
            "line": pl.String(),
            "quantity": pl.Int64(),
            "promised_date": pl.Date(),
        },
        orient="row",
    )
