"""Choosing ways and deciding orders: the fast engine's ``Ways`` and ``OrderPlanner``.

A way is a row of integers (lane, quantity, ship day, arrival, available day, supply node,
delayed by capacity, early) and its cost per unit. A decided line becomes a schedule row that
keeps what its reason is written from (see ``reasons``).
"""

from __future__ import annotations

import numpy as np

from promiseplan.engine.fast.arrays import Array, Arrays
from promiseplan.engine.fast.compiled import borrow, jit
from promiseplan.engine.fast.memo import forget
from promiseplan.engine.fast.search import earliest, free_by, rounded
from promiseplan.engine.fast.state import (
    N_PARENT,
    NODE_FIELDS,
    NODES,
    NONE,
    PRODUCTION_FIELDS,
    PRODUCTIONS,
    SCRATCH_WAYS,
    TRANSFER_FIELDS,
    TRANSFERS,
    WAY_FIELDS,
    State,
    add,
    checkpoint,
    free,
    full,
    rollback,
    settle,
    ship,
    ships,
)
from promiseplan.engine.fast.supply import FAIL, can_ship, could_ever_supply
from promiseplan.engine.fast.tentative import release, supply_again, tentative

EARLIEST = -(10**9)
"""A target no way can meet: ask for the earliest way."""

W_LANE, W_QTY, W_SHIP, W_ARRIVAL, W_AVAILABLE, W_NODE, W_DELAYED, W_EARLY = range(WAY_FIELDS)
WAY_BEST, WAY_MOST, WAY_FILL, WAY_FILL_TRIAL, WAY_SPLIT = range(SCRATCH_WAYS)
"""Each function's rows of ``State.ways`` and ``State.way_costs`` (they call one another, so
none shares a row), which spares an allocation of its ways for every line."""

# schedule rows
R_ORDER, R_LINE, R_QTY, R_STATUS, R_PROMISED, R_SHIP, R_LANE, R_ARRIVAL = range(8)
R_KIND, R_AVAILABLE, R_DELAYED, R_NODE, R_WRAP, R_FAILED, R_BASE, R_ARG = range(8, 16)
R_WHY_SHIP = 16
"""The ship day of the way the reason explains (the first pass's, for a ship-complete line)."""
ROW_FIELDS = 17
ON_TIME, LATE, UNCONFIRMED = 0, 1, 2
EXPLAIN, REFUSE = 0, 1
TOO_LATE, NO_LANE, BEYOND_HORIZON, NO_SOURCE = 1, 2, 3, 4


@jit
def copy_way(way: Array, other: Array) -> None:
    """``way[:] = other``, element by element: assigned as a whole, a row is a call to copy it."""
    for f in range(WAY_FIELDS):
        way[f] = other[f]


@jit
def _allowed(a: Arrays, order: int, lane: int) -> bool:
    mask = a.or_modes[order]
    return bool(mask == -1 or (mask >> a.dl_mode[lane]) & 1 == 1)


@jit
def _fits(a: Arrays, s: State, lane: int, quantity: int, day: int, capacity: bool) -> bool:
    place = a.dl_location[lane]
    if not can_ship(a, place, day):
        return False
    if not capacity:
        return True
    cap = a.dl_capacity[lane]
    if cap >= 0 and cap - s.lane_units[lane, day] < quantity:
        return False
    per_day = a.loc_orders_per_day[place]
    return per_day < 0 or ships(s, place, day) or s.shipped[place, day] < per_day


@jit
def ship_day(
    a: Arrays, s: State, lane: int, quantity: int, available: int, target: int, capacity: bool
) -> int:
    """Just in time for ``target`` when the units can make it, else the earliest ship day."""
    transit = a.dl_transit[lane]
    last = a.last - transit
    for day in range(min(target - transit, last), available - 1, -1):
        if _fits(a, s, lane, quantity, day, capacity):
            return day
    for day in range(max(available, 0), last + 1):
        if _fits(a, s, lane, quantity, day, capacity):
            return day
    return NONE


