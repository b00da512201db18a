"""Where the time of one end-to-end run goes, thread by thread.

    .venv/bin/python benchmarks/timeline.py [--lines 1000000] [--engine fast]

Runs `promiseplan run` on the `scale` dataset of --lines order lines (generated once into
benchmarks/data/scale-N, seed 1) in this process, with its steps wrapped: for each step, the
thread it ran in, when it started and ended (seconds from the start of the run), and the CPU time
and minor page faults of the whole process meanwhile. The compiled decisions run in a thread of
their own beside the tables of the chunk before; their calls are summed into one line, as are
the tables'. Tells the critical path of a run from the work hidden beside it.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmark_data import dataset_folder

import promiseplan.engine.fast as fast
import promiseplan.engine.fast.book as book
import promiseplan.engine.fast.plans as plans
import promiseplan.engine.fast.reasons as reasons
import promiseplan.engine.fast.tables as tables
from promiseplan import pipeline
from promiseplan.dataset import write


class Steps:
    """Wall-clock spans, CPU time and page faults of wrapped calls, by step and thread."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.spans: dict[tuple[str, str], list[tuple[float, float, float, int]]] = defaultdict(list)
        self.lock = threading.Lock()

    def wrap(
        self, owner: Any, name: str, step: str, detail: Callable[..., str] | None = None
    ) -> None:
        """Time every call of ``owner.name`` as ``step`` (followed by ``detail`` of the call's
        arguments, where given)."""
        original: Callable[..., Any] = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            begin, cpu, faults = time.perf_counter(), *_usage()
            try:
                return original(*args, **kwargs)
            finally:
                end, cpu_end, faults_end = time.perf_counter(), *_usage()
                with self.lock:
                    named = step if detail is None else f"{step} {detail(*args, **kwargs)}"
                    self.spans[named, threading.current_thread().name].append(
                        (
                            begin - self.started,
                            end - self.started,
                            cpu_end - cpu,
                            faults_end - faults,
                        )
                    )

        setattr(owner, name, timed)

    def report(self) -> None:
        print(
            f"{'step':<28}{'thread':<14}{'calls':>6}{'from':>8}{'to':>8}{'busy':>8}{'cpu':>8}"
            f"{'faults':>9}"
        )
        for (step, thread), spans in sorted(self.spans.items(), key=lambda s: s[1][0][0]):
            busy = sum(end - begin for begin, end, _, _ in spans)
            cpu = sum(s[2] for s in spans)
            faults = sum(s[3] for s in spans)
            print(
                f"{step:<28}{thread[:13]:<14}{len(spans):>6}{spans[0][0]:>8.2f}"
                f"{spans[-1][1]:>8.2f}{busy:>8.2f}{cpu:>8.2f}{faults:>9}"
            )


def _usage() -> tuple[float, int]:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime, used.ru_minflt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--engine", default="fast")
    options = parser.parse_args()
    data = dataset_folder(str(options.lines))
    # the compiled code is loaded before the run, as a service that runs every two hours has it
    with tempfile.TemporaryDirectory() as out:
        pipeline.run(
            Path(pipeline.__file__).parent / "examples" / "flowers", Path(out), engine="fast"
        )
    steps = Steps()
    steps.wrap(pipeline, "load_dataset", "read and validate")
    steps.wrap(pipeline, "build_problem", "build network")
    steps.wrap(book, "book_from_dataset", "build order book")
    steps.wrap(fast, "index_network", "index network")
    steps.wrap(fast, "index_orders", "index orders")
    steps.wrap(fast, "decide_orders", "decisions")
    steps.wrap(fast.Tables, "add", "tables of a chunk")
    steps.wrap(reasons.Reasons, "write", "  reasons")
    steps.wrap(tables.Schedule, "add", "  schedule rows")
    steps.wrap(plans.SupplyPlans, "add", "  supply rows")
    steps.wrap(fast.Tables, "plan", "tail: plans and tables")
    steps.wrap(plans.SupplyPlans, "tables", "  supply plans")
    steps.wrap(tables, "sorted_by", "  deliveries sorted")
    steps.wrap(tables, "_orders", "  orders")
    steps.wrap(pipeline, "write_outputs", "write")
    steps.wrap(write, "_write_csv", " ", lambda folder, name, frame: name)
    with tempfile.TemporaryDirectory() as out:
        begin, cpu, faults = time.perf_counter(), *_usage()
        pipeline.run(data, Path(out), engine=options.engine)
        end, cpu_end, faults_end = time.perf_counter(), *_usage()
    steps.report()
    print(f"run: {end - begin:.2f} s, cpu {cpu_end - cpu:.2f} s, {faults_end - faults} page faults")


if __name__ == "__main__":
    main()
