"""Building a Problem from the typed tables of a dataset and the run's settings."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import polars as pl

from promiseplan.dataset.load import Dataset
from promiseplan.model.problem import (
    DeliveryLane,
    Location,
    Operation,
    Order,
    OrderLine,
    Problem,
    Promise,
    Resource,
    Supplier,
    TransferLane,
)
from promiseplan.model.settings import Settings


def line_sort_key(line: str) -> tuple[int, int, str]:
    """Lines go in ``line`` order: numerically when the ids are numbers (decimal digits only),
    else as text. A number's key is its count of digits and its digits (without leading
    zeros, in ASCII), so numbers of any length sort by value."""
    if not line.isdecimal():
        return (1, 0, line)
    digits = "".join(str(unicodedata.decimal(c)) for c in line).lstrip("0") or "0"
    return (0, len(digits), digits)


def line_sort_keys(lines: pl.Series) -> pl.DataFrame:
    """``line_sort_key`` of every line, as the columns key_kind, key_number and key_text."""
    if not lines.str.contains(r"[^\x00-\x7f]").any():  # ASCII: decimal digits are 0-9
        number = lines.str.contains(r"^[0-9]+$")
        digits = lines.str.strip_chars_start("0").replace("", "0")
        return (
            pl.DataFrame({"line": lines, "number": number, "digits": digits})
            .select(
                key_kind=pl.when("number").then(0).otherwise(1).cast(pl.Int8),
                key_number=pl.when("number").then(pl.col("digits").str.len_chars()).otherwise(0),
                key_text=pl.when("number").then("digits").otherwise("line"),
            )
            .cast({"key_number": pl.Int64})
        )
    keys = [line_sort_key(text) for text in lines.to_list()]
    return pl.DataFrame(
        {
            "key_kind": pl.Series([k[0] for k in keys], dtype=pl.Int8),
            "key_number": pl.Series([k[1] for k in keys], dtype=pl.Int64),
            "key_text": pl.Series([k[2] for k in keys], dtype=pl.String),
        }
    )


def day_number(column: str | pl.Expr, day0: date) -> pl.Expr:
    """The day numbers (day 0 is ``day0``) of the dates in ``column``, as ``build_problem``'s
    ``day`` counts them."""
    dates = pl.col(column) if isinstance(column, str) else column
    return (dates - pl.lit(day0)).dt.total_days()


def order_modes(text: str | None) -> frozenset[str] | None:
    """The transport modes an order allows, from orders.csv's ``modes`` (None: any)."""
    return frozenset(text.split()) if text and text.strip() else None


def build_problem(dataset: Dataset, settings: Settings, with_orders: bool = True) -> Problem:
    """The problem of a run; without its orders (``with_orders`` false) for an engine that
    reads the orders as columns (``engine.fast.book``)."""
    day0 = settings.now.date()

    def day(value: date) -> int:
        return (value - day0).days

    items = dict(dataset["items"].select("item", "kind").iter_rows())
    locations = {
        r["location"]: Location(
            r["location"], r["region"], r["cutoff_hour"], r["closed_weekdays"], r["orders_per_day"]
        )
        for r in _rows(dataset["locations"])
    }
    suppliers: dict[tuple[str, str], list[Supplier]] = defaultdict(list)
    for row in _columns(dataset["suppliers"], *SUPPLIER_FIELDS):
        suppliers[row[1], row[2]].append(Supplier(*row))
    components: dict[tuple[str, str], list[tuple[str, float]]] = defaultdict(list)
    bom = dataset["bom"].sort("item", "location", "component")
    for item, location, component, per in _columns(
        bom, "item", "location", "component", "quantity_per"
    ):
        components[item, location].append((component, per))
    operations: dict[tuple[str, str], list[Operation]] = defaultdict(list)
    for item, location, resource, hours, lead_time, priority in _columns(
        dataset["operations"], *OPERATION_FIELDS
    ):
        made_of = tuple(components.get((item, location), ()))
        operations[item, location].append(
            Operation(item, location, resource, hours, lead_time, priority, made_of)
        )
    resources = {
        (r["resource"], r["location"]): Resource(
            r["resource"], r["location"], r["hours_per_day"], r["closed_weekdays"]
        )
        for r in _rows(dataset["resources"])
    }
    transfers_into: dict[str, list[TransferLane]] = defaultdict(list)
    for r in _rows(dataset["transfer_lanes"]):
        transfers_into[r["to_location"]].append(
            TransferLane(
                r["from_location"],
                r["to_location"],
                r["mode"],
                r["lead_time_days"],
                r["cost_per_unit"],
            )
        )
    delivery_lanes: dict[str, list[DeliveryLane]] = defaultdict(list)
    for r in _rows(dataset["delivery_lanes"]):
        delivery_lanes[r["region"]].append(
            DeliveryLane(
                r["location"],
                r["region"],
                r["mode"],
                r["transit_days"],
                r["cost_per_unit"],
                r["capacity_per_day"],
            )
        )
    for lanes in delivery_lanes.values():
        lanes.sort(key=lambda lane: (lane.location, lane.mode))
    promises = _promises(dataset, day)
    orders = []
    if with_orders:
        orders = sorted(_orders(dataset, day0, promises), key=_priority_key(settings, dataset))
    return Problem(
        day0=day0,
        now_hour=settings.now.hour,
        horizon=settings.horizon_days,
        weekday0=day0.weekday(),
        items=items,
        locations=locations,
        stock_events=stock_events(dataset, settings),
        suppliers=dict(suppliers),
        operations=dict(operations),
        resources=resources,
        transfers_into=dict(transfers_into),
        delivery_lanes=dict(delivery_lanes),
        orders=orders,
        promises=promises,
        has_promises=dataset.has_promises,
    )


