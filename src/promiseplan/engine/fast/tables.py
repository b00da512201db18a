"""The output tables of the fast engine, built column-wise from its rows with polars: the same
frames, row for row, as ``engine.plan.assemble`` builds from schedule-line objects."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import polars as pl

from promiseplan.engine.fast.arrays import Array, Indexed, Ints
from promiseplan.engine.fast.book import OrderBook
from promiseplan.engine.fast.decide import (
    R_ARRIVAL,
    R_LANE,
    R_LINE,
    R_ORDER,
    R_PROMISED,
    R_QTY,
    R_SHIP,
    R_STATUS,
    UNCONFIRMED,
)
from promiseplan.engine.fast.plans import day_date, sum_in_order
from promiseplan.engine.plan import Plan, Plans, Summary, _changes, _frame, finish
from promiseplan.model.build import line_sort_keys
from promiseplan.model.problem import Problem


class _Line(NamedTuple):
    """What ``_changes`` reads of a schedule line."""

    order: str
    line: str
    quantity: int
    status: str
    promised: int | None
    reason: str


class BookKeys(NamedTuple):
    """Integer sort keys of the book's orders and lines, known before any decision: output
    tables sorted by them come out as sorted by the ids, without comparing text."""

    order: Ints
    """Rank of each order's id."""
    line: Ints
    """Rank of each line by order id and line key (lines with equal keys share a rank)."""


def _inverse(permutation: Array) -> Ints:
    """The permutation that undoes ``permutation`` (positions to ranks, or back)."""
    inverse = np.empty(len(permutation), dtype=np.int64)
    inverse[permutation] = np.arange(len(permutation), dtype=np.int64)
    return inverse


def book_keys(book: OrderBook) -> BookKeys:
    order_rank = _inverse(pl.Series(book.ids, dtype=pl.String).arg_sort().to_numpy())
    keys = ["order_rank", "key_kind", "key_number", "key_text"]
    lines = (
        pl.DataFrame(
            {
                "order_rank": np.repeat(order_rank, np.diff(book.line_ptr)),
                "line_index": np.arange(len(book.line_ids), dtype=np.int64),
            }
        )
        .with_columns(line_sort_keys(pl.Series(book.line_ids, dtype=pl.String)))
        .sort(keys, maintain_order=True)
        .with_columns(
            rank=pl.any_horizontal(pl.col(k).ne_missing(pl.col(k).shift()) for k in keys)
            .fill_null(True)
            .cum_sum()
        )
    )
    line_rank = np.empty(len(book.line_ids), dtype=np.int64)
    line_rank[lines["line_index"].to_numpy()] = lines["rank"].to_numpy()
    return BookKeys(order_rank, line_rank)


