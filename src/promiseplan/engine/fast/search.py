"""When units can be at a location: the fast engine's ``Sourcing.earliest`` and ``sources``.

The reference engine recurses down the chain of supply; numba cannot cache recursive
functions, so the recursion runs on an explicit stack of frames here. A frame's visited set
is the chain of item-locations above it (``path``), hashed by xor for the memo.
"""

from __future__ import annotations

import numpy as np

from promiseplan.engine.fast.arrays import Array, Arrays
from promiseplan.engine.fast.availability import read_first
from promiseplan.engine.fast.compiled import jit, prefetch
from promiseplan.engine.fast.memo import recall, remember
from promiseplan.engine.fast.state import (
    EPS,
    NONE,
    NOW_END,
    NOW_FREE,
    OPTIONS,
    PRODUCTION,
    PURCHASE,
    TAKEN,
    TRANSFER,
    UNKNOWN,
    VERSION,
    WIDE_ROWS,
    State,
    free,
    full,
    stock_below,
)

# earliest-day frames
E_IL, E_QTY, E_DEPTH, E_PHASE, E_START, E_END, E_MISSING, E_BEST = range(8)
E_STAGE, E_K, E_C, E_READY, E_HASH, E_ASKED, E_THERE = range(8, 15)
# phases
START, PLATEAU, SOURCES, AFTER_TRANSFER, AFTER_COMPONENT, KNOWN = range(6)


@jit
def weekday(a: Arrays, day: int) -> int:
    return (a.weekday0 + day) % 7


@jit
def component_quantity(units: int, per: float) -> int:
    return _ceil(units * per - EPS)


@jit
def _ceil(x: float) -> int:
    """``math.ceil``, which numba compiles to a call into its helper library."""
    whole = int(x)
    return whole + 1 if whole < x else whole


