"""The online promise over HTTP: what could this order get if it were placed now?"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from promiseplan.api.deps import Caller, answers, customer_for, invalid
from promiseplan.api.orders import LineIn
from promiseplan.online import Request as Question
from promiseplan.service.promiser import PromiserGone

router = APIRouter(
    prefix="/promise",
    tags=["orders"],
    responses={
        **answers("Not used", "A customer key asks only for its own customer"),
        503: {"description": "The online promiser of the newest run is not ready yet"},
    },
)

WAIT = 10.0
"""Seconds a question waits for the promiser of a new run before the answer is 503."""


class OrderQuestion(BaseModel):
    customer: str | None = Field(
        None, description="Required with a planner key; a customer key asks for itself"
    )
    requested_date: date | None = Field(None, description="Default: as soon as possible")
    ship_complete: bool = True
    modes: list[str] = Field(default_factory=list, description="Allowed modes; empty: all")
    lines: list[LineIn] = Field(min_length=1)


@router.post("")
def promise(body: OrderQuestion, request: Request, caller: Caller) -> dict[str, Any]:
    """The promise the order would get now, against the newest run's decisions and by the same
    rules; nothing is stored and nothing changes."""
    customer = customer_for(caller, body.customer)
    worker = request.app.state.promiser.current(wait=WAIT)
    if worker is None:
        raise HTTPException(
            503, detail="the online promiser is being prepared", headers={"Retry-After": "30"}
        )
    question = Question(
        customer,
        tuple((line.item, line.quantity) for line in body.lines),
        body.requested_date,
        body.ship_complete,
        " ".join(body.modes),
    )
    try:
        moment = request.app.state.clock().replace(second=0, microsecond=0)
        answer = worker.promise(question, moment)
    except ValueError as error:
        field = "customer" if "customer" in str(error) else "lines"
        raise invalid("body", field, message=str(error)) from error
    except PromiserGone as error:
        raise HTTPException(503, detail=str(error), headers={"Retry-After": "30"}) from error
    return {"run": worker.run_id, **asdict(answer)}