@jit
def evaluate(
    a: Arrays,
    s: State,
    item: int,
    quantity: int,
    lane: int,
    target: int,
    way: Array,
    costs: Array,
    slot: int,
) -> bool:
    """The way over ``lane`` for ``quantity`` units into ``way`` (its cost per unit into
    ``costs[slot]``): just in time for ``target`` when it can arrive by then, else as early as
    it can. Its cost is measured by a tentative supply, taken back (see ``tentative``); whether
    it was delayed is left to ``mark_delayed``."""
    il = item * a.n_locations + a.dl_location[lane]
    release(s)
    available = earliest(a, s, il, quantity, s.root, 0)
    if available == NONE:
        return False
    while True:
        day = ship_day(a, s, lane, quantity, available, target, True)
        if day == NONE:
            return False
        early = day + a.dl_transit[lane] > target
        node = tentative(a, s, il, quantity, day, early)
        if node != FAIL:
            break
        available = day + 1  # earliest() was optimistic (resources shared along the chain)
    costs[slot] = (a.dl_cost[lane] * quantity + s.node_values[node, 0]) / quantity
    way[W_LANE], way[W_QTY], way[W_SHIP] = lane, quantity, day
    way[W_ARRIVAL], way[W_AVAILABLE], way[W_NODE] = day + a.dl_transit[lane], available, node
    way[W_EARLY] = early
    return True


@jit
def mark_delayed(a: Arrays, s: State, way: Array) -> None:
    """Whether the way's earliest ship day was pushed back by lane capacity or the location's
    orders per day, for its reason. Asked only of the way taken, in the state it was measured
    in (``evaluate`` changes nothing that ``ship_day`` reads, nor does a tentative supply left
    in place)."""
    lane, quantity, available = way[W_LANE], way[W_QTY], way[W_AVAILABLE]
    first_free = ship_day(a, s, lane, quantity, available, EARLIEST, False)
    first = ship_day(a, s, lane, quantity, available, EARLIEST, True)
    way[W_DELAYED] = first_free != NONE and first != NONE and first_free < first


@jit
def _dearer(a: Arrays, lane: int, cost: float) -> bool:
    """Whether every way over ``lane`` costs more per unit than ``cost``, rounded as the ways
    are compared: its own cost per unit is the least it can cost (the supply a way makes costs
    nothing or more), with a margin far above the rounding and the floating-point error."""
    return bool(a.dl_cost[lane] > cost + 1e-6 * max(1.0, abs(cost)))


@jit
def _cheaper(a: Arrays, x: Array, cx: float, y: Array, cy: float) -> bool:
    """Cheapest key: cost, arrival, location, mode."""
    rx, ry = rounded(cx), rounded(cy)
    if rx != ry:
        return rx < ry
    return _by_place(a, x, y, x[W_ARRIVAL] - y[W_ARRIVAL])


@jit
def _sooner(a: Arrays, x: Array, cx: float, y: Array, cy: float) -> bool:
    """Earliest key: arrival, cost, location, mode."""
    if x[W_ARRIVAL] != y[W_ARRIVAL]:
        return bool(x[W_ARRIVAL] < y[W_ARRIVAL])
    rx, ry = rounded(cx), rounded(cy)
    if rx != ry:
        return rx < ry
    return _by_place(a, x, y, 0)


@jit
def _by_place(a: Arrays, x: Array, y: Array, first: int) -> bool:
    if first != 0:
        return first < 0
    lx, ly = a.dl_location[x[W_LANE]], a.dl_location[y[W_LANE]]
    if lx != ly:
        return bool(lx < ly)
    return bool(a.dl_mode[x[W_LANE]] < a.dl_mode[y[W_LANE]])


