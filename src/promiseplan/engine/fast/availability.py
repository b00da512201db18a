"""Stock of one item at one location over time, as a segment tree over projected stock.

Projected stock ``P[d]`` is everything that arrived up to day ``d`` less everything taken up to
it. The units free on day ``d`` (takeable without any later day going below zero) are
``min(P[d:])``. One tree per item-location answers, each in O(log horizon):

- ``free_at(d)``: the units free on day ``d``;
- ``last_below(q)``: the last day with ``P < q``, so the earliest day ``q`` units are free is the
  next one (free stock never decreases over time);
- ``add_from(d, q)``: ``q`` units arrive (or, negative, are taken) on day ``d``.

Layout per row: ``tree[v, MIN]`` for nodes ``v`` from 1 (the root); leaves start at ``size`` (a
power of two at least the number of days). Leaves past the horizon repeat the horizon's projected
stock (every change on a day within the horizon reaches them too), so they never lower a minimum
and ``last_below`` answers a day past the horizon only where the horizon's day would be its
answer. An item-location that nothing arrives at is all zeros: its row is never written, and its
memory never touched, until a decision changes it.
``tree[v, MIN]`` is the minimum of the subtree counting the additions made at ``v`` and below,
``tree[v, PENDING]`` the addition made to the whole subtree of internal node ``v`` (still to be
counted by its descendants). A node's two numbers share a cache line: a walk from the root
reads one line per level, and the trees of every item-location are far larger than the caches.
"""

from __future__ import annotations

import mmap

import numpy as np

from promiseplan.engine.fast.arrays import Array, Ints
from promiseplan.engine.fast.compiled import jit

ABSENT = 1 << 60
"""More than any projected stock: the minimum of no days."""


MIN, PENDING = 0, 1


def build_trees(rows: int, days: int, arrivals: Ints) -> Ints:
    """The trees of ``rows`` item-locations over ``days`` days, from ``arrivals`` (rows of
    item-location, day, units)."""
    size = 1
    while size < days:
        size *= 2
    tree = _zeros_populated((rows, 2 * size, 2))
    at = np.lexsort((arrivals[:, 1], arrivals[:, 0]))
    _fill_trees(arrivals[at], tree)
    return tree


def _zeros_populated(shape: tuple[int, ...]) -> Ints:
    """Zeros whose memory the kernel maps in one call (MAP_POPULATE) rather than one page fault
    at a time as the trees are first written: about ten times faster for the gigabyte of trees
    of a million order lines on a virtual machine (each first touch of a page costs there)."""
    size = int(np.prod(shape)) * 8
    if size == 0 or not hasattr(mmap, "MAP_POPULATE"):
        return np.zeros(shape, dtype=np.int64)
    flags = mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | mmap.MAP_POPULATE
    memory = mmap.mmap(-1, size, flags=flags)
    return np.frombuffer(memory, dtype=np.int64).reshape(shape)


@jit
def _fill_trees(arrivals: Array, tree: Array) -> None:
    """The trees of the item-locations in ``arrivals`` (sorted by item-location and day), one
    row at a time (a row's tree fits in the fastest cache); the other rows stay zero."""
    size = tree.shape[1] // 2
    k, n = 0, arrivals.shape[0]
    while k < n:
        row = arrivals[k, 0]
        t = tree[row]
        total = 0
        for d in range(size):
            while k < n and arrivals[k, 0] == row and arrivals[k, 1] <= d:
                total += arrivals[k, 2]
                k += 1
            t[size + d, MIN] = total
        while k < n and arrivals[k, 0] == row:  # past the last leaf: never arrives
            k += 1
        for v in range(size - 1, 0, -1):
            left, right = t[2 * v, MIN], t[2 * v + 1, MIN]
            t[v, MIN] = left if left < right else right


@jit
def free_at(tree: Array, day: int) -> int:
    """The minimum of projected stock from ``day`` to the horizon."""
    size = tree.shape[0] // 2
    v, low, high = 1, 0, size
    added = 0
    best = ABSENT
    while v < size:
        added += tree[v, PENDING]
        middle = (low + high) // 2
        if day < middle:
            right = tree[2 * v + 1, MIN] + added
            if right < best:
                best = right
            v, high = 2 * v, middle
        else:
            v, low = 2 * v + 1, middle
    leaf = tree[v, MIN] + added
    return int(leaf if leaf < best else best)


@jit
def last_below(tree: Array, bound: int) -> int:
    """The last day whose projected stock is below ``bound``, or -1."""
    size = tree.shape[0] // 2
    if tree[1, MIN] >= bound:
        return -1
    v = 1
    added = 0
    while v < size:
        added += tree[v, PENDING]
        v = 2 * v + 1 if tree[2 * v + 1, MIN] + added < bound else 2 * v
    return int(v - size)


@jit
def add_from(tree: Array, day: int, quantity: int) -> None:
    """Projected stock from ``day`` on changes by ``quantity``."""
    size = tree.shape[0] // 2
    v, low, high = 1, 0, size
    while day > low:
        middle = (low + high) // 2
        if day < middle:
            right = 2 * v + 1
            tree[right, MIN] += quantity
            if right < size:
                tree[right, PENDING] += quantity
            v, high = 2 * v, middle
        else:
            v, low = 2 * v + 1, middle
    tree[v, MIN] += quantity
    if v < size:
        tree[v, PENDING] += quantity
    while v > 1:
        v //= 2
        left, right = tree[2 * v, MIN], tree[2 * v + 1, MIN]
        tree[v, MIN] = (left if left < right else right) + tree[v, PENDING]
