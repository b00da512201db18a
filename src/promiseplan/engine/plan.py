"""A plan: the output tables of a run, assembled from the decisions (dataset.md, "Outputs")."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import polars as pl

from promiseplan.dataset.schema import OUTPUT_TABLES, Kind, output_kind
from promiseplan.engine.orders import ScheduleLine
from promiseplan.engine.state import Production, State, Transfer
from promiseplan.model.build import line_sort_key
from promiseplan.model.problem import Order, Problem


@dataclass
class Plan:
    tables: dict[str, pl.DataFrame]
    kpis: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> pl.DataFrame:
        return self.tables[name]


_COLUMNS = {t.name: t.columns for t in OUTPUT_TABLES}


def assemble(problem: Problem, state: State, rows: list[ScheduleLine]) -> Plan:
    d = problem.date
    rows = sorted(
        rows,
        key=lambda r: (
            r.order,
            line_sort_key(r.line),
            r.status == "unconfirmed",
            r.promised or 0,
            r.ship or 0,
            r.ship_from,
            r.mode,
        ),
    )
    confirmations = _frame(
        "confirmations",
        [
            (
                r.order,
                r.line,
                r.item,
                r.quantity,
                r.status,
                _day(problem, r.promised),
                _day(problem, r.ship),
                r.ship_from or None,
                r.mode or None,
                r.reason,
            )
            for r in rows
        ],
    )
    orders = _frame("orders", order_rows(problem, problem.orders, rows))
    regions = {o.id: o.region for o in problem.orders}
    deliveries = _frame(
        "distribution_plan",
        sorted(
            (
                (
                    "delivery",
                    r.item,
                    r.ship_from,
                    regions[r.order],
                    r.mode,
                    r.quantity,
                    d(r.ship),
                    d(r.arrival),
                    r.order,
                )
                for r in rows
                if r.ship is not None and r.arrival is not None
            ),
            key=lambda t: (t[6], t[8], t[1], t[2], t[4]),
        ),
    )
    summary = Summary(
        lines={
            s: sum(1 for r in rows if r.status == s) for s in ("on_time", "late", "unconfirmed")
        },
        units_ordered=sum(r.quantity for r in rows),
        units_confirmed=sum(r.quantity for r in rows if r.status != "unconfirmed"),
        units_unconfirmed=sum(r.quantity for r in rows if r.status == "unconfirmed"),
        transit_cost=sum(r.transit_cost for r in rows),
        order_lines=sum(len(o.lines) for o in problem.orders),
    )
    changes = _frame("promise_changes", _changes(problem, rows)) if problem.has_promises else None
    return finish(
        problem, confirmations, orders, deliveries, summary, changes, plans_of(problem, state)
    )


@dataclass(frozen=True)
class Summary:
    """Figures of the schedule lines for kpis.json (summed in the confirmations' order)."""

    lines: dict[str, int]
    units_ordered: int
    units_confirmed: int
    units_unconfirmed: int
    transit_cost: float
    order_lines: int
    """Lines of the open orders (zero quantities included)."""


class Decided(Protocol):
    """What the plans are derived from: the reference engine's State, or the fast engine's
    decisions in the same shape."""

    purchases: dict[tuple[str, str, str, int], int]
    productions: list[Production]
    transfers: list[Transfer]
    hours: dict[tuple[str, str], list[float]]


@dataclass(frozen=True)
class Plans:
    """The procurement, production and transfer rows of a plan, and what kpis.json adds up
    from them."""

    procurement: pl.DataFrame
    production: pl.DataFrame
    transfers: pl.DataFrame
    transfer_cost: float
    """Summed in the order the transfers were decided."""
    hours: dict[tuple[str, str], list[float]]
    """Hours used per resource and day."""


def finish(
    problem: Problem,
    confirmations: pl.DataFrame,
    orders: pl.DataFrame,
    deliveries: pl.DataFrame,
    summary: Summary,
    changes: pl.DataFrame | None,
    plans: Plans,
) -> Plan:
    """The plan from the schedule tables and the decided purchases, productions and transfers."""
    tables = {
        "confirmations": confirmations,
        "orders": orders,
        "procurement_plan": plans.procurement,
        "production_plan": plans.production,
        "distribution_plan": pl.concat([plans.transfers, deliveries]),
    }
    if changes is not None:
        tables["promise_changes"] = changes
    return Plan(tables, _kpis(problem, plans, summary, tables))


def plans_of(problem: Problem, state: Decided) -> Plans:
    """The plans from the reference engine's State."""
    d = problem.date
    prices = {(s.id, s.item, s.location): s for sl in problem.suppliers.values() for s in sl}
    procurement = _frame(
        "procurement_plan",
        [
            (
                sup,
                item,
                loc,
                qty,
                d(o),
                d(o + prices[sup, item, loc].lead_time),
                round(qty * prices[sup, item, loc].unit_price, 6),
            )
            for (sup, item, loc, o), qty in sorted(
                state.purchases.items(), key=lambda kv: (kv[0][3], kv[0][:3])
            )
        ],
    )
    production = _frame(
        "production_plan",
        sorted(
            (p.item, p.location, p.resource, p.quantity, d(p.start), d(p.end), round(p.hours, 6))
            for p in state.productions
        ),
    )
    moves: dict[tuple[str, str, str, str, int, int], int] = defaultdict(int)
    for t in state.transfers:
        moves[t.item, t.source, t.destination, t.mode, t.ship, t.arrival] += t.quantity
    distribution: list[tuple[Any, ...]] = [
        ("transfer", item, src, dst, mode, qty, d(ship), d(arr), None)
        for (item, src, dst, mode, ship, arr), qty in sorted(
            moves.items(), key=lambda kv: (kv[0][4], kv[0])
        )
    ]
    transfer_cost = sum(
        t.quantity * lane.cost_per_unit
        for t in state.transfers
        for lane in problem.transfers_into.get(t.destination, ())
        if lane.source == t.source and lane.mode == t.mode
    )
    return Plans(
        procurement,
        production,
        _frame("distribution_plan", distribution),
        transfer_cost,
        state.hours,
    )


def _day(problem: Problem, day: int | None) -> Any:
    return None if day is None else problem.date(day)


def _frame(name: str, rows: list[tuple[Any, ...]]) -> pl.DataFrame:
    schema = _SCHEMAS[name]
    return pl.DataFrame(rows, schema=schema, orient="row")


_DTYPES = {
    Kind.INT: pl.Int64(),
    Kind.FLOAT: pl.Float64(),
    Kind.DATE: pl.Date(),
    Kind.TEXT: pl.String(),
}
_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    name: {c: _DTYPES[output_kind(c)] for c in columns} for name, columns in _COLUMNS.items()
}


