"""Whatever sequence of edits planners send, the stored data stays a valid dataset: an edit is
either applied whole or refused with nothing changed (hypothesis, SQLite and PostgreSQL)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import polars as pl
import sqlalchemy as sa
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from promiseplan.dataset.issues import DatasetError
from promiseplan.dataset.load import load_dataset
from promiseplan.generate.tables import write_tables
from promiseplan.store import export_dataset, import_dataset, upgrade
from promiseplan.store.edits import Edit, edit_table
from tests.conftest import WORKED_EXAMPLE

ITEMS = st.sampled_from(["MUG", "TEA", "CANDLE", "WAX", "VASE"])
LOCATIONS = st.sampled_from(["A", "B"])
NUMBERS = st.one_of(st.integers(-3, 50), st.sampled_from(["x", "", "2.5"]))

ROWS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "items": st.fixed_dictionaries(
        {"item": ITEMS},
        optional={
            "kind": st.sampled_from(["product", "component", "gadget"]),
            "unit_cost": NUMBERS,
        },
    ),
    "locations": st.fixed_dictionaries(
        {
            "location": LOCATIONS,
            "kind": st.sampled_from(["warehouse", "factory", "moon"]),
            "region": st.sampled_from(["EAST", "WEST"]),
        },
        optional={"cutoff_hour": NUMBERS},
    ),
    "inventory": st.fixed_dictionaries({"item": ITEMS, "location": LOCATIONS, "on_hand": NUMBERS}),
    "bom": st.fixed_dictionaries(
        {"item": ITEMS, "location": LOCATIONS, "component": ITEMS, "quantity_per": NUMBERS}
    ),
    "order_lines": st.fixed_dictionaries(
        {
            "order": st.sampled_from(["X", "Y", "Q"]),
            "line": st.sampled_from(["1", "2"]),
            "item": ITEMS,
            "quantity": NUMBERS,
        }
    ),
}
KEYS = {
    "items": ("item",),
    "locations": ("location",),
    "inventory": ("item", "location"),
    "bom": ("item", "location", "component"),
    "order_lines": ("order", "line"),
}


@st.composite
def edits(draw: st.DrawFn) -> tuple[str, Edit]:
    table = draw(st.sampled_from(sorted(ROWS)))
    upsert = draw(st.lists(ROWS[table], max_size=3))
    delete = [
        {k: str(row[k]) for k in KEYS[table]} for row in draw(st.lists(ROWS[table], max_size=2))
    ]
    return table, Edit(upsert=upsert, delete=delete)


def _stored(engine: sa.Engine) -> dict[str, pl.DataFrame]:
    return export_dataset(engine)


def _valid(tables: dict[str, pl.DataFrame]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        write_tables(tables, Path(folder))  # as `db export` writes them
        load_dataset(Path(folder))  # raises DatasetError when the stored data is not valid


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(edits(), min_size=1, max_size=5))
def test_edits_keep_the_stored_data_a_valid_dataset(
    database: tuple[sa.Engine, str], steps: list[tuple[str, Edit]]
) -> None:
    engine, _ = database
    upgrade(engine)
    import_dataset(engine, load_dataset(WORKED_EXAMPLE))
    for table, edit in steps:
        before = _stored(engine)
        try:
            edit_table(engine, table, edit)
        except DatasetError as error:
            event(f"{table}: refused")
            assert error.issues
            after = _stored(engine)
            assert before.keys() == after.keys()
            assert all(before[name].equals(after[name]) for name in before), table
            continue
        event(f"{table}: applied")
        _valid(_stored(engine))
