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
import polars as pl

from promiseplan.engine.fast.arrays import Array, Indexed, index_problem
from promiseplan.engine.fast.book import OrderBook, book_of
from promiseplan.engine.fast.decide import R_KIND, decide_orders
from promiseplan.engine.fast.plans import plans_of_arrays
from promiseplan.engine.fast.reasons import Reasons
from promiseplan.engine.fast.state import new_state, reference
from promiseplan.engine.fast.tables import BookKeys, book_keys, schedule_tables
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
    interpreter's lock) while this one writes the reasons of the chunk before (and, first, the
    sort keys of the output tables): both cores work, and the result is the same as deciding
    every chunk first."""
    indexed = index_problem(problem, book)
    state = new_state(indexed.arrays, indexed.item_locations, indexed.arrivals)
    ref = reference(state)
    total = len(book)
    chunks = [(first, min(first + CHUNK, total)) for first in range(0, total, CHUNK)]
    parts: list[Decided] = []
    writer = Reasons(problem, book, indexed)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="decide") as kernel:
        upcoming = [kernel.submit(decide_orders, indexed.ref, ref, *c) for c in chunks[:1]]
        keys = book_keys(book)
        for k, (_, stop) in enumerate(chunks):
            decided = upcoming.pop().result()
            if k + 1 < len(chunks):
                upcoming.append(kernel.submit(decide_orders, indexed.ref, ref, *chunks[k + 1]))
            parts.append(_with_reasons(writer, decided))
            if progress is not None:
                progress(stop, total)
    purchases, hours = state.purchases, state.hours
    del state, ref  # memory: the rows of stock are not needed for the tables
    return _plan_of(problem, book, indexed, purchases, hours, parts, keys)


class Decided(NamedTuple):
    """What ``decide_orders`` decided for a chunk of orders, its reasons written."""

    rows: Array
    """The schedule rows' fields before ``R_KIND`` (what the tables read; the rest was for the
    reasons)."""
    row_cost: Array
    made: Array
    made_hours: Array
    moved: Array
    reasons: pl.Series


def _with_reasons(writer: Reasons, decided: tuple[Array, ...]) -> Decided:
    rows, row_cost, nodes, values, made, made_hours, moved = decided
    reasons = writer.write(rows, nodes, values)
    return Decided(rows[:, :R_KIND].copy(), row_cost, made, made_hours, moved, reasons)


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
    written = [_with_reasons(writer, part) for part in parts]
    return _plan_of(problem, book, indexed, purchases, hours, written)


def _plan_of(
    problem: Problem,
    book: OrderBook,
    indexed: Indexed,
    purchases: Array,
    hours: Array,
    parts: list[Decided],
    keys: BookKeys | None = None,
) -> Plan:
    """``parts`` is emptied: its arrays are large. The procurement, production and transfer
    tables are built in a second thread while this one builds the schedule's."""
    rows = _concatenated([p.rows for p in parts], (0, R_KIND), np.int64)
    row_cost = _concatenated([p.row_cost for p in parts], (0,), np.float64)
    made = _concatenated([p.made for p in parts], (0, 6), np.int64)
    made_hours = _concatenated([p.made_hours for p in parts], (0,), np.float64)
    moved = _concatenated([p.moved for p in parts], (0, 7), np.int64)
    reasons = pl.concat([p.reasons for p in parts]) if parts else pl.Series([], dtype=pl.String)
    parts.clear()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="plans") as helper:
        plans = helper.submit(
            plans_of_arrays, problem, indexed, purchases, hours, made, made_hours, moved
        )
        return schedule_tables(problem, book, indexed, plans.result, rows, row_cost, reasons, keys)


def _concatenated(pieces: list[Array], empty: tuple[int, ...], dtype: type) -> Array:
    return np.concatenate(pieces) if pieces else np.zeros(empty, dtype=dtype)
