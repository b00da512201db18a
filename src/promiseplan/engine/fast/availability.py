"""Stock of one item at one location over time, as a segment tree over projected stock.

Projected stock ``P[d]`` is everything that arrived up to day ``d`` less everything taken up to
it. The units free on day ``d`` (takeable without any later day going below zero) are
``min(P[d:])``. One tree per item-location answers, each in O(log horizon):

- ``free_at(d)``: the units free on day ``d``;
- ``last_below(q)``: the last day with ``P < q``, so the earliest day ``q`` units are free is the
  next one (free stock never decreases over time);
- ``add_from(d, q)``: ``q`` units arrive (or, negative, are taken) on day ``d``.

Layout per row: ``tree[1]`` is the root, leaves start at ``size`` (a power of two at least the
number of days; leaves past the horizon hold ``ABSENT``); ``tree[v]`` is the minimum of its
subtree counting the additions made at ``v`` and below, ``pending[v]`` the addition made to the
whole subtree of internal node ``v`` (still to be counted by its descendants).
"""

from __future__ import annotations

import numpy as np

from promiseplan.engine.fast.arrays import Array, Ints
from promiseplan.engine.fast.compiled import jit

ABSENT = 1 << 60
"""Projected stock of a day past the horizon: never the minimum."""


def build_trees(stock: Ints) -> tuple[Ints, Ints]:
    """The trees of every row of ``stock`` ([item-location, day] units arriving)."""
    rows, days = stock.shape
    size = 1
    while size < days:
        size *= 2
    tree = np.full((rows, 2 * size), ABSENT, dtype=np.int64)
    np.cumsum(stock, axis=1, out=tree[:, size : size + days])
    while size > 1:  # each level from the one below: nodes v of a level are size to 2 size - 1
        below = tree[:, size : 2 * size]
        np.minimum(below[:, 0::2], below[:, 1::2], out=tree[:, size // 2 : size])
        size //= 2
    return tree, np.zeros((rows, tree.shape[1] // 2), dtype=np.int64)


@jit
def free_at(tree: Array, pending: Array, day: int) -> int:
    """The minimum of projected stock from ``day`` to the horizon."""
    size = pending.shape[0]
    v, low, high = 1, 0, size
    added = 0
    best = ABSENT
    while v < size:
        added += pending[v]
        middle = (low + high) // 2
        if day < middle:
            right = tree[2 * v + 1] + added
            if right < best:
                best = right
            v, high = 2 * v, middle
        else:
            v, low = 2 * v + 1, middle
    leaf = tree[v] + added
    return int(leaf if leaf < best else best)


@jit
def last_below(tree: Array, pending: Array, bound: int) -> int:
    """The last day whose projected stock is below ``bound``, or -1."""
    size = pending.shape[0]
    if tree[1] >= bound:
        return -1
    v = 1
    added = 0
    while v < size:
        added += pending[v]
        v = 2 * v + 1 if tree[2 * v + 1] + added < bound else 2 * v
    return int(v - size)


@jit
def add_from(tree: Array, pending: Array, day: int, quantity: int) -> None:
    """Projected stock from ``day`` on changes by ``quantity``."""
    size = pending.shape[0]
    v, low, high = 1, 0, size
    while day > low:
        middle = (low + high) // 2
        if day < middle:
            right = 2 * v + 1
            tree[right] += quantity
            if right < size:
                pending[right] += quantity
            v, high = 2 * v, middle
        else:
            v, low = 2 * v + 1, middle
    tree[v] += quantity
    if v < size:
        pending[v] += quantity
    while v > 1:
        v //= 2
        left, right = tree[2 * v], tree[2 * v + 1]
        tree[v] = (left if left < right else right) + pending[v]
