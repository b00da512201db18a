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
        self.item_names = pl.Series(indexed.items, dtype=pl.String)
        self.location_names = pl.Series(indexed.locations, dtype=pl.String)
        self.mode_names = pl.Series(indexed.modes, dtype=pl.String)
        self.lane_mode_name = pl.Series([x.mode for x in lanes] or [""], dtype=pl.String)
        self.chunks: list[pl.DataFrame] = []
        self.deliveries: list[pl.DataFrame] = []
        self.orders: list[tuple[Array, Array, pl.Series]] = []

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
        owner, figures, reason_row = _per_order(
            rows[:, R_ORDER], rows[:, R_PROMISED], rows[:, R_STATUS], confirmed
        )
        self.orders.append((owner, figures, frame["reason"].gather(reason_row)))
        # deliveries as numbers: named once sorted, in ``tables``
        self.deliveries.append(
            frame.filter("confirmed").select(
                "ship",
                "order_rank",
                "item_index",
                "location_index",
                "mode_index",
                "order_index",
                "quantity",
                "arrival",
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

    def _deliveries(self, rows: pl.DataFrame) -> pl.DataFrame:
        """The distribution plan's deliveries, named, from their sorted numbers."""
        return rows.select(
            pl.lit("delivery").alias("kind"),
            pl.lit(self.item_names).gather("item_index").alias("item"),
            pl.lit(self.location_names).gather("location_index").alias("from_location"),
            pl.lit(self.regions).gather("order_index").alias("to"),
            pl.lit(self.mode_names).gather("mode_index").alias("mode"),
            "quantity",
            self._date("ship").alias("ship_date"),
            self._date("arrival").alias("arrival_date"),
            pl.lit(self.order_ids).gather("order_index").alias("order"),
        )

    def tables(self, plans: Callable[[], Plans]) -> Plan:
        """The plan, with the ``plans`` (asked for last: they may be built meanwhile). The
        chunks are emptied: they are large."""
        if not self.chunks:
            self.add(np.zeros((0, R_KIND), np.int64), np.zeros(0), pl.Series([], dtype=pl.String))
        problem, book = self.problem, self.book
        frame = pl.concat(self.chunks, rechunk=True).sort("line_rank", maintain_order=True)
        deliveries = self._deliveries(
            sorted_by(
                pl.concat(self.deliveries, rechunk=True),
                ["ship", "order_rank", "item_index", "location_index", "mode_index"],
            )
        )
        orders = _orders(problem, book, self.keys, self.orders)
        self.chunks.clear()
        self.deliveries.clear()
        self.orders.clear()
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
            orders,
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


def _per_order(
    owner: Array, promised: Array, status: Array, confirmed: Array
) -> tuple[Array, Array, Array]:
    """The figures of each order with rows, from the rows of a chunk sorted by line (each
    order's rows one after another): its order index; its rows, confirmed rows, whether any
    is late and its latest promised day; and the row whose reason is the order's (its first
    unconfirmed row, else its first row promised on the latest day)."""
    n_rows = len(owner)
    if not n_rows:
        return np.zeros(0, np.int64), np.zeros((0, 4), np.int64), np.zeros(0, np.int64)
    starts = np.flatnonzero(np.diff(owner, prepend=-1))
    row = np.arange(n_rows, dtype=np.int64)
    count = np.diff(np.append(starts, n_rows))
    latest = np.maximum.reduceat(np.where(confirmed, promised, np.iinfo(np.int64).min), starts)
    at_latest = confirmed & (promised == np.repeat(latest, count))
    first_unconfirmed = np.minimum.reduceat(np.where(confirmed, n_rows, row), starts)
    first_latest = np.minimum.reduceat(np.where(at_latest, row, n_rows), starts)
    n_confirmed = np.add.reduceat(confirmed.astype(np.int64), starts)
    late = np.maximum.reduceat((status == 1).astype(np.int64), starts)
    reason_row = np.where(
        n_confirmed == 0,
        starts,
        np.where(first_unconfirmed < n_rows, first_unconfirmed, first_latest),
    )
    return owner[starts], np.column_stack((count, n_confirmed, late, latest)), reason_row


def _orders(
    problem: Problem,
    book: OrderBook,
    keys: BookKeys,
    chunks: list[tuple[Array, Array, pl.Series]],
) -> pl.DataFrame:
    """orders.csv: status, promised date and reason of each order, sorted by id, from each
    chunk's orders' figures and reasons (``_per_order``)."""
    n_orders = len(book)
    owner = np.concatenate([c[0] for c in chunks])
    per_order = np.zeros((n_orders, 4), dtype=np.int64)  # rows, confirmed, late, latest
    per_order[owner] = np.concatenate([c[1] for c in chunks])
    summary_row = np.full(n_orders, -1, dtype=np.int64)
    summary_row[owner] = np.arange(len(owner), dtype=np.int64)
    by_id = inverse(keys.order)
    lines, n_confirmed, late, latest = per_order[by_id].T
    summary_row = summary_row[by_id]
    status = np.select(
        [lines == 0, n_confirmed == 0, n_confirmed < lines, late == 1],
        [0, 2, 3, 1],
        0,
    )
    reasons = pl.concat([c[2] for c in chunks], rechunk=True)
    has_reason = summary_row >= 0
    frame = pl.DataFrame(
        {
            "order": book.ids.series.gather(by_id),
            "customer": book.customers.series.gather(by_id),
            "status": pl.Series(["on_time", "late", "unconfirmed", "partial"]).gather(status),
            "requested": book.requested.series.gather(by_id),
            "promised": pl.Series(latest).scatter(np.flatnonzero(n_confirmed == 0), None),
            "lines": np.diff(book.line_ptr)[by_id],
            "reason": reasons.gather(np.maximum(summary_row, 0))
            if len(reasons)
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
