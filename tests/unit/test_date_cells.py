"""Date and date-time cells are read in the first format that reads them, whatever the mix of
formats in a column (each later format is only tried on the cells the earlier ones could not
read)."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from promiseplan.dataset.parse import _DATETIME_FORMATS, _convert
from promiseplan.dataset.schema import Column, Kind

moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 12, 31))
cells = st.one_of(
    st.tuples(moments, st.sampled_from(("%Y-%m-%d", *_DATETIME_FORMATS))).map(
        lambda m: m[0].strftime(m[1])
    ),
    st.sampled_from(["", "2026-13-01", "2026-02-30", "tomorrow", "2026-06-01T25:00", "06/01/2026"]),
    st.none(),
)


def _first_reading(cell: str | None, as_date: bool) -> date | datetime | None:
    """The reference: the cell read alone in every format, the first reading in the order of
    the column's kind (a date first as a date, a date-time first in the date-time formats)."""
    if cell is None:
        return None
    alone = pl.Series([cell], dtype=pl.String)
    on_the_day = alone.str.to_date("%Y-%m-%d", strict=False)[0]
    timed = [alone.str.to_datetime(f, strict=False, time_unit="us")[0] for f in _DATETIME_FORMATS]
    if as_date:
        return next((r for r in [on_the_day, *(t and t.date() for t in timed)] if r), None)
    midnight = on_the_day and datetime(on_the_day.year, on_the_day.month, on_the_day.day)
    return next((r for r in [*timed, midnight] if r), None)


@pytest.mark.parametrize("kind", [Kind.DATE, Kind.DATETIME])
@settings(deadline=None)  # polars parses; a loaded machine may take longer than the default
@given(column=st.lists(cells, max_size=40))
def test_cells_take_the_first_format_that_reads_them(kind: Kind, column: list[str | None]) -> None:
    text = pl.Series("when", column, dtype=pl.String)
    value, problems = _convert(Column("when", kind), text)
    assert value.to_list() == [_first_reading(c, as_date=kind is Kind.DATE) for c in column]
    assert problems[0][0].to_list() == [
        c is not None and v is None for c, v in zip(column, value, strict=True)
    ]
