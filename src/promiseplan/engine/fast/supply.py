"""Making units free at a location by a day: the fast engine's ``Sourcing.supply``.

Same rules as the reference (what is there first, then the missing units from the earliest
source, tried in order with a rollback when one cannot be done), on an explicit stack of
frames. Each supply leaves a node (kind, source, days, cost, code) from which the reason is
written after the run; a node whose attempt failed is dropped with everything under it.
"""

from __future__ import annotations

from promiseplan.engine.fast.arrays import Array, Arrays
from promiseplan.engine.fast.compiled import jit
from promiseplan.engine.fast.search import (
    component_quantity,
    components_ready,
    earliest,
    on_path,
    pack,
    purchase_lots,
    sources,
)
from promiseplan.engine.fast.state import (
    CODE_CAPACITY,
    CODE_LEAD_TIME,
    CODE_MATERIAL,
    CODE_STOCK,
    EPS,
    N_A,
    N_B,
    N_CODE,
    N_IL,
    N_KIND,
    N_MISSING,
    N_PARENT,
    N_QTY,
    N_READY,
    N_SOURCE,
    N_STOCK,
    NODE_FIELDS,
    NODES,
    NONE,
    OPTIONS,
    PURCHASE,
    STOCK,
    TAKEN,
    TRANSFER,
    State,
    add,
    buy,
    checkpoint,
    free,
    full,
    make,
    move,
    rollback,
    use_hours,
)

FAIL = -1

# supply frames
S_IL, S_QTY, S_DAY, S_DEPTH, S_EARLY, S_PHASE, S_ON_HAND, S_MISSING = range(8)
S_OPT, S_OPTS, S_OPT_I, S_MARK, S_NODE, S_START, S_END, S_C, S_TAKEN, S_TAKEN_N = range(8, 18)
S_PARENT, S_WAITS = 18, 19
V_COST, V_HOURS = 0, 1
# phases
BEGIN, TRY, AFTER_TRANSFER, COMPONENTS, AFTER_COMPONENT = range(5)


@jit
def new_node(
    s: State, kind: int, il: int, quantity: int, stock: int, source: int, parent: int
) -> int:
    n = s.counts[NODES]
    full(n, s.nodes.shape[0])
    node = s.nodes[n]
    for f in range(NODE_FIELDS):
        node[f] = 0
    node[N_KIND], node[N_IL], node[N_QTY], node[N_STOCK] = kind, il, quantity, stock
    node[N_SOURCE], node[N_PARENT] = source, parent
    node[N_CODE] = CODE_STOCK
    s.node_values[n, 0] = 0.0
    s.node_values[n, 1] = 0.0
    s.counts[NODES] = n + 1
    return int(n)


@jit
def can_ship(a: Arrays, location: int, day: int) -> bool:
    return 0 <= day <= a.last and a.next_ship[location, day] == day


@jit
def _buy(a: Arrays, s: State, node: int, sp: int, missing: int, day: int, early: bool) -> bool:
    latest = day - a.sp_lead[sp]
    n = purchase_lots(a, s, sp, missing, latest, not early)
    if n == NONE:
        return False
    last_order = s.lots[n - 1, 0] if early else s.lots[0, 0]
    if last_order > latest:
        return False
    il = s.nodes[node, N_IL]
    for i in range(n):
        k = i if early else n - 1 - i
        o, quantity = s.lots[k, 0], s.lots[k, 1]
        buy(s, sp, o, quantity)
        add(s, il, o + a.sp_lead[sp], quantity)
    node_row = s.nodes[node]
    node_row[N_READY] = last_order + a.sp_lead[sp]
    node_row[N_MISSING] = missing
    node_row[N_A] = n
    node_row[N_CODE] = CODE_CAPACITY if n > 1 else CODE_LEAD_TIME
    s.node_values[node, 0] = missing * a.sp_price[sp]
    return True


