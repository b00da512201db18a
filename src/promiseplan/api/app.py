"""The FastAPI application."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import sqlalchemy as sa
from fastapi import FastAPI, Request, Response
from fastapi.routing import APIRoute
from starlette.routing import Match

from promiseplan.api import admin, data, orders, promise, runs
from promiseplan.api.deps import Engine
from promiseplan.service.cadence import Cadence
from promiseplan.service.clock import Clock, system_clock
from promiseplan.service.promiser import LivePromiser
from promiseplan.web import mount


def create_app(
    engine: sa.Engine, clock: Clock = system_clock, cadence: Cadence | None = None
) -> FastAPI:
    """The API and the web pages on ``engine``'s database; ``clock`` gives the moment of runs
    started here and of online promises; ``cadence``, when the service plans on one, tells
    the pages when the next run is."""
    promiser = LivePromiser(engine, clock)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        promiser.stop()

    app = FastAPI(
        lifespan=lifespan,
        title="promiseplan",
        summary="Order promising and supply planning: orders in, promises back.",
        version="0.1.0",
    )
    app.state.engine = engine
    app.state.clock = clock
    app.state.cadence = cadence
    app.state.promiser = promiser
    routers = (orders.router, promise.router, runs.router, data.router, admin.router)
    for router in routers:
        app.include_router(router)

    @app.middleware("http")
    async def allow_header(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        """A 405 names every method of the path (Starlette names only those of one route)."""
        response = await call_next(request)
        if response.status_code == 405:
            methods: set[str] = set()
            for route in [*app.routes, *(r for router in routers for r in router.routes)]:
                if isinstance(route, APIRoute) and route.matches(request.scope)[0] != Match.NONE:
                    methods |= route.methods or set()
            if methods:
                response.headers["Allow"] = ", ".join(sorted(methods))
        return response

    mount(app)

    @app.get("/health", tags=["health"])
    def health(database: Engine) -> dict[str, str]:
        with database.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        return {"status": "ok", "database": database.dialect.name}

    return app
