"""Alembic environment: migrations run on the connection handed over by ``store.upgrade``."""

from __future__ import annotations

from alembic import context

from promiseplan.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the CLI always hands one over
    raise RuntimeError("run migrations through promiseplan.store.upgrade")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
