"""Choosing a way for a line: a ship-from location, a delivery lane, and the supply behind it
(planning.md, "Choosing a way for a line")."""

from __future__ import annotations

from dataclasses import dataclass

from promiseplan.engine.state import State
from promiseplan.engine.supply import Sourcing, Supply
from promiseplan.model.problem import DeliveryLane, Order, Problem

EARLIEST = -(10**9)
"""A target no way can meet: ask for the earliest way."""


@dataclass
class Way:
    lane: DeliveryLane
    quantity: int
    ship: int
    arrival: int
    cost: float
    """Per unit: delivery lane plus the supply's transfer lanes and purchases."""
    available: int
    """The earliest day the units could be at the ship-from location."""
    supply: Supply | None = None
    delayed_by_capacity: bool = False
    """Lane capacity or the location's orders a day keep the earliest ship day back."""
    early: bool = False
    """Not planned for a date it can meet: supply is timed as early as possible."""

    def cheapest_key(self) -> tuple[float, int, str, str]:
        return (round(self.cost, 9), self.arrival, self.lane.location, self.lane.mode)

    def earliest_key(self) -> tuple[int, float, str, str]:
        return (self.arrival, round(self.cost, 9), self.lane.location, self.lane.mode)


class Ways:
    def __init__(self, problem: Problem, state: State, sourcing: Sourcing) -> None:
        self.problem = problem
        self.state = state
        self.sourcing = sourcing

    def lanes(self, order: Order) -> list[DeliveryLane]:
        return [
            lane
            for lane in self.problem.delivery_lanes.get(order.region, ())
            if order.modes is None or lane.mode in order.modes
        ]

    def evaluate(
        self, order: Order, item: str, quantity: int, lane: DeliveryLane, target: int
    ) -> Way | None:
        """The way over ``lane`` for ``quantity`` units: just in time for ``target`` when it can
        arrive by then, else as early as it can. Its cost is measured by a tentative commit."""
        available = self.sourcing.earliest(item, lane.location, quantity, frozenset())
        if available is None:
            return None
        while True:
            ship = self._ship_day(order, lane, quantity, available, target)
            if ship is None:
                return None
            early = ship + lane.transit_days > target
            mark = self.state.checkpoint()
            supply = self.sourcing.supply(item, lane.location, quantity, ship, frozenset(), early)
            self.state.rollback(mark)
            if supply is not None:
                break
            # the estimate of ``earliest`` was optimistic (resources shared along the chain)
            available = ship + 1
        cost = (lane.cost_per_unit * quantity + supply.cost) / quantity
        first_free = self._ship_day(order, lane, quantity, available, EARLIEST, capacity=False)
        first = self._ship_day(order, lane, quantity, available, EARLIEST)
        return Way(
            lane,
            quantity,
            ship,
            ship + lane.transit_days,
            cost,
            available,
            supply,
            delayed_by_capacity=first_free is not None and first is not None and first_free < first,
            early=early,
        )

    def _ship_day(
        self,
        order: Order,
        lane: DeliveryLane,
        quantity: int,
        available: int,
        target: int,
        capacity: bool = True,
    ) -> int | None:
        place = self.problem.locations[lane.location]
        last = self.problem.horizon - lane.transit_days

        def fits(day: int) -> bool:
            if not self.state.can_ship(place, day):
                return False
            if not capacity:
                return True
            room = self.state.lane_room(lane, day)
            return (room is None or room >= quantity) and self.state.order_room(
                place, order.id, day
            )

        for day in range(min(target - lane.transit_days, last), available - 1, -1):
            if fits(day):
                return day
        for day in range(max(available, 0), last + 1):
            if fits(day):
                return day
        return None

    def best(self, order: Order, item: str, quantity: int, target: int) -> Way | None:
        ways = [
            w
            for lane in self.lanes(order)
            if (w := self.evaluate(order, item, quantity, lane, target)) is not None
        ]
        on_time = [w for w in ways if w.arrival <= target]
        if on_time:
            return min(on_time, key=Way.cheapest_key)
        return min(ways, key=Way.earliest_key) if ways else None

    def most_by(
        self, order: Order, item: str, limit: int, lane: DeliveryLane, target: int
    ) -> Way | None:
        """The way over ``lane`` carrying the most units (up to ``limit``) that arrive by
        ``target``."""
        whole = self.evaluate(order, item, limit, lane, target)
        if whole is not None and whole.arrival <= target:
            return whole
        best: Way | None = None
        low, high = 1, limit - 1
        while low <= high:
            middle = (low + high) // 2
            if not self._could_arrive_by(item, middle, lane, target):
                high = middle - 1
                continue
            way = self.evaluate(order, item, middle, lane, target)
            if way is not None and way.arrival <= target:
                best, low = way, middle + 1
            else:
                high = middle - 1
        return best

    def _could_arrive_by(self, item: str, quantity: int, lane: DeliveryLane, target: int) -> bool:
        """False when ``evaluate`` could only find a way arriving after ``target``: the units
        cannot be at the ship-from location by the last ship day that meets it (a memoised
        answer, where ``evaluate`` would also try the supply)."""
        available = self.sourcing.earliest(item, lane.location, quantity, frozenset())
        last_ship = min(target - lane.transit_days, self.problem.horizon - lane.transit_days)
        return available is not None and available <= last_ship

    def commit(self, order: Order, item: str, way: Way) -> Supply:
        """Reserve the way's stock, supply, lane capacity and the location's order count."""
        supply = self.sourcing.supply(
            item, way.lane.location, way.quantity, way.ship, frozenset(), way.early
        )
        if supply is None:  # evaluate() just showed it can be done on an unchanged state
            raise RuntimeError(
                f"order {order.id}: the way over {way.lane} can no longer be supplied"
            )
        self.state.take(item, way.lane.location, way.ship, way.quantity)
        self.state.ship(way.lane, order.id, way.ship, way.quantity)
        way.supply = supply
        return supply