@jit
def _measured_first(a: Arrays, x: int, x_soonest: int, y: int, y_soonest: int, target: int) -> bool:
    """Whether lane ``x`` (whose ways arrive on ``x_soonest`` at the soonest) is measured
    before lane ``y``: lanes that could arrive by ``target`` first, the cheaper first; then the
    others, the sooner first. The way found first then rules out the most of the others."""
    x_late, y_late = x_soonest > target, y_soonest > target
    if x_late != y_late:
        return y_late
    if x_late and x_soonest != y_soonest:
        return x_soonest < y_soonest
    if a.dl_cost[x] != a.dl_cost[y]:
        return bool(a.dl_cost[x] < a.dl_cost[y])
    return x < y


@jit
def _lanes_in_order(a: Arrays, s: State, order: int, item: int, quantity: int, target: int) -> int:
    """The order's lanes over which ``quantity`` units could be delivered, into ``s.lanes``
    with the soonest day a way over each arrives (the location's first ship day once the units
    can be there, plus the transit), in the order ``_measured_first`` gives; how many."""
    region = a.or_region[order]
    lanes = s.lanes
    n = 0
    release(s)
    asked, available = NONE, NONE  # a location's lanes in several modes ask the same
    for lane in range(a.dl_ptr[region], a.dl_ptr[region + 1]):
        if not _allowed(a, order, lane):
            continue
        place = a.dl_location[lane]
        if place != asked:
            asked = place
            available = earliest(a, s, item * a.n_locations + place, quantity, s.root, 0)
        if available == NONE:
            continue
        first_ship = a.next_ship[place, available]
        if first_ship == NONE or first_ship > a.last - a.dl_transit[lane]:
            continue  # no day to ship on
        soonest = first_ship + a.dl_transit[lane]
        k = n
        while k > 0 and _measured_first(a, lane, soonest, lanes[k - 1, 0], lanes[k - 1, 1], target):
            lanes[k, 0], lanes[k, 1] = lanes[k - 1, 0], lanes[k - 1, 1]
            k -= 1
        lanes[k, 0], lanes[k, 1] = lane, soonest
        n += 1
    return n


@jit
def best(
    a: Arrays,
    s: State,
    order: int,
    item: int,
    quantity: int,
    target: int,
    way: Array,
    costs: Array,
    slot: int,
) -> bool:
    """The cheapest way that arrives by ``target``, else the earliest.

    A way over a lane arrives on the lane's soonest day (``_lanes_in_order``) or later and
    costs at least the lane's cost per unit; lanes that cannot beat the way found so far on
    those bounds are not measured. Which lanes are measured does not change the way taken:
    every lane left out would lose to it."""
    lanes = s.lanes
    n = _lanes_in_order(a, s, order, item, quantity, target)
    found_on_time = False
    found = False
    trial, trial_costs = s.ways[WAY_BEST], s.way_costs
    for k in range(n):
        lane, soonest = lanes[k, 0], lanes[k, 1]
        if found_on_time:  # only a cheaper way in time can win
            beaten = soonest > target or _dearer(a, lane, costs[slot])
        else:  # only a sooner way, or one as soon and cheaper
            beaten = found and (
                soonest > way[W_ARRIVAL]
                or (soonest == way[W_ARRIVAL] and _dearer(a, lane, costs[slot]))
            )
        if beaten:
            continue
        if not evaluate(a, s, item, quantity, lane, target, trial, trial_costs, WAY_BEST):
            continue
        on_time = trial[W_ARRIVAL] <= target
        trial_cost = trial_costs[WAY_BEST]
        if on_time:
            take = not found_on_time or _cheaper(a, trial, trial_cost, way, costs[slot])
        else:
            take = not found_on_time and (
                not found or _sooner(a, trial, trial_cost, way, costs[slot])
            )
        if take:
            copy_way(way, trial)
            costs[slot] = trial_cost
            found = True
            found_on_time = found_on_time or on_time
    if found:
        mark_delayed(a, s, way)
    return found


