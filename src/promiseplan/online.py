"""Online promises: what could one more order be promised right now, against the state the
last run left, by the same rules as the batch run and without changing that state."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import polars as pl

from promiseplan.dataset.load import Dataset, empty_table
from promiseplan.dataset.read import ROW
from promiseplan.engine.plan import order_rows
from promiseplan.engine.reference import Progress, Run
from promiseplan.model.build import build_problem, extra_orders
from promiseplan.model.problem import Order
from promiseplan.model.settings import Settings

ONLINE_ORDER = "(online)"


@dataclass(frozen=True)
class Request:
    """The order asked about, as a customer would place it."""

    customer: str
    lines: tuple[tuple[str, int], ...]
    """(item, quantity) per line."""
    requested_date: date | None = None
    ship_complete: bool = True
    modes: str = ""
    """Allowed transport modes, space separated; empty allows every mode."""
    priority: int | None = None
    """The customer's priority unless given."""


@dataclass(frozen=True)
class Answer:
    status: str
    promised_date: date | None
    reason: str
    schedule: list[dict[str, Any]]
    """One row per schedule line, as confirmations.csv has them."""


class Promiser:
    """Plans ``dataset`` once; then answers any number of ``promise`` questions."""

    def __init__(
        self, dataset: Dataset, settings: Settings, progress: Progress | None = None
    ) -> None:
        self.dataset, self.settings = dataset, settings
        self.problem = build_problem(dataset, settings)
        self.run = Run(self.problem, progress)
        self._customers = set(dataset["customers"]["customer"].to_list())
        self._items = set(dataset["items"]["item"].to_list())

    def promise(self, request: Request, created_at: datetime | None = None) -> Answer:
        """Raises ValueError naming an unknown customer or item or a bad quantity."""
        if request.customer not in self._customers:
            raise ValueError(f"unknown customer '{request.customer}'")
        if not request.lines:
            raise ValueError("an order needs at least one line")
        for i, (item, quantity) in enumerate(request.lines):
            if item not in self._items:
                raise ValueError(f"lines[{i}]: unknown item '{item}'")
            if quantity < 1:
                raise ValueError(f"lines[{i}]: the quantity must be at least 1")
        order = self._order(request, created_at or self.settings.now)
        rows = self.run.promise(order)
        (_, _, status, _, promised, _, reason) = order_rows(
            dataclasses.replace(self.problem, orders=[order]), rows
        )[0]
        schedule = [
            {
                "line": r.line,
                "item": r.item,
                "quantity": r.quantity,
                "status": r.status,
                "promised_date": None if r.promised is None else self.problem.date(r.promised),
                "ship_date": None if r.ship is None else self.problem.date(r.ship),
                "ship_from": r.ship_from or None,
                "mode": r.mode or None,
                "reason": r.reason,
            }
            for r in rows
        ]
        return Answer(status, promised, reason, schedule)

    def _order(self, request: Request, created_at: datetime) -> Order:
        orders = pl.DataFrame(
            {
                ROW: [0],
                "order": [ONLINE_ORDER],
                "customer": [request.customer],
                "created_at": [created_at],
                "requested_date": [request.requested_date],
                "ship_complete": [request.ship_complete],
                "priority": [request.priority],
                "max_lateness_days": [None],
                "modes": [request.modes],
            },
            schema=empty_table("orders").schema,
        )
        lines = pl.DataFrame(
            {
                ROW: list(range(len(request.lines))),
                "order": [ONLINE_ORDER] * len(request.lines),
                "line": [str(i) for i in range(1, len(request.lines) + 1)],
                "item": [item for item, _ in request.lines],
                "quantity": [quantity for _, quantity in request.lines],
            },
            schema=empty_table("order_lines").schema,
        )
        return extra_orders(self.dataset, self.settings, orders, lines)[0]
