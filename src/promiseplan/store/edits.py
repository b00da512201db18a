"""Editing master data and open orders table by table, checked by the same rules as a dataset
file: every cell is parsed as the file's cell would be, keys stay unique, references stay
resolvable (in the edited table and in every table that points at it) and the bill of material
stays free of cycles. An edit with any problem changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl
import sqlalchemy as sa

from promiseplan.dataset.issues import DatasetError, Issue
from promiseplan.dataset.parse import parse_table
from promiseplan.dataset.read import ROW, RawTable
from promiseplan.dataset.schema import INPUT_TABLES, TABLES, Table
from promiseplan.dataset.validate import bom_cycles, duplicate_keys, unknown_references
from promiseplan.store.bulk import bulk_insert
from promiseplan.store.datasets import read_tables
from promiseplan.store.lock import lock_master_data
from promiseplan.store.tables import INPUT

REQUEST = "request"
"""The file name issues of an edit carry; their row is the position in the request, from 1."""


@dataclass(frozen=True)
class Edit:
    """Rows to insert or replace (matched by the table's key) and keys of rows to delete;
    ``replace`` swaps the whole table for ``upsert`` (the only edit of a table without a key)."""

    upsert: list[dict[str, Any]] = field(default_factory=list)
    delete: list[dict[str, Any]] = field(default_factory=list)
    replace: bool = False


def edit_table(engine: sa.Engine, name: str, edit: Edit) -> dict[str, int]:
    """Apply ``edit`` to table ``name``; rows inserted, replaced and deleted. Raises
    DatasetError naming each problem, KeyError for a table that is not an input table."""
    table = TABLES[name]
    if table not in INPUT_TABLES:
        raise KeyError(name)
    new_rows, issues = _parse_rows(table, edit.upsert)
    issues += _check_shape(table, edit)
    if issues:
        raise DatasetError(issues)
    key = list(table.key)
    with engine.begin() as connection:
        lock_master_data(connection, exclusive=True)
        # the table, what it points at and what points at it: the rest stays valid as it was
        pointing = {t.name for t in INPUT_TABLES if any(r.table == name for r in t.references)}
        frames = read_tables(connection, {name, *(r.table for r in table.references), *pointing})
        current = frames[name]
        if edit.replace:
            kept = current.clear()
            removed = current
        else:  # a table with a key: _check_shape refused anything else
            gone = pl.DataFrame(edit.delete, schema=dict.fromkeys(key, pl.String()))
            issues += _unknown_keys(table, current, gone)
            touched = pl.concat([new_rows.select(key), gone])
            kept = current.join(touched, on=key, how="anti")
            removed = current.join(touched, on=key, how="semi")
        after = {**frames, name: pl.concat([kept, new_rows])}
        issues += duplicate_keys(table, REQUEST, new_rows)
        issues += unknown_references(table, REQUEST, new_rows, after)
        for other in INPUT_TABLES:
            if other is not table and other.name in pointing:
                issues += unknown_references(other, other.file, after[other.name], after)
        if name == "bom":
            issues += bom_cycles(TABLES["bom"].file, after["bom"])
        if issues:
            raise DatasetError(issues)
        sql = INPUT[name]
        if edit.replace:
            connection.execute(sql.delete())
        elif removed.height:
            columns = sa.tuple_(*(sql.c[k] for k in key))
            for start in range(0, removed.height, 500):
                chunk = removed.slice(start, 500).select(key).rows()
                connection.execute(sql.delete().where(columns.in_(chunk)))
        bulk_insert(connection, sql, new_rows.drop(ROW))
    replaced = new_rows.join(removed.select(key), on=key, how="semi").height if key else 0
    return {
        "inserted": new_rows.height - replaced,
        "replaced": replaced,
        "deleted": removed.height - replaced,
    }


def _parse_rows(table: Table, rows: list[dict[str, Any]]) -> tuple[pl.DataFrame, list[Issue]]:
    issues = [
        Issue(REQUEST, i, column, f"no column '{column}' in {table.file}")
        for i, row in enumerate(rows, start=1)
        for column in row
        if column not in table.names
    ]
    text = pl.DataFrame(
        {c: [_text(row.get(c)) for row in rows] for c in table.names},
        schema=dict.fromkeys(table.names, pl.String()),
    ).with_columns(pl.col(pl.String).str.strip_chars().replace("", None))
    text = text.with_row_index(ROW, offset=1).with_columns(pl.col(ROW).cast(pl.Int64))
    frame, cell_issues = parse_table(table, RawTable(REQUEST, text))
    return frame, issues + cell_issues


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _check_shape(table: Table, edit: Edit) -> list[Issue]:
    if edit.replace and edit.delete:
        return [Issue(REQUEST, 0, "delete", "a replacement of the whole table deletes nothing")]
    if not table.key:
        if edit.delete or not edit.replace:
            what = f"{table.name} has no key: send the whole table with replace"
            return [Issue(REQUEST, 0, "replace", what)]
        return []
    return [
        Issue(REQUEST, i, "delete", f"a key of {table.name} is exactly {', '.join(table.key)}")
        for i, key in enumerate(edit.delete, start=1)
        if sorted(key) != sorted(table.key) or not all(isinstance(v, str) for v in key.values())
    ]


def _unknown_keys(table: Table, current: pl.DataFrame, gone: pl.DataFrame) -> list[Issue]:
    key = list(table.key)
    missing = gone.with_row_index("_at", offset=1).join(current, on=key, how="anti")
    return [
        Issue(REQUEST, row["_at"], "delete", f"no such row in {table.file}: {named}")
        for row in missing.iter_rows(named=True)
        for named in [", ".join(f"{k}={row[k]}" for k in key)]
    ]
