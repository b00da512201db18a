"""Property-based tests: on random small networks every plan keeps planning.md's guarantees."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from promiseplan.check import check_tables
from promiseplan.dataset.load import load_dataset
from promiseplan.engine.reference import plan
from promiseplan.model.build import build_problem
from promiseplan.pipeline import resolve_settings
from tests.strategies import datasets


def _plan(files: dict[str, str]):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf8")
        dataset = load_dataset(folder)
    run_settings = resolve_settings(dataset)
    return dataset, run_settings, plan(build_problem(dataset, run_settings))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_every_plan_keeps_the_guarantees(files: dict[str, str]) -> None:
    dataset, run_settings, result = _plan(files)
    assert check_tables(dataset, run_settings, result.tables) == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_same_dataset_same_plan(files: dict[str, str]) -> None:
    first = _plan(files)[2]
    second = _plan(files)[2]
    for name, table in first.tables.items():
        assert table.equals(second.tables[name]), name
