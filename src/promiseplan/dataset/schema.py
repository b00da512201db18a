"""The dataset contract: one typed schema per table, in one place.

Every reader, the validator, the generators and the writers take their column names, types,
defaults and keys from here (``../shared/spec/dataset.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

WEEKDAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class Kind(Enum):
    """How a cell is parsed."""

    ID = "identifier"
    TEXT = "text"
    INT = "integer"
    FLOAT = "number"
    DATE = "date (YYYY-MM-DD)"
    DATETIME = "date-time (YYYY-MM-DDTHH:MM)"
    BOOL = "true/false"
    ENUM = "one of"
    WEEKDAYS = "weekday names (Mon Tue Wed Thu Fri Sat Sun)"
    MODES = "space-separated transport modes"


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool = True
    """The column must be present and every cell filled."""
    default: object = None
    """Value used when an optional column is missing or a cell is empty (None: stays empty)."""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reference:
    """Columns of this table that must name a row of another table."""

    columns: tuple[str, ...]
    table: str
    target: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    required: bool = True
    references: tuple[Reference, ...] = ()
    description: str = ""

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _id(name: str, required: bool = True) -> Column:
    return Column(name, Kind.ID, required=required)


def _count(
    name: str, *, required: bool = True, default: object = None, minimum: float = 0
) -> Column:
    return Column(name, Kind.INT, required=required, default=default, minimum=minimum)


def _ref(column: str, table: str, target: str | None = None) -> Reference:
    return Reference((column,), table, (target or table_key_column(table),))


def table_key_column(table: str) -> str:
    return {"items": "item", "locations": "location", "customers": "customer", "orders": "order"}[
        table
    ]


ITEMS = Table(
    "items",
    (
        _id("item"),
        Column("name", Kind.TEXT, required=False),
        Column(
            "kind", Kind.ENUM, required=False, default="product", choices=("product", "component")
        ),
        Column("unit_cost", Kind.FLOAT, required=False, default=0.0, minimum=0),
        Column("weight_kg", Kind.FLOAT, required=False, minimum=0),
    ),
    key=("item",),
    description="what is sold, bought or made",
)

LOCATIONS = Table(
    "locations",
    (
        _id("location"),
        Column("kind", Kind.ENUM, choices=("warehouse", "factory", "store")),
        _id("region"),
        Column("cutoff_hour", Kind.INT, required=False, default=24, minimum=0, maximum=24),
        Column("closed_weekdays", Kind.WEEKDAYS, required=False, default=""),
        _count("orders_per_day", required=False),
    ),
    key=("location",),
    description="places that hold stock, make or ship",
)

INVENTORY = Table(
    "inventory",
    (_id("item"), _id("location"), _count("on_hand")),
    key=("item", "location"),
    references=(_ref("item", "items"), _ref("location", "locations")),
    description="stock on hand now",
)

RECEIPTS = Table(
    "receipts",
    (
        _id("item"),
        _id("location"),
        _count("quantity"),
        Column("arrival_date", Kind.DATE),
        Column("kind", Kind.ENUM, choices=("purchase", "transfer", "production")),
        Column("reference", Kind.TEXT, required=False),
    ),
    required=False,
    references=(_ref("item", "items"), _ref("location", "locations")),
    description="supply on its way: open purchases, goods in transit, work in process",
)

SUPPLIERS = Table(
    "suppliers",
    (
        _id("supplier"),
        _id("item"),
        _id("location"),
        _count("lead_time_days"),
        _count("min_quantity", required=False, default=1, minimum=1),
        _count("lot_multiple", required=False, default=1, minimum=1),
        Column("unit_price", Kind.FLOAT, required=False, default=0.0, minimum=0),
        _count("priority", required=False, default=1),
        _count("capacity_per_day", required=False),
    ),
    key=("supplier", "item", "location"),
    required=False,
    references=(_ref("item", "items"), _ref("location", "locations")),
    description="who can deliver an item to a location, how fast and in what lots",
)

OPERATIONS = Table(
    "operations",
    (
        _id("item"),
        _id("location"),
        _id("resource"),
        Column("hours_per_unit", Kind.FLOAT, minimum=0),
        _count("lead_time_days", required=False, default=0),
        _count("priority", required=False, default=1),
    ),
    key=("item", "location", "resource"),
    required=False,
    references=(
        _ref("item", "items"),
        _ref("location", "locations"),
        Reference(("resource", "location"), "resources", ("resource", "location")),
    ),
    description="an item can be made at a location on a resource",
)

BOM = Table(
    "bom",
    (
        _id("item"),
        _id("location"),
        _id("component"),
        Column("quantity_per", Kind.FLOAT, minimum=0),
    ),
    key=("item", "location", "component"),
    required=False,
    references=(
        _ref("item", "items"),
        _ref("location", "locations"),
        _ref("component", "items", "item"),
    ),
    description="components consumed per unit made at that location",
)

RESOURCES = Table(
    "resources",
    (
        _id("resource"),
        _id("location"),
        Column("hours_per_day", Kind.FLOAT, minimum=0),
        Column("closed_weekdays", Kind.WEEKDAYS, required=False, default=""),
    ),
    key=("resource", "location"),
    required=False,
    references=(_ref("location", "locations"),),
    description="production capacity",
)

TRANSFER_LANES = Table(
    "transfer_lanes",
    (
        _id("from_location"),
        _id("to_location"),
        _id("mode"),
        _count("lead_time_days"),
        Column("cost_per_unit", Kind.FLOAT, required=False, default=0.0, minimum=0),
    ),
    key=("from_location", "to_location", "mode"),
    required=False,
    references=(
        _ref("from_location", "locations", "location"),
        _ref("to_location", "locations", "location"),
    ),
    description="moving stock between own locations",
)

DELIVERY_LANES = Table(
    "delivery_lanes",
    (
        _id("location"),
        _id("region"),
        _id("mode"),
        _count("transit_days"),
        Column("cost_per_unit", Kind.FLOAT, required=False, default=0.0, minimum=0),
        _count("capacity_per_day", required=False),
    ),
    key=("location", "region", "mode"),
    references=(_ref("location", "locations"),),
    description="shipping to customers in a region, per transport mode",
)

CUSTOMERS = Table(
    "customers",
    (
        _id("customer"),
        _id("region"),
        _count("priority", required=False, default=5),
        Column("channel", Kind.TEXT, required=False),
        Column("webhook_url", Kind.TEXT, required=False),
        Column("email", Kind.TEXT, required=False),
    ),
    key=("customer",),
    description="who orders, where they are",
)

ORDERS = Table(
    "orders",
    (
        _id("order"),
        _id("customer"),
        Column("created_at", Kind.DATETIME),
        Column("requested_date", Kind.DATE, required=False),
        Column("ship_complete", Kind.BOOL, required=False, default=True),
        _count("priority", required=False),
        _count("max_lateness_days", required=False),
        Column("modes", Kind.MODES, required=False, default=""),
    ),
    key=("order",),
    references=(_ref("customer", "customers"),),
    description="open customer orders",
)

ORDER_LINES = Table(
    "order_lines",
    (_id("order"), _id("line"), _id("item"), _count("quantity")),
    key=("order", "line"),
    references=(_ref("order", "orders"), _ref("item", "items")),
    description="what each order asks for",
)

PROMISES = Table(
    "promises",
    (_id("order"), _id("line"), _count("quantity"), Column("promised_date", Kind.DATE)),
    required=False,
    description="promises given by the previous run",
)

INPUT_TABLES: tuple[Table, ...] = (
    ITEMS,
    LOCATIONS,
    INVENTORY,
    RECEIPTS,
    SUPPLIERS,
    OPERATIONS,
    BOM,
    RESOURCES,
    TRANSFER_LANES,
    DELIVERY_LANES,
    CUSTOMERS,
    ORDERS,
    ORDER_LINES,
    PROMISES,
)

TABLES: dict[str, Table] = {t.name: t for t in INPUT_TABLES}


@dataclass(frozen=True)
class OutputTable:
    name: str
    columns: tuple[str, ...]
    optional: bool = False

    @property
    def file(self) -> str:
        return f"{self.name}.csv"


OUTPUT_TABLES: tuple[OutputTable, ...] = (
    OutputTable(
        "confirmations",
        (
            "order",
            "line",
            "item",
            "quantity",
            "status",
            "promised_date",
            "ship_date",
            "ship_from",
            "mode",
            "reason",
        ),
    ),
    OutputTable(
        "orders",
        ("order", "customer", "status", "requested_date", "promised_date", "lines", "reason"),
    ),
    OutputTable(
        "procurement_plan",
        ("supplier", "item", "location", "quantity", "order_date", "arrival_date", "cost"),
    ),
    OutputTable(
        "production_plan",
        ("item", "location", "resource", "quantity", "start_date", "end_date", "hours"),
    ),
    OutputTable(
        "distribution_plan",
        (
            "kind",
            "item",
            "from_location",
            "to",
            "mode",
            "quantity",
            "ship_date",
            "arrival_date",
            "order",
        ),
    ),
    OutputTable(
        "promise_changes",
        ("order", "line", "old_quantity", "old_date", "new_quantity", "new_date", "reason"),
        optional=True,
    ),
)

OUTPUT_WHOLE_NUMBERS = frozenset({"quantity", "lines", "old_quantity", "new_quantity"})
OUTPUT_NUMBERS = frozenset({"cost", "hours"})
OUTPUT_DATES = frozenset(
    {
        "promised_date",
        "ship_date",
        "requested_date",
        "order_date",
        "arrival_date",
        "start_date",
        "end_date",
        "old_date",
        "new_date",
    }
)
"""Kinds of the output columns; every other output column is text."""


def output_kind(column: str) -> Kind:
    if column in OUTPUT_WHOLE_NUMBERS:
        return Kind.INT
    if column in OUTPUT_NUMBERS:
        return Kind.FLOAT
    return Kind.DATE if column in OUTPUT_DATES else Kind.TEXT


REASON_CODES: tuple[str, ...] = (
    "no_source",
    "beyond_horizon",
    "too_late",
    "capacity",
    "material",
    "lead_time",
    "stock",
)
