"""An electronics maker (factories, assembly lines, 3-level bills of material, suppliers abroad,
regional distribution centres, dealers and web customers), vectorised to any size."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import polars as pl

from promiseplan.generate.tables import Tables

NOW = datetime(2026, 6, 1, 8, 0)  # a Monday morning
REGIONS = ("NORTH", "SOUTH", "EAST", "WEST")
DCS = ("DC_N", "DC_S", "DC_E", "DC_W")
FACTORIES = ("FAB_EU", "FAB_AS")
DAY0 = NOW.date()


def electronics(orders: int | None, seed: int) -> Tables:
    """A maker with ``orders`` orders (1,500 by default; about three lines each)."""
    return maker(3 * (1500 if orders is None else orders), seed)


def scale(orders: int | None, seed: int) -> Tables:
    """The maker at any size: ``orders`` is the number of order lines (100,000 by default)."""
    return maker(100_000 if orders is None else orders, seed)


def _id_list(prefix: str, n: int, width: int = 6) -> pl.Series:
    return pl.select(
        pl.concat_str(pl.lit(prefix), pl.Series(np.arange(n)).cast(pl.String).str.zfill(width))
    ).to_series()


def maker(lines: int, seed: int) -> Tables:
    rng = np.random.default_rng(seed)
    n_products = max(8, lines // 40)
    n_subs = max(4, n_products // 4)
    n_parts = max(6, n_products // 2)
    products = _id_list("PC", n_products)
    subs = _id_list("SUB", n_subs)
    parts = _id_list("PART", n_parts)
    items = pl.DataFrame(
        {
            "item": pl.concat([products, subs, parts]),
            "kind": ["product"] * n_products + ["component"] * (n_subs + n_parts),
            "unit_cost": np.round(
                np.concatenate(
                    [
                        rng.uniform(300, 1500, n_products),
                        rng.uniform(40, 200, n_subs),
                        rng.uniform(1, 60, n_parts),
                    ]
                ),
                2,
            ),
        }
    )
    locations = pl.DataFrame(
        {
            "location": [*FACTORIES, *DCS],
            "kind": ["factory"] * 2 + ["warehouse"] * 4,
            "region": ["EAST", "EAST", *REGIONS],
            "cutoff_hour": [16, 16, 15, 15, 17, 15],
            "closed_weekdays": ["Sat Sun", "Sun", "Sun", "Sun", "Sat Sun", "Sun"],
            "orders_per_day": [None, None, *(max(50, lines // 100) for _ in DCS)],
        },
        schema_overrides={"orders_per_day": pl.Int64},
    )
    lines_per_factory = max(2, n_products // 40)
    factory_of = np.arange(n_products) % 2
    line_of = (np.arange(n_products) // 2) % lines_per_factory
    resources = pl.DataFrame(
        {
            "resource": [
                f"LINE_{f[-2:]}_{k:03d}" for f in FACTORIES for k in range(lines_per_factory)
            ]
            + [f"SUBLINE_{f[-2:]}" for f in FACTORIES],
            "location": [f for f in FACTORIES for _ in range(lines_per_factory)] + list(FACTORIES),
            "hours_per_day": [16.0] * (2 * lines_per_factory) + [float(max(16, n_subs // 20))] * 2,
            "closed_weekdays": ["Sun"] * (2 * lines_per_factory + 2),
        }
    )
    fab = np.array(FACTORIES)
    product_ops = pl.DataFrame(
        {
            "item": products,
            "location": fab[factory_of],
            "resource": [
                f"LINE_{FACTORIES[f][-2:]}_{k:03d}"
                for f, k in zip(factory_of, line_of, strict=True)
            ],
            "hours_per_unit": np.round(rng.uniform(0.02, 0.12, n_products), 3),
            "lead_time_days": rng.integers(0, 2, n_products),
        }
    )
    sub_ops = pl.DataFrame(
        {
            "item": pl.concat([subs, subs]),
            "location": np.repeat(fab, n_subs),
            "resource": np.repeat(np.array([f"SUBLINE_{f[-2:]}" for f in FACTORIES]), n_subs),
            "hours_per_unit": np.round(np.tile(rng.uniform(0.01, 0.05, n_subs), 2), 3),
            "lead_time_days": np.ones(2 * n_subs, dtype=np.int64),
        }
    )
    operations = pl.concat([product_ops, sub_ops])
    sub_of = rng.integers(0, n_subs, n_products)
    part_a = rng.integers(0, n_parts, n_products)
    part_b = (part_a + 1 + rng.integers(0, n_parts - 1, n_products)) % n_parts
    bom_products = pl.DataFrame(
        {
            "item": pl.concat([products, products, products]),
            "location": np.tile(fab[factory_of], 3),
            "component": pl.concat(
                [subs.gather(sub_of), parts.gather(part_a), parts.gather(part_b)]
            ),
            "quantity_per": np.concatenate(
                [
                    np.ones(n_products),
                    rng.integers(1, 5, n_products),
                    rng.integers(1, 3, n_products),
                ]
            ).astype(np.float64),
        }
    )
    sub_part = rng.integers(0, n_parts, n_subs)
    bom_subs = pl.DataFrame(
        {
            "item": pl.concat([subs, subs]),
            "location": np.repeat(fab, n_subs),
            "component": pl.concat([parts.gather(sub_part), parts.gather(sub_part)]),
            "quantity_per": np.full(2 * n_subs, 2.0),
        }
    )
    bom = pl.concat([bom_products, bom_subs])
    abroad = pl.DataFrame(
        {
            "supplier": pl.Series(rng.integers(0, max(3, n_parts // 50), 2 * n_parts))
            .cast(pl.String)
            .str.zfill(4),
            "item": pl.concat([parts, parts]),
            "location": np.repeat(fab, n_parts),
            "lead_time_days": rng.integers(20, 41, 2 * n_parts),
            "min_quantity": np.full(2 * n_parts, 100),
            "lot_multiple": np.full(2 * n_parts, 50),
            "unit_price": np.round(rng.uniform(0.5, 40, 2 * n_parts), 2),
            "priority": np.ones(2 * n_parts, dtype=np.int64),
            "capacity_per_day": np.full(2 * n_parts, 5000),
        }
    ).with_columns(pl.concat_str(pl.lit("ASIA_"), pl.col("supplier")).alias("supplier"))
    local_mask = rng.random(2 * n_parts) < 0.3
    local = abroad.filter(pl.Series(local_mask)).with_columns(
        pl.lit("LOCALPARTS").alias("supplier"),
        pl.lit(6).cast(pl.Int64).alias("lead_time_days"),
        pl.lit(1).cast(pl.Int64).alias("min_quantity"),
        pl.lit(1).cast(pl.Int64).alias("lot_multiple"),
        (pl.col("unit_price") * 1.8).round(2).alias("unit_price"),
        pl.lit(2).cast(pl.Int64).alias("priority"),
        pl.lit(None).cast(pl.Int64).alias("capacity_per_day"),
    )
    suppliers = pl.concat([abroad, local])
    transfer_rows = []
    for f in FACTORIES:
        for d in DCS:
            transfer_rows += [
                (f, d, "sea", 24 if f == "FAB_AS" else 12, 0.6),
                (f, d, "air", 3, 9.0),
                (f, d, "truck", 5, 2.5),
            ]
    for a, b in (("DC_N", "DC_E"), ("DC_E", "DC_S"), ("DC_S", "DC_W"), ("DC_W", "DC_N")):
        transfer_rows += [(a, b, "truck", 2, 1.5), (b, a, "truck", 2, 1.5)]
    transfer_lanes = pl.DataFrame(
        transfer_rows,
        schema=["from_location", "to_location", "mode", "lead_time_days", "cost_per_unit"],
        orient="row",
    )
    delivery_rows: list[tuple[str, str, str, int, float, int | None]] = []
    for d, r in zip(DCS, REGIONS, strict=True):
        delivery_rows += [
            (d, r, "truck", 2, 6.0, None),
            (d, r, "express", 1, 15.0, max(100, lines // 50)),
        ]
    for f in FACTORIES:
        delivery_rows += [(f, r, "truck", 4, 10.0, None) for r in REGIONS]
    delivery_lanes = pl.DataFrame(
        delivery_rows,
        schema=["location", "region", "mode", "transit_days", "cost_per_unit", "capacity_per_day"],
        orient="row",
    )
    inventory, receipts = _stock(rng, products, subs, parts, factory_of)
    customers, orders, order_lines = _demand(rng, lines, products)
    return {
        "items": items,
        "locations": locations,
        "inventory": inventory,
        "receipts": receipts,
        "suppliers": suppliers,
        "operations": operations,
        "bom": bom,
        "resources": resources,
        "transfer_lanes": transfer_lanes,
        "delivery_lanes": delivery_lanes,
        "customers": customers,
        "orders": orders,
        "order_lines": order_lines,
        "settings": pl.DataFrame({"now": [NOW.strftime("%Y-%m-%dT%H:%M")], "horizon_days": [120]}),
    }


def _stock(
    rng: np.random.Generator,
    products: pl.Series,
    subs: pl.Series,
    parts: pl.Series,
    factory_of: np.ndarray,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    n = len(products)
    at_dc = pl.DataFrame(
        {
            "item": pl.concat([products] * len(DCS)),
            "location": np.repeat(np.array(DCS), n),
            "on_hand": rng.integers(0, 45, n * len(DCS)) * (rng.random(n * len(DCS)) < 0.7),
        }
    )
    at_fab = pl.DataFrame(
        {
            "item": products,
            "location": np.array(FACTORIES)[factory_of],
            "on_hand": rng.integers(0, 10, n),
        }
    )
    comps = pl.concat([subs, parts])
    at_fab_comps = pl.DataFrame(
        {
            "item": pl.concat([comps, comps]),
            "location": np.repeat(np.array(FACTORIES), len(comps)),
            "on_hand": rng.integers(0, 600, 2 * len(comps)),
        }
    )
    inventory = pl.concat([at_dc, at_fab, at_fab_comps])
    transit = at_dc.sample(fraction=0.2, seed=int(rng.integers(1 << 31))).select(
        "item", "location", pl.lit(0).alias("quantity")
    )
    transit = transit.with_columns(
        pl.Series("quantity", rng.integers(5, 60, transit.height)),
        _days_from_now(rng.integers(-2, 20, transit.height)),
        pl.lit("transfer").alias("kind"),
    )
    purchases = pl.DataFrame(
        {
            "item": pl.concat([parts, parts]),
            "location": np.repeat(np.array(FACTORIES), len(parts)),
            "quantity": rng.integers(2, 20, 2 * len(parts)) * 50,
        }
    ).sample(fraction=0.4, seed=int(rng.integers(1 << 31)))
    purchases = purchases.with_columns(
        _days_from_now(rng.integers(3, 35, purchases.height)),
        pl.lit("purchase").alias("kind"),
    )
    wip = pl.DataFrame({"item": products, "location": np.array(FACTORIES)[factory_of]}).sample(
        fraction=0.15, seed=int(rng.integers(1 << 31))
    )
    wip = wip.with_columns(
        pl.Series("quantity", rng.integers(5, 50, wip.height)),
        _days_from_now(rng.integers(1, 6, wip.height)),
        pl.lit("production").alias("kind"),
    )
    receipts = pl.concat([transit, purchases, wip], how="diagonal").with_columns(
        pl.col("arrival_date").cast(pl.Date),
        pl.concat_str(pl.lit("R"), pl.int_range(pl.len()).cast(pl.String).str.zfill(7)).alias(
            "reference"
        ),
    )
    return inventory, receipts.select(
        "item", "location", "quantity", "arrival_date", "kind", "reference"
    )


def _demand(
    rng: np.random.Generator, lines: int, products: pl.Series
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    n_dealers = max(5, lines // 400)
    n_web = max(10, lines // 8)
    customers = pl.DataFrame(
        {
            "customer": pl.concat([_id_list("DEALER", n_dealers), _id_list("WEB", n_web, 7)]),
            "region": np.array(REGIONS)[rng.integers(0, 4, n_dealers + n_web)],
            "priority": np.concatenate([rng.integers(1, 3, n_dealers), rng.integers(3, 6, n_web)]),
            "channel": ["b2b"] * n_dealers + ["web"] * n_web,
        }
    )
    # order sizes: dealers 1-10 lines, web 1-2; about 40% of the lines are the dealers'
    b2b_lines = int(lines * 0.4)
    b2b_sizes = rng.integers(1, 11, max(1, b2b_lines // 5 + 1))
    b2b_sizes = b2b_sizes[: np.searchsorted(np.cumsum(b2b_sizes), b2b_lines) + 1]
    web_sizes = rng.integers(1, 3, max(1, (lines - int(b2b_sizes.sum())) // 1 + 1))
    web_sizes = web_sizes[: np.searchsorted(np.cumsum(web_sizes), lines - int(b2b_sizes.sum())) + 1]
    sizes = np.concatenate([b2b_sizes, web_sizes])
    total = int(sizes.sum())
    sizes[-1] -= total - lines
    sizes = sizes[sizes > 0]
    n_orders = len(sizes)
    is_b2b = np.arange(n_orders) < len(b2b_sizes)
    customer = np.where(
        is_b2b, rng.integers(0, n_dealers, n_orders), n_dealers + rng.integers(0, n_web, n_orders)
    )
    minutes = rng.integers(0, 24 * 60 * 3, n_orders)
    created = pl.Series(
        np.datetime64(NOW - timedelta(days=3), "us") + minutes.astype("timedelta64[m]")
    )
    wants_date = rng.random(n_orders) < np.where(is_b2b, 0.6, 0.2)
    offset = np.where(is_b2b, rng.integers(5, 31, n_orders), rng.integers(3, 11, n_orders))
    requested = pl.Series(
        [
            DAY0 + timedelta(days=int(o)) if w else None
            for o, w in zip(offset, wants_date, strict=True)
        ],
        dtype=pl.Date,
    )
    lateness = np.where(is_b2b & wants_date & (rng.random(n_orders) < 0.3), 10, -1)
    order_ids = _id_list("SO", n_orders, 8)
    orders = pl.DataFrame(
        {
            "order": order_ids,
            "customer": customers["customer"].gather(customer),
            "created_at": created,
            "requested_date": requested,
            "ship_complete": ~is_b2b,
            "max_lateness_days": pl.Series(lateness).replace(-1, None),
            "modes": np.where(
                is_b2b, "", np.array(["", "truck", "express"])[rng.integers(0, 3, n_orders)]
            ),
        }
    ).with_columns(pl.lit(None).cast(pl.Int64).alias("priority"))
    order_index = np.repeat(np.arange(n_orders), sizes)
    starts = np.cumsum(sizes) - sizes
    line_no = np.arange(lines) - np.repeat(starts, sizes) + 1
    # popular products sell more, without one product taking most of the demand
    weights = 1.0 / (np.arange(len(products)) + 10.0) ** 0.8
    popular = rng.choice(len(products), size=lines, p=weights / weights.sum())
    order_lines = pl.DataFrame(
        {
            "order": order_ids.gather(order_index),
            "line": pl.Series(line_no).cast(pl.String),
            "item": products.gather(popular),
            "quantity": np.where(
                is_b2b[order_index], rng.integers(1, 21, lines), rng.integers(1, 3, lines)
            ),
        }
    )
    return customers, orders, order_lines


def _days_from_now(offsets: np.ndarray) -> pl.Expr:
    return (pl.lit(DAY0) + pl.duration(days=pl.lit(pl.Series(offsets)))).alias("arrival_date")
