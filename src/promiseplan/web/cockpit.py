"""The planner's cockpit: runs with KPIs and trends, orders with reasons and history, the
plans with Excel export, charts, "run now" with live progress, and dataset upload."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from typing import Annotated, Any

import polars as pl
import sqlalchemy as sa
from fastapi import APIRouter, BackgroundTasks, Depends, File, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from promiseplan.dataset.issues import DatasetError
from promiseplan.service.clock import minute
from promiseplan.service.executor import run_unless_busy
from promiseplan.store import list_runs
from promiseplan.store.datasets import import_upload
from promiseplan.store.frames import page as page_of
from promiseplan.store.frames import row_counts, rows_frame, visible_columns
from promiseplan.store.intake import find_order
from promiseplan.store.keys import Principal, principal_for
from promiseplan.store.order_views import SORTS, OrderFilter, Sort, order_table
from promiseplan.store.runs import last_run
from promiseplan.store.tables import INPUT, OUTPUT, RUNS
from promiseplan.web import charts
from promiseplan.web.projection import project
from promiseplan.web.templating import templates

COOKIE = "pp_key"
PLANS = ("confirmations", "procurement_plan", "production_plan", "distribution_plan")
PAGE = 50


def planner(request: Request) -> Principal:
    key = request.cookies.get(COOKIE)
    found = None if not key else principal_for(request.app.state.engine, key)
    if found is None or found.role not in ("planner", "admin"):
        raise HTTPException(303, headers={"Location": "/cockpit/login"})
    return found


router = APIRouter(prefix="/cockpit", include_in_schema=False)
Planner = Annotated[Principal, Depends(planner)]


def _page(request: Request, template: str, active: str, **context: Any) -> Response:
    return templates.TemplateResponse(request, template, {"active": active, **context})


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, error: str | None = None) -> Response:
    return _page(request, "cockpit/login.html", "", error=error)


@router.post("/login")
def login(request: Request, key: Annotated[str, Form()]) -> Response:
    found = principal_for(request.app.state.engine, key.strip())
    if found is None or found.role not in ("planner", "admin"):
        return RedirectResponse("/cockpit/login?error=Not+a+planner+key", status_code=303)
    response = RedirectResponse("/cockpit", status_code=303)
    response.set_cookie(COOKIE, key.strip(), httponly=True, samesite="strict")
    return response


@router.post("/logout")
def logout() -> Response:
    response = RedirectResponse("/cockpit/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


def _runs(engine: sa.Engine) -> list[dict[str, Any]]:
    runs = list_runs(engine)
    for run in runs:
        run["kpis"] = json.loads(run["kpis"]) if run["kpis"] else None
    return runs


@router.get("", response_class=HTMLResponse)
def home(request: Request, _: Planner) -> Response:
    runs = _runs(request.app.state.engine)
    latest = next((r for r in reversed(runs) if r["kpis"]), None)
    running = next((r for r in runs if r["status"] == "running"), None)
    return _page(
        request,
        "cockpit/runs.html",
        "runs",
        runs=list(reversed(runs))[:100],
        latest=latest,
        running=running,
        trends=charts.run_trends(runs[-60:]) if latest else "",
        spend=charts.spend_trend(runs[-60:]) if latest else "",
    )


@router.post("/run", response_class=HTMLResponse)
def run_now(request: Request, _: Planner, tasks: BackgroundTasks) -> Response:
    """Starts a run in a process of its own; answers the progress box that polls itself."""
    engine: sa.Engine = request.app.state.engine
    tasks.add_task(run_unless_busy, engine, minute(request.app.state.clock()), None)
    if not request.headers.get("HX-Request"):
        return RedirectResponse("/cockpit", status_code=303)  # the page shows the running run
    with engine.connect() as connection:
        before = connection.execute(sa.select(sa.func.max(RUNS.c.id))).scalar() or 0
    return _page(request, "cockpit/progress.html", "", run=None, after=before)


@router.get("/progress", response_class=HTMLResponse)
def progress(request: Request, _: Planner, after: int = 0) -> Response:
    """The first run after run ``after``: how far it is (polled every second while running)."""
    with request.app.state.engine.connect() as connection:
        row = (
            connection.execute(sa.select(RUNS).where(RUNS.c.id > after).order_by(RUNS.c.id))
            .mappings()
            .first()
        )
    return _page(request, "cockpit/progress.html", "", run=row, after=after)


@router.get("/orders", response_class=HTMLResponse)
def orders(
    request: Request,
    _: Planner,
    status: str = "",
    customer: str = "",
    item: str = "",
    promised_from: str = "",
    promised_to: str = "",
    sort: str = "order",
    descending: bool = False,
    page: int = 1,
) -> Response:
    try:
        where = OrderFilter(
            customer or None,
            status or None,
            item or None,
            date.fromisoformat(promised_from) if promised_from else None,
            date.fromisoformat(promised_to) if promised_to else None,
        )
    except ValueError as error:
        raise HTTPException(422, detail=str(error)) from error
    chosen: Sort = next((s for s in SORTS if s == sort), "order")
    page = max(1, page)
    total, rows = order_table(
        request.app.state.engine,
        where,
        chosen,
        descending,
        PAGE,
        (page - 1) * PAGE,
    )
    context = {
        "rows": rows,
        "total": total,
        "page": page,
        "pages": max(1, -(-total // PAGE)),
        "filters": {
            "status": status,
            "customer": customer,
            "item": item,
            "promised_from": promised_from,
            "promised_to": promised_to,
        },
        "sort": chosen,
        "descending": descending,
        "sorts": SORTS,
    }
    partial = request.headers.get("HX-Request") and request.headers.get("HX-Target") == "orders"
    name = "cockpit/orders_table.html" if partial else "cockpit/orders.html"
    return _page(request, name, "orders", **context)


@router.get("/orders/{order}", response_class=HTMLResponse)
def order_detail(request: Request, order: str, _: Planner) -> Response:
    found = find_order(request.app.state.engine, order)
    if found is None:
        raise HTTPException(404, detail="no such order")
    return _page(request, "cockpit/order.html", "orders", order=found)


def _latest(engine: sa.Engine) -> int | None:
    with engine.connect() as connection:
        return last_run(connection)


@router.get("/plans/{name}", response_class=HTMLResponse)
def plan_table(request: Request, name: str, _: Planner, page: int = 1) -> Response:
    if name not in PLANS:
        raise HTTPException(404, detail="no such plan")
    engine: sa.Engine = request.app.state.engine
    run = _latest(engine)
    table = OUTPUT[name]
    number = max(1, page)
    with engine.connect() as connection:
        total, rows = page_of(
            connection,
            table,
            table.c.run_id == run,
            order=table.c.seq,
            limit=PAGE,
            offset=(number - 1) * PAGE,
        )
    return _page(
        request,
        "cockpit/plan.html",
        name,
        name=name,
        run=run,
        columns=[c.name for c in visible_columns(table)],
        rows=rows,
        total=total,
        page=number,
        pages=max(1, -(-total // PAGE)),
    )


@router.get("/plans/{name}/export.xlsx")
def plan_export(request: Request, name: str, _: Planner) -> Response:
    if name not in PLANS:
        raise HTTPException(404, detail="no such plan")
    run = _latest(request.app.state.engine)
    if run is None:
        raise HTTPException(404, detail="no run yet")
    table = OUTPUT[name]
    with request.app.state.engine.connect() as connection:
        frame = rows_frame(connection, table, table.c.run_id == run, first=(None, [table.c.seq]))
    buffer = io.BytesIO()
    frame.write_excel(buffer, worksheet=name)
    return Response(
        buffer.getvalue(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}-run{run}.xlsx"'},
    )


@router.get("/charts", response_class=HTMLResponse)
def chart_page(
    request: Request,
    _: Planner,
    item: str = "",
    location: str = "",
    resource: str = "",
) -> Response:
    engine: sa.Engine = request.app.state.engine
    run = _latest(engine)
    context: dict[str, Any] = {"run": run, "item": item, "location": location}
    if run is None:
        return _page(request, "cockpit/charts.html", "charts", **context)
    with engine.connect() as connection:
        moment = connection.execute(
            sa.select(RUNS.c.now, RUNS.c.horizon_days).where(RUNS.c.id == run)
        ).one()
        if not item or not location:
            item, location = _busiest(connection, run)
        resources = rows_frame(connection, INPUT["resources"])
        inputs, outputs = _around(connection, run, item, location)
        names = [f"{r}@{loc}" for r, loc in resources.select("resource", "location").iter_rows()]
        resource = resource if resource in names else (names[0] if names else "")
        production = OUTPUT["production_plan"]
        gantt = rows_frame(
            connection,
            production,
            production.c.run_id == run,
            first=(300, [production.c.start_date, production.c.seq]),
        )
        load = None
        if resource:
            name, loc = resource.split("@", 1)
            load = rows_frame(
                connection,
                production,
                production.c.run_id == run,
                production.c.resource == name,
                production.c.location == loc,
            )
    first = moment.now.date()
    last = first + timedelta(days=min(moment.horizon_days, 90))
    context.update(item=item, location=location, resource=resource, resources=names)
    if item and location:
        context["inventory"] = charts.inventory(
            project(inputs, outputs, item, location, first, last), item, location
        )
    if load is not None:
        row = resources.filter(
            pl.format("{}@{}", pl.col("resource"), pl.col("location")) == resource
        ).row(0, named=True)
        context["load"] = charts.resource_load(
            load, row["hours_per_day"], row["closed_weekdays"] or 0, first, last, resource
        )
    if gantt.height:
        context["gantt"] = charts.gantt(gantt)
    return _page(request, "cockpit/charts.html", "charts", **context)


def _around(
    connection: sa.Connection, run: int, item: str, location: str
) -> tuple[dict[str, pl.DataFrame], dict[str, pl.DataFrame]]:
    """What the projection of ``item`` at ``location`` reads, and nothing more."""
    inventory, receipts, bom = INPUT["inventory"], INPUT["receipts"], INPUT["bom"]
    inputs = {
        "inventory": rows_frame(
            connection, inventory, inventory.c.item == item, inventory.c.location == location
        ),
        "receipts": rows_frame(
            connection, receipts, receipts.c.item == item, receipts.c.location == location
        ),
        "bom": rows_frame(connection, bom, bom.c.component == item, bom.c.location == location),
    }
    made = set(inputs["bom"]["item"]) | {item}
    buys, makes, moves = (
        OUTPUT["procurement_plan"],
        OUTPUT["production_plan"],
        OUTPUT["distribution_plan"],
    )
    outputs = {
        "procurement_plan": rows_frame(
            connection, buys, buys.c.run_id == run, buys.c.item == item, buys.c.location == location
        ),
        "production_plan": rows_frame(
            connection,
            makes,
            makes.c.run_id == run,
            makes.c.item.in_(made),
            makes.c.location == location,
        ),
        "distribution_plan": rows_frame(
            connection, moves, moves.c.run_id == run, moves.c.item == item
        ),
    }
    return inputs, outputs


def _busiest(connection: sa.Connection, run: int) -> tuple[str, str]:
    """The item-location with the most units delivered from it (else the first stocked)."""
    moves = OUTPUT["distribution_plan"]
    total = sa.func.sum(moves.c.quantity)
    top = connection.execute(
        sa.select(moves.c.item, moves.c.from_location)
        .where(moves.c.run_id == run)
        .group_by(moves.c.item, moves.c.from_location)
        .order_by(total.desc(), moves.c.item, moves.c.from_location)
        .limit(1)
    ).first()
    if top is None:
        inventory = INPUT["inventory"]
        top = connection.execute(
            sa.select(inventory.c.item, inventory.c.location).order_by(inventory.c.id).limit(1)
        ).first()
    return ("", "") if top is None else (str(top[0]), str(top[1]))


@router.get("/data", response_class=HTMLResponse)
def data_page(request: Request, _: Planner) -> Response:
    with request.app.state.engine.connect() as connection:
        counts = row_counts(connection, INPUT)
    return _page(request, "cockpit/data.html", "data", counts=counts, issues=None, imported=None)


@router.post("/data", response_class=HTMLResponse)
async def upload(request: Request, _: Planner, dataset: Annotated[bytes, File()]) -> Response:
    engine: sa.Engine = request.app.state.engine
    issues, imported = None, None
    try:
        imported = await run_in_threadpool(import_upload, engine, "the uploaded file", dataset)
    except DatasetError as error:
        issues = error.issues
    with engine.connect() as connection:
        counts = row_counts(connection, INPUT)
    return _page(
        request, "cockpit/data.html", "data", counts=counts, issues=issues, imported=imported
    )
