"""Compile the fast engine into numba's cache before the test workers start, so that they do
not both compile it: a planning run and an online promise on the bundled example, with the
fast engine. With NUMBA_BOUNDSCHECK=1 (and a cache of its own) it compiles the bounds-checked
engine of ``test_bounds`` instead."""

from __future__ import annotations

import tempfile
from pathlib import Path

from promiseplan.cli import example_dataset
from promiseplan.dataset.load import load_dataset
from promiseplan.online import Promiser
from promiseplan.pipeline import resolve_settings, run


def main() -> None:
    with tempfile.TemporaryDirectory() as out:
        run(example_dataset(), Path(out), engine="fast")
    data = load_dataset(example_dataset())
    Promiser(data, resolve_settings(data), engine="fast")  # compiles the online promise


if __name__ == "__main__":
    main()
