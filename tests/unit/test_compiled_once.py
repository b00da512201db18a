"""A compiled function that compiled code calls with constants is compiled once, for their
types, not once for each constant's value (which multiplied the engine's compile time)."""

from __future__ import annotations

from typing import Any

from numba import types

from promiseplan.engine.fast.compiled import jit


@jit
def _scaled(x: int, by: int) -> int:
    return x * by


@jit
def _with_constants(x: int) -> int:
    return _scaled(x, 2) + _scaled(x, 3) + _scaled(1, by=4)


def test_constants_do_not_make_a_compile_each() -> None:
    compiled: list[Any] = [_scaled, _with_constants]
    for function in compiled:  # compiled here, not loaded from the cache
        function._cache.disable()
    assert _with_constants(5) == 5 * 2 + 5 * 3 + 4
    assert compiled[0].signatures == [(types.int64, types.int64)]
