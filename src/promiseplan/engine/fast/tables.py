"""The output tables of the fast engine, built column-wise from its rows with polars: the same
frames, row for row, as ``engine.plan.assemble`` builds from schedule-line objects."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import polars as pl

from promiseplan.engine.fast.arrays import Array, Indexed, Ints, _index
from promiseplan.engine.fast.book import OrderBook
from promiseplan.engine.fast.decide import (
    R_ARRIVAL,
    R_KIND,
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
from promiseplan.engine.fast.sorting import inverse, sorted_by
from promiseplan.engine.plan import _COLUMNS, Plan, Plans, Summary, _changes, _frame, finish
from promiseplan.model.build import line_sort_keys
from promiseplan.model.problem import Problem

LINE_STATUS = ("on_time", "late", "unconfirmed")
"""A schedule line's status by its code (``ON_TIME``, ``LATE``, ``UNCONFIRMED``)."""


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


def book_keys(book: OrderBook) -> BookKeys:
    order_rank = inverse(book.ids.series.arg_sort().to_numpy())
    keys = ["order_rank", "key_kind", "key_number", "key_text"]
    lines = (
        pl.DataFrame(
            {
                "order_rank": np.repeat(order_rank, np.diff(book.line_ptr)),
                "line_index": np.arange(len(book.line_ids), dtype=np.int64),
            }
        )
        .with_columns(line_sort_keys(book.line_ids.series))
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


class Schedule:
    """The schedule's tables (confirmations, orders, deliveries), built chunk by chunk as the
    orders are decided: each chunk's rows become a frame of output columns, sorted within the
    chunk (``add``), so that what is left once every order is decided (``tables``) is one sort
    of the whole and the orders' summary.

    An order's rows are all in one chunk, and chunks come in decision order: sorting the
    chunks' rows, one after the other, by line (a stable sort) gives the order a sort of all
    rows by every key would give."""

    def __init__(self, problem: Problem, book: OrderBook, indexed: Indexed) -> None:
        self.problem = problem
        self.book = book
        self.keys = book_keys(book)
        self.n_modes = len(indexed.modes)
        self.line_item = indexed.arrays.ln_item
        self.order_ids = book.ids.series
        self.line_ids = book.line_ids.series
        self.items = book.line_items.series
        self.regions = book.regions.series
        lanes = indexed.delivery_lanes
        location_of, mode_of = _index(indexed.locations), _index(indexed.modes)
        self.lane_place = np.asarray([location_of[x.location] for x in lanes] or [0], np.int64)
        self.lane_mode = np.asarray([mode_of[x.mode] for x in lanes] or [0], dtype=np.int64)
        self.lane_from = pl.Series([x.location for x in lanes] or [""], dtype=pl.String)
        self.lane_mode_name = pl.Series([x.mode for x in lanes] or [""], dtype=pl.String)
        self.chunks: list[pl.DataFrame] = []
        self.deliveries: list[pl.DataFrame] = []

    def add(self, rows: Array, row_cost: Array, reasons: pl.Series) -> None:
        """The rows ``decide_orders`` decided for a chunk of orders, their costs and reasons."""
        confirmed = rows[:, R_STATUS] != UNCONFIRMED
        lane = np.where(confirmed, rows[:, R_LANE], 0)
        promised = np.where(confirmed, rows[:, R_PROMISED], 0)
        ship = np.where(confirmed, rows[:, R_SHIP], 0)
        place, mode = self.lane_place[lane], self.lane_mode[lane]
        where = np.where(confirmed, place * self.n_modes + mode, -1)
        line_rank = self.keys.line[rows[:, R_LINE]]
        # as sorted by line (order id, line key), confirmed first, promised, ship, ship-from, mode
        at = np.lexsort((where, ship, promised, ~confirmed, line_rank))
        rows, row_cost, confirmed, lane = rows[at], row_cost[at], confirmed[at], lane[at]
        frame = pl.DataFrame(
            {
                "line_rank": line_rank[at],
                "order_index": rows[:, R_ORDER],
                "quantity": rows[:, R_QTY],
                "status_code": rows[:, R_STATUS],
                "promised": rows[:, R_PROMISED],
                "ship": rows[:, R_SHIP],
                "arrival": rows[:, R_ARRIVAL],
                "confirmed": confirmed,
                "ship_from": self.lane_from.gather(lane),
                "mode": self.lane_mode_name.gather(lane),
                "transit_cost": row_cost,
                "reason": reasons.gather(at),
                "order_rank": self.keys.order[rows[:, R_ORDER]],
                "item_index": self.line_item[rows[:, R_LINE]],
                "location_index": place[at],
                "mode_index": mode[at],
            }
        ).with_columns(
            order=self.order_ids.gather(rows[:, R_ORDER]),
            line=self.line_ids.gather(rows[:, R_LINE]),
            item=self.items.gather(rows[:, R_LINE]),
            status=pl.Series(LINE_STATUS).gather(rows[:, R_STATUS]),
            promised_day=pl.when("confirmed").then("promised"),
            ship_from=pl.when("confirmed").then("ship_from"),
            mode=pl.when("confirmed").then("mode"),
        )
        delivered = frame.filter("confirmed")  # without the reasons, which are long
        self.deliveries.append(
            delivered.select(
                pl.lit("delivery").alias("kind"),
                "item",
                pl.col("ship_from").alias("from_location"),
                pl.lit(self.regions).gather("order_index").alias("to"),
                "mode",
                "quantity",
                self._date("ship").alias("ship_date"),
                self._date("arrival").alias("arrival_date"),
                "order",
                "ship",
                "order_rank",
                "item_index",
                "location_index",
                "mode_index",
            )
        )
        self.chunks.append(
            frame.select(
                "line_rank",
                "order_index",
                "order",
                "line",
                "item",
                "quantity",
                "status_code",
                "status",
                "promised",
                "promised_day",
                self._date("promised_day").alias("promised_date"),
                pl.when("confirmed").then(self._date("ship")).alias("ship_date"),
                "ship_from",
                "mode",
                "confirmed",
                "transit_cost",
                "reason",
            )
        )

    def _date(self, column: str) -> pl.Expr:
        return day_date(self.problem, column)

    def tables(self, plans: Callable[[], Plans]) -> Plan:
        """The plan, with the ``plans`` (asked for last: they may be built meanwhile). The
        chunks are emptied: they are large."""
        if not self.chunks:
            self.add(np.zeros((0, R_KIND), np.int64), np.zeros(0), pl.Series([], dtype=pl.String))
        problem, book = self.problem, self.book
        frame = pl.concat(self.chunks).sort("line_rank", maintain_order=True)
        keys = ["ship", "order_rank", "item_index", "location_index", "mode_index"]
        deliveries = sorted_by(pl.concat(self.deliveries), keys).drop(keys)
        self.chunks.clear()
        self.deliveries.clear()
        confirmations = frame.select(_COLUMNS["confirmations"])
        confirmed = frame["confirmed"].to_numpy()
        status = frame["status_code"].to_numpy()
        changes = None
        if problem.has_promises:
            lines = frame.select("order", "line", "quantity", "status", "promised_day", "reason")
            changes = _frame(
                "promise_changes",
                _changes(problem, [_Line(*v) for v in lines.iter_rows()], set(book.ids)),
            )
        return finish(
            problem,
            confirmations,
            _orders(
                problem,
                book,
                self.keys,
                frame["order_index"].to_numpy(),
                frame["promised"].to_numpy(),
                status,
                confirmed,
                frame["reason"],
            ),
            deliveries,
            _summary(frame, status, confirmed, len(book.line_ids)),
            changes,
            plans(),
        )


def _summary(frame: pl.DataFrame, status: Array, confirmed: Array, order_lines: int) -> Summary:
    """The figures of the schedule's rows (sorted as the confirmations; ``status`` and
    ``confirmed`` are their columns) for kpis.json."""
    quantity = frame["quantity"].to_numpy()
    return Summary(
        lines={s: int((status == k).sum()) for k, s in enumerate(LINE_STATUS)},
        units_ordered=int(quantity.sum()),
        units_confirmed=int(quantity[confirmed].sum()),
        units_unconfirmed=int(quantity[~confirmed].sum()),
        transit_cost=sum_in_order(frame["transit_cost"].to_numpy()),
        order_lines=order_lines,
    )


def _orders(
    problem: Problem,
    book: OrderBook,
    keys: BookKeys,
    owner: Array,
    promised: Array,
    status: Array,
    confirmed: Array,
    reasons: pl.Series,
) -> pl.DataFrame:
    """orders.csv: status, promised date and the reason of each order (``order_rows``), from
    the schedule's rows sorted by order id (each order's rows one after another): their order
    index, promised day, status code, whether confirmed and reason."""
    n_rows, n_orders = len(owner), len(book)
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
                np.maximum.reduceat((status == 1).astype(np.int64), starts),
                latest,
                np.where(
                    n_confirmed == 0,
                    starts,
                    np.where(first_unconfirmed < n_rows, first_unconfirmed, first_latest),
                ),
            )
        )
    by_id = inverse(keys.order)
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
            "order": book.ids.series.gather(by_id),
            "customer": book.customers.series.gather(by_id),
            "status": pl.Series(["on_time", "late", "unconfirmed", "partial"]).gather(status),
            "requested": book.requested.series.gather(by_id),
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
