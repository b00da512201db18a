"""Columns of text for the writer of reasons, in two forms with the same results: rows of bytes
written by compiled code for many rows (a run's chunk of orders), Python lists for a few (an
online promise)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import nanoarrow
import numpy as np
import polars as pl

from promiseplan.engine.fast import writing
from promiseplan.engine.fast.arrays import Array
from promiseplan.engine.fast.writing import NO_TEXT


@dataclass(slots=True)
class Text:
    """A column of text in a ``Texts`` arena: each row's start and length (-1: no text)."""

    start: Array
    length: Array

    def __len__(self) -> int:
        return len(self.start)


C = TypeVar("C", Text, list[Any])
Part = Any
"""A column of the same form, or a numpy array of numbers."""


class Columns(ABC, Generic[C]):
    """Operations on columns of text, and the lookup tables and dates in that form."""

    def __init__(self, tables: dict[str, dict[str, list[Any]]], date: Callable[[int], str]):
        self.tables: dict[str, dict[str, C]] = {
            name: {field: self.column(values) for field, values in table.items()}
            for name, table in tables.items()
        }
        self._date = date
        self._first = 0
        self._dates: C = self.column([])

    def dates(self, days: Array) -> C:
        """The dates of day numbers, as text."""
        if len(days) == 0:
            return self.column([])
        low, high = int(days.min()), int(days.max())
        first, last = self._first, self._first + len(self._dates) - 1
        if low < first or high > last:
            first, last = min(low, first), max(high, last)
            self._dates = self.column([self._date(day) for day in range(first, last + 1)])
            self._first = first
        return self.gather(self._dates, days - first)

    def fill(
        self, column: C, where: Array, template: str, parts: Callable[[Array], tuple[Part, ...]]
    ) -> None:
        """Into the rows of ``column`` where ``where`` holds, ``template`` filled from the
        ``parts`` of those rows."""
        at = np.flatnonzero(where)
        if len(at):
            self.scatter(column, at, self.format(template, *parts(at)))

    def pick(self, table: dict[str, C], fields: Sequence[str], rows: Array) -> tuple[C, ...]:
        """The ``fields`` of ``rows`` of a lookup table."""
        return tuple(self.gather(table[field], rows) for field in fields)

    @abstractmethod
    def column(self, values: Sequence[Any]) -> C: ...

    @abstractmethod
    def nulls(self, length: int) -> C: ...

    @abstractmethod
    def gather(self, column: C, at: Array) -> C: ...

    @abstractmethod
    def scatter(self, column: C, at: Array, values: C) -> None: ...

    @abstractmethod
    def format(self, template: str, *parts: Part) -> C:
        """``template`` with its ``{}`` filled row by row from ``parts``."""

    @abstractmethod
    def general(self, numbers: Array) -> C:
        """``numbers`` as Python's ``format(x, 'g')`` writes them."""

    @abstractmethod
    def joined(self, keys: Array, texts: C, separator: str) -> tuple[Array, C]:
        """Each key once, in the order first seen, with its texts joined in row order."""

    @abstractmethod
    def last_of(self, keys: Array, columns: tuple[C, C], asked: Array) -> tuple[C, C]:
        """For each row of ``asked``, the ``columns`` of the last row whose ``keys`` equal it
        (keys are rows of two integers)."""


