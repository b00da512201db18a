"""Writing generated tables as a dataset folder."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl

from promiseplan.dataset.schema import TABLES

Tables = dict[str, pl.DataFrame]
"""Generated input tables by name, plus ``settings`` (one row: now, horizon_days)."""


def write_tables(tables: Tables, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        if name == "settings":
            row = frame.row(0, named=True)
            text = "".join(
                f'{k} = "{v}"\n' if isinstance(v, str) else f"{k} = {v}\n" for k, v in row.items()
            )
            (out / "settings.toml").write_text(text, encoding="utf8")
            continue
        columns = [c for c in TABLES[name].names if c in frame.columns]
        frame.select(columns).write_csv(out / TABLES[name].file, datetime_format="%Y-%m-%dT%H:%M")


def rows_frame(rows: Sequence[tuple[Any, ...]], columns: str) -> pl.DataFrame:
    """A frame from row tuples, columns named by a space-separated list."""
    return pl.DataFrame(rows, schema=columns.split(), orient="row", infer_schema_length=None)
