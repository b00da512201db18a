"""Order intake: open orders created, read and cancelled one at a time (the API's side of the
orders and order_lines tables), idempotent per customer and key."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from promiseplan.store.lock import lock_master_data
from promiseplan.store.tables import INPUT, ORDER_REQUESTS, OUTBOX, OUTPUT, RUNS

ORDERS, LINES, CUSTOMERS, ITEMS = (
    INPUT["orders"],
    INPUT["order_lines"],
    INPUT["customers"],
    INPUT["items"],
)


class IntakeError(ValueError):
    """An order that cannot be taken; ``field`` names what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class NewLine:
    line: str
    item: str
    quantity: int


@dataclass(frozen=True)
class NewOrder:
    order: str
    customer: str
    lines: tuple[NewLine, ...]
    requested_date: date | None = None
    ship_complete: bool = True
    priority: int | None = None
    max_lateness_days: int | None = None
    modes: str = ""


def create_order(
    engine: sa.Engine, new: NewOrder, at: datetime, idempotency_key: str | None
) -> tuple[str, bool]:
    """Store ``new``; returns (order id, created). A repeated key returns the first order."""
    try:
        with engine.begin() as connection:
            lock_master_data(connection, exclusive=False)
            if idempotency_key is not None:
                known = _known_request(connection, new.customer, idempotency_key)
                if known is not None:
                    return known, False
            _check(connection, new)
            connection.execute(
                ORDERS.insert(),
                {
                    "order": new.order,
                    "customer": new.customer,
                    "created_at": at,
                    "requested_date": new.requested_date,
                    "ship_complete": new.ship_complete,
                    "priority": new.priority,
                    "max_lateness_days": new.max_lateness_days,
                    "modes": new.modes,
                },
            )
            connection.execute(
                LINES.insert(),
                [
                    {"order": new.order, "line": li.line, "item": li.item, "quantity": li.quantity}
                    for li in new.lines
                ],
            )
            if idempotency_key is not None:
                connection.execute(
                    ORDER_REQUESTS.insert(),
                    {
                        "customer": new.customer,
                        "idempotency_key": idempotency_key,
                        "order": new.order,
                        "created_at": at,
                    },
                )
    except sa.exc.IntegrityError:
        # a concurrent request with the same key (or order id) won the race
        if idempotency_key is not None:
            with engine.connect() as connection:
                known = _known_request(connection, new.customer, idempotency_key)
            if known is not None:
                return known, False
        raise IntakeError("order", f"order '{new.order}' exists already") from None
    return new.order, True


def _known_request(connection: sa.Connection, customer: str, key: str) -> str | None:
    return connection.execute(
        sa.select(ORDER_REQUESTS.c.order).where(
            ORDER_REQUESTS.c.customer == customer, ORDER_REQUESTS.c.idempotency_key == key
        )
    ).scalar()


def _check(connection: sa.Connection, new: NewOrder) -> None:
    if (
        connection.execute(
            sa.select(CUSTOMERS.c.id).where(CUSTOMERS.c.customer == new.customer)
        ).first()
        is None
    ):
        raise IntakeError("customer", f"unknown customer '{new.customer}'")
    if (
        connection.execute(sa.select(ORDERS.c.id).where(ORDERS.c.order == new.order)).first()
        is not None
    ):
        raise IntakeError("order", f"order '{new.order}' exists already")
    if not new.lines:
        raise IntakeError("lines", "an order needs at least one line")
    items = set(
        connection.execute(
            sa.select(ITEMS.c.item).where(ITEMS.c.item.in_({li.item for li in new.lines}))
        ).scalars()
    )
    seen = set()
    for i, line in enumerate(new.lines):
        if line.item not in items:
            raise IntakeError(f"lines[{i}].item", f"unknown item '{line.item}'")
        if line.line in seen:
            raise IntakeError(f"lines[{i}].line", f"line '{line.line}' appears twice")
        seen.add(line.line)


def cancel_order(engine: sa.Engine, order: str) -> bool:
    with engine.begin() as connection:
        connection.execute(LINES.delete().where(LINES.c.order == order))
        return connection.execute(ORDERS.delete().where(ORDERS.c.order == order)).rowcount > 0


def find_order(engine: sa.Engine, order: str) -> dict[str, Any] | None:
    """The order, its lines, its current promise (the newest successful run) and its history."""
    with engine.connect() as connection:
        row = (
            connection.execute(sa.select(ORDERS).where(ORDERS.c.order == order)).mappings().first()
        )
        if row is None:
            return None
        lines = (
            connection.execute(
                sa.select(LINES.c.line, LINES.c.item, LINES.c.quantity)
                .where(LINES.c.order == order)
                .order_by(LINES.c.id)
            )
            .mappings()
            .all()
        )
        run_orders, confirmations = OUTPUT["orders"], OUTPUT["confirmations"]
        history = (
            connection.execute(
                sa.select(
                    RUNS.c.id,
                    RUNS.c.now,
                    run_orders.c.status,
                    run_orders.c.promised_date,
                    run_orders.c.reason,
                )
                .join(run_orders, run_orders.c.run_id == RUNS.c.id)
                .where(run_orders.c.order == order, RUNS.c.status == "succeeded")
                .order_by(RUNS.c.id)
            )
            .mappings()
            .all()
        )
        schedule: Sequence[sa.RowMapping] = []
        if history:
            schedule = (
                connection.execute(
                    sa.select(confirmations)
                    .where(
                        confirmations.c.run_id == history[-1]["id"], confirmations.c.order == order
                    )
                    .order_by(confirmations.c.seq)
                )
                .mappings()
                .all()
            )
        notices = (
            connection.execute(
                sa.select(
                    OUTBOX.c.run_id.label("run"),
                    OUTBOX.c.event,
                    OUTBOX.c.status,
                    OUTBOX.c.attempts,
                    OUTBOX.c.sent_at,
                    OUTBOX.c.last_error,
                )
                .where(OUTBOX.c.order == order)
                .order_by(OUTBOX.c.id)
            )
            .mappings()
            .all()
        )
    result = {k: v for k, v in row.items() if k != "id"}
    result["lines"] = [dict(li) for li in lines]
    result["notifications"] = [dict(n) for n in notices]
    result["promise"] = (
        None
        if not history
        else {
            "run": history[-1]["id"],
            "status": history[-1]["status"],
            "promised_date": history[-1]["promised_date"],
            "reason": history[-1]["reason"],
            "schedule": [
                {k: v for k, v in s.items() if k not in ("run_id", "seq", "order")}
                for s in schedule
            ],
        }
    )
    result["history"] = [
        {
            "run": h["id"],
            "run_now": h["now"],
            "status": h["status"],
            "promised_date": h["promised_date"],
            "reason": h["reason"],
        }
        for h in history
    ]
    return result
