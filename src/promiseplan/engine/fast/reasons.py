"""The sentences of the fast engine's reasons, written after the run from its rows and supply
nodes, word for word as the reference engine writes them (``engine.orders``).

Written column by column, not sentence by sentence (by compiled code into one buffer, or with
Python lists for a few rows: ``columns``): a reason is a code, for a line that ships complete
with another one a link to that line, and a detail. The details of the supply nodes are written
level by level from the deepest, each node's from its own columns and its supplies' details."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

from promiseplan.engine.fast.arrays import Array, Indexed
from promiseplan.engine.fast.book import OrderBook
from promiseplan.engine.fast.columns import C, Columns, Lists, Part, Texts
from promiseplan.engine.fast.decide import (
    BEYOND_HORIZON,
    NO_LANE,
    NO_SOURCE,
    R_ARG,
    R_ARRIVAL,
    R_AVAILABLE,
    R_BASE,
    R_DELAYED,
    R_FAILED,
    R_KIND,
    R_LANE,
    R_LINE,
    R_NODE,
    R_ORDER,
    R_PROMISED,
    R_QTY,
    R_SHIP,
    R_WHY_SHIP,
    R_WRAP,
    REFUSE,
    TOO_LATE,
)
from promiseplan.engine.fast.state import (
    N_A,
    N_B,
    N_CODE,
    N_IL,
    N_KIND,
    N_MISSING,
    N_PARENT,
    N_READY,
    N_SOURCE,
    PRODUCTION,
    PURCHASE,
    STOCK,
    TRANSFER,
)
from promiseplan.model.problem import DeliveryLane, Problem

CODES = ("stock", "lead_time", "capacity", "material")
CODE_CAPACITY = CODES.index("capacity")
REFUSALS = ("", "too_late", "no_source", "beyond_horizon", "no_source")
"""The code of each refusal (``decide.TOO_LATE`` ...)."""
FEW_ROWS = 0
"""Up to this many rows, a run's reasons are written with Python lists, not by compiled code
(see ``columns``): a call into it costs microseconds, so a run uses it for every chunk; an
online promise writes its few rows with lists (``sentences``)."""


class Reasons:
    """Writes the reasons of schedule rows; the names it looks up are read once per run."""

    def __init__(self, problem: Problem, book: OrderBook, indexed: Indexed) -> None:
        self.problem = problem
        self.book = book
        self.n_locations = len(indexed.locations)
        self._places: dict[tuple[str, frozenset[str] | None], str] = {}
        lanes = indexed.delivery_lanes
        tables: dict[str, dict[str, list[Any]]] = {
            "items": {"name": indexed.items},
            "suppliers": _columns(
                indexed.suppliers, "id", "capacity_per_day", "item", "location", "lead_time"
            ),
            "transfers": _columns(indexed.transfer_lanes, "source", "mode"),
            "operations": _columns(indexed.operations, "item", "location", "resource"),
            "lanes": {
                **_columns(lanes, "location", "mode"),
                "limits": [self._limits(lane) for lane in lanes],
            },
        }
        self._lead_times = np.array([t.lead_time for t in indexed.transfer_lanes], dtype=np.int64)
        self._texts = Texts(tables, self._date)
        self._lists = Lists(tables, self._date)

    def _date(self, day: int) -> str:
        return str(self.problem.date(day))

    def _limits(self, lane: DeliveryLane) -> str:
        """What limits shipping on ``lane``."""
        limits = []
        if lane.capacity_per_day is not None:
            limits.append(
                f"the {lane.mode} lane {lane.location} -> {lane.region} "
                f"({lane.capacity_per_day} units a day)"
            )
        orders_per_day = self.problem.locations[lane.location].orders_per_day
        if orders_per_day is not None:
            limits.append(f"{lane.location}'s {orders_per_day} orders a day")
        return " and ".join(limits) or "shipping"

    def write(self, rows: Array, nodes: Array, values: Array) -> pl.Series:
        """The reason of every schedule row."""
        if len(rows) <= FEW_ROWS:
            return pl.Series(self.sentences(rows, nodes, values), dtype=pl.String)
        with self._texts.scratch():
            return self._texts.reasons(*self._write(self._texts, rows, nodes, values))

    def sentences(self, rows: Array, nodes: Array, values: Array) -> list[str]:
        """As ``write``, as a list: for a few rows (an online promise)."""
        return self._lists.reasons(*self._write(self._lists, rows, nodes, values))

    # --- supply details ----------------------------------------------------------------------
    def _details(self, c: Columns[C], nodes: Array, values: Array, tops: Array) -> C:
        """The detail of the supply nodes ``tops`` and of those under them (null for the others
        and for stock), each with its supplies' details inside."""
        kind, parents = nodes[:, N_KIND], nodes[:, N_PARENT]
        depth = _depths(parents)
        needed = np.zeros(len(nodes), dtype=bool)
        needed[tops] = True
        deepest = int(depth.max(initial=0))
        for level in range(1, deepest + 1):
            at = np.flatnonzero(depth == level)
            needed[at] |= needed[parents[at]]
        heads = self._heads(c, nodes, values, needed)
        details = c.gather(heads, np.arange(len(heads)))
        for level in range(deepest, 0, -1):
            below = np.flatnonzero((depth == level) & needed)
            above = parents[below]
            moved = kind[above] == TRANSFER
            first = np.unique(above[moved], return_index=True)[1]
            up, down = above[moved][first], below[moved][first]
            up, down = up[kind[down] != STOCK], down[kind[down] != STOCK]
            if len(up):
                c.scatter(
                    details,
                    up,
                    c.format(
                        "{}; at {}: {}",
                        c.gather(heads, up),
                        c.gather(c.tables["transfers"]["source"], nodes[up, N_SOURCE]),
                        c.gather(details, down),
                    ),
                )
            made = (kind[above] == PRODUCTION) & (kind[below] != STOCK)
            up, down = above[made], below[made]
            if len(up):
                texts = c.format(
                    "{}: {}", self._item(c, nodes[down, N_IL]), c.gather(details, down)
                )
                up, arrivals = c.joined(up, texts, "; ")
                c.scatter(
                    details,
                    up,
                    c.format("{} once components arrive ({})", c.gather(heads, up), arrivals),
                )
        return details

    def _item(self, c: Columns[C], il: Array) -> C:
        return c.gather(c.tables["items"]["name"], il // self.n_locations)

    def _heads(self, c: Columns[C], nodes: Array, values: Array, needed: Array) -> C:
        """The ``needed`` nodes' own words, before those of the supplies they used."""
        kind = np.where(needed, nodes[:, N_KIND], STOCK)
        source: Array = nodes[:, N_SOURCE]
        heads = c.nulls(len(nodes))
        s: dict[str, C] = c.tables["suppliers"]
        t: dict[str, C] = c.tables["transfers"]
        o: dict[str, C] = c.tables["operations"]
        bought = kind == PURCHASE
        c.fill(
            heads,
            bought & (nodes[:, N_A] > 1),
            "supplier {} delivers at most {} {} a day to {}; the last lot arrives on {}",
            lambda at: (
                *c.pick(s, ("id", "capacity_per_day", "item", "location"), source[at]),
                c.dates(nodes[at, N_READY]),
            ),
        )
        c.fill(
            heads,
            bought & (nodes[:, N_A] <= 1),
            "the purchase from {} arrives at {} on {} (lead time {} days)",
            lambda at: (
                *c.pick(s, ("id", "location"), source[at]),
                c.dates(nodes[at, N_READY]),
                c.gather(s["lead_time"], source[at]),
            ),
        )

        def moved(at: Array) -> tuple[Part, ...]:
            ship, lead_time = nodes[at, N_A], self._lead_times[source[at]]
            return (
                nodes[at, N_MISSING],
                self._item(c, nodes[at, N_IL]),
                *c.pick(t, ("source", "mode"), source[at]),
                c.dates(ship),
                c.dates(ship + lead_time),
                lead_time,
            )

        c.fill(
            heads,
            kind == TRANSFER,
            "{} {} come from {} by {}, shipped {}, arriving {} (lead time {} days)",
            moved,
        )
        c.fill(
            heads,
            kind == PRODUCTION,
            "{} {} are made at {} on {} ({} hours, {} to {}), ready on {}",
            lambda at: (
                nodes[at, N_MISSING],
                *c.pick(o, ("item", "location", "resource"), source[at]),
                c.general(values[at, 1]),
                *(c.dates(nodes[at, field]) for field in (N_A, N_B, N_READY)),
            ),
        )
        return heads

    # --- rows --------------------------------------------------------------------------------
    def _write(self, c: Columns[C], rows: Array, nodes: Array, values: Array) -> tuple[C, C, C]:
        """Code, link and detail of every row."""
        code, link, detail = c.nulls(len(rows)), c.nulls(len(rows)), c.nulls(len(rows))
        confirmed = np.flatnonzero(rows[:, R_KIND] != REFUSE)
        if len(confirmed):
            words = self._explained(c, rows[confirmed], nodes, values)
            for column, part in zip((code, link, detail), words, strict=True):
                c.scatter(column, confirmed, part)
        refused = np.flatnonzero(rows[:, R_KIND] == REFUSE)
        if len(refused):
            words = self._refused(c, rows[refused])
            for column, part in zip((code, link, detail), words, strict=True):
                c.scatter(column, refused, part)
        return code, link, detail

    def _explained(self, c: Columns[C], rows: Array, nodes: Array, values: Array) -> tuple[C, C, C]:
        """Code, link and detail of confirmed rows."""
        book = self.book
        node = rows[:, R_NODE]
        supplied = np.zeros(len(rows), dtype=bool)
        code = np.zeros(len(rows), dtype=np.int64)
        if len(nodes):
            supplied = (node >= 0) & (nodes[np.maximum(node, 0), N_KIND] != STOCK)
            code[supplied] = nodes[node[supplied], N_CODE]
        requested = book.requested.at(rows[:, R_ORDER])
        has_date = np.array([day is not None for day in requested], dtype=bool)
        later = has_date & (rows[:, R_PROMISED] > np.array([day or 0 for day in requested]))
        capacity = (rows[:, R_DELAYED] != 0) & (~has_date | later)
        code[capacity] = CODE_CAPACITY
        free_later = ~capacity & ~supplied & (rows[:, R_AVAILABLE] > 0) & later
        items = c.column(book.line_items.at(rows[:, R_LINE]))
        lanes = c.tables["lanes"]
        lane = rows[:, R_LANE]
        places = c.gather(lanes["location"], lane)
        trip = c.format(
            "; ships {} from {} by {}, arrives {}",
            c.dates(rows[:, R_SHIP]),
            places,
            c.gather(lanes["mode"], lane),
            c.dates(rows[:, R_ARRIVAL]),
        )
        detail = c.nulls(len(rows))
        c.fill(
            detail,
            capacity,
            "{} is full before {}{}",
            lambda at: (
                c.gather(lanes["limits"], lane[at]),
                c.dates(rows[at, R_WHY_SHIP]),
                c.gather(trip, at),
            ),
        )
        c.fill(
            detail,
            free_later,
            "no {} free at {} until {}{}",
            lambda at: (
                c.gather(items, at),
                c.gather(places, at),
                c.dates(rows[at, R_AVAILABLE]),
                c.gather(trip, at),
            ),
        )
        c.fill(
            detail,
            ~capacity & ~supplied & ~free_later,
            "{} {} in stock at {}{}",
            lambda at: (
                rows[at, R_QTY],
                c.gather(items, at),
                c.gather(places, at),
                c.gather(trip, at),
            ),
        )
        c.fill(
            detail,
            ~capacity & supplied,
            "no {} at {} until {}{}",
            lambda at: (
                c.gather(items, at),
                c.gather(places, at),
                c.gather(self._details(c, nodes, values, node[at]), node[at]),
                c.gather(trip, at),
            ),
        )
        codes = c.gather(c.column(CODES), code)
        links = c.nulls(len(rows))
        wrap = rows[:, R_WRAP]
        at = np.flatnonzero(wrap >= 0)
        if len(at):
            own = c.last_of(
                rows[:, [R_ORDER, R_LINE]],
                (codes, detail),
                np.stack([rows[at, R_ORDER], wrap[at]], axis=1),
            )
            c.scatter(codes, at, own[0])
            c.scatter(detail, at, own[1])
            c.scatter(links, at, self._links(c, wrap[at], ": "))
        return codes, links, detail

    def _refused(self, c: Columns[C], rows: Array) -> tuple[C, C, C]:
        """Code, link and detail of refused rows."""
        book = self.book
        failed, line, base, arg = (rows[:, k] for k in (R_FAILED, R_LINE, R_BASE, R_ARG))
        orders = rows[:, R_ORDER]
        subject = np.where(failed >= 0, failed, line)
        items = c.column(book.line_items.at(subject))
        regions = c.column(book.regions.at(orders))
        detail = c.nulls(len(rows))
        horizon = self._date(self.problem.horizon)
        c.fill(
            detail,
            base == TOO_LATE,
            "the earliest promise, {}, is more than {} days after the requested date {}",
            lambda at: (
                c.dates(arg[at]),
                c.column(book.max_late.at(orders[at])),
                c.dates(np.array(book.requested.at(orders[at]))),
            ),
        )
        c.fill(
            detail,
            base == BEYOND_HORIZON,
            f"{{}} {{}} cannot reach region {{}} by {horizon} (the planning horizon)",
            lambda at: (arg[at], c.gather(items, at), c.gather(regions, at)),
        )
        c.fill(
            detail,
            base == NO_LANE,
            "no delivery lane reaches region {}{}",
            lambda at: (
                c.gather(regions, at),
                c.column([self._by_modes(k) for k in orders[at].tolist()]),
            ),
        )
        c.fill(
            detail,
            base == NO_SOURCE,
            "no {} left at {} and nothing can make, buy or move more",
            lambda at: (
                c.gather(items, at),
                c.column([self._places_of(k) for k in orders[at].tolist()]),
            ),
        )
        links = c.nulls(len(rows))
        at = np.flatnonzero((failed >= 0) & (failed != line))
        if len(at):
            c.scatter(links, at, self._links(c, failed[at], ", which cannot be confirmed: "))
        return c.gather(c.column(REFUSALS), base), links, detail

    def _links(self, c: Columns[C], lines: Array, ending: str) -> C:
        """The words naming the line another one ships complete with."""
        return c.format(
            f"ships complete with line {{}} ({{}}){ending}",
            c.column(self.book.line_ids.at(lines)),
            c.column(self.book.line_items.at(lines)),
        )

    def _by_modes(self, order: int) -> str:
        """The modes a refused order allows, as words to follow its region."""
        modes = self.book.modes[order]
        return f" by {', '.join(sorted(modes))}" if modes else ""

    def _places_of(self, order: int) -> str:
        """Where a refused order could have shipped from."""
        modes, region = self.book.modes[order], self.book.regions[order]
        places = self._places.get((region, modes))
        if places is None:
            lanes = self.problem.delivery_lanes.get(region, ())
            chosen = {lane.location for lane in lanes if modes is None or lane.mode in modes}
            places = self._places[region, modes] = ", ".join(sorted(chosen))
        return places


def _columns(objects: Sequence[object], *fields: str) -> dict[str, list[Any]]:
    return {field: [getattr(o, field) for o in objects] for field in fields}


def _depths(parents: Array) -> Array:
    """How many supplies up each node is from the row it serves (``parents[k]`` < 0 at the top)."""
    depth = np.zeros(len(parents), dtype=np.int64)
    top = parents < 0
    while True:
        deeper = np.where(top, 0, depth[parents] + 1)
        if np.array_equal(deeper, depth):
            return depth
        depth = deeper