def stock_events(dataset: Dataset, settings: Settings) -> pl.DataFrame:
    """``Problem.stock_events``: on hand (day 0) and receipts (those due before day 0 on day
    0) of every item-location."""
    on_hand = dataset["inventory"].select(
        "item", "location", day=pl.lit(0, pl.Int64), quantity=pl.col("on_hand").cast(pl.Int64)
    )
    arrival = pl.max_horizontal(pl.lit(0), day_number("arrival_date", settings.now.date()))
    receipts = dataset["receipts"].select(
        "item", "location", day=arrival.cast(pl.Int64), quantity=pl.col("quantity").cast(pl.Int64)
    )
    return pl.concat(
        [
            on_hand.filter(pl.col("quantity") != 0),
            receipts.filter((pl.col("quantity") != 0) & (pl.col("day") <= settings.horizon_days)),
        ]
    )


def customer_rows(dataset: Dataset) -> dict[str, dict[str, Any]]:
    """customers.csv by customer id."""
    return {r["customer"]: r for r in _rows(dataset["customers"])}


def order_from_row(
    row: dict[str, Any],
    lines: list[OrderLine],
    customer: dict[str, Any],
    day0: date,
    has_promise: bool = False,
) -> Order:
    """One order (a typed row of orders.csv, its lines and its customer's row) as the run sees
    it; ``build_problem`` builds every order of a dataset with it, the online promise the order
    asked about."""
    modes = order_modes(row["modes"])
    created: datetime = row["created_at"]
    requested = row["requested_date"]
    return Order(
        id=row["order"],
        customer=row["customer"],
        region=customer["region"],
        created_at=created,
        requested_day=None if requested is None else (requested - day0).days,
        ship_complete=row["ship_complete"],
        priority=customer["priority"] if row["priority"] is None else row["priority"],
        max_lateness_days=row["max_lateness_days"],
        modes=modes,
        lines=tuple(sorted(lines, key=lambda li: line_sort_key(li.line))),
        has_promise=has_promise,
        created_day=(created.date() - day0).days,
    )


def _rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return frame.to_dicts()


def _columns(frame: pl.DataFrame, *names: str) -> Iterator[tuple[Any, ...]]:
    """The values of columns ``names``, row by row (much quicker than a dict per row)."""
    return zip(*(frame[name].to_list() for name in names), strict=True)


SUPPLIER_FIELDS = (
    "supplier",
    "item",
    "location",
    "lead_time_days",
    "min_quantity",
    "lot_multiple",
    "unit_price",
    "priority",
    "capacity_per_day",
)
"""suppliers.csv's columns in the order of ``Supplier``'s fields."""
OPERATION_FIELDS = ("item", "location", "resource", "hours_per_unit", "lead_time_days", "priority")
"""operations.csv's columns in the order of ``Operation``'s fields (its components follow)."""


def _promises(dataset: Dataset, day: Any) -> dict[tuple[str, str], Promise]:
    promised = (
        dataset["promises"]
        .group_by("order", "line")
        .agg(pl.col("quantity").sum(), pl.col("promised_date").max())
    )
    return {
        (r["order"], r["line"]): Promise(r["quantity"], day(r["promised_date"]))
        for r in _rows(promised)
    }


def _orders(dataset: Dataset, day0: date, promises: dict[tuple[str, str], Promise]) -> list[Order]:
    customers = customer_rows(dataset)
    lines: dict[str, list[OrderLine]] = defaultdict(list)
    for r in _rows(dataset["order_lines"]):
        lines[r["order"]].append(OrderLine(r["line"], r["item"], r["quantity"]))
    promised_orders = {order for order, _ in promises}
    return [
        order_from_row(
            r,
            lines.get(r["order"], []),
            customers[r["customer"]],
            day0,
            r["order"] in promised_orders,
        )
        for r in _rows(dataset["orders"])
    ]


def _priority_key(settings: Settings, dataset: Dataset) -> Any:
    channel = dict(dataset["customers"].select("customer", "channel").iter_rows())
    cost = dict(dataset["items"].select("item", "unit_cost").iter_rows())

    def part(order: Order, key: str) -> Any:
        match key:
            case "priority":
                return order.priority
            case "promised_first":
                return 0 if order.has_promise else 1
            case "need_date":
                return order.need_day
            case "created_at":
                return order.created_at
            case "order":
                return order.id
            case "customer":
                return order.customer
            case "channel":
                return channel.get(order.customer) or ""
            case _:  # value
                return sum(li.quantity * cost[li.item] for li in order.lines)

    def key(order: Order) -> tuple[Any, ...]:
        values = []
        for name in settings.priority_keys:
            value = part(order, name.lstrip("-"))
            values.append(_Descending(value) if name.startswith("-") else value)
        return (*values, order.id)

    return key


class _Descending:
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __lt__(self, other: _Descending) -> bool:
        return bool(self.value > other.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Descending) and bool(self.value == other.value)

    def __hash__(self) -> int:
        return hash(self.value)
