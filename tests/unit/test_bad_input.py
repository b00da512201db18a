"""dataset.md, "Bad input": every error is listed with file, row and column; nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from promiseplan.cli import app
from promiseplan.dataset.issues import DatasetError, Issue
from promiseplan.dataset.load import load_dataset

runner = CliRunner()


def rewrite(folder: Path, file: str, text: str) -> None:
    (folder / file).write_text(text, encoding="utf8")


def refuse(folder: Path, tmp_path: Path) -> str:
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(folder), "--out", str(out), "--quiet"])
    assert result.exit_code == 2, result.output
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]
    return result.output


def issues(folder: Path) -> list[Issue]:
    with pytest.raises(DatasetError) as caught:
        load_dataset(folder)
    return caught.value.issues


CASES = [
    # (file, new content, expected issue: file, row, column, words in the message)
    (
        "order_lines.csv",
        "order,line,item,quantity\nX,1,MUG,2\nX,2,NOPE,30\n",
        ("order_lines.csv", 3, "item", "unknown item 'NOPE'"),
    ),
    (
        "order_lines.csv",
        "order,line,item,quantity\nX,1,MUG,-2\n",
        ("order_lines.csv", 2, "quantity", "negative"),
    ),
    (
        "order_lines.csv",
        "order,line,item,quantity\nX,1,MUG,2.5\n",
        ("order_lines.csv", 2, "quantity", "not a whole number"),
    ),
    (
        "order_lines.csv",
        "order,line,item,quantity\nX,1,MUG,2\nX,1,TEA,3\n",
        ("order_lines.csv", 3, "line", "duplicate key (order=X, line=1), first at row 2"),
    ),
    (
        "order_lines.csv",
        "order,line,item\nX,1,MUG\n",
        ("order_lines.csv", 1, "quantity", "missing column"),
    ),
    (
        "orders.csv",
        "order,customer,created_at,requested_date\nX,C1,2026-06-01T09:00,2026-02-30\n",
        ("orders.csv", 2, "requested_date", "is not a date"),
    ),
    (
        "orders.csv",
        "order,customer,created_at\nX,C1,soon\n",
        ("orders.csv", 2, "created_at", "is not a date-time"),
    ),
    (
        "orders.csv",
        "order,customer,created_at,ship_complete\nX,C1,2026-06-01T09:00,maybe\n",
        ("orders.csv", 2, "ship_complete", "not true or false"),
    ),
    (
        "orders.csv",
        "order,customer,created_at\nX,C1,2026-06-01T09:00\nY,NOBODY,2026-06-01T09:00\n",
        ("orders.csv", 3, "customer", "unknown customer 'NOBODY'"),
    ),
    (
        "locations.csv",
        "location,kind,region\nA,shed,EAST\n",
        ("locations.csv", 2, "kind", "'shed' is not one of: warehouse, factory, store"),
    ),
    (
        "locations.csv",
        "location,kind,region,cutoff_hour\nA,warehouse,EAST,25\n",
        ("locations.csv", 2, "cutoff_hour", "above the maximum 24"),
    ),
    (
        "locations.csv",
        "location,kind,region,closed_weekdays\nA,warehouse,EAST,Sat Holiday\n",
        ("locations.csv", 2, "closed_weekdays", "not a list of weekdays"),
    ),
    (
        "delivery_lanes.csv",
        "location,region,mode,transit_days\nA,EAST,van,2\nB,EAST,van,1\n",
        ("delivery_lanes.csv", 3, "location", "unknown location 'B'"),
    ),
    (
        "operations.csv",
        "item,location,resource,hours_per_unit\nCANDLE,A,KILN,0.5\n",
        ("operations.csv", 2, "resource", "unknown resource (resource=KILN, location=A)"),
    ),
    (
        "bom.csv",
        "item,location,component,quantity_per\nCANDLE,A,WAX,2\nWAX,A,CANDLE,1\n",
        ("bom.csv", 3, "component", "cycle in the bill of materials at A: CANDLE -> WAX -> CANDLE"),
    ),
    (
        "suppliers.csv",
        "supplier,item,location,lead_time_days,lot_multiple\nLEAF,TEA,A,5,0\n",
        ("suppliers.csv", 2, "lot_multiple", "below the minimum 1"),
    ),
    (
        "inventory.csv",
        "item,location,on_hand\nMUG,A,\n",
        ("inventory.csv", 2, "on_hand", "is empty"),
    ),
    (
        "receipts.csv",
        "item,location,quantity,arrival_date,kind\nMUG,A,5,2026-06-04,gift\n",
        ("receipts.csv", 2, "kind", "not one of"),
    ),
]


@pytest.mark.parametrize(("file", "content", "expected"), CASES, ids=[c[2][3] for c in CASES])
def test_refuses_bad_input_naming_file_row_and_column(
    worked_example: Path,
    tmp_path: Path,
    file: str,
    content: str,
    expected: tuple[str, int, str, str],
) -> None:
    rewrite(worked_example, file, content)
    found = issues(worked_example)
    name, row, column, words = expected
    assert any(
        i.file == name and i.row == row and i.column == column and words in i.message for i in found
    ), found
    output = refuse(worked_example, tmp_path)
    assert (
        f"{name}, row {row}, column '{column}'" in output.replace("\n", " ")
        or f"{name}, row {row}" in output
    )


def test_missing_required_file_is_named(worked_example: Path, tmp_path: Path) -> None:
    (worked_example / "customers.csv").unlink()
    found = issues(worked_example)
    assert Issue("customers.csv", 0, "", "missing file (a required table)") in found
    assert "customers.csv: missing file" in refuse(worked_example, tmp_path)


def test_every_error_is_listed_not_only_the_first(worked_example: Path, tmp_path: Path) -> None:
    rewrite(
        worked_example,
        "order_lines.csv",
        "order,line,item,quantity\nX,1,MUG,-1\nX,2,TEA,x\nQ,1,NOPE,1\n",
    )
    rewrite(worked_example, "inventory.csv", "item,location,on_hand\nMUG,A,-5\nMUG,A,1\n")
    found = {(i.file, i.row, i.column) for i in issues(worked_example)}
    assert found >= {
        ("order_lines.csv", 2, "quantity"),
        ("order_lines.csv", 3, "quantity"),
        ("order_lines.csv", 4, "order"),
        ("order_lines.csv", 4, "item"),
        ("inventory.csv", 2, "on_hand"),
        ("inventory.csv", 3, "location"),
    }
    output = refuse(worked_example, tmp_path)
    assert "error(s)" in output


def test_a_refused_run_keeps_the_previous_outputs(worked_example: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    ok = runner.invoke(app, ["run", str(worked_example), "--out", str(out), "--quiet"])
    assert ok.exit_code == 0, ok.output
    before = (out / "confirmations.csv").read_bytes()
    rewrite(worked_example, "order_lines.csv", "order,line,item,quantity\nX,1,MUG,-1\n")
    bad = runner.invoke(app, ["run", str(worked_example), "--out", str(out), "--quiet"])
    assert bad.exit_code == 2
    assert (out / "confirmations.csv").read_bytes() == before


def test_validate_command_lists_errors(worked_example: Path) -> None:
    rewrite(worked_example, "customers.csv", "customer,region,priority\nC1,EAST,high\n")
    result = runner.invoke(app, ["validate", str(worked_example)])
    assert result.exit_code == 2
    assert "customers.csv, row 2, column 'priority': 'high' is not a whole number" in result.output


def test_an_empty_file_is_named_not_a_crash(worked_example: Path, tmp_path: Path) -> None:
    rewrite(worked_example, "customers.csv", "")
    found = issues(worked_example)
    assert any(i.file == "customers.csv" and "cannot be read" in i.message for i in found), found
    refuse(worked_example, tmp_path)


def test_a_byte_order_mark_is_tolerated(worked_example: Path) -> None:
    text = (worked_example / "items.csv").read_text(encoding="utf8")
    (worked_example / "items.csv").write_text("\ufeff" + text, encoding="utf8")
    assert load_dataset(worked_example)["items"].height == 4
