"""The FastAPI application."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import FastAPI

from promiseplan.api import orders, runs
from promiseplan.api.deps import Engine


def create_app(engine: sa.Engine) -> FastAPI:
    app = FastAPI(
        title="promiseplan",
        summary="Order promising and supply planning: orders in, promises back.",
        version="0.1.0",
    )
    app.state.engine = engine
    app.include_router(orders.router)
    app.include_router(runs.router)

    @app.get("/health", tags=["health"])
    def health(database: Engine) -> dict[str, str]:
        with database.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        return {"status": "ok", "database": database.dialect.name}

    return app
