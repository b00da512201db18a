"""`promiseplan serve` as a user starts it: a real server process on loopback, orders over HTTP,
the planner loop confirming them, the promise read back."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from promiseplan.dataset.load import load_dataset
from promiseplan.service.cadence import parse_every
from promiseplan.store import import_dataset, open_database, upgrade
from promiseplan.store.keys import create_key
from tests.helpers import serving
from tests.integration.conftest import Hooks, with_contacts


def test_parse_every() -> None:
    assert parse_every("2h").total_seconds() == 7200
    assert parse_every("1h30m").total_seconds() == 5400
    with pytest.raises(ValueError):
        parse_every("soon")


def test_served_orders_are_confirmed_and_the_customer_hears_back(
    tmp_path: Path, hooks: Hooks
) -> None:
    url = f"sqlite:///{tmp_path / 'promiseplan.db'}"
    engine = open_database(url)
    upgrade(engine)
    import_dataset(
        engine, load_dataset(with_contacts(tmp_path, f"http://127.0.0.1:{hooks.server_port}/hook"))
    )
    planner, customer = create_key(engine, "planner"), create_key(engine, "customer", "C1")
    with serving(url, "--every", "2s") as base:
        answer = httpx.post(
            f"{base}/orders",
            json={"order": "WEB-1", "lines": [{"item": "MUG", "quantity": 1}]},
            headers={"X-API-Key": customer, "Idempotency-Key": "a"},
        )
        assert answer.status_code == 201, answer.text
        promise = None
        for _ in range(100):
            promise = httpx.get(f"{base}/orders/WEB-1", headers={"X-API-Key": customer}).json()[
                "promise"
            ]
            if promise:
                break
            time.sleep(0.1)
        assert promise is not None and promise["status"] in ("on_time", "late")
        assert (
            httpx.get(f"{base}/runs", headers={"X-API-Key": planner}).json()[-1]["status"]
            == "succeeded"
        )
        assert httpx.get(f"{base}/openapi.json").json()["info"]["title"] == "promiseplan"
        for _ in range(100):  # the cadence delivers the run's notifications right after it
            if any(h["order"] == "WEB-1" for h in hooks.received):
                break
            time.sleep(0.1)
        web = next(h for h in hooks.received if h["order"] == "WEB-1")
        assert web["event"] == "new" and web["promised_date"] == promise["promised_date"]
