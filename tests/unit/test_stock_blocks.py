"""The fast engine's rows of stock against projected stock kept day by day."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from promiseplan.engine.fast import availability
from promiseplan.engine.fast.availability import (
    add_from,
    build_stock,
    free_at,
    last_below,
    lowest,
    stock_zeros,
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
@given(histories(), st.integers(0, 2), st.booleans())
def test_rows_answer_as_projected_stock(
    history: tuple[int, list[tuple[int, int]], list[tuple[int, int]]], il: int, wide: bool
) -> None:
    """On 32-bit rows (a run's, while its numbers fit) and on 64-bit ones alike."""
    days, arrivals, changes = history
    rows = np.array([(il, d, q) for d, q in arrivals], dtype=np.int64).reshape(-1, 3)
    stock = build_stock(3, days, rows, stock_zeros(3, days, wide) if il == 1 else None, wide)
    assert stock.dtype == (np.int64 if wide else np.int32)
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
            low = add_from(stock, il, day, units)
            events.append((day, units))
            assert low == _projected(days, events).min()
    for other in {0, 1, 2} - {il}:  # rows nothing arrives at stay zero
        assert not stock[other].any()


def test_stock_rows_are_refused_in_memory_of_another_shape() -> None:
    arrivals = np.array([(0, 0, 5)], dtype=np.int64)
    with pytest.raises(ValueError, match="for 3 rows of 20 days"):
        build_stock(3, 20, arrivals, stock_zeros(2, 20))
    assert build_stock(3, 20, arrivals, stock_zeros(3, 20))[0].any()


@pytest.mark.parametrize("advised", [True, False])
def test_stock_memory_is_zeros_whether_or_not_the_kernel_takes_the_advice(
    advised: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kernels before Linux 5.14 refuse to map memory on advice: mmap maps it instead."""
    if not advised:
        monkeypatch.setattr(availability, "_populate", lambda memory, size: False)
    zeros = stock_zeros(5, 30)
    assert zeros.shape == (5, availability.PER_BLOCK * availability.row_blocks(30))
    assert zeros.shape == availability.stock_shape(5, 30)
    assert not zeros.any()
    zeros[4, -1] = 7  # writable
    assert zeros.sum() == 7


def test_wide_rows_hold_more_units_than_32_bits() -> None:
    many = 3 * 10**9
    stock = build_stock(2, 40, np.array([[1, 5, many]], dtype=np.int64), wide=True)
    assert free_at(stock, 1, 5) == many
    assert add_from(stock, 1, 20, -many) == 0
    assert free_at(stock, 1, 5) == 0 and last_below(stock, 1, 1) >= 39
