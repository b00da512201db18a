"""One planning run end to end: read and validate a dataset, plan, write the outputs.

This is the place where files and the clock meet the pure engine.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

from promiseplan.dataset.load import Dataset, load_dataset
from promiseplan.dataset.read import ROW
from promiseplan.dataset.write import write_outputs
from promiseplan.engine.plan import Plan
from promiseplan.engine.reference import plan as reference_plan
from promiseplan.machine_code import Readiness, Stage, prepare
from promiseplan.model.build import build_problem
from promiseplan.model.settings import PRIORITY_KEYS, Settings, parse_now

Progress = Callable[[int, int], None]

ENGINES = ("auto", "fast", "reference")
FAST_FROM_LINES = 20_000
"""``auto`` plans with the fast engine from this many order lines on: below it the reference
engine is done before the fast one would have loaded its compiled code (the first run on a
machine compiles it, about a minute, and caches it)."""


def plans_fast(dataset: Dataset, engine: str) -> bool:
    """Whether ``engine`` (one of ENGINES) plans ``dataset`` with the fast engine."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine '{engine}'; choose one of {', '.join(ENGINES)}")
    return engine == "fast" or (
        engine == "auto" and dataset["order_lines"].height >= FAST_FROM_LINES
    )


def fast_engine_ready(dataset: Dataset, engine: str, stage: Stage | None) -> Readiness | None:
    """Loads (or compiles) the fast engine's machine code when ``engine`` plans ``dataset``
    with it; None when the reference engine plans it."""
    return prepare(stage) if plans_fast(dataset, engine) else None


def plan_dataset(
    dataset: Dataset,
    settings: Settings,
    progress: Progress | None = None,
    engine: str = "auto",
    seconds: dict[str, float] | None = None,
    stage: Stage | None = None,
) -> Plan:
    """Build the problem and plan it with the chosen engine; both engines give the same plan
    (tests compare them). The times of getting the fast engine's machine code ready (when it
    plans), of building the problem and of planning go to ``seconds``; ``stage`` hears what
    is being done."""
    timing = {} if seconds is None else seconds
    ready = fast_engine_ready(dataset, engine, stage)
    if ready is not None:
        timing[ready.phase] = ready.seconds
    if stage is not None:
        stage("planning orders")
    mark = time.perf_counter()
    with fewer_collections():
        if ready is not None:
            from promiseplan.engine.fast import plan_book
            from promiseplan.engine.fast.book import book_from_dataset

            # the order book is built beside the network (mostly in polars) and waited for
            # once the network is indexed: its time counts in the plan's
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="book") as helper:
                ordered = helper.submit(book_from_dataset, dataset, settings)
                network = build_problem(dataset, settings, with_orders=False)
                timing["build problem"] = time.perf_counter() - mark
                plan = plan_book(network, ordered.result, progress)
        else:
            problem = build_problem(dataset, settings)
            timing["build problem"] = time.perf_counter() - mark
            plan = reference_plan(problem, progress)
    timing["plan"] = time.perf_counter() - mark - timing["build problem"]
    return plan


@contextmanager
def fewer_collections() -> Iterator[None]:
    """A run makes millions of short-lived objects that form no cycles; with Python's default
    threshold (700 allocations) the cycle collector walks them so often that it costs about
    a tenth of the run."""
    before = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@dataclass
class RunResult:
    dataset: Dataset
    settings: Settings
    plan: Plan
    seconds: dict[str, float] = field(default_factory=dict)


def resolve_settings(
    dataset: Dataset,
    now: str | None = None,
    horizon_days: int | None = None,
    clock: Callable[[], datetime] = datetime.now,
) -> Settings:
    """Options given on the command line win over ``settings.toml``; ``now`` defaults to the clock."""
    given = dataset.settings.get("now")
    if now is not None:
        moment = parse_now(now)
    elif isinstance(given, datetime):
        moment = given
    elif isinstance(given, str):
        moment = parse_now(given)
    else:
        moment = clock().replace(second=0, microsecond=0)
    horizon = (
        horizon_days
        if horizon_days is not None
        else int(str(dataset.settings.get("horizon_days", 120)))
    )
    keys = dataset.settings.get("priority_keys", PRIORITY_KEYS)
    return Settings(
        moment,
        horizon,
        tuple(str(k) for k in keys) if isinstance(keys, list | tuple) else PRIORITY_KEYS,
    )


def run(
    source: Path,
    out: Path | None,
    now: str | None = None,
    horizon_days: int | None = None,
    progress: Progress | None = None,
    engine: str = "auto",
    stage: Stage | None = None,
) -> RunResult:
    """Plan ``source`` and write the outputs to ``out`` (nothing is written when anything fails)."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    with fewer_collections():
        dataset = load_dataset(source, seconds)
    settings = resolve_settings(dataset, now, horizon_days)
    result = plan_dataset(dataset, settings, progress, engine, seconds, stage)
    if out is not None:
        mark = time.perf_counter()
        result.kpis["run_seconds"] = round(time.perf_counter() - started, 3)
        write_outputs(out, result.tables, result.kpis)
        seconds["write"] = time.perf_counter() - mark
    result.kpis["run_seconds"] = round(time.perf_counter() - started, 3)
    return RunResult(dataset, settings, result, seconds)


def run_stored(
    engine: Any,
    now: str | None = None,
    horizon_days: int | None = None,
    progress: Progress | None = None,
    engine_choice: str = "auto",
    stage: Stage | None = None,
) -> tuple[int, RunResult]:
    """Plan the database's current snapshot and store the run with all its outputs in one
    transaction. Only one run at a time (RunInProgress otherwise); a run that fails is recorded
    as failed and the earlier runs stay as they were."""
    from promiseplan.store import (
        load_snapshot,
        planning_lock,
        record_failed_run,
        record_run,
        start_run,
    )
    from promiseplan.store.runs import ProgressRecorder, last_promises

    with planning_lock(engine):
        started_at = datetime.now()
        seconds: dict[str, float] = {}
        mark = time.perf_counter()
        dataset = with_last_promises(load_snapshot(engine), last_promises(engine))
        seconds["read snapshot"] = time.perf_counter() - mark
        settings = resolve_settings(dataset, now, horizon_days)
        run_id = start_run(engine, settings, started_at)
        recorder = ProgressRecorder(engine, run_id)

        def report(done: int, total: int) -> None:
            recorder(done, total)
            if progress is not None:
                progress(done, total)

        try:
            mark = time.perf_counter()
            result = plan_dataset(dataset, settings, report, engine_choice, seconds, stage)
            result.kpis["run_seconds"] = round(time.perf_counter() - mark, 3)
            mark = time.perf_counter()
            record_run(engine, run_id, result, datetime.now())
            seconds["store"] = time.perf_counter() - mark
        except BaseException as error:
            record_failed_run(engine, run_id, f"{type(error).__name__}: {error}")
            raise
    return run_id, RunResult(dataset, settings, result, seconds)


def with_last_promises(dataset: Dataset, promises: Any) -> Dataset:
    """Without promises of its own, a stored run keeps the promises of the last run stable."""
    if dataset.has_promises or promises is None:
        return dataset
    rows = promises.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
    return Dataset({**dataset.tables, "promises": rows}, dataset.settings, has_promises=True)
