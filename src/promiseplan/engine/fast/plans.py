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
            "cost": _rounded(
                quantities * np.asarray([s.unit_price for s in suppliers], dtype=np.float64)
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
    # sorted by item, location, resource (indices follow the ids' order), quantity, dates, hours
    production = (
        pl.DataFrame(
            {
                "item": made[:, 0],
                "location": made[:, 1],
                "resource": made[:, 2],
                "quantity": made[:, 3],
                "start": made[:, 4],
                "end": made[:, 5],
                "hours": _rounded(made_hours),
            }
        )
        .sort(pl.all())
        .select(
            pl.lit(items).gather("item").alias("item"),
            pl.lit(locations).gather("location").alias("location"),
            pl.lit(resources).gather("resource").alias("resource"),
            "quantity",
            date("start").alias("start_date"),
            date("end").alias("end_date"),
            "hours",
        )
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
    transfer_cost = _transfer_cost(indexed, moved)
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


def _rounded(values: Array) -> pl.Series:
    """``round(x, 6)`` of every value, as Python rounds it (numpy's rounding can differ in the
    last place); rounded once per distinct value (by its bits: -0.0 stays -0.0)."""
    bits = pl.Series(values.astype(np.float64).view(np.int64))
    unique = bits.unique()
    rounded = [round(x, 6) for x in unique.to_numpy().view(np.float64).tolist()]
    return bits.replace_strict(unique, pl.Series(rounded, dtype=pl.Float64))


def _transfer_cost(indexed: Indexed, moved: Array) -> float:
    """The cost of the transfers ``moved`` over every lane of their source, destination and
    mode, summed in the reference engine's order (transfer by transfer, lane by lane)."""
    lane_costs: dict[tuple[int, int, int], list[float]] = {}
    loc_of = {name: k for k, name in enumerate(indexed.locations)}
    mode_of = {name: k for k, name in enumerate(indexed.modes)}
    for lane in indexed.transfer_lanes:
        key = (loc_of[lane.source], loc_of[lane.destination], mode_of[lane.mode])
        lane_costs.setdefault(key, []).append(lane.cost_per_unit)
    width = max((len(costs) for costs in lane_costs.values()), default=0)
    if not len(moved) or not width:
        return 0
    n_loc, n_modes = len(indexed.locations), len(indexed.modes)
    table = np.full((n_loc, n_loc, n_modes, width), np.nan)
    for (src, dst, mode), costs in lane_costs.items():
        table[src, dst, mode, : len(costs)] = costs
    products = moved[:, 4:5] * table[moved[:, 1], moved[:, 2], moved[:, 3]]
    return sum_in_order(products[~np.isnan(products)])  # row by row, lane by lane


def sum_in_order(values: Array) -> float:
    """``sum`` of the values one after the other, as the reference engine adds them up (numpy's
    ``sum`` adds pairwise, which can differ in the last place; ``sum`` starts from 0, which
    turns a total of -0.0 into 0.0)."""
    return 0.0 + float(np.cumsum(values)[-1]) if len(values) else 0
