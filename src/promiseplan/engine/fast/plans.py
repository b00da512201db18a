"""The procurement, production and transfer rows of the fast engine's plan, column-wise: the
same frames as ``engine.plan.plans_of`` builds from the reference engine's State."""

from __future__ import annotations

import numpy as np
import polars as pl

from promiseplan.engine.fast.arrays import Array, Indexed, _index
from promiseplan.engine.fast.sorting import inverse, sorted_by
from promiseplan.engine.fast.state import PRODUCTION_FIELDS, TRANSFER_FIELDS
from promiseplan.engine.plan import Plans, _frame
from promiseplan.model.problem import Problem


def day_date(problem: Problem, column: str) -> pl.Expr:
    """The date of the day numbers in ``column`` (null stays null)."""
    return pl.lit(problem.day0, dtype=pl.Date) + pl.duration(days=pl.col(column))


class SupplyPlans:
    """The procurement, production and transfer tables, built chunk by chunk as the orders are
    decided: each chunk's productions and transfers become frames (``add``), so that what is
    left once every order is decided (``tables``) is the purchases, which the state sums up,
    and one sort of the rest.

    Sorting the chunks' rows by every column gives the order sorting all rows does, and adding
    up a chunk's transfers of one key first gives the same sums."""

    def __init__(self, problem: Problem, indexed: Indexed) -> None:
        self.problem = problem
        self.indexed = indexed
        self.items = pl.Series(indexed.items, dtype=pl.String)
        self.locations = pl.Series(indexed.locations, dtype=pl.String)
        self.modes = pl.Series(indexed.modes or [""], dtype=pl.String)
        self.lane_costs = _lane_costs(indexed)
        self.made: list[pl.DataFrame] = []
        self.moved: list[pl.DataFrame] = []
        self.transfer_costs: list[Array] = []

    def add(self, made: Array, made_hours: Array, moved: Array) -> None:
        """The productions (and their hours) and transfers decided for a chunk of orders."""
        self.made.append(
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
        )
        self.moved.append(
            pl.DataFrame(
                {
                    "item": self.items.gather(moved[:, 0]),
                    "from_location": self.locations.gather(moved[:, 1]),
                    "to": self.locations.gather(moved[:, 2]),
                    "mode": self.modes.gather(moved[:, 3]),
                    "quantity": moved[:, 4],
                    "ship": moved[:, 5],
                    "arrival": moved[:, 6],
                }
            )
            .group_by(*TRANSFER_KEY)
            .agg(pl.col("quantity").sum())
        )
        self.transfer_costs.append(_transfer_costs(self.lane_costs, moved))

    def tables(self, purchases: Array, used_hours: Array) -> Plans:
        """The plans, with the purchases and the hours used that the state holds once every
        order is decided. The chunks are emptied."""
        if not self.made:
            made = np.zeros((0, PRODUCTION_FIELDS), np.int64)
            self.add(made, np.zeros(0), np.zeros((0, TRANSFER_FIELDS), np.int64))
        procurement = self._procurement(purchases)
        production = self._production(pl.concat(self.made, rechunk=True))
        transfers = self._transfers(pl.concat(self.moved, rechunk=True))
        transfer_cost = sum_in_order(np.concatenate(self.transfer_costs))
        self.made.clear()
        self.moved.clear()
        self.transfer_costs.clear()
        hours = {
            resource: used_hours[k].tolist()
            for k, resource in enumerate(self.indexed.resources)
            if used_hours[k].any()
        }
        return Plans(
            procurement.cast(_frame("procurement_plan", []).schema),
            production.cast(_frame("production_plan", []).schema),
            transfers.cast(_frame("distribution_plan", []).schema),
            transfer_cost,
            hours,
        )

    def _date(self, column: str) -> pl.Expr:
        return day_date(self.problem, column)

    def _procurement(self, purchases: Array) -> pl.DataFrame:
        """Sorted by order day, supplier, item and location (the key of a supplier's row)."""
        rows, order_days = np.nonzero(purchases)
        suppliers = self.indexed.suppliers
        quantities = purchases[rows, order_days]
        named = pl.DataFrame(
            {
                "supplier": [s.id for s in suppliers],
                "item": [s.item for s in suppliers],
                "location": [s.location for s in suppliers],
            },
            schema={"supplier": pl.String, "item": pl.String, "location": pl.String},
        )
        rank = inverse(named.select(pl.arg_sort_by(named.columns)).to_series().to_numpy())
        lead = np.asarray([s.lead_time for s in suppliers], dtype=np.int64)
        price = np.asarray([s.unit_price for s in suppliers], dtype=np.float64)
        bought = pl.DataFrame(
            {
                "row": rows.astype(np.int64),
                "quantity": quantities.astype(np.int64),
                "day": order_days.astype(np.int64),
                "rank": rank[rows],
                "arrival": order_days + lead[rows],
                "cost": _rounded(quantities * price[rows]),
            }
        )
        bought = sorted_by(bought, ["day", "rank"])
        return bought.select(
            pl.lit(named["supplier"]).gather("row").alias("supplier"),
            pl.lit(named["item"]).gather("row").alias("item"),
            pl.lit(named["location"]).gather("row").alias("location"),
            "quantity",
            self._date("day").alias("order_date"),
            self._date("arrival").alias("arrival_date"),
            "cost",
        )

    def _production(self, made: pl.DataFrame) -> pl.DataFrame:
        """Sorted by item, location, resource (indices follow the ids' order), quantity, dates
        and hours."""
        resources = [r for r, _ in self.indexed.resources] or [""]
        keys = ["item", "location", "resource", "quantity", "start", "end"]
        return sorted_by(made, keys, then=["hours"]).select(
            pl.lit(self.items).gather("item").alias("item"),
            pl.lit(self.locations).gather("location").alias("location"),
            pl.lit(pl.Series(resources, dtype=pl.String)).gather("resource").alias("resource"),
            "quantity",
            self._date("start").alias("start_date"),
            self._date("end").alias("end_date"),
            "hours",
        )

    def _transfers(self, moved: pl.DataFrame) -> pl.DataFrame:
        return (
            moved.group_by(*TRANSFER_KEY)
            .agg(pl.col("quantity").sum())
            .sort("ship", "item", "from_location", "to", "mode", "arrival")
            .select(
                pl.lit("transfer").alias("kind"),
                "item",
                "from_location",
                "to",
                "mode",
                "quantity",
                self._date("ship").alias("ship_date"),
                self._date("arrival").alias("arrival_date"),
                pl.lit(None, dtype=pl.String).alias("order"),
            )
        )


