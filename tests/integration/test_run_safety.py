"""Runs on the database are safe: one at a time across processes, and a run killed mid-way
leaves the previous results intact and is recorded as failed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from promiseplan.dataset.load import load_dataset
from promiseplan.generate import generate
from promiseplan.pipeline import run_stored
from promiseplan.store import (
    RunInProgress,
    import_dataset,
    list_runs,
    planning_lock,
    upgrade,
)
from promiseplan.store.runs import run_outputs
from tests.conftest import WORKED_EXAMPLE

PROMISEPLAN = [sys.executable, "-m", "promiseplan.cli"]


def _slow_dataset(engine: sa.Engine, tmp_path: Path) -> None:
    """A flower shop big enough that a run takes a few seconds."""
    generate("flowers", tmp_path / "flowers", 600, seed=5)
    import_dataset(engine, load_dataset(tmp_path / "flowers"))


def _db_run(url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*PROMISEPLAN, "db", "run", "--now", "2026-03-03T10:00", "--database", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_second_run_is_refused_while_one_holds_the_lock(database: tuple[sa.Engine, str]) -> None:
    engine, _ = database
    upgrade(engine)
    import_dataset(engine, load_dataset(WORKED_EXAMPLE))
    with planning_lock(engine), pytest.raises(RunInProgress):
        run_stored(engine, "2026-06-02T10:00", 120)
    assert list_runs(engine) == []
    run_stored(engine, "2026-06-02T10:00", 120)  # free again afterwards
    assert [r["status"] for r in list_runs(engine)] == ["succeeded"]


def test_two_planners_started_at_once_give_one_run(
    database: tuple[sa.Engine, str], tmp_path: Path
) -> None:
    engine, url = database
    upgrade(engine)
    _slow_dataset(engine, tmp_path)
    planners = [_db_run(url), _db_run(url)]
    codes = sorted(p.wait(timeout=300) for p in planners)
    outputs = [p.communicate() for p in planners]
    assert codes == [0, 3], outputs
    assert any("another planning run is in progress" in err for _, err in outputs)
    assert [r["status"] for r in list_runs(engine)] == ["succeeded"]


def test_a_run_killed_midway_leaves_the_previous_results(
    database: tuple[sa.Engine, str], tmp_path: Path
) -> None:
    engine, url = database
    upgrade(engine)
    import_dataset(engine, load_dataset(WORKED_EXAMPLE))
    first, _ = run_stored(engine, "2026-06-02T10:00", 120)
    before = run_outputs(engine, first)
    _slow_dataset(engine, tmp_path)
    planner = _db_run(url)
    deadline = time.monotonic() + 120
    while not any(r["status"] == "running" for r in list_runs(engine)):
        assert planner.poll() is None, planner.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(planner.pid, signal.SIGKILL)
    planner.wait()
    after = run_outputs(engine, first)
    for name, frame in before.items():
        assert after[name].equals(frame), name
    assert [r["status"] for r in list_runs(engine)] == ["succeeded", "running"]
    run_stored(engine, "2026-03-03T10:00", 60)  # the lock was released with the killed process
    runs = list_runs(engine)
    assert [r["status"] for r in runs] == ["succeeded", "failed", "succeeded"]
    assert "interrupted" in runs[1]["error"]