@jit
def most_by(
    a: Arrays,
    s: State,
    item: int,
    limit: int,
    lane: int,
    target: int,
    way: Array,
    costs: Array,
    slot: int,
) -> bool:
    """The way over ``lane`` carrying the most units (up to ``limit``) that arrive by
    ``target``."""
    if evaluate(a, s, item, limit, lane, target, way, costs, slot) and way[W_ARRIVAL] <= target:
        return True
    found = False
    trial, trial_costs = s.ways[WAY_MOST], s.way_costs
    il = item * a.n_locations + a.dl_location[lane]
    transit = a.dl_transit[lane]
    low, high = 1, limit - 1
    while low <= high:
        middle = (low + high) // 2
        last_ship = min(target - transit, a.last - transit)
        release(s)
        if not free_by(a, s, il, middle, last_ship):
            high = middle - 1
            continue
        if (
            evaluate(a, s, item, middle, lane, target, trial, trial_costs, WAY_MOST)
            and trial[W_ARRIVAL] <= target
        ):
            copy_way(way, trial)
            costs[slot] = trial_costs[WAY_MOST]
            found = True
            low = middle + 1
        else:
            high = middle - 1
    return found


@jit
def commit(a: Arrays, s: State, item: int, way: Array) -> None:
    """Reserve the way's stock, supply, lane capacity and the location's order count."""
    lane = way[W_LANE]
    place = a.dl_location[lane]
    il = item * a.n_locations + place
    node = supply_again(a, s, il, way[W_QTY], way[W_SHIP], way[W_EARLY] != 0)
    if node == FAIL:
        raise RuntimeError("a way can no longer be supplied")
    add(s, il, way[W_SHIP], -way[W_QTY])
    ship(s, lane, place, way[W_SHIP], way[W_QTY])
    way[W_NODE] = node


# --- orders ------------------------------------------------------------------------------


@jit
def _too_late(a: Arrays, order: int, promised: int) -> bool:
    if not a.or_has_requested[order] or a.or_max_late[order] < 0:
        return False
    return bool(promised > a.or_requested[order] + a.or_max_late[order])


@jit
def _no_way(a: Arrays, s: State, order: int, item: int, quantity: int) -> int:
    release(s)
    region = a.or_region[order]
    any_lane = False
    for lane in range(a.dl_ptr[region], a.dl_ptr[region + 1]):
        if not _allowed(a, order, lane):
            continue
        any_lane = True
        il = item * a.n_locations + a.dl_location[lane]
        if free(s, il, a.last) >= quantity or could_ever_supply(a, s, il):
            return BEYOND_HORIZON
    return NO_SOURCE if any_lane else NO_LANE


@jit
def _row(
    a: Arrays,
    rows: Array,
    row_cost: Array,
    n: int,
    order: int,
    line: int,
    way: Array,
    why: Array,
    promised: int,
    wrap: int,
) -> int:
    """Row ``n`` of ``rows``: the line delivered by ``way``, its reason written from ``why``
    when that way is over the same lane (the first pass of a ship-complete line), else from
    ``way`` itself."""
    full(n, rows.shape[0])
    r = rows[n]
    for f in range(ROW_FIELDS):
        r[f] = NONE
    late = a.or_has_requested[order] != 0 and promised > a.or_requested[order]
    r[R_ORDER], r[R_LINE], r[R_QTY] = order, line, way[W_QTY]
    r[R_STATUS] = LATE if late else ON_TIME
    r[R_PROMISED], r[R_SHIP], r[R_LANE], r[R_ARRIVAL] = (
        promised,
        way[W_SHIP],
        way[W_LANE],
        way[W_ARRIVAL],
    )
    explained = why if why[W_LANE] == way[W_LANE] else way
    r[R_KIND] = EXPLAIN
    r[R_AVAILABLE] = explained[W_AVAILABLE]
    r[R_DELAYED] = explained[W_DELAYED]
    r[R_NODE] = explained[W_NODE]
    r[R_WHY_SHIP] = explained[W_SHIP]
    r[R_WRAP] = wrap
    row_cost[n] = way[W_QTY] * a.dl_cost[way[W_LANE]]
    return n + 1


