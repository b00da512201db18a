"""Writing the notifications of a run to the outbox, in the run's own transaction: every order
whose promise is new or changed since the last successful run."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from typing import Any

import polars as pl
import sqlalchemy as sa

from promiseplan.store.tables import INPUT, OUTBOX, OUTPUT


def write_notifications(
    connection: sa.Connection,
    run_id: int,
    previous_run: int | None,
    tables: dict[str, pl.DataFrame],
    at: datetime,
) -> int:
    """Outbox rows for run ``run_id``: every order whose status or promised date differs from
    ``previous_run`` (the last succeeded run before it, if any)."""
    before: dict[str, tuple[str, Any]] = {}
    if previous_run is not None:
        orders = OUTPUT["orders"]
        for order, status, promised in connection.execute(
            sa.select(orders.c.order, orders.c.status, orders.c.promised_date).where(
                orders.c.run_id == previous_run
            )
        ):
            before[order] = (status, promised)
    customers = INPUT["customers"]
    contacts = {
        c: (hook, mail)
        for c, hook, mail in connection.execute(
            sa.select(customers.c.customer, customers.c.webhook_url, customers.c.email)
        )
    }
    lines: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in tables["confirmations"].iter_rows(named=True):
        lines[row["order"]].append({k: _plain(v) for k, v in row.items() if k != "order"})
    rows = []
    for order in tables["orders"].iter_rows(named=True):
        old = before.get(order["order"])
        now_state = (order["status"], order["promised_date"])
        if old is not None and old == now_state:
            continue
        hook, mail = contacts.get(order["customer"], (None, None))
        payload = {
            "event": "new" if old is None else "changed",
            "run": run_id,
            **{k: _plain(v) for k, v in order.items()},
            "previous": None
            if old is None
            else {"status": old[0], "promised_date": _plain(old[1])},
            "schedule": lines[order["order"]],
        }
        rows.append(
            {
                "run_id": run_id,
                "order": order["order"],
                "customer": order["customer"],
                "event": payload["event"],
                "payload": json.dumps(payload, sort_keys=True),
                "webhook_url": hook,
                "email": mail,
                "status": "pending" if hook or mail else "no_contact",
                "attempts": 0,
                "next_attempt_at": at,
            }
        )
    if rows:
        connection.execute(OUTBOX.insert(), rows)
    return len(rows)


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value
