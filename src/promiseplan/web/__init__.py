"""Server-rendered pages (Jinja2 + htmx, assets served from the package: no CDN): the
storefront under /shop and the planner's cockpit under /cockpit."""

from __future__ import annotations

from pathlib import Path

import plotly
from fastapi import FastAPI
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from promiseplan.web import cockpit, shop

STATIC = Path(__file__).parent / "static"
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def mount(app: FastAPI) -> None:
    app.include_router(shop.router)
    app.include_router(cockpit.router)

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        """plotly.js as the pinned plotly package ships it."""
        return FileResponse(PLOTLY_JS, media_type="text/javascript")

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/shop", status_code=307)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
