"""The database: import and export of datasets and runs stored with their outputs, on SQLite and
on a real PostgreSQL (in CI always; locally when one answers at PROMISEPLAN_TEST_POSTGRES_URL)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from promiseplan.cli import app
from promiseplan.dataset.load import load_dataset
from promiseplan.dataset.read import ROW
from promiseplan.dataset.schema import INPUT_TABLES
from promiseplan.pipeline import run, run_stored
from promiseplan.store import (
    export_dataset,
    import_dataset,
    list_runs,
    load_snapshot,
    upgrade,
)
from promiseplan.store.runs import run_outputs
from tests.conftest import WORKED_EXAMPLE

runner = CliRunner()


def _same_tables(left: dict[str, pl.DataFrame], right: dict[str, pl.DataFrame]) -> None:
    for table in INPUT_TABLES:
        a = left[table.name].drop(ROW, strict=False)
        b = right[table.name].drop(ROW, strict=False)
        assert a.equals(b), (table.name, a, b)


def test_import_then_export_gives_the_same_dataset(
    database: tuple[sa.Engine, str], tmp_path: Path
) -> None:
    engine, _ = database
    upgrade(engine)
    original = load_dataset(WORKED_EXAMPLE)
    import_dataset(engine, original)
    _same_tables(original.tables, load_snapshot(engine).tables)
    from promiseplan.generate.tables import write_tables

    write_tables(export_dataset(engine), tmp_path / "exported")
    _same_tables(original.tables, load_dataset(tmp_path / "exported").tables)


@pytest.mark.parametrize("planner", ["reference", "fast"])
def test_a_stored_run_has_the_same_outputs_as_a_run_on_files(
    database: tuple[sa.Engine, str], tmp_path: Path, planner: str
) -> None:
    engine, _ = database
    upgrade(engine)
    import_dataset(engine, load_dataset(WORKED_EXAMPLE))
    run_id, _ = run_stored(engine, "2026-06-02T10:00", 120, engine_choice=planner)
    on_files = run(WORKED_EXAMPLE, None, engine="reference").plan
    stored = run_outputs(engine, run_id)
    for name, frame in on_files.tables.items():
        assert stored[name].cast(frame.schema).equals(frame), name
    assert [r["status"] for r in list_runs(engine)] == ["succeeded"]


def test_a_refused_import_changes_nothing(database: tuple[sa.Engine, str], tmp_path: Path) -> None:
    engine, url = database
    upgrade(engine)
    import_dataset(engine, load_dataset(WORKED_EXAMPLE))
    before = load_snapshot(engine).tables
    bad = tmp_path / "bad"
    import shutil

    shutil.copytree(WORKED_EXAMPLE, bad)
    (bad / "order_lines.csv").write_text("order,line,item,quantity\nX,1,MUG,-1\n")
    result = runner.invoke(app, ["db", "import", str(bad), "--database", url])
    assert result.exit_code == 2
    _same_tables(before, load_snapshot(engine).tables)


def test_a_failing_run_is_recorded_and_leaves_earlier_runs(
    database: tuple[sa.Engine, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, _ = database
    upgrade(engine)
    import_dataset(engine, load_dataset(WORKED_EXAMPLE))
    first, _ = run_stored(engine, "2026-06-02T10:00", 120)

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("the machine went away")

    monkeypatch.setattr("promiseplan.pipeline.reference_plan", broken)
    with pytest.raises(RuntimeError):
        run_stored(engine, "2026-06-02T10:00", 120)
    runs = list_runs(engine)
    assert [r["status"] for r in runs] == ["succeeded", "failed"]
    assert "the machine went away" in runs[1]["error"]
    assert run_outputs(engine, first)["confirmations"].height == 5


def test_db_commands(database: tuple[sa.Engine, str], tmp_path: Path) -> None:
    _, url = database
    assert runner.invoke(app, ["db", "upgrade", "--database", url]).exit_code == 0
    result = runner.invoke(app, ["db", "import", str(WORKED_EXAMPLE), "--database", url])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app,
        ["db", "run", "--now", "2026-06-02T10:00", "--out", str(tmp_path / "o"), "--database", url],
    )
    assert result.exit_code == 0, result.output
    run(WORKED_EXAMPLE, tmp_path / "f")
    for name in ("confirmations.csv", "orders.csv", "procurement_plan.csv", "production_plan.csv"):
        assert (tmp_path / "o" / name).read_bytes() == (tmp_path / "f" / name).read_bytes(), name
    result = runner.invoke(app, ["db", "export", str(tmp_path / "book.xlsx"), "--database", url])
    assert result.exit_code == 0, result.output
    assert load_dataset(tmp_path / "book.xlsx")["orders"].height == 3
    listing = runner.invoke(app, ["db", "runs", "--database", url], env={"COLUMNS": "200"})
    assert listing.exit_code == 0 and "succeeded" in listing.output


def test_stored_runs_keep_earlier_promises_and_report_changes(
    database: tuple[sa.Engine, str], tmp_path: Path
) -> None:
    # Run 1 promises Y 30 MUG by 06-07 (12 of them bought from CUPCO). CUPCO then drops out:
    # run 2 can only promise the 18 in stock, by 06-05, and says so.
    engine, _ = database
    upgrade(engine)
    import_dataset(engine, load_dataset(WORKED_EXAMPLE))
    run_stored(engine, "2026-06-02T10:00", 120)
    changed = tmp_path / "changed"
    import shutil

    shutil.copytree(WORKED_EXAMPLE, changed)
    (changed / "suppliers.csv").write_text(
        "supplier,item,location,lead_time_days,min_quantity,lot_multiple,unit_price\nLEAF,TEA,A,5,50,25,1.5\n"
    )
    import_dataset(engine, load_dataset(changed))
    second, _ = run_stored(engine, "2026-06-02T10:00", 120)
    changes = run_outputs(engine, second)["promise_changes"]
    assert changes.select("order", "line", "old_quantity", "new_quantity").rows() == [
        ("Y", "1", 30, 18)
    ]
    assert (
        str(changes["old_date"][0]) == "2026-06-07" and str(changes["new_date"][0]) == "2026-06-05"
    )
    assert changes["reason"][0].startswith("no_source: no MUG left at A")


def test_the_migrations_build_exactly_the_declared_tables(
    database: tuple[sa.Engine, str],
) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from promiseplan.store.tables import metadata

    engine, _ = database
    upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = compare_metadata(context, metadata)
    assert [d for d in differences if d[0] != "remove_table"] == []


def test_orders_filter_sort_and_page_by_their_current_promise(
    database: tuple[sa.Engine, str],
) -> None:
    from promiseplan.store.order_views import OrderFilter, order_table

    engine, _ = database
    upgrade(engine)
    import_dataset(engine, load_dataset(WORKED_EXAMPLE))
    total, rows = order_table(engine, OrderFilter())
    assert total == 3 and {r["status"] for r in rows} == {"open"}
    run_stored(engine, now="2026-06-02T10:00")
    _, rows = order_table(engine, OrderFilter())
    by_order = {r["order"]: (r["status"], str(r["promised_date"])) for r in rows}
    # planning.md's worked example (tests/integration/test_worked_example.py)
    assert by_order == {
        "X": ("on_time", "2026-06-09"),
        "Y": ("late", "2026-06-07"),
        "Z": ("on_time", "2026-06-06"),
    }
    assert [r["order"] for r in order_table(engine, OrderFilter(item="MUG"))[1]] == ["X", "Y"]
    on_time = order_table(engine, OrderFilter(status="on_time"))[1]
    assert [r["order"] for r in on_time] == ["X", "Z"]
    assert order_table(engine, OrderFilter(customer="C2"))[0] == 1
    early = OrderFilter(promised_from=date(2026, 6, 6), promised_to=date(2026, 6, 7))
    assert [r["order"] for r in order_table(engine, early)[1]] == ["Y", "Z"]
    newest = order_table(engine, OrderFilter(), sort="promised_date", descending=True, limit=2)
    assert newest[0] == 3 and [r["order"] for r in newest[1]] == ["X", "Y"]
