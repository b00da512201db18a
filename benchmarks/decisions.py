"""The fast engine's compiled decisions alone: their time and a digest of what they decided.

    .venv/bin/python benchmarks/decisions.py [--lines 100000] [--reps 3]

Builds the problem of a `scale` dataset (generated once into benchmarks/data/scale-N, seed 1),
then decides every order from a new state, chunk by chunk as a run does, without writing the
reasons or the tables, --reps times; prints the time of each repetition (and the CPU time of
the deciding thread: on a virtual machine, time the host gives to others is not in it), the
shortest, and a digest of the decided rows. Two versions of the engine that decide alike print
the same digest, so a change meant to be faster without changing any decision can be checked on
large datasets (run the code before with PYTHONPATH pointing at its checkout). On a shared
virtual machine, compare versions only in alternating runs: the same code varies by 10 % or
more within minutes, in CPU time as much as in wall time (the memory, not the host's other
guests taking turns on the processor).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from benchmark_data import dataset_folder

from promiseplan.dataset.load import load_dataset
from promiseplan.engine.fast import chunked
from promiseplan.engine.fast.arrays import Array, Indexed, index_problem
from promiseplan.engine.fast.book import book_from_dataset
from promiseplan.engine.fast.decide import decide_orders
from promiseplan.engine.fast.state import State, new_state, reference
from promiseplan.model.build import build_problem
from promiseplan.pipeline import resolve_settings


def prepare(lines: int) -> tuple[Indexed, list[tuple[int, int]]]:
    """The indexed problem of the `scale` dataset of ``lines`` order lines (generated once) and
    its chunks of orders as a run decides them, with the compiled code loaded."""
    dataset = load_dataset(dataset_folder(str(lines)))
    settings = resolve_settings(dataset)
    network = build_problem(dataset, settings, with_orders=False)
    book = book_from_dataset(dataset, settings)
    indexed = index_problem(network, book)
    decide_orders(indexed.ref, reference(new_state(indexed.arrays, 1, indexed.arrivals[:0])), 0, 0)
    return indexed, chunked(len(book))


def fresh_state(indexed: Indexed) -> State:
    """The state before any decision, as the compiled code reads it."""
    return reference(new_state(indexed.arrays, indexed.item_locations, indexed.arrivals))


def decide_on_signal(
    lines: int, signals: Path, before_ready: Callable[[], None] = lambda: None
) -> list[Array]:
    """For a process that another one measures (`instructions.py`, `profile.py`): prepare the
    problem of ``lines``, call ``before_ready``, write ``signals/ready`` (this process's id),
    wait for ``signals/go``, decide every order chunk by chunk and write ``signals/done`` (the
    seconds it took); the decided rows of each chunk."""
    indexed, chunks = prepare(lines)
    state = fresh_state(indexed)
    before_ready()
    (signals / "ready").write_text(str(os.getpid()))
    while not (signals / "go").exists():
        time.sleep(0.05)
    started = time.perf_counter()
    decided = [decide_orders(indexed.ref, state, first, stop)[0] for first, stop in chunks]
    (signals / "done").write_text(f"{time.perf_counter() - started:.3f}")
    return decided


def parse_or_run_child(
    parser: argparse.ArgumentParser, child: Callable[[int, Path], None]
) -> argparse.Namespace | None:
    """The arguments of a script that measures a child process of its own (``--lines``, and
    ``--child FOLDER`` in the child); in the child, runs ``child(lines, folder)`` and gives
    None."""
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child is None:
        return arguments
    child(arguments.lines, arguments.child)
    return None


def wait_for(path: Path, process: subprocess.Popen[bytes]) -> None:
    """Until ``path`` exists; stops with a message if ``process`` ends first."""
    while not path.exists():
        if process.poll() is not None:
            raise SystemExit(f"the measured process ended early (exit {process.returncode})")
        time.sleep(0.1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=3)
    arguments = parser.parse_args()
    started = time.perf_counter()
    indexed, chunks = prepare(arguments.lines)
    print(f"problem built and compiled code loaded in {time.perf_counter() - started:.2f} s")
    times, cpu_times = [], []
    for _ in range(arguments.reps):
        state = fresh_state(indexed)
        digest = hashlib.sha256()
        started, cpu = time.perf_counter(), time.thread_time()
        for first, stop in chunks:
            digest.update(decide_orders(indexed.ref, state, first, stop)[0].tobytes())
        times.append(time.perf_counter() - started)
        cpu_times.append(time.thread_time() - cpu)
        print(
            f"{arguments.lines} lines: {times[-1]:.3f} s (cpu {cpu_times[-1]:.3f} s), "
            f"rows {digest.hexdigest()[:16]}"
        )
    print(f"shortest of {arguments.reps}: {min(times):.3f} s (cpu {min(cpu_times):.3f} s)")


if __name__ == "__main__":
    main()