@jit
def _refused(
    rows: Array,
    row_cost: Array,
    n: int,
    order: int,
    line: int,
    quantity: int,
    failed: int,
    base: int,
    arg: int,
) -> int:
    full(n, rows.shape[0])
    r = rows[n]
    for f in range(ROW_FIELDS):
        r[f] = NONE
    r[R_ORDER], r[R_LINE], r[R_QTY], r[R_STATUS] = order, line, quantity, UNCONFIRMED
    r[R_KIND], r[R_FAILED], r[R_BASE], r[R_ARG] = REFUSE, failed, base, arg
    row_cost[n] = 0.0
    return n + 1


@jit
def _refuse_all(
    a: Arrays,
    rows: Array,
    row_cost: Array,
    n: int,
    order: int,
    failed: int,
    base: int,
    arg: int,
) -> int:
    for line in range(a.or_line_ptr[order], a.or_line_ptr[order + 1]):
        if a.ln_quantity[line] > 0:
            n = _refused(rows, row_cost, n, order, line, a.ln_quantity[line], failed, base, arg)
    return n


@jit
def _each_line(a: Arrays, s: State, order: int, target: int, ways: Array, costs: Array) -> int:
    """Plan and reserve every line of a ship-complete order from one way each, the best for
    ``target``; the line that has no way (the state then holds the lines before it), or NONE."""
    first_line = a.or_line_ptr[order]
    for i in range(a.or_line_ptr[order + 1] - first_line):
        line = first_line + i
        item, quantity = a.ln_item[line], a.ln_quantity[line]
        if quantity <= 0:
            continue
        if not best(a, s, order, item, quantity, target, ways[i], costs, i):
            return int(line)
        commit(a, s, item, ways[i])
    return NONE


@jit
def _no_way_for(
    a: Arrays, s: State, mark: int, order: int, failed: int, rows: Array, row_cost: Array, n: int
) -> int:
    """Take the order's reservations back and refuse every line for the one that failed."""
    rollback(s, mark)
    why = _no_way(a, s, order, a.ln_item[failed], a.ln_quantity[failed])
    return _refuse_all(a, rows, row_cost, n, order, failed, why, a.ln_quantity[failed])


@jit
def _latest_arrival(a: Arrays, order: int, ways: Array) -> int:
    """The latest arrival of the order's lines (those with a quantity), or NONE."""
    first_line = a.or_line_ptr[order]
    latest = NONE
    for i in range(a.or_line_ptr[order + 1] - first_line):
        if a.ln_quantity[first_line + i] > 0:
            latest = max(latest, ways[i, W_ARRIVAL])
    return int(latest)


