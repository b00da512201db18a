"""Sorting an output table by integer keys packed into one number, against sorting by each."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from promiseplan.engine.fast.sorting import sorted_by

KEYS = ["a", "b", "c"]


@st.composite
def frames(draw: st.DrawFn) -> pl.DataFrame:
    """Rows of three integer keys (some missing, negative, or too large to pack), a number to
    sort by after them, and the row's position."""
    low = draw(st.sampled_from([0, -5]))
    high = draw(st.sampled_from([3, 1000, 2**40]))
    value = st.integers(min_value=low, max_value=high)
    if draw(st.booleans()):
        value = st.one_of(value, st.none())
    rows = draw(st.lists(st.tuples(value, value, value, st.sampled_from([0.5, 0.25])), max_size=40))
    columns = [*KEYS, "x"]
    data = {name: [r[k] for r in rows] for k, name in enumerate(columns)}
    schema = {"a": pl.Int64, "b": pl.Int64, "c": pl.Int64, "x": pl.Float64}
    return pl.DataFrame(data, schema=schema).with_row_index("row")


@settings(max_examples=300, deadline=None)
@given(frames())
def test_packed_keys_sort_as_the_keys_one_by_one(frame: pl.DataFrame) -> None:
    expected = frame.sort([*KEYS, "x"], maintain_order=True)["row"].to_list()
    assert sorted_by(frame, KEYS, then=["x"])["row"].to_list() == expected
