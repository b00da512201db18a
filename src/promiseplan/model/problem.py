"""The planning problem: the network and the open orders, with dates turned into day numbers.

Day 0 is the date of ``now``; every date in the problem is a day number relative to it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

import polars as pl


@dataclass(frozen=True)
class Location:
    id: str
    region: str
    cutoff_hour: int
    closed: int
    """Bit mask of closed weekdays, bit 0 for Monday."""
    orders_per_day: int | None


@dataclass(frozen=True)
class Supplier:
    id: str
    item: str
    location: str
    lead_time: int
    min_quantity: int
    lot_multiple: int
    unit_price: float
    priority: int
    capacity_per_day: int | None


@dataclass(frozen=True)
class Operation:
    item: str
    location: str
    resource: str
    hours_per_unit: float
    lead_time: int
    priority: int
    components: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Resource:
    id: str
    location: str
    hours_per_day: float
    closed: int


@dataclass(frozen=True)
class TransferLane:
    source: str
    destination: str
    mode: str
    lead_time: int
    cost_per_unit: float


@dataclass(frozen=True)
class DeliveryLane:
    location: str
    region: str
    mode: str
    transit_days: int
    cost_per_unit: float
    capacity_per_day: int | None


@dataclass(frozen=True)
class OrderLine:
    line: str
    item: str
    quantity: int


@dataclass(frozen=True)
class Order:
    id: str
    customer: str
    region: str
    created_at: datetime
    requested_day: int | None
    ship_complete: bool
    priority: int
    max_lateness_days: int | None
    modes: frozenset[str] | None
    """Allowed transport modes; None allows every mode."""
    lines: tuple[OrderLine, ...]
    has_promise: bool
    created_day: int

    @property
    def need_day(self) -> int:
        """The requested day if set, else the day the order was created."""
        return self.created_day if self.requested_day is None else self.requested_day


@dataclass(frozen=True)
class Promise:
    quantity: int
    day: int


@dataclass
class Problem:
    """Everything a run decides over; built from a dataset and the run's settings."""

    day0: date
    now_hour: int
    horizon: int
    weekday0: int
    """Weekday of day 0 (0 = Monday)."""
    items: dict[str, str]
    """Item id -> kind."""
    locations: dict[str, Location]
    stock_events: pl.DataFrame = field(compare=False)
    """Supply events: columns item, location, day and quantity, on hand (day 0) first, then
    the receipts, each in its file's order; zero quantities and receipts after the horizon
    left out."""
    suppliers: dict[tuple[str, str], list[Supplier]]
    operations: dict[tuple[str, str], list[Operation]]
    resources: dict[tuple[str, str], Resource]
    transfers_into: dict[str, list[TransferLane]]
    delivery_lanes: dict[str, list[DeliveryLane]]
    """Region -> lanes delivering to it."""
    orders: list[Order]
    """In decision order (the priority model applied)."""
    promises: dict[tuple[str, str], Promise] = field(default_factory=dict)
    has_promises: bool = False

    def date(self, day: int) -> date:
        return self.day0 + timedelta(days=day)

    @cached_property
    def stock(self) -> dict[tuple[str, str], list[tuple[int, int]]]:
        """(item, location) -> supply events (day, quantity), from ``stock_events``."""
        stock: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        events = self.stock_events
        columns = (events[name].to_list() for name in ("item", "location", "day", "quantity"))
        for item, location, day, quantity in zip(*columns, strict=True):
            stock[item, location].append((day, quantity))
        return dict(stock)

    def weekday(self, day: int) -> int:
        return (self.weekday0 + day) % 7
