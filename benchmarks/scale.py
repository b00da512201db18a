"""Plan `scale` datasets (and frePPLe's demo models) end to end and print the time of each phase,
the peak memory and the I/O floor.

    .venv/bin/python benchmarks/scale.py 125000 250000 500000 1000000 [--engine fast]
        [--runs N] [--record FILE LABEL]
    .venv/bin/python benchmarks/scale.py frepple-distribution frepple-manufacturing

Datasets are made once into benchmarks/data and reused (`benchmark_data.py`: scale-N, seed 1;
frepple-NAME converted from ../shared/data/frepple). Each dataset runs in a fresh process, so
its peak resident memory is its own. The I/O floor is measured in the same
process after the run: reading every input file with polars and writing the run's output tables
again with polars (same rows, same sizes); run / floor is the figure to drive down. With --runs N,
each dataset runs N times, each in a fresh process, and the run of median time is the one that
counts (growth, --record): on a shared virtual machine one run says little. The time
growth per doubling of order lines is printed when sizes double. With the fast engine, loading
its compiled code (or compiling it, on a machine without the cache) is timed apart, before the
run, as `promiseplan compile` does it (numba_compile_seconds, numba_compiled_now); point
NUMBA_CACHE_DIR at an empty folder to measure the cold compile. On Linux, the run's steal time
(CPU time the host gave to other machines while this one's was ready) is printed too: on a
shared virtual machine it tells a slow run of the host from a slow run of the code. So do the
run's CPU time, in the process and in the kernel on its behalf, and its page faults: on a
virtual machine each first touch of a page of memory costs several microseconds of kernel time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from benchmark_data import FREPPLE_MODELS, dataset_folder, dataset_name

if TYPE_CHECKING:
    import polars as pl


def io_floor(data: Path, tables: dict[str, pl.DataFrame]) -> float:
    import polars as pl  # only after the run's own imports: promiseplan sets its allocator up

    started = time.perf_counter()
    for path in sorted(data.glob("*.csv")):
        pl.read_csv(path, infer_schema=False)
    with tempfile.TemporaryDirectory() as folder:
        for name, frame in tables.items():
            frame.write_csv(Path(folder) / f"{name}.csv")
    return time.perf_counter() - started


def stolen_seconds() -> float | None:
    """CPU time the machine's host gave to others while this one's processes were ready to run,
    summed over all cores (Linux's steal time): a run with much of it says more about the host
    than about the code."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    except OSError:
        return None
    return int(fields[8]) / os.sysconf("SC_CLK_TCK") if len(fields) > 8 else None


def measure(name: str, engine: str) -> dict[str, object]:
    from promiseplan.machine_code import prepare
    from promiseplan.pipeline import run

    compile_seconds, compiled_now = None, None
    if engine == "fast":
        ready = prepare()
        compile_seconds, compiled_now = round(ready.seconds, 3), ready.compiled

    data = dataset_folder(name)
    out = data.with_name(f"{data.name}-out")
    steal_before = stolen_seconds()
    usage_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    result = run(data, out, engine=engine)
    total = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    steal_after = stolen_seconds()
    stolen = None
    if steal_before is not None and steal_after is not None:
        stolen = round(steal_after - steal_before, 2)
    floor = io_floor(data, result.plan.tables)
    return {
        "dataset": data.name,
        "order_lines": result.dataset["order_lines"].height,
        "seconds": {k: round(v, 3) for k, v in result.seconds.items()},
        "total_seconds": round(total, 3),
        "io_floor_seconds": round(floor, 3),
        "run_over_floor": round(total / floor, 1),
        "planned_with": engine,
        "numba_compile_seconds": compile_seconds,
        "numba_compiled_now": compiled_now,
        "stolen_seconds": stolen,
        "cpu_seconds": {
            "user": round(usage.ru_utime - usage_before.ru_utime, 2),
            "system": round(usage.ru_stime - usage_before.ru_stime, 2),
        },
        "page_faults": usage.ru_minflt - usage_before.ru_minflt,
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "orders_by_status": result.plan.kpis["orders_by_status"],
    }


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        print(json.dumps(measure(sys.argv[2], sys.argv[3])))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "datasets",
        type=dataset_name,
        nargs="*",
        default=["10000"],
        metavar="LINES|MODEL",
        help=f"order lines of a scale dataset, or a frePPLe model: {', '.join(FREPPLE_MODELS)}",
    )
    parser.add_argument("--engine", default="reference")
    parser.add_argument(
        "--runs", type=int, default=1, help="runs of each dataset, each in a fresh process"
    )
    parser.add_argument("--record", nargs=2, metavar=("FILE", "LABEL"))
    options = parser.parse_args()
    print(
        f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}"
    )
    previous: dict[str, object] | None = None
    for name in options.datasets:
        runs = [run_one(name, options.engine) for _ in range(options.runs)]
        figures = median_run(runs)
        if options.record is not None:
            record, label = Path(options.record[0]), options.record[1]
            with record.open("a") as out:
                stamp = {"date": time.strftime("%Y-%m-%d"), "engine": label}
                out.write(json.dumps({**stamp, **figures}) + "\n")
        if name in FREPPLE_MODELS:
            previous = None
            continue
        if previous is not None and int(name) == 2 * int(str(previous["order_lines"])):
            growth = total_of(figures) / total_of(previous)
            print(f"  time x{growth:.2f} from {previous['order_lines']} to {name} lines")
        previous = figures


def run_one(name: str, engine: str) -> dict[str, object]:
    """The figures of one run of dataset ``name``, in a process of its own."""
    done = subprocess.run(
        [sys.executable, __file__, "--one", name, engine],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, object] = json.loads(done.stdout)
    print(json.dumps(figures), flush=True)
    return figures


def total_of(figures: dict[str, object]) -> float:
    return float(str(figures["total_seconds"]))


def median_run(runs: list[dict[str, object]]) -> dict[str, object]:
    """The run whose total time is the median of ``runs`` (the slower of the middle two of an
    even number); with several runs, their spread is printed."""
    ordered = sorted(runs, key=total_of)
    middle = ordered[len(ordered) // 2]
    if len(runs) > 1:
        totals = ", ".join(f"{total_of(r):.2f}" for r in ordered)
        print(
            f"  {middle['dataset']}, {len(runs)} runs: median {total_of(middle):.2f} s"
            f" (all: {totals} s)"
        )
    return middle


if __name__ == "__main__":
    main()
