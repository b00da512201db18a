"""Editing master data over the API, uploading a whole dataset, admin keys and settings, and
the progress of a run, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from promiseplan.api import create_app
from promiseplan.dataset.load import load_dataset
from promiseplan.store import import_dataset, upgrade
from promiseplan.store.keys import create_key
from promiseplan.store.runs import ProgressRecorder
from promiseplan.store.tables import RUNS
from tests.conftest import WORKED_EXAMPLE

Api = tuple[TestClient, dict[str, dict[str, str]]]


@pytest.fixture
def api(database: tuple[sa.Engine, str]) -> Iterator[Api]:
    engine, _ = database
    upgrade(engine)
    import_dataset(engine, load_dataset(WORKED_EXAMPLE))
    keys = {
        role: {"X-API-Key": create_key(engine, role, "C1" if role == "customer" else None)}
        for role in ("customer", "planner", "admin")
    }
    with TestClient(create_app(engine)) as client:
        yield client, keys


def _items(client: TestClient, keys: dict[str, dict[str, str]]) -> dict[str, float]:
    rows = client.get("/data/items", headers=keys["planner"]).json()["rows"]
    return {r["item"]: r["unit_cost"] for r in rows}


def test_a_planner_inserts_replaces_and_deletes_rows(api: Api) -> None:
    client, keys = api
    answer = client.post(
        "/data/items",
        json={
            "upsert": [
                {"item": "MUG", "name": "Mug", "kind": "product", "unit_cost": 3.5},
                {"item": "BOWL", "name": "Bowl", "unit_cost": "6"},
            ]
        },
        headers=keys["planner"],
    )
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"inserted": 1, "replaced": 1, "deleted": 0}
    assert _items(client, keys) == {"MUG": 3.5, "TEA": 2, "CANDLE": 4, "WAX": 0.5, "BOWL": 6}
    gone = client.post("/data/items", json={"delete": [{"item": "BOWL"}]}, headers=keys["planner"])
    assert gone.json() == {"inserted": 0, "replaced": 0, "deleted": 1}
    assert "BOWL" not in _items(client, keys)
    # the next run plans with the edited master data
    edit = {"upsert": [{"item": "MUG", "location": "A", "on_hand": 0}]}
    assert client.post("/data/inventory", json=edit, headers=keys["planner"]).status_code == 200
    client.post("/runs?now=2026-06-02T10:00", headers=keys["planner"])
    order = client.get("/orders/X", headers=keys["planner"]).json()
    mug = [s for s in order["promise"]["schedule"] if s["line"] == "1"]
    assert mug and not any(s["reason"].startswith("stock:") for s in mug)  # bought from CUPCO


def test_a_bad_edit_names_each_problem_and_changes_nothing(api: Api) -> None:
    client, keys = api
    before = client.get("/data/items", headers=keys["planner"]).json()
    bad = client.post(
        "/data/items",
        json={
            "upsert": [
                {"item": "MUG", "unit_cost": "three"},
                {"item": "PLATE", "kind": "gadget", "colour": "red"},
            ]
        },
        headers=keys["planner"],
    )
    assert bad.status_code == 422
    found = {(p["row"], p["column"]) for p in bad.json()["detail"]}
    assert found == {(1, "unit_cost"), (2, "kind"), (2, "colour")}
    assert client.get("/data/items", headers=keys["planner"]).json() == before


def test_an_edit_that_breaks_a_reference_is_refused(api: Api) -> None:
    client, keys = api
    # MUG is stocked at A, ordered, and made from WAX: it cannot go while those rows stay
    refused = client.post(
        "/data/items", json={"delete": [{"item": "MUG"}]}, headers=keys["planner"]
    )
    assert refused.status_code == 422
    files = {p["file"] for p in refused.json()["detail"]}
    assert {"inventory.csv", "order_lines.csv"} <= files
    dangling = client.post(
        "/data/inventory",
        json={"upsert": [{"item": "TEA", "location": "NOWHERE", "on_hand": 5}]},
        headers=keys["planner"],
    )
    assert dangling.status_code == 422
    assert dangling.json()["detail"][0]["message"].startswith("unknown location 'NOWHERE'")
    unknown = client.post(
        "/data/items", json={"delete": [{"item": "GHOST"}]}, headers=keys["planner"]
    )
    assert unknown.status_code == 422 and "no such row" in unknown.json()["detail"][0]["message"]
    twice = client.post(
        "/data/items",
        json={"upsert": [{"item": "CUP"}, {"item": "CUP"}]},
        headers=keys["planner"],
    )
    assert twice.status_code == 422 and "duplicate key" in twice.json()["detail"][0]["message"]
    cycle = client.post(
        "/data/bom",
        json={
            "upsert": [{"item": "WAX", "location": "A", "component": "CANDLE", "quantity_per": 1}]
        },
        headers=keys["planner"],
    )
    assert cycle.status_code == 422 and "cycle" in cycle.json()["detail"][0]["message"]


def test_a_table_without_a_key_is_replaced_whole(api: Api) -> None:
    client, keys = api
    receipt = {
        "item": "TEA",
        "location": "A",
        "quantity": 40,
        "arrival_date": "2026-06-05",
        "kind": "purchase",
    }
    appended = client.post("/data/receipts", json={"upsert": [receipt]}, headers=keys["planner"])
    assert appended.status_code == 422 and appended.json()["detail"][0]["column"] == "replace"
    replaced = client.post(
        "/data/receipts", json={"upsert": [receipt], "replace": True}, headers=keys["planner"]
    )
    assert replaced.json() == {"inserted": 1, "replaced": 0, "deleted": 0}
    assert client.get("/data/receipts", headers=keys["planner"]).json()["total"] == 1
    assert client.post("/data/receipts", json={}, headers=keys["customer"]).status_code == 403


def _zip(folder: Path, change: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.iterdir()):
            text = (change or {}).get(path.name, path.read_text())
            archive.writestr(f"shop/{path.name}", text)
    return buffer.getvalue()


def test_a_dataset_uploads_as_a_zip_and_a_bad_one_changes_nothing(api: Api) -> None:
    client, keys = api
    edit = {"upsert": [{"item": "BOWL"}]}
    client.post("/data/items", json=edit, headers=keys["planner"])
    zipped = {"Content-Type": "application/zip", **keys["planner"]}
    bad_lines = "order,line,item,quantity\nX,1,MUG,two\nY,1,NOPE,1\n"
    bad = client.put(
        "/data", content=_zip(WORKED_EXAMPLE, {"order_lines.csv": bad_lines}), headers=zipped
    )
    assert bad.status_code == 422
    problems = {(p["file"], p["row"], p["column"]) for p in bad.json()["detail"]}
    assert problems == {("order_lines.csv", 2, "quantity"), ("order_lines.csv", 3, "item")}
    assert "BOWL" in _items(client, keys)
    good = client.put("/data", content=_zip(WORKED_EXAMPLE), headers=zipped)
    assert good.status_code == 200 and good.json()["items"] == 4
    assert "BOWL" not in _items(client, keys)
    junk = client.put("/data", content=b"not a dataset", headers=zipped)
    assert junk.status_code == 422 and "neither" in junk.json()["detail"][0]["message"]


def test_admin_keys_and_settings(api: Api) -> None:
    client, keys = api
    assert client.get("/admin/keys", headers=keys["planner"]).status_code == 403
    created = client.post(
        "/admin/keys", json={"role": "customer", "customer": "C2"}, headers=keys["admin"]
    ).json()
    new = {"X-API-Key": created["key"]}
    assert [o["order"] for o in client.get("/orders", headers=new).json()["orders"]] == ["Y"]
    listed = client.get("/admin/keys", headers=keys["admin"]).json()
    assert [k["role"] for k in listed] == ["customer", "planner", "admin", "customer"]
    assert all("key" not in k and "key_hash" not in k for k in listed)
    nobody = client.post(
        "/admin/keys", json={"role": "customer", "customer": "C9"}, headers=keys["admin"]
    )
    assert nobody.status_code == 422
    assert client.delete(f"/admin/keys/{created['id']}", headers=keys["admin"]).status_code == 204
    assert client.get("/orders", headers=new).status_code == 401

    settings = client.get("/admin/settings", headers=keys["admin"]).json()
    assert settings["horizon_days"] == 120 and settings["priority_keys"][0] == "priority"
    changed = client.patch(
        "/admin/settings",
        json={"horizon_days": 30, "priority_keys": ["need_date", "order"]},
        headers=keys["admin"],
    )
    assert changed.json() == {"horizon_days": 30, "priority_keys": ["need_date", "order"]}
    wrong = client.patch(
        "/admin/settings", json={"priority_keys": ["colour"]}, headers=keys["admin"]
    )
    assert wrong.status_code == 422 and "colour" in wrong.text
    client.post("/runs?now=2026-06-02T10:00", headers=keys["planner"])
    run = client.get("/runs/1", headers=keys["planner"]).json()
    assert run["status"] == "succeeded" and run["horizon_days"] == 30


def test_the_progress_of_a_run(api: Api, database: tuple[sa.Engine, str]) -> None:
    client, keys = api
    engine, _ = database
    client.post("/runs?now=2026-06-02T10:00", headers=keys["planner"])
    done = client.get("/runs/1/progress", headers=keys["planner"]).json()
    assert done == {
        "run": 1,
        "status": "succeeded",
        "orders_planned": 3,
        "orders": 3,
        "percent": 100.0,
    }
    with engine.begin() as connection:
        connection.execute(RUNS.update().where(RUNS.c.id == 1).values(status="running"))
    ProgressRecorder(engine, 1, interval=0)(1, 4)
    going = client.get("/runs/1/progress", headers=keys["planner"]).json()
    assert going["status"] == "running" and going["percent"] == 25.0
    assert client.get("/runs/7/progress", headers=keys["planner"]).status_code == 404


def test_an_order_shows_its_notifications(api: Api) -> None:
    client, keys = api
    client.post("/runs?now=2026-06-02T10:00", headers=keys["planner"])
    order = client.get("/orders/X", headers=keys["customer"]).json()
    assert [(n["run"], n["event"], n["status"]) for n in order["notifications"]] == [
        (1, "new", "no_contact")
    ]


def test_what_an_order_would_get_now(api: Api) -> None:
    client, keys = api
    question = {"lines": [{"item": "MUG", "quantity": 5}]}
    before = client.post("/promise", json=question, headers=keys["customer"])
    assert before.status_code == 503 and before.headers["Retry-After"]  # no run yet
    client.post("/runs?now=2026-06-02T10:00", headers=keys["planner"])
    answer = client.post("/promise", json=question, headers=keys["customer"])
    assert answer.status_code == 200, answer.text
    found = answer.json()
    # after X, Y and Z the 20 MUG at A are gone: 5 more are bought from CUPCO
    assert found["run"] == 1 and found["status"] == "on_time"
    assert "purchase from CUPCO" in found["schedule"][0]["reason"]
    assert client.get("/orders", headers=keys["planner"]).json()["total"] == 3  # nothing stored
    other = client.post("/promise", json={**question, "customer": "C2"}, headers=keys["customer"])
    assert other.status_code == 403
    unknown = client.post(
        "/promise", json={"lines": [{"item": "NOPE", "quantity": 1}]}, headers=keys["customer"]
    )
    assert unknown.status_code == 422 and "unknown item" in unknown.text
