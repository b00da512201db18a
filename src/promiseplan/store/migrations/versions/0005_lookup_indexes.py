"""indexes for the lookups of the API and the cockpit

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_run_orders_order": ("run_orders", ["run_id", "order"]),
    "ix_run_confirmations_order": ("run_confirmations", ["run_id", "order"]),
    "ix_orders_customer": ("orders", ["customer"]),
    "ix_order_lines_item": ("order_lines", ["item"]),
    "ix_outbox_order": ("outbox", ["order"]),
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, (table, _) in INDEXES.items():
        op.drop_index(name, table_name=table)
