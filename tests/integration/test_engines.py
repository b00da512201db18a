"""The fast engine and the reference engine make the same plan: every output table and every
figure, on hypothesis-generated networks and on larger generated datasets. (Every scenario,
worked example and generated dataset planned through ``plan_folder`` is also compared.)"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from promiseplan.cli import app
from promiseplan.dataset.load import load_dataset
from promiseplan.engine import fast, reference
from promiseplan.engine.fast import reasons as fast_reasons
from promiseplan.engine.plan import Plan
from promiseplan.generate import generate
from promiseplan.model.build import build_problem
from promiseplan.model.problem import Problem
from promiseplan.online import Promiser
from promiseplan.pipeline import resolve_settings
from tests.helpers import plan_folder
from tests.strategies import datasets

COLUMNS = ("compiled", "lists")


def _problem(folder: Path) -> Problem:
    dataset = load_dataset(folder)
    return build_problem(dataset, resolve_settings(dataset))


def _assert_same(first: Plan, second: Plan) -> None:
    assert first.tables.keys() == second.tables.keys()
    for name, table in first.tables.items():
        assert table.equals(second.tables[name]), name
    assert first.kpis == second.kpis


@contextmanager
def reasons_written_with(columns: str) -> Iterator[None]:
    """The fast engine writes reasons by compiled code above ``FEW_ROWS`` rows and with Python
    lists up to it: force one of the two."""
    before = fast_reasons.FEW_ROWS
    fast_reasons.FEW_ROWS = -1 if columns == "compiled" else 10**9
    try:
        yield
    finally:
        fast_reasons.FEW_ROWS = before


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets(), st.sampled_from(COLUMNS))
def test_both_engines_plan_small_networks_alike(files: dict[str, str], columns: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf8")
        problem = _problem(folder)
    with reasons_written_with(columns):
        _assert_same(reference.plan(problem), fast.plan(problem))


CASES = [("scale", 3000, 1), ("scale", 2000, 7), ("electronics", 500, 4), ("flowers", 800, 5)]


@pytest.mark.parametrize("columns", COLUMNS)
@pytest.mark.parametrize(("name", "size", "seed"), CASES, ids=[f"{n}-{s}" for n, _, s in CASES])
def test_both_engines_plan_generated_datasets_alike(
    tmp_path: Path, name: str, size: int, seed: int, columns: str
) -> None:
    generate(name, tmp_path, size, seed)
    problem = _problem(tmp_path)
    with reasons_written_with(columns):
        planned = fast.plan(problem)
    assert planned["confirmations"].height > 0
    _assert_same(reference.plan(problem), planned)


def test_orders_decided_in_many_chunks_give_the_plan_of_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The schedule's rows are sorted chunk by chunk as the orders are decided, then as a
    whole: small chunks (rows of one order id in a chunk, ids in no particular order across
    them) give the reference engine's tables too."""
    generate("scale", tmp_path, 1500, 3)
    problem = _problem(tmp_path)
    monkeypatch.setattr(fast, "CHUNK", 37)
    planned = fast.plan(problem)
    assert len(problem.orders) > 10 * fast.CHUNK
    _assert_same(reference.plan(problem), planned)


def test_an_unknown_engine_is_refused(tmp_path: Path) -> None:
    generate("flowers", tmp_path / "data", 5, 1)
    result = CliRunner().invoke(
        app, ["run", str(tmp_path / "data"), "--out", str(tmp_path / "out"), "--engine", "turbo"]
    )
    assert result.exit_code == 2
    assert "unknown engine 'turbo'" in result.output
    assert not (tmp_path / "out").exists()
    data = load_dataset(tmp_path / "data")
    with pytest.raises(ValueError, match="unknown engine 'turbo'"):
        Promiser(data, resolve_settings(data), engine="turbo")


def test_the_compiled_cache_is_named_after_every_compiled_module() -> None:
    from promiseplan.engine.fast import compiled

    folder = Path(compiled.__file__).parent
    with_jit = sorted(p.stem for p in folder.glob("*.py") if "@jit" in p.read_text())
    assert set(with_jit) <= set(compiled.KERNEL)


KEYS = [
    ["-value", "channel", "customer", "need_date"],
    ["promised_first", "-priority", "-created_at", "order"],
]


@pytest.mark.parametrize("keys", KEYS, ids=["value-channel", "descending"])
def test_both_engines_follow_any_priority_model_and_keep_promises(
    tmp_path: Path, keys: list[str]
) -> None:
    """The fast engine reads the orders as columns and sorts them with polars; the reference
    engine sorts Order objects by a Python key: the same decision order for every key."""
    generate("electronics", tmp_path / "data", 150, 3)
    first = plan_folder(tmp_path / "data", tmp_path / "first")
    promised = [r for r in first["confirmations"] if r["status"] != "unconfirmed"][::3]
    lines = ["order,line,quantity,promised_date"] + [
        f"{r['order']},{r['line']},{r['quantity']},{r['promised_date']}" for r in promised
    ]
    (tmp_path / "data" / "promises.csv").write_text("\n".join(lines) + "\n")
    settings = tmp_path / "data" / "settings.toml"
    quoted = ", ".join(f'"{k}"' for k in keys)
    settings.write_text(settings.read_text() + f"priority_keys = [{quoted}]\n")
    out = plan_folder(tmp_path / "data", tmp_path / "second")
    assert out["promise_changes"]


