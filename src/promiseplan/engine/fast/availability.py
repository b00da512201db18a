"""Stock of one item at one location over time, as a segment tree over projected stock.

Projected stock ``P[d]`` is everything that arrived up to day ``d`` less everything taken up to
it. The units free on day ``d`` (takeable without any later day going below zero) are
``min(P[d:])``. One tree per item-location answers, each in O(log horizon):

- ``free_at(d)``: the units free on day ``d``;
- ``last_below(q)``: the last day with ``P < q``, so the earliest day ``q`` units are free is the
  next one (free stock never decreases over time);
- ``add_from(d, q)``: ``q`` units arrive (or, negative, are taken) on day ``d``.

Layout per row: ``tree[v, MIN]`` for nodes ``v`` from 1 (the root); leaves start at ``size`` (a
power of two at least the number of days; leaves past the horizon hold ``ABSENT``).
``tree[v, MIN]`` is the minimum of the subtree counting the additions made at ``v`` and below,
``tree[v, PENDING]`` the addition made to the whole subtree of internal node ``v`` (still to be
counted by its descendants). A node's two numbers share a cache line: a walk from the root
reads one line per level, and the trees of every item-location are far larger than the caches.
"""

from __future__ import annotations

import numpy as np

from promiseplan.engine.fast.arrays import Array, Ints
from promiseplan.engine.fast.compiled import jit

ABSENT = 1 << 60
"""Projected stock of a day past the horizon: never the minimum."""


MIN, PENDING = 0, 1


def build_trees(stock: Ints) -> Ints:
    """The trees of every row of ``stock`` ([item-location, day] units arriving)."""
    rows, days = stock.shape
    size = 1
    while size < days:
        size *= 2
    tree = np.zeros((rows, 2 * size, 2), dtype=np.int64)
    _fill_trees(stock, tree)
    return tree


@jit
def _fill_trees(stock: Array, tree: Array) -> None:
    """Each row's tree from its arrivals, one row at a time (a row's tree fits in the
    fastest cache; level by level over all rows, each level would travel through memory)."""
    rows, days = stock.shape
    size = tree.shape[1] // 2
    for r in range(rows):
        t = tree[r]
        t[0, MIN] = ABSENT
        total = 0
        for d in range(size):
            if d < days:
                total += stock[r, d]
                t[size + d, MIN] = total
            else:
                t[size + d, MIN] = ABSENT
        for v in range(size - 1, 0, -1):
            left, right = t[2 * v, MIN], t[2 * v + 1, MIN]
            t[v, MIN] = left if left < right else right


@jit
def free_at(tree: Array, day: int) -> int:
    """The minimum of projected stock from ``day`` to the horizon."""
    if day == 0:
        return int(tree[1, MIN])  # the root's: no walk
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
