"""Master data and open orders as stored, table by table (planner keys)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from promiseplan.api.deps import Engine, Planner, answers, issue_list
from promiseplan.dataset.issues import DatasetError
from promiseplan.store.datasets import import_upload
from promiseplan.store.edits import Edit, edit_table
from promiseplan.store.frames import page, row_counts
from promiseplan.store.tables import INPUT

MAX_UPLOAD = 512 * 1024**2

router = APIRouter(
    prefix="/data",
    tags=["data"],
    responses=answers("No such table"),
)


@router.get("")
def tables(database: Engine, _: Planner) -> dict[str, int]:
    """Every table of the dataset with its row count."""
    with database.connect() as connection:
        return row_counts(connection, INPUT)


@router.get("/{table}")
def rows(
    table: str,
    database: Engine,
    _: Planner,
    limit: Annotated[int, Query(ge=1, le=10000)] = 1000,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> dict[str, Any]:
    """Rows of one table: items, locations, inventory, receipts, suppliers, operations, bom,
    resources, transfer_lanes, delivery_lanes, customers, orders, order_lines, promises."""
    if table not in INPUT:
        raise HTTPException(404, detail=f"no table '{table}'; one of {', '.join(INPUT)}")
    sql = INPUT[table]
    with database.connect() as connection:
        total, found = page(connection, sql, order=sql.c.id, limit=limit, offset=offset)
    return {"total": total, "limit": limit, "offset": offset, "rows": found}


class TableEdit(BaseModel):
    upsert: list[dict[str, str | int | float | bool | None]] = Field(
        default_factory=list,
        description="Rows as the table's file has them (column -> cell); a row whose key "
        "exists replaces that row",
    )
    delete: list[dict[str, str]] = Field(
        default_factory=list, description="Keys of rows to delete (column -> value)"
    )
    replace: bool = Field(
        False, description="Replace the whole table by 'upsert' (tables without a key)"
    )


@router.post("/{table}")
def edit(table: str, body: TableEdit, database: Engine, _: Planner) -> dict[str, int]:
    """Insert, replace or delete rows of one table. The edit is checked as a dataset file is
    (cells, keys, references from and to the table, BOM cycles); with any problem nothing
    changes and the answer (422) lists each one with the row of the request it is in."""
    if table not in INPUT:
        raise HTTPException(404, detail=f"no table '{table}'; one of {', '.join(INPUT)}")
    try:
        return edit_table(database, table, Edit(body.upsert, body.delete, body.replace))
    except DatasetError as error:
        raise HTTPException(422, detail=issue_list(error.issues)) from error


@router.put(
    "",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/zip": {"schema": {"type": "string", "format": "binary"}},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                    "schema": {"type": "string", "format": "binary"}
                },
            },
        }
    },
)
async def upload(request: Request, database: Engine, _: Planner) -> dict[str, int]:
    """Replace master data and open orders by a whole dataset: a .zip of the table files or an
    .xlsx workbook. A dataset with any problem changes nothing; the answer (422) lists each
    problem by file, row and column."""
    content = await request.body()
    if len(content) > MAX_UPLOAD:
        raise HTTPException(413, detail="a dataset upload is at most 512 MiB")
    try:
        return await run_in_threadpool(import_upload, database, "upload", content)
    except DatasetError as error:
        raise HTTPException(422, detail=issue_list(error.issues)) from error
