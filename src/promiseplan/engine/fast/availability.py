"""Stock of one item at one location over time, in blocks of sixteen days.

Projected stock ``P[d]`` is everything that arrived up to day ``d`` less everything taken up to
it. The units free on day ``d`` (takeable without any later day going below zero) are
``min(P[d:])``. Each item-location has a row of ``stock`` (``blocks`` blocks of sixteen days) that
answers:

- ``free_at(d)``: the units free on day ``d``;
- ``last_below(q)``: the last day with ``P < q``, so the earliest day ``q`` units are free is the
  next one (free stock never decreases over time);
- ``add_from(d, q)``: ``q`` units arrive (or, negative, are taken) on day ``d``, and the units
  free from day 0 on afterwards;
- ``lowest()``: the units free from day 0 on.

Layout of a row: the minimum of ``P`` over each block (``blocks`` numbers), then an addition
made to each whole block and not yet counted in its days (``blocks`` numbers), then the days
(sixteen per block: one cache line of 32-bit numbers). Every operation reads one block of days
and the row's block summaries, whose addresses are known at once: their cache misses overlap,
where a walk down a tree waits for one line after the other (the rows of a million order lines
are far larger than the caches). Days past the horizon repeat the horizon's projected stock
(every change within the horizon reaches them too), so they never lower a minimum and
``last_below`` answers a day past the horizon only where the horizon's day would be its answer.
An item-location that nothing arrives at is all zeros: its row is never written until a
decision changes it.

The numbers are 32-bit (``NARROW``), half the memory to read of 64-bit ones, while they are sure
to fit: none is larger than twice the units moved in or out of the row's stock (a minimum or a
projected stock is a sum of those moves, a pending addition too, and a day's number is the
difference of the two), and the state counts those moves (``state.UNITS``). A run whose moves
outgrow ``NARROW_UNITS`` is planned again on 64-bit rows (``WIDE``); the same functions serve
both, compiled for each.
"""

from __future__ import annotations

import ctypes
import mmap

import numpy as np

from promiseplan.engine.fast.arrays import Array, Ints
from promiseplan.engine.fast.compiled import jit

BLOCK = 16
"""Days per block: one cache line of int32."""
PER_BLOCK = 2 + BLOCK
"""Numbers per block in a row: its minimum, its pending addition and its days."""
NARROW, WIDE = np.int32, np.int64
"""The numbers of the rows of stock: while every one fits in 32 bits, and after that."""
NARROW_UNITS = (2**31 - 1) // 2
"""Units moved in and out of stock up to which every number of a row fits in 32 bits."""


