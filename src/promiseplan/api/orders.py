"""Orders: create (idempotent), read with the current promise and its history, cancel, list."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field

from promiseplan.api.deps import Caller, Engine, answers, customer_for, invalid
from promiseplan.store.intake import (
    IntakeError,
    NewLine,
    NewOrder,
    cancel_order,
    create_order,
    find_order,
)
from promiseplan.store.keys import Principal
from promiseplan.store.order_views import OrderFilter, Sort, order_table


class Problem(BaseModel):
    detail: Any


router = APIRouter(
    prefix="/orders",
    tags=["orders"],
    responses=answers("No such order (or not the caller's)", "The key's role does not allow this"),
)


class LineIn(BaseModel):
    line: str | None = Field(None, description="Line id; 1, 2, ... when left out")
    item: str = Field(min_length=1)
    quantity: int = Field(gt=0)


class OrderIn(BaseModel):
    order: str | None = Field(None, min_length=1, description="Order id; generated when left out")
    customer: str | None = Field(
        None, description="Required with a planner key; a customer key orders for itself"
    )
    requested_date: date | None = None
    ship_complete: bool = True
    priority: int | None = Field(None, ge=0)
    max_lateness_days: int | None = Field(None, ge=0)
    modes: list[str] = Field(
        default_factory=list, description="Allowed transport modes; empty allows all"
    )
    lines: list[LineIn] = Field(min_length=1)


class OrderCreated(BaseModel):
    order: str
    created: bool


def _visible(caller: Principal, order: dict[str, Any] | None) -> dict[str, Any]:
    if order is None or (caller.role == "customer" and order["customer"] != caller.customer):
        raise HTTPException(
            404, detail="no such order"
        )  # a customer cannot learn of others' orders
    return order


@router.post(
    "",
    status_code=201,
    response_model=OrderCreated,
    responses={
        200: {"model": OrderCreated, "description": "Seen before under this Idempotency-Key"},
        409: {"model": Problem, "description": "The order id is taken"},
    },
)
def create(
    body: OrderIn,
    request: Request,
    database: Engine,
    caller: Caller,
    response: Response,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> OrderCreated:
    customer = customer_for(caller, body.customer)
    new = NewOrder(
        order=body.order or f"API-{uuid.uuid4().hex[:12].upper()}",
        customer=customer,
        lines=tuple(
            NewLine(li.line or str(i), li.item, li.quantity)
            for i, li in enumerate(body.lines, start=1)
        ),
        requested_date=body.requested_date,
        ship_complete=body.ship_complete,
        priority=body.priority,
        max_lateness_days=body.max_lateness_days,
        modes=" ".join(body.modes),
    )
    try:
        moment = request.app.state.clock().replace(microsecond=0)
        order, created = create_order(database, new, moment, idempotency_key)
    except IntakeError as error:
        status = 409 if error.field == "order" else 422
        raise invalid(
            "body", *error.field.split("."), message=error.message, status=status
        ) from error
    if not created:
        response.status_code = 200
    return OrderCreated(order=order, created=created)


@router.get("/{order}")
def read(order: str, database: Engine, caller: Caller) -> dict[str, Any]:
    """The order with its lines, its current promise (with the reason per schedule line) and
    every promise it was given, run by run."""
    return _visible(caller, find_order(database, order))


@router.delete("/{order}", status_code=204)
def cancel(order: str, database: Engine, caller: Caller) -> Response:
    _visible(caller, find_order(database, order))
    cancel_order(database, order)
    return Response(status_code=204)


IsoDate = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")]


def _day(text: str | None, name: str) -> date | None:
    try:
        return None if text is None else date.fromisoformat(text)
    except ValueError as error:
        raise invalid("query", name, message=f"'{text}' is not a date") from error


@router.get("")
def index(
    database: Engine,
    caller: Caller,
    customer: str | None = None,
    status: Annotated[
        Literal["open", "on_time", "late", "partial", "unconfirmed"] | None,
        Query(description="Status of the current promise; open = not planned yet"),
    ] = None,
    item: Annotated[str | None, Query(description="Orders with a line of this item")] = None,
    promised_from: IsoDate = None,
    promised_to: IsoDate = None,
    sort: Sort = "order",
    descending: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> dict[str, Any]:
    """Orders with their current promise (status, promised date, reason), filtered, sorted and
    paged; a customer key lists only its own."""
    if caller.role == "customer":
        customer = caller.customer
    where = OrderFilter(
        customer,
        status,
        item,
        _day(promised_from, "promised_from"),
        _day(promised_to, "promised_to"),
    )
    total, rows = order_table(database, where, sort, descending, limit, offset)
    return {"total": total, "limit": limit, "offset": offset, "orders": rows}
