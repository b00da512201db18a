"""Online promises: what could one more order be promised right now, against the state the
last run left, by the same rules as the batch run and without changing that state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from promiseplan.dataset.load import Dataset
from promiseplan.engine.fast.book import book_from_dataset
from promiseplan.engine.fast.online import FastRun
from promiseplan.engine.plan import order_rows
from promiseplan.engine.reference import Progress, Run
from promiseplan.machine_code import Stage
from promiseplan.model.build import build_problem, customer_rows, order_from_row
from promiseplan.model.problem import Order, OrderLine
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
        self,
        dataset: Dataset,
        settings: Settings,
        progress: Progress | None = None,
        engine: str = "auto",
        stage: Stage | None = None,
    ) -> None:
        """``stage`` hears what is being done (compiling or loading the fast engine, planning
        the open orders)."""
        from promiseplan.pipeline import fast_engine_ready

        self.dataset, self.settings = dataset, settings
        self.run: Run | FastRun
        if fast_engine_ready(dataset, engine, stage) is not None:
            if stage is not None:
                stage("planning the open orders")
            self.problem = build_problem(dataset, settings, with_orders=False)
            self.run = FastRun(self.problem, book_from_dataset(dataset, settings), progress)
        else:
            self.problem = build_problem(dataset, settings)
            self.run = Run(self.problem, progress)
        self._customer_rows = customer_rows(dataset)
        self._items = set(dataset["items"]["item"].to_list())

    def promise(self, request: Request, created_at: datetime | None = None) -> Answer:
        """Raises ValueError naming an unknown customer or item or a bad quantity."""
        if request.customer not in self._customer_rows:
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
        (_, _, status, _, promised, _, reason) = order_rows(self.problem, [order], rows)[0]
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
        row = {
            "order": ONLINE_ORDER,
            "customer": request.customer,
            "created_at": created_at,
            "requested_date": request.requested_date,
            "ship_complete": request.ship_complete,
            "priority": request.priority,
            "max_lateness_days": None,
            "modes": request.modes,
        }
        lines = [
            OrderLine(str(i), item, quantity)
            for i, (item, quantity) in enumerate(request.lines, start=1)
        ]
        customer = self._customer_rows[request.customer]
        return order_from_row(row, lines, customer, self.settings.now.date())
