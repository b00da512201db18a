"""What earlier decisions used, as arrays, with an undo log (the fast engine's State).

Mirrors ``engine.state.State``: every change is logged so that a tentative decision is taken
back exactly, and the state carries a version number for the memo of earliest days.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple, TypeVar

import numpy as np
from numba.experimental import structref

from promiseplan.engine.fast.arrays import Array, Arrays, Floats, Ints
from promiseplan.engine.fast.availability import (
    NARROW,
    NARROW_UNITS,
    WIDE,
    add_from,
    build_stock,
    free_at,
    last_below,
    lowest,
)
from promiseplan.engine.fast.compiled import Fields, define, jit, register

EPS = 1e-9
NONE = -1
"""No day: cannot be done."""
UNKNOWN = -2
"""Not known yet."""
NOW_FREE, NOW_END = 0, 1
"""The fields of ``State.now``."""

# counters
VERSION, NUMBERS, LOG, PRODUCTIONS, TRANSFERS, NODES, SHIPPING, OPTIONS, TAKEN = range(9)
MEMO_GENERATION, MEMO_USED, SUPPLIED = 9, 10, 11
KEPT_GENERATION, KEPT_LOG, KEPT_MADE, KEPT_MOVED = 12, 13, 14, 15
HELD, HELD_MARK = 16, 17
"""The row of ``supplied`` + 1 whose supply is left in place (0: none), and where its changes
begin in the undo log (``tentative``)."""
UNITS, UNITS_PEAK, WIDE_ROWS = 18, 19, 20
"""Units moved in and out of stock by the changes in force (the arrivals before any decision
included), and the most there ever were: no number in the rows of stock has ever been larger
than twice the peak (``availability``); WIDE_ROWS is 1 where the rows are 64-bit."""
MEMO_SLOTS = 1 << 12
"""Slots of the memo of earliest days: 256 KiB, within a second-level cache. An order asks
for a few hundred at most; a fuller memo is cleared (see ``memo``)."""
WAY_FIELDS = 8
"""Numbers in a way (``decide``)."""
SCRATCH_WAYS = 5
"""Rows of ``State.ways``."""
# log entries
NET, HOURS, LANE, ORDER, BUY, MAKE, MOVE = range(7)
LOG_FIELDS = 4
"""Numbers in an entry of the undo log: kind and three arguments (its hours beside it)."""
PRODUCTION_FIELDS = 6
"""Numbers in a row of ``State.productions``."""
TRANSFER_FIELDS = 7
"""Numbers in a row of ``State.transfers``."""
# supply nodes: integer fields
N_KIND, N_IL, N_QTY, N_STOCK, N_SOURCE, N_READY, N_CODE, N_A, N_B, N_MISSING, N_PARENT = range(11)
NODE_FIELDS = 11
STOCK = -1
TRANSFER, PRODUCTION, PURCHASE = 0, 1, 2
# reason codes of a supply
CODE_STOCK, CODE_LEAD_TIME, CODE_CAPACITY, CODE_MATERIAL = range(4)


class State(NamedTuple):
    stock: Array
    """Per item-location, projected stock over time in blocks of days (``availability``), in
    32-bit numbers; no rows where they are 64-bit."""
    wide_stock: Array
    """The same in 64-bit numbers, where the state has them (``WIDE_ROWS``); else no rows.
    Both widths are fields of one state, so that the compiled code is the same for both and
    only the functions on rows are compiled twice."""
    now: Ints
    """Per item-location, in 16 bytes beside its stock: the units free from day 0 on
    (``NOW_FREE``) and the last day of that first plateau (``NOW_END``: the last day whose
    projected stock is below them + 1), or UNKNOWN until a search asks after a change. Most
    searches start at day 0, and a row of stock is a miss in every cache."""
    hours: Floats
    lane_units: Ints
    shipped: Ints
    purchases: Ints
    shipping: Ints
    """(location, day) pairs the current order ships on."""
    log: Ints
    log_hours: Floats
    log_version: Ints
    productions: Ints
    """item, location, resource, quantity, start, ready."""
    production_hours: Floats
    transfers: Ints
    """item, source, destination, mode, quantity, ship, arrival."""
    nodes: Ints
    node_values: Floats
    """cost, hours."""
    eframes: Ints
    epath: Ints
    eplace: Ints
    """The location of each item-location on ``epath``."""
    sframes: Ints
    sframe_values: Floats
    spath: Ints
    cframes: Ints
    cpath: Ints
    options: Ints
    """available, kind, index, preference, name."""
    option_cost: Floats
    taken_day: Ints
    taken_hours: Floats
    lots: Ints
    """Scratch: order day and quantity of each lot of a purchase."""
    root: Ints
    """The empty chain of supply (a line's own ship-from location)."""
    memo: Ints
    """The memo of earliest days (``memo``)."""
    supplied: Ints
    """The last tentative supplies and where their changes are kept (``tentative``)."""
    kept_log: Ints
    kept_hours: Floats
    kept_made: Ints
    kept_made_hours: Floats
    kept_moved: Ints
    lanes: Ints
    """Scratch: the delivery lanes a line's ways are measured over, in the order they are
    measured, with the soonest day a way over each could arrive (``decide``)."""
    ways: Ints
    """Ways that the functions comparing them measure into (``decide``), a row each."""
    way_costs: Floats
    """The cost per unit of each of those ways."""
    counts: Ints


@register
class StateType(Fields):
    pass


class StateRef(structref.StructRefProxy):
    pass


define(StateRef, StateType, list(State._fields))


@jit
def reference(state: State) -> State:
    """The state as the compiled code reads and changes it (the same arrays)."""
    return StateRef(*state)  # type: ignore[no-untyped-call,return-value]


def new_state(
    arrays: Arrays,
    rows: int,
    arrivals: Ints,
    capacity: int = 1 << 16,
    zeros: Array | None = None,
    wide: bool = False,
) -> State:
    """The state before any decision: ``arrivals`` (item-location, day, units) at ``rows``
    item-locations (their stock written into ``zeros``, ``stock_zeros``, if given; 64-bit rows
    where ``wide`` or where the arrivals alone are too many units for 32 bits)."""
    days = arrays.last + 1
    units = int(np.abs(arrivals[:, 2]).sum()) if len(arrivals) else 0
    wide = wide or units > NARROW_UNITS
    if zeros is not None and zeros.dtype != (WIDE if wide else NARROW):
        zeros = None  # mapped for rows of the other width
    stock = build_stock(rows, days, arrivals, zeros, wide)
    no_rows = np.zeros((0, stock.shape[1]), dtype=NARROW if wide else WIDE)
    frames = 1024
    return State(
        stock=no_rows if wide else stock,
        wide_stock=stock if wide else no_rows,
        now=np.stack([_lowest(stock), np.full(rows, UNKNOWN, dtype=np.int64)], axis=1),
        hours=np.zeros((arrays.res_hours.shape[0], days)),
        lane_units=np.zeros((arrays.dl_location.shape[0], days), dtype=np.int64),
        shipped=np.zeros((arrays.n_locations, days), dtype=np.int64),
        purchases=np.zeros((arrays.sp_lead.shape[0], days), dtype=np.int64),
        shipping=np.zeros((capacity, 2), dtype=np.int64),
        log=np.zeros((capacity * 4, LOG_FIELDS), dtype=np.int64),
        log_hours=np.zeros(capacity * 4),
        log_version=np.zeros(capacity * 4, dtype=np.int64),
        productions=np.zeros((capacity, PRODUCTION_FIELDS), dtype=np.int64),
        production_hours=np.zeros(capacity),
        transfers=np.zeros((capacity, TRANSFER_FIELDS), dtype=np.int64),
        nodes=np.zeros((capacity * 4, NODE_FIELDS), dtype=np.int64),
        node_values=np.zeros((capacity * 4, 2)),
        eframes=np.zeros((frames, 16), dtype=np.int64),
        epath=np.zeros(frames + 1, dtype=np.int64),
        eplace=np.zeros(frames + 1, dtype=np.int64),
        sframes=np.zeros((frames, 20), dtype=np.int64),
        sframe_values=np.zeros((frames, 2)),
        spath=np.zeros(frames + 1, dtype=np.int64),
        cframes=np.zeros((frames, 5), dtype=np.int64),
        cpath=np.zeros(frames + 1, dtype=np.int64),
        options=np.zeros((capacity, 5), dtype=np.int64),
        option_cost=np.zeros(capacity),
        taken_day=np.zeros(capacity * 4, dtype=np.int64),
        taken_hours=np.zeros(capacity * 4),
        lots=np.zeros((days + 1, 2), dtype=np.int64),
        root=np.zeros(1, dtype=np.int64),
        memo=_cache_lines(MEMO_SLOTS, -1),
        supplied=np.full((8, 16), -1, dtype=np.int64),
        kept_log=np.zeros((capacity // 2, LOG_FIELDS), dtype=np.int64),
        kept_hours=np.zeros(capacity // 2),
        kept_made=np.zeros((capacity // 16, PRODUCTION_FIELDS), dtype=np.int64),
        kept_made_hours=np.zeros(capacity // 16),
        kept_moved=np.zeros((capacity // 16, TRANSFER_FIELDS), dtype=np.int64),
        lanes=np.zeros((max(1, int(np.diff(arrays.dl_ptr).max(initial=0))), 2), dtype=np.int64),
        ways=np.zeros((SCRATCH_WAYS, WAY_FIELDS), dtype=np.int64),
        way_costs=np.zeros(SCRATCH_WAYS),
        counts=_counts(units, wide),
    )


def _counts(units: int, wide: bool) -> Ints:
    counts = np.zeros(24, dtype=np.int64)
    counts[UNITS] = counts[UNITS_PEAK] = units
    counts[WIDE_ROWS] = wide
    return counts


def rows_held(state: State) -> bool:
    """Whether every number of the state's rows of stock has fitted in them so far."""
    return bool(state.counts[WIDE_ROWS]) or int(state.counts[UNITS_PEAK]) <= NARROW_UNITS


def stock_rows(state: State) -> Array:
    """The state's rows of stock, in whichever width it has them."""
    return state.wide_stock if state.counts[WIDE_ROWS] else state.stock


T = TypeVar("T")


def within_rows(state: State | Callable[[], State], decide: Callable[[], T]) -> T | None:
    """What ``decide`` returns, or None where the rows of stock of the state it decides on
    (``state``, or what ``state()`` gives after it) no longer held their numbers: whatever it
    returned or raised then is void (numbers that no longer fit can lead the decisions
    anywhere)."""

    def held() -> bool:
        return rows_held(state() if callable(state) else state)

    try:
        result = decide()
    except Exception:
        if held():
            raise
        return None
    return result if held() else None


def _cache_lines(rows: int, value: int) -> Ints:
    """Rows of eight int64 (64 bytes), each on a cache line of its own."""
    raw = np.full((rows + 1) * 8, value, dtype=np.int64)
    skip = (-raw.ctypes.data % 64) // 8
    return raw[skip : skip + rows * 8].reshape(rows, 8)


@jit
def _lowest(stock: Array) -> Ints:
    low = np.empty(stock.shape[0], dtype=np.int64)
    for il in range(stock.shape[0]):
        low[il] = lowest(stock, il)
    return low


@jit
def full(n: int, capacity: int) -> None:
    if n >= capacity:
        raise RuntimeError("an order needs more working space than the fast engine has")


@jit
def record(s: State, kind: int, a: int, b: int, c: int, h: float) -> None:
    n = s.counts[LOG]
    full(n, s.log.shape[0])
    s.log[n, 0] = kind
    s.log[n, 1] = a
    s.log[n, 2] = b
    s.log[n, 3] = c
    s.log_hours[n] = h
    s.log_version[n] = s.counts[VERSION]
    s.counts[LOG] = n + 1
    s.counts[NUMBERS] += 1
    s.counts[VERSION] = s.counts[NUMBERS]


@jit
def free(s: State, il: int, day: int) -> int:
    """The units of item-location ``il`` that can be taken on ``day`` without any later day
    going below zero."""
    if day == 0:
        return int(s.now[il, NOW_FREE])
    if s.counts[WIDE_ROWS]:
        return free_at(s.wide_stock, il, day)
    return free_at(s.stock, il, day)


@jit
def stock_below(s: State, il: int, bound: int) -> int:
    """The last day whose projected stock of item-location ``il`` is below ``bound``, or -1."""
    if s.counts[WIDE_ROWS]:
        return last_below(s.wide_stock, il, bound)
    return last_below(s.stock, il, bound)


@jit
def add(s: State, il: int, day: int, quantity: int) -> None:
    _add(s, il, day, quantity)
    s.counts[UNITS] += abs(quantity)
    s.counts[UNITS_PEAK] = max(s.counts[UNITS_PEAK], s.counts[UNITS])
    record(s, NET, il, day, quantity, 0.0)


@jit
def _add(s: State, il: int, day: int, quantity: int) -> None:
    if s.counts[WIDE_ROWS]:
        s.now[il, NOW_FREE] = add_from(s.wide_stock, il, day, quantity)
    else:
        s.now[il, NOW_FREE] = add_from(s.stock, il, day, quantity)
    s.now[il, NOW_END] = UNKNOWN


@jit
def use_hours(s: State, resource: int, day: int, hours: float) -> None:
    s.hours[resource, day] += hours
    record(s, HOURS, resource, day, 0, hours)


@jit
def buy(s: State, supplier: int, day: int, quantity: int) -> None:
    s.purchases[supplier, day] += quantity
    record(s, BUY, supplier, day, quantity, 0.0)


@jit
def ships(s: State, location: int, day: int) -> bool:
    """Whether the current order already ships from ``location`` on ``day``."""
    for k in range(s.counts[SHIPPING]):
        if s.shipping[k, 0] == location and s.shipping[k, 1] == day:
            return True
    return False


@jit
def ship(s: State, lane: int, location: int, day: int, quantity: int) -> None:
    s.lane_units[lane, day] += quantity
    record(s, LANE, lane, day, quantity, 0.0)
    if not ships(s, location, day):
        n = s.counts[SHIPPING]
        full(n, s.shipping.shape[0])
        s.shipping[n, 0] = location
        s.shipping[n, 1] = day
        s.counts[SHIPPING] = n + 1
        s.shipped[location, day] += 1
        record(s, ORDER, location, day, 0, 0.0)


@jit
def make(
    s: State,
    item: int,
    location: int,
    resource: int,
    quantity: int,
    start: int,
    ready: int,
    hours: float,
) -> None:
    n = s.counts[PRODUCTIONS]
    full(n, s.productions.shape[0])
    p = s.productions[n]
    p[0], p[1], p[2], p[3], p[4], p[5] = item, location, resource, quantity, start, ready
    s.production_hours[n] = hours
    s.counts[PRODUCTIONS] = n + 1
    record(s, MAKE, 0, 0, 0, 0.0)


@jit
def move(
    s: State,
    item: int,
    source: int,
    destination: int,
    mode: int,
    quantity: int,
    day: int,
    arrival: int,
) -> None:
    n = s.counts[TRANSFERS]
    full(n, s.transfers.shape[0])
    t = s.transfers[n]
    t[0], t[1], t[2], t[3], t[4], t[5], t[6] = (
        item,
        source,
        destination,
        mode,
        quantity,
        day,
        arrival,
    )
    s.counts[TRANSFERS] = n + 1
    record(s, MOVE, 0, 0, 0, 0.0)


@jit
def checkpoint(s: State) -> int:
    return int(s.counts[LOG])


@jit
def rollback(s: State, mark: int) -> None:
    n = s.counts[LOG]
    if s.counts[HELD] != 0 and mark <= s.counts[HELD_MARK]:
        s.counts[HELD] = 0
    if n > mark:
        s.counts[VERSION] = s.log_version[mark]
    while n > mark:
        n -= 1
        kind, a, b, c = s.log[n, 0], s.log[n, 1], s.log[n, 2], s.log[n, 3]
        if kind == NET:
            _add(s, a, b, -c)
            s.counts[UNITS] -= abs(c)
        elif kind == HOURS:
            s.hours[a, b] -= s.log_hours[n]
        elif kind == LANE:
            s.lane_units[a, b] -= c
        elif kind == ORDER:
            s.shipped[a, b] -= 1
            s.counts[SHIPPING] -= 1
        elif kind == BUY:
            s.purchases[a, b] -= c
        elif kind == MAKE:
            s.counts[PRODUCTIONS] -= 1
        else:
            s.counts[TRANSFERS] -= 1
    s.counts[LOG] = n


@jit
def settle(s: State) -> None:
    """A decided order is never taken back: forget how to undo it."""
    s.counts[LOG] = 0
    s.counts[SHIPPING] = 0
