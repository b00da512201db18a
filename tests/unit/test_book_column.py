"""The order book's columns: a polars Series and a Python list that always agree."""

from __future__ import annotations

import numpy as np
import polars as pl

from promiseplan.engine.fast.book import Column, days, texts


def test_a_column_read_from_a_series_gives_the_same_values_as_a_list() -> None:
    column: Column[str] = Column(pl.String, pl.Series(["SO-2", "SO-1", "SO-3"]))
    assert len(column) == 3
    assert column[1] == "SO-1"
    assert list(column) == ["SO-2", "SO-1", "SO-3"]
    assert column.at(np.array([2, 0, 2])) == ["SO-3", "SO-2", "SO-3"]


def test_a_column_made_from_a_list_has_a_series_of_its_type() -> None:
    requested = days([3, None, 0])
    assert requested.series.dtype == pl.Int64
    assert requested.series.to_list() == [3, None, 0]
    assert texts([]).series.dtype == pl.String


def test_a_value_written_into_a_column_is_in_its_series_too() -> None:
    column: Column[str] = Column(pl.String, pl.Series(["a", "b"]))
    assert column.series.to_list() == ["a", "b"]
    column[1] = "c"
    assert column.series.to_list() == ["a", "c"]
    assert column.series.dtype == pl.String
    assert len(column) == 2
