"""Converting a frePPLe model (a Django fixture: a JSON list of ``{"model", "fields"}`` records)
into a promiseplan dataset.

frePPLe's records map onto our tables: item, location, buffer (on hand) -> inventory,
itemsupplier -> suppliers, itemdistribution -> transfer lanes, operation + operationmaterial +
operationresource -> operations and bill of material, resource -> resources, confirmed
operationplans -> receipts, demand -> orders and order lines (one line per demand; the demand's
location is where its customer is served from, so each such location gets a region of its own
and a pick-up lane to it). What our model cannot express is listed in ``Conversion.dropped``.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from promiseplan.generate.tables import Tables, rows_frame

DAY = 86400.0
WEEKDAY_FIELDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass
class Conversion:
    tables: Tables
    now: datetime
    dropped: list[str] = field(default_factory=list)


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("T", " "))


def _days(seconds: Any) -> int:
    return math.ceil(float(seconds or 0) / DAY - 1e-9)


class _Fixture:
    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.by_model: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for record in records:
            self.by_model[record["model"].split(".")[-1]].append(record["fields"])

    def __getitem__(self, model: str) -> list[dict[str, Any]]:
        return self.by_model.get(model, [])

    def leaves(self, model: str) -> tuple[list[str], dict[str, list[str]]]:
        """Names that own nothing, and for every name the leaves below it (itself for a leaf)."""
        owner = {r["name"]: r.get("owner_id") for r in self[model]}
        children: dict[str, list[str]] = defaultdict(list)
        for name, parent in owner.items():
            if parent:
                children[parent].append(name)
        leaves = sorted(n for n in owner if n not in children)
        below: dict[str, list[str]] = {}

        def walk(name: str) -> list[str]:
            if name not in below:
                below[name] = (
                    [name]
                    if name not in children
                    else sorted(leaf for child in children[name] for leaf in walk(child))
                )
            return below[name]

        for name in owner:
            walk(name)
        return leaves, below


def _calendar_value(fixture: _Fixture, calendar: str | None, when: datetime) -> float:
    """The value of a frePPLe calendar on a date: its deciding bucket (lowest priority number)
    covering that date and weekday, else the calendar's default."""
    if not calendar:
        return 1.0
    weekday = WEEKDAY_FIELDS[when.weekday()]
    buckets = sorted(
        (
            b
            for b in fixture["calendarbucket"]
            if b["calendar_id"] == calendar
            and _when(b["startdate"]) <= when < _when(b["enddate"])
            and b.get(weekday, True)
        ),
        key=lambda b: b.get("priority", 0),
    )
    if buckets:
        return float(buckets[0].get("value", 0))
    return float(
        next((c.get("defaultvalue", 0) for c in fixture["calendar"] if c["name"] == calendar), 0)
    )


def _closed_weekdays(fixture: _Fixture, calendar: str | None, now: datetime) -> str:
    """Weekdays the calendar closes in most of the four weeks after ``now`` (a holiday on one
    date does not close a weekday)."""
    closed = []
    for offset in range(7):
        first = now + timedelta(days=1 + offset)
        zero = sum(
            _calendar_value(fixture, calendar, first + timedelta(weeks=w)) == 0 for w in range(4)
        )
        if zero >= 3:
            closed.append((first.weekday(), WEEKDAY_NAMES[first.weekday()]))
    return " ".join(name for _, name in sorted(closed))


