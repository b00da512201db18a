"""The database tables, derived from the dataset contract (one place: dataset/schema.py).

Input tables keep their dataset names; the outputs of each run live in ``run_*`` tables keyed
by ``run_id``.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from promiseplan.dataset.schema import INPUT_TABLES, OUTPUT_TABLES, Kind, output_kind

metadata = sa.MetaData()

_TYPES: dict[Kind, type[sa.types.TypeEngine[Any]]] = {
    Kind.ID: sa.String,
    Kind.TEXT: sa.String,
    Kind.ENUM: sa.String,
    Kind.MODES: sa.String,
    Kind.INT: sa.BigInteger,
    Kind.FLOAT: sa.Float,
    Kind.DATE: sa.Date,
    Kind.DATETIME: sa.DateTime,
    Kind.BOOL: sa.Boolean,
    Kind.WEEKDAYS: sa.Integer,
}

INPUT: dict[str, sa.Table] = {}
for _table in INPUT_TABLES:
    INPUT[_table.name] = sa.Table(
        _table.name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        *(
            sa.Column(c.name, _TYPES[c.kind](), nullable=not c.required and c.default is None)
            for c in _table.columns
        ),
        *([sa.UniqueConstraint(*_table.key, name=f"uq_{_table.name}_key")] if _table.key else []),
    )

RUNS = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("status", sa.String, nullable=False),
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("finished_at", sa.DateTime),
    sa.Column("now", sa.DateTime, nullable=False),
    sa.Column("horizon_days", sa.Integer, nullable=False),
    sa.Column("kpis", sa.Text),
    sa.Column("error", sa.Text),
    sa.Column("progress_done", sa.Integer),
    sa.Column("progress_total", sa.Integer),
)

OUTPUT: dict[str, sa.Table] = {}
for _out in OUTPUT_TABLES:
    OUTPUT[_out.name] = sa.Table(
        f"run_{_out.name}",
        metadata,
        sa.Column(
            "run_id",
            sa.Integer,
            sa.ForeignKey("runs.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("seq", sa.Integer, nullable=False),
        *(sa.Column(name, _TYPES[output_kind(name)]()) for name in _out.columns),
        sa.PrimaryKeyConstraint("run_id", "seq"),
    )

OUTBOX = sa.Table(
    "outbox",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "run_id",
        sa.Integer,
        sa.ForeignKey("runs.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("order", sa.String, nullable=False),
    sa.Column("customer", sa.String, nullable=False),
    sa.Column("event", sa.String, nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("webhook_url", sa.String),
    sa.Column("email", sa.String),
    sa.Column("status", sa.String, nullable=False, index=True),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("next_attempt_at", sa.DateTime),
    sa.Column("sent_at", sa.DateTime),
    sa.Column("last_error", sa.Text),
)

API_KEYS = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key_hash", sa.String, nullable=False, unique=True),
    sa.Column("role", sa.String, nullable=False),
    sa.Column("customer", sa.String),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

ORDER_REQUESTS = sa.Table(
    "order_requests",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("customer", sa.String, nullable=False),
    sa.Column("idempotency_key", sa.String, nullable=False),
    sa.Column("order", sa.String, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("customer", "idempotency_key", name="uq_order_requests_key"),
)

SETTINGS = sa.Table(
    "settings",
    metadata,
    sa.Column("name", sa.String, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

# Lookups the API and the cockpit make on every page: an order's rows in a run, orders of a
# customer or holding an item, an order's notifications.
INDEXES = (
    sa.Index("ix_run_orders_order", OUTPUT["orders"].c.run_id, OUTPUT["orders"].c.order),
    sa.Index(
        "ix_run_confirmations_order",
        OUTPUT["confirmations"].c.run_id,
        OUTPUT["confirmations"].c.order,
    ),
    sa.Index("ix_orders_customer", INPUT["orders"].c.customer),
    sa.Index("ix_order_lines_item", INPUT["order_lines"].c.item),
    sa.Index("ix_outbox_order", OUTBOX.c.order),
)