LANES = {
    "items.csv": "item,kind\nMUG,product\n",
    "locations.csv": (
        "location,kind,region,closed_weekdays\n"
        "A,warehouse,EAST,Tue Wed Thu Fri\nB,warehouse,EAST,\nC,warehouse,EAST,\n"
    ),
    "inventory.csv": "item,location,on_hand\nMUG,A,30\nMUG,B,30\nMUG,C,30\n",
    "delivery_lanes.csv": (
        "location,region,mode,transit_days,cost_per_unit,capacity_per_day\n"
        "A,EAST,air,1,3,\nA,EAST,truck,1,0.5,\nB,EAST,truck,3,1,\nC,EAST,van,2,2,4\n"
    ),
    "customers.csv": "customer,region,priority\nK1,EAST,1\nK2,EAST,2\nK3,EAST,3\n",
    "orders.csv": (
        "order,customer,created_at,requested_date,ship_complete\n"
        "O1,K1,2026-06-01T09:00,,true\n"
        "O2,K2,2026-06-01T09:00,2026-06-06,true\n"
        "O3,K3,2026-06-01T09:00,2026-06-04,false\n"
        "O4,K3,2026-06-01T10:00,,false\n"
    ),
    "order_lines.csv": (
        "order,line,item,quantity\nO1,1,MUG,3\nO2,1,MUG,5\nO3,1,MUG,12\nO4,1,MUG,40\n"
    ),
    "settings.toml": 'now = "2026-06-02T10:00"\nhorizon_days = 30\n',
}


def test_ways_chosen_over_lanes_whose_best_comes_last_in_id_order(tmp_path: Path) -> None:
    """The fast engine measures a line's lanes in the order that rules out the most (bounds
    from the location's first ship day and the lane's own cost) and leaves some out; here the
    cheapest lane's location is closed until Saturday, the soonest lane is not the first in id
    order, and a capacity-limited lane makes split lines use several: the reference engine,
    which measures every lane in id order, decides the same."""
    dataset = tmp_path / "lanes"
    dataset.mkdir()
    for name, text in LANES.items():
        (dataset / name).write_text(text, encoding="utf8")
    rows = plan_folder(dataset, tmp_path / "out")
    by_order: dict[str, list[tuple[str, str, str]]] = {}
    for row in rows["confirmations"]:
        by_order.setdefault(row["order"], []).append(
            (row["ship_from"], row["mode"], row["promised_date"])
        )
    # as soon as possible: C by van (2 days) arrives before B's truck and A (shut until Sat)
    assert by_order["O1"] == [("C", "van", "2026-06-04")]
    # by the 6th: A's truck, the cheapest, ships on Saturday the 6th at the soonest; B's truck
    # is cheaper than C's van
    assert by_order["O2"] == [("B", "truck", "2026-06-06")]
    # O4 (needed since its creation) goes before O3 and is split over every lane that still
    # has room; O3 gets nothing by its date and all of it from A once A ships
    assert {(place, mode) for place, mode, _ in by_order["O4"]} == {
        ("A", "truck"),
        ("B", "truck"),
        ("C", "van"),
    }
    assert by_order["O3"] == [("A", "truck", "2026-06-07")]


def _arrived_units(problem: Problem) -> int:
    """Units in stock or on their way before any decision (the rows' first numbers)."""
    from promiseplan.engine.fast.arrays import index_problem
    from promiseplan.engine.fast.book import book_of

    indexed = index_problem(problem, book_of(problem))
    return int(abs(indexed.arrivals[:, 2]).sum())


@pytest.mark.parametrize("limit", ["before any decision", "during the decisions"])
def test_runs_that_move_too_many_units_for_32_bit_rows_plan_on_64_bit_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: str
) -> None:
    """Rows of stock are 32-bit while the units moved keep every number within 32 bits; a run
    that outgrows them, from its arrivals or by its decisions, is planned on 64-bit rows and
    gives the same plan."""
    from promiseplan.engine.fast import state as fast_state

    generate("scale", tmp_path, 1500, 3)
    problem = _problem(tmp_path)
    arrived = _arrived_units(problem)
    monkeypatch.setattr(
        fast_state, "NARROW_UNITS", arrived - 1 if limit == "before any decision" else arrived
    )
    rows: list[str] = []
    made = fast_state.new_state

    def recorded(*args: object, **kwargs: object) -> fast_state.State:
        state = made(*args, **kwargs)  # type: ignore[arg-type]
        rows.append(str(fast_state.stock_rows(state).dtype))
        return state

    monkeypatch.setattr(fast, "new_state", recorded)
    planned = fast.plan(problem)
    assert rows == (["int64"] if limit == "before any decision" else ["int32", "int64"])
    _assert_same(reference.plan(problem), planned)
