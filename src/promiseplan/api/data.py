"""Master data and open orders as stored, table by table (planner keys)."""

from __future__ import annotations

from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, HTTPException, Query

from promiseplan.api.deps import Engine, Planner, answers
from promiseplan.store.tables import INPUT

router = APIRouter(
    prefix="/data",
    tags=["data"],
    responses=answers("No such table"),
)


@router.get("")
def tables(database: Engine, _: Planner) -> dict[str, int]:
    """Every table of the dataset with its row count."""
    with database.connect() as connection:
        return {
            name: int(connection.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())
            for name, t in INPUT.items()
        }


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
    columns = [c for c in sql.c if c.name != "id"]
    with database.connect() as connection:
        total = connection.execute(sa.select(sa.func.count()).select_from(sql)).scalar_one()
        found = (
            connection.execute(sa.select(*columns).order_by(sql.c.id).limit(limit).offset(offset))
            .mappings()
            .all()
        )
    return {"total": total, "limit": limit, "offset": offset, "rows": [dict(r) for r in found]}
