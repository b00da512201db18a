"""Rows of a database table as a typed polars frame."""

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
    columns = [c for c in table.c if c.name not in ("id", "run_id", "seq")]
    schema = {
        c.name: next((t for k, t in POLARS.items() if isinstance(c.type, k)), pl.String())
        for c in columns
    }
    query = sa.select(*columns).where(*where)
    if first is not None:
        query = query.order_by(*first[1]).limit(first[0])
    found = [tuple(r) for r in connection.execute(query)]
    return pl.DataFrame(found, schema=schema, orient="row")