@jit
def _in_lots(units: int, lot: int) -> int:
    """The fewest units in whole lots that cover ``units``: ``math.ceil(units / lot) * lot``
    in integers (the same for every quantity below 2**53)."""
    return -(-units // lot) * lot


@jit
def purchase_lots(a: Arrays, s: State, sp: int, missing: int, latest: int, backward: bool) -> int:
    """The lots (order day, quantity) for ``missing`` units into ``s.lots``: forward from day 0,
    or backward from ``latest`` (just in time), in lots and within capacity; their number, or
    NONE when they cannot all be bought."""
    limit = a.last - a.sp_lead[sp]
    if limit < 0 or (backward and latest < 0):
        return NONE
    if backward:
        first, stop, step = min(latest, limit), -1, -1
    else:
        first, stop, step = 0, limit + 1, 1
    lot = a.sp_lot[sp]
    minimum = a.sp_min[sp]
    cap = a.sp_capacity[sp]
    left = missing
    n = 0
    for o in range(first, stop, step):
        if left <= 0:
            break
        row = s.purchases[sp, o]
        want = _in_lots(left, lot)
        if row == 0:
            want = _in_lots(max(left, minimum), lot)
        if cap >= 0:
            room = (cap - row) // lot * lot
            if want > room:
                want = room
                if row == 0 and want < minimum:
                    want = 0
        if want > 0:
            s.lots[n, 0] = o
            s.lots[n, 1] = want
            n += 1
            left -= want
    return n if left <= 0 else NONE


@jit
def pack(a: Arrays, s: State, op: int, hours: float, first: int, stop: int, step: int) -> int:
    """Take ``hours`` of the operation's resource from its open days in the order given
    (appended to the taken stack); the number of days taken, or NONE when the hours run out."""
    resource = a.op_resource[op]
    per_day = a.res_hours[resource]
    closed = a.res_closed[resource]
    used = s.hours[resource]
    base = s.counts[TAKEN]
    n = 0
    left = hours
    for d in range(first, stop, step):
        if left <= EPS:
            break
        if closed >> weekday(a, d) & 1:
            continue
        room = per_day - used[d]
        if room > EPS:
            part = min(room, left)
            full(base + n, s.taken_day.shape[0])
            s.taken_day[base + n] = d
            s.taken_hours[base + n] = part
            n += 1
            left -= part
    return n if left <= EPS else NONE


@jit
def on_path(path: Array, depth: int, il: int) -> bool:
    for k in range(depth):  # noqa: SIM110 (numba compiles loops, not generators)
        if path[k] == il:
            return True
    return False


@jit
def chain_hash(a: Arrays, path: Array, places: Array, depth: int, here: int) -> int:
    """The memo's name for the chain ``path[:depth]`` (at locations ``places[:depth]``) above
    an item-location at ``here``: the xor of the item-locations on it that its supply could
    reach (at locations that can ship to ``here``, directly or not, or at ``here``). The
    earliest day depends on the chain only through them, so chains that differ elsewhere share
    their answers."""
    reach = a.loc_reach[here]
    value = 0
    k = depth
    while k > 0:  # a loop this short runs faster as it is than vectorised (a counted ``for``)
        k -= 1
        if reach[places[k]]:
            value ^= _zobrist(path[k])
    return value


@jit
def path_hash(a: Arrays, path: Array, depth: int, here: int) -> int:
    """``chain_hash`` of a chain whose locations are not at hand."""
    L = a.n_locations
    reach = a.loc_reach[here]
    value = 0
    k = depth
    while k > 0:
        k -= 1
        if reach[path[k] % L]:
            value ^= _zobrist(path[k])
    return value


@jit
def _zobrist(il: int) -> int:
    """A random 64-bit name of item-location ``il`` (splitmix64's mix of it): computed where a
    table of them would be a cache miss per item-location on the chain."""
    z = np.uint64(il) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return int(np.int64(z ^ (z >> np.uint64(31))))


@jit
def earliest(a: Arrays, s: State, il0: int, quantity: int, path: Array, depth0: int) -> int:
    """The earliest day ``quantity`` units of item-location ``il0`` can be free there, given
    the chain ``path[:depth0]`` above it; NONE when never within the horizon."""
    return _earliest(a, s, il0, quantity, path, depth0, a.last)


@jit
def free_by(a: Arrays, s: State, il: int, quantity: int, by: int) -> bool:
    """Whether ``quantity`` units of ``il`` (a line's ship-from location) can be free by day
    ``by``: ``earliest`` at most ``by``, found without looking past ``by``."""
    if quantity <= 0:
        return by >= 0
    if by < 0:
        return False
    if free(s, il, min(by, a.last)) >= quantity:
        return True
    day = _earliest(a, s, il, quantity, s.root, 0, by)
    return day != NONE and day <= by


@jit
def _earliest(
    a: Arrays, s: State, il0: int, quantity: int, path: Array, depth0: int, by: int
) -> int:
    """``earliest``, or any day after ``by`` as soon as the answer is known to be later."""
    if quantity <= 0 or s.now[il0, NOW_FREE] >= quantity:
        return 0
    asked = path_hash(a, path, depth0, il0 % a.n_locations) if depth0 > 0 else 0
    known = recall(s, s.counts[VERSION], il0, quantity, asked)
    if known != UNKNOWN:
        return known
    return _search(a, s, il0, quantity, path, depth0, asked, by)


@jit
def _search(
    a: Arrays, s: State, il0: int, quantity: int, path: Array, depth0: int, asked: int, by: int
) -> int:
    """``_earliest`` when the answer is neither day 0 nor remembered (under ``asked``)."""
    f = s.eframes
    p = s.epath
    places = s.eplace
    L = a.n_locations
    for k in range(depth0):
        p[k] = path[k]
        places[k] = path[k] % L
    top = 0
    f[0, E_IL], f[0, E_QTY], f[0, E_DEPTH], f[0, E_PHASE] = il0, quantity, depth0, PLATEAU
    f[0, E_HASH], f[0, E_START] = asked, 0
    result = NONE
    while True:
        fr = f[top]
        il, depth = fr[E_IL], fr[E_DEPTH]
        phase = fr[E_PHASE]
        done = False
        if phase == START:
            if fr[E_QTY] <= 0 or s.now[il, NOW_FREE] >= fr[E_QTY]:
                result = 0  # free from day 0 on: no need to remember
                done = True
                phase = KNOWN
            else:
                fr[E_HASH] = chain_hash(a, p, places, depth, il % L) if depth > 0 else 0
                known = recall(s, s.counts[VERSION], il, fr[E_QTY], fr[E_HASH])
                if known != UNKNOWN:
                    result = known
                    done = True
                    phase = KNOWN  # remembered already
                else:
                    fr[E_START] = 0
                    phase = PLATEAU
        while not done:
            if phase == PLATEAU:
                start = fr[E_START]
                if start > a.last:
                    result = NONE
                    done = True
                    break
                if top == 0 and start > by:
                    return by + 1  # not the exact day: not remembered
                value = free(s, il, start)
                if value >= fr[E_QTY]:
                    result = start
                    done = True
                    break
                fr[E_END] = plateau_end(s, il, start, value)
                fr[E_MISSING] = fr[E_QTY] - max(value, 0)
                fr[E_BEST] = NONE
                fr[E_STAGE] = 0
                fr[E_ASKED] = NONE
                _prefetch_sources(a, s, il)
                loc = il % L
                fr[E_K] = a.tr_ptr[loc]
                phase = SOURCES
            elif phase == AFTER_TRANSFER:
                k = fr[E_K]
                fr[E_ASKED], fr[E_THERE] = (il // L) * L + a.tr_source[k], result
                _transfer_arrival(a, fr, k, result)
                fr[E_K] = k + 1
                phase = SOURCES
            elif phase == AFTER_COMPONENT:
                day = result
                if day == NONE:
                    fr[E_K] += 1
                    fr[E_C] = -1
                else:
                    fr[E_READY] = max(fr[E_READY], day)
                    fr[E_C] += 1
                phase = SOURCES
            else:  # SOURCES: go on through transfers, operations, suppliers
                loc = il % L
                item = il // L
                child = NONE
                child_qty = 0
                if fr[E_STAGE] == 0:
                    while fr[E_K] < a.tr_ptr[loc + 1]:
                        src = item * L + a.tr_source[fr[E_K]]
                        if src == il or on_path(p, depth, src):
                            fr[E_K] += 1
                            continue
                        if src == fr[E_ASKED]:  # lanes in several modes from one location
                            _transfer_arrival(a, fr, fr[E_K], fr[E_THERE])
                            fr[E_K] += 1
                            continue
                        child = src
                        child_qty = fr[E_MISSING]
                        fr[E_PHASE] = AFTER_TRANSFER
                        break
                    if child == NONE:
                        fr[E_STAGE] = 1
                        fr[E_K] = a.op_ptr[il]
                        fr[E_C] = -1
                if child == NONE and fr[E_STAGE] == 1:
                    while fr[E_K] < a.op_ptr[il + 1]:
                        op = fr[E_K]
                        if fr[E_C] < 0:
                            fr[E_C] = a.bom_ptr[op]
                            fr[E_READY] = 0
                        if fr[E_C] < a.bom_ptr[op + 1]:
                            c = fr[E_C]
                            child = a.bom_item[c] * L + loc
                            child_qty = component_quantity(fr[E_MISSING], a.bom_per[c])
                            fr[E_PHASE] = AFTER_COMPONENT
                            break
                        # every component can be there: pack the hours from that day on
                        ready = fr[E_READY]
                        mark = s.counts[TAKEN]
                        n = pack(a, s, op, fr[E_MISSING] * a.op_hours[op], ready, a.last + 1, 1)
                        if n != NONE:
                            end = s.taken_day[mark + n - 1] if n > 0 else ready
                            made = end + a.op_lead[op]
                            if made <= a.last and (fr[E_BEST] == NONE or made < fr[E_BEST]):
                                fr[E_BEST] = made
                        s.counts[TAKEN] = mark
                        fr[E_K] = op + 1
                        fr[E_C] = -1
                    if child == NONE:
                        fr[E_STAGE] = 2
                if child == NONE:
                    for sp in range(a.sp_ptr[il], a.sp_ptr[il + 1]):
                        n = purchase_lots(a, s, sp, fr[E_MISSING], 0, False)
                        if n != NONE:
                            arrival = s.lots[n - 1, 0] + a.sp_lead[sp]
                            if arrival <= a.last and (fr[E_BEST] == NONE or arrival < fr[E_BEST]):
                                fr[E_BEST] = arrival
                    best = fr[E_BEST]
                    if best != NONE and best <= fr[E_END]:
                        result = max(fr[E_START], best)
                        done = True
                        break
                    fr[E_START] = fr[E_END] + 1
                    phase = PLATEAU
                else:
                    p[depth], places[depth] = il, loc
                    top += 1
                    full(top + 1, f.shape[0])
                    g = f[top]
                    g[E_IL], g[E_QTY], g[E_DEPTH], g[E_PHASE] = child, child_qty, depth + 1, START
                    break
        if done:
            if phase != KNOWN:
                remember(s, s.counts[VERSION], il, fr[E_QTY], fr[E_HASH], result)
            if top == 0:
                return result
            top -= 1


@jit
def _prefetch_sources(a: Arrays, s: State, il: int) -> None:
    """Ask the processor for what the search reads first of each item-location that ``il``'s
    units can come from (its transfer sources and components)."""
    if s.counts[WIDE_ROWS]:
        _prefetch_rows(a, s.now, s.wide_stock, il)
    else:
        _prefetch_rows(a, s.now, s.stock, il)


@jit
def _prefetch_rows(a: Arrays, now: Array, stock: Array, il: int) -> None:
    L = a.n_locations
    loc, item = il % L, il // L
    last_block = read_first(stock)
    for k in range(a.tr_ptr[loc], a.tr_ptr[loc + 1]):
        src = item * L + a.tr_source[k]
        prefetch(now, src, 0)
        prefetch(stock, src, last_block)
    for op in range(a.op_ptr[il], a.op_ptr[il + 1]):
        for c in range(a.bom_ptr[op], a.bom_ptr[op + 1]):
            component = a.bom_item[c] * L + loc
            prefetch(now, component, 0)
            prefetch(stock, component, last_block)


@jit
def _transfer_arrival(a: Arrays, fr: Array, k: int, there: int) -> None:
    """The frame's best day, from transfer lane ``k`` whose source has the units on ``there``."""
    if there == NONE:
        return
    shipped = a.next_ship[a.tr_source[k], there]
    if shipped != NONE and shipped + a.tr_lead[k] <= a.last:
        arrival = shipped + a.tr_lead[k]
        if fr[E_BEST] == NONE or arrival < fr[E_BEST]:
            fr[E_BEST] = arrival


@jit
def rounded(cost: float) -> float:
    return round(cost, 9)


@jit
def _before(s: State, x: int, y: int) -> bool:
    """Whether option ``x`` sorts before option ``y``: available, kind, cost, preference, name."""
    o = s.options
    for f in range(2):
        if o[x, f] != o[y, f]:
            return bool(o[x, f] < o[y, f])
    cx, cy = rounded(s.option_cost[x]), rounded(s.option_cost[y])
    if cx != cy:
        return cx < cy
    for f in range(3, 5):
        if o[x, f] != o[y, f]:
            return bool(o[x, f] < o[y, f])
    return False


@jit
def _push_option(
    s: State, available: int, kind: int, index: int, cost: float, preference: int, name: int
) -> None:
    n = s.counts[OPTIONS]
    full(n, s.options.shape[0])
    o = s.options[n]
    o[0], o[1], o[2], o[3], o[4] = available, kind, index, preference, name
    s.option_cost[n] = cost
    s.counts[OPTIONS] = n + 1


@jit
def components_ready(a: Arrays, s: State, op: int, quantity: int, path: Array, depth: int) -> int:
    """The earliest day every component for ``quantity`` units is at the operation's location
    (``path[:depth]`` is the chain, the operation's item-location included)."""
    start = 0
    L = a.n_locations
    for c in range(a.bom_ptr[op], a.bom_ptr[op + 1]):
        need = component_quantity(quantity, a.bom_per[c])
        day = earliest(a, s, a.bom_item[c] * L + a.op_location[op], need, path, depth)
        if day == NONE:
            return NONE
        start = max(start, day)
    return start


@jit
def sources(
    a: Arrays,
    s: State,
    il: int,
    missing: int,
    path: Array,
    depth: int,
    by: int,
) -> int:
    """Every source that can bring ``missing`` units to ``il`` by day ``by``, pushed on the
    option stack earliest first (then the tie rules); how many. ``path[:depth]`` is the chain
    above ``il`` and ``path[depth]`` is ``il``."""
    L = a.n_locations
    loc, item = il % L, il // L
    _prefetch_sources(a, s, il)
    base = s.counts[OPTIONS]
    asked, there = NONE, NONE  # lanes from one location in several modes ask the same
    for k in range(a.tr_ptr[loc], a.tr_ptr[loc + 1]):
        src = item * L + a.tr_source[k]
        if on_path(path, depth + 1, src):
            continue
        if src != asked:
            asked, there = src, earliest(a, s, src, missing, path, depth + 1)
        if there == NONE:
            continue
        shipped = a.next_ship[a.tr_source[k], there]
        if shipped != NONE and shipped + a.tr_lead[k] <= a.last and shipped + a.tr_lead[k] <= by:
            _push_option(s, shipped + a.tr_lead[k], TRANSFER, k, a.tr_cost[k], 0, a.tr_name[k])
    for op in range(a.op_ptr[il], a.op_ptr[il + 1]):
        start = components_ready(a, s, op, missing, path, depth + 1)
        if start == NONE:
            continue
        mark = s.counts[TAKEN]
        n = pack(a, s, op, missing * a.op_hours[op], start, a.last + 1, 1)
        s.counts[TAKEN] = mark
        if n == NONE:
            continue
        ready = (s.taken_day[mark + n - 1] if n > 0 else start) + a.op_lead[op]
        if ready <= a.last and ready <= by:
            _push_option(s, ready, PRODUCTION, op, 0.0, a.op_priority[op], a.op_name[op])
    for sp in range(a.sp_ptr[il], a.sp_ptr[il + 1]):
        n = purchase_lots(a, s, sp, missing, 0, False)
        if n != NONE:
            arrival = s.lots[n - 1, 0] + a.sp_lead[sp]
            if arrival <= a.last and arrival <= by:
                _push_option(
                    s, arrival, PURCHASE, sp, a.sp_price[sp], a.sp_priority[sp], a.sp_name[sp]
                )
    top = s.counts[OPTIONS]
    for i in range(base + 1, top):  # insertion sort: stable, and the lists are short
        j = i
        while j > base and _before(s, j, j - 1):
            for f in range(5):
                s.options[j, f], s.options[j - 1, f] = s.options[j - 1, f], s.options[j, f]
            s.option_cost[j], s.option_cost[j - 1] = s.option_cost[j - 1], s.option_cost[j]
            j -= 1
    return int(top - base)


@jit
def plateau_end(s: State, il: int, start: int, value: int) -> int:
    """The last day of the plateau from ``start`` on, on which ``value`` units are free."""
    if start != 0:
        return stock_below(s, il, value + 1)
    end = s.now[il, NOW_END]
    if end == UNKNOWN:
        end = s.now[il, NOW_END] = stock_below(s, il, value + 1)
    return int(end)
