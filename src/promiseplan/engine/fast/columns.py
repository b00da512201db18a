"""Columns of text for the writer of reasons, in two forms with the same results: polars
series for many rows (a run's chunk of orders) and Python lists for a few (an online promise,
where polars' cost per operation, tens of microseconds, would outweigh its speed per row)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import numpy as np
import polars as pl

from promiseplan.engine.fast.arrays import Array

C = TypeVar("C", pl.Series, list[Any])
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

    @abstractmethod
    def reasons(self, code: C, link: C, detail: C) -> C:
        """``code: detail``, or ``code: link detail`` where a link is given."""


class Frames(Columns[pl.Series]):
    def column(self, values: Sequence[Any]) -> pl.Series:
        return pl.Series(values)

    def nulls(self, length: int) -> pl.Series:
        return pl.repeat(None, length, dtype=pl.String, eager=True)

    def gather(self, column: pl.Series, at: Array) -> pl.Series:
        return column.gather(at)

    def scatter(self, column: pl.Series, at: Array, values: pl.Series) -> None:
        column.scatter(at, values)

    def format(self, template: str, *parts: Part) -> pl.Series:
        frame = pl.DataFrame({f"part{i}": part for i, part in enumerate(parts)})
        return frame.select(pl.format(template, *frame.columns)).to_series()

    def general(self, numbers: Array) -> pl.Series:
        unique, inverse = np.unique(numbers, return_inverse=True)
        return pl.Series([f"{x:g}" for x in unique.tolist()], dtype=pl.String).gather(inverse)

    def joined(self, keys: Array, texts: pl.Series, separator: str) -> tuple[Array, pl.Series]:
        groups = (
            pl.DataFrame({"key": keys, "text": texts})
            .group_by("key", maintain_order=True)
            .agg(pl.col("text").str.join(separator))
        )
        return groups["key"].to_numpy(), groups["text"]

    def last_of(
        self, keys: Array, columns: tuple[pl.Series, pl.Series], asked: Array
    ) -> tuple[pl.Series, pl.Series]:
        known = pl.DataFrame({"a": keys[:, 0], "b": keys[:, 1], "x": columns[0], "y": columns[1]})
        found = pl.DataFrame({"a": asked[:, 0], "b": asked[:, 1]}).join(
            known.unique(["a", "b"], keep="last"), on=["a", "b"], how="left", maintain_order="left"
        )
        return found["x"], found["y"]

    def reasons(self, code: pl.Series, link: pl.Series, detail: pl.Series) -> pl.Series:
        return pl.select(
            pl.concat_str(
                pl.lit(code), pl.lit(": "), pl.lit(link), pl.lit(detail), ignore_nulls=True
            )
        ).to_series()


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
