"""The fast engine's rows of stock against projected stock kept day by day."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from promiseplan.engine.fast.availability import (
    add_from,
    build_stock,
    free_at,
    last_below,
    lowest,
)

DAYS = st.integers(min_value=1, max_value=70)


@st.composite
def histories(draw: st.DrawFn) -> tuple[int, list[tuple[int, int]], list[tuple[int, int]]]:
    """A horizon, arrivals (day, units) and later changes (day, units, either sign)."""
    days = draw(DAYS)
    day = st.integers(min_value=0, max_value=days - 1)
    arrivals = draw(st.lists(st.tuples(day, st.integers(1, 50)), max_size=12))
    changes = draw(st.lists(st.tuples(day, st.integers(-60, 60)), max_size=25))
    return days, arrivals, changes


def _projected(days: int, events: list[tuple[int, int]]) -> np.ndarray:
    added = np.zeros(days, dtype=np.int64)
    for day, units in events:
        added[day] += units
    return np.cumsum(added)


@settings(max_examples=300, deadline=None)
@given(histories(), st.integers(0, 2))
def test_rows_answer_as_projected_stock(
    history: tuple[int, list[tuple[int, int]], list[tuple[int, int]]], il: int
) -> None:
    days, arrivals, changes = history
    rows = np.array([(il, d, q) for d, q in arrivals], dtype=np.int64).reshape(-1, 3)
    stock = build_stock(3, days, rows)
    events = list(arrivals)
    for step in range(len(changes) + 1):
        projected = _projected(days, events)
        for day in range(days):
            assert free_at(stock, il, day) == projected[day:].min()
        assert lowest(stock, il) == projected.min()
        for bound in {*projected.tolist(), projected.min() - 1, projected.max() + 1}:
            below = np.flatnonzero(projected < bound)
            found = last_below(stock, il, bound)
            if below.size == 0:
                assert found == -1
            elif below[-1] == days - 1:  # the horizon's day: any day from it on
                assert found >= days - 1
            else:
                assert found == below[-1]
        if step < len(changes):
            day, units = changes[step]
            add_from(stock, il, day, units)
            events.append((day, units))
    for other in {0, 1, 2} - {il}:  # rows nothing arrives at stay zero
        assert not stock[other].any()
