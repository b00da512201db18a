"""Writing the outputs of a run: all files appear together or not at all."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any, cast

import polars as pl

from promiseplan.dataset.direct import DirectFile


def write_outputs(out: Path, tables: dict[str, pl.DataFrame], kpis: dict[str, Any]) -> None:
    """Write every table as CSV plus ``kpis.json`` into ``out``.

    The files are written into a fresh folder beside ``out`` and moved into place only when all
    of them are written, so a failed run leaves nothing half written. Two tables are written
    at a time (polars writes without holding the interpreter's lock).
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        largest_first = sorted(tables.items(), key=lambda table: -table[1].estimated_size())
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="write") as writers:
            for written in [writers.submit(_write_csv, staging, *table) for table in largest_first]:
                written.result()
        (staging / "kpis.json").write_text(
            json.dumps(kpis, indent=2, sort_keys=True) + "\n", encoding="utf8"
        )
        _replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _write_csv(folder: Path, name: str, frame: pl.DataFrame) -> None:
    with DirectFile(folder / f"{name}.csv") as file:
        frame.write_csv(cast(IO[bytes], file), date_format="%Y-%m-%d", float_precision=None)


def _replace(staging: Path, out: Path) -> None:
    if not out.exists():
        os.replace(staging, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
    os.replace(out, old / "previous")
    try:
        os.replace(staging, out)
    except BaseException:
        os.replace(old / "previous", out)
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)


def write_workbook(path: Path, tables: dict[str, pl.DataFrame]) -> None:
    """One sheet per table, as dataset.md describes the Excel form."""
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    with xlsxwriter.Workbook(str(path)) as workbook:
        for name, frame in tables.items():
            frame.write_excel(workbook, worksheet=name)
