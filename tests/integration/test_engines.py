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
from promiseplan.pipeline import resolve_settings
from tests.helpers import plan_folder
from tests.strategies import datasets

COLUMNS = ("polars", "lists")


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
    """The fast engine writes reasons with polars above ``FEW_ROWS`` rows and with Python lists
    up to it: force one of the two."""
    before = fast_reasons.FEW_ROWS
    fast_reasons.FEW_ROWS = -1 if columns == "polars" else 10**9
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