TRANSFER_KEY = ("item", "from_location", "to", "mode", "ship", "arrival")
"""Transfers of one key are one row of the distribution plan, their quantities added up."""


def _rounded(values: Array) -> pl.Series:
    """``round(x, 6)`` of every value, as Python rounds it (numpy's rounding can differ in the
    last place); rounded once per distinct value (by its bits: -0.0 stays -0.0)."""
    bits = pl.Series(values.astype(np.float64).view(np.int64))
    unique = bits.unique()
    rounded = [round(x, 6) for x in unique.to_numpy().view(np.float64).tolist()]
    return bits.replace_strict(unique, pl.Series(rounded, dtype=pl.Float64))


def _lane_costs(indexed: Indexed) -> Array:
    """The cost per unit of every transfer lane by source, destination and mode (NaN past a
    key's lanes), in the lanes' order."""
    lane_costs: dict[tuple[int, int, int], list[float]] = {}
    loc_of, mode_of = _index(indexed.locations), _index(indexed.modes)
    for lane in indexed.transfer_lanes:
        key = (loc_of[lane.source], loc_of[lane.destination], mode_of[lane.mode])
        lane_costs.setdefault(key, []).append(lane.cost_per_unit)
    width = max((len(costs) for costs in lane_costs.values()), default=0)
    n_loc, n_modes = len(indexed.locations), len(indexed.modes)
    table = np.full((n_loc, n_loc, n_modes, width), np.nan)
    for (src, dst, mode), costs in lane_costs.items():
        table[src, dst, mode, : len(costs)] = costs
    return table


def _transfer_costs(lane_costs: Array, moved: Array) -> Array:
    """The cost of the transfers ``moved`` over every lane of their source, destination and
    mode, in the reference engine's order (transfer by transfer, lane by lane)."""
    if not len(moved) or not lane_costs.shape[-1]:
        return np.zeros(0)
    products: Array = moved[:, 4:5] * lane_costs[moved[:, 1], moved[:, 2], moved[:, 3]]
    return products[~np.isnan(products)]


def sum_in_order(values: Array) -> float:
    """``sum`` of the values one after the other, as the reference engine adds them up (numpy's
    ``sum`` adds pairwise, which can differ in the last place; ``sum`` starts from 0, which
    turns a total of -0.0 into 0.0)."""
    return 0.0 + float(np.cumsum(values)[-1]) if len(values) else 0
