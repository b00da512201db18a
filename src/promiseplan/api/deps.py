"""Dependencies of every route: the database and who is asking."""

from __future__ import annotations

from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Depends, Header, HTTPException, Request

from promiseplan.dataset.issues import Issue
from promiseplan.store.keys import Principal, principal_for


def answers(
    not_found: str, forbidden: str = "This needs a planner key"
) -> dict[int | str, dict[str, Any]]:
    """The error answers every router documents (the OpenAPI contract names them all)."""
    return {
        400: {"description": "The body is not JSON"},
        401: {"description": "No or unknown API key"},
        403: {"description": forbidden},
        404: {"description": not_found},
    }


def engine(request: Request) -> sa.Engine:
    database: sa.Engine = request.app.state.engine
    return database


Engine = Annotated[sa.Engine, Depends(engine)]


def principal(database: Engine, x_api_key: Annotated[str | None, Header()] = None) -> Principal:
    if not x_api_key:
        raise HTTPException(401, detail="an X-API-Key header is required")
    found = principal_for(database, x_api_key)
    if found is None:
        raise HTTPException(401, detail="unknown API key")
    return found


Caller = Annotated[Principal, Depends(principal)]


def planner(caller: Caller) -> Principal:
    if caller.role not in ("planner", "admin"):
        raise HTTPException(403, detail="this needs a planner key")
    return caller


Planner = Annotated[Principal, Depends(planner)]


def admin(caller: Caller) -> Principal:
    if caller.role != "admin":
        raise HTTPException(403, detail="this needs an admin key")
    return caller


Admin = Annotated[Principal, Depends(admin)]


def issue_list(issues: list[Issue]) -> list[dict[str, object]]:
    """Problems of a dataset or an edit as the API reports them (422): file, row, column and
    message as ``promiseplan validate`` prints them, in the shape of every other 422."""
    return [
        {
            "loc": ["body", i.file, i.row, i.column],
            "msg": str(i),
            "type": "dataset_error",
            "file": i.file,
            "row": i.row,
            "column": i.column,
            "message": i.message,
        }
        for i in issues
    ]


def invalid(*loc: str, message: str, status: int = 422) -> HTTPException:
    """One problem in the shape of FastAPI's own validation errors, so one client handles both."""
    return HTTPException(status, detail=[{"loc": list(loc), "msg": message, "type": "value_error"}])


def customer_for(caller: Principal, asked: str | None) -> str:
    """The customer a request is for: a customer key's own (it may not name another), or the
    one a planner names."""
    if caller.role == "customer" and asked not in (None, caller.customer):
        raise HTTPException(403, detail="a customer key acts only for its own customer")
    customer = caller.customer if caller.role == "customer" else asked
    if customer is None:
        raise invalid("body", "customer", message="customer is required")
    return customer
