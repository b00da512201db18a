"""planning.md, "What every run guarantees", checked row by row."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from promiseplan.dataset.load import Dataset
from promiseplan.dataset.schema import (
    OUTPUT_DATES,
    OUTPUT_NUMBERS,
    OUTPUT_TABLES,
    OUTPUT_WHOLE_NUMBERS,
    REASON_CODES,
)
from promiseplan.model.settings import Settings

EPS = 1e-6


def check_outputs(dataset: Dataset, settings: Settings, outputs: Path) -> list[str]:
    tables: dict[str, pl.DataFrame] = {}
    problems: list[str] = []
    for table in OUTPUT_TABLES:
        path = outputs / table.file
        if not path.exists():
            if not table.optional:
                problems.append(f"{table.file}: missing")
            continue
        frame = pl.read_csv(path, infer_schema=False)
        missing = [c for c in table.columns if c not in frame.columns]
        if missing:
            problems.append(f"{table.file}: missing column(s) {', '.join(missing)}")
            continue
        tables[table.name] = frame
    if problems:
        return problems
    return check_tables(dataset, settings, _typed(tables))


def _typed(tables: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    out = {}
    for name, frame in tables.items():
        out[name] = frame.with_columns(
            [pl.col(c).cast(pl.Int64) for c in frame.columns if c in OUTPUT_WHOLE_NUMBERS]
            + [pl.col(c).cast(pl.Float64) for c in frame.columns if c in OUTPUT_NUMBERS]
            + [pl.col(c).str.to_date("%Y-%m-%d") for c in frame.columns if c in OUTPUT_DATES]
        )
    return out


class _Checker:
    def __init__(
        self, dataset: Dataset, settings: Settings, tables: dict[str, pl.DataFrame]
    ) -> None:
        self.ds = dataset
        self.t = tables
        self.day0 = settings.now.date()
        self.hour = settings.now.hour
        self.horizon = settings.horizon_days
        self.last_date = self.day0 + timedelta(days=self.horizon)
        self.problems: list[str] = []
        self.locations = {r["location"]: r for r in dataset["locations"].to_dicts()}

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def day(self, value: date) -> int:
        return (value - self.day0).days

    def closed(self, mask: int | None, value: date) -> bool:
        return bool((mask or 0) >> value.weekday() & 1)

    def can_ship(self, location: str, value: date) -> bool:
        place = self.locations[location]
        if value < self.day0 or self.closed(place["closed_weekdays"], value):
            return False
        return not (value == self.day0 and self.hour >= place["cutoff_hour"])

    def in_horizon(self, where: str, value: date | None) -> None:
        if value is not None and value > self.last_date:
            self.fail(where, f"arrives {value}, after the horizon ends on {self.last_date}")


def check_tables(
    dataset: Dataset, settings: Settings, tables: dict[str, pl.DataFrame]
) -> list[str]:
    """Every violation of a guarantee, each naming the output row and what is wrong."""
    c = _Checker(dataset, settings, tables)
    _quantities(c)
    _purchases(c)
    _production(c)
    _distribution(c)
    _stock(c)
    _promises(c)
    return c.problems


def _quantities(c: _Checker) -> None:
    """Confirmed plus unconfirmed quantity of each line equals the ordered quantity."""
    ordered = {(r["order"], r["line"]): r["quantity"] for r in c.ds["order_lines"].to_dicts()}
    got: dict[tuple[str, str], int] = defaultdict(int)
    for i, r in enumerate(c.t["confirmations"].to_dicts(), start=2):
        key = (r["order"], r["line"])
        if key not in ordered:
            c.fail(
                f"confirmations.csv row {i}", f"order {key[0]} line {key[1]} is not an order line"
            )
            continue
        got[key] += r["quantity"]
        code = (r["reason"] or "").split(":")[0]
        if code not in REASON_CODES:
            c.fail(
                f"confirmations.csv row {i}",
                f"reason does not start with a known code: {r['reason']!r}",
            )
    for key, quantity in ordered.items():
        if quantity and got.get(key, 0) != quantity:
            c.fail(
                f"order {key[0]} line {key[1]}",
                f"confirmed plus unconfirmed is {got.get(key, 0)}, ordered {quantity}",
            )


def _purchases(c: _Checker) -> None:
    suppliers = {(r["supplier"], r["item"], r["location"]): r for r in c.ds["suppliers"].to_dicts()}
    seen: set[tuple[Any, ...]] = set()
    for i, r in enumerate(c.t["procurement_plan"].to_dicts(), start=2):
        where = f"procurement_plan.csv row {i}"
        s = suppliers.get((r["supplier"], r["item"], r["location"]))
        if s is None:
            c.fail(where, "no such supplier, item and location")
            continue
        key = (r["supplier"], r["item"], r["location"], r["order_date"])
        if key in seen:
            c.fail(where, "a second row for the same supplier, item, location and order day")
        seen.add(key)
        if r["order_date"] < c.day0:
            c.fail(where, f"ordered {r['order_date']}, before day 0")
        if r["arrival_date"] != r["order_date"] + timedelta(days=s["lead_time_days"]):
            c.fail(
                where, f"arrival {r['arrival_date']} is not order date + {s['lead_time_days']} days"
            )
        c.in_horizon(where, r["arrival_date"])
        if r["quantity"] < s["min_quantity"] or r["quantity"] % s["lot_multiple"]:
            c.fail(
                where,
                f"{r['quantity']} breaks minimum {s['min_quantity']} / multiple {s['lot_multiple']}",
            )
        if s["capacity_per_day"] is not None and r["quantity"] > s["capacity_per_day"]:
            c.fail(where, f"{r['quantity']} exceeds the supplier's {s['capacity_per_day']} a day")


def _production(c: _Checker) -> None:
    ops = {(r["item"], r["location"], r["resource"]): r for r in c.ds["operations"].to_dicts()}
    resources = {(r["resource"], r["location"]): r for r in c.ds["resources"].to_dicts()}
    jobs: dict[tuple[str, str], list[tuple[int, int, float]]] = defaultdict(list)
    for i, r in enumerate(c.t["production_plan"].to_dicts(), start=2):
        where = f"production_plan.csv row {i}"
        op = ops.get((r["item"], r["location"], r["resource"]))
        res = resources.get((r["resource"], r["location"]))
        if op is None or res is None:
            c.fail(where, "no such operation or resource")
            continue
        last = r["end_date"] - timedelta(days=op["lead_time_days"])
        if r["start_date"] < c.day0 or last < r["start_date"]:
            c.fail(
                where,
                f"start {r['start_date']} and end {r['end_date']} break the lead time of {op['lead_time_days']} days",
            )
            continue
        c.in_horizon(where, r["end_date"])
        if abs(r["hours"] - r["quantity"] * op["hours_per_unit"]) > EPS:
            c.fail(
                where,
                f"{r['hours']} hours, but {r['quantity']} units take {r['quantity'] * op['hours_per_unit']:g}",
            )
        if r["hours"] > EPS:
            for value in (r["start_date"], last):
                if c.closed(res["closed_weekdays"], value):
                    c.fail(where, f"uses {r['resource']} on {value}, a closed day")
        jobs[r["resource"], r["location"]].append((c.day(r["start_date"]), c.day(last), r["hours"]))
    for key, mine in jobs.items():
        _resource_load(c, key, resources[key], mine)


def _resource_load(
    c: _Checker, key: tuple[str, str], res: dict[str, Any], jobs: list[tuple[int, int, float]]
) -> None:
    """Hours fit the resource's open days: for every span of days, the jobs that lie inside it
    need no more hours than the span has (Hall's condition for jobs with day windows)."""
    days = c.horizon + 1
    capacity = np.array(
        [
            0.0
            if c.closed(res["closed_weekdays"], c.day0 + timedelta(days=d))
            else res["hours_per_day"]
            for d in range(days)
        ]
    )
    cum = np.concatenate([[0.0], np.cumsum(capacity)])
    need = np.zeros((days, days))
    for start, last, hours in jobs:
        need[min(start, days - 1), min(last, days - 1)] += hours
    # inside[a, b] = hours of jobs with start >= a and last <= b
    inside = need[::-1, :].cumsum(axis=0)[::-1, :].cumsum(axis=1)
    for a in range(days):
        for b in range(a, days):
            if inside[a, b] > cum[b + 1] - cum[a] + EPS:
                c.fail(
                    f"resource {key[0]} at {key[1]}",
                    f"{inside[a, b]:g} hours are planned between {c.day0 + timedelta(days=a)} and "
                    f"{c.day0 + timedelta(days=b)}, which has {cum[b + 1] - cum[a]:g}",
                )
                return


def _distribution(c: _Checker) -> None:
    transfer_lanes = {
        (r["from_location"], r["to_location"], r["mode"]): r
        for r in c.ds["transfer_lanes"].to_dicts()
    }
    delivery_lanes = {
        (r["location"], r["region"], r["mode"]): r for r in c.ds["delivery_lanes"].to_dicts()
    }
    lane_units: dict[tuple[Any, ...], int] = defaultdict(int)
    shipping: dict[tuple[str, date], set[str]] = defaultdict(set)
    for i, r in enumerate(c.t["distribution_plan"].to_dicts(), start=2):
        where = f"distribution_plan.csv row {i}"
        if r["kind"] == "transfer":
            lane = transfer_lanes.get((r["from_location"], r["to"], r["mode"]))
            lead = None if lane is None else lane["lead_time_days"]
        else:
            lane = delivery_lanes.get((r["from_location"], r["to"], r["mode"]))
            lead = None if lane is None else lane["transit_days"]
        if lane is None or lead is None:
            c.fail(where, f"no {r['kind']} lane {r['from_location']} -> {r['to']} by {r['mode']}")
            continue
        if not c.can_ship(r["from_location"], r["ship_date"]):
            c.fail(
                where,
                f"{r['from_location']} cannot ship on {r['ship_date']} (closed, past cutoff or before day 0)",
            )
        if r["arrival_date"] != r["ship_date"] + timedelta(days=lead):
            c.fail(where, f"arrival {r['arrival_date']} is not ship date + {lead} days")
        c.in_horizon(where, r["arrival_date"])
        if r["kind"] == "delivery":
            lane_units[r["from_location"], r["to"], r["mode"], r["ship_date"]] += r["quantity"]
            shipping[r["from_location"], r["ship_date"]].add(r["order"])
    for (loc, region, mode, when), units in lane_units.items():
        cap = delivery_lanes[loc, region, mode]["capacity_per_day"]
        if cap is not None and units > cap:
            c.fail(f"lane {loc} -> {region} by {mode}", f"{units} units on {when}, capacity {cap}")
    for (loc, when), orders in shipping.items():
        cap = c.locations[loc]["orders_per_day"]
        if cap is not None and len(orders) > cap:
            c.fail(f"location {loc}", f"{len(orders)} orders ship on {when}, at most {cap} a day")


def _stock(c: _Checker) -> None:
    """Per item and location, projected stock never goes below zero on any day."""
    days = c.horizon + 1
    flow: dict[tuple[str, str], np.ndarray] = {}

    def add(item: str, loc: str, when: date, quantity: int) -> None:
        d = max(0, c.day(when))
        if d >= days:
            return
        series = flow.get((item, loc))
        if series is None:
            series = flow[item, loc] = np.zeros(days, dtype=np.int64)
        series[d] += quantity

    for r in c.ds["inventory"].iter_rows(named=True):
        add(r["item"], r["location"], c.day0, r["on_hand"])
    for r in c.ds["receipts"].iter_rows(named=True):
        add(r["item"], r["location"], r["arrival_date"], r["quantity"])
    for r in c.t["procurement_plan"].iter_rows(named=True):
        add(r["item"], r["location"], r["arrival_date"], r["quantity"])
    bom: dict[tuple[str, str], list[tuple[str, float]]] = defaultdict(list)
    for r in c.ds["bom"].iter_rows(named=True):
        bom[r["item"], r["location"]].append((r["component"], r["quantity_per"]))
    for r in c.t["production_plan"].iter_rows(named=True):
        add(r["item"], r["location"], r["end_date"], r["quantity"])
        for component, per in bom.get((r["item"], r["location"]), ()):
            add(component, r["location"], r["start_date"], -math.ceil(r["quantity"] * per - 1e-9))
    for r in c.t["distribution_plan"].iter_rows(named=True):
        add(r["item"], r["from_location"], r["ship_date"], -r["quantity"])
        if r["kind"] == "transfer":
            add(r["item"], r["to"], r["arrival_date"], r["quantity"])
    for (item, loc), series in sorted(flow.items()):
        projected = np.cumsum(series)
        if (projected < 0).any():
            d = int(np.argmax(projected < 0))
            c.fail(
                f"stock of {item} at {loc}",
                f"projected {int(projected[d])} on {c.day0 + timedelta(days=d)}",
            )


def _promises(c: _Checker) -> None:
    """Dates, statuses and whole orders as planning.md defines them."""
    orders = {r["order"]: r for r in c.ds["orders"].to_dicts()}
    deliveries: dict[tuple[str, str, str, date, str], int] = defaultdict(int)
    for r in c.t["distribution_plan"].filter(pl.col("kind") == "delivery").iter_rows(named=True):
        deliveries[r["order"], r["item"], r["from_location"], r["ship_date"], r["mode"]] += r[
            "quantity"
        ]
    transit = {
        (r["location"], r["region"], r["mode"]): r for r in c.ds["delivery_lanes"].to_dicts()
    }
    region = dict(c.ds["customers"].select("customer", "region").iter_rows())
    by_order: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for i, r in enumerate(c.t["confirmations"].to_dicts(), start=2):
        where = f"confirmations.csv row {i}"
        order = orders.get(r["order"])
        if order is None:
            continue
        by_order[r["order"]].append(r)
        requested = order["requested_date"]
        if r["status"] == "unconfirmed":
            if r["promised_date"] is not None or r["ship_date"] is not None:
                c.fail(where, "an unconfirmed row carries dates")
            continue
        if r["promised_date"] is None or r["ship_date"] is None:
            c.fail(where, "a confirmed row without promised or ship date")
            continue
        expected = "on_time" if requested is None or r["promised_date"] <= requested else "late"
        if r["status"] != expected:
            c.fail(
                where,
                f"status {r['status']}, but promised {r['promised_date']} for requested {requested}",
            )
        if requested is not None and r["promised_date"] < requested:
            c.fail(where, f"promised {r['promised_date']}, before the requested {requested}")
        if (
            order["max_lateness_days"] is not None
            and requested is not None
            and (r["promised_date"] > requested + timedelta(days=order["max_lateness_days"]))
        ):
            c.fail(
                where,
                f"promised {r['promised_date']}, more than {order['max_lateness_days']} days late",
            )
        modes = (order["modes"] or "").split()
        if modes and r["mode"] not in modes:
            c.fail(where, f"mode {r['mode']} is not allowed for the order ({' '.join(modes)})")
        lane = transit.get((r["ship_from"], region[order["customer"]], r["mode"]))
        if lane is not None and r["promised_date"] < r["ship_date"] + timedelta(
            days=lane["transit_days"]
        ):
            c.fail(where, f"promised {r['promised_date']}, before the goods can arrive")
        key = (r["order"], r["item"], r["ship_from"], r["ship_date"], r["mode"])
        deliveries[key] -= r["quantity"]
    for key, left in deliveries.items():
        if left:
            c.fail(
                f"order {key[0]}",
                f"deliveries of {key[1]} from {key[2]} on {key[3]} differ from its confirmations by {left}",
            )
    summary = {r["order"]: r for r in c.t["orders"].to_dicts()}
    for order_id, order in orders.items():
        rows = by_order.get(order_id, [])
        if not rows:
            continue
        confirmed = [r for r in rows if r["status"] != "unconfirmed"]
        if order["ship_complete"] and confirmed and len(confirmed) < len(rows):
            c.fail(f"order {order_id}", "ships complete but is only partly confirmed")
        if order["ship_complete"] and len({r["promised_date"] for r in confirmed}) > 1:
            c.fail(
                f"order {order_id}", "ships complete but its lines are promised on different dates"
            )
        if not confirmed:
            status = "unconfirmed"
        elif len(confirmed) < len(rows):
            status = "partial"
        else:
            status = "late" if any(r["status"] == "late" for r in confirmed) else "on_time"
        row = summary.get(order_id)
        if row is None:
            c.fail("orders.csv", f"order {order_id} is missing")
            continue
        if row["status"] != status:
            c.fail(f"orders.csv order {order_id}", f"status {row['status']}, expected {status}")
        last = max((r["promised_date"] for r in confirmed), default=None)
        if row["promised_date"] != last:
            c.fail(
                f"orders.csv order {order_id}",
                f"promised {row['promised_date']}, its last confirmed unit arrives {last}",
            )
