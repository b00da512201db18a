"""The online promise answers for one more order what a full run would give it had it been
decided last, and leaves the state of the run exactly as it was."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import cast

import numpy as np
import polars as pl
import pytest

from promiseplan.dataset.load import Dataset, load_dataset
from promiseplan.dataset.read import ROW
from promiseplan.engine.fast.online import FastRun
from promiseplan.engine.reference import plan
from promiseplan.generate import generate
from promiseplan.model.build import build_problem
from promiseplan.online import ONLINE_ORDER, Promiser, Request
from promiseplan.pipeline import plan_dataset, resolve_settings
from tests.conftest import WORKED_EXAMPLE

CASES = [("flowers", 120, 1), ("electronics", 60, 2), ("scale", 400, 3)]


def _with_order(dataset: Dataset, request: Request, created: object) -> Dataset:
    """The dataset with ``request`` as an order of its own, exactly as Promiser builds it."""
    orders = dataset["orders"]
    new_order = pl.DataFrame(
        {
            ROW: [orders.height + 2],
            "order": [ONLINE_ORDER],
            "customer": [request.customer],
            "created_at": [created],
            "requested_date": [request.requested_date],
            "ship_complete": [request.ship_complete],
            "priority": [request.priority],
            "max_lateness_days": [None],
            "modes": [request.modes],
        },
        schema=orders.schema,
    )
    lines = dataset["order_lines"]
    new_lines = pl.DataFrame(
        {
            ROW: [lines.height + 2 + i for i in range(len(request.lines))],
            "order": [ONLINE_ORDER] * len(request.lines),
            "line": [str(i) for i in range(1, len(request.lines) + 1)],
            "item": [item for item, _ in request.lines],
            "quantity": [q for _, q in request.lines],
        },
        schema=lines.schema,
    )
    tables = {
        **dataset.tables,
        "orders": pl.concat([orders, new_order]),
        "order_lines": pl.concat([lines, new_lines]),
    }
    return Dataset(tables, dataset.settings, dataset.has_promises)


def _requests(dataset: Dataset, count: int, seed: int) -> list[Request]:
    rng = random.Random(seed)
    products = (
        dataset["items"].filter(pl.col("kind") == "product")["item"].to_list()
        or dataset["items"]["item"].to_list()
    )
    customers = dataset["customers"]["customer"].to_list()
    priorities = [*dataset["orders"]["priority"].drop_nulls(), *dataset["customers"]["priority"]]
    last = max(priorities, default=0) + 1
    requests = []
    for _ in range(count):
        lines = tuple((rng.choice(products), rng.randint(1, 40)) for _ in range(rng.randint(1, 3)))
        requests.append(
            Request(
                rng.choice(customers),
                tuple(dict(lines).items()),  # one line per item, as a shop would send it
                ship_complete=rng.random() < 0.6,
                priority=last,  # decided after every order of the dataset
            )
        )
    return requests


def _check(
    dataset: Dataset,
    requests: list[Request],
    engine: str = "reference",
    after_run: Callable[[Promiser], None] | None = None,
) -> None:
    settings = resolve_settings(dataset)
    promiser = Promiser(dataset, settings, engine=engine)
    if after_run is not None:
        after_run(promiser)
    before = promiser.run.plan().tables
    created = settings.now + timedelta(minutes=1)
    for request in requests:
        answer = promiser.promise(request, created)
        full = plan(build_problem(_with_order(dataset, request, created), settings)).tables
        mine = full["confirmations"].filter(pl.col("order") == ONLINE_ORDER).drop("order")
        assert answer.schedule == mine.to_dicts(), request
        row = full["orders"].filter(pl.col("order") == ONLINE_ORDER).row(0, named=True)
        assert (answer.status, answer.promised_date, answer.reason) == (
            row["status"],
            row["promised_date"],
            row["reason"],
        )
    after = promiser.run.plan().tables
    for name, frame in before.items():
        assert frame.equals(after[name]), name


@pytest.mark.parametrize("engine", ["reference", "fast"])
@pytest.mark.parametrize(("name", "size", "seed"), CASES, ids=[c[0] for c in CASES])
def test_online_promises_equal_a_full_run(
    tmp_path: Path, name: str, size: int, seed: int, engine: str
) -> None:
    generate(name, tmp_path, size, seed)
    dataset = load_dataset(tmp_path)
    _check(dataset, _requests(dataset, 6, seed), engine)


@pytest.mark.parametrize("engine", ["reference", "fast"])
def test_online_promise_on_the_worked_example(engine: str) -> None:
    dataset = load_dataset(WORKED_EXAMPLE)
    _check(dataset, _requests(dataset, 8, 7), engine)
    promiser = Promiser(dataset, resolve_settings(dataset))
    with pytest.raises(ValueError, match="unknown item 'NOPE'"):
        promiser.promise(Request("C1", (("NOPE", 1),)))
    with pytest.raises(ValueError, match="unknown customer"):
        promiser.promise(Request("C9", (("MUG", 1),)))


def test_the_service_answers_from_a_worker_of_the_newest_run(
    database: tuple[object, str],
) -> None:
    from datetime import datetime

    import sqlalchemy as sa

    from promiseplan.pipeline import run_stored
    from promiseplan.service.clock import clock_from
    from promiseplan.service.promiser import LivePromiser
    from promiseplan.store import import_dataset, upgrade

    engine = database[0]
    assert isinstance(engine, sa.Engine)
    upgrade(engine)
    dataset = load_dataset(WORKED_EXAMPLE)
    import_dataset(engine, dataset)
    live = LivePromiser(engine, clock_from(datetime(2026, 6, 2, 10, 0)))
    try:
        assert live.current(wait=30) is None  # no run yet
        run_stored(engine, now="2026-06-02T10:00")
        worker = live.current(wait=60)
        assert worker is not None and worker.run_id == 1
        question = Request("C1", (("MUG", 5), ("TEA", 10)))
        # the same answer as a promiser built here from the same data and the run's promises
        expected = Promiser(
            with_promises(dataset, engine), resolve_settings(dataset, "2026-06-02T10:00")
        ).promise(question)
        assert worker.promise(question) == expected
        with pytest.raises(ValueError, match="unknown item"):
            worker.promise(Request("C1", (("NOPE", 1),)))
        run_stored(engine, now="2026-06-02T10:00")
        newer = live.current(wait=60)
        assert newer is not None and newer.run_id == 2 and not worker.process.is_alive()
    finally:
        live.stop()


def with_promises(dataset: Dataset, engine: object) -> Dataset:
    import sqlalchemy as sa

    from promiseplan.pipeline import with_last_promises
    from promiseplan.store.runs import last_promises

    assert isinstance(engine, sa.Engine)
    return with_last_promises(dataset, last_promises(engine))


def test_building_the_fast_promiser_leaves_the_plan_of_the_run(tmp_path: Path) -> None:
    """Building it decides the spare order once, empty, to load the compiled promise before
    the first question: the state after it is the full run's."""
    generate("electronics", tmp_path, 60, 2)
    dataset = load_dataset(tmp_path)
    settings = resolve_settings(dataset)
    promiser = Promiser(dataset, settings, engine="fast")
    expected = plan_dataset(dataset, settings, engine="fast").tables
    built = promiser.run.plan().tables
    for name, frame in expected.items():
        assert frame.equals(built[name]), name


@pytest.mark.parametrize("outgrown", ["by the run", "by a question"])
def test_online_promises_on_64_bit_rows_of_stock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, outgrown: str
) -> None:
    """A run, or a question, that outgrows 32-bit rows of stock is decided again on 64-bit
    rows, and answers as a full run does."""
    from promiseplan.engine.fast import state as fast_state

    runs: list[FastRun] = []

    def no_room_left(promiser: Promiser) -> None:
        runs.append(cast(FastRun, promiser.run))
        state = runs[0].state
        assert fast_state.stock_rows(state).dtype == np.int32
        monkeypatch.setattr(fast_state, "NARROW_UNITS", int(state.counts[fast_state.UNITS]))

    if outgrown == "by the run":
        monkeypatch.setattr(fast_state, "NARROW_UNITS", 0)
    generate("electronics", tmp_path, 40, 3)
    dataset = load_dataset(tmp_path)
    _check(
        dataset,
        _requests(dataset, 4, 3),
        "fast",
        no_room_left if outgrown != "by the run" else None,
    )
