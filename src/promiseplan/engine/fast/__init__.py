"""The fast engine: the rules of the reference engine on numpy arrays, compiled with numba.

Same decisions, plans and reasons as ``engine.reference`` (tests compare the two on many
datasets); the search for supply runs on explicit stacks because numba cannot cache recursive
functions.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from promiseplan.engine.fast.arrays import Array, Indexed, index_network, index_orders, item_names
from promiseplan.engine.fast.availability import stock_zeros
from promiseplan.engine.fast.book import OrderBook, book_of
from promiseplan.engine.fast.decide import decide_orders
from promiseplan.engine.fast.plans import SupplyPlans
from promiseplan.engine.fast.reasons import Reasons
from promiseplan.engine.fast.state import new_state, reference, within_rows
from promiseplan.engine.fast.tables import Schedule
from promiseplan.engine.plan import Plan
from promiseplan.model.problem import Problem

Progress = Callable[[int, int], None]
CHUNK = 2000
"""Fewest orders decided per call into the compiled code (progress is reported between calls)."""
CHUNKS = 64
"""Calls a large run is cut into at most. Each call's reasons and rows are written with about a
hundred numpy, polars and compiled operations, whose fixed cost made a third of that work with
calls of 2,000 orders at 1,000,000 lines (when the reasons were written with polars: 6.7-9.3 s,
with 64 calls 4.7-5.9 s)."""
AHEAD = 2
"""Chunks handed to the compiled code before their turn: it goes on to the next while this
thread is still busy with a slow chunk's tables (with one, it waited about 0.3 s in all at
1,000,000 lines)."""


def plan(problem: Problem, progress: Progress | None = None) -> Plan:
    """Decide every open order in priority order and derive the plans. Pure: no I/O, no clock."""
    return plan_book(problem, book_of(problem), progress)


def plan_book(
    problem: Problem, book: OrderBook | Callable[[], OrderBook], progress: Progress | None = None
) -> Plan:
    """As ``plan``, with the orders of ``book`` (``problem`` gives the network; its own orders
    are not read). ``book`` may be a function that gives it, when it is still being built in
    another thread: the network is indexed meanwhile.

    Orders are decided in chunks by the compiled code in a second thread (it releases the
    interpreter's lock) while this one writes the reasons and the schedule's rows of the chunk
    before: both cores work, and the result is the same as deciding every chunk first. The
    rows of stock are 32-bit while their numbers fit; a run that moves too many units for that
    is planned again on 64-bit rows (``availability``)."""
    orders = book if callable(book) else lambda: book
    try:
        return _plan_book(problem, orders, progress, wide=False)
    except _RowsTooNarrow:
        return _plan_book(problem, orders, progress, wide=True)


class _RowsTooNarrow(Exception):
    """The decisions moved more units than 32-bit rows of stock are sure to hold."""


def _plan_book(
    problem: Problem, orders: Callable[[], OrderBook], progress: Progress | None, wide: bool
) -> Plan:
    items = item_names(problem)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="decide") as kernel:
        # the stock's memory is mapped while this thread indexes the problem
        mapped = kernel.submit(
            stock_zeros, len(items) * len(problem.locations), problem.horizon + 1, wide
        )
        network = index_network(problem, items)
        book = orders()
        indexed = index_orders(network, book)
        del network
        zeros = mapped.result() if indexed.items == items else None  # unless the book adds items
        del mapped
        state = new_state(
            indexed.arrays, indexed.item_locations, indexed.arrivals, zeros=zeros, wide=wide
        )
        del zeros  # it holds the stock's rows, which must go once the orders are decided
        ref = reference(state)
        total = len(book)
        chunks = chunked(total)
        upcoming = deque(kernel.submit(decide_orders, indexed.ref, ref, *c) for c in chunks[:AHEAD])
        tables = Tables(problem, book, indexed)
        for k, (_, stop) in enumerate(chunks):
            decided = within_rows(state, upcoming.popleft().result)
            if decided is None:
                for pending in upcoming:
                    pending.cancel()
                raise _RowsTooNarrow
            if k + AHEAD < len(chunks):
                upcoming.append(kernel.submit(decide_orders, indexed.ref, ref, *chunks[k + AHEAD]))
            tables.add(decided)
            if progress is not None:
                progress(stop, total)
    purchases, hours = state.purchases, state.hours
    del state, ref  # memory: the rows of stock are not needed for the tables
    return tables.plan(purchases, hours)


def chunked(total: int) -> list[tuple[int, int]]:
    """The calls into the compiled code that decide ``total`` orders: (first, stop) of each."""
    size = max(CHUNK, -(-total // CHUNKS))
    return [(first, min(first + size, total)) for first in range(0, total, size)]


class Tables:
    """The output tables, built chunk by chunk from what ``decide_orders`` decided."""

    def __init__(self, problem: Problem, book: OrderBook, indexed: Indexed) -> None:
        self.reasons = Reasons(problem, book, indexed)
        self.schedule = Schedule(problem, book, indexed)
        self.supply = SupplyPlans(problem, indexed)

    def add(self, decided: tuple[Array, ...]) -> None:
        """What ``decide_orders`` returned for the next chunk of orders."""
        rows, row_cost, nodes, values, made, made_hours, moved = decided
        self.schedule.add(rows, row_cost, self.reasons.write(rows, nodes, values))
        self.supply.add(made, made_hours, moved)

    def plan(self, purchases: Array, hours: Array) -> Plan:
        """The plan, with the purchases and hours the state holds once every order is decided.
        The supply plans are finished in a second thread while this one finishes the
        schedule's tables."""
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="plans") as helper:
            plans = helper.submit(self.supply.tables, purchases, hours)
            return self.schedule.tables(plans.result)


def assemble(
    problem: Problem,
    book: OrderBook,
    indexed: Indexed,
    purchases: Array,
    hours: Array,
    parts: list[tuple[Array, ...]],
) -> Plan:
    """The plan from what ``decide_orders`` returned for the orders of ``book``, in order."""
    tables = Tables(problem, book, indexed)
    for part in parts:
        tables.add(part)
    return tables.plan(purchases, hours)
