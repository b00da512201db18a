"""The planning problem as numpy arrays: every id mapped to an integer index.

Ids are numbered in sorted order, so comparing indices compares ids (the tie rules of
planning.md compare location ids, modes and names). An item at a location is the single
index ``item * n_locations + location``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import numpy as np
import numpy.typing as npt
import polars as pl
from numba.experimental import structref

from promiseplan.engine.fast.compiled import Fields, define, jit, register
from promiseplan.model.problem import DeliveryLane, Operation, Problem, Supplier, TransferLane

if TYPE_CHECKING:
    from promiseplan.engine.fast.book import OrderBook

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Array = npt.NDArray[Any]
T = TypeVar("T")

NO_LIMIT = -1
"""An absent capacity, orders-per-day or lateness limit."""


class Arrays(NamedTuple):
    """What the kernel reads; never changed while planning."""

    last: int
    """The horizon: the last day anything may arrive."""
    weekday0: int
    now_hour: int
    n_locations: int
    loc_closed: Ints
    loc_cutoff: Ints
    loc_orders_per_day: Ints
    next_ship: Ints
    """[location, day]: the first day from ``day`` on that the location ships, or -1."""
    loc_reach: Ints
    """[x, y]: 1 when units at location ``y`` can reach location ``x`` over transfer lanes (in
    one move or several), or ``y`` is ``x``."""
    # transfer lanes, grouped by destination
    tr_ptr: Ints
    tr_source: Ints
    tr_destination: Ints
    tr_mode: Ints
    tr_lead: Ints
    tr_cost: Floats
    tr_name: Ints
    """Rank of "source/mode" among the names of all transfer lanes."""
    # operations, grouped by item-location
    op_ptr: Ints
    op_resource: Ints
    op_hours: Floats
    op_lead: Ints
    op_priority: Ints
    op_name: Ints
    op_item: Ints
    op_location: Ints
    bom_ptr: Ints
    bom_item: Ints
    bom_per: Floats
    res_hours: Floats
    res_closed: Ints
    # suppliers, grouped by item-location
    sp_ptr: Ints
    sp_lead: Ints
    sp_min: Ints
    sp_lot: Ints
    sp_price: Floats
    sp_priority: Ints
    sp_capacity: Ints
    sp_name: Ints
    # delivery lanes, grouped by region in (location, mode) order
    dl_ptr: Ints
    dl_location: Ints
    dl_mode: Ints
    dl_transit: Ints
    dl_cost: Floats
    dl_capacity: Ints
    # orders in decision order
    or_region: Ints
    or_requested: Ints
    or_has_requested: Ints
    or_complete: Ints
    or_max_late: Ints
    or_modes: Ints
    """Bit mask of allowed modes; -1 allows every mode."""
    or_line_ptr: Ints
    ln_item: Ints
    ln_quantity: Ints


@register
class ArraysType(Fields):
    pass


class ArraysRef(structref.StructRefProxy):
    pass


define(ArraysRef, ArraysType, list(Arrays._fields))


@jit
def _reference(arrays: Arrays) -> ArraysRef:
    return ArraysRef(*arrays)  # type: ignore[no-untyped-call]


@dataclass
class Indexed:
    """The arrays and the ids behind their indices."""

    arrays: Arrays
    ref: Any
    """The arrays as the compiled code reads them."""
    items: list[str]
    locations: list[str]
    modes: list[str]
    regions: list[str]
    """Regions by index; index ``len(regions)`` stands for any region no lane reaches."""
    resources: list[tuple[str, str]]
    transfer_lanes: list[TransferLane]
    operations: list[Operation]
    suppliers: list[Supplier]
    delivery_lanes: list[DeliveryLane]
    arrivals: Ints
    """Rows of item-location, day and units arriving (on hand on day 0, receipts)."""

    @property
    def item_locations(self) -> int:
        return len(self.items) * len(self.locations)


def _index(values: list[str]) -> dict[str, int]:
    return {v: i for i, v in enumerate(values)}


def _positions(names: pl.Series, among: list[str]) -> Ints:
    """The position of each of ``names`` in ``among`` (which holds every one of them)."""
    return names.replace_strict(among, range(len(among)), return_dtype=pl.Int64).to_numpy(
        writable=True
    )


def _int(values: list[int]) -> Ints:
    return np.asarray(values, dtype=np.int64)


def _float(values: list[float]) -> Floats:
    return np.asarray(values, dtype=np.float64)


def _ranks(names: list[str]) -> Ints:
    order = sorted(set(names))
    rank = _index(order)
    return _int([rank[n] for n in names])


def item_names(problem: Problem, book: OrderBook | None = None) -> list[str]:
    """Every item of the network (and of ``book``), in index order (``Indexed.items``)."""
    named = set(problem.items) | {
        c for ops in problem.operations.values() for op in ops for c, _ in op.components
    }
    if book is not None:
        named |= set(book.line_items.series.unique().to_list())
    return sorted(named)


def _book_modes(allowed: set[frozenset[str] | None]) -> set[str]:
    """Every mode named among the distinct sets of modes orders allow."""
    return {m for modes in allowed if modes for m in modes}


@dataclass
class Network:
    """The part of ``Indexed`` that the orders do not change, indexed before they are read:
    the fields of ``Arrays`` that describe the network, and the ids behind their indices."""

    problem: Problem
    items: list[str]
    locations: list[str]
    modes: list[str]
    resources: list[tuple[str, str]]
    transfer_lanes: list[TransferLane]
    operations: list[Operation]
    suppliers: list[Supplier]
    arrivals: Ints
    fields: dict[str, Any]


def index_problem(problem: Problem, book: OrderBook) -> Indexed:
    """The problem and the orders of ``book`` with integer indices for ids."""
    allowed = set(book.modes)
    network = index_network(problem, item_names(problem, book), _book_modes(allowed))
    return _with_orders(network, book, allowed)


def index_network(
    problem: Problem, items: list[str] | None = None, more_modes: set[str] | None = None
) -> Network:
    """The network with integer indices for ids: ``items`` is ``item_names`` (of the network
    alone where not given); modes are those of its lanes and ``more_modes``."""
    items = item_names(problem) if items is None else items
    locations = sorted(problem.locations)
    modes = sorted(
        {lane.mode for lanes in problem.delivery_lanes.values() for lane in lanes}
        | {lane.mode for lanes in problem.transfers_into.values() for lane in lanes}
        | (more_modes or set())
    )
    item_of, loc_of, mode_of = _index(items), _index(locations), _index(modes)
    n_loc = len(locations)
    days = problem.horizon + 1

    def il(item: str, location: str) -> int:
        return item_of[item] * n_loc + loc_of[location]

    n_il = len(items) * n_loc
    closed = _int([problem.locations[loc].closed for loc in locations])
    cutoff = _int([problem.locations[loc].cutoff_hour for loc in locations])
    next_ship = np.full((n_loc, days + 1), -1, dtype=np.int64)
    for x in range(n_loc):
        for d in range(days - 1, -1, -1):
            shut = closed[x] >> ((problem.weekday0 + d) % 7) & 1
            past_cutoff = d == 0 and problem.now_hour >= cutoff[x]
            next_ship[x, d] = next_ship[x, d + 1] if shut or past_cutoff else d

    # a location's lanes from one source next to each other: the search asks that source once
    transfers = [
        lane
        for loc in locations
        for lane in sorted(problem.transfers_into.get(loc, ()), key=lambda t: loc_of[t.source])
    ]
    tr_count = [len(problem.transfers_into.get(loc, ())) for loc in locations]

    op_list, op_count = _by_item_location(problem.operations, il, n_il)
    resources = sorted(problem.resources)
    res_of = {key: i for i, key in enumerate(resources)}

    sp_list, sp_count = _by_item_location(problem.suppliers, il, n_il)
    arrivals = _arrivals(problem.stock_events.filter(pl.col("day") < days), items, locations)

    fields = dict(
        last=problem.horizon,
        weekday0=problem.weekday0,
        now_hour=problem.now_hour,
        n_locations=n_loc,
        loc_closed=closed,
        loc_cutoff=cutoff,
        loc_orders_per_day=_int(
            [_limit(problem.locations[loc].orders_per_day) for loc in locations]
        ),
        next_ship=next_ship,
        loc_reach=_reach(problem, loc_of),
        tr_ptr=_ptr(tr_count),
        tr_source=_int([loc_of[t.source] for t in transfers]),
        tr_destination=_int([loc_of[t.destination] for t in transfers]),
        tr_mode=_int([mode_of[t.mode] for t in transfers]),
        tr_lead=_int([t.lead_time for t in transfers]),
        tr_cost=_float([t.cost_per_unit for t in transfers]),
        tr_name=_ranks([f"{t.source}/{t.mode}" for t in transfers]),
        op_ptr=_ptr(op_count.tolist()),
        op_resource=_int([res_of[op.resource, op.location] for op in op_list]),
        op_hours=_float([op.hours_per_unit for op in op_list]),
        op_lead=_int([op.lead_time for op in op_list]),
        op_priority=_int([op.priority for op in op_list]),
        op_name=_ranks([op.resource for op in op_list]),
        op_item=_int([item_of[op.item] for op in op_list]),
        op_location=_int([loc_of[op.location] for op in op_list]),
        bom_ptr=_ptr([len(op.components) for op in op_list]),
        bom_item=_int([item_of[c] for op in op_list for c, _ in op.components]),
        bom_per=_float([per for op in op_list for _, per in op.components]),
        res_hours=_float([problem.resources[r].hours_per_day for r in resources]),
        res_closed=_int([problem.resources[r].closed for r in resources]),
        sp_ptr=_ptr(sp_count.tolist()),
        sp_lead=_int([s.lead_time for s in sp_list]),
        sp_min=_int([s.min_quantity for s in sp_list]),
        sp_lot=_int([s.lot_multiple for s in sp_list]),
        sp_price=_float([s.unit_price for s in sp_list]),
        sp_priority=_int([s.priority for s in sp_list]),
        sp_capacity=_int([_limit(s.capacity_per_day) for s in sp_list]),
        sp_name=_ranks([s.id for s in sp_list]),
    )
    return Network(
        problem, items, locations, modes, resources, transfers, op_list, sp_list, arrivals, fields
    )


def index_orders(network: Network, book: OrderBook) -> Indexed:
    """``network`` and the orders of ``book`` with integer indices for ids. Where the book
    names items or modes the network does not, the network is indexed again with them (the
    indices of every id follow the sorted order of all of them)."""
    return _with_orders(network, book, set(book.modes))


def _with_orders(network: Network, book: OrderBook, allowed: set[frozenset[str] | None]) -> Indexed:
    """``index_orders``, with the distinct sets of modes the book's orders allow."""
    problem = network.problem
    try:
        item_index = _positions(book.line_items.series, network.items)
    except pl.exceptions.InvalidOperationError:  # an item only the book names
        return index_problem(problem, book)
    if not _book_modes(allowed) <= set(network.modes):  # a mode only the book names
        return index_problem(problem, book)
    mode_of = _index(network.modes)
    masks = {m: _mode_mask(m, mode_of) for m in allowed}
    loc_of = _index(network.locations)

    regions = sorted(set(problem.delivery_lanes) | set(book.regions.series.unique().to_list()))
    lanes = [lane for r in regions for lane in problem.delivery_lanes.get(r, ())]
    lane_count = [len(problem.delivery_lanes.get(r, ())) for r in regions] + [0]
    """The last region is every region no lane reaches (an online order may name one)."""

    requested = book.requested.series
    arrays = Arrays(
        **network.fields,
        dl_ptr=_ptr(lane_count),
        dl_location=_int([loc_of[lane.location] for lane in lanes]),
        dl_mode=_int([mode_of[lane.mode] for lane in lanes]),
        dl_transit=_int([lane.transit_days for lane in lanes]),
        dl_cost=_float([lane.cost_per_unit for lane in lanes]),
        dl_capacity=_int([_limit(lane.capacity_per_day) for lane in lanes]),
        or_region=_positions(book.regions.series, regions),
        or_requested=requested.fill_null(0).to_numpy(writable=True),
        or_has_requested=requested.is_not_null().cast(pl.Int64).to_numpy(writable=True),
        or_complete=book.complete.astype(np.int64),
        or_max_late=book.max_late.series.fill_null(NO_LIMIT).to_numpy(writable=True),
        or_modes=_int([masks[m] for m in book.modes]),
        or_line_ptr=book.line_ptr.astype(np.int64),
        ln_item=item_index,
        ln_quantity=book.line_quantity.astype(np.int64),
    )
    return Indexed(
        arrays,
        _reference(arrays),
        network.items,
        network.locations,
        network.modes,
        regions,
        network.resources,
        network.transfer_lanes,
        network.operations,
        network.suppliers,
        lanes,
        network.arrivals,
    )