@jit
def supply(
    a: Arrays,
    s: State,
    il0: int,
    quantity: int,
    day0: int,
    path: Array,
    depth0: int,
    early0: bool,
) -> int:
    """Make ``quantity`` units of ``il0`` free on ``day0`` (the caller takes them), timing new
    supply just in time, or as early as possible when ``early0``; the supply node, or FAIL
    (then the caller rolls back)."""
    f = s.sframes
    v = s.sframe_values
    p = s.spath
    for k in range(depth0):
        p[k] = path[k]
    L = a.n_locations
    top = 0
    f[0, S_IL], f[0, S_QTY], f[0, S_DAY], f[0, S_DEPTH] = il0, quantity, day0, depth0
    f[0, S_EARLY], f[0, S_PHASE], f[0, S_PARENT] = early0, BEGIN, NONE
    f[0, S_OPT], f[0, S_TAKEN] = s.counts[OPTIONS], s.counts[TAKEN]
    result = FAIL
    while True:
        fr = f[top]
        il, day, depth, early = fr[S_IL], fr[S_DAY], fr[S_DEPTH], fr[S_EARLY] != 0
        phase = fr[S_PHASE]
        finished = False
        child = NONE
        child_qty = 0
        child_day = 0
        if phase == BEGIN:
            on_hand = 0
            if 0 <= day <= a.last:
                on_hand = max(free(s, il, day), 0)
            if on_hand >= fr[S_QTY]:
                result = new_node(s, STOCK, il, fr[S_QTY], fr[S_QTY], NONE, fr[S_PARENT])
                finished = True
            else:
                fr[S_ON_HAND] = on_hand
                fr[S_MISSING] = fr[S_QTY] - on_hand
                p[depth] = il
                fr[S_OPT] = s.counts[OPTIONS]
                fr[S_TAKEN] = s.counts[TAKEN]
                fr[S_OPTS] = sources(a, s, il, fr[S_MISSING], p, depth, day)
                fr[S_OPT_I] = 0
                phase = TRY
        elif phase == AFTER_TRANSFER:
            k = s.options[fr[S_OPT] + fr[S_OPT_I], 2]
            node = fr[S_NODE]
            if result == FAIL:
                phase = -TRY  # this source cannot be done: roll back and try the next
            else:
                missing, shipped = fr[S_MISSING], fr[S_START]
                arrival = shipped + a.tr_lead[k]
                src = (il // L) * L + a.tr_source[k]
                add(s, src, shipped, -missing)
                add(s, il, arrival, missing)
                move(
                    s,
                    il // L,
                    a.tr_source[k],
                    a.tr_destination[k],
                    a.tr_mode[k],
                    missing,
                    shipped,
                    arrival,
                )
                row = s.nodes[node]
                row[N_READY], row[N_A], row[N_MISSING] = arrival, shipped, missing
                up = s.nodes[result]
                row[N_CODE] = up[N_CODE] if up[N_KIND] != STOCK else CODE_LEAD_TIME
                s.node_values[node, 0] = missing * a.tr_cost[k] + s.node_values[result, 0]
                result = node
                finished = True
        elif phase == AFTER_COMPONENT:
            if result == FAIL:
                phase = -TRY
            else:
                c = fr[S_C]
                op = s.options[fr[S_OPT] + fr[S_OPT_I], 2]
                need = component_quantity(fr[S_MISSING], a.bom_per[c])
                add(s, a.bom_item[c] * L + a.op_location[op], fr[S_START], -need)
                v[top, V_COST] += s.node_values[result, 0]
                if s.nodes[result, N_KIND] != STOCK:
                    fr[S_WAITS] = 1
                fr[S_C] = c + 1
                phase = COMPONENTS
        while not finished and child == NONE:
            if phase == -TRY:
                rollback(s, fr[S_MARK])
                s.counts[NODES] = fr[S_NODE]
                s.counts[TAKEN] = fr[S_TAKEN]
                fr[S_OPT_I] += 1
                phase = TRY
            elif phase == TRY:
                if fr[S_OPT_I] >= fr[S_OPTS]:
                    result = FAIL
                    finished = True
                    break
                opt = fr[S_OPT] + fr[S_OPT_I]
                kind, k = s.options[opt, 1], s.options[opt, 2]
                missing = fr[S_MISSING]
                fr[S_MARK] = checkpoint(s)
                node = new_node(s, kind, il, fr[S_QTY], fr[S_ON_HAND], k, fr[S_PARENT])
                fr[S_NODE] = node
                if kind == PURCHASE:
                    if _buy(a, s, node, k, missing, day, early):
                        result = node
                        finished = True
                    else:
                        phase = -TRY
                elif kind == TRANSFER:
                    src_loc = a.tr_source[k]
                    src = (il // L) * L + src_loc
                    shipped = NONE
                    if early:
                        there = earliest(a, s, src, missing, p, depth + 1)
                        first = NONE if there == NONE else a.next_ship[src_loc, there]
                        if first != NONE and first + a.tr_lead[k] <= day:
                            shipped = first
                    else:
                        shipped = day - a.tr_lead[k]
                        while shipped >= 0 and not can_ship(a, src_loc, shipped):
                            shipped -= 1
                        if shipped < 0:
                            shipped = NONE
                    if shipped == NONE:
                        phase = -TRY
                    else:
                        fr[S_START] = shipped
                        child, child_qty, child_day = src, missing, shipped
                        fr[S_PHASE] = AFTER_TRANSFER
                else:
                    phase = _start_production(a, s, fr, v[top], k, day, early, depth)
            elif phase == COMPONENTS:
                op = s.options[fr[S_OPT] + fr[S_OPT_I], 2]
                c = fr[S_C]
                if c < a.bom_ptr[op + 1]:
                    child = a.bom_item[c] * L + a.op_location[op]
                    child_qty = component_quantity(fr[S_MISSING], a.bom_per[c])
                    child_day = fr[S_START]
                    fr[S_PHASE] = AFTER_COMPONENT
                else:
                    result = _finish_production(a, s, fr, v[top], op)
                    finished = True
        if finished:
            s.counts[OPTIONS] = fr[S_OPT]
            s.counts[TAKEN] = fr[S_TAKEN]
            if top == 0:
                return result
            top -= 1
        else:
            top += 1
            full(top + 1, f.shape[0])
            g = f[top]
            g[S_IL], g[S_QTY], g[S_DAY], g[S_DEPTH] = child, child_qty, child_day, depth + 1
            g[S_EARLY], g[S_PHASE], g[S_PARENT] = fr[S_EARLY], BEGIN, fr[S_NODE]
            g[S_OPT] = s.counts[OPTIONS]
            g[S_TAKEN] = s.counts[TAKEN]


@jit
def _start_production(
    a: Arrays,
    s: State,
    fr: Array,
    values: Array,
    op: int,
    day: int,
    early: bool,
    depth: int,
) -> int:
    """Book the operation's hours just in time (or as early as possible); the next phase."""
    last = day - a.op_lead[op]
    if last < 0:
        return -TRY
    missing = fr[S_MISSING]
    hours = missing * a.op_hours[op]
    first = components_ready(a, s, op, missing, s.spath, depth + 1) if early else 0
    if first == NONE or first > last:
        return -TRY
    base = s.counts[TAKEN]
    if hours <= EPS:
        n = 0
        start = end = first if early else last
    else:
        if early:
            n = pack(a, s, op, hours, first, last + 1, 1)
        else:
            n = pack(a, s, op, hours, last, -1, -1)
        if n == NONE:
            return -TRY
        if not early:  # taken latest first: put the days in order
            for i in range(n // 2):
                x, y = base + i, base + n - 1 - i
                s.taken_day[x], s.taken_day[y] = s.taken_day[y], s.taken_day[x]
                s.taken_hours[x], s.taken_hours[y] = s.taken_hours[y], s.taken_hours[x]
        start, end = s.taken_day[base], s.taken_day[base + n - 1]
    s.counts[TAKEN] = base + n
    resource = a.op_resource[op]
    for i in range(base, base + n):
        use_hours(s, resource, s.taken_day[i], s.taken_hours[i])
    fr[S_START], fr[S_END] = start, end
    fr[S_TAKEN_N] = n
    fr[S_C] = a.bom_ptr[op]
    fr[S_WAITS] = 0
    values[V_COST] = 0.0
    values[V_HOURS] = hours
    return COMPONENTS


@jit
def _finish_production(
    a: Arrays,
    s: State,
    fr: Array,
    values: Array,
    op: int,
) -> int:
    L = a.n_locations
    missing = fr[S_MISSING]
    ready = fr[S_END] + a.op_lead[op]
    il = a.op_item[op] * L + a.op_location[op]
    add(s, il, ready, missing)
    resource = a.op_resource[op]
    make(
        s, a.op_item[op], a.op_location[op], resource, missing, fr[S_START], ready, values[V_HOURS]
    )
    node = fr[S_NODE]
    row = s.nodes[node]
    row[N_READY], row[N_A], row[N_B], row[N_MISSING] = ready, fr[S_START], fr[S_END], missing
    s.node_values[node, 0] = values[V_COST]
    s.node_values[node, 1] = values[V_HOURS]
    base, n = s.counts[TAKEN] - fr[S_TAKEN_N], fr[S_TAKEN_N]
    if fr[S_WAITS]:
        row[N_CODE] = CODE_MATERIAL
    else:
        crowded = n > 1
        for i in range(base, base + n):
            if s.hours[resource, s.taken_day[i]] - s.taken_hours[i] > EPS:
                crowded = True
        row[N_CODE] = CODE_CAPACITY if crowded else CODE_LEAD_TIME
    return int(node)


@jit
def could_ever_supply(a: Arrays, s: State, il0: int) -> bool:
    """Whether some source could bring more of the item to the location given time (tells
    ``beyond_horizon`` from ``no_source``)."""
    f = s.cframes
    p = s.cpath
    L = a.n_locations
    top = 0
    f[0, 0], f[0, 1], f[0, 2] = il0, 0, -1  # item-location, depth, stage (-1: not begun)
    answer = False
    returning = False
    while True:
        fr = f[top]
        il, depth = fr[0], fr[1]
        loc = il % L
        decided = False
        if fr[2] == -1:
            if a.sp_ptr[il + 1] > a.sp_ptr[il]:
                answer, decided = True, True
            else:
                p[depth] = il
                fr[2], fr[3], fr[4] = 0, a.op_ptr[il], -1
        elif returning:
            if fr[2] == 0:  # a component
                if answer:
                    fr[4] += 1
                else:
                    fr[3] += 1
                    fr[4] = -1
            elif answer:
                decided = True
            else:
                fr[3] += 1
        returning = False
        child = NONE
        if not decided and fr[2] == 0:
            while fr[3] < a.op_ptr[il + 1] and child == NONE:
                op = fr[3]
                if fr[4] < 0:
                    fr[4] = a.bom_ptr[op]
                while fr[4] < a.bom_ptr[op + 1]:
                    comp = a.bom_item[fr[4]] * L + loc
                    if on_path(p, depth + 1, comp) or free(s, comp, a.last) > 0:
                        fr[4] += 1
                        continue
                    child = comp
                    break
                if child == NONE:  # every component is there or can be had
                    answer, decided = True, True
                    break
            if not decided and child == NONE:
                fr[2], fr[3] = 1, a.tr_ptr[loc]
        if not decided and child == NONE and fr[2] == 1:
            item = il // L
            while fr[3] < a.tr_ptr[loc + 1]:
                src = item * L + a.tr_source[fr[3]]
                if on_path(p, depth + 1, src):
                    fr[3] += 1
                    continue
                if free(s, src, a.last) > 0:
                    answer, decided = True, True
                    break
                child = src
                break
            if not decided and child == NONE:
                answer, decided = False, True
        if decided:
            if top == 0:
                return answer
            top -= 1
            returning = True
        else:
            top += 1
            full(top + 1, f.shape[0])
            f[top, 0], f[top, 1], f[top, 2] = child, depth + 1, -1