@jit
def _complete(
    a: Arrays,
    s: State,
    order: int,
    rows: Array,
    row_cost: Array,
    n: int,
    line_ways: Array,
    line_costs: Array,
) -> int:
    """Plan a ship-complete order (``line_ways`` and ``line_costs``: scratch rows for the
    ways of its lines, two passes of them)."""
    first_line, end_line = a.or_line_ptr[order], a.or_line_ptr[order + 1]
    count = end_line - first_line
    first, second = line_ways[0], line_ways[1]
    first_cost, second_cost = line_costs[0], line_costs[1]
    mark = checkpoint(s)
    requested = a.or_requested[order] if a.or_has_requested[order] else NONE
    failed = _each_line(a, s, order, requested if requested != NONE else 0, first, first_cost)
    if failed != NONE:
        return _no_way_for(a, s, mark, order, failed, rows, row_cost, n)
    promised = _latest_arrival(a, order, first)
    if promised == NONE:  # no line to deliver
        return n
    if requested != NONE:
        promised = max(promised, requested)
    if _too_late(a, order, promised):
        rollback(s, mark)
        return _refuse_all(a, rows, row_cost, n, order, NONE, TOO_LATE, promised)
    if promised == requested:
        # the second pass would plan for the first one's target from the same state: it
        # would make the same decisions
        second[:] = first
    else:
        rollback(s, mark)
        failed = _each_line(a, s, order, promised, second, second_cost)
        if failed != NONE:
            return _no_way_for(a, s, mark, order, failed, rows, row_cost, n)
    final = max(promised, _latest_arrival(a, order, second))
    if _too_late(a, order, final):
        rollback(s, mark)
        return _refuse_all(a, rows, row_cost, n, order, NONE, TOO_LATE, final)
    slowest = NONE
    lines = 0
    for i in range(count):
        if a.ln_quantity[first_line + i] <= 0:
            continue
        lines += 1
        if slowest == NONE or first[i, W_ARRIVAL] > first[slowest, W_ARRIVAL]:
            slowest = i
    for i in range(count):
        if a.ln_quantity[first_line + i] <= 0:
            continue
        wrap = NONE
        if i != slowest and lines > 1 and first[i, W_ARRIVAL] < final:
            wrap = first_line + slowest
        n = _row(a, rows, row_cost, n, order, first_line + i, second[i], first[i], final, wrap)
    return n


@jit
def _fill(
    a: Arrays,
    s: State,
    order: int,
    line: int,
    left: int,
    target: int,
    rows: Array,
    row_cost: Array,
    n: int,
) -> tuple[int, int]:
    """Cheapest ways first, each carrying as much as arrives by ``target``; what is left and
    the number of rows."""
    item = a.ln_item[line]
    way, trial, costs = s.ways[WAY_FILL], s.ways[WAY_FILL_TRIAL], s.way_costs
    while left > 0:
        found = False
        for k in range(_lanes_in_order(a, s, order, item, 1, target)):
            lane = s.lanes[k, 0]
            if s.lanes[k, 1] > target:
                break  # not even one unit arrives by target, over this lane or the next
            if found and _dearer(a, lane, costs[WAY_FILL]):
                break  # the lanes that can arrive come cheapest first
            if not most_by(a, s, item, left, lane, target, trial, costs, WAY_FILL_TRIAL):
                continue
            if not found or _cheaper(a, trial, costs[WAY_FILL_TRIAL], way, costs[WAY_FILL]):
                copy_way(way, trial)
                costs[WAY_FILL] = costs[WAY_FILL_TRIAL]
                found = True
        if not found:
            break
        mark_delayed(a, s, way)
        commit(a, s, item, way)
        promised = way[W_ARRIVAL]
        if a.or_has_requested[order]:
            promised = max(promised, a.or_requested[order])
        n = _row(a, rows, row_cost, n, order, line, way, way, promised, NONE)
        left -= way[W_QTY]
    return left, n


@jit
def _split(
    a: Arrays,
    s: State,
    order: int,
    line: int,
    rows: Array,
    row_cost: Array,
    n: int,
) -> int:
    item = a.ln_item[line]
    has_requested = a.or_has_requested[order] != 0
    target = a.or_requested[order] if has_requested else 0
    left, n = _fill(a, s, order, line, a.ln_quantity[line], target, rows, row_cost, n)
    trial = s.ways[WAY_SPLIT]
    base, arg = NONE, NONE
    while left > 0:
        date = NONE
        for k in range(_lanes_in_order(a, s, order, item, 1, EARLIEST)):
            lane = s.lanes[k, 0]
            if date != NONE and s.lanes[k, 1] >= date:
                break  # the lanes come soonest first
            if evaluate(a, s, item, 1, lane, EARLIEST, trial, s.way_costs, WAY_SPLIT) and (
                date == NONE or trial[W_ARRIVAL] < date
            ):
                date = trial[W_ARRIVAL]
        if date == NONE:
            base, arg = _no_way(a, s, order, item, left), left
            break
        promised = max(date, a.or_requested[order]) if has_requested else date
        if _too_late(a, order, promised):
            base, arg = TOO_LATE, promised
            break
        before = left
        left, n = _fill(a, s, order, line, left, date, rows, row_cost, n)
        if left == before:
            base, arg = _no_way(a, s, order, item, left), left
            break
    if left > 0:
        n = _refused(rows, row_cost, n, order, line, left, NONE, base, arg)
    return n


