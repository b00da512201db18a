"""A dataset can also be an Excel workbook (one sheet per table) or a folder of Parquet files."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from promiseplan.dataset.load import load_dataset
from promiseplan.dataset.schema import TABLES
from promiseplan.dataset.write import write_workbook
from tests.conftest import WORKED_EXAMPLE


def _csv_tables() -> dict[str, pl.DataFrame]:
    return {
        p.stem: pl.read_csv(p, infer_schema=False)
        for p in sorted(WORKED_EXAMPLE.glob("*.csv"))
        if p.stem in TABLES
    }


def _same(a: Path, b: Path) -> None:
    left, right = load_dataset(a), load_dataset(b)
    for name in TABLES:
        assert left[name].drop("_row").equals(right[name].drop("_row")), name


def test_reads_an_excel_workbook(tmp_path: Path) -> None:
    book = tmp_path / "example.xlsx"
    write_workbook(book, _csv_tables())
    _same(WORKED_EXAMPLE, book)


def test_reads_parquet_files(tmp_path: Path) -> None:
    for name, frame in _csv_tables().items():
        frame.write_parquet(tmp_path / f"{name}.parquet")
    _same(WORKED_EXAMPLE, tmp_path)


def test_excel_errors_name_the_sheet_and_row(tmp_path: Path) -> None:
    tables = _csv_tables()
    tables["order_lines"] = tables["order_lines"].with_columns(pl.lit("-3").alias("quantity"))
    book = tmp_path / "bad.xlsx"
    write_workbook(book, tables)
    import pytest

    from promiseplan.dataset.issues import DatasetError

    with pytest.raises(DatasetError) as caught:
        load_dataset(book)
    assert any(
        i.file == "bad.xlsx[order_lines]" and i.row == 2 and i.column == "quantity"
        for i in caught.value.issues
    )