class Texts(Columns[Text]):
    """Columns of text as rows of bytes in one arena, written by compiled code: for many rows
    (a run's chunk of orders), where a Python object per row would cost most of the time.

    What is written within ``scratch()`` is forgotten after it, so that the arena of a run
    keeps the size of one chunk's text; the lookup tables, written before, stay."""

    def __init__(self, tables: dict[str, dict[str, list[Any]]], date: Callable[[int], str]):
        self._arena = np.empty(1 << 20, dtype=np.uint8)
        self._used = 0
        super().__init__(tables, date)
        self._kept = self._used

    @contextmanager
    def scratch(self) -> Iterator[None]:
        try:
            yield
        finally:
            self._used = self._kept
            self._first, self._dates = 0, self.column([])

    def column(self, values: Sequence[Any]) -> Text:
        data, length = _encoded(values)
        self._arena = writing.room(self._arena, self._used, len(data))
        self._arena[self._used : self._used + len(data)] = np.frombuffer(data, dtype=np.uint8)
        size = np.maximum(length, 0)
        start = self._used + np.cumsum(size) - size
        self._used += len(data)
        return Text(start, length)

    def as_list(self, text: Text) -> list[str | None]:
        """The rows of ``text`` as Python strings (None for no text)."""
        arena = self._arena
        return [
            None if k < 0 else arena[s : s + k].tobytes().decode()
            for s, k in zip(text.start.tolist(), text.length.tolist(), strict=True)
        ]

    def nulls(self, length: int) -> Text:
        return Text(np.zeros(length, dtype=np.int64), np.full(length, NO_TEXT, dtype=np.int64))

    def gather(self, column: Text, at: Array) -> Text:
        return Text(column.start[at], column.length[at])

    def scatter(self, column: Text, at: Array, values: Text) -> None:
        column.start[at] = values.start
        column.length[at] = values.length

    def format(self, template: str, *parts: Part) -> Text:
        self._arena, self._used, start, length = writing.fill_template(
            self._arena, self._used, self._arena, *_template(template, parts), False
        )
        return Text(start, length)

    def general(self, numbers: Array) -> Text:
        unique, inverse = np.unique(numbers, return_inverse=True)
        return self.gather(self.column([f"{x:g}" for x in unique.tolist()]), inverse)

    def joined(self, keys: Array, texts: Text, separator: str) -> tuple[Array, Text]:
        unique, first, group = np.unique(keys, return_index=True, return_inverse=True)
        in_order = np.argsort(first, kind="stable")
        rank = np.empty_like(in_order)
        rank[in_order] = np.arange(len(in_order))
        run = rank[group]  # the run of each row: its key's place in the order first seen
        rows = np.argsort(run, kind="stable")
        bounds = np.searchsorted(run[rows], np.arange(len(unique) + 1))
        self._arena, self._used, start, length = writing.join_runs(
            self._arena,
            self._used,
            texts.start[rows],
            texts.length[rows],
            bounds.astype(np.int64),
            np.frombuffer(separator.encode(), dtype=np.uint8),
        )
        return unique[in_order], Text(start, length)

    def last_of(self, keys: Array, columns: tuple[Text, Text], asked: Array) -> tuple[Text, Text]:
        if len(keys) == 0:
            return self.nulls(len(asked)), self.nulls(len(asked))
        span = int(max(keys[:, 1].max(), asked[:, 1].max(initial=0))) + 1
        known = keys[:, 0] * span + keys[:, 1]
        wanted = asked[:, 0] * span + asked[:, 1]
        unique, first_from_end = np.unique(known[::-1], return_index=True)
        place = np.minimum(np.searchsorted(unique, wanted), len(unique) - 1)
        row = (len(known) - 1 - first_from_end)[place]
        missing = unique[place] != wanted
        found = tuple(self.gather(column, row) for column in columns)
        for text in found:
            text.length[missing] = NO_TEXT
        return found[0], found[1]

    def reasons(self, code: Text, link: Text, detail: Text) -> pl.Series:
        """``code: detail``, or ``code: link detail`` where a link is given, as a polars
        series with a buffer of its own (the arena is written over later)."""
        data, used, _, length = writing.fill_template(
            np.empty(0, dtype=np.uint8),
            0,
            self._arena,
            *_template("{}: {}{}", (code, link, detail)),
            True,
        )
        offsets = np.zeros(len(code) + 1, dtype=np.int64)
        np.cumsum(length, out=offsets[1:])  # rows one after another, none without text
        array = nanoarrow.c_array_from_buffers(
            nanoarrow.large_string(), len(code), [None, offsets, data[:used]]
        )
        return pl.Series(array)


