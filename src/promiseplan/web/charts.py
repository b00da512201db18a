"""The cockpit's charts as plotly figures, rendered to HTML fragments (plotly.js is loaded
once by the page from /static)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import plotly.graph_objects as go
import polars as pl

from promiseplan.web.projection import Projection

LAYOUT: dict[str, Any] = {
    "margin": {"l": 50, "r": 20, "t": 40, "b": 40},
    "height": 340,
    "template": "plotly_white",
    "legend": {"orientation": "h", "y": -0.2},
}
STATUS_COLOURS = {
    "on_time": "#0b6e4f",
    "late": "#e08e45",
    "partial": "#f2b705",
    "unconfirmed": "#a4161a",
}


def html(figure: go.Figure, name: str) -> str:
    return str(
        figure.to_html(
            include_plotlyjs=False,
            full_html=False,
            div_id=name,
            config={"displaylogo": False, "responsive": True},
        )
    )


def _succeeded(runs: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """The runs with KPIs and their axis labels."""
    done = [r for r in runs if r["kpis"]]
    return done, [f"#{r['id']} {r['now']:%m-%d %H:%M}" for r in done]


def run_trends(runs: list[dict[str, Any]]) -> str:
    done, labels = _succeeded(runs)
    figure = go.Figure()
    for status, colour in STATUS_COLOURS.items():
        figure.add_bar(
            x=labels,
            y=[r["kpis"]["orders_by_status"][status] for r in done],
            name=status.replace("_", " "),
            marker_color=colour,
        )
    figure.add_scatter(
        x=labels,
        y=[100 * r["kpis"]["on_time_share"] for r in done],
        name="on time %",
        yaxis="y2",
        mode="lines+markers",
        line={"color": "#1d2430"},
    )
    figure.update_layout(
        **LAYOUT,
        barmode="stack",
        title="Orders by status per run",
        yaxis={"title": "orders"},
        yaxis2={"title": "on time %", "overlaying": "y", "side": "right", "range": [0, 100]},
    )
    return html(figure, "trend-orders")


def spend_trend(runs: list[dict[str, Any]]) -> str:
    done, labels = _succeeded(runs)
    figure = go.Figure(
        go.Scatter(
            x=labels,
            y=[r["kpis"]["purchase_spend"] for r in done],
            mode="lines+markers",
            name="purchase spend",
            line={"color": "#0b6e4f"},
        )
    )
    figure.update_layout(**LAYOUT, title="Purchase spend per run", yaxis={"title": "spend"})
    return html(figure, "trend-spend")


def inventory(projection: Projection, item: str, location: str) -> str:
    figure = go.Figure()
    figure.add_bar(
        x=projection.days, y=projection.incoming, name="receipts", marker_color="#7cb69d"
    )
    figure.add_bar(
        x=projection.days,
        y=[-q for q in projection.outgoing],
        name="reservations",
        marker_color="#e08e45",
    )
    figure.add_scatter(
        x=projection.days,
        y=projection.stock,
        name="projected stock",
        line={"shape": "hv", "color": "#1d2430", "width": 2},
    )
    figure.update_layout(
        **LAYOUT,
        barmode="relative",
        title=f"Projected stock of {item} at {location}",
        yaxis={"title": "units"},
    )
    return html(figure, "chart-inventory")


def resource_load(
    production: pl.DataFrame, hours_per_day: float, closed: int, first: date, last: date, name: str
) -> str:
    """Hours per day: each production's hours spread evenly over its open days."""
    span = (last - first).days + 1
    load = [0.0] * span

    def open_day(day: date) -> bool:
        return not closed >> day.weekday() & 1

    for start, end, hours in production.select("start_date", "end_date", "hours").iter_rows():
        days = [
            start + timedelta(days=i)
            for i in range(max(1, (end - start).days))
            if open_day(start + timedelta(days=i))
        ] or [start]
        for day in days:
            if first <= day <= last:
                load[(day - first).days] += hours / len(days)
    days = [first + timedelta(days=i) for i in range(span)]
    capacity = [hours_per_day if open_day(d) else 0.0 for d in days]
    figure = go.Figure()
    figure.add_bar(x=days, y=load, name="hours planned", marker_color="#0b6e4f")
    figure.add_scatter(
        x=days, y=capacity, name="capacity", line={"shape": "hv", "color": "#a4161a"}
    )
    figure.update_layout(
        **LAYOUT,
        title=f"Load of {name} per day (each production spread over its open days)",
        yaxis={"title": "hours"},
    )
    return html(figure, "chart-load")


def gantt(production: pl.DataFrame) -> str:
    figure = go.Figure()
    rows = production.sort("start_date").head(300)
    for item in sorted(set(rows["item"])):
        mine = rows.filter(pl.col("item") == item)
        figure.add_bar(
            base=[str(d) for d in mine["start_date"]],
            x=[
                max(1, (end - start).days) * 86_400_000
                for start, end in mine.select("start_date", "end_date").iter_rows()
            ],
            y=[f"{r} @ {loc}" for r, loc in mine.select("resource", "location").iter_rows()],
            orientation="h",
            name=item,
            hovertext=[
                f"{item}: {q} units, {h:g} h"
                for q, h in mine.select("quantity", "hours").iter_rows()
            ],
        )
    figure.update_layout(
        **LAYOUT,
        barmode="overlay",
        title="Production (first 300 productions by start)",
        xaxis={"type": "date"},
    )
    return html(figure, "chart-gantt")
