"""Time of every page of the storefront and the cockpit on a stored database.

    .venv/bin/python benchmarks/pages.py --database sqlite:///PATH/promiseplan.db

The database should hold a large dataset and a succeeded run (for example `promiseplan generate
scale DATA --orders 212000` (about 100,000 orders), `db import DATA`, `db run`). Pages are asked
in-process (FastAPI's TestClient: the server's own time, no network); each is asked three times
and the median printed. The storefront comes last: on a large database its first visit starts
re-planning for the availability hints in the background.
"""

from __future__ import annotations

import argparse
import statistics
import time

import sqlalchemy as sa
from fastapi.testclient import TestClient

from promiseplan.api import create_app
from promiseplan.store import open_database
from promiseplan.store.keys import create_key
from promiseplan.store.tables import INPUT, RUNS


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    args = parser.parse_args()
    engine = open_database(args.database)
    with engine.connect() as connection:
        orders = connection.execute(
            sa.select(sa.func.count()).select_from(INPUT["orders"])
        ).scalar()
        runs = connection.execute(sa.select(sa.func.count()).select_from(RUNS)).scalar()
        some = connection.execute(sa.select(INPUT["orders"].c.order).limit(1).offset(5000)).scalar()
        item = connection.execute(sa.select(INPUT["order_lines"].c.item).limit(1)).scalar()
    print(f"database: {engine.dialect.name}, {orders:,} orders, {runs} run(s)")
    key = create_key(engine, "planner")
    pages = [
        "/cockpit",
        "/cockpit/orders",
        "/cockpit/orders?status=late",
        f"/cockpit/orders?item={item}",
        "/cockpit/orders?sort=promised_date&descending=true&page=1000",
        f"/cockpit/orders/{some}",
        "/cockpit/plans/confirmations?page=2000",
        "/cockpit/plans/distribution_plan",
        "/cockpit/plans/procurement_plan/export.xlsx",
        "/cockpit/charts",
        "/cockpit/data",
        f"/shop/orders/{some}",
        "/shop",
        "/shop?page=20",
    ]
    with TestClient(create_app(engine)) as client:
        client.cookies.set("pp_key", key)
        for page in pages:
            times = []
            for _ in range(3):
                started = time.perf_counter()
                answer = client.get(page)
                times.append(time.perf_counter() - started)
                assert answer.status_code == 200, (page, answer.status_code)
            print(f"{statistics.median(times) * 1000:8.0f} ms  {page}")


if __name__ == "__main__":
    main()
