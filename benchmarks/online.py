"""Online promises: time of single-order questions against the state a run leaves.

    .venv/bin/python benchmarks/online.py [--lines 10000] [--queries 10000]

Plans a `scale` dataset (generated once into benchmarks/data/scale-N, seed 1) with the
reference engine, then asks --queries random orders (1 to 3 lines, random customers and
products, ship-complete or not) one at a time and prints the percentiles of their times.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import polars as pl
from benchmark_data import dataset_folder

from promiseplan.dataset.load import load_dataset
from promiseplan.online import Promiser, Request
from promiseplan.pipeline import resolve_settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--engine", default="auto", help="auto, fast or reference")
    args = parser.parse_args()
    dataset = load_dataset(dataset_folder(str(args.lines)))
    started = time.perf_counter()
    promiser = Promiser(dataset, resolve_settings(dataset), engine=args.engine)
    print(f"run of {args.lines} order lines: {time.perf_counter() - started:.1f} s")
    rng = random.Random(1)
    products = dataset["items"].filter(pl.col("kind") == "product")["item"].to_list()
    customers = dataset["customers"]["customer"].to_list()
    times: list[float] = []
    statuses: dict[str, int] = {}
    for _ in range(args.queries):
        items = rng.sample(products, rng.randint(1, 3))
        request = Request(
            rng.choice(customers),
            tuple((item, rng.randint(1, 20)) for item in items),
            ship_complete=rng.random() < 0.6,
        )
        mark = time.perf_counter()
        answer = promiser.promise(request)
        times.append((time.perf_counter() - mark) * 1000)
        statuses[answer.status] = statuses.get(answer.status, 0) + 1
    cuts = statistics.quantiles(times, n=100)
    print(
        f"{args.queries} queries: p50 {cuts[49]:.2f} ms, p90 {cuts[89]:.2f} ms, "
        f"p99 {cuts[98]:.2f} ms, max {max(times):.2f} ms; answers {statuses}"
    )


if __name__ == "__main__":
    main()
