"""Arrays read from a borrowed structref (``Lent``): elements at indices taken as they are,
fields read once, views and slices as numba makes them."""

from __future__ import annotations

from typing import Any

import numba
import numpy as np
import pytest
from numba.experimental import structref

from promiseplan.engine.fast.compiled import Fields, borrow, define, register


@register
class PairType(Fields):
    pass


class Pair(structref.StructRefProxy):
    pass


define(Pair, PairType, ["flat", "grid"])


@numba.njit
def _touch(pair: Any, i: int, j: int) -> tuple[int, float, float, int]:
    p = borrow(pair)
    p.flat[i] += 5  # an element read and written
    p.grid[i, j] = p.grid[i, j] * 2.0 + p.flat[i]
    row = p.grid[i]  # a view: numba's own indexing
    part = p.flat[1:3]  # a slice
    part[0] = 7
    return p.flat[i], p.grid[i, j], row.sum(), p.flat[1]


@numba.njit(boundscheck=True)
def _checked(pair: Any, i: int) -> int:
    return int(borrow(pair).flat[i])


def _pair() -> tuple[Any, np.ndarray, np.ndarray]:
    flat = np.arange(4, dtype=np.int64)
    grid = np.arange(12, dtype=np.float64).reshape(3, 4)
    return Pair(flat, grid), flat, grid  # type: ignore[no-untyped-call]


def test_elements_views_and_slices_of_lent_arrays() -> None:
    pair, flat, grid = _pair()
    assert _touch(pair, 2, 3) == (7, 29.0, 8.0 + 9.0 + 10.0 + 29.0, 7)
    # the compiled code wrote into the arrays the structref was built from
    assert flat.tolist() == [0, 7, 7, 3]
    assert grid[2, 3] == 29.0


def test_a_negative_index_is_an_error_when_bounds_are_checked() -> None:
    pair, _, _ = _pair()
    assert _checked(pair, 3) == 3
    with pytest.raises(IndexError):
        _checked(pair, -1)
