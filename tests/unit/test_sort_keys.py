"""Sorting an output table by several integer keys packed into one, against sorting by each."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from promiseplan.engine.fast.tables import _sorted_by

KEYS = ["a", "b", "c"]


@st.composite
def frames(draw: st.DrawFn) -> pl.DataFrame:
    """Rows of three keys (some so large that they cannot be packed) and a row number."""
    bound = draw(st.sampled_from([3, 1000, 2**40]))
    value = st.integers(min_value=0, max_value=bound)
    rows = draw(st.lists(st.tuples(value, value, value), max_size=40))
    return pl.DataFrame(
        {
            "a": [r[0] for r in rows],
            "b": [r[1] for r in rows],
            "c": [r[2] for r in rows],
            "row": list(range(len(rows))),
        },
        schema={"a": pl.Int64, "b": pl.Int64, "c": pl.Int64, "row": pl.Int64},
    )


@settings(max_examples=200, deadline=None)
@given(frames())
def test_packed_keys_sort_as_the_keys_one_by_one(frame: pl.DataFrame) -> None:
    expected = frame.sort(KEYS, maintain_order=True)["row"].to_list()
    assert _sorted_by(frame, KEYS)["row"].to_list() == expected
    assert _sorted_by(frame, KEYS).columns == ["row"]
