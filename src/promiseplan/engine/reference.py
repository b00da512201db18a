"""The reference engine: the rules of planning.md in plain Python, one order after another."""

from __future__ import annotations

from collections.abc import Callable

from promiseplan.engine.orders import OrderPlanner, ScheduleLine
from promiseplan.engine.plan import Plan, assemble
from promiseplan.engine.state import State
from promiseplan.engine.supply import Sourcing
from promiseplan.engine.ways import Ways
from promiseplan.model.problem import Order, Problem

Progress = Callable[[int, int], None]


class Run:
    """A run in the making: every open order decided in priority order; afterwards its state
    answers what one more order could be promised (``promise``) without changing."""

    def __init__(self, problem: Problem, progress: Progress | None = None) -> None:
        self.problem = problem
        self.state = State(problem)
        sourcing = Sourcing(problem, self.state)
        self.planner = OrderPlanner(problem, Ways(problem, self.state, sourcing), sourcing)
        self.rows: list[ScheduleLine] = []
        total = len(problem.orders)
        for done, order in enumerate(problem.orders, start=1):
            sourcing.forget()  # memory stays flat; earlier orders' entries are not hit again
            self.state.settle()  # a decided order is never taken back
            self.rows += self.planner.plan(order)
            if progress is not None and (done % 500 == 0 or done == total):
                progress(done, total)

    def plan(self) -> Plan:
        return assemble(self.problem, self.state, self.rows)

    def promise(self, order: Order) -> list[ScheduleLine]:
        """The schedule lines ``order`` would get if it were decided now, after every order of
        the run, by the same rules; the state is left exactly as it was."""
        mark = self.state.checkpoint()
        try:
            return self.planner.plan(order)
        finally:
            self.state.rollback(mark)


def plan(problem: Problem, progress: Progress | None = None) -> Plan:
    """Decide every open order in priority order and derive the plans. Pure: no I/O, no clock."""
    return Run(problem, progress).plan()
