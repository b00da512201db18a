"""What earlier decisions of a run have used: stock, resource hours, lane capacity, purchases.

Every change goes through a log, so that a tentative decision can be taken back exactly
(``checkpoint`` / ``rollback``).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from promiseplan.model.problem import DeliveryLane, Location, Problem

EPS = 1e-9


@dataclass(frozen=True)
class Production:
    item: str
    location: str
    resource: str
    quantity: int
    start: int
    end: int
    """The day the made units are available."""
    hours: float
    days: tuple[tuple[int, float], ...]
    """Hours taken per day."""


@dataclass(frozen=True)
class Transfer:
    item: str
    source: str
    destination: str
    mode: str
    quantity: int
    ship: int
    arrival: int


class State:
    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.days = problem.horizon + 1
        self._net: dict[tuple[str, str], list[int]] = {}
        self._free: dict[tuple[str, str], list[int]] = {}
        self.hours: dict[tuple[str, str], list[float]] = {}
        self.lane_units: dict[tuple[str, str, str], list[int]] = {}
        self.orders_shipped: dict[str, list[int]] = {}
        self.shipping: set[tuple[str, str, int]] = set()
        self.purchases: dict[tuple[str, str, str, int], int] = {}
        self.productions: list[Production] = []
        self.transfers: list[Transfer] = []
        self._log: list[tuple[Any, ...]] = []
        self.version = 0
        """Names the state: a change gives a new number never used before; a rollback returns
        to the number of the state it restores (so memos of derived answers stay valid)."""
        self._numbers = 0
        self._versions: list[int] = []
        """The version before each log entry."""

    # --- stock -------------------------------------------------------------------------------
    def net(self, item: str, location: str) -> list[int]:
        key = (item, location)
        series = self._net.get(key)
        if series is None:
            series = [0] * self.days
            for day, quantity in self.problem.stock.get(key, ()):
                if day < self.days:
                    series[day] += quantity
            self._net[key] = series
        return series

    def free_from(self, item: str, location: str) -> list[int]:
        """For every day d, the units that can be taken on day d without any later day going
        below zero: the minimum of projected stock from d to the horizon."""
        key = (item, location)
        cached = self._free.get(key)
        if cached is None:
            projected = list(accumulate(self.net(item, location)))
            cached = list(accumulate(reversed(projected), min))[::-1]
            self._free[key] = cached
        return cached

    def free(self, item: str, location: str, day: int) -> int:
        return self.free_from(item, location)[day]

    def add(self, item: str, location: str, day: int, quantity: int) -> None:
        self.net(item, location)[day] += quantity
        before = self._free.pop((item, location), None)
        self._record(("net", (item, location), day, quantity, before))

    def take(self, item: str, location: str, day: int, quantity: int) -> None:
        self.add(item, location, day, -quantity)

    # --- resources ---------------------------------------------------------------------------
    def hours_used(self, resource: str, location: str) -> list[float]:
        return self.hours.setdefault((resource, location), [0.0] * self.days)

    def use_hours(self, resource: str, location: str, day: int, hours: float) -> None:
        self.hours_used(resource, location)[day] += hours
        self._record(("hours", (resource, location), day, hours))

    # --- lanes and shipping ------------------------------------------------------------------
    def can_ship(self, location: Location, day: int) -> bool:
        """planning.md, Time: open weekday, and not past the cutoff on day 0."""
        if day < 0 or day >= self.days:
            return False
        if location.closed >> self.problem.weekday(day) & 1:
            return False
        return not (day == 0 and self.problem.now_hour >= location.cutoff_hour)

    def lane_room(self, lane: DeliveryLane, day: int) -> int | None:
        if lane.capacity_per_day is None:
            return None
        used = self.lane_units.get((lane.location, lane.region, lane.mode))
        return lane.capacity_per_day - (used[day] if used else 0)

    def order_room(self, location: Location, order: str, day: int) -> bool:
        if location.orders_per_day is None or (order, location.id, day) in self.shipping:
            return True
        shipped = self.orders_shipped.get(location.id)
        return (shipped[day] if shipped else 0) < location.orders_per_day

    def ship(self, lane: DeliveryLane, order: str, day: int, quantity: int) -> None:
        key = (lane.location, lane.region, lane.mode)
        self.lane_units.setdefault(key, [0] * self.days)[day] += quantity
        self._record(("lane", key, day, quantity))
        if (order, lane.location, day) not in self.shipping:
            self.shipping.add((order, lane.location, day))
            self.orders_shipped.setdefault(lane.location, [0] * self.days)[day] += 1
            self._record(("order", lane.location, day, order))

    # --- plans -------------------------------------------------------------------------------
    def buy(self, row: tuple[str, str, str, int], quantity: int) -> None:
        self.purchases[row] = self.purchases.get(row, 0) + quantity
        self._record(("buy", row, quantity))

    def make(self, production: Production) -> None:
        self.productions.append(production)
        self._record(("make",))

    def move(self, transfer: Transfer) -> None:
        self.transfers.append(transfer)
        self._record(("move",))

    # --- undo --------------------------------------------------------------------------------
    def _record(self, entry: tuple[Any, ...]) -> None:
        self._versions.append(self.version)
        self._log.append(entry)
        self._numbers += 1
        self.version = self._numbers

    def settle(self) -> None:
        """Make every change so far final: forget how to undo it (no checkpoint taken before
        may be rolled back to afterwards). Keeps memory flat over a long run."""
        self._log.clear()
        self._versions.clear()

    def checkpoint(self) -> int:
        return len(self._log)

    def rollback(self, mark: int) -> None:
        if len(self._log) > mark:
            self.version = self._versions[mark]
            del self._versions[mark:]
        while len(self._log) > mark:
            entry = self._log.pop()
            kind = entry[0]
            if kind == "net":
                self._net[entry[1]][entry[2]] -= entry[3]
                if entry[4] is None:
                    self._free.pop(entry[1], None)
                else:
                    self._free[entry[1]] = entry[4]
            elif kind == "hours":
                self.hours[entry[1]][entry[2]] -= entry[3]
            elif kind == "lane":
                self.lane_units[entry[1]][entry[2]] -= entry[3]
            elif kind == "order":
                self.orders_shipped[entry[1]][entry[2]] -= 1
                self.shipping.discard((entry[3], entry[1], entry[2]))
            elif kind == "buy":
                left = self.purchases[entry[1]] - entry[2]
                if left:
                    self.purchases[entry[1]] = left
                else:
                    del self.purchases[entry[1]]
            elif kind == "make":
                self.productions.pop()
            else:
                self.transfers.pop()
