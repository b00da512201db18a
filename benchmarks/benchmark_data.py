"""The datasets the benchmarks plan, made once into benchmarks/data and reused: `scale` datasets
of a number of order lines (seed 1) and frePPLe's demo models converted (`promiseplan import
frepple`, their open demands, else all) from ../shared/data/frepple or PROMISEPLAN_FREPPLE_DATA."""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path

HERE = Path(__file__).parent
FREPPLE = Path(
    os.environ.get("PROMISEPLAN_FREPPLE_DATA", HERE.parent.parent / "shared" / "data" / "frepple")
)
FREPPLE_MODELS = {
    "frepple-distribution": "distribution_demo",
    "frepple-manufacturing": "manufacturing_demo",
}


def dataset_folder(name: str) -> Path:
    """The dataset ``name`` (order lines of a `scale` dataset, or one of FREPPLE_MODELS), made
    once into benchmarks/data: written into a folder of its own and renamed when complete, so
    that an interrupted run leaves no half-written dataset to be reused."""
    data = HERE / "data" / (name if name in FREPPLE_MODELS else f"scale-{name}")
    if data.is_dir():
        return data
    from promiseplan.generate.tables import write_tables

    part = data.with_name(f"{data.name}.part")
    shutil.rmtree(part, ignore_errors=True)
    if name in FREPPLE_MODELS:
        from promiseplan.importers.frepple import convert, read_fixture

        fixture = FREPPLE / f"{FREPPLE_MODELS[name]}.json"
        if not fixture.is_file():
            raise SystemExit(f"no frePPLe model at {fixture} (set PROMISEPLAN_FREPPLE_DATA)")
        write_tables(convert(read_fixture(fixture)).tables, part)
    else:
        from promiseplan.generate import generate

        generate("scale", part, int(name), seed=1)
    part.rename(data)
    return data


def dataset_name(text: str) -> str:
    """A command-line dataset: a number of order lines or the name of a frePPLe demo model."""
    if text in FREPPLE_MODELS or (text.isdigit() and int(text) > 0):
        return text
    names = ", ".join(FREPPLE_MODELS)
    raise argparse.ArgumentTypeError(f"'{text}' is neither a number of order lines nor {names}")