def order_status(statuses: list[str]) -> str:
    """planning.md: unconfirmed, partial, late, on_time."""
    confirmed = [s for s in statuses if s != "unconfirmed"]
    if not confirmed:
        return "unconfirmed"
    if len(confirmed) < len(statuses):
        return "partial"
    return "late" if "late" in confirmed else "on_time"


def order_rows(
    problem: Problem, decided: list[Order], rows: list[ScheduleLine]
) -> list[tuple[Any, ...]]:
    """The rows of orders.csv for ``decided`` orders, from their schedule lines."""
    by_order: dict[str, list[ScheduleLine]] = defaultdict(list)
    for r in rows:
        by_order[r.order].append(r)
    out = []
    for order in sorted(decided, key=lambda o: o.id):
        mine = by_order.get(order.id, [])
        status = order_status([r.status for r in mine]) if mine else "on_time"
        promised = max((r.promised for r in mine if r.promised is not None), default=None)
        if status == "unconfirmed" or not mine:
            reason = mine[0].reason if mine else "stock: nothing to deliver"
        else:
            unconfirmed = [r for r in mine if r.status == "unconfirmed"]
            latest = max((r for r in mine if r.promised is not None), key=lambda r: r.promised or 0)
            reason = unconfirmed[0].reason if unconfirmed else latest.reason
        out.append(
            (
                order.id,
                order.customer,
                status,
                _day(problem, order.requested_day),
                _day(problem, promised),
                len(order.lines),
                reason,
            )
        )
    return out


