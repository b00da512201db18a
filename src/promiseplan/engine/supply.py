"""Getting units of an item to a location by a day (planning.md, "Where supply comes from").

Within a location, what is there is used first (on hand, receipts, units earlier decisions
bought or made beyond their need); all the missing units then come from the one source that
makes them available earliest among transfer, production and purchase.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from promiseplan.engine.state import EPS, Production, State, Transfer
from promiseplan.model.problem import Operation, Problem, Supplier, TransferLane

Visited = frozenset[tuple[str, str]]
"""(item, location) pairs already on the chain of supply: a chain never visits one twice."""

_MEMO_SIZE = 500_000
_RANK = {"transfer": 0, "production": 1, "purchase": 2}


@dataclass(frozen=True)
class Source:
    kind: str
    """transfer, production or purchase."""
    available: int
    """Earliest day all the missing units can be at the location."""
    cost: float
    """Cost per unit (transfer lane, purchase price)."""
    preference: int
    name: str
    lane: TransferLane | None = None
    operation: Operation | None = None
    supplier: Supplier | None = None

    def sort_key(self) -> tuple[int, int, float, int, str]:
        return (self.available, _RANK[self.kind], round(self.cost, 9), self.preference, self.name)


@dataclass
class Supply:
    """How ``quantity`` units were made available at a location: from stock and one source."""

    item: str
    location: str
    quantity: int
    from_stock: int
    source: Source | None = None
    ready: int = 0
    """The day the last of the source's units is there."""
    cost: float = 0.0
    """Total cost of the source's units (transfer lanes and purchases, down the chain)."""
    code: str = "stock"
    upstream: list[Supply] = field(default_factory=list)
    describe: Callable[[], str] | None = None
    """Writes ``detail``: most supplies are tentative and rolled back, never read out."""

    @property
    def detail(self) -> str:
        """What the binding source does, in words (for the reason)."""
        return "" if self.describe is None else self.describe()


def component_quantity(units: int, quantity_per: float) -> int:
    return math.ceil(units * quantity_per - EPS)