def _arrivals(events: pl.DataFrame, items: list[str], locations: list[str]) -> Ints:
    """Rows of item-location, day and units of ``events`` (Problem.stock_events), in its
    order."""
    n_loc = len(locations)
    item = pl.col("item").replace_strict(items, range(len(items)), return_dtype=pl.Int64)
    place = pl.col("location").replace_strict(locations, range(n_loc), return_dtype=pl.Int64)
    rows = events.select(item * n_loc + place, "day", "quantity").to_numpy()
    return np.ascontiguousarray(rows, dtype=np.int64).reshape(-1, 3)


def _by_item_location(
    grouped: dict[tuple[str, str], list[T]], il: Callable[[str, str], int], n_il: int
) -> tuple[list[T], Ints]:
    """The entries in item-location index order, and how many each item-location has."""
    entries: list[T] = []
    count = np.zeros(n_il, dtype=np.int64)
    for key in sorted(grouped, key=lambda k: il(*k)):
        count[il(*key)] = len(grouped[key])
        entries += grouped[key]
    return entries, count


def _reach(problem: Problem, loc_of: dict[str, int]) -> Ints:
    n = len(loc_of)
    reach = np.eye(n, dtype=np.int64)
    for destination, lanes in problem.transfers_into.items():
        for lane in lanes:
            reach[loc_of[destination], loc_of[lane.source]] = 1
    for middle in range(n):  # transitive closure (Floyd-Warshall on booleans)
        reach |= reach[:, [middle]] & reach[[middle], :]
    return reach


def _limit(value: int | None) -> int:
    return NO_LIMIT if value is None else value


def _ptr(counts: list[int]) -> Ints:
    ptr = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(np.asarray(counts, dtype=np.int64), out=ptr[1:])
    return ptr


def _mode_mask(modes: frozenset[str] | None, mode_of: dict[str, int]) -> int:
    if modes is None:
        return -1
    if len(mode_of) > 62:
        raise ValueError("the fast engine handles at most 62 transport modes")
    mask = 0
    for m in modes:
        mask |= 1 << mode_of[m]
    return mask
