"""Hypothesis strategies: small random networks and orders, written as dataset folders."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hypothesis import strategies as st

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


LINE_IDS = st.sampled_from(["1", "2", "3", "10", "010", "9", "a", "B"])
"""Line ids in an order: numbers, text, and "10" and "010", which sort as equals."""


def _csv(header: str, rows: list[tuple[Any, ...]]) -> str:
    body = "\n".join(",".join("" if v is None else str(v) for v in row) for row in rows)
    return header + "\n" + body + ("\n" if rows else "")


@st.composite
def datasets(draw: st.DrawFn) -> dict[str, str]:
    """CSV texts of a valid dataset with 1-3 locations, 1-4 items, bills of material, suppliers,
    lanes with capacities and 1-8 orders."""
    n_loc = draw(st.integers(1, 3))
    n_items = draw(st.integers(1, 4))
    regions = ["R0", "R1"][: draw(st.integers(1, 2))]
    locs = [f"L{i}" for i in range(n_loc)]
    items = [f"I{i}" for i in range(n_items)]
    now = datetime(2026, 6, 1, 8, 0) + timedelta(
        days=draw(st.integers(0, 6)), hours=draw(st.integers(0, 15))
    )
    horizon = draw(st.integers(5, 30))
    closed = st.sampled_from(["", "Sun", "Sat Sun", "Wed"])
    locations = [
        (
            loc,
            "warehouse",
            draw(st.sampled_from(regions)),
            draw(st.sampled_from([None, 10, 14, 24])),
            draw(closed),
            draw(st.sampled_from([None, None, 1, 2])),
        )
        for loc in locs
    ]
    inventory = [
        (item, loc, draw(st.integers(0, 12)))
        for item in items
        for loc in locs
        if draw(st.booleans())
    ]
    receipts = [
        (
            item,
            loc,
            draw(st.integers(1, 10)),
            (now + timedelta(days=draw(st.integers(-2, 10)))).date(),
            "purchase",
        )
        for item in items
        for loc in locs
        if draw(st.integers(0, 3)) == 0
    ]
    suppliers = [
        (
            f"S{j}",
            item,
            loc,
            draw(st.integers(0, 6)),
            draw(st.integers(1, 8)),
            draw(st.integers(1, 4)),
            draw(st.sampled_from([0, 1, 2.5])),
            draw(st.integers(1, 2)),
            draw(st.sampled_from([None, None, 5, 12])),
        )
        for item in items
        for loc in locs
        for j in range(2)
        if draw(st.integers(0, 2)) == 0
    ]
    operations, bom, resources = [], [], []
    for loc in locs:
        if draw(st.booleans()):
            resources.append((f"RES_{loc}", loc, draw(st.sampled_from([4, 8, 2.5])), draw(closed)))
            for i, item in enumerate(items[:-1]):
                if draw(st.booleans()):
                    operations.append(
                        (
                            item,
                            loc,
                            f"RES_{loc}",
                            draw(st.sampled_from([0.5, 1, 2, 0.25])),
                            draw(st.integers(0, 2)),
                        )
                    )
                    for comp in items[i + 1 :]:
                        if draw(st.booleans()):
                            bom.append((item, loc, comp, draw(st.sampled_from([1, 2, 0.5]))))
    transfers = [
        (
            a,
            b,
            draw(st.sampled_from(["truck", "air"])),
            draw(st.integers(0, 4)),
            draw(st.sampled_from([0, 1])),
        )
        for a in locs
        for b in locs
        if a != b and draw(st.booleans())
    ]
    transfers = list({(t[0], t[1], t[2]): t for t in transfers}.values())
    delivery = [
        (
            loc,
            region,
            mode,
            draw(st.integers(0, 3)),
            draw(st.sampled_from([0, 1, 3])),
            draw(st.sampled_from([None, None, 4, 10])),
        )
        for loc in locs
        for region in regions
        for mode in ("van", "courier")
        if draw(st.integers(0, 2)) > 0
    ]
    customers = [
        (f"C{i}", draw(st.sampled_from(regions)), draw(st.integers(1, 3))) for i in range(3)
    ]
    orders, lines = [], []
    for o in range(draw(st.integers(1, 8))):
        requested = (
            (now + timedelta(days=draw(st.integers(-1, 12)))).date()
            if draw(st.booleans())
            else None
        )
        orders.append(
            (
                f"O{o}",
                draw(st.sampled_from(customers))[0],
                (now - timedelta(hours=draw(st.integers(0, 48)))).strftime("%Y-%m-%dT%H:%M"),
                requested,
                draw(st.sampled_from(["true", "false"])),
                draw(st.sampled_from([None, None, 1])),
                draw(st.sampled_from([None, None, 0, 3])),
                draw(st.sampled_from(["", "", "van"])),
            )
        )
        chosen = draw(st.lists(st.sampled_from(items), min_size=1, max_size=3, unique=True))
        ids = draw(st.lists(LINE_IDS, min_size=len(chosen), max_size=len(chosen), unique=True))
        for line, item in zip(ids, chosen, strict=True):
            lines.append((f"O{o}", line, item, draw(st.integers(1, 15))))
    return {
        "items.csv": _csv("item,kind", [(i, "product") for i in items]),
        "locations.csv": _csv(
            "location,kind,region,cutoff_hour,closed_weekdays,orders_per_day", locations
        ),
        "inventory.csv": _csv("item,location,on_hand", inventory),
        "receipts.csv": _csv("item,location,quantity,arrival_date,kind", receipts),
        "suppliers.csv": _csv(
            "supplier,item,location,lead_time_days,min_quantity,lot_multiple,unit_price,priority,capacity_per_day",
            suppliers,
        ),
        "operations.csv": _csv("item,location,resource,hours_per_unit,lead_time_days", operations),
        "bom.csv": _csv("item,location,component,quantity_per", bom),
        "resources.csv": _csv("resource,location,hours_per_day,closed_weekdays", resources),
        "transfer_lanes.csv": _csv(
            "from_location,to_location,mode,lead_time_days,cost_per_unit", transfers
        ),
        "delivery_lanes.csv": _csv(
            "location,region,mode,transit_days,cost_per_unit,capacity_per_day", delivery
        ),
        "customers.csv": _csv("customer,region,priority", customers),
        "orders.csv": _csv(
            "order,customer,created_at,requested_date,ship_complete,priority,max_lateness_days,modes",
            orders,
        ),
        "order_lines.csv": _csv("order,line,item,quantity", lines),
        "settings.toml": f'now = "{now.strftime("%Y-%m-%dT%H:%M")}"\nhorizon_days = {horizon}\n',
    }
