"""The sentences of the fast engine's reasons, written after the run from its rows and supply
nodes, word for word as the reference engine writes them (``engine.orders``)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from promiseplan.engine.fast.arrays import Array, Indexed
from promiseplan.engine.fast.book import OrderBook
from promiseplan.engine.fast.decide import (
    BEYOND_HORIZON,
    NO_LANE,
    NO_SOURCE,
    R_ARG,
    R_ARRIVAL,
    R_AVAILABLE,
    R_BASE,
    R_DELAYED,
    R_FAILED,
    R_KIND,
    R_LANE,
    R_LINE,
    R_NODE,
    R_ORDER,
    R_PROMISED,
    R_QTY,
    R_SHIP,
    R_WHY_SHIP,
    R_WRAP,
    REFUSE,
    TOO_LATE,
)
from promiseplan.engine.fast.state import (
    N_A,
    N_B,
    N_CODE,
    N_IL,
    N_KIND,
    N_MISSING,
    N_PARENT,
    N_READY,
    N_SOURCE,
    PURCHASE,
    STOCK,
    TRANSFER,
)
from promiseplan.model.problem import Problem

CODES = ("stock", "lead_time", "capacity", "material")


class Writer:
    def __init__(
        self, problem: Problem, book: OrderBook, indexed: Indexed, nodes: Array, values: Array
    ) -> None:
        self.problem = problem
        self.book = book
        self.ix = indexed
        self.nodes = nodes
        self.values = values
        self.kinds: list[int] = nodes[:, N_KIND].tolist()
        texts = [str(problem.date(day)) for day in range(problem.horizon + 1)]

        def text(day: int) -> str:
            return texts[day] if 0 <= day < len(texts) else str(problem.date(day))

        self.date: Callable[[int], str] = text
        parents = nodes[:, N_PARENT]
        self._by_parent = np.argsort(parents, kind="stable")
        self._parents = parents[self._by_parent]
        self.transfers = indexed.transfer_lanes
        self.operations = indexed.operations
        self.suppliers = indexed.suppliers
        self.lanes = indexed.delivery_lanes
        self._details: dict[int, str] = {}

    def children(self, k: int) -> list[int]:
        """The supplies node ``k`` used, in the order they were made."""
        low, high = np.searchsorted(self._parents, [k, k + 1])
        return [int(c) for c in self._by_parent[low:high]]

    def _item(self, il: int) -> str:
        return self.ix.items[il // len(self.ix.locations)]

    # --- supply details ----------------------------------------------------------------------
    def detail(self, k: int) -> str:
        text = self._details.get(k)
        if text is None:
            text = self._details[k] = self._detail(k)
        return text

    def _detail(self, k: int) -> str:
        node: list[int] = self.nodes[k].tolist()
        d = self.date
        kind, source, ready = node[N_KIND], node[N_SOURCE], node[N_READY]
        item = self._item(node[N_IL])
        missing = node[N_MISSING]
        if kind == PURCHASE:
            s = self.suppliers[source]
            if node[N_A] > 1:
                return (
                    f"supplier {s.id} delivers at most {s.capacity_per_day} {s.item} "
                    f"a day to {s.location}; the last lot arrives on {d(ready)}"
                )
            return (
                f"the purchase from {s.id} arrives at {s.location} on {d(ready)} "
                f"(lead time {s.lead_time} days)"
            )
        below = self.children(k)
        if kind == TRANSFER:
            lane = self.transfers[source]
            ship = node[N_A]
            text = (
                f"{missing} {item} come from {lane.source} by {lane.mode}, shipped "
                f"{d(ship)}, arriving {d(ship + lane.lead_time)} "
                f"(lead time {lane.lead_time} days)"
            )
            up = below[0]
            if self.kinds[up] != STOCK:
                text += f"; at {lane.source}: {self.detail(up)}"
            return text
        op = self.operations[source]
        hours = float(self.values[k, 1])
        made = (
            f"{missing} {op.item} are made at {op.location} on {op.resource} "
            f"({hours:g} hours, {d(node[N_A])} to {d(node[N_B])}), "
            f"ready on {d(ready)}"
        )
        waits = [c for c in below if self.kinds[c] != STOCK]
        if not waits:
            return made
        arrivals = "; ".join(
            f"{self._item(int(self.nodes[c, N_IL]))}: {self.detail(c)}" for c in waits
        )
        return f"{made} once components arrive ({arrivals})"

    # --- rows --------------------------------------------------------------------------------
    def explain(self, row: list[int], order: int, item: str) -> str:
        d = self.date
        lane = self.lanes[row[R_LANE]]
        trip = (
            f"ships {d(row[R_SHIP])} from {lane.location} by {lane.mode}, "
            f"arrives {d(row[R_ARRIVAL])}"
        )
        promised = row[R_PROMISED]
        requested = self.book.requested[order]
        if row[R_DELAYED] and (requested is None or promised > requested):
            limits = []
            if lane.capacity_per_day is not None:
                limits.append(
                    f"the {lane.mode} lane {lane.location} -> {lane.region} "
                    f"({lane.capacity_per_day} units a day)"
                )
            place = self.problem.locations[lane.location]
            if place.orders_per_day is not None:
                limits.append(f"{lane.location}'s {place.orders_per_day} orders a day")
            return (
                f"capacity: {' and '.join(limits) or 'shipping'} is full before "
                f"{d(row[R_WHY_SHIP])}; {trip}"
            )
        node = row[R_NODE]
        if self.kinds[node] == STOCK:
            available = row[R_AVAILABLE]
            if available > 0 and requested is not None and promised > requested:
                return f"stock: no {item} free at {lane.location} until {d(available)}; {trip}"
            return f"stock: {row[R_QTY]} {item} in stock at {lane.location}; {trip}"
        code = CODES[int(self.nodes[node, N_CODE])]
        return f"{code}: no {item} at {lane.location} until {self.detail(node)}; {trip}"

    def refusal(self, row: list[int], order: int, item: str) -> str:
        d = self.date
        base = row[R_BASE]
        arg = row[R_ARG]
        book = self.book
        requested = book.requested[order]
        modes = book.modes[order]
        region = book.regions[order]
        if base == TOO_LATE:
            assert requested is not None
            return (
                f"too_late: the earliest promise, {d(arg)}, is more than "
                f"{book.max_late[order]} days after the requested date {d(requested)}"
            )
        if base == NO_LANE:
            allowed = f" by {', '.join(sorted(modes))}" if modes else ""
            return f"no_source: no delivery lane reaches region {region}{allowed}"
        if base == BEYOND_HORIZON:
            return (
                f"beyond_horizon: {arg} {item} cannot reach region {region} by "
                f"{d(self.problem.horizon)} (the planning horizon)"
            )
        assert base == NO_SOURCE
        places = sorted(
            {
                lane.location
                for lane in self.problem.delivery_lanes.get(region, ())
                if modes is None or lane.mode in modes
            }
        )
        return (
            f"no_source: no {item} left at {', '.join(places)} and nothing can make, buy or "
            f"move more"
        )


def write_reasons(
    problem: Problem, book: OrderBook, indexed: Indexed, rows: Array, nodes: Array, values: Array
) -> list[str]:
    """The reason of every schedule row."""
    writer = Writer(problem, book, indexed, nodes, values)
    items, line_ids = book.line_items, book.line_ids
    reasons: list[str] = []
    own: dict[tuple[int, int], str] = {}
    binding = {
        (int(order), int(line))
        for order, line in rows[rows[:, R_WRAP] >= 0][:, [R_ORDER, R_WRAP]].tolist()
    }
    wrapped: list[int] = []
    for i, values in enumerate(rows):
        row = values.tolist()  # one row at a time: a list of every row would be large
        order = row[R_ORDER]
        line = row[R_LINE]
        item = items[line]
        if row[R_KIND] == REFUSE:
            failed = row[R_FAILED]
            if failed >= 0:
                text = writer.refusal(row, order, items[failed])
                if failed != line:
                    code, _, detail = text.partition(": ")
                    text = (
                        f"{code}: ships complete with line {line_ids[failed]} "
                        f"({items[failed]}), which cannot be confirmed: {detail}"
                    )
            else:
                text = writer.refusal(row, order, item)
        else:
            text = writer.explain(row, order, item)
            if (order, line) in binding:
                own[order, line] = text
            if row[R_WRAP] >= 0:
                wrapped.append(i)
        reasons.append(text)
    for i in wrapped:
        slowest = int(rows[i, R_WRAP])
        code, _, detail = own[int(rows[i, R_ORDER]), slowest].partition(": ")
        reasons[i] = (
            f"{code}: ships complete with line {line_ids[slowest]} ({items[slowest]}): {detail}"
        )
    return reasons
