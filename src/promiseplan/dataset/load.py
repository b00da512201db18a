"""Loading a dataset: read, parse, validate. A dataset with any error is refused as a whole."""

from __future__ import annotations

import time
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl

from promiseplan.dataset.issues import DatasetError, Issue
from promiseplan.dataset.parse import _default_series, parse_table
from promiseplan.dataset.read import ROW, read_raw
from promiseplan.dataset.schema import INPUT_TABLES, TABLES
from promiseplan.dataset.validate import bom_cycles, duplicate_keys, unknown_references


@dataclass(frozen=True)
class Dataset:
    """The typed tables of a valid dataset (missing optional tables are empty frames)."""

    tables: dict[str, pl.DataFrame]
    settings: dict[str, object]
    """Values of ``settings.toml`` in the dataset folder, if any."""
    has_promises: bool = False

    def __getitem__(self, name: str) -> pl.DataFrame:
        return self.tables[name]


def empty_table(name: str) -> pl.DataFrame:
    columns = [pl.Series(ROW, [], dtype=pl.Int64())]
    return pl.DataFrame(columns + [_default_series(c, 0) for c in TABLES[name].columns])


def load_dataset(source: Path, seconds: dict[str, float] | None = None) -> Dataset:
    """Read and validate ``source`` (a folder of CSV/Parquet files or an .xlsx workbook); the
    time of reading the files and of validating them goes to ``seconds`` ("read", "validate").

    Raises DatasetError listing every problem found.
    """
    started = time.perf_counter()
    raw, issues = read_raw(source)
    read = time.perf_counter()
    frames: dict[str, pl.DataFrame] = {}
    files: dict[str, str] = {}
    for table in INPUT_TABLES:
        if table.name not in raw:
            continue
        frame, cell_issues = parse_table(table, raw[table.name])
        issues += cell_issues
        frames[table.name] = frame
        files[table.name] = raw[table.name].file
    for table in INPUT_TABLES:
        if table.name in frames:
            issues += duplicate_keys(table, files[table.name], frames[table.name])
            issues += unknown_references(table, files[table.name], frames[table.name], frames)
    if "bom" in frames:
        issues += bom_cycles(files["bom"], frames["bom"])
    settings, settings_issues = _read_settings(source)
    issues += settings_issues
    if issues:
        raise DatasetError(issues)
    tables = {t.name: frames.get(t.name, empty_table(t.name)) for t in INPUT_TABLES}
    if seconds is not None:
        seconds["read"] = read - started
        seconds["validate"] = time.perf_counter() - read
    return Dataset(tables, settings, has_promises="promises" in frames)


_SETTINGS: dict[str, tuple[type, ...]] = {
    "now": (str, datetime),
    "horizon_days": (int,),
    "priority_keys": (list,),
}


def _read_settings(source: Path) -> tuple[dict[str, object], list[Issue]]:
    path = source / "settings.toml"
    if not source.is_dir() or not path.exists():
        return {}, []
    try:
        values = tomllib.loads(path.read_text(encoding="utf8"))
    except tomllib.TOMLDecodeError as error:
        return {}, [Issue("settings.toml", 0, "", f"does not parse: {error}")]
    issues = []
    for key, value in values.items():
        expected = _SETTINGS.get(key)
        if expected is None:
            issues.append(Issue("settings.toml", 0, key, "unknown setting"))
        elif not isinstance(value, expected):
            kinds = " or ".join(t.__name__ for t in expected)
            issues.append(Issue("settings.toml", 0, key, f"must be a {kinds}"))
    return values, issues
