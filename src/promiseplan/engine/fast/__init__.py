"""The fast engine: the rules of the reference engine on numpy arrays, compiled with numba.

Same decisions, plans and reasons as ``engine.reference`` (tests compare the two on many
datasets); the search for supply runs on explicit stacks because numba cannot cache recursive
functions.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np

from promiseplan.engine.fast.arrays import Array, Indexed, index_problem
from promiseplan.engine.fast.book import OrderBook, book_of
from promiseplan.engine.fast.decide import decide_orders
from promiseplan.engine.fast.plans import plans_of_arrays
from promiseplan.engine.fast.reasons import Reasons
from promiseplan.engine.fast.state import new_state, reference
from promiseplan.engine.fast.tables import Schedule
from promiseplan.engine.plan import Plan
from promiseplan.model.problem import Problem

Progress = Callable[[int, int], None]
CHUNK = 2000
"""Orders decided per call into the compiled code (progress is reported between calls)."""


def plan(problem: Problem, progress: Progress | None = None) -> Plan:
    """Decide every open order in priority order and derive the plans. Pure: no I/O, no clock."""
    return plan_book(problem, book_of(problem), progress)


def plan_book(problem: Problem, book: OrderBook, progress: Progress | None = None) -> Plan:
    """As ``plan``, with the orders of ``book`` (``problem`` gives the network; its own orders
    are not read).

    Orders are decided in chunks by the compiled code in a second thread (it releases the
    interpreter's lock) while this one writes the reasons and the schedule's rows of the chunk
    before: both cores work, and the result is the same as deciding every chunk first."""
    indexed = index_problem(problem, book)
    state = new_state(indexed.arrays, indexed.item_locations, indexed.arrivals)
    ref = reference(state)
    total = len(book)
    chunks = [(first, min(first + CHUNK, total)) for first in range(0, total, CHUNK)]
    made: list[Made] = []
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="decide") as kernel:
        upcoming = [kernel.submit(decide_orders, indexed.ref, ref, *c) for c in chunks[:1]]
        writer = Reasons(problem, book, indexed)
        schedule = Schedule(problem, book, indexed)
        for k, (_, stop) in enumerate(chunks):
            decided = upcoming.pop().result()
            if k + 1 < len(chunks):
                upcoming.append(kernel.submit(decide_orders, indexed.ref, ref, *chunks[k + 1]))
            made.append(_scheduled(writer, schedule, decided))
            if progress is not None:
                progress(stop, total)
    purchases, hours = state.purchases, state.hours
    del state, ref  # memory: the rows of stock are not needed for the tables
    return _plan_of(problem, indexed, purchases, hours, made, schedule)


class Made(NamedTuple):
    """What ``decide_orders`` decided for a chunk of orders besides the schedule's rows."""

    made: Array
    made_hours: Array
    moved: Array


def _scheduled(writer: Reasons, schedule: Schedule, decided: tuple[Array, ...]) -> Made:
    """The schedule's rows of a chunk of orders, with their reasons, added to ``schedule``."""
    rows, row_cost, nodes, values, made, made_hours, moved = decided
    schedule.add(rows, row_cost, writer.write(rows, nodes, values))
    return Made(made, made_hours, moved)


def assemble(
    problem: Problem,
    book: OrderBook,
    indexed: Indexed,
    purchases: Array,
    hours: Array,
    parts: list[tuple[Array, ...]],
) -> Plan:
    """The plan from what ``decide_orders`` returned for the orders of ``book``, in order."""
    writer = Reasons(problem, book, indexed)
    schedule = Schedule(problem, book, indexed)
    made = [_scheduled(writer, schedule, part) for part in parts]
    return _plan_of(problem, indexed, purchases, hours, made, schedule)


def _plan_of(
    problem: Problem,
    indexed: Indexed,
    purchases: Array,
    hours: Array,
    parts: list[Made],
    schedule: Schedule,
) -> Plan:
    """The procurement, production and transfer tables are built in a second thread while this
    one finishes the schedule's. ``parts`` is emptied: its arrays are large."""
    made = _concatenated([p.made for p in parts], (0, 6), np.int64)
    made_hours = _concatenated([p.made_hours for p in parts], (0,), np.float64)
    moved = _concatenated([p.moved for p in parts], (0, 7), np.int64)
    parts.clear()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="plans") as helper:
        plans = helper.submit(
            plans_of_arrays, problem, indexed, purchases, hours, made, made_hours, moved
        )
        return schedule.tables(plans.result)


def _concatenated(pieces: list[Array], empty: tuple[int, ...], dtype: type) -> Array:
    return np.concatenate(pieces) if pieces else np.zeros(empty, dtype=dtype)
