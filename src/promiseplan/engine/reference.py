"""The reference engine: the rules of planning.md in plain Python, one order after another."""

from __future__ import annotations

from collections.abc import Callable

from promiseplan.engine.orders import OrderPlanner, ScheduleLine
from promiseplan.engine.plan import Plan, assemble
from promiseplan.engine.state import State
from promiseplan.engine.supply import Sourcing
from promiseplan.engine.ways import Ways
from promiseplan.model.problem import Problem

Progress = Callable[[int, int], None]


def plan(problem: Problem, progress: Progress | None = None) -> Plan:
    """Decide every open order in priority order and derive the plans. Pure: no I/O, no clock."""
    state = State(problem)
    sourcing = Sourcing(problem, state)
    planner = OrderPlanner(problem, Ways(problem, state, sourcing), sourcing)
    rows: list[ScheduleLine] = []
    total = len(problem.orders)
    for done, order in enumerate(problem.orders, start=1):
        rows += planner.plan(order)
        if progress is not None and (done % 500 == 0 or done == total):
            progress(done, total)
    return assemble(problem, state, rows)