@jit
def decide(
    a: Arrays,
    s: State,
    order: int,
    rows: Array,
    row_cost: Array,
    line_ways: Array,
    line_costs: Array,
) -> int:
    """Decide one order; its schedule rows go into ``rows``; how many. ``line_ways`` and
    ``line_costs`` are scratch (``lines_scratch``)."""
    if a.or_complete[order]:
        n = _complete(a, s, order, rows, row_cost, 0, line_ways, line_costs)
    else:
        n = 0
        for line in range(a.or_line_ptr[order], a.or_line_ptr[order + 1]):
            if a.ln_quantity[line] > 0:
                n = _split(a, s, order, line, rows, row_cost, n)
    release(s)
    return n


@jit
def lines_scratch(a: Arrays, first: int, stop: int) -> tuple[Array, Array]:
    """Scratch rows for the ways of the lines of any one of orders ``first`` to ``stop - 1``
    (``decide``): allocated once, not for every order."""
    most = 1
    for order in range(first, stop):
        most = max(most, a.or_line_ptr[order + 1] - a.or_line_ptr[order])
    return np.empty((2, most, WAY_FIELDS), dtype=np.int64), np.empty((2, most))


@jit
def _grow(array: Array, needed: int) -> Array:
    if needed <= array.shape[0]:
        return array
    size = max(needed, 2 * array.shape[0])
    shape = (size,) + array.shape[1:]  # noqa: RUF005 (numba builds tuples this way)
    grown = np.empty(shape, dtype=array.dtype)
    grown[: array.shape[0]] = array
    return grown


@jit
def decide_orders(
    a: Arrays, s: State, first: int, stop: int
) -> tuple[Array, Array, Array, Array, Array, Array, Array]:
    """Decide orders ``first`` to ``stop - 1`` one after the other; what they decided: schedule
    rows and their transport cost, the supply nodes the reasons are written from, productions
    and their hours, transfers."""
    return _decide_orders(borrow(a), borrow(s), first, stop)


