"""Small scenarios worked out by hand from planning.md, one or more per rule.

Every scenario starts from the same network unless it says otherwise: warehouse A in region
EAST with a 12:00 cutoff, a van lane A -> EAST of 2 days (cost 1 a unit), customer K in EAST,
``now`` Tuesday 2026-06-02 10:00, horizon 30 days. Each test names what it changes, the answer,
and why. Every plan also passes the independent validator (``plan_folder``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.helpers import pick, plan_folder, write_dataset

BASE = {
    "items.csv": "item,kind\nP,product\nQ,product\nC,component",
    "locations.csv": "location,kind,region,cutoff_hour,closed_weekdays,orders_per_day\nA,warehouse,EAST,12,,",
    "inventory.csv": "item,location,on_hand",
    "delivery_lanes.csv": "location,region,mode,transit_days,cost_per_unit,capacity_per_day\nA,EAST,van,2,1,",
    "customers.csv": "customer,region,priority\nK,EAST,5",
    "orders.csv": "order,customer,created_at,requested_date,ship_complete,priority,max_lateness_days,modes\nO1,K,2026-06-01T09:00,,,,,",
    "order_lines.csv": "order,line,item,quantity\nO1,1,P,3",
    "settings.toml": 'now = "2026-06-02T10:00"\nhorizon_days = 30',
}

CONFIRMATION = (
    "order",
    "line",
    "quantity",
    "status",
    "promised_date",
    "ship_date",
    "ship_from",
    "mode",
)


def run(tmp_path: Path, *options: str, **files: str) -> dict[str, list[dict[str, Any]]]:
    data = dict(BASE)
    for name, text in files.items():
        data[name.replace("__", ".")] = text
    folder = write_dataset(tmp_path / "data", data)
    return plan_folder(folder, tmp_path / "out", *options)


def confirmations(out: dict[str, list[dict[str, Any]]]) -> list[tuple[Any, ...]]:
    return pick(out["confirmations"], *CONFIRMATION)


def codes(out: dict[str, list[dict[str, Any]]]) -> list[str]:
    return [r["reason"].split(":")[0] for r in out["confirmations"]]


# --- time: cutoff, closed days, horizon ---------------------------------------------------


def test_stock_ships_today_before_the_cutoff(tmp_path: Path) -> None:
    # 10:00 is before A's 12:00 cutoff: ship today, arrive 2 days later.
    out = run(tmp_path, inventory__csv="item,location,on_hand\nP,A,5")
    assert confirmations(out) == [
        ("O1", "1", "3", "on_time", "2026-06-04", "2026-06-02", "A", "van")
    ]
    assert codes(out) == ["stock"]


def test_at_the_cutoff_hour_it_ships_tomorrow(tmp_path: Path) -> None:
    # now 12:00 is "at or past" the cutoff of 12.
    out = run(tmp_path, "--now", "2026-06-02T12:00", inventory__csv="item,location,on_hand\nP,A,5")
    assert confirmations(out)[0][4:6] == ("2026-06-05", "2026-06-03")


def test_closed_weekday_is_skipped(tmp_path: Path) -> None:
    # Past the cutoff on Tuesday, closed on Wednesday: ships Thursday 06-04.
    out = run(
        tmp_path,
        "--now",
        "2026-06-02T13:00",
        locations__csv="location,kind,region,cutoff_hour,closed_weekdays\nA,warehouse,EAST,12,Wed",
        inventory__csv="item,location,on_hand\nP,A,5",
    )
    assert confirmations(out)[0][4:6] == ("2026-06-06", "2026-06-04")


def test_nothing_arrives_after_the_horizon(tmp_path: Path) -> None:
    # Horizon 3 days; the only lane takes 4: stock exists but cannot arrive in time.
    out = run(
        tmp_path,
        "--horizon-days",
        "3",
        inventory__csv="item,location,on_hand\nP,A,5",
        delivery_lanes__csv="location,region,mode,transit_days\nA,EAST,van,4",
    )
    assert confirmations(out) == [("O1", "1", "3", "unconfirmed", None, None, None, None)]
    assert codes(out) == ["beyond_horizon"]


# --- just in time for a requested date -----------------------------------------------------


def test_requested_date_ships_just_in_time(tmp_path: Path) -> None:
    out = run(
        tmp_path,
        inventory__csv="item,location,on_hand\nP,A,5",
        orders__csv="order,customer,created_at,requested_date\nO1,K,2026-06-01T09:00,2026-06-10",
    )
    assert confirmations(out) == [
        ("O1", "1", "3", "on_time", "2026-06-10", "2026-06-08", "A", "van")
    ]


def test_requested_date_is_promised_even_when_goods_arrive_a_day_early(tmp_path: Path) -> None:
    # Closed on Monday 06-08, the exact ship day: ship Sunday 06-07, arrive 06-09, promise 06-10.
    out = run(
        tmp_path,
        locations__csv="location,kind,region,cutoff_hour,closed_weekdays\nA,warehouse,EAST,12,Mon",
        inventory__csv="item,location,on_hand\nP,A,5",
        orders__csv="order,customer,created_at,requested_date\nO1,K,2026-06-01T09:00,2026-06-10",
    )
    assert confirmations(out) == [
        ("O1", "1", "3", "on_time", "2026-06-10", "2026-06-07", "A", "van")
    ]
    assert pick(out["distribution_plan"], "ship_date", "arrival_date") == [
        ("2026-06-07", "2026-06-09")
    ]


def test_requested_date_in_the_past_is_late(tmp_path: Path) -> None:
    out = run(
        tmp_path,
        inventory__csv="item,location,on_hand\nP,A,5",
        orders__csv="order,customer,created_at,requested_date\nO1,K,2026-06-01T09:00,2026-06-03",
    )
    assert confirmations(out) == [("O1", "1", "3", "late", "2026-06-04", "2026-06-02", "A", "van")]
    assert pick(out["orders"], "status", "promised_date") == [("late", "2026-06-04")]


# --- receipts ------------------------------------------------------------------------------

RECEIPTS = "item,location,quantity,arrival_date,kind,reference"


def test_receipt_supplies_on_its_arrival_date(tmp_path: Path) -> None:
    out = run(tmp_path, receipts__csv=f"{RECEIPTS}\nP,A,10,2026-06-05,purchase,PO1")
    assert confirmations(out)[0][4:6] == ("2026-06-07", "2026-06-05")


def test_overdue_receipt_counts_as_arriving_today(tmp_path: Path) -> None:
    out = run(tmp_path, receipts__csv=f"{RECEIPTS}\nP,A,10,2026-05-30,transfer,T1")
    assert confirmations(out)[0][4:6] == ("2026-06-04", "2026-06-02")


# --- purchases -----------------------------------------------------------------------------

SUPPLIERS = "supplier,item,location,lead_time_days,min_quantity,lot_multiple,unit_price,priority,capacity_per_day"


def test_purchase_respects_minimum_and_multiple(tmp_path: Path) -> None:
    # 3 needed, minimum 10, lots of 4: buy 12 on 06-02, at A 06-06, delivered 06-08.
    out = run(tmp_path, suppliers__csv=f"{SUPPLIERS}\nS,P,A,4,10,4,2,1,")
    assert confirmations(out)[0][4:6] == ("2026-06-08", "2026-06-06")
    assert pick(
        out["procurement_plan"], "supplier", "quantity", "order_date", "arrival_date", "cost"
    ) == [("S", "12", "2026-06-02", "2026-06-06", "24.0")]
    assert codes(out) == ["lead_time"]


def test_purchases_of_one_day_are_bundled_and_surplus_serves_later_lines(tmp_path: Path) -> None:
    # O1 buys 5 (the minimum) for 3; O2 needs 4: 2 left over plus 2 more, added to the same
    # row in a lot of 5. One row of 10.
    out = run(
        tmp_path,
        suppliers__csv=f"{SUPPLIERS}\nS,P,A,4,5,5,1,1,",
        orders__csv="order,customer,created_at,priority\nO1,K,2026-06-01T09:00,1\nO2,K,2026-06-01T10:00,2",
        order_lines__csv="order,line,item,quantity\nO1,1,P,3\nO2,1,P,4",
    )
    assert pick(out["procurement_plan"], "quantity", "order_date") == [("10", "2026-06-02")]
    assert [r[4] for r in confirmations(out)] == ["2026-06-08", "2026-06-08"]


def test_supplier_capacity_spreads_a_purchase_over_days(tmp_path: Path) -> None:
    # 25 as soon as possible, 10 a day: at the earliest the last lot is at A 06-06, so the order
    # is promised 06-08. Planned again for that date (ship complete), the lots are ordered as
    # late as possible: 10 on 06-04, 10 on 06-03, the last 5 on 06-02.
    out = run(
        tmp_path,
        suppliers__csv=f"{SUPPLIERS}\nS,P,A,2,1,1,1,1,10",
        order_lines__csv="order,line,item,quantity\nO1,1,P,25",
    )
    assert pick(out["procurement_plan"], "quantity", "order_date", "arrival_date") == [
        ("5", "2026-06-02", "2026-06-04"),
        ("10", "2026-06-03", "2026-06-05"),
        ("10", "2026-06-04", "2026-06-06"),
    ]
    assert confirmations(out)[0][4:6] == ("2026-06-08", "2026-06-06")
    assert codes(out) == ["capacity"]


def test_split_line_takes_each_days_supplier_capacity_as_it_comes(tmp_path: Path) -> None:
    # Partial deliveries allowed: 10 arrive 06-06 (bought 06-02), 10 on 06-07, the last 5 on 06-08.
    out = run(
        tmp_path,
        suppliers__csv=f"{SUPPLIERS}\nS,P,A,2,1,1,1,1,10",
        orders__csv="order,customer,created_at,ship_complete\nO1,K,2026-06-01T09:00,false",
        order_lines__csv="order,line,item,quantity\nO1,1,P,25",
    )
    assert pick(out["confirmations"], "quantity", "status", "promised_date", "ship_date") == [
        ("10", "on_time", "2026-06-06", "2026-06-04"),
        ("10", "on_time", "2026-06-07", "2026-06-05"),
        ("5", "on_time", "2026-06-08", "2026-06-06"),
    ]
    assert pick(out["procurement_plan"], "quantity", "order_date") == [
        ("10", "2026-06-02"),
        ("10", "2026-06-03"),
        ("5", "2026-06-04"),
    ]


def test_supplier_capacity_just_in_time_for_a_requested_date(tmp_path: Path) -> None:
    # Requested 06-12: ship 06-10; orders as late as possible: 10 on 06-08, 10 on 06-07, 5 on 06-06.
    out = run(
        tmp_path,
        suppliers__csv=f"{SUPPLIERS}\nS,P,A,2,1,1,1,1,10",
        orders__csv="order,customer,created_at,requested_date\nO1,K,2026-06-01T09:00,2026-06-12",
        order_lines__csv="order,line,item,quantity\nO1,1,P,25",
    )
    assert pick(out["procurement_plan"], "quantity", "order_date") == [
        ("5", "2026-06-06"),
        ("10", "2026-06-07"),
        ("10", "2026-06-08"),
    ]
    assert confirmations(out)[0][3:6] == ("on_time", "2026-06-12", "2026-06-10")


def test_preferred_supplier_wins_a_tie(tmp_path: Path) -> None:
    out = run(tmp_path, suppliers__csv=f"{SUPPLIERS}\nSA,P,A,3,1,1,2,2,\nSB,P,A,3,1,1,2,1,")
    assert pick(out["procurement_plan"], "supplier") == [("SB",)]


def test_cheaper_supplier_wins_a_tie_on_date(tmp_path: Path) -> None:
    out = run(tmp_path, suppliers__csv=f"{SUPPLIERS}\nSA,P,A,3,1,1,3,1,\nSB,P,A,3,1,1,2,1,")
    assert pick(out["procurement_plan"], "supplier") == [("SB",)]


def test_earliest_supplier_wins_over_a_cheaper_one(tmp_path: Path) -> None:
    out = run(tmp_path, suppliers__csv=f"{SUPPLIERS}\nSA,P,A,2,1,1,5,1,\nSB,P,A,4,1,1,1,1,")
    assert pick(out["procurement_plan"], "supplier", "arrival_date") == [("SA", "2026-06-04")]


# --- transfers -----------------------------------------------------------------------------

TWO_LOCATIONS = (
    "location,kind,region,cutoff_hour,closed_weekdays\nA,warehouse,EAST,12,\nB,warehouse,WEST,,"
)
TRANSFER = "from_location,to_location,mode,lead_time_days,cost_per_unit\nB,A,truck,1,0.5"


def test_transfer_from_another_location(tmp_path: Path) -> None:
    # B ships today, A has the units 06-03, ships them the same day, delivered 06-05.
    out = run(
        tmp_path,
        locations__csv=TWO_LOCATIONS,
        transfer_lanes__csv=TRANSFER,
        inventory__csv="item,location,on_hand\nP,B,10",
    )
    assert confirmations(out) == [
        ("O1", "1", "3", "on_time", "2026-06-05", "2026-06-03", "A", "van")
    ]
    assert pick(
        out["distribution_plan"],
        "kind",
        "from_location",
        "to",
        "quantity",
        "ship_date",
        "arrival_date",
    ) == [
        ("transfer", "B", "A", "3", "2026-06-02", "2026-06-03"),
        ("delivery", "A", "EAST", "3", "2026-06-03", "2026-06-05"),
    ]
    assert codes(out) == ["lead_time"]


def test_transfer_wins_a_tie_with_a_purchase(tmp_path: Path) -> None:
    out = run(
        tmp_path,
        locations__csv=TWO_LOCATIONS,
        transfer_lanes__csv=TRANSFER,
        inventory__csv="item,location,on_hand\nP,B,10",
        suppliers__csv=f"{SUPPLIERS}\nS,P,A,1,1,1,0,1,",
    )
    assert out["procurement_plan"] == []
    assert [r["kind"] for r in out["distribution_plan"]] == ["transfer", "delivery"]


# --- production ----------------------------------------------------------------------------

OPERATION = "item,location,resource,hours_per_unit,lead_time_days\nP,A,R,2,0"
BOM = "item,location,component,quantity_per\nP,A,C,1"
RESOURCE = "resource,location,hours_per_day,closed_weekdays\nR,A,8,"


def test_production_spreads_hours_over_days(tmp_path: Path) -> None:
    # 6 P = 12 hours: 8 on 06-02, 4 on 06-03; ready 06-03, delivered 06-05; 6 C used 06-02.
    out = run(
        tmp_path,
        operations__csv=OPERATION,
        bom__csv=BOM,
        resources__csv=RESOURCE,
        inventory__csv="item,location,on_hand\nC,A,10",
        order_lines__csv="order,line,item,quantity\nO1,1,P,6",
    )
    assert pick(
        out["production_plan"], "item", "resource", "quantity", "start_date", "end_date", "hours"
    ) == [("P", "R", "6", "2026-06-02", "2026-06-03", "12.0")]
    assert confirmations(out)[0][4:6] == ("2026-06-05", "2026-06-03")
    assert codes(out) == ["capacity"]


def test_production_waits_for_its_components(tmp_path: Path) -> None:
    # C is bought (3 days): at A 06-05; 2 P made on 06-05 (4 h), lead time 1: ready 06-06.
    out = run(
        tmp_path,
        operations__csv="item,location,resource,hours_per_unit,lead_time_days\nP,A,R,2,1",
        bom__csv=BOM,
        resources__csv=RESOURCE,
        suppliers__csv=f"{SUPPLIERS}\nS,C,A,3,1,1,1,1,",
        order_lines__csv="order,line,item,quantity\nO1,1,P,2",
    )
    assert pick(out["procurement_plan"], "item", "quantity", "arrival_date") == [
        ("C", "2", "2026-06-05")
    ]
    assert pick(out["production_plan"], "start_date", "end_date", "hours") == [
        ("2026-06-05", "2026-06-06", "4.0")
    ]
    assert confirmations(out)[0][4:6] == ("2026-06-08", "2026-06-06")
    assert codes(out) == ["material"]


def test_production_just_in_time_takes_the_latest_days(tmp_path: Path) -> None:
    # Requested 06-12: ship 06-10; 12 hours from the latest days: 8 on 06-10, 4 on 06-09.
    out = run(
        tmp_path,
        operations__csv=OPERATION,
        bom__csv=BOM,
        resources__csv=RESOURCE,
        inventory__csv="item,location,on_hand\nC,A,10",
        orders__csv="order,customer,created_at,requested_date\nO1,K,2026-06-01T09:00,2026-06-12",
        order_lines__csv="order,line,item,quantity\nO1,1,P,6",
    )
    assert pick(out["production_plan"], "start_date", "end_date") == [("2026-06-09", "2026-06-10")]
    assert confirmations(out)[0][3:6] == ("on_time", "2026-06-12", "2026-06-10")


# --- lanes and locations -------------------------------------------------------------------

TWO_ORDERS = "order,customer,created_at,priority\nO1,K,2026-06-01T09:00,1\nO2,K,2026-06-01T10:00,2"


def test_lane_capacity_moves_the_second_order_to_the_next_day(tmp_path: Path) -> None:
    out = run(
        tmp_path,
        delivery_lanes__csv="location,region,mode,transit_days,cost_per_unit,capacity_per_day\nA,EAST,van,2,1,5",
        inventory__csv="item,location,on_hand\nP,A,10",
        orders__csv=TWO_ORDERS,
        order_lines__csv="order,line,item,quantity\nO1,1,P,4\nO2,1,P,4",
    )
    assert [r[5] for r in confirmations(out)] == ["2026-06-02", "2026-06-03"]
    assert codes(out) == ["stock", "capacity"]


def test_orders_per_day_counts_an_order_once(tmp_path: Path) -> None:
    # A ships one order a day: O1's two lines go together today, O2 tomorrow.
    out = run(
        tmp_path,
        locations__csv="location,kind,region,cutoff_hour,closed_weekdays,orders_per_day\nA,warehouse,EAST,12,,1",
        inventory__csv="item,location,on_hand\nP,A,10\nQ,A,10",
        orders__csv=TWO_ORDERS,
        order_lines__csv="order,line,item,quantity\nO1,1,P,1\nO1,2,Q,1\nO2,1,P,1",
    )
    assert [r[5] for r in confirmations(out)] == ["2026-06-02", "2026-06-02", "2026-06-03"]


def test_no_lane_to_the_region_is_no_source(tmp_path: Path) -> None:
    out = run(
        tmp_path,
        customers__csv="customer,region\nK,WEST",
        inventory__csv="item,location,on_hand\nP,A,5",
    )
    assert confirmations(out)[0][3] == "unconfirmed"
    assert codes(out) == ["no_source"]


def test_allowed_modes_restrict_the_lanes(tmp_path: Path) -> None:
    out = run(
        tmp_path,
        inventory__csv="item,location,on_hand\nP,A,5",
        orders__csv="order,customer,created_at,modes\nO1,K,2026-06-01T09:00,courier",
    )
    assert codes(out) == ["no_source"]


LANES = "location,region,mode,transit_days,cost_per_unit\nA,EAST,van,2,1\nA,EAST,courier,0,5"


def test_as_soon_as_possible_takes_the_earliest_way(tmp_path: Path) -> None:
    out = run(tmp_path, delivery_lanes__csv=LANES, inventory__csv="item,location,on_hand\nP,A,5")
    assert confirmations(out)[0][4:] == ("2026-06-02", "2026-06-02", "A", "courier")


def test_a_requested_date_takes_the_cheapest_way_that_meets_it(tmp_path: Path) -> None:
    out = run(
        tmp_path,
        delivery_lanes__csv=LANES,
        inventory__csv="item,location,on_hand\nP,A,5",
        orders__csv="order,customer,created_at,requested_date\nO1,K,2026-06-01T09:00,2026-06-06",
    )
    assert confirmations(out)[0][4:] == ("2026-06-06", "2026-06-04", "A", "van")


# --- the priority model --------------------------------------------------------------------


def test_higher_priority_order_gets_the_scarce_stock(tmp_path: Path) -> None:
    out = run(
        tmp_path,
        inventory__csv="item,location,on_hand\nP,A,3",
        orders__csv="order,customer,created_at,priority\nLOW,K,2026-06-01T08:00,\nHIGH,K,2026-06-01T11:00,1",
        order_lines__csv="order,line,item,quantity\nLOW,1,P,3\nHIGH,1,P,3",
    )
    assert pick(out["confirmations"], "order", "status") == [
        ("HIGH", "on_time"),
        ("LOW", "unconfirmed"),
    ]


def test_earlier_need_date_goes_first_within_a_priority(tmp_path: Path) -> None:
    out = run(
        tmp_path,
        inventory__csv="item,location,on_hand\nP,A,3",
        orders__csv="order,customer,created_at,requested_date\nLATER,K,2026-06-01T08:00,2026-06-20\nSOONER,K,2026-06-01T11:00,2026-06-10",
        order_lines__csv="order,line,item,quantity\nLATER,1,P,3\nSOONER,1,P,3",
    )
    assert pick(out["confirmations"], "order", "status") == [
        ("LATER", "unconfirmed"),
        ("SOONER", "on_time"),
    ]


def test_orders_holding_a_promise_go_first_and_changes_are_listed(tmp_path: Path) -> None:
    # NEW needs the stock first by date, but HELD holds a promise: HELD keeps it (no change row).
    # LOST held a promise too, but its stock is gone: listed with the reason.
    out = run(
        tmp_path,
        inventory__csv="item,location,on_hand\nP,A,3",
        orders__csv=(
            "order,customer,created_at,requested_date\nNEW,K,2026-06-01T08:00,2026-06-04\n"
            "HELD,K,2026-06-01T11:00,2026-06-08\nLOST,K,2026-06-01T12:00,2026-06-08"
        ),
        order_lines__csv="order,line,item,quantity\nNEW,1,P,3\nHELD,1,P,3\nLOST,1,P,2",
        promises__csv="order,line,quantity,promised_date\nHELD,1,3,2026-06-08\nLOST,1,2,2026-06-06",
    )
    assert pick(out["confirmations"], "order", "status") == [
        ("HELD", "on_time"),
        ("LOST", "unconfirmed"),
        ("NEW", "unconfirmed"),
    ]
    assert pick(
        out["promise_changes"],
        "order",
        "line",
        "old_quantity",
        "old_date",
        "new_quantity",
        "new_date",
    ) == [("LOST", "1", "2", "2026-06-06", "0", None)]
    assert out["promise_changes"][0]["reason"].startswith("no_source")


# --- whole orders --------------------------------------------------------------------------


def test_ship_complete_order_with_an_unsuppliable_line_is_unconfirmed_and_releases_stock(
    tmp_path: Path,
) -> None:
    out = run(
        tmp_path,
        inventory__csv="item,location,on_hand\nP,A,3",
        orders__csv=TWO_ORDERS,
        order_lines__csv="order,line,item,quantity\nO1,1,P,3\nO1,2,Q,1\nO2,1,P,3",
    )
    assert pick(out["confirmations"], "order", "line", "status") == [
        ("O1", "1", "unconfirmed"),
        ("O1", "2", "unconfirmed"),
        ("O2", "1", "on_time"),
    ]
    assert "line 2 (Q)" in out["confirmations"][0]["reason"]
    assert pick(out["orders"], "order", "status") == [("O1", "unconfirmed"), ("O2", "on_time")]


def test_ship_complete_second_pass_moves_a_line_to_a_cheaper_way(tmp_path: Path) -> None:
    # P is at A (van 2 days, cost 1) and B (truck 4 days, cost 0.5); Q must be bought at A
    # (5 days): the order arrives 06-09. Planned again for 06-09, P takes the cheaper B lane,
    # shipped just in time on 06-05.
    out = run(
        tmp_path,
        locations__csv="location,kind,region,cutoff_hour\nA,warehouse,EAST,12\nB,warehouse,EAST,",
        delivery_lanes__csv="location,region,mode,transit_days,cost_per_unit\nA,EAST,van,2,1\nB,EAST,truck,4,0.5",
        inventory__csv="item,location,on_hand\nP,A,5\nP,B,5",
        suppliers__csv=f"{SUPPLIERS}\nS,Q,A,5,1,1,1,1,",
        order_lines__csv="order,line,item,quantity\nO1,1,P,2\nO1,2,Q,1",
    )
    assert confirmations(out) == [
        ("O1", "1", "2", "on_time", "2026-06-09", "2026-06-05", "B", "truck"),
        ("O1", "2", "1", "on_time", "2026-06-09", "2026-06-07", "A", "van"),
    ]


def test_partial_order_takes_the_cheapest_ways_first(tmp_path: Path) -> None:
    # Requested 06-05: B (cost 1) gives its 5, A (cost 2) the last one; both ship 06-04
    # (rows are listed by date, then ship-from).
    out = run(
        tmp_path,
        locations__csv="location,kind,region,cutoff_hour\nA,warehouse,EAST,12\nB,warehouse,EAST,",
        delivery_lanes__csv="location,region,mode,transit_days,cost_per_unit\nA,EAST,van,1,2\nB,EAST,van,1,1",
        inventory__csv="item,location,on_hand\nP,A,2\nP,B,5",
        orders__csv="order,customer,created_at,requested_date,ship_complete\nO1,K,2026-06-01T09:00,2026-06-05,false",
        order_lines__csv="order,line,item,quantity\nO1,1,P,6",
    )
    assert confirmations(out) == [
        ("O1", "1", "1", "on_time", "2026-06-05", "2026-06-04", "A", "van"),
        ("O1", "1", "5", "on_time", "2026-06-05", "2026-06-04", "B", "van"),
    ]


def test_max_lateness_refuses_a_late_promise_and_releases_the_purchase(tmp_path: Path) -> None:
    # Requested 06-03, at most 2 days late (06-05); the purchase arrives too late (06-09).
    out = run(
        tmp_path,
        suppliers__csv=f"{SUPPLIERS}\nS,P,A,5,1,1,1,1,",
        orders__csv="order,customer,created_at,requested_date,max_lateness_days\nO1,K,2026-06-01T09:00,2026-06-03,2",
    )
    assert confirmations(out)[0][3] == "unconfirmed"
    assert codes(out) == ["too_late"]
    assert out["procurement_plan"] == []


def test_partial_order_confirms_what_is_in_time_and_refuses_the_rest_as_too_late(
    tmp_path: Path,
) -> None:
    # 2 of 5 in stock arrive on the requested 06-04; the other 3 (bought, 06-09) are more than
    # 3 days late.
    out = run(
        tmp_path,
        inventory__csv="item,location,on_hand\nP,A,2",
        suppliers__csv=f"{SUPPLIERS}\nS,P,A,5,1,1,1,1,",
        orders__csv="order,customer,created_at,requested_date,ship_complete,max_lateness_days\nO1,K,2026-06-01T09:00,2026-06-04,false,3",
        order_lines__csv="order,line,item,quantity\nO1,1,P,5",
    )
    assert pick(out["confirmations"], "quantity", "status", "promised_date") == [
        ("2", "on_time", "2026-06-04"),
        ("3", "unconfirmed", None),
    ]
    assert codes(out) == ["stock", "too_late"]
    assert pick(out["orders"], "status", "promised_date") == [("partial", "2026-06-04")]


def test_supply_that_cannot_arrive_within_the_horizon_is_beyond_horizon(tmp_path: Path) -> None:
    out = run(tmp_path, "--horizon-days", "5", suppliers__csv=f"{SUPPLIERS}\nS,P,A,10,1,1,1,1,")
    assert codes(out) == ["beyond_horizon"]


def test_nothing_left_and_nothing_to_make_buy_or_move_is_no_source(tmp_path: Path) -> None:
    out = run(tmp_path, inventory__csv="item,location,on_hand\nP,A,2")
    assert codes(out) == ["no_source"]


def test_priority_model_is_configurable_in_settings(tmp_path: Path) -> None:
    # By default HIGH (priority 1) goes first; ordering by created_at alone lets the older LOW
    # order take the stock.
    files = {
        "inventory__csv": "item,location,on_hand\nP,A,3",
        "orders__csv": "order,customer,created_at,priority\nLOW,K,2026-06-01T08:00,\nHIGH,K,2026-06-01T11:00,1",
        "order_lines__csv": "order,line,item,quantity\nLOW,1,P,3\nHIGH,1,P,3",
        "settings__toml": 'now = "2026-06-02T10:00"\npriority_keys = ["created_at", "order"]',
    }
    out = run(tmp_path, **files)
    assert pick(out["confirmations"], "order", "status") == [
        ("HIGH", "unconfirmed"),
        ("LOW", "on_time"),
    ]