class LineOutcome(Protocol):
    """What the promise changes read of a schedule line."""

    @property
    def order(self) -> str: ...
    @property
    def line(self) -> str: ...
    @property
    def quantity(self) -> int: ...
    @property
    def status(self) -> str: ...
    @property
    def promised(self) -> int | None: ...
    @property
    def reason(self) -> str: ...


def _changes(
    problem: Problem, rows: Sequence[LineOutcome], open_orders: set[str] | None = None
) -> list[tuple[Any, ...]]:
    new: dict[tuple[str, str], tuple[int, int | None, str]] = {}
    reasons: dict[tuple[str, str], str] = {}
    for r in rows:
        key = (r.order, r.line)
        qty, day, _ = new.get(key, (0, None, ""))
        if r.status != "unconfirmed":
            qty += r.quantity
            day = r.promised if day is None or (r.promised or 0) > day else day
            reasons.setdefault(key, r.reason)
        else:
            reasons[key] = r.reason
        new[key] = (qty, day, "")
    if open_orders is None:
        open_orders = {o.id for o in problem.orders}
    out = []
    for (order, line), old in sorted(
        problem.promises.items(), key=lambda kv: (kv[0][0], line_sort_key(kv[0][1]))
    ):
        if order not in open_orders:
            continue
        qty, day, _ = new.get((order, line), (0, None, ""))
        if qty == old.quantity and day == old.day:
            continue
        reason = reasons.get((order, line), "no_source: the line is no longer on the order")
        out.append(
            (
                order,
                line,
                old.quantity,
                problem.date(old.day),
                qty,
                _day(problem, day) if qty else None,
                reason,
            )
        )
    return out


def _kpis(
    problem: Problem, plans: Plans, summary: Summary, tables: dict[str, pl.DataFrame]
) -> dict[str, Any]:
    orders = tables["orders"]
    order_counts = {s: 0 for s in ("on_time", "late", "partial", "unconfirmed")}
    for status, count in orders["status"].value_counts().iter_rows():
        order_counts[status] += count
    transfers = plans.transfer_cost
    available = 0.0
    used = 0.0
    utilisation: dict[str, float] = {}
    open_hours_of: dict[tuple[float, int], float] = {}  # resources share a few calendars
    for (res, loc), resource in sorted(problem.resources.items()):
        calendar = (resource.hours_per_day, resource.closed)
        if calendar not in open_hours_of:
            open_hours_of[calendar] = sum(
                resource.hours_per_day
                for d in range(problem.horizon + 1)
                if not resource.closed >> problem.weekday(d) & 1
            )
        open_hours = open_hours_of[calendar]
        hours = sum(plans.hours.get((res, loc), ()))
        available += open_hours
        used += hours
        utilisation[f"{res}@{loc}"] = round(hours / open_hours, 6) if open_hours else 0.0
    total = orders.height
    return {
        "orders": total,
        "orders_by_status": order_counts,
        "schedule_lines_by_status": summary.lines,
        "order_lines": summary.order_lines,
        "on_time_share": round(order_counts["on_time"] / total, 6) if total else 0.0,
        "units_ordered": summary.units_ordered,
        "units_confirmed": summary.units_confirmed,
        "units_unconfirmed": summary.units_unconfirmed,
        "purchase_spend": round(float(tables["procurement_plan"]["cost"].sum()), 6),
        "transport_cost": round(summary.transit_cost + transfers, 6),
        "resource_utilisation": round(used / available, 6) if available else 0.0,
        "resource_utilisation_by_resource": utilisation,
    }
