"""Deciding one order: ship-complete or split lines, lateness limits, reasons
(planning.md, "Whole orders")."""

from __future__ import annotations

from dataclasses import dataclass

from promiseplan.engine.supply import Sourcing
from promiseplan.engine.ways import EARLIEST, Way, Ways
from promiseplan.model.problem import Order, OrderLine, Problem


@dataclass(frozen=True)
class ScheduleLine:
    order: str
    line: str
    item: str
    quantity: int
    status: str
    """on_time, late or unconfirmed."""
    promised: int | None
    ship: int | None
    ship_from: str
    mode: str
    reason: str
    arrival: int | None = None
    transit_cost: float = 0.0


class OrderPlanner:
    def __init__(self, problem: Problem, ways: Ways, sourcing: Sourcing) -> None:
        self.problem = problem
        self.ways = ways
        self.state = ways.state
        self.sourcing = sourcing

    def plan(self, order: Order) -> list[ScheduleLine]:
        lines = [li for li in order.lines if li.quantity > 0]
        if order.ship_complete:
            return self._complete(order, lines)
        rows: list[ScheduleLine] = []
        for line in lines:
            rows += self._split(order, line)
        return rows

    # --- ship complete -----------------------------------------------------------------------
    def _complete(self, order: Order, lines: list[OrderLine]) -> list[ScheduleLine]:
        mark = self.state.checkpoint()
        target = self._target(order)
        first: list[Way] = []
        for line in lines:
            way = self.ways.best(order, line.item, line.quantity, target)
            if way is None:
                self.state.rollback(mark)
                reason = self._no_way(order, line.item, line.quantity)
                return self._refuse(order, lines, line, reason)
            self.ways.commit(order, line.item, way)
            first.append(way)
        if not first:
            return []
        promised = max(w.arrival for w in first)
        if order.requested_day is not None:
            promised = max(promised, order.requested_day)
        if self._too_late(order, promised):
            self.state.rollback(mark)
            return self._refuse(order, lines, None, self._too_late_reason(order, promised))
        self.state.rollback(mark)
        second: list[Way] = []
        for line in lines:
            way = self.ways.best(order, line.item, line.quantity, promised)
            if way is None:  # the first pass found one; a sibling line took what it used
                self.state.rollback(mark)
                return self._refuse(
                    order, lines, line, self._no_way(order, line.item, line.quantity)
                )
            self.ways.commit(order, line.item, way)
            second.append(way)
        final = max(promised, max(w.arrival for w in second))
        if self._too_late(order, final):
            self.state.rollback(mark)
            return self._refuse(order, lines, None, self._too_late_reason(order, final))
        # Why the date is what it is comes from the first pass; the trip from the second.
        slowest = max(range(len(second)), key=lambda i: (first[i].arrival, -i))
        binding = self._explain(lines[slowest].item, second[slowest], final, order, first[slowest])
        rows = []
        for i, (line, way) in enumerate(zip(lines, second, strict=True)):
            reason = self._explain(line.item, way, final, order, first[i])
            if i != slowest and len(lines) > 1 and first[i].arrival < final:
                code, _, detail = binding.partition(": ")
                reason = (
                    f"{code}: ships complete with line {lines[slowest].line} "
                    f"({lines[slowest].item}): {detail}"
                )
            rows.append(self._row(order, line, way, final, reason))
        return rows

    def _refuse(
        self, order: Order, lines: list[OrderLine], failed: OrderLine | None, reason: str
    ) -> list[ScheduleLine]:
        rows = []
        for line in lines:
            text = reason
            if failed is not None and line is not failed:
                code, _, detail = reason.partition(": ")
                text = f"{code}: ships complete with line {failed.line} ({failed.item}), which cannot be confirmed: {detail}"
            rows.append(
                ScheduleLine(
                    order.id,
                    line.line,
                    line.item,
                    line.quantity,
                    "unconfirmed",
                    None,
                    None,
                    "",
                    "",
                    text,
                )
            )
        return rows

    # --- split lines -------------------------------------------------------------------------
    def _split(self, order: Order, line: OrderLine) -> list[ScheduleLine]:
        rows: list[ScheduleLine] = []
        left = self._fill(order, line, line.quantity, self._target(order), rows)
        while left > 0:
            ways = [
                w
                for lane in self.ways.lanes(order)
                if (w := self.ways.evaluate(order, line.item, 1, lane, EARLIEST)) is not None
            ]
            if not ways:
                reason = self._no_way(order, line.item, left)
                break
            date = min(w.arrival for w in ways)
            promised = date if order.requested_day is None else max(date, order.requested_day)
            if self._too_late(order, promised):
                reason = self._too_late_reason(order, promised)
                break
            taken = left - self._fill(order, line, left, date, rows)
            if taken == 0:
                reason = self._no_way(order, line.item, left)
                break
            left -= taken
        if left > 0:
            rows.append(
                ScheduleLine(
                    order.id, line.line, line.item, left, "unconfirmed", None, None, "", "", reason
                )
            )
        return rows

    def _fill(
        self, order: Order, line: OrderLine, left: int, target: int, rows: list[ScheduleLine]
    ) -> int:
        """Cheapest ways first, each carrying as much as arrives by ``target``; returns what is left."""
        while left > 0:
            ways = [
                w
                for lane in self.ways.lanes(order)
                if (w := self.ways.most_by(order, line.item, left, lane, target)) is not None
            ]
            if not ways:
                break
            way = min(ways, key=Way.cheapest_key)
            self.ways.commit(order, line.item, way)
            promised = (
                way.arrival
                if order.requested_day is None
                else max(way.arrival, order.requested_day)
            )
            rows.append(
                self._row(
                    order, line, way, promised, self._explain(line.item, way, promised, order)
                )
            )
            left -= way.quantity
        return left

    # --- helpers -----------------------------------------------------------------------------
    def _target(self, order: Order) -> int:
        return 0 if order.requested_day is None else order.requested_day

    def _too_late(self, order: Order, promised: int) -> bool:
        if order.requested_day is None or order.max_lateness_days is None:
            return False
        return promised > order.requested_day + order.max_lateness_days

    def _too_late_reason(self, order: Order, promised: int) -> str:
        assert order.requested_day is not None and order.max_lateness_days is not None
        return (
            f"too_late: the earliest promise, {self.problem.date(promised)}, is more than "
            f"{order.max_lateness_days} days after the requested date "
            f"{self.problem.date(order.requested_day)}"
        )

    def _row(
        self, order: Order, line: OrderLine, way: Way, promised: int, reason: str
    ) -> ScheduleLine:
        late = order.requested_day is not None and promised > order.requested_day
        return ScheduleLine(
            order.id,
            line.line,
            line.item,
            way.quantity,
            "late" if late else "on_time",
            promised,
            way.ship,
            way.lane.location,
            way.lane.mode,
            reason,
            way.arrival,
            way.quantity * way.lane.cost_per_unit,
        )

    def _explain(
        self, item: str, way: Way, promised: int, order: Order, why: Way | None = None
    ) -> str:
        date = self.problem.date
        lane = way.lane
        trip = f"ships {date(way.ship)} from {lane.location} by {lane.mode}, arrives {date(way.arrival)}"
        if why is not None and why.lane == way.lane:
            way = why
        supply = way.supply
        binding = order.requested_day is None or promised > order.requested_day
        if way.delayed_by_capacity and binding:
            limits = []
            if lane.capacity_per_day is not None:
                limits.append(
                    f"the {lane.mode} lane {lane.location} -> {lane.region} ({lane.capacity_per_day} units a day)"
                )
            place = self.problem.locations[lane.location]
            if place.orders_per_day is not None:
                limits.append(f"{lane.location}'s {place.orders_per_day} orders a day")
            return f"capacity: {' and '.join(limits) or 'shipping'} is full before {date(way.ship)}; {trip}"

        if supply is None or supply.source is None:
            if (
                way.available > 0
                and order.requested_day is not None
                and promised > order.requested_day
            ):
                return (
                    f"stock: no {item} free at {lane.location} until {date(way.available)}; {trip}"
                )
            return f"stock: {way.quantity} {item} in stock at {lane.location}; {trip}"
        return f"{supply.code}: no {item} at {lane.location} until {supply.detail}; {trip}"

    def _no_way(self, order: Order, item: str, quantity: int) -> str:
        lanes = self.ways.lanes(order)
        if not lanes:
            modes = f" by {', '.join(sorted(order.modes))}" if order.modes else ""
            return f"no_source: no delivery lane reaches region {order.region}{modes}"
        last = self.problem.horizon
        places = sorted({lane.location for lane in lanes})
        if any(
            self.state.free(item, p, last) >= quantity or self.sourcing.could_ever_supply(item, p)
            for p in places
        ):
            return (
                f"beyond_horizon: {quantity} {item} cannot reach region {order.region} by "
                f"{self.problem.date(last)} (the planning horizon)"
            )
        return (
            f"no_source: no {item} left at {', '.join(places)} and nothing can make, buy or "
            f"move more"
        )
