"""Plan `scale` datasets end to end and print the time of each phase and the peak memory.

    .venv/bin/python benchmarks/scale.py 10000 100000

Datasets are generated once into benchmarks/data/scale-N (seed 1) and reused. Each size runs in
a fresh process, so its peak resident memory is its own.
"""

from __future__ import annotations

import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def measure(lines: int) -> dict[str, object]:
    from promiseplan.generate import generate
    from promiseplan.pipeline import run

    data = HERE / "data" / f"scale-{lines}"
    if not (data / "order_lines.csv").exists():
        generate("scale", data, lines, seed=1)
    out = HERE / "data" / f"scale-{lines}-out"
    started = time.perf_counter()
    result = run(data, out)
    return {
        "order_lines": lines,
        "seconds": {k: round(v, 3) for k, v in result.seconds.items()},
        "total_seconds": round(time.perf_counter() - started, 3),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "orders_by_status": result.plan.kpis["orders_by_status"],
    }


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        print(json.dumps(measure(int(sys.argv[2]))))
        return
    sizes = [int(a) for a in sys.argv[1:]] or [10_000]
    print(
        f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}"
    )
    for lines in sizes:
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(lines)],
            check=True,
            capture_output=True,
            text=True,
        )
        print(done.stdout.strip())


if __name__ == "__main__":
    main()
