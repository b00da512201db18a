"""Fast bulk writes: COPY on PostgreSQL, executemany elsewhere."""

from __future__ import annotations

from typing import Any

import polars as pl
import sqlalchemy as sa


def bulk_insert(connection: sa.Connection, table: sa.Table, frame: pl.DataFrame) -> None:
    if frame.height == 0:
        return
    columns = [c for c in frame.columns if c in table.c]
    if connection.dialect.name == "postgresql":
        raw: Any = connection.connection.driver_connection
        names = ", ".join(f'"{c}"' for c in columns)
        with (
            raw.cursor() as cursor,
            cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy,
        ):
            for row in frame.select(columns).iter_rows():
                copy.write_row(row)
        return
    connection.execute(table.insert(), frame.select(columns).to_dicts())
