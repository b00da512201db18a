"""Planning runs: start one now, list them, read one with its KPIs and outputs."""

from __future__ import annotations

import json
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, BackgroundTasks, HTTPException, Query, Request
from fastapi import Path as PathParam

from promiseplan.api.deps import Engine, Planner, answers, invalid
from promiseplan.model.settings import parse_now
from promiseplan.service.clock import minute
from promiseplan.service.executor import run_unless_busy
from promiseplan.store import list_runs
from promiseplan.store.frames import page
from promiseplan.store.tables import OUTPUT, RUNS

RunId = Annotated[int, PathParam(ge=1, le=2_147_483_647)]

router = APIRouter(
    prefix="/runs",
    tags=["runs"],
    responses=answers("No such run or output"),
)


@router.post("", status_code=202)
def start(
    request: Request,
    database: Engine,
    _: Planner,
    tasks: BackgroundTasks,
    now: Annotated[str | None, Query(description="YYYY-MM-DDTHH:MM; default the clock")] = None,
    horizon_days: Annotated[int | None, Query(ge=0, le=3660)] = None,
) -> dict[str, str]:
    if now is not None:
        try:
            parse_now(now)
        except ValueError as error:
            raise invalid("query", "now", message=str(error)) from error
    tasks.add_task(
        run_unless_busy, database, now or minute(request.app.state.clock()), horizon_days
    )
    return {"status": "started"}


def _run_view(run: dict[str, Any]) -> dict[str, Any]:
    view = {k: v for k, v in run.items() if not k.startswith("progress_")}
    view["kpis"] = json.loads(run["kpis"]) if run["kpis"] else None
    view["progress"] = _progress(run)
    return view


def _progress(run: dict[str, Any]) -> dict[str, Any]:
    done, total = run["progress_done"], run["progress_total"]
    share = None if not total else round(100 * (done or 0) / total, 1)
    if run["status"] == "succeeded":
        share = 100.0
    return {"orders_planned": done, "orders": total, "percent": share}


@router.get("")
def index(database: Engine, _: Planner) -> list[dict[str, Any]]:
    return [_run_view(r) for r in list_runs(database)]


@router.get("/{run_id}")
def read(run_id: RunId, database: Engine, _: Planner) -> dict[str, Any]:
    with database.connect() as connection:
        row = connection.execute(sa.select(RUNS).where(RUNS.c.id == run_id)).mappings().first()
    if row is None:
        raise HTTPException(404, detail="no such run")
    return _run_view(dict(row))


@router.get("/{run_id}/progress")
def progress(run_id: RunId, database: Engine, _: Planner) -> dict[str, Any]:
    """How far a run is: orders planned of all, and its status (poll while it is running)."""
    run = read(run_id, database, _)
    return {"run": run_id, "status": run["status"], **run["progress"]}


@router.get("/{run_id}/{table}")
def output(
    run_id: RunId,
    table: str,
    database: Engine,
    _: Planner,
    limit: Annotated[int, Query(ge=1, le=10000)] = 1000,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> dict[str, Any]:
    """One output table of a run: confirmations, orders, procurement_plan, production_plan,
    distribution_plan or promise_changes."""
    if table not in OUTPUT:
        raise HTTPException(404, detail=f"no output '{table}'; one of {', '.join(OUTPUT)}")
    sql = OUTPUT[table]
    with database.connect() as connection:
        total, rows = page(
            connection, sql, sql.c.run_id == run_id, order=sql.c.seq, limit=limit, offset=offset
        )
    return {"total": total, "limit": limit, "offset": offset, "rows": rows}
