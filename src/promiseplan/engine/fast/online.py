"""Online promises with the fast engine: the state after every open order, and one more order
decided on it and taken back (``engine.reference.Run`` does the same in Python)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from promiseplan.engine.fast import assemble, chunked
from promiseplan.engine.fast.arrays import Array, index_problem
from promiseplan.engine.fast.book import OrderBook, days, texts
from promiseplan.engine.fast.decide import (
    R_ARRIVAL,
    R_LANE,
    R_LINE,
    R_PROMISED,
    R_QTY,
    R_SHIP,
    R_STATUS,
    ROW_FIELDS,
    UNCONFIRMED,
    decide_orders,
    promise_one,
)
from promiseplan.engine.fast.reasons import Reasons
from promiseplan.engine.fast.state import (
    NODES,
    UNITS,
    UNITS_PEAK,
    new_state,
    reference,
    within_rows,
)
from promiseplan.engine.fast.tables import LINE_STATUS
from promiseplan.engine.orders import ScheduleLine
from promiseplan.engine.plan import Plan
from promiseplan.model.problem import Order, Problem

Progress = Callable[[int, int], None]
MAX_LINES = 1000
"""Lines of an order asked about."""


class FastRun:
    """Every order of ``book`` decided on ``network``; then ``promise`` answers what one more
    order would get, leaving the state as it was."""

    def __init__(self, network: Problem, book: OrderBook, progress: Progress | None = None) -> None:
        self.network = network
        self.decided = len(book)
        self._decided_book = book
        self.book = _with_spare_order(book)
        self.indexed = index_problem(network, self.book)
        self._progress = progress
        if within_rows(lambda: self.state, lambda: self._decide(wide=False)) is None:
            self._decide(wide=True)
        ix = self.indexed
        self._regions = {name: i for i, name in enumerate(ix.regions)}
        self._modes = {name: i for i, name in enumerate(ix.modes)}
        self._items = {name: i for i, name in enumerate(ix.items)}
        self._reasons = Reasons(network, self.book, self.indexed)
        self._rows = np.zeros((self.state.options.shape[0], ROW_FIELDS), dtype=np.int64)
        self._cost = np.zeros(self.state.options.shape[0])
        # the spare order has no quantities yet: deciding it changes nothing, and loads (on a
        # machine without the cache, compiles) the code the first question would wait for
        promise_one(self.indexed.ref, self._ref, self.decided, self._rows, self._cost)

    def _decide(self, wide: bool) -> list[tuple[Array, ...]]:
        """Decide the book's orders on a new state (with 64-bit rows of stock if ``wide``);
        what each call into the compiled code returned."""
        ix = self.indexed
        self.state = new_state(ix.arrays, ix.item_locations, ix.arrivals, wide=wide)
        self._ref = reference(self.state)
        self._parts: list[tuple[Array, ...]] = []
        for first, stop in chunked(self.decided):  # the calls of a batch run, in one thread
            self._parts.append(decide_orders(ix.ref, self._ref, first, stop))
            if self._progress is not None:
                self._progress(stop, self.decided)
        return self._parts

    def plan(self) -> Plan:
        """The plan of the decided orders, as the state now has it."""
        return assemble(
            self.network,
            self._decided_book,
            self.indexed,
            self.state.purchases,
            self.state.hours,
            list(self._parts),
        )

    def promise(self, order: Order) -> list[ScheduleLine]:
        """The schedule lines ``order`` would get if it were decided now."""
        if len(order.lines) > MAX_LINES:
            raise ValueError(f"an order asked about may have at most {MAX_LINES} lines")
        self._place(order)

        def ask() -> int:
            return promise_one(self.indexed.ref, self._ref, self.decided, self._rows, self._cost)

        count = within_rows(lambda: self.state, ask)
        if count is None:  # the question moved too many units for 32-bit rows
            self._decide(wide=True)
            count = ask()
        # the state is as before the question: its numbers are those that fitted before
        self.state.counts[UNITS_PEAK] = self.state.counts[UNITS]
        rows = self._rows[:count]
        nodes = self.state.nodes[: self.state.counts[NODES]]
        values = self.state.node_values[: self.state.counts[NODES]]
        reasons = self._reasons.sentences(rows, nodes, values)
        lanes = self.indexed.delivery_lanes
        first_line = int(self.book.line_ptr[self.decided])
        out = []
        for row, cost, reason in zip(
            rows.tolist(), self._cost[:count].tolist(), reasons, strict=True
        ):
            line = order.lines[row[R_LINE] - first_line]
            lane = lanes[row[R_LANE]] if row[R_STATUS] != UNCONFIRMED else None
            out.append(
                ScheduleLine(
                    order.id,
                    line.line,
                    line.item,
                    row[R_QTY],
                    LINE_STATUS[row[R_STATUS]],
                    None if lane is None else row[R_PROMISED],
                    None if lane is None else row[R_SHIP],
                    "" if lane is None else lane.location,
                    "" if lane is None else lane.mode,
                    reason,
                    None if lane is None else row[R_ARRIVAL],
                    cost,
                )
            )
        return out

    def _place(self, order: Order) -> None:
        """Write ``order`` into the spare order's place in the arrays and the book."""
        a, book, ix, k = self.indexed.arrays, self.book, self.indexed, self.decided
        regions, modes, items = self._regions, self._modes, self._items
        a.or_region[k] = regions.get(order.region, len(ix.regions))
        a.or_has_requested[k] = order.requested_day is not None
        a.or_requested[k] = 0 if order.requested_day is None else order.requested_day
        a.or_complete[k] = order.ship_complete
        a.or_max_late[k] = -1 if order.max_lateness_days is None else order.max_lateness_days
        mask = -1
        if order.modes is not None:
            mask = 0
            for mode in order.modes:
                if mode in modes:
                    mask |= 1 << modes[mode]
        a.or_modes[k] = mask
        first = int(book.line_ptr[k])
        a.or_line_ptr[k + 1] = first + len(order.lines)
        for i, line in enumerate(order.lines):
            a.ln_item[first + i] = items[line.item]
            a.ln_quantity[first + i] = line.quantity
            book.line_items[first + i] = line.item
            book.line_ids[first + i] = line.line
        book.ids[k], book.customers[k], book.regions[k] = order.id, order.customer, order.region
        book.requested[k], book.max_late[k] = order.requested_day, order.max_lateness_days
        book.modes[k] = order.modes


def _with_spare_order(book: OrderBook) -> OrderBook:
    """``book`` and room for one more order of up to MAX_LINES lines."""
    end = int(book.line_ptr[-1])
    return OrderBook(
        ids=texts([*book.ids, ""]),
        customers=texts([*book.customers, ""]),
        regions=texts([*book.regions, ""]),
        requested=days([*book.requested, None]),
        max_late=days([*book.max_late, None]),
        modes=[*book.modes, None],
        complete=np.append(book.complete, 1).astype(np.int64),
        line_ptr=np.append(book.line_ptr, end + MAX_LINES).astype(np.int64),
        line_ids=texts([*book.line_ids, *[""] * MAX_LINES]),
        line_items=texts([*book.line_items, *[""] * MAX_LINES]),
        line_quantity=np.append(book.line_quantity, np.zeros(MAX_LINES, dtype=np.int64)),
    )
