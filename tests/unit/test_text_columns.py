"""The reasons' columns of text written by compiled code (``Texts``) give what Python lists
give (``Lists``, the plain form): templates, joins, lookups and the final sentences."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from promiseplan.engine.fast.columns import Lists, Text, Texts

WORDS = st.text(alphabet=st.sampled_from("ab Zé€-;:{}0"), max_size=12)
PIECES = st.text(alphabet=st.sampled_from("ab Zé€-;:(0"), max_size=12)
"""Literal pieces of templates: no braces (``str.format`` would read them)."""
TABLES = {"items": {"name": ["PC1", "Tablette", 'écran 27"', ""]}}


def _date(day: int) -> str:
    return f"2026-01-{day + 1:02d}"


def _both() -> tuple[Texts, Lists]:
    return Texts(TABLES, _date), Lists(TABLES, _date)


@st.composite
def parts(draw: st.DrawFn, rows: int) -> tuple[str, list[Any]]:
    """A template and its parts (at least one): texts (lists of words) or integers (arrays)."""
    count = draw(st.integers(1, 4))
    pieces = draw(st.lists(PIECES, min_size=count + 1, max_size=count + 1))
    chosen: list[Any] = []
    for _ in range(count):
        if draw(st.booleans()):
            chosen.append(draw(st.lists(WORDS, min_size=rows, max_size=rows)))
        else:
            numbers = draw(st.lists(st.integers(-(10**12), 10**12), min_size=rows, max_size=rows))
            chosen.append(np.array(numbers, dtype=np.int64))
    return "{}".join(pieces), chosen


def _in(columns: Any, part: Any) -> Any:
    return columns.column(part) if isinstance(part, list) else part


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 30).flatmap(lambda n: parts(n)))
def test_templates_are_filled_alike(case: tuple[str, list[Any]]) -> None:
    template, chosen = case
    texts, lists = _both()
    written = texts.format(template, *(_in(texts, p) for p in chosen))
    assert texts.as_list(written) == lists.format(template, *(_in(lists, p) for p in chosen))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.one_of(st.none(), WORDS)), min_size=1))
def test_texts_are_joined_by_key_alike(rows: list[tuple[int, str | None]]) -> None:
    texts, lists = _both()
    keys = np.array([k for k, _ in rows], dtype=np.int64)
    words = [w for _, w in rows]
    found_keys, joined = texts.joined(keys, texts.column(words), "; ")
    present = [(k, w) for k, w in rows if w is not None]  # a row without text is left out
    expected_keys, expected = lists.joined(
        np.array([k for k, _ in present], dtype=np.int64), [w for _, w in present], "; "
    )
    by_key = dict(zip(found_keys.tolist(), texts.as_list(joined), strict=True))
    assert list(found_keys) == list(dict.fromkeys(keys.tolist()))
    assert {k: by_key[k] for k in expected_keys.tolist()} == dict(
        zip(expected_keys.tolist(), expected, strict=True)
    )
    assert all(by_key[k] == "" for k in set(by_key) - set(expected_keys.tolist()))


PAIRS = st.tuples(st.integers(0, 5), st.integers(0, 5))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(PAIRS, WORDS, WORDS)), st.lists(PAIRS, min_size=1))
def test_the_last_row_of_a_key_is_found_alike(
    known: list[tuple[tuple[int, int], str, str]], asked: list[tuple[int, int]]
) -> None:
    texts, lists = _both()
    keys = np.array([k for k, _, _ in known], dtype=np.int64).reshape(-1, 2)
    first, second = [x for _, x, _ in known], [y for _, _, y in known]
    wanted = np.array(asked, dtype=np.int64).reshape(-1, 2)
    found = texts.last_of(keys, (texts.column(first), texts.column(second)), wanted)
    expected = lists.last_of(keys, (first, second), wanted)
    assert [texts.as_list(c) for c in found] == list(expected)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(WORDS, st.one_of(st.none(), WORDS), st.one_of(st.none(), WORDS))))
def test_sentences_are_written_alike(rows: list[tuple[str, str | None, str | None]]) -> None:
    texts, lists = _both()
    code, link, detail = ([r[k] for r in rows] for k in range(3))
    written = texts.reasons(texts.column(code), texts.column(link), texts.column(detail))
    assert written.to_list() == lists.reasons(code, link, [d or "" for d in detail])


def test_a_row_missing_a_part_has_no_text() -> None:
    texts = Texts(TABLES, _date)
    filled = texts.format("{} and {}", texts.column(["a", None]), np.array([1, 2]))
    assert texts.as_list(filled) == ["a and 1", None]


def test_text_written_in_scratch_is_forgotten_and_tables_and_dates_stay() -> None:
    """A run's chunks write far more than the first arena holds; each chunk's text is
    forgotten after it, the lookup tables and the dates are not."""
    texts = Texts(TABLES, _date)
    many = np.arange(200_000, dtype=np.int64)
    for _ in range(3):
        with texts.scratch():
            names = texts.gather(texts.tables["items"]["name"], many % 4)
            line = texts.format("{} on {} ({})", names, texts.dates(many % 28), many)
            assert texts.as_list(line)[:2] == [
                "PC1 on 2026-01-01 (0)",
                "Tablette on 2026-01-02 (1)",
            ]
            series = texts.reasons(texts.column(["stock"] * 3), texts.nulls(3), _first(line, 3))
        assert series.to_list()[2] == 'stock: écran 27" on 2026-01-03 (2)'
    assert texts.as_list(texts.tables["items"]["name"]) == TABLES["items"]["name"]


def _first(text: Text, rows: int) -> Text:
    return Text(text.start[:rows], text.length[:rows])
