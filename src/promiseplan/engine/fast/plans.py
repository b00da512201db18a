"""The procurement, production and transfer rows of the fast engine's plan, column-wise: the
same frames as ``engine.plan.plans_of`` builds from the reference engine's State."""

from __future__ import annotations

import numpy as np
import polars as pl

from promiseplan.engine.fast.arrays import Array, Indexed
from promiseplan.engine.plan import Plans, _frame
from promiseplan.model.problem import Problem


def day_date(problem: Problem, column: str) -> pl.Expr:
    """The date of the day numbers in ``column`` (null stays null)."""
    return pl.lit(problem.day0, dtype=pl.Date) + pl.duration(days=pl.col(column))


def plans_of_arrays(
    problem: Problem,
    indexed: Indexed,
    purchases: Array,
    used_hours: Array,
    made: Array,
    made_hours: Array,
    moved: Array,
) -> Plans:

    def date(column: str) -> pl.Expr:
        return day_date(problem, column)

    items = pl.Series(indexed.items, dtype=pl.String)
    locations = pl.Series(indexed.locations, dtype=pl.String)
    modes = pl.Series(indexed.modes or [""], dtype=pl.String)

    supplier_rows, order_days = np.nonzero(purchases)
    suppliers = [indexed.suppliers[k] for k in supplier_rows.tolist()]
    quantities = purchases[supplier_rows, order_days]
    bought = pl.DataFrame(
        {
            "supplier": pl.Series([s.id for s in suppliers], dtype=pl.String),
            "item": pl.Series([s.item for s in suppliers], dtype=pl.String),
            "location": pl.Series([s.location for s in suppliers], dtype=pl.String),
            "quantity": quantities.astype(np.int64),
            "day": order_days.astype(np.int64),
            "arrival": order_days + np.asarray([s.lead_time for s in suppliers], dtype=np.int64),
            "cost": pl.Series(
                [
                    round(q * s.unit_price, 6)
                    for q, s in zip(quantities.tolist(), suppliers, strict=True)
                ],
                dtype=pl.Float64,
            ),
        }
    ).sort("day", "supplier", "item", "location")
    procurement = bought.select(
        "supplier",
        "item",
        "location",
        "quantity",
        date("day").alias("order_date"),
        date("arrival").alias("arrival_date"),
        "cost",
    )

    resources = pl.Series([r for r, _ in indexed.resources] or [""], dtype=pl.String)
    production = (
        pl.DataFrame(
            {
                "item": items.gather(made[:, 0]),
                "location": locations.gather(made[:, 1]),
                "resource": resources.gather(made[:, 2]),
                "quantity": made[:, 3],
                "start": made[:, 4],
                "end": made[:, 5],
                "hours": pl.Series([round(h, 6) for h in made_hours.tolist()], dtype=pl.Float64),
            }
        )
        .select(
            "item",
            "location",
            "resource",
            "quantity",
            date("start").alias("start_date"),
            date("end").alias("end_date"),
            "hours",
        )
        .sort(pl.all())
    )

    transfers = (
        pl.DataFrame(
            {
                "item": items.gather(moved[:, 0]),
                "from_location": locations.gather(moved[:, 1]),
                "to": locations.gather(moved[:, 2]),
                "mode": modes.gather(moved[:, 3]),
                "quantity": moved[:, 4],
                "ship": moved[:, 5],
                "arrival": moved[:, 6],
            }
        )
        .group_by("item", "from_location", "to", "mode", "ship", "arrival")
        .agg(pl.col("quantity").sum())
        .sort("ship", "item", "from_location", "to", "mode", "arrival")
        .select(
            pl.lit("transfer").alias("kind"),
            "item",
            "from_location",
            "to",
            "mode",
            "quantity",
            date("ship").alias("ship_date"),
            date("arrival").alias("arrival_date"),
            pl.lit(None, dtype=pl.String).alias("order"),
        )
    )
    lane_costs: dict[tuple[int, int, int], list[float]] = {}
    loc_of = {name: k for k, name in enumerate(indexed.locations)}
    mode_of = {name: k for k, name in enumerate(indexed.modes)}
    for lane in indexed.transfer_lanes:
        key = (loc_of[lane.source], loc_of[lane.destination], mode_of[lane.mode])
        lane_costs.setdefault(key, []).append(lane.cost_per_unit)
    transfer_cost = sum(
        quantity * cost
        for _, src, dst, mode, quantity, _, _ in moved.tolist()
        for cost in lane_costs.get((src, dst, mode), ())
    )
    hours = {
        resource: used_hours[k].tolist()
        for k, resource in enumerate(indexed.resources)
        if used_hours[k].any()
    }
    empty = _frame("distribution_plan", [])
    return Plans(
        procurement.cast(_frame("procurement_plan", []).schema),
        production.cast(_frame("production_plan", []).schema),
        transfers.cast(empty.schema),
        transfer_cost,
        hours,
    )
