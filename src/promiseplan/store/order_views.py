"""Orders as planners and customers look them up: each open order with its current promise
(from the newest succeeded run), filtered, sorted and paged in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, get_args

import sqlalchemy as sa

from promiseplan.store.runs import last_run
from promiseplan.store.tables import INPUT, OUTPUT

ORDERS, LINES = INPUT["orders"], INPUT["order_lines"]
Sort = Literal["order", "customer", "created_at", "requested_date", "status", "promised_date"]
SORTS: tuple[Sort, ...] = get_args(Sort)


@dataclass(frozen=True)
class OrderFilter:
    customer: str | None = None
    status: str | None = None
    """A promise status (on_time, late, partial, unconfirmed) or ``open``: not planned yet."""
    item: str | None = None
    promised_from: date | None = None
    promised_to: date | None = None


def order_table(
    engine: sa.Engine,
    where: OrderFilter,
    sort: Sort = "order",
    descending: bool = False,
    limit: int = 100,
    offset: int = 0,
) -> tuple[int, list[dict[str, Any]]]:
    """(orders matching, one page of them with status, promised_date and reason)."""
    promised = OUTPUT["orders"]
    with engine.connect() as connection:
        run = last_run(connection)
        status = sa.func.coalesce(promised.c.status, "open").label("status")
        query = sa.select(
            *(c for c in ORDERS.c if c.name != "id"),
            status,
            promised.c.promised_date,
            promised.c.reason,
        ).select_from(
            ORDERS.outerjoin(
                promised, sa.and_(promised.c.run_id == run, promised.c.order == ORDERS.c.order)
            )
        )
        conditions = []
        if where.customer is not None:
            conditions.append(ORDERS.c.customer == where.customer)
        if where.status is not None:
            conditions.append(status == where.status)
        if where.item is not None:
            # not a correlated EXISTS: SQLite would scan the item's lines once per order
            holding = sa.select(LINES.c.order).where(LINES.c.item == where.item)
            conditions.append(ORDERS.c.order.in_(holding))
        if where.promised_from is not None:
            conditions.append(promised.c.promised_date >= where.promised_from)
        if where.promised_to is not None:
            conditions.append(promised.c.promised_date <= where.promised_to)
        query = query.where(*conditions)
        total = connection.execute(
            sa.select(sa.func.count()).select_from(query.subquery())
        ).scalar_one()
        column = status if sort == "status" else query.selected_columns[sort]
        ordering: list[sa.ColumnElement[Any]] = [
            (column.desc() if descending else column.asc()).nulls_last()
        ]
        if sort != "order":
            ordering.append(ORDERS.c.order)
        rows = connection.execute(query.order_by(*ordering).limit(limit).offset(offset))
        return int(total), [dict(r) for r in rows.mappings()]