class Sourcing:
    def __init__(self, problem: Problem, state: State) -> None:
        self.problem = problem
        self.state = state
        self.last = problem.horizon
        self._memo: dict[tuple[int, str, str, int, Visited], int | None] = {}
        self._sources_memo: dict[tuple[int, str, str, int, Visited], list[Source]] = {}
        self._next_ship: dict[str, list[int | None]] = {}

    def forget(self) -> None:
        """Drop the memos. Between two orders of a run their entries are for versions of the
        state that do not come back: a decided order changed it for good (a rollback returns
        only to a version within the order being decided)."""
        self._memo.clear()
        self._sources_memo.clear()

    # --- when --------------------------------------------------------------------------------
    def earliest(self, item: str, location: str, quantity: int, visited: Visited) -> int | None:
        """The earliest day ``quantity`` units can be free at ``location``, or None."""
        if quantity <= 0:
            return 0
        key = (self.state.version, item, location, quantity, visited)
        if key not in self._memo:
            if len(self._memo) > _MEMO_SIZE:
                self._memo.clear()
            self._memo[key] = self._earliest(item, location, quantity, visited)
        return self._memo[key]

    def _earliest(self, item: str, location: str, quantity: int, visited: Visited) -> int | None:
        free = self.state.free_from(item, location)
        start = 0
        while start <= self.last:
            end = bisect_right(free, free[start], lo=start) - 1  # free never decreases
            if free[start] >= quantity:
                return start
            options = self.sources(item, location, quantity - max(free[start], 0), visited)
            if options and options[0].available <= end:
                return max(start, options[0].available)
            start = end + 1
        return None

    def sources(self, item: str, location: str, missing: int, visited: Visited) -> list[Source]:
        """Every source that can bring ``missing`` units, earliest (then the tie rules) first."""
        key = (self.state.version, item, location, missing, visited)
        found = self._sources_memo.get(key)
        if found is None:
            if len(self._sources_memo) > _MEMO_SIZE:
                self._sources_memo.clear()
            found = self._sources_memo[key] = self._sources(item, location, missing, visited)
        return found

    def _sources(self, item: str, location: str, missing: int, visited: Visited) -> list[Source]:
        inner = visited | {(item, location)}
        found: list[Source] = []
        for lane in self.problem.transfers_into.get(location, ()):
            if (item, lane.source) in inner:
                continue
            there = self.earliest(item, lane.source, missing, inner)
            if there is None:
                continue
            ship = self.next_ship_day(lane.source, there)
            if ship is not None and ship + lane.lead_time <= self.last:
                found.append(
                    Source(
                        "transfer",
                        ship + lane.lead_time,
                        lane.cost_per_unit,
                        0,
                        f"{lane.source}/{lane.mode}",
                        lane=lane,
                    )
                )
        for op in self.problem.operations.get((item, location), ()):
            ready = self._earliest_production(op, missing, inner)
            if ready is not None:
                found.append(
                    Source("production", ready, 0.0, op.priority, op.resource, operation=op)
                )
        for supplier in self.problem.suppliers.get((item, location), ()):
            days = self._purchase_days(supplier, missing, latest=None)
            if days is not None:
                arrival = max(days) + supplier.lead_time
                if arrival <= self.last:
                    found.append(
                        Source(
                            "purchase",
                            arrival,
                            supplier.unit_price,
                            supplier.priority,
                            supplier.id,
                            supplier=supplier,
                        )
                    )
        found.sort(key=Source.sort_key)
        return found

    def next_ship_day(self, location: str, day: int) -> int | None:
        """The first day from ``day`` on that ``location`` ships (calendar and cutoff only)."""
        following = self._next_ship.get(location)
        if following is None:
            place = self.problem.locations[location]
            following = [None] * (self.last + 2)
            for d in range(self.last, -1, -1):
                following[d] = d if self.state.can_ship(place, d) else following[d + 1]
            self._next_ship[location] = following
        return following[max(day, 0)] if day <= self.last else None

    def _components_ready(self, op: Operation, quantity: int, visited: Visited) -> int | None:
        """The earliest day all components for ``quantity`` units are at the location."""
        start = 0
        for component, per in op.components:
            day = self.earliest(component, op.location, component_quantity(quantity, per), visited)
            if day is None:
                return None
            start = max(start, day)
        return start

    def _earliest_production(self, op: Operation, quantity: int, visited: Visited) -> int | None:
        start = self._components_ready(op, quantity, visited)
        if start is None:
            return None
        days = self._pack(op, quantity * op.hours_per_unit, range(start, self.last + 1))
        if days is None:
            return None
        ready = (days[-1][0] if days else start) + op.lead_time
        return ready if ready <= self.last else None

    def _pack(self, op: Operation, hours: float, days: range) -> list[tuple[int, float]] | None:
        """Take ``hours`` from the resource's open days in the order given; None if they run out."""
        resource = self.problem.resources[op.resource, op.location]
        used = self.state.hours_used(op.resource, op.location)
        taken: list[tuple[int, float]] = []
        left = hours
        for d in days:
            if left <= EPS:
                break
            if resource.closed >> self.problem.weekday(d) & 1:
                continue
            room = resource.hours_per_day - used[d]
            if room > EPS:
                part = min(room, left)
                taken.append((d, part))
                left -= part
        return taken if left <= EPS else None

    def _purchase_days(
        self, supplier: Supplier, missing: int, latest: int | None
    ) -> dict[int, int] | None:
        """Quantities per order day for ``missing`` units: forward from day 0 (``latest`` None)
        or backward from ``latest`` (just in time), in lots, within capacity."""
        limit = self.last - supplier.lead_time
        if limit < 0 or (latest is not None and latest < 0):
            return None
        days = range(0, limit + 1) if latest is None else range(min(latest, limit), -1, -1)
        plan: dict[int, int] = {}
        left = missing
        lot = supplier.lot_multiple
        for o in days:
            if left <= 0:
                break
            row = self.state.purchases.get((supplier.id, supplier.item, supplier.location, o), 0)
            want = math.ceil(left / lot) * lot
            if row == 0:
                want = math.ceil(max(left, supplier.min_quantity) / lot) * lot
            if supplier.capacity_per_day is not None:
                room = (supplier.capacity_per_day - row) // lot * lot
                if want > room:
                    want = room
                    if row == 0 and want < supplier.min_quantity:
                        want = 0
            if want > 0:
                plan[o] = want
                left -= want
        return plan if left <= 0 else None

    # --- commit ------------------------------------------------------------------------------
    def supply(
        self,
        item: str,
        location: str,
        quantity: int,
        day: int,
        visited: Visited,
        early: bool = False,
    ) -> Supply | None:
        """Make ``quantity`` units free at ``location`` on ``day`` (the caller takes them),
        timing new supply just in time, or as early as possible when ``early`` (a line not
        planned for a date it can meet). None when that cannot be done; then the caller rolls
        back."""
        on_hand = max(self.state.free(item, location, day), 0) if 0 <= day <= self.last else 0
        if on_hand >= quantity:
            return Supply(item, location, quantity, quantity)
        missing = quantity - on_hand
        options = [s for s in self.sources(item, location, missing, visited) if s.available <= day]
        if not options:
            return None
        inner = visited | {(item, location)}
        for source in options:
            mark = self.state.checkpoint()
            result = Supply(item, location, quantity, on_hand, source)
            if source.kind == "purchase":
                ok = self._buy(source, missing, day, result, early)
            elif source.kind == "transfer":
                ok = self._transfer(source, missing, day, inner, result, early)
            else:
                ok = self._make(source, missing, day, inner, result, early)
            if ok:
                return result
            self.state.rollback(mark)
        return None

    def _buy(self, source: Source, missing: int, day: int, result: Supply, early: bool) -> bool:
        supplier = source.supplier
        assert supplier is not None
        latest = day - supplier.lead_time
        plan = self._purchase_days(supplier, missing, latest=None if early else latest)
        if plan is None or max(plan) > latest:
            return False
        for o, quantity in sorted(plan.items()):
            self.state.buy((supplier.id, supplier.item, supplier.location, o), quantity)
            self.state.add(supplier.item, supplier.location, o + supplier.lead_time, quantity)
        result.ready = max(plan) + supplier.lead_time
        result.cost = missing * supplier.unit_price
        arrive = result.ready
        if len(plan) > 1:
            result.code = "capacity"
            result.describe = lambda: (
                f"supplier {supplier.id} delivers at most {supplier.capacity_per_day} {supplier.item} "
                f"a day to {supplier.location}; the last lot arrives on {self.problem.date(arrive)}"
            )
        else:
            result.code = "lead_time"
            result.describe = lambda: (
                f"the purchase from {supplier.id} arrives at {supplier.location} on "
                f"{self.problem.date(arrive)} (lead time {supplier.lead_time} days)"
            )
        return True

    def _transfer(
        self,
        source: Source,
        missing: int,
        day: int,
        visited: Visited,
        result: Supply,
        early: bool,
    ) -> bool:
        lane = source.lane
        assert lane is not None
        if early:
            there = self.earliest(result.item, lane.source, missing, visited)
            first = None if there is None else self.next_ship_day(lane.source, there)
            if first is None or first + lane.lead_time > day:
                return False
            ship = first
        else:
            place = self.problem.locations[lane.source]
            ship = day - lane.lead_time
            while ship >= 0 and not self.state.can_ship(place, ship):
                ship -= 1
            if ship < 0:
                return False
        upstream = self.supply(result.item, lane.source, missing, ship, visited, early)
        if upstream is None:
            return False
        self.state.take(result.item, lane.source, ship, missing)
        self.state.add(result.item, lane.destination, ship + lane.lead_time, missing)
        self.state.move(
            Transfer(
                result.item,
                lane.source,
                lane.destination,
                lane.mode,
                missing,
                ship,
                ship + lane.lead_time,
            )
        )
        result.ready = ship + lane.lead_time
        result.cost = missing * lane.cost_per_unit + upstream.cost
        result.upstream = [upstream]
        result.code = upstream.code if upstream.source is not None else "lead_time"
        item = result.item

        def describe() -> str:
            text = (
                f"{missing} {item} come from {lane.source} by {lane.mode}, shipped "
                f"{self.problem.date(ship)}, arriving {self.problem.date(ship + lane.lead_time)} "
                f"(lead time {lane.lead_time} days)"
            )
            if upstream.source is not None:
                text += f"; at {lane.source}: {upstream.detail}"
            return text

        result.describe = describe
        return True

    def _make(
        self,
        source: Source,
        missing: int,
        day: int,
        visited: Visited,
        result: Supply,
        early: bool,
    ) -> bool:
        op = source.operation
        assert op is not None
        last = day - op.lead_time
        if last < 0:
            return False
        hours = missing * op.hours_per_unit
        first = self._components_ready(op, missing, visited) if early else 0
        if first is None or first > last:
            return False
        if hours <= EPS:
            taken: list[tuple[int, float]] = []
            start = end = first if early else last
        else:
            days = range(first, last + 1) if early else range(last, -1, -1)
            packed = self._pack(op, hours, days)
            if packed is None:
                return False
            taken = sorted(packed)
            start, end = taken[0][0], taken[-1][0]
        for d, h in taken:
            self.state.use_hours(op.resource, op.location, d, h)
        waits: list[tuple[str, Supply]] = []
        cost = 0.0
        for component, per in op.components:
            need = component_quantity(missing, per)
            upstream = self.supply(component, op.location, need, start, visited, early)
            if upstream is None:
                return False
            self.state.take(component, op.location, start, need)
            cost += upstream.cost
            result.upstream.append(upstream)
            if upstream.source is not None:
                waits.append((component, upstream))
        ready = end + op.lead_time
        self.state.add(op.item, op.location, ready, missing)
        self.state.make(
            Production(
                op.item, op.location, op.resource, missing, start, ready, hours, tuple(taken)
            )
        )
        result.ready = ready
        result.cost = cost

        def describe() -> str:
            made = (
                f"{missing} {op.item} are made at {op.location} on {op.resource} "
                f"({hours:g} hours, {self.problem.date(start)} to {self.problem.date(end)}), "
                f"ready on {self.problem.date(ready)}"
            )
            if not waits:
                return made
            arrivals = "; ".join(f"{component}: {up.detail}" for component, up in waits)
            return f"{made} once components arrive ({arrivals})"

        result.describe = describe
        if waits:
            result.code = "material"
        elif len(taken) > 1 or any(
            self.state.hours_used(op.resource, op.location)[d] - h > EPS for d, h in taken
        ):
            result.code = "capacity"
        else:
            result.code = "lead_time"
        return True

    # --- structure ---------------------------------------------------------------------------
    def could_ever_supply(self, item: str, location: str, visited: Visited = frozenset()) -> bool:
        """Whether some source could bring more of ``item`` to ``location`` given time
        (used to tell ``beyond_horizon`` from ``no_source``)."""
        if self.problem.suppliers.get((item, location)):
            return True
        inner = visited | {(item, location)}
        for op in self.problem.operations.get((item, location), ()):
            if all(
                self.state.free(c, location, self.last) > 0
                or self.could_ever_supply(c, location, inner)
                for c, _ in op.components
                if (c, location) not in inner
            ):
                return True
        for lane in self.problem.transfers_into.get(location, ()):
            if (item, lane.source) in inner:
                continue
            if self.state.free(item, lane.source, self.last) > 0 or self.could_ever_supply(
                item, lane.source, inner
            ):
                return True
        return False
