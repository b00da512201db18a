"""The B2C flower shop: regional shops, a central warehouse with a bouquet workshop, florists."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

import polars as pl

from promiseplan.generate.tables import Tables, rows_frame

NOW = datetime(2026, 3, 3, 10, 0)  # a Tuesday morning
REGIONS = ("NORTH", "SOUTH", "EAST", "WEST")
SHOPS = {"SHOP_N": "NORTH", "SHOP_S": "SOUTH", "SHOP_E": "EAST"}
STEMS = {"ROSE": 0.9, "TULIP": 0.5, "LILY": 1.2, "SUNFLOWER": 0.8, "EUCALYPTUS": 0.3}
BOUQUETS = {
    "BQ_ROMANCE": {"ROSE": 12, "EUCALYPTUS": 3},
    "BQ_SPRING": {"TULIP": 15, "EUCALYPTUS": 2},
    "BQ_SUMMER": {"SUNFLOWER": 5, "LILY": 3, "EUCALYPTUS": 2},
    "BQ_WHITE": {"LILY": 6, "ROSE": 6},
}
GOODS = {"VASE": 6.0, "CARD": 0.5, "ORCHID": 9.0}
FLORISTS = (
    ("FLORA", ("ROSE", "LILY"), 2, 50, 25),
    ("BLOOMCO", ("TULIP", "SUNFLOWER", "EUCALYPTUS"), 1, 40, 20),
    ("GREENHOUSE", ("ROSE", "TULIP"), 4, 100, 50),
)


def flowers(orders: int | None, seed: int) -> Tables:
    """A day of web orders for a flower shop (``orders`` orders, 200 by default)."""
    rng = random.Random(seed)
    n_orders = 200 if orders is None else orders
    items = [(s, s.title(), "component", c) for s, c in STEMS.items()]
    items += [(b, b.replace("BQ_", "").title() + " bouquet", "product", 0.0) for b in BOUQUETS]
    items += [(g, g.title(), "product", c) for g, c in GOODS.items()]
    locations: list[tuple[Any, ...]] = [("WH_C", "warehouse", "EAST", 16, "Sun", None)]
    locations += [(s, "store", r, 14, "Sun", 60) for s, r in SHOPS.items()]
    inventory = []
    for loc, *_ in locations:
        for item, _, kind, _ in items:
            central = loc == "WH_C"
            if kind == "component" and not central:
                continue
            if item in BOUQUETS and central:
                continue
            inventory.append((item, loc, rng.randint(0, 300 if central else 15)))
    receipts = [
        (
            stem,
            "WH_C",
            rng.choice((50, 100, 150)),
            (NOW + timedelta(days=d)).date(),
            "purchase",
            f"PO-{i}",
        )
        for i, (stem, d) in enumerate((s, rng.randint(-1, 3)) for s in STEMS)
    ]
    receipts += [
        ("ORCHID", s, 5, (NOW + timedelta(days=1)).date(), "transfer", f"TR-{s}") for s in SHOPS
    ]
    suppliers: list[tuple[Any, ...]] = [
        (name, stem, "WH_C", lead, minimum, lot, round(STEMS[stem] * 0.6, 2), prio + 1, 2000)
        for prio, (name, stems, lead, minimum, lot) in enumerate(FLORISTS)
        for stem in stems
    ]
    suppliers += [
        ("GIFTWARE", g, "WH_C", 3, 10, 10, round(c * 0.5, 2), 1, None) for g, c in GOODS.items()
    ]
    operations = [(b, "WH_C", "BENCH", 0.25, 0, 1) for b in BOUQUETS]
    operations += [(b, s, f"BENCH_{s[-1]}", 0.4, 0, 1) for b in BOUQUETS for s in SHOPS]
    bom = [(b, "WH_C", c, q) for b, parts in BOUQUETS.items() for c, q in parts.items()]
    bom += [(b, s, c, q) for b, parts in BOUQUETS.items() for c, q in parts.items() for s in SHOPS]
    resources = [("BENCH", "WH_C", 16.0, "Sun")] + [
        (f"BENCH_{s[-1]}", s, 6.0, "Sun") for s in SHOPS
    ]
    transfer_lanes = [("WH_C", s, "van", 1, 0.4) for s in SHOPS]
    transfer_lanes += [(s, "WH_C", "van", 1, 0.4) for s in SHOPS]
    delivery_lanes: list[tuple[Any, ...]] = [
        (s, r, "courier", 0, 7.5, 40) for s, r in SHOPS.items()
    ]
    delivery_lanes += [(s, r, "van", 1, 3.5, None) for s, r in SHOPS.items()]
    delivery_lanes += [("WH_C", r, "van", 1 if r == "EAST" else 2, 4.5, 300) for r in REGIONS]
    n_customers = max(10, n_orders // 2)
    tiers = (1, 3, 5, 5, 5)
    customers = [
        (f"C{i:05d}", rng.choice(REGIONS), rng.choice(tiers), "web") for i in range(n_customers)
    ]
    sellable = list(BOUQUETS) * 3 + list(GOODS)
    order_rows, line_rows = [], []
    start = NOW - timedelta(hours=20)
    for i in range(n_orders):
        order = f"W{i:06d}"
        created = start + timedelta(minutes=rng.randint(0, 20 * 60 - 1))
        requested = (
            (NOW + timedelta(days=rng.randint(1, 6))).date() if rng.random() < 0.35 else None
        )
        complete = rng.random() < 0.85
        modes = rng.choice(("", "", "", "van", "courier"))
        lateness = 2 if requested is not None and rng.random() < 0.3 else None
        order_rows.append(
            (order, rng.choice(customers)[0], created, requested, complete, None, lateness, modes)
        )
        for line, item in enumerate(rng.sample(sellable, rng.choice((1, 1, 1, 2, 3))), start=1):
            line_rows.append((order, str(line), item, rng.choice((1, 1, 2, 3, 5))))
    return {
        "items": rows_frame(items, "item name kind unit_cost"),
        "locations": rows_frame(
            locations, "location kind region cutoff_hour closed_weekdays orders_per_day"
        ),
        "inventory": rows_frame(inventory, "item location on_hand"),
        "receipts": rows_frame(receipts, "item location quantity arrival_date kind reference"),
        "suppliers": rows_frame(
            suppliers,
            "supplier item location lead_time_days min_quantity lot_multiple unit_price priority capacity_per_day",
        ),
        "operations": rows_frame(
            operations, "item location resource hours_per_unit lead_time_days priority"
        ),
        "bom": rows_frame(bom, "item location component quantity_per"),
        "resources": rows_frame(resources, "resource location hours_per_day closed_weekdays"),
        "transfer_lanes": rows_frame(
            transfer_lanes, "from_location to_location mode lead_time_days cost_per_unit"
        ),
        "delivery_lanes": rows_frame(
            delivery_lanes, "location region mode transit_days cost_per_unit capacity_per_day"
        ),
        "customers": rows_frame(customers, "customer region priority channel"),
        "orders": rows_frame(
            sorted(order_rows, key=lambda r: str(r[0])),
            "order customer created_at requested_date ship_complete priority max_lateness_days modes",
        ),
        "order_lines": rows_frame(line_rows, "order line item quantity"),
        "settings": pl.DataFrame({"now": [NOW.strftime("%Y-%m-%dT%H:%M")], "horizon_days": [60]}),
    }
