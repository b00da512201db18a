"""The independent validator finds each kind of broken guarantee in a tampered plan."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from promiseplan.cli import app
from tests.conftest import WORKED_EXAMPLE

runner = CliRunner()


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("planned") / "out"
    result = runner.invoke(app, ["run", str(WORKED_EXAMPLE), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    return out


def edit(folder: Path, file: str, change: Callable[[pl.DataFrame], pl.DataFrame]) -> None:
    path = folder / file
    change(pl.read_csv(path, infer_schema=False)).write_csv(path)


def test_a_real_plan_passes(planned: Path) -> None:
    result = runner.invoke(app, ["check", str(WORKED_EXAMPLE), str(planned)])
    assert result.exit_code == 0, result.output
    assert "keeps every guarantee" in result.output


TAMPERING: list[tuple[str, str, Callable[[pl.DataFrame], pl.DataFrame], str]] = [
    (
        "stock used twice",
        "distribution_plan.csv",
        lambda f: pl.concat([f, f.filter(pl.col("order") == "Y")]),
        "stock of MUG at A",
    ),
    (
        "lead time of a purchase",
        "procurement_plan.csv",
        lambda f: f.with_columns(
            pl.when(pl.col("supplier") == "LEAF")
            .then(pl.lit("2026-06-05"))
            .otherwise(pl.col("arrival_date"))
            .alias("arrival_date")
        ),
        "is not order date + 5 days",
    ),
    (
        "minimum lot",
        "procurement_plan.csv",
        lambda f: f.with_columns(
            pl.when(pl.col("supplier") == "LEAF")
            .then(pl.lit("40"))
            .otherwise(pl.col("quantity"))
            .alias("quantity")
        ),
        "breaks minimum 50",
    ),
    (
        "resource hours",
        "production_plan.csv",
        lambda f: f.with_columns(pl.lit("2026-06-03").alias("start_date")),
        "hours are planned between",
    ),
    (
        "ship on day 0 past the cutoff is fine here, but not before day 0",
        "distribution_plan.csv",
        lambda f: f.with_columns(
            pl.when(pl.col("order") == "Z")
            .then(pl.lit("2026-06-01"))
            .otherwise(pl.col("ship_date"))
            .alias("ship_date")
        ),
        "cannot ship on 2026-06-01",
    ),
    (
        "quantities of a line",
        "confirmations.csv",
        lambda f: f.filter(~((pl.col("order") == "Y") & (pl.col("quantity") == "12"))),
        "confirmed plus unconfirmed is 18, ordered 30",
    ),
    (
        "status of a line",
        "confirmations.csv",
        lambda f: f.with_columns(
            pl.when(pl.col("quantity") == "12")
            .then(pl.lit("on_time"))
            .otherwise(pl.col("status"))
            .alias("status")
        ),
        "status on_time, but promised 2026-06-07",
    ),
    (
        "order status",
        "orders.csv",
        lambda f: f.with_columns(
            pl.when(pl.col("order") == "Y")
            .then(pl.lit("on_time"))
            .otherwise(pl.col("status"))
            .alias("status")
        ),
        "status on_time, expected late",
    ),
    (
        "reason code",
        "confirmations.csv",
        lambda f: f.with_columns(pl.lit("because").alias("reason")),
        "reason does not start with a known code",
    ),
]


@pytest.mark.parametrize(
    ("what", "file", "change", "message"), TAMPERING, ids=[t[0] for t in TAMPERING]
)
def test_a_broken_guarantee_is_named(
    planned: Path,
    tmp_path: Path,
    what: str,
    file: str,
    change: Callable[[pl.DataFrame], pl.DataFrame],
    message: str,
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(planned, broken)
    edit(broken, file, change)
    result = runner.invoke(app, ["check", str(WORKED_EXAMPLE), str(broken)])
    assert result.exit_code == 1, what
    assert message in result.output, result.output


def test_lane_capacity_and_orders_per_day(planned: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(WORKED_EXAMPLE, data)
    (data / "delivery_lanes.csv").write_text(
        "location,region,mode,transit_days,capacity_per_day\nA,EAST,van,2,20\n"
    )
    (data / "locations.csv").write_text(
        "location,kind,region,cutoff_hour,orders_per_day\nA,warehouse,EAST,12,1\n"
    )
    broken = tmp_path / "broken"
    shutil.copytree(planned, broken)
    edit(
        broken,
        "distribution_plan.csv",
        lambda f: f.with_columns(
            pl.lit("2026-06-07").alias("ship_date"), pl.lit("2026-06-09").alias("arrival_date")
        ),
    )
    result = runner.invoke(app, ["check", str(data), str(broken)])
    assert result.exit_code == 1
    assert "lane A -> EAST by van: 82 units on 2026-06-07, capacity 20" in result.output
    assert "location A: 3 orders ship on 2026-06-07, at most 1 a day" in result.output
