"""Tentative supplies: a way is measured by supplying it and taking the supply back, and the
way chosen is then supplied for real, in the very state it was measured in.

The last tentative supply is taken back only when the state is next asked about (``release``):
the way measured last is most often the one chosen, whose supply is then kept as it is instead
of being taken back and done again. Whatever reads stock, hours or purchases after a
tentative supply releases it first; reading lanes and shipments needs not (a supply changes
none of them).

The last few tentative supplies of an order are kept with the changes they made (the undo
log's entries, productions and transfers, in order), keyed by the state's version: the same
supply asked again in the same state (a truck and an express lane from one location shipping
the same day) is answered without a search, and the chosen way is supplied by doing its
changes again. A version is never reused for another state, so both give exactly what a new
search would; the supply nodes they answer with live until the next order starts (a new memo
generation), which ends the keeping.
"""

from __future__ import annotations

from promiseplan.engine.fast.arrays import Array, Arrays
from promiseplan.engine.fast.compiled import jit
from promiseplan.engine.fast.state import (
    BUY,
    HELD,
    HELD_MARK,
    HOURS,
    KEPT_GENERATION,
    KEPT_LOG,
    KEPT_MADE,
    KEPT_MOVED,
    LOG,
    LOG_FIELDS,
    MAKE,
    MEMO_GENERATION,
    MOVE,
    NET,
    NONE,
    PRODUCTION_FIELDS,
    PRODUCTIONS,
    SUPPLIED,
    TRANSFER_FIELDS,
    TRANSFERS,
    VERSION,
    State,
    add,
    buy,
    checkpoint,
    make,
    move,
    rollback,
    use_hours,
)
from promiseplan.engine.fast.supply import FAIL, supply

# fields of a kept supply
T_GENERATION, T_VERSION, T_IL, T_QTY, T_DAY, T_EARLY, T_NODE = range(7)
T_LOG, T_LOG_END, T_MADE, T_MOVED = range(7, 11)
"""Where its changes are kept; T_LOG_END is NONE when they could not be kept."""


@jit
def _of(r: Array, il: int, quantity: int, day: int, early: bool) -> bool:
    """Whether the supply in row ``r`` of ``supplied`` is this one (in whichever state)."""
    return bool(r[T_IL] == il and r[T_QTY] == quantity and r[T_DAY] == day and r[T_EARLY] == early)


@jit
def _kept(s: State, il: int, quantity: int, day: int, early: bool) -> int:
    """The row of ``supplied`` that holds this supply in the current state, or NONE."""
    generation, version = s.counts[MEMO_GENERATION], s.counts[VERSION]
    for k in range(s.supplied.shape[0]):
        r = s.supplied[k]
        if (
            r[T_GENERATION] == generation
            and r[T_VERSION] == version
            and _of(r, il, quantity, day, early)
        ):
            return k
    return NONE


@jit
def tentative(a: Arrays, s: State, il: int, quantity: int, day: int, early: bool) -> int:
    """The supply of ``quantity`` units at ``il`` by ``day``, taken back: its node, or FAIL. A
    supply that succeeded is taken back by the next ``release`` (or kept as it is by
    ``supply_again``)."""
    release(s)
    k = _kept(s, il, quantity, day, early)
    if k != NONE:
        return int(s.supplied[k, T_NODE])
    version = s.counts[VERSION]
    mark, made, moved = checkpoint(s), s.counts[PRODUCTIONS], s.counts[TRANSFERS]
    node = supply(a, s, il, quantity, day, s.root, 0, early)
    row = s.counts[SUPPLIED] % s.supplied.shape[0]
    r = s.supplied[row]
    s.counts[SUPPLIED] += 1
    r[T_GENERATION], r[T_VERSION], r[T_IL], r[T_QTY] = (
        s.counts[MEMO_GENERATION],
        version,
        il,
        quantity,
    )
    r[T_DAY], r[T_EARLY], r[T_NODE] = day, early, node
    r[T_LOG_END] = NONE
    if node == FAIL:
        rollback(s, mark)
    else:
        _keep_changes(s, r, mark, made, moved)
        s.counts[HELD], s.counts[HELD_MARK] = row + 1, mark
    return int(node)


