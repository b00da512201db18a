"""The fast engine: the rules of the reference engine on numpy arrays, compiled with numba.

Same decisions, plans and reasons as ``engine.reference`` (tests compare the two on many
datasets); the search for supply runs on explicit stacks because numba cannot cache recursive
functions.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from promiseplan.engine.fast.arrays import Array, Indexed, index_problem
from promiseplan.engine.fast.book import OrderBook, book_of
from promiseplan.engine.fast.decide import R_NODE, ROW_FIELDS, decide_orders
from promiseplan.engine.fast.plans import plans_of_arrays
from promiseplan.engine.fast.reasons import write_reasons
from promiseplan.engine.fast.state import N_PARENT, new_state, reference
from promiseplan.engine.fast.tables import schedule_tables
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
    are not read)."""
    indexed = index_problem(problem, book)
    state = new_state(indexed.arrays, indexed.initial_stock)
    indexed.initial_stock = np.zeros((0, 0), dtype=np.int64)  # the trees hold it now
    ref = reference(state)
    total = len(book)
    parts: list[tuple[Array, ...]] = []
    for first in range(0, total, CHUNK):
        stop = min(first + CHUNK, total)
        parts.append(decide_orders(indexed.ref, ref, first, stop))  # the same arrays
        if progress is not None:
            progress(stop, total)
    purchases, hours = state.purchases, state.hours
    del state, ref  # memory: the stock trees are not needed for the tables
    return assemble(problem, book, indexed, purchases, hours, parts)


def assemble(
    problem: Problem,
    book: OrderBook,
    indexed: Indexed,
    purchases: Array,
    hours: Array,
    parts: list[tuple[Array, ...]],
) -> Plan:
    """The plan from what ``decide_orders`` returned for the orders of ``book``, in order
    (``parts`` is emptied: its arrays are large)."""
    rows, row_cost, nodes, values, made, made_hours, moved = _joined(parts)
    parts.clear()
    reasons = write_reasons(problem, book, indexed, rows, nodes, values)
    del nodes, values  # memory: at a million lines the supply nodes take 400 MB
    plans = plans_of_arrays(problem, indexed, purchases, hours, made, made_hours, moved)
    return schedule_tables(problem, book, indexed, plans, rows, row_cost, reasons)


def _joined(parts: list[tuple[Array, ...]]) -> tuple[Array, ...]:
    if not parts:
        empty = (
            np.zeros((0, ROW_FIELDS), dtype=np.int64),
            np.zeros(0),
            np.zeros((0, 11), dtype=np.int64),
            np.zeros((0, 2)),
            np.zeros((0, 6), dtype=np.int64),
            np.zeros(0),
            np.zeros((0, 7), dtype=np.int64),
        )
        return empty
    joined = []
    node_offsets = np.cumsum([0] + [p[2].shape[0] for p in parts[:-1]])
    for column in range(7):
        pieces = [p[column] for p in parts]
        if column == 0:  # rows point at nodes of their own part
            pieces = [piece.copy() for piece in pieces]
            for piece, offset in zip(pieces, node_offsets, strict=True):
                mask = piece[:, R_NODE] >= 0
                piece[mask, R_NODE] += offset
        if column == 2:
            pieces = [piece.copy() for piece in pieces]
            for piece, offset in zip(pieces, node_offsets, strict=True):
                mask = piece[:, N_PARENT] >= 0
                piece[mask, N_PARENT] += offset
        joined.append(np.concatenate(pieces))
    return tuple(joined)