def convert(records: list[dict[str, Any]], demands: str = "auto") -> Conversion:
    """``demands``: ``open`` (status open), ``all``, or ``auto`` (open ones if any, else all)."""
    fx = _Fixture(records)
    dropped: list[str] = []
    parameters = {p.get("name"): p.get("value") for p in fx["parameter"]}
    now = _when(parameters.get("currentdate") or "2021-01-01 00:00:00").replace(
        second=0, microsecond=0
    )
    items, items_below = fx.leaves("item")
    locations, locations_below = fx.leaves("location")
    item_set, location_set = set(items), set(locations)

    wanted = [
        d
        for d in fx["demand"]
        if d.get("item_id") in item_set and d.get("location_id") in location_set
    ]
    if demands == "open" or (demands == "auto" and any(d.get("status") == "open" for d in wanted)):
        wanted = [d for d in wanted if d.get("status") == "open"]
    served = sorted({d["location_id"] for d in wanted})

    # operations: a time_per or fixed_time operation making an item; a routing makes its item
    # through its steps (their materials, hours and durations added up)
    steps: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for op in fx["operation"]:
        if op.get("owner_id"):
            steps[op["owner_id"]].append(op)
    materials: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in fx["operationmaterial"]:
        materials[m["operation_id"]].append(m)
    loads: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in fx["operationresource"]:
        loads[r["operation_id"]].append(r)
    resources = {r["name"]: r for r in fx["resource"]}
    pools = {r.get("owner_id") for r in fx["resource"] if r.get("owner_id")}

    operation_rows: list[tuple[Any, ...]] = []
    bom_rows: dict[tuple[str, str, str], float] = {}
    used_resources: dict[tuple[str, str], dict[str, Any]] = {}
    for op in fx["operation"]:
        if op.get("owner_id"):
            continue
        parts = steps.get(op["name"], [op]) if op.get("type") == "routing" else [op]
        produced = op.get("item_id") or next(
            (m["item_id"] for p in parts for m in materials[p["name"]] if float(m["quantity"]) > 0),
            None,
        )
        location = op.get("location_id")
        if produced not in item_set or location not in location_set:
            continue
        hours = sum(float(p.get("duration_per") or 0) for p in parts) / 3600
        fixed = sum(
            float(p.get("duration") or 0)
            for p in parts
            if p.get("type") != "time_per" or p.get("duration")
        )
        candidates = sorted(
            (r for p in parts for r in loads[p["name"]]),
            key=lambda r: (r["resource_id"] in pools, r.get("priority", 1)),
        )
        if not candidates:
            dropped.append(f"operation '{op['name']}': no resource, not imported")
            continue
        resource = candidates[0]["resource_id"]
        if len({r["resource_id"] for r in candidates}) > 1:
            others = sorted({r["resource_id"] for r in candidates} - {resource})
            dropped.append(
                f"operation '{op['name']}': uses {resource} only (also loads {', '.join(others)})"
            )
        used_resources[resource, location] = resources.get(resource, {})
        operation_rows.append(
            (produced, location, resource, round(hours, 6), _days(fixed), op.get("priority", 1))
        )
        for p in parts:
            for m in materials[p["name"]]:
                quantity = float(m["quantity"])
                if quantity < 0 and m["item_id"] in item_set:
                    key = (produced, location, m["item_id"])
                    bom_rows[key] = bom_rows.get(key, 0.0) - quantity
    if any(r.get("skill_id") for r in fx["operationresource"]):
        dropped.append("skills of resources (an operation takes any hours of its resource)")

    location_calendar = {r["name"]: r.get("available_id") for r in fx["location"]}
    resource_rows = []
    for (resource, location), record in sorted(used_resources.items()):
        value = float(record.get("maximum", 1) or 1) * max(
            _calendar_value(fx, record.get("maximum_calendar_id"), now + timedelta(days=d))
            for d in range(1, 8)
        )
        closed = _closed_weekdays(fx, location_calendar.get(location), now)
        resource_rows.append((resource, location, round(24.0 * value, 6), closed))

    makers = {row[1] for row in operation_rows}
    location_rows = [
        (
            loc,
            "factory" if loc in makers else "store" if loc in served else "warehouse",
            loc,
            24,
            _closed_weekdays(fx, location_calendar.get(loc), now),
            None,
        )
        for loc in locations
    ]

    consumed = {key[2] for key in bom_rows}
    demanded = {d["item_id"] for d in wanted}
    cost = {r["name"]: r.get("cost") for r in fx["item"]}
    item_rows = [
        (
            i,
            i,
            "component" if i in consumed and i not in demanded else "product",
            float(cost.get(i) or 0),
        )
        for i in items
    ]

    on_hand: dict[tuple[str, str], int] = defaultdict(int)
    for b in fx["buffer"]:
        if b.get("item_id") in item_set and b.get("location_id") in location_set:
            on_hand[b["item_id"], b["location_id"]] += math.floor(float(b.get("onhand") or 0))

    supplier_rows: dict[tuple[str, str, str], tuple[Any, ...]] = {}
    for s in fx["itemsupplier"]:
        for item in items_below.get(s["item_id"], []):
            for loc in locations_below.get(s.get("location_id") or "", locations):
                key = (s["supplier_id"], item, loc)
                supplier_rows.setdefault(
                    key,
                    (
                        *key,
                        _days(s.get("leadtime")),
                        max(1, math.ceil(float(s.get("sizeminimum") or 1))),
                        max(1, math.ceil(float(s.get("sizemultiple") or 1))),
                        float(s.get("cost") or 0),
                        s.get("priority", 1),
                        None,
                    ),
                )

    lanes: dict[tuple[str, str], int] = {}
    for t in fx["itemdistribution"]:
        for origin in locations_below.get(t["origin_id"], []):
            for destination in locations_below.get(t["location_id"], []):
                if origin != destination:
                    lanes[origin, destination] = max(
                        lanes.get((origin, destination), 0), _days(t.get("leadtime"))
                    )
    if fx["itemdistribution"]:
        dropped.append(
            "item-specific distribution: one truck lane per pair of locations, with the longest lead time of its items; minimum sizes of transfers"
        )

    receipt_rows = []
    for plan in fx["operationplan"]:
        if plan.get("status") not in ("confirmed", "approved", "completed"):
            continue
        kind = {"PO": "purchase", "DO": "transfer", "MO": "production"}.get(plan.get("type", ""))
        location = plan.get("destination_id") if kind == "transfer" else plan.get("location_id")
        if kind and plan.get("item_id") in item_set and location in location_set:
            receipt_rows.append(
                (
                    plan["item_id"],
                    location,
                    int(float(plan["quantity"])),
                    _when(plan["enddate"]).date(),
                    kind,
                    plan.get("reference"),
                )
            )

    customers: dict[str, tuple[Any, ...]] = {}
    order_rows, line_rows = [], []
    for d in sorted(wanted, key=lambda d: d["name"]):
        customer = f"{d.get('customer_id') or 'customer'} @ {d['location_id']}"
        customers.setdefault(customer, (customer, d["location_id"], 5, "frepple"))
        due = _when(d["due"])
        order_rows.append(
            (
                d["name"],
                customer,
                min(due, now),
                due.date(),
                True,
                d.get("priority"),
                _days(d["maxlateness"]) if d.get("maxlateness") is not None else None,
                "",
            )
        )
        line_rows.append((d["name"], "1", d["item_id"], math.ceil(float(d["quantity"]))))

    tables: Tables = {
        "items": rows_frame(item_rows, "item name kind unit_cost"),
        "locations": rows_frame(
            location_rows, "location kind region cutoff_hour closed_weekdays orders_per_day"
        ),
        "inventory": rows_frame(
            [(i, loc, q) for (i, loc), q in sorted(on_hand.items())], "item location on_hand"
        ),
        "receipts": rows_frame(receipt_rows, "item location quantity arrival_date kind reference"),
        "suppliers": rows_frame(
            sorted(supplier_rows.values()),
            "supplier item location lead_time_days min_quantity lot_multiple unit_price priority capacity_per_day",
        ),
        "operations": rows_frame(
            sorted(operation_rows), "item location resource hours_per_unit lead_time_days priority"
        ),
        "bom": rows_frame(
            [(*k, v) for k, v in sorted(bom_rows.items())], "item location component quantity_per"
        ),
        "resources": rows_frame(resource_rows, "resource location hours_per_day closed_weekdays"),
        "transfer_lanes": rows_frame(
            [(a, b, "truck", lead, 0.0) for (a, b), lead in sorted(lanes.items())],
            "from_location to_location mode lead_time_days cost_per_unit",
        ),
        "delivery_lanes": rows_frame(
            [(loc, loc, "pickup", 0, 0.0, None) for loc in served],
            "location region mode transit_days cost_per_unit capacity_per_day",
        ),
        "customers": rows_frame(sorted(customers.values()), "customer region priority channel"),
        "orders": rows_frame(
            order_rows,
            "order customer created_at requested_date ship_complete priority max_lateness_days modes",
        ),
        "order_lines": rows_frame(line_rows, "order line item quantity"),
        "settings": pl.DataFrame({"now": [now.strftime("%Y-%m-%dT%H:%M")], "horizon_days": [120]}),
    }
    return Conversion(tables, now, dropped)


def read_fixture(path: Path) -> list[dict[str, Any]]:
    records = json.loads(path.read_text(encoding="utf8"))
    if not isinstance(records, list):
        raise ValueError(f"{path}: not a frePPLe fixture (expected a JSON list of records)")
    return records