def row_blocks(days: int) -> int:
    """Blocks per row for ``days`` days, a multiple of eight so that rows (``PER_BLOCK``
    numbers per block) start on a cache line."""
    blocks = -(-days // BLOCK)
    return -(-blocks // 8) * 8


def stock_shape(rows: int, days: int) -> tuple[int, int]:
    """The shape of the rows of ``rows`` item-locations over ``days`` days."""
    return rows, PER_BLOCK * row_blocks(days)


def build_stock(
    rows: int, days: int, arrivals: Ints, zeros: Array | None = None, wide: bool = False
) -> Array:
    """The rows of ``rows`` item-locations over ``days`` days, from ``arrivals`` (rows of
    item-location, day, units), written into ``zeros`` (``stock_zeros(rows, days, wide)``) if
    given."""
    stock = stock_zeros(rows, days, wide) if zeros is None else zeros
    if stock.shape != stock_shape(rows, days):
        raise ValueError(f"stock rows of shape {stock.shape} given for {rows} rows of {days} days")
    at = np.lexsort((arrivals[:, 1], arrivals[:, 0]))
    _fill(arrivals[at], stock)
    return stock


def stock_zeros(rows: int, days: int, wide: bool = False) -> Array:
    """The memory of ``build_stock``'s rows, all zeros, mapped at once rather than one page
    fault at a time as the rows are first written: about ten times faster for the rows of a
    million order lines on a virtual machine (each first touch of a page costs there). Other
    threads run meanwhile (0.1 to 1 s for 320 MiB) where the kernel maps on advice (Linux 5.14
    on); before that, mmap maps it and the interpreter waits."""
    shape, kind = stock_shape(rows, days), WIDE if wide else NARROW
    size = int(np.prod(shape)) * np.dtype(kind).itemsize
    if size == 0 or not hasattr(mmap, "MAP_POPULATE"):
        return np.zeros(shape, dtype=kind)
    memory = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    if not _populate(memory, size):
        memory.close()
        flags = mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | mmap.MAP_POPULATE
        memory = mmap.mmap(-1, size, flags=flags)
    return np.frombuffer(memory, dtype=kind).reshape(shape)


MADV_POPULATE_WRITE = 23
"""madvise(2): map every page of the range now, as if written (Linux 5.14 on)."""


def _populate(memory: mmap.mmap, size: int) -> bool:
    """Map every page of ``memory`` now; whether the kernel did. Through libc's madvise, which
    ctypes calls without the interpreter's lock (``mmap.madvise`` and ``mmap.mmap`` keep it)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    libc.madvise.restype = ctypes.c_int
    start = ctypes.c_char.from_buffer(memory)
    try:
        return bool(libc.madvise(ctypes.addressof(start), size, MADV_POPULATE_WRITE) == 0)
    finally:
        del start  # the buffer is exported while it lives: close() would refuse


@jit
def _fill(arrivals: Array, stock: Array) -> None:
    """The rows of the item-locations in ``arrivals`` (sorted by item-location and day); the
    other rows stay zero."""
    blocks = stock.shape[1] // PER_BLOCK
    first = 2 * blocks
    k, n = 0, arrivals.shape[0]
    while k < n:
        il = arrivals[k, 0]
        total = 0
        for d in range(BLOCK * blocks):
            while k < n and arrivals[k, 0] == il and arrivals[k, 1] <= d:
                total += arrivals[k, 2]
                k += 1
            stock[il, first + d] = total
        while k < n and arrivals[k, 0] == il:  # past the last day: never arrives
            k += 1
        for b in range(blocks):
            stock[il, b] = _block_min(stock, il, first + BLOCK * b, 0)


@jit
def _block_min(stock: Array, il: int, at: int, lift: int) -> int:
    low = stock[il, at]
    for x in range(at + 1, at + BLOCK):
        value = stock[il, x]
        if value < low:
            low = value
    return int(low + lift)


@jit
def free_at(stock: Array, il: int, day: int) -> int:
    """The minimum of projected stock from ``day`` to the horizon."""
    blocks = stock.shape[1] // PER_BLOCK
    b = day // BLOCK
    at = 2 * blocks + day
    end = 2 * blocks + BLOCK * (b + 1)
    low = stock[il, at]
    for x in range(at + 1, end):
        value = stock[il, x]
        if value < low:
            low = value
    low += stock[il, blocks + b]
    for c in range(b + 1, blocks):
        value = stock[il, c]
        if value < low:
            low = value
    return int(low)


@jit
def lowest(stock: Array, il: int) -> int:
    """The minimum of projected stock over the whole horizon: the units free from day 0 on."""
    blocks = stock.shape[1] // PER_BLOCK
    low = stock[il, 0]
    for c in range(1, blocks):
        value = stock[il, c]
        if value < low:
            low = value
    return int(low)


@jit
def read_first(stock: Array) -> int:
    """The column a search reads first of a row: the last block's minimum (``last_below``)."""
    return int(stock.shape[1] // PER_BLOCK - 1)


@jit
def last_below(stock: Array, il: int, bound: int) -> int:
    """The last day whose projected stock is below ``bound``, or -1."""
    blocks = stock.shape[1] // PER_BLOCK
    for b in range(blocks - 1, -1, -1):
        if stock[il, b] < bound:
            first = 2 * blocks + BLOCK * b
            lift = stock[il, blocks + b]
            for x in range(first + BLOCK - 1, first - 1, -1):
                if stock[il, x] + lift < bound:
                    return int(x - 2 * blocks)
    return -1


@jit
def add_from(stock: Array, il: int, day: int, quantity: int) -> int:
    """Projected stock from ``day`` on changes by ``quantity``; the units free from day 0 on
    afterwards (``lowest``, found while the blocks' minimums are changed)."""
    blocks = stock.shape[1] // PER_BLOCK
    b = day // BLOCK
    first = 2 * blocks + BLOCK * b
    # whole blocks, each day or block lifted by 0 or ``quantity``: loops without branches,
    # which the compiler turns into a few vector instructions
    skip = day - BLOCK * b
    for k in range(BLOCK):
        stock[il, first + k] += quantity if k >= skip else 0
    stock[il, b] = _block_min(stock, il, first, stock[il, blocks + b])
    low = stock[il, b]
    for c in range(blocks):
        lift = quantity if c > b else 0
        value = stock[il, c] + lift
        stock[il, c] = value
        stock[il, blocks + c] += lift
        low = min(low, value)
    return int(low)
