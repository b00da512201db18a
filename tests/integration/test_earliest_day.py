"""The fast engine's earliest day units can be free at an item-location never comes sooner for
more units. ``decide._fill`` rests on it: a lane where not one unit can arrive by a date is not
asked for any larger quantity."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from promiseplan.engine.fast.arrays import Array, Arrays
from promiseplan.engine.fast.compiled import borrow, jit
from promiseplan.engine.fast.decide import decide_orders
from promiseplan.engine.fast.search import earliest
from promiseplan.engine.fast.state import NONE, State, new_state, reference
from tests.helpers import indexed_problem
from tests.strategies import datasets

MOST = 40
"""Quantities asked at each item-location: 1 to MOST units."""


@jit
def _earliest_days(arrays: Arrays, state: State, il: int, most: int) -> Array:
    a, s = borrow(arrays), borrow(state)
    days = np.empty(most, dtype=np.int64)
    for quantity in range(1, most + 1):
        days[quantity - 1] = earliest(a, s, il, quantity, s.root, 0)
    return days


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets(), st.floats(0, 1))
def test_the_earliest_day_never_comes_sooner_for_more_units(
    files: dict[str, str], decided: float
) -> None:
    indexed, book = indexed_problem(files)
    state = reference(new_state(indexed.arrays, indexed.item_locations, indexed.arrivals))
    decide_orders(indexed.ref, state, 0, int(len(book) * decided))  # stock taken, supply bought
    for il in range(indexed.item_locations):
        days = _earliest_days(indexed.ref, state, il, MOST)
        found = days != NONE
        count = int(found.sum())
        assert found[:count].all(), (il, days)  # units never free: more never are either
        assert (np.diff(days[:count]) >= 0).all(), (il, days)