def schedule_tables(
    problem: Problem,
    book: OrderBook,
    indexed: Indexed,
    plans: Callable[[], Plans],
    rows: Array,
    row_cost: Array,
    reasons: pl.Series,
    keys: BookKeys | None = None,
) -> Plan:
    """The schedule's tables (confirmations, orders, deliveries) from the decided ``rows``, and
    the plan with the ``plans`` (asked for last: they may be built meanwhile)."""
    keys = book_keys(book) if keys is None else keys
    lanes = indexed.delivery_lanes
    confirmed = rows[:, R_STATUS] != UNCONFIRMED
    lane = np.where(confirmed, rows[:, R_LANE], 0)
    promised = np.where(confirmed, rows[:, R_PROMISED], 0)
    ship = np.where(confirmed, rows[:, R_SHIP], 0)
    location_of = {x: k for k, x in enumerate(indexed.locations)}
    mode_of = {x: k for k, x in enumerate(indexed.modes)}
    place = np.asarray([location_of[x.location] for x in lanes] or [0], dtype=np.int64)[lane]
    mode = np.asarray([mode_of[x.mode] for x in lanes] or [0], dtype=np.int64)[lane]
    where = np.where(confirmed, place * len(indexed.modes) + mode, -1)
    # as sorted by order id, line key, confirmed first, promised, ship, ship-from and mode
    at = np.lexsort((where, ship, promised, ~confirmed, keys.line[rows[:, R_LINE]]))
    rows, row_cost, confirmed, lane = rows[at], row_cost[at], confirmed[at], lane[at]
    place, mode = place[at], mode[at]
    frame = pl.DataFrame(
        {
            "order_index": rows[:, R_ORDER],
            "line_index": rows[:, R_LINE],
            "quantity": rows[:, R_QTY],
            "status_code": rows[:, R_STATUS],
            "promised": pl.Series(rows[:, R_PROMISED]),
            "ship": pl.Series(rows[:, R_SHIP]),
            "arrival": pl.Series(rows[:, R_ARRIVAL]),
            "confirmed": confirmed,
            "ship_from": pl.Series([x.location for x in lanes] or [""]).gather(lane),
            "mode": pl.Series([x.mode for x in lanes] or [""]).gather(lane),
            "transit_cost": row_cost,
            "reason": reasons.rechunk().gather(at),
            "order_rank": keys.order[rows[:, R_ORDER]],
            "item_index": indexed.arrays.ln_item[rows[:, R_LINE]],
            "location_index": place,
            "mode_index": mode,
        }
    )
    frame = frame.with_columns(
        order=pl.Series(book.ids, dtype=pl.String).gather(frame["order_index"]),
        line=pl.Series(book.line_ids, dtype=pl.String).gather(frame["line_index"]),
        item=pl.Series(book.line_items, dtype=pl.String).gather(frame["line_index"]),
        status=pl.Series(["on_time", "late", "unconfirmed"]).gather(frame["status_code"]),
        promised=pl.when(pl.col("confirmed")).then(pl.col("promised")),
        ship=pl.when(pl.col("confirmed")).then(pl.col("ship")),
        arrival=pl.when(pl.col("confirmed")).then(pl.col("arrival")),
        ship_from=pl.when(pl.col("confirmed")).then(pl.col("ship_from")).otherwise(pl.lit("")),
        mode=pl.when(pl.col("confirmed")).then(pl.col("mode")).otherwise(pl.lit("")),
    )

    def date(column: str) -> pl.Expr:
        return day_date(problem, column).alias(column)

    confirmations = frame.select(
        "order",
        "line",
        "item",
        "quantity",
        "status",
        date("promised").alias("promised_date"),
        date("ship").alias("ship_date"),
        pl.when(pl.col("confirmed")).then(pl.col("ship_from")).alias("ship_from"),
        pl.when(pl.col("confirmed")).then(pl.col("mode")).alias("mode"),
        "reason",
    )
    regions = pl.Series(book.regions, dtype=pl.String)
    delivered = frame.select(
        "order_index",
        "item",
        "ship_from",
        "mode",
        "quantity",
        "ship",
        "arrival",
        "order",
        "order_rank",
        "item_index",
        "location_index",
        "mode_index",
    ).filter(frame["confirmed"])  # without the reasons, which are long
    deliveries = (
        delivered.select(
            pl.lit("delivery").alias("kind"),
            "item",
            pl.col("ship_from").alias("from_location"),
            pl.lit(None, dtype=pl.String).alias("to"),
            "mode",
            "quantity",
            date("ship").alias("ship_date"),
            date("arrival").alias("arrival_date"),
            "order",
        )
        .with_columns(to=regions.gather(delivered["order_index"]))
        .hstack(
            delivered.select("ship", "order_rank", "item_index", "location_index", "mode_index")
        )
        .sort(
            "ship", "order_rank", "item_index", "location_index", "mode_index", maintain_order=True
        )
        .drop("ship", "order_rank", "item_index", "location_index", "mode_index")
    )
    summary = Summary(
        lines={
            s: int((frame["status_code"] == k).sum())
            for k, s in enumerate(("on_time", "late", "unconfirmed"))
        },
        units_ordered=int(frame["quantity"].sum()),
        units_confirmed=int(rows[confirmed, R_QTY].sum()),
        units_unconfirmed=int(rows[~confirmed, R_QTY].sum()),
        transit_cost=sum_in_order(row_cost),
        order_lines=len(book.line_ids),
    )
    changes = None
    if problem.has_promises:
        changes = _frame(
            "promise_changes",
            _changes(
                problem,
                [
                    _Line(*values)
                    for values in frame.select(
                        "order", "line", "quantity", "status", "promised", "reason"
                    ).iter_rows()
                ],
                set(book.ids),
            ),
        )
    return finish(
        problem,
        confirmations,
        _orders(problem, book, keys, rows, confirmed, frame["reason"]),
        deliveries,
        summary,
        changes,
        plans(),
    )


