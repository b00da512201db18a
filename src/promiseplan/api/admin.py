"""Administration (admin keys): API keys and the planning settings of stored runs."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, HTTPException
from fastapi import Path as PathParam
from pydantic import BaseModel, Field

from promiseplan.api.deps import Admin, Engine, answers, invalid
from promiseplan.store.keys import create_key_with_id, list_keys, revoke_key
from promiseplan.store.settings import read_settings, write_settings

router = APIRouter(
    prefix="/admin",
    tags=["admin"],
    responses=answers("No such key", forbidden="This needs an admin key"),
)


class NewKey(BaseModel):
    role: Literal["customer", "planner", "admin"]
    customer: str | None = Field(None, description="The customer of a customer key")


class SettingsChange(BaseModel):
    horizon_days: int | None = Field(None, ge=0, le=3660)
    priority_keys: list[str] | None = Field(
        None,
        description="Ascending sort keys of the priority model; '-' before a key reverses it. "
        "Without 'promised_first', orders holding a promise lose their head start and every "
        "run re-plans all open orders purely by priority.",
    )


@router.get("/keys")
def keys(database: Engine, _: Admin) -> list[dict[str, Any]]:
    """Every API key (never its secret)."""
    return list_keys(database)


@router.post("/keys", status_code=201)
def new_key(body: NewKey, database: Engine, _: Admin) -> dict[str, Any]:
    """A new key; the secret is shown in this answer only."""
    try:
        key_id, secret = create_key_with_id(database, body.role, body.customer)
    except ValueError as error:
        raise invalid("body", "customer", message=str(error)) from error
    return {"id": key_id, "role": body.role, "customer": body.customer, "key": secret}


@router.delete("/keys/{key_id}", status_code=204)
def revoke(
    key_id: Annotated[int, PathParam(ge=1, le=2_147_483_647)], database: Engine, _: Admin
) -> None:
    if not revoke_key(database, key_id):
        raise HTTPException(404, detail="no such key")


@router.get("/settings")
def settings(database: Engine, _: Admin) -> dict[str, Any]:
    """The horizon and priority model every stored run uses."""
    with database.connect() as connection:
        return read_settings(connection)


@router.patch("/settings")
def change_settings(body: SettingsChange, database: Engine, _: Admin) -> dict[str, Any]:
    changes = body.model_dump(exclude_none=True)
    try:
        with database.begin() as connection:
            return write_settings(connection, changes, datetime.now())
    except ValueError as error:
        raise invalid("body", message=str(error)) from error
    except sa.exc.IntegrityError as error:  # two admins at once: the other one's change holds
        raise HTTPException(409, detail="settings changed at the same time; try again") from error
