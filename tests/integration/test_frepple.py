"""frePPLe's demo models (../shared/data/frepple, MIT licence) convert, validate, plan and pass
the validator."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from promiseplan.cli import app
from promiseplan.importers.frepple import convert, read_fixture
from tests.helpers import pick, plan_folder

FREPPLE = Path(
    os.environ.get(
        "PROMISEPLAN_FREPPLE_DATA",
        Path(__file__).resolve().parents[3] / "shared" / "data" / "frepple",
    )
)
runner = CliRunner()

if not FREPPLE.is_dir():  # the workplace's external data sits beside the checkout
    if os.environ.get("CI"):
        raise AssertionError(f"frePPLe's demo models must be at {FREPPLE} in CI")
    pytest.skip(f"no frePPLe demo models at {FREPPLE}", allow_module_level=True)


def _import(name: str, out: Path, *options: str) -> str:
    result = runner.invoke(
        app, ["import", "frepple", str(FREPPLE / f"{name}.json"), str(out), *options]
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_distribution_demo_converts_fully_and_plans(tmp_path: Path) -> None:
    output = _import("distribution_demo", tmp_path / "data")
    assert "orders 3294" in output.replace("\n", " ")
    out = plan_folder(tmp_path / "data", tmp_path / "out")
    assert len(out["orders"]) == 3294
    # leaf items and locations only: the aggregates of frePPLe's forecast hierarchy are dropped
    items = {r["item"] for r in out["confirmations"]}
    assert "All items" not in items and len(items) <= 11
    # a week of lead time (604800 s) is 7 days; minimum 15, multiple 3
    suppliers = (tmp_path / "data" / "suppliers.csv").read_text()
    assert "Tennis material supplier,All-surface tennis ball pack,RDC,7,15,3,5.0,1," in suppliers


def test_manufacturing_demo_converts_its_factory(tmp_path: Path) -> None:
    output = _import("manufacturing_demo", tmp_path / "data")
    assert "not carried over" in output
    out = plan_folder(tmp_path / "data", tmp_path / "out")
    assert len(out["orders"]) == 16  # the open demands
    bom = (tmp_path / "data" / "bom.csv").read_text()
    assert "round table,factory,screws,10.0" in bom
    assert "varnished chair,factory,chair,1.0" in bom  # through the routing's steps
    locations = (tmp_path / "data" / "locations.csv").read_text()
    assert "factory,factory,factory,24,Sat Sun," in locations  # Working Days, not the Jan 1 holiday
    assert pick(out["production_plan"], "item")  # the factory makes something


def test_all_demands_option(tmp_path: Path) -> None:
    conversion = convert(read_fixture(FREPPLE / "manufacturing_demo.json"), "all")
    assert conversion.tables["orders"].height == 220


def test_not_a_fixture_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"model": "input.item"}')
    result = runner.invoke(app, ["import", "frepple", str(bad), str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "not a frePPLe fixture" in " ".join(result.output.split())
    with pytest.raises(ValueError):
        read_fixture(bad)
