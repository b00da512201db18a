"""Lines of an order go in line order: numerically where the ids are numbers, else as text. The
column-wise keys (the fast engine's) equal the key of each line (the reference engine's)."""

from __future__ import annotations

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from promiseplan.model.build import line_sort_key, line_sort_keys

IDS = st.one_of(
    st.from_regex(r"[0-9]{1,25}", fullmatch=True),
    st.text(min_size=1, max_size=8),
    st.sampled_from(["10", "9", "010", "A", "a1", "١٢", "²", " 1", "1 ", "-1", "+1"]),
)


def _keys(ids: list[str]) -> list[tuple[int, int, str]]:
    frame = line_sort_keys(pl.Series(ids, dtype=pl.String))
    return list(frame.select("key_kind", "key_number", "key_text").iter_rows())


@given(st.lists(IDS, max_size=30))
def test_the_keys_of_a_column_equal_each_lines_key(ids: list[str]) -> None:
    assert _keys(ids) == [line_sort_key(i) for i in ids]


@given(st.lists(IDS.filter(str.isascii), max_size=30))
def test_the_keys_of_ascii_ids_equal_each_lines_key(ids: list[str]) -> None:
    assert _keys(ids) == [line_sort_key(i) for i in ids]


def test_numbers_sort_as_numbers_and_before_text() -> None:
    ids = ["10", "b", "9", "a", "010", "123456789012345678901234567890", "١٢", "0"]
    keys = _keys(ids)
    ranked = sorted(range(len(ids)), key=lambda i: keys[i])
    assert [ids[i] for i in ranked] == [
        "0",
        "9",
        "10",
        "010",
        "١٢",
        "123456789012345678901234567890",
        "a",
        "b",
    ]