@jit
def release(s: State) -> None:
    """Take back the tentative supply left in place, if any."""
    if s.counts[HELD] != 0:
        rollback(s, s.counts[HELD_MARK])


@jit
def _keep_changes(s: State, r: Array, mark: int, made: int, moved: int) -> None:
    if s.counts[KEPT_GENERATION] != s.counts[MEMO_GENERATION]:
        s.counts[KEPT_GENERATION] = s.counts[MEMO_GENERATION]
        s.counts[KEPT_LOG] = s.counts[KEPT_MADE] = s.counts[KEPT_MOVED] = 0
    entries = s.counts[LOG] - mark
    new_made, new_moved = s.counts[PRODUCTIONS] - made, s.counts[TRANSFERS] - moved
    at, at_made, at_moved = s.counts[KEPT_LOG], s.counts[KEPT_MADE], s.counts[KEPT_MOVED]
    if (
        at + entries > s.kept_log.shape[0]
        or at_made + new_made > s.kept_made.shape[0]
        or at_moved + new_moved > s.kept_moved.shape[0]
    ):
        return
    # element by element: a row assigned as a whole is a call to copy 32 bytes
    for k in range(entries):
        for f in range(LOG_FIELDS):
            s.kept_log[at + k, f] = s.log[mark + k, f]
        s.kept_hours[at + k] = s.log_hours[mark + k]
    for k in range(new_made):
        for f in range(PRODUCTION_FIELDS):
            s.kept_made[at_made + k, f] = s.productions[made + k, f]
        s.kept_made_hours[at_made + k] = s.production_hours[made + k]
    for k in range(new_moved):
        for f in range(TRANSFER_FIELDS):
            s.kept_moved[at_moved + k, f] = s.transfers[moved + k, f]
    r[T_LOG], r[T_LOG_END], r[T_MADE], r[T_MOVED] = at, at + entries, at_made, at_moved
    s.counts[KEPT_LOG] = at + entries
    s.counts[KEPT_MADE] = at_made + new_made
    s.counts[KEPT_MOVED] = at_moved + new_moved


@jit
def supply_again(a: Arrays, s: State, il: int, quantity: int, day: int, early: bool) -> int:
    """Supply for real what ``tentative`` measured: its node, or FAIL."""
    held = s.counts[HELD]
    if held != 0:
        r = s.supplied[held - 1]
        if _of(r, il, quantity, day, early):
            s.counts[HELD] = 0  # in place already
            return int(r[T_NODE])
        release(s)
    k = _kept(s, il, quantity, day, early)
    if k == NONE or s.supplied[k, T_LOG_END] == NONE:
        return int(supply(a, s, il, quantity, day, s.root, 0, early))
    r = s.supplied[k]
    made, moved = r[T_MADE], r[T_MOVED]
    for e in range(r[T_LOG], r[T_LOG_END]):
        kind, x, y, z = s.kept_log[e, 0], s.kept_log[e, 1], s.kept_log[e, 2], s.kept_log[e, 3]
        if kind == NET:
            add(s, x, y, z)
        elif kind == HOURS:
            use_hours(s, x, y, s.kept_hours[e])
        elif kind == BUY:
            buy(s, x, y, z)
        elif kind == MAKE:
            p = s.kept_made[made]
            make(s, p[0], p[1], p[2], p[3], p[4], p[5], s.kept_made_hours[made])
            made += 1
        elif kind == MOVE:
            t = s.kept_moved[moved]
            move(s, t[0], t[1], t[2], t[3], t[4], t[5], t[6])
            moved += 1
        else:
            raise RuntimeError("a kept supply holds a change a supply does not make")
    return int(r[T_NODE])
