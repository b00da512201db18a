"""initial schema: dataset tables, runs and their outputs

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bom",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("item", sa.String(), nullable=False),
        sa.Column("location", sa.String(), nullable=False),
        sa.Column("component", sa.String(), nullable=False),
        sa.Column("quantity_per", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item", "location", "component", name="uq_bom_key"),
    )
    op.create_table(
        "customers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("customer", sa.String(), nullable=False),
        sa.Column("region", sa.String(), nullable=False),
        sa.Column("priority", sa.BigInteger(), nullable=False),
        sa.Column("channel", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("customer", name="uq_customers_key"),
    )
    op.create_table(
        "delivery_lanes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("location", sa.String(), nullable=False),
        sa.Column("region", sa.String(), nullable=False),
        sa.Column("mode", sa.String(), nullable=False),
        sa.Column("transit_days", sa.BigInteger(), nullable=False),
        sa.Column("cost_per_unit", sa.Float(), nullable=False),
        sa.Column("capacity_per_day", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("location", "region", "mode", name="uq_delivery_lanes_key"),
    )
    op.create_table(
        "inventory",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("item", sa.String(), nullable=False),
        sa.Column("location", sa.String(), nullable=False),
        sa.Column("on_hand", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item", "location", name="uq_inventory_key"),
    )
    op.create_table(
        "items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("item", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("unit_cost", sa.Float(), nullable=False),
        sa.Column("weight_kg", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item", name="uq_items_key"),
    )
    op.create_table(
        "locations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("location", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("region", sa.String(), nullable=False),
        sa.Column("cutoff_hour", sa.BigInteger(), nullable=False),
        sa.Column("closed_weekdays", sa.Integer(), nullable=False),
        sa.Column("orders_per_day", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("location", name="uq_locations_key"),
    )
    op.create_table(
        "operations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("item", sa.String(), nullable=False),
        sa.Column("location", sa.String(), nullable=False),
        sa.Column("resource", sa.String(), nullable=False),
        sa.Column("hours_per_unit", sa.Float(), nullable=False),
        sa.Column("lead_time_days", sa.BigInteger(), nullable=False),
        sa.Column("priority", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item", "location", "resource", name="uq_operations_key"),
    )
    op.create_table(
        "order_lines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("order", sa.String(), nullable=False),
        sa.Column("line", sa.String(), nullable=False),
        sa.Column("item", sa.String(), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("order", "line", name="uq_order_lines_key"),
    )
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("order", sa.String(), nullable=False),
        sa.Column("customer", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("requested_date", sa.Date(), nullable=True),
        sa.Column("ship_complete", sa.Boolean(), nullable=False),
        sa.Column("priority", sa.BigInteger(), nullable=True),
        sa.Column("max_lateness_days", sa.BigInteger(), nullable=True),
        sa.Column("modes", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("order", name="uq_orders_key"),
    )
    op.create_table(
        "promises",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("order", sa.String(), nullable=False),
        sa.Column("line", sa.String(), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("promised_date", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "receipts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("item", sa.String(), nullable=False),
        sa.Column("location", sa.String(), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("arrival_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("reference", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "resources",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("resource", sa.String(), nullable=False),
        sa.Column("location", sa.String(), nullable=False),
        sa.Column("hours_per_day", sa.Float(), nullable=False),
        sa.Column("closed_weekdays", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("resource", "location", name="uq_resources_key"),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("now", sa.DateTime(), nullable=False),
        sa.Column("horizon_days", sa.Integer(), nullable=False),
        sa.Column("kpis", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "suppliers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("supplier", sa.String(), nullable=False),
        sa.Column("item", sa.String(), nullable=False),
        sa.Column("location", sa.String(), nullable=False),
        sa.Column("lead_time_days", sa.BigInteger(), nullable=False),
        sa.Column("min_quantity", sa.BigInteger(), nullable=False),
        sa.Column("lot_multiple", sa.BigInteger(), nullable=False),
        sa.Column("unit_price", sa.Float(), nullable=False),
        sa.Column("priority", sa.BigInteger(), nullable=False),
        sa.Column("capacity_per_day", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("supplier", "item", "location", name="uq_suppliers_key"),
    )
    op.create_table(
        "transfer_lanes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("from_location", sa.String(), nullable=False),
        sa.Column("to_location", sa.String(), nullable=False),
        sa.Column("mode", sa.String(), nullable=False),
        sa.Column("lead_time_days", sa.BigInteger(), nullable=False),
        sa.Column("cost_per_unit", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("from_location", "to_location", "mode", name="uq_transfer_lanes_key"),
    )
    op.create_table(
        "run_confirmations",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("order", sa.String(), nullable=True),
        sa.Column("line", sa.String(), nullable=True),
        sa.Column("item", sa.String(), nullable=True),
        sa.Column("quantity", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.String(), nullable=True),
        sa.Column("promised_date", sa.Date(), nullable=True),
        sa.Column("ship_date", sa.Date(), nullable=True),
        sa.Column("ship_from", sa.String(), nullable=True),
        sa.Column("mode", sa.String(), nullable=True),
        sa.Column("reason", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "seq"),
    )
    with op.batch_alter_table("run_confirmations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_run_confirmations_run_id"), ["run_id"], unique=False)

    op.create_table(
        "run_distribution_plan",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=True),
        sa.Column("item", sa.String(), nullable=True),
        sa.Column("from_location", sa.String(), nullable=True),
        sa.Column("to", sa.String(), nullable=True),
        sa.Column("mode", sa.String(), nullable=True),
        sa.Column("quantity", sa.BigInteger(), nullable=True),
        sa.Column("ship_date", sa.Date(), nullable=True),
        sa.Column("arrival_date", sa.Date(), nullable=True),
        sa.Column("order", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "seq"),
    )
    with op.batch_alter_table("run_distribution_plan", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_run_distribution_plan_run_id"), ["run_id"], unique=False
        )

    op.create_table(
        "run_orders",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("order", sa.String(), nullable=True),
        sa.Column("customer", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=True),
        sa.Column("requested_date", sa.Date(), nullable=True),
        sa.Column("promised_date", sa.Date(), nullable=True),
        sa.Column("lines", sa.BigInteger(), nullable=True),
        sa.Column("reason", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "seq"),
    )
    with op.batch_alter_table("run_orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_run_orders_run_id"), ["run_id"], unique=False)

    op.create_table(
        "run_procurement_plan",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("supplier", sa.String(), nullable=True),
        sa.Column("item", sa.String(), nullable=True),
        sa.Column("location", sa.String(), nullable=True),
        sa.Column("quantity", sa.BigInteger(), nullable=True),
        sa.Column("order_date", sa.Date(), nullable=True),
        sa.Column("arrival_date", sa.Date(), nullable=True),
        sa.Column("cost", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "seq"),
    )
    with op.batch_alter_table("run_procurement_plan", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_run_procurement_plan_run_id"), ["run_id"], unique=False
        )

    op.create_table(
        "run_production_plan",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(), nullable=True),
        sa.Column("location", sa.String(), nullable=True),
        sa.Column("resource", sa.String(), nullable=True),
        sa.Column("quantity", sa.BigInteger(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("hours", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "seq"),
    )
    with op.batch_alter_table("run_production_plan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_run_production_plan_run_id"), ["run_id"], unique=False)

    op.create_table(
        "run_promise_changes",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("order", sa.String(), nullable=True),
        sa.Column("line", sa.String(), nullable=True),
        sa.Column("old_quantity", sa.BigInteger(), nullable=True),
        sa.Column("old_date", sa.Date(), nullable=True),
        sa.Column("new_quantity", sa.BigInteger(), nullable=True),
        sa.Column("new_date", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id", "seq"),
    )
    with op.batch_alter_table("run_promise_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_run_promise_changes_run_id"), ["run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("run_promise_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_promise_changes_run_id"))

    op.drop_table("run_promise_changes")
    with op.batch_alter_table("run_production_plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_production_plan_run_id"))

    op.drop_table("run_production_plan")
    with op.batch_alter_table("run_procurement_plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_procurement_plan_run_id"))

    op.drop_table("run_procurement_plan")
    with op.batch_alter_table("run_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_orders_run_id"))

    op.drop_table("run_orders")
    with op.batch_alter_table("run_distribution_plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_distribution_plan_run_id"))

    op.drop_table("run_distribution_plan")
    with op.batch_alter_table("run_confirmations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_confirmations_run_id"))

    op.drop_table("run_confirmations")
    op.drop_table("transfer_lanes")
    op.drop_table("suppliers")
    op.drop_table("runs")
    op.drop_table("resources")
    op.drop_table("receipts")
    op.drop_table("promises")
    op.drop_table("orders")
    op.drop_table("order_lines")
    op.drop_table("operations")
    op.drop_table("locations")
    op.drop_table("items")
    op.drop_table("inventory")
    op.drop_table("delivery_lanes")
    op.drop_table("customers")
    op.drop_table("bom")
