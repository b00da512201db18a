"""The fast engine reads and writes its arrays without checking the index (a negative index
is not counted from the end, see ``engine.fast.compiled.Lent``). Compiled with numba's bounds
checks, the same runs must give the same plans without an index out of range."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from promiseplan.dataset.load import load_dataset
from promiseplan.examples import example_dataset
from promiseplan.generate import generate
from promiseplan.online import Promiser, Request
from promiseplan.pipeline import resolve_settings, run
from tests.conftest import WORKED_EXAMPLE

ROOT = Path(__file__).parents[2]

CHECKED_RUNS = """
import sys
from pathlib import Path

import numba

from promiseplan.dataset.load import load_dataset
from promiseplan.online import Promiser, Request
from promiseplan.pipeline import resolve_settings, run

assert numba.config.BOUNDSCHECK, "numba compiles without bounds checks"
*pairs, promised = sys.argv[1:]
for source, out in zip(pairs[0::2], pairs[1::2], strict=True):
    run(Path(source), Path(out), engine="fast")
data = load_dataset(Path(promised))
answer = Promiser(data, resolve_settings(data)).promise(Request("C1", (("MUG", 5),)))
print(answer.status, answer.promised_date, answer.reason)
"""


def test_fast_engine_stays_within_its_arrays(tmp_path: Path) -> None:
    electronics, scale = tmp_path / "electronics", tmp_path / "scale"
    generate("electronics", electronics, None, 3)
    generate("scale", scale, 4000, 2)
    sources = [example_dataset(), WORKED_EXAMPLE, electronics, scale]
    checked = [tmp_path / f"checked-{k}" for k in range(len(sources))]
    environment = {
        **os.environ,
        "NUMBA_BOUNDSCHECK": "1",
        "NUMBA_OPT": "1",  # compiles in 77 s instead of 90 s at numba's default (3); tests only
        # numba's cache does not tell code compiled with checks from code without
        "NUMBA_CACHE_DIR": str(ROOT / ".numba_cache" / "bounds-checked"),
    }
    pairs = [str(p) for pair in zip(sources, checked, strict=True) for p in pair]
    finished = subprocess.run(
        [sys.executable, "-c", CHECKED_RUNS, *pairs, str(WORKED_EXAMPLE)],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]

    for source, out in zip(sources, checked, strict=True):
        expected = tmp_path / f"expected-{out.name}"
        run(source, expected, engine="fast")
        names = sorted(p.name for p in expected.glob("*.csv"))
        assert names == sorted(p.name for p in out.glob("*.csv"))
        for name in names:
            assert (out / name).read_bytes() == (expected / name).read_bytes(), (source, name)
    data = load_dataset(WORKED_EXAMPLE)
    answer = Promiser(data, resolve_settings(data)).promise(Request("C1", (("MUG", 5),)))
    assert finished.stdout.strip() == f"{answer.status} {answer.promised_date} {answer.reason}"
