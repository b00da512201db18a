"""What a run's plans do to one item at one location, day by day: the supply that arrives
(stock on hand, receipts, purchases, production, transfers in) and what is taken (deliveries,
transfers out, components used by production), and the projected stock that results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl


@dataclass(frozen=True)
class Projection:
    days: list[date]
    incoming: list[int]
    outgoing: list[int]
    stock: list[int]
    """Projected stock at the end of each day."""


def project(
    inputs: dict[str, pl.DataFrame],
    outputs: dict[str, pl.DataFrame],
    item: str,
    location: str,
    first: date,
    last: date,
) -> Projection:
    """``inputs``: the inventory, receipts and bom tables; ``outputs``: the run's plans."""
    events: list[tuple[date, int]] = []

    def add(frame: pl.DataFrame, when: str, sign: int, quantity: str = "quantity") -> None:
        for day, amount in frame.select(when, quantity).iter_rows():
            events.append((max(day, first), sign * round(amount)))

    here = (pl.col("item") == item) & (pl.col("location") == location)
    stock = inputs["inventory"].filter(here)
    events += [(first, int(q)) for q in stock["on_hand"]]
    add(inputs["receipts"].filter(here), "arrival_date", 1)
    add(outputs["procurement_plan"].filter(here), "arrival_date", 1)
    add(outputs["production_plan"].filter(here), "end_date", 1)
    moves = outputs["distribution_plan"].filter(pl.col("item") == item)
    add(
        moves.filter((pl.col("kind") == "transfer") & (pl.col("to") == location)), "arrival_date", 1
    )
    add(moves.filter(pl.col("from_location") == location), "ship_date", -1)
    bom = inputs["bom"].filter((pl.col("component") == item) & (pl.col("location") == location))
    if bom.height:
        uses = (
            outputs["production_plan"]
            .join(bom.select("item", "location", "quantity_per"), on=["item", "location"])
            .with_columns((pl.col("quantity") * pl.col("quantity_per")).alias("used"))
        )
        add(uses, "start_date", -1, "used")
    span = (last - first).days + 1
    incoming, outgoing = [0] * span, [0] * span
    for day, amount in events:
        index = min((day - first).days, span - 1)
        if amount >= 0:
            incoming[index] += amount
        else:
            outgoing[index] -= amount
    running, level = 0, []
    for inflow, outflow in zip(incoming, outgoing, strict=True):
        running += inflow - outflow
        level.append(running)
    days = [date.fromordinal(first.toordinal() + i) for i in range(span)]
    return Projection(days, incoming, outgoing, level)