@jit
def _decide_orders(
    a: Arrays, s: State, first: int, stop: int
) -> tuple[Array, Array, Array, Array, Array, Array, Array]:
    # every row is written before it is read: no need to clear (an order's scratch rows
    # alone are 9 MB). Sized for what a chunk's lines have needed (per line at most 1.2 rows,
    # 4.5 supply nodes, 1.4 productions, 0.4 transfers in the scale datasets): grown (a
    # copy) only beyond that.
    lines = a.or_line_ptr[stop] - a.or_line_ptr[first] if stop > first else 0
    rows = np.empty((lines + lines // 4 + 64, ROW_FIELDS), dtype=np.int64)
    row_cost = np.empty(rows.shape[0])
    nodes = np.empty((5 * lines + 64, NODE_FIELDS), dtype=np.int64)
    node_values = np.empty((nodes.shape[0], 2))
    made = np.empty((lines + lines // 2 + 64, PRODUCTION_FIELDS), dtype=np.int64)
    made_hours = np.empty(made.shape[0])
    moved = np.empty((lines // 2 + 64, TRANSFER_FIELDS), dtype=np.int64)
    line_ways, line_costs = lines_scratch(a, first, stop)
    order_rows = np.empty((s.options.shape[0], ROW_FIELDS), dtype=np.int64)
    order_cost = np.empty(s.options.shape[0])
    keep = np.empty(s.nodes.shape[0], dtype=np.int64)
    n_rows = n_nodes = n_made = n_moved = 0
    for order in range(first, stop):
        forget(s)  # entries are for versions of the state that do not come back
        settle(s)
        s.counts[NODES] = 0
        s.counts[PRODUCTIONS] = 0
        s.counts[TRANSFERS] = 0
        count = decide(a, s, order, order_rows, order_cost, line_ways, line_costs)
        # keep the supply nodes the rows' reasons read, with everything under them
        total = s.counts[NODES]
        for k in range(total):
            keep[k] = NONE
        for i in range(count):
            node = order_rows[i, R_NODE]
            if node != NONE:
                keep[node] = 0
        kept = 0
        for k in range(total):
            parent = s.nodes[k, N_PARENT]
            if keep[k] == 0 or (parent != NONE and keep[parent] >= 0):
                keep[k] = n_nodes + kept
                kept += 1
        # rows copied element by element (a row assigned as a whole is a call to copy it),
        # arrays grown only when they must be (a call that returns an array counts references)
        if n_nodes + kept > nodes.shape[0]:
            nodes = _grow(nodes, n_nodes + kept)
            node_values = _grow(node_values, n_nodes + kept)
        for k in range(total):
            if keep[k] >= 0:
                j = keep[k]
                for f in range(NODE_FIELDS):
                    nodes[j, f] = s.nodes[k, f]
                parent = s.nodes[k, N_PARENT]
                nodes[j, N_PARENT] = keep[parent] if parent != NONE else NONE
                node_values[j, 0] = s.node_values[k, 0]
                node_values[j, 1] = s.node_values[k, 1]
        n_nodes += kept
        if n_rows + count > rows.shape[0]:
            rows = _grow(rows, n_rows + count)
            row_cost = _grow(row_cost, n_rows + count)
        for i in range(count):
            for f in range(ROW_FIELDS):
                rows[n_rows + i, f] = order_rows[i, f]
            node = order_rows[i, R_NODE]
            rows[n_rows + i, R_NODE] = keep[node] if node != NONE else NONE
            row_cost[n_rows + i] = order_cost[i]
        n_rows += count
        k = s.counts[PRODUCTIONS]
        if n_made + k > made.shape[0]:
            made = _grow(made, n_made + k)
            made_hours = _grow(made_hours, n_made + k)
        for i in range(k):
            for f in range(PRODUCTION_FIELDS):
                made[n_made + i, f] = s.productions[i, f]
            made_hours[n_made + i] = s.production_hours[i]
        n_made += k
        k = s.counts[TRANSFERS]
        if n_moved + k > moved.shape[0]:
            moved = _grow(moved, n_moved + k)
        for i in range(k):
            for f in range(TRANSFER_FIELDS):
                moved[n_moved + i, f] = s.transfers[i, f]
        n_moved += k
    settle(s)
    return (
        rows[:n_rows].copy(),
        row_cost[:n_rows].copy(),
        nodes[:n_nodes].copy(),
        node_values[:n_nodes].copy(),
        made[:n_made].copy(),
        made_hours[:n_made].copy(),
        moved[:n_moved].copy(),
    )


@jit
def promise_one(a: Arrays, s: State, order: int, rows: Array, row_cost: Array) -> int:
    """Decide ``order`` after every decided order, by the same rules, and take every change
    back: the state is left as it was. Its rows go into ``rows`` (their supply nodes stay in
    the state's node table until the next call); how many."""
    return _promise_one(borrow(a), borrow(s), order, rows, row_cost)


@jit
def _promise_one(
    a: Arrays,
    s: State,
    order: int,
    rows: Array,
    row_cost: Array,
) -> int:
    forget(s)
    settle(s)
    s.counts[NODES] = 0
    mark = checkpoint(s)
    line_ways, line_costs = lines_scratch(a, order, order + 1)
    count = decide(a, s, order, rows, row_cost, line_ways, line_costs)
    rollback(s, mark)
    settle(s)
    return count
