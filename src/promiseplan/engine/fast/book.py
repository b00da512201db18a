"""The open orders as columns, in decision order: what the fast engine reads of them.

Built from a dataset's tables with polars (the priority model as one multi-key sort), or from a
Problem's order objects; both give the same book.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from promiseplan.dataset.load import Dataset
from promiseplan.engine.fast.arrays import Ints
from promiseplan.model.build import day_number, line_sort_keys, order_modes
from promiseplan.model.problem import Problem
from promiseplan.model.settings import Settings


@dataclass
class OrderBook:
    ids: list[str]
    customers: list[str]
    regions: list[str]
    requested: list[int | None]
    """Requested day (day 0 is the run's date), or None."""
    max_late: list[int | None]
    modes: list[frozenset[str] | None]
    """Allowed transport modes; None allows every mode."""
    complete: Ints
    line_ptr: Ints
    """Lines of order ``k`` are ``line_ptr[k]`` to ``line_ptr[k + 1] - 1``, in line order."""
    line_ids: list[str]
    line_items: list[str]
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
        ids=[o.id for o in orders],
        customers=[o.customer for o in orders],
        regions=[o.region for o in orders],
        requested=[o.requested_day for o in orders],
        max_late=[o.max_lateness_days for o in orders],
        modes=[o.modes for o in orders],
        complete=np.asarray([o.ship_complete for o in orders], dtype=np.int64),
        line_ptr=ptr,
        line_ids=[line.line for line in lines],
        line_items=[line.item for line in lines],
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
    lines = lines.join(rank, on="order", how="inner").sort(
        "rank", "key_kind", "key_number", "key_text", "file_position"
    )
    counts = (
        rank.join(lines.group_by("rank").len(), on="rank", how="left")
        .sort("rank")["len"]
        .fill_null(0)
        .to_numpy()
    )
    ptr = np.zeros(ordered.height + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    return OrderBook(
        ids=ordered["order"].to_list(),
        customers=ordered["customer"].to_list(),
        regions=ordered["region"].to_list(),
        requested=ordered["requested_day"].to_list(),
        max_late=ordered["max_lateness_days"].to_list(),
        modes=_all_modes(ordered["modes"].to_list()),
        complete=ordered["ship_complete"].cast(pl.Int64).to_numpy(),
        line_ptr=ptr,
        line_ids=lines["line"].to_list(),
        line_items=lines["item"].to_list(),
        line_quantity=lines["quantity"].cast(pl.Int64).to_numpy(),
    )


def _all_modes(texts: list[str | None]) -> list[frozenset[str] | None]:
    """The modes each order allows (None: any); orders share a few distinct texts."""
    sets = {t: order_modes(t) for t in set(texts)}
    return [sets[t] for t in texts]


def _values(orders: pl.DataFrame, lines: pl.DataFrame, dataset: Dataset) -> pl.Series:
    cost = dict(dataset["items"].select("item", "unit_cost").iter_rows())
    total: dict[str, float] = {}
    ordered = lines.sort("order", "key_kind", "key_number", "key_text", "file_position")
    for order, item, quantity in ordered.select("order", "item", "quantity").iter_rows():
        total[order] = total.get(order, 0) + quantity * cost[item]
    return pl.Series([total.get(o, 0) for o in orders["order"].to_list()])
