"""Reading rows of database tables: typed polars frames, pages, counts."""

from __future__ import annotations

from typing import Any

import polars as pl
import sqlalchemy as sa

POLARS = {
    sa.Date: pl.Date(),
    sa.DateTime: pl.Datetime("us"),
    sa.Float: pl.Float64(),
    sa.Boolean: pl.Boolean(),
    sa.Integer: pl.Int64(),
}


def rows_frame(
    connection: sa.Connection,
    table: sa.Table,
    *where: Any,
    first: tuple[int | None, list[Any]] | None = None,
) -> pl.DataFrame:
    """Rows of ``table`` that match (``first``: only so many, or all with None, in that
    order), as a typed frame (typed even when empty; the keys id, run_id and seq left out)."""
    columns = visible_columns(table)
    schema = {
        c.name: next((t for k, t in POLARS.items() if isinstance(c.type, k)), pl.String())
        for c in columns
    }
    query = sa.select(*columns).where(*where)
    if first is not None:
        query = query.order_by(*first[1]).limit(first[0])
    found = [tuple(r) for r in connection.execute(query)]
    return pl.DataFrame(found, schema=schema, orient="row")


def visible_columns(table: sa.Table) -> list[sa.Column[Any]]:
    """The columns a reader sees: without the keys id, run_id and seq."""
    return [c for c in table.c if c.name not in ("id", "run_id", "seq")]


def page(
    connection: sa.Connection,
    table: sa.Table,
    *where: Any,
    order: sa.Column[Any],
    limit: int,
    offset: int,
) -> tuple[int, list[dict[str, Any]]]:
    """How many rows of ``table`` match, and those from ``offset`` on (at most ``limit``) in
    ``order``."""
    total = connection.execute(
        sa.select(sa.func.count()).select_from(table).where(*where)
    ).scalar_one()
    rows = connection.execute(
        sa.select(*visible_columns(table)).where(*where).order_by(order).limit(limit).offset(offset)
    )
    return int(total), [dict(r) for r in rows.mappings()]


def row_counts(connection: sa.Connection, tables: dict[str, sa.Table]) -> dict[str, int]:
    return {
        name: int(connection.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())
        for name, t in tables.items()
    }
