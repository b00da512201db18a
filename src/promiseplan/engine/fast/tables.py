"""The output tables of the fast engine, built column-wise from its rows with polars: the same
frames, row for row, as ``engine.plan.assemble`` builds from schedule-line objects."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import polars as pl

from promiseplan.engine.fast.arrays import Array, Indexed
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
from promiseplan.engine.fast.plans import day_date
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


def schedule_tables(
    problem: Problem,
    book: OrderBook,
    indexed: Indexed,
    plans: Plans,
    rows: Array,
    row_cost: Array,
    reasons: pl.Series,
) -> Plan:
    lanes = indexed.delivery_lanes
    order_ids = pl.Series(book.ids, dtype=pl.String)
    line_ids = pl.Series(book.line_ids, dtype=pl.String)
    line_frame = pl.DataFrame(
        {"line": line_ids, "item": pl.Series(book.line_items, dtype=pl.String)}
    ).with_columns(line_sort_keys(line_ids))
    confirmed = rows[:, R_STATUS] != UNCONFIRMED
    lane = np.where(confirmed, rows[:, R_LANE], 0)
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
            "reason": reasons,
        }
    )
    frame = frame.with_columns(
        order=order_ids.gather(frame["order_index"]),
        status=pl.Series(["on_time", "late", "unconfirmed"]).gather(frame["status_code"]),
        promised=pl.when(pl.col("confirmed")).then(pl.col("promised")),
        ship=pl.when(pl.col("confirmed")).then(pl.col("ship")),
        arrival=pl.when(pl.col("confirmed")).then(pl.col("arrival")),
        ship_from=pl.when(pl.col("confirmed")).then(pl.col("ship_from")).otherwise(pl.lit("")),
        mode=pl.when(pl.col("confirmed")).then(pl.col("mode")).otherwise(pl.lit("")),
    ).with_columns(
        line_frame[list(line_frame.columns)].select(pl.all().gather(frame["line_index"]))
    )
    frame = frame.sort(
        "order",
        "key_kind",
        "key_number",
        "key_text",
        pl.col("status_code") == UNCONFIRMED,
        pl.col("promised").fill_null(0),
        pl.col("ship").fill_null(0),
        "ship_from",
        "mode",
        maintain_order=True,
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
    delivered = frame.filter(pl.col("confirmed"))
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
        .sort("ship_date", "order", "item", "from_location", "mode", maintain_order=True)
    )
    summary = Summary(
        lines={
            s: int((frame["status_code"] == k).sum())
            for k, s in enumerate(("on_time", "late", "unconfirmed"))
        },
        units_ordered=int(frame["quantity"].sum()),
        units_confirmed=int(frame.filter(pl.col("confirmed"))["quantity"].sum()),
        units_unconfirmed=int(frame.filter(~pl.col("confirmed"))["quantity"].sum()),
        transit_cost=sum(frame["transit_cost"].to_list()),
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
        problem, confirmations, _orders(problem, book, frame), deliveries, summary, changes, plans
    )


def _orders(problem: Problem, book: OrderBook, frame: pl.DataFrame) -> pl.DataFrame:
    """orders.csv: status, promised date and the reason of each order (``order_rows``)."""
    confirmed = pl.col("confirmed")
    latest = pl.col("promised").filter(confirmed).max()
    row = pl.col("row")  # positions, not the reasons: moving 400 MB of text costs
    per_order = (
        frame.select("order_index", "confirmed", "status_code", "promised")
        .with_row_index("row")
        .group_by("order_index", maintain_order=True)
        .agg(
            lines=pl.len(),
            confirmed=confirmed.sum(),
            late=(pl.col("status_code") == 1).any(),
            promised=latest,
            first_row=row.first(),
            unconfirmed_row=row.filter(~confirmed).first(),
            latest_row=row.filter(confirmed & (pl.col("promised") == latest)).first(),
        )
    )
    base = pl.DataFrame(
        {
            "order_index": np.arange(len(book), dtype=np.int64),
            "order": pl.Series(book.ids, dtype=pl.String),
            "customer": pl.Series(book.customers, dtype=pl.String),
            "requested": pl.Series(book.requested, dtype=pl.Int64),
            "line_count": np.diff(book.line_ptr),
        }
    )
    joined = base.join(per_order, on="order_index", how="left").sort("order")
    status = (
        pl.when(pl.col("lines").is_null())
        .then(pl.lit("on_time"))
        .when(pl.col("confirmed") == 0)
        .then(pl.lit("unconfirmed"))
        .when(pl.col("confirmed") < pl.col("lines"))
        .then(pl.lit("partial"))
        .when(pl.col("late"))
        .then(pl.lit("late"))
        .otherwise(pl.lit("on_time"))
    )
    reason_row = (
        pl.when(pl.col("confirmed") == 0)
        .then("first_row")
        .when(pl.col("unconfirmed_row").is_not_null())
        .then("unconfirmed_row")
        .otherwise("latest_row")
    )
    reason = (
        pl.when(pl.col("lines").is_null())
        .then(pl.lit("stock: nothing to deliver"))
        .otherwise(pl.lit(frame["reason"]).gather(reason_row))
    )
    return joined.select(
        "order",
        "customer",
        status.alias("status"),
        day_date(problem, "requested").alias("requested_date"),
        day_date(problem, "promised").alias("promised_date"),
        pl.col("line_count").alias("lines"),
        reason.alias("reason"),
    )
