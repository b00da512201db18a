"""The open orders as columns, in decision order: what the fast engine reads of them.

Built from a dataset's tables with polars (the priority model as one multi-key sort), or from a
Problem's order objects; both give the same book.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np
import polars as pl

from promiseplan.dataset.load import Dataset
from promiseplan.engine.fast.arrays import Ints
from promiseplan.model.build import day_number, line_sort_keys, order_modes
from promiseplan.model.problem import Problem
from promiseplan.model.settings import Settings

T = TypeVar("T")


class Column(Generic[T]):
    """One column of the book, as a polars Series for work on whole columns and as a Python
    list for reading values one by one, each made from the other when first asked for.

    A million texts take about 0.15 s to become Python strings, while holding the
    interpreter's lock: a book read from a dataset makes its lists only when something reads
    values one by one (the reasons, written while the orders are decided), not before the
    first decision."""

    def __init__(self, dtype: type[pl.DataType], series: pl.Series | None = None) -> None:
        self._dtype = dtype
        self._series = series
        self._values: list[T] | None = None

    @classmethod
    def of(cls, values: list[T], dtype: type[pl.DataType]) -> Column[T]:
        column: Column[T] = cls(dtype)
        column._values = values
        return column

    @property
    def series(self) -> pl.Series:
        if self._series is None:
            self._series = pl.Series(self._values, dtype=self._dtype)
        return self._series

    @property
    def values(self) -> list[T]:
        if self._values is None:
            self._values = self.series.to_list()
        return self._values

    def at(self, positions: Ints) -> list[T]:
        """The values at ``positions``."""
        values = self.values
        return [values[k] for k in positions.tolist()]

    def __len__(self) -> int:
        return len(self._values) if self._values is not None else self.series.len()

    def __getitem__(self, index: int) -> T:
        return self.values[index]

    def __setitem__(self, index: int, value: T) -> None:
        self.values[index] = value
        self._series = None

    def __iter__(self) -> Iterator[T]:
        return iter(self.values)


def texts(values: list[str]) -> Column[str]:
    return Column.of(values, pl.String)


def days(values: list[int | None]) -> Column[int | None]:
    return Column.of(values, pl.Int64)


@dataclass
class OrderBook:
    ids: Column[str]
    customers: Column[str]
    regions: Column[str]
    requested: Column[int | None]
    """Requested day (day 0 is the run's date), or None."""
    max_late: Column[int | None]
    modes: list[frozenset[str] | None]
    """Allowed transport modes; None allows every mode."""
    complete: Ints
    line_ptr: Ints
    """Lines of order ``k`` are ``line_ptr[k]`` to ``line_ptr[k + 1] - 1``, in line order."""
    line_ids: Column[str]
    line_items: Column[str]
    line_quantity: Ints

    def __len__(self) -> int:
        return len(self.ids)

    def line_count(self, order: int) -> int:
        return int(self.line_ptr[order + 1] - self.line_ptr[order])


def book_of(problem: Problem) -> OrderBook:
    orders = problem.orders
    lines = [line for order in orders for line in order.lines]
    ptr = np.zeros(len(orders) + 1, dtype=np.int64)
    np.cumsum([len(o.lines) for o in orders], out=ptr[1:])
    return OrderBook(
        ids=texts([o.id for o in orders]),
        customers=texts([o.customer for o in orders]),
        regions=texts([o.region for o in orders]),
        requested=days([o.requested_day for o in orders]),
        max_late=days([o.max_lateness_days for o in orders]),
        modes=[o.modes for o in orders],
        complete=np.asarray([o.ship_complete for o in orders], dtype=np.int64),
        line_ptr=ptr,
        line_ids=texts([line.line for line in lines]),
        line_items=texts([line.item for line in lines]),
        line_quantity=np.asarray([line.quantity for line in lines], dtype=np.int64),
    )


def book_from_dataset(dataset: Dataset, settings: Settings) -> OrderBook:
    """The orders of ``dataset`` in the order of the priority model (``build_problem``'s)."""
    day0 = settings.now.date()
    customers = dataset["customers"]
    promised = dataset["promises"].select("order").unique()
    orders = (
        dataset["orders"]
        .with_row_index("position")
        .join(
            customers.select(
                "customer",
                pl.col("region"),
                pl.col("priority").alias("customer_priority"),
                pl.col("channel").fill_null("")
                if "channel" in customers.columns
                else pl.lit("").alias("channel"),
            ),
            on="customer",
            how="left",
        )
        .with_columns(
            effective=pl.coalesce("priority", "customer_priority"),
            promised_first=pl.when(pl.col("order").is_in(promised["order"].implode()))
            .then(0)
            .otherwise(1),
            requested_day=day_number("requested_date", day0),
            created_day=day_number(pl.col("created_at").dt.date(), day0),
        )
        .with_columns(need_day=pl.coalesce("requested_day", "created_day"))
        .sort("position")
    )
    lines = dataset["order_lines"].with_row_index("file_position")
    lines = lines.with_columns(line_sort_keys(lines["line"]))
    columns: list[pl.Expr] = []
    descending: list[bool] = []
    for name in settings.priority_keys:
        key = name.lstrip("-")
        descending.append(name.startswith("-"))
        match key:
            case "priority":
                columns.append(pl.col("effective"))
            case "promised_first":
                columns.append(pl.col("promised_first"))
            case "need_date":
                columns.append(pl.col("need_day"))
            case "created_at":
                columns.append(pl.col("created_at"))
            case "order":
                columns.append(pl.col("order"))
            case "customer":
                columns.append(pl.col("customer"))
            case "channel":
                columns.append(pl.col("channel"))
            case _:  # value: summed in line order as build_problem sums it
                orders = orders.with_columns(value=_values(orders, lines, dataset))
                columns.append(pl.col("value"))
    ordered = orders.sort([*columns, pl.col("order")], descending=[*descending, False])
    rank = ordered.select("order").with_row_index("rank")
    lines = (
        lines.select("order", "line", "item", "quantity", "file_position", *LINE_KEYS)
        .join(rank, on="order", how="inner")
        .sort("rank", *LINE_KEYS, "file_position")
    )
    counts = np.bincount(lines["rank"].to_numpy(), minlength=ordered.height)
    ptr = np.zeros(ordered.height + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    return OrderBook(
        ids=Column(pl.String, ordered["order"].cast(pl.String)),
        customers=Column(pl.String, ordered["customer"].cast(pl.String)),
        regions=Column(pl.String, ordered["region"].cast(pl.String)),
        requested=Column(pl.Int64, ordered["requested_day"].cast(pl.Int64)),
        max_late=Column(pl.Int64, ordered["max_lateness_days"].cast(pl.Int64)),
        modes=_all_modes(ordered["modes"]),
        complete=ordered["ship_complete"].cast(pl.Int64).to_numpy(),
        line_ptr=ptr,
        line_ids=Column(pl.String, lines["line"].cast(pl.String)),
        line_items=Column(pl.String, lines["item"].cast(pl.String)),
        line_quantity=lines["quantity"].cast(pl.Int64).to_numpy(),
    )


LINE_KEYS = ("key_kind", "key_number", "key_text")
"""The columns of ``line_sort_keys``."""


def _all_modes(texts: pl.Series) -> list[frozenset[str] | None]:
    """The modes each order allows (None: any); orders share a few distinct texts, numbered
    in polars so that no text of an order becomes a Python object."""
    distinct = texts.drop_nulls().unique()
    sets = np.empty(len(distinct) + 1, dtype=object)  # the last: no text
    sets[:-1] = [order_modes(t) for t in distinct.to_list()]
    numbers = texts.replace_strict(distinct, range(len(distinct)), default=len(distinct))
    return list(sets[numbers.to_numpy()])


def _values(orders: pl.DataFrame, lines: pl.DataFrame, dataset: Dataset) -> pl.Series:
    cost = dict(dataset["items"].select("item", "unit_cost").iter_rows())
    total: dict[str, float] = {}
    ordered = lines.sort("order", "key_kind", "key_number", "key_text", "file_position")
    for order, item, quantity in ordered.select("order", "item", "quantity").iter_rows():
        total[order] = total.get(order, 0) + quantity * cost[item]
    return pl.Series([total.get(o, 0) for o in orders["order"].to_list()])
