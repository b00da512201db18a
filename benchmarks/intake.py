"""Orders accepted per second over HTTP while a planning run is going.

    .venv/bin/python benchmarks/intake.py [--database URL] [--lines 10000] [--seconds 20] [--wait]

Imports a `scale` dataset, starts `promiseplan serve` on loopback (every 24h: only the run at
start-up), and posts single-line orders from 8 threads while that run plans. Prints orders
accepted per second during the run, and the run's time (with --wait) or how far it got.
"""

from __future__ import annotations

import argparse
import itertools
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from promiseplan.dataset.load import load_dataset
from promiseplan.generate import generate
from promiseplan.store import import_dataset, list_runs, open_database, upgrade
from promiseplan.store.keys import create_key


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default=None)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--wait", action="store_true", help="wait for the run to finish")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    url = args.database or f"sqlite:///{folder / 'bench.db'}"
    engine = open_database(url)
    upgrade(engine)
    generate("scale", folder / "data", args.lines, seed=1)
    dataset = load_dataset(folder / "data")
    import_dataset(engine, dataset)
    items = dataset["items"].filter(dataset["items"]["kind"] == "product")["item"].to_list()
    customers = dataset["customers"]["customer"].to_list()
    planner = create_key(engine, "planner")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "promiseplan.cli",
            "serve",
            "--port",
            str(port),
            "--every",
            "24h",
            "--database",
            url,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(f"{base}/health")
                break
            except httpx.TransportError:
                time.sleep(0.1)
        while not list_runs(engine) or list_runs(engine)[-1]["status"] != "running":
            time.sleep(0.2)  # measure during the cadence's run at start-up
        run_id = list_runs(engine)[-1]["id"]
        accepted, failed = [0], [0]
        counter = itertools.count()
        stop = time.monotonic() + args.seconds
        lock = threading.Lock()

        def post() -> None:
            with httpx.Client(base_url=base, headers={"X-API-Key": planner}, timeout=30) as client:
                while time.monotonic() < stop:
                    n = next(counter)
                    body = {
                        "customer": customers[n % len(customers)],
                        "lines": [{"item": items[n % len(items)], "quantity": 1}],
                    }
                    answer = client.post(
                        "/orders", json=body, headers={"Idempotency-Key": f"bench-{n}"}
                    )
                    with lock:
                        (accepted if answer.status_code == 201 else failed)[0] += 1

        started = time.monotonic()
        threads = [threading.Thread(target=post) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        run = next(r for r in list_runs(engine) if r["id"] == run_id)
        while args.wait and run["status"] == "running":
            time.sleep(0.5)
            run = next(r for r in list_runs(engine) if r["id"] == run_id)
        print(f"database: {engine.dialect.name}; dataset: scale, {args.lines} order lines")
        print(
            f"orders accepted: {accepted[0]} in {elapsed:.1f} s = {accepted[0] / elapsed:.0f} orders/s (8 client threads), refused: {failed[0]}"
        )
        if run["status"] == "running":
            print(
                f"the run was still planning throughout ({run['progress_done']} of {run['progress_total']} orders planned when the clients stopped)"
            )
        else:
            print(
                f"the run: {run['status']}, {(run['finished_at'] - run['started_at']).total_seconds():.1f} s"
            )
    finally:
        server.terminate()
        server.wait(timeout=60)


if __name__ == "__main__":
    main()