def _orders(
    problem: Problem,
    book: OrderBook,
    keys: BookKeys,
    rows: Array,
    confirmed: Array,
    reasons: pl.Series,
) -> pl.DataFrame:
    """orders.csv: status, promised date and the reason of each order (``order_rows``), from
    the schedule's ``rows`` sorted by order id (each order's rows one after another)."""
    n_rows, n_orders = len(rows), len(book)
    owner, promised = rows[:, R_ORDER], rows[:, R_PROMISED]
    starts = np.flatnonzero(np.diff(owner, prepend=-1)) if n_rows else np.zeros(0, np.int64)
    per_order = np.zeros((n_orders, 5), dtype=np.int64)  # rows, confirmed, late, latest, reason
    per_order[:, 4] = -1
    if n_rows:
        row = np.arange(n_rows, dtype=np.int64)
        count = np.diff(np.append(starts, n_rows))
        latest = np.maximum.reduceat(np.where(confirmed, promised, np.iinfo(np.int64).min), starts)
        at_latest = confirmed & (promised == np.repeat(latest, count))
        first_unconfirmed = np.minimum.reduceat(np.where(confirmed, n_rows, row), starts)
        first_latest = np.minimum.reduceat(np.where(at_latest, row, n_rows), starts)
        n_confirmed = np.add.reduceat(confirmed.astype(np.int64), starts)
        per_order[owner[starts]] = np.column_stack(
            (
                count,
                n_confirmed,
                np.maximum.reduceat((rows[:, R_STATUS] == 1).astype(np.int64), starts),
                latest,
                np.where(
                    n_confirmed == 0,
                    starts,
                    np.where(first_unconfirmed < n_rows, first_unconfirmed, first_latest),
                ),
            )
        )
    by_id = _inverse(keys.order)
    per_order = per_order[by_id]
    lines, n_confirmed, late, latest, reason_row = per_order.T
    status = np.select(
        [lines == 0, n_confirmed == 0, n_confirmed < lines, late == 1],
        [0, 2, 3, 1],
        0,
    )
    has_reason = reason_row >= 0
    frame = pl.DataFrame(
        {
            "order": pl.Series(book.ids, dtype=pl.String).gather(by_id),
            "customer": pl.Series(book.customers, dtype=pl.String).gather(by_id),
            "status": pl.Series(["on_time", "late", "unconfirmed", "partial"]).gather(status),
            "requested": pl.Series(book.requested, dtype=pl.Int64).gather(by_id),
            "promised": pl.Series(latest).scatter(np.flatnonzero(n_confirmed == 0), None),
            "lines": np.diff(book.line_ptr)[by_id],
            "reason": reasons.gather(np.where(has_reason, reason_row, 0))
            if n_rows
            else pl.repeat(None, n_orders, dtype=pl.String, eager=True),
            "has_reason": has_reason,
        }
    )
    return frame.select(
        "order",
        "customer",
        "status",
        day_date(problem, "requested").alias("requested_date"),
        day_date(problem, "promised").alias("promised_date"),
        "lines",
        pl.when("has_reason").then("reason").otherwise(pl.lit("stock: nothing to deliver")),
    )