def _encoded(values: Sequence[Any]) -> tuple[bytes, Array]:
    """``values`` as text (none for None) in UTF-8, one after another, and the length of each
    (-1 for None)."""
    try:
        joined = "".join(values)
    except TypeError:  # not all text
        encoded = [None if v is None else str(v).encode() for v in values]
        length = [-1 if b is None else len(b) for b in encoded]
        return b"".join(b for b in encoded if b is not None), np.array(length, dtype=np.int64)
    data = joined.encode()
    if len(data) == len(joined):  # ASCII: a character is a byte
        return data, np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    return data, np.array([len(v.encode()) for v in values], dtype=np.int64)


def _template(
    template: str, parts: Sequence[Part]
) -> tuple[Array, Array, Array, Array, Array, Array]:
    """The arguments of ``writing.fill_template`` that describe ``template`` and its parts."""
    pieces = [piece.encode() for piece in template.split("{}")]
    if len(pieces) != len(parts) + 1:
        raise ValueError(f"{template!r} has {len(pieces) - 1} places for {len(parts)} parts")
    n_rows = len(parts[0]) if parts else 0
    is_text = np.array([isinstance(p, Text) for p in parts], dtype=np.bool_)
    starts = np.zeros((len(parts), n_rows), dtype=np.int64)
    lengths = np.zeros((len(parts), n_rows), dtype=np.int64)
    numbers = np.zeros((len(parts), n_rows), dtype=np.int64)
    for k, part in enumerate(parts):
        if isinstance(part, Text):
            starts[k], lengths[k] = part.start, part.length
        elif np.asarray(part).dtype.kind in "iub":
            numbers[k] = part
        else:
            raise TypeError(f"part {k} of {template!r} is neither text nor integers")
    bounds = np.cumsum([0, *(len(piece) for piece in pieces)], dtype=np.int64)
    literal = np.frombuffer(b"".join(pieces), dtype=np.uint8)
    return literal, bounds, is_text, starts, lengths, numbers


class Lists(Columns[list[Any]]):
    def column(self, values: Sequence[Any]) -> list[Any]:
        return list(values)

    def nulls(self, length: int) -> list[Any]:
        return [None] * length

    def gather(self, column: list[Any], at: Array) -> list[Any]:
        return [column[i] for i in at.tolist()]

    def scatter(self, column: list[Any], at: Array, values: list[Any]) -> None:
        for i, value in zip(at.tolist(), values, strict=True):
            column[i] = value

    def format(self, template: str, *parts: Part) -> list[Any]:
        columns = [p.tolist() if isinstance(p, np.ndarray) else p for p in parts]
        return [template.format(*row) for row in zip(*columns, strict=True)]

    def general(self, numbers: Array) -> list[Any]:
        return [f"{x:g}" for x in numbers.tolist()]

    def joined(self, keys: Array, texts: list[Any], separator: str) -> tuple[Array, list[Any]]:
        groups: dict[int, list[str]] = {}
        for key, text in zip(keys.tolist(), texts, strict=True):
            groups.setdefault(key, []).append(text)
        return np.array(list(groups), dtype=np.int64), [separator.join(t) for t in groups.values()]

    def last_of(
        self, keys: Array, columns: tuple[list[Any], list[Any]], asked: Array
    ) -> tuple[list[Any], list[Any]]:
        last = {(a, b): (x, y) for (a, b), x, y in zip(keys.tolist(), *columns, strict=True)}
        found = [last.get((a, b), (None, None)) for a, b in asked.tolist()]
        return [x for x, _ in found], [y for _, y in found]

    def reasons(self, code: list[Any], link: list[Any], detail: list[Any]) -> list[Any]:
        return [
            f"{c}: {d}" if k is None else f"{c}: {k}{d}"
            for c, k, d in zip(code, link, detail, strict=True)
        ]
