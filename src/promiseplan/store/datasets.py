"""Moving a dataset into and out of the database. An import replaces the master data and open
orders in one transaction: a refused dataset changes nothing."""

from __future__ import annotations

import tempfile
from collections.abc import Collection
from datetime import datetime
from pathlib import Path

import polars as pl
import sqlalchemy as sa

from promiseplan.dataset.load import Dataset, load_dataset
from promiseplan.dataset.parse import _DTYPES
from promiseplan.dataset.read import ROW
from promiseplan.dataset.schema import INPUT_TABLES, WEEKDAYS, Kind
from promiseplan.dataset.upload import unpack
from promiseplan.store.bulk import bulk_insert
from promiseplan.store.settings import DEFAULTS, read_settings, write_settings
from promiseplan.store.tables import INPUT


def import_dataset(engine: sa.Engine, dataset: Dataset) -> dict[str, int]:
    """Replace every input table with ``dataset`` (already validated), and store the horizon
    and priority model of its settings.toml; rows per table."""
    counts = {}
    with engine.begin() as connection:
        stored = {k: v for k, v in dataset.settings.items() if k in DEFAULTS}
        write_settings(connection, stored, datetime.now())
        for table in INPUT_TABLES:
            connection.execute(INPUT[table.name].delete())
        for table in INPUT_TABLES:
            frame = dataset[table.name]
            bulk_insert(connection, INPUT[table.name], frame.drop(ROW, strict=False))
            counts[table.name] = frame.height
    return counts


def import_upload(engine: sa.Engine, name: str, content: bytes) -> dict[str, int]:
    """Validate and import a dataset sent as one file (see ``dataset.upload``), with the
    horizon and priority model of its settings.toml; raises DatasetError and changes nothing
    when anything is wrong."""
    with tempfile.TemporaryDirectory(prefix="promiseplan-upload-") as folder:
        dataset = load_dataset(unpack(name, content, Path(folder)))
    return import_dataset(engine, dataset)


def load_snapshot(engine: sa.Engine) -> Dataset:
    """Every input table and the stored settings as one consistent snapshot, typed as
    ``load_dataset`` types them."""
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    with engine.connect().execution_options(**options) as connection, connection.begin():
        tables = read_tables(connection)
        settings = read_settings(connection)
    return Dataset(tables, settings, has_promises=tables["promises"].height > 0)


def read_tables(
    connection: sa.Connection, only: Collection[str] | None = None
) -> dict[str, pl.DataFrame]:
    """The input tables (``only`` these, when given), typed as ``load_dataset`` types them."""
    tables: dict[str, pl.DataFrame] = {}
    for table in INPUT_TABLES:
        if only is not None and table.name not in only:
            continue
        sql = INPUT[table.name]
        rows = connection.execute(sa.select(sql).order_by(sql.c.id)).all()
        schema = {ROW: pl.Int64(), **{c.name: _DTYPES[c.kind] for c in table.columns}}
        data = [(row[0] + 1, *row[1:]) for row in rows]  # ids from 1: rows as a sheet counts them
        tables[table.name] = pl.DataFrame(data, schema=schema, orient="row")
    return tables


def export_dataset(engine: sa.Engine) -> dict[str, pl.DataFrame]:
    """The input tables in their file form (weekday names, ``true``/``false``), for writing."""
    dataset = load_snapshot(engine)
    out = {}
    for table in INPUT_TABLES:
        frame = dataset[table.name].drop(ROW)
        for column in table.columns:
            if column.kind is Kind.WEEKDAYS:
                frame = frame.with_columns(
                    pl.col(column.name).map_elements(_weekday_names, return_dtype=pl.String())
                )
            elif column.kind is Kind.BOOL:
                frame = frame.with_columns(pl.col(column.name).cast(pl.String).str.to_lowercase())
        if table.required or frame.height:
            out[table.name] = frame
    return out


def _weekday_names(mask: int | None) -> str:
    return " ".join(name for i, name in enumerate(WEEKDAYS) if (mask or 0) >> i & 1)
