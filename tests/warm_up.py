"""Compile the fast engine into numba's cache before the test workers start, so that they do
not both compile it. With NUMBA_BOUNDSCHECK=1 (and a cache of its own) it compiles the
bounds-checked engine of ``test_bounds`` instead."""

from __future__ import annotations

from promiseplan.machine_code import prepare

if __name__ == "__main__":
    ready = prepare()
    print(f"fast engine {'compiled' if ready.compiled else 'loaded'} in {ready.seconds:.1f} s")
