"""The engine's code is compiled and optimised once, not again for every caller: a compiled
function that compiled code calls with constants is compiled for their types, not once for
each constant's value; and a function that only compiled code calls is optimised as part of
the function Python calls, not also on its own (both multiplied the engine's compile time)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from numba import types

from promiseplan.engine.fast import compiled
from promiseplan.engine.fast.compiled import jit


@jit
def _scaled(x: int, by: int) -> int:
    return x * by


@jit
def _with_constants(x: int) -> int:
    return _scaled(x, 2) + _scaled(x, 3) + _scaled(1, by=4)


@jit
def _inner(x: int) -> int:
    return x + 1


@jit
def _middle(x: int) -> int:
    return _inner(x) * 2


@jit
def _outer(x: int) -> int:
    return _middle(x) - 1


def _compiled_here(*functions: Any) -> None:
    for function in functions:  # compiled by the test, not loaded from the cache
        function._cache.disable()


def test_constants_do_not_make_a_compile_each() -> None:
    functions: list[Any] = [_scaled, _with_constants]
    _compiled_here(*functions)
    assert _with_constants(5) == 5 * 2 + 5 * 3 + 4
    assert functions[0].signatures == [(types.int64, types.int64)]


def test_only_what_python_calls_is_optimised_as_a_module(monkeypatch: pytest.MonkeyPatch) -> None:
    functions: list[Any] = [_inner, _middle, _outer]
    _compiled_here(*functions)
    optimised: list[str] = []
    optimise: Callable[[Any], None] = compiled._optimize_module

    def counted(library: Any) -> None:
        optimised.append(library.name)
        optimise(library)

    monkeypatch.setattr(compiled, "_optimize_module", counted)
    assert _outer(3) == 7
    assert "_outer" in optimised
    assert not {"_inner", "_middle"} & set(optimised)
    assert [len(f.signatures) for f in functions] == [1, 1, 1]
    assert _middle(3) == 8  # its own machine code, compiled for _outer, runs from Python too
    assert [len(f.signatures) for f in functions] == [1, 1, 1]
