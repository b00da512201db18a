"""The REST API end to end on a real database: keys and roles, idempotent order intake, a run
started over HTTP, the promise and its history read back, cancelling."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from promiseplan.api import create_app
from promiseplan.dataset.load import load_dataset
from promiseplan.store import import_dataset, upgrade
from promiseplan.store.keys import create_key
from tests.conftest import WORKED_EXAMPLE


@pytest.fixture
def api(database: tuple[sa.Engine, str]) -> Iterator[tuple[TestClient, dict[str, str]]]:
    engine, _ = database
    upgrade(engine)
    import_dataset(engine, load_dataset(WORKED_EXAMPLE))
    keys = {
        "planner": create_key(engine, "planner"),
        "C1": create_key(engine, "customer", "C1"),
        "C2": create_key(engine, "customer", "C2"),
    }
    with TestClient(create_app(engine)) as client:
        yield client, keys


def _as(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


def test_health(api: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = api
    assert client.get("/health").json()["status"] == "ok"


def test_an_order_goes_in_gets_planned_and_shows_its_promise(
    api: tuple[TestClient, dict[str, str]],
) -> None:
    client, keys = api
    created = client.post(
        "/orders",
        json={"order": "W1", "lines": [{"item": "MUG", "quantity": 2}]},
        headers=_as(keys["C1"]),
    )
    assert created.status_code == 201, created.text
    before = client.get("/orders/W1", headers=_as(keys["C1"])).json()
    assert before["customer"] == "C1" and before["promise"] is None and before["history"] == []
    assert (
        client.post("/runs?now=2026-06-02T10:00", headers=_as(keys["planner"])).status_code == 202
    )
    order = client.get("/orders/W1", headers=_as(keys["C1"])).json()
    # W1 (customer priority 1, created now) comes after X but before Y: 2 of the 20 MUG
    assert order["promise"]["status"] == "on_time"
    assert order["promise"]["schedule"][0]["reason"].startswith("stock:")
    assert [h["run"] for h in order["history"]] == [1]
    runs = client.get("/runs", headers=_as(keys["planner"])).json()
    assert runs[0]["status"] == "succeeded" and runs[0]["kpis"]["orders"] == 4
    rows = client.get("/runs/1/confirmations?limit=2", headers=_as(keys["planner"])).json()
    assert rows["total"] == 6 and len(rows["rows"]) == 2


def test_the_same_idempotency_key_stores_an_order_once(
    api: tuple[TestClient, dict[str, str]],
) -> None:
    client, keys = api
    body = {"lines": [{"item": "TEA", "quantity": 1}]}
    headers = {**_as(keys["C1"]), "Idempotency-Key": "k-1"}
    with ThreadPoolExecutor(8) as pool:
        answers = list(
            pool.map(lambda _: client.post("/orders", json=body, headers=headers), range(16))
        )
    assert {a.status_code for a in answers} <= {200, 201}
    assert len({a.json()["order"] for a in answers}) == 1
    assert sum(a.json()["created"] for a in answers) == 1
    listing = client.get("/orders", headers=_as(keys["C1"])).json()
    assert listing["total"] == 2  # X and the new one


def test_a_customer_sees_only_its_own_orders(api: tuple[TestClient, dict[str, str]]) -> None:
    client, keys = api
    assert client.get("/orders/X", headers=_as(keys["C1"])).status_code == 200
    assert client.get("/orders/X", headers=_as(keys["C2"])).status_code == 404
    assert client.delete("/orders/X", headers=_as(keys["C2"])).status_code == 404
    assert [
        o["order"] for o in client.get("/orders", headers=_as(keys["C2"])).json()["orders"]
    ] == ["Y"]
    assert (
        client.post(
            "/orders",
            json={"customer": "C1", "lines": [{"item": "MUG", "quantity": 1}]},
            headers=_as(keys["C2"]),
        ).status_code
        == 403
    )
    assert client.post("/runs", headers=_as(keys["C1"])).status_code == 403
    assert client.get("/orders/X").status_code == 401
    assert client.get("/orders/X", headers=_as("nope")).status_code == 401


def test_bad_orders_are_refused_with_what_is_wrong_and_not_stored(
    api: tuple[TestClient, dict[str, str]],
) -> None:
    client, keys = api
    bad = client.post(
        "/orders",
        json={"customer": "C1", "lines": [{"item": "NOPE", "quantity": 1}]},
        headers=_as(keys["planner"]),
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "lines[0]", "item"]
    negative = client.post(
        "/orders",
        json={"customer": "C1", "lines": [{"item": "MUG", "quantity": -1}]},
        headers=_as(keys["planner"]),
    )
    assert negative.status_code == 422
    taken = client.post(
        "/orders",
        json={"order": "X", "customer": "C1", "lines": [{"item": "MUG", "quantity": 1}]},
        headers=_as(keys["planner"]),
    )
    assert taken.status_code == 409
    assert client.get("/orders", headers=_as(keys["planner"])).json()["total"] == 3


def test_cancel(api: tuple[TestClient, dict[str, str]]) -> None:
    client, keys = api
    assert client.delete("/orders/Z", headers=_as(keys["planner"])).status_code == 204
    assert client.get("/orders/Z", headers=_as(keys["planner"])).status_code == 404


def test_master_data_is_readable_by_planners_only(api: tuple[TestClient, dict[str, str]]) -> None:
    client, keys = api
    counts = client.get("/data", headers=_as(keys["planner"])).json()
    assert counts["items"] == 4 and counts["order_lines"] == 4
    items = client.get("/data/items?limit=2&offset=1", headers=_as(keys["planner"])).json()
    assert items["total"] == 4 and [r["item"] for r in items["rows"]] == ["TEA", "CANDLE"]
    assert client.get("/data/nothing", headers=_as(keys["planner"])).status_code == 404
    assert client.get("/data/items", headers=_as(keys["C1"])).status_code == 403
