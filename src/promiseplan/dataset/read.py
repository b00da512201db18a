"""Reading the raw tables of a dataset: a folder of CSV or Parquet files, or an Excel workbook.

Every cell is read as text, so that the parser can say exactly which cell does not parse.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from promiseplan.dataset.issues import Issue
from promiseplan.dataset.schema import INPUT_TABLES, Table

ROW = "_row"
"""Row number of each record as a spreadsheet shows it (the header is row 1)."""


@dataclass(frozen=True)
class RawTable:
    file: str
    frame: pl.DataFrame
    """All columns as text, stripped, empty cells null, plus ``_row``."""


def read_raw(source: Path) -> tuple[dict[str, RawTable], list[Issue]]:
    """Read every table of the contract that is present; report missing files and columns."""
    issues: list[Issue] = []
    tables: dict[str, RawTable] = {}
    if source.is_file() and source.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            frames = _read_workbook(source)
        except Exception as error:  # calamine reports a broken workbook in several ways
            return {}, [Issue(source.name, 0, "", f"cannot be read: {str(error).splitlines()[0]}")]
        locate = {t.name: (f"{source.name}[{t.name}]", frames.get(t.name)) for t in INPUT_TABLES}
    elif source.is_dir():
        locate = {}
        for t in INPUT_TABLES:
            try:
                locate[t.name] = _read_file(source, t)
            except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError) as error:
                issues.append(Issue(t.file, 0, "", f"cannot be read: {str(error).splitlines()[0]}"))
                locate[t.name] = (t.file, None)
                continue
    else:
        return {}, [Issue(str(source), 0, "", "no such dataset folder or .xlsx workbook")]
    for table in INPUT_TABLES:
        file, frame = locate[table.name]
        if frame is None:
            if table.required and not any(i.file == file for i in issues):
                issues.append(Issue(file, 0, "", "missing file (a required table)"))
            continue
        missing = [c.name for c in table.columns if c.required and c.name not in frame.columns]
        for name in missing:
            issues.append(Issue(file, 1, name, "missing column"))
        if not missing:
            tables[table.name] = RawTable(file, _normalise(frame))
    return tables, issues


def _read_file(folder: Path, table: Table) -> tuple[str, pl.DataFrame | None]:
    csv = folder / table.file
    if csv.exists():
        return table.file, pl.read_csv(csv, infer_schema=False, encoding="utf8")
    parquet = folder / f"{table.name}.parquet"
    if parquet.exists():
        return parquet.name, pl.read_parquet(parquet)
    return table.file, None


def _read_workbook(path: Path) -> dict[str, pl.DataFrame]:
    sheets = pl.read_excel(path, sheet_id=0, infer_schema_length=0, raise_if_empty=False)
    return dict(sheets)


def _normalise(frame: pl.DataFrame) -> pl.DataFrame:
    text = frame.select(
        pl.col(name)
        .cast(pl.String)
        .str.strip_chars()
        .replace("", None)
        .alias(name.strip().lstrip("\ufeff"))
        for name in frame.columns
    )
    return text.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
