"""The fast engine's machine code. numba compiles it for this processor the first time it is
needed (minutes) and keeps it in a cache on disk (``cache_folder``); later runs load it from
there (about a second). ``prepare`` gets it ready before a run plans, so that a person waiting
is told which of the two is happening and the run's phases are timed without it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Stage = Callable[[str], None]
"""Told what a run is doing now, in words for the person waiting."""

COMPILING = "compiling the fast engine (minutes, once)"
LOADING = "loading the fast engine"


@dataclass(frozen=True)
class Readiness:
    compiled: bool
    """True when the code was compiled now, False when it was loaded from the cache."""
    seconds: float
    folder: Path

    @property
    def phase(self) -> str:
        """The name of the phase in a run's times."""
        return "compile fast engine" if self.compiled else "load fast engine"


def entry_points() -> tuple[Any, ...]:
    """The compiled functions that Python calls (a test keeps this list complete). Each brings
    the compiled functions it calls along in its own machine code."""
    from promiseplan.engine.fast import arrays, availability, decide, state, writing

    return (
        arrays._reference,
        availability._fill,
        decide.decide_orders,
        decide.promise_one,
        state.reference,
        state._lowest,
        writing.room,
        writing.fill_template,
        writing.join_runs,
    )


def cache_folder() -> Path:
    """Where this version of the engine keeps its machine code (one folder per version of its
    source, under ``NUMBA_CACHE_DIR`` or ``~/.cache/promiseplan/numba``)."""
    import numba

    import promiseplan.engine.fast.compiled  # noqa: F401 (it chooses the folder)

    return Path(numba.config.CACHE_DIR)  # type: ignore[attr-defined]


def cached_signatures(function: Any) -> list[Any]:
    """The argument types that the cache holds machine code of ``function`` for, compiled for
    this processor from its present source (numba's own key: types, processor, source)."""
    cache = function._cache
    _, processor, source = cache._index_key(None, function.targetctx.codegen())
    index = cache._cache_file._load_index()
    return [key[0] for key in index if key[1:] == (processor, source)]


def is_cached() -> bool:
    """Whether a run can load the engine instead of compiling it."""
    return all(cached_signatures(function) for function in entry_points())


def prepare(stage: Stage | None = None) -> Readiness:
    """Load the engine's machine code from the cache, or compile it (and cache it) when the
    cache lacks it: by planning the bundled example with the fast engine and answering an
    online promise on it, which calls every entry point with the argument types of any run."""
    functions = entry_points()
    misses = sum(len(f.stats.cache_misses) for f in functions)
    started = time.perf_counter()
    cached = [cached_signatures(function) for function in functions]
    if all(cached):
        if stage is not None:
            stage(LOADING)
        for function, signatures in zip(functions, cached, strict=True):
            for signature in signatures:
                function.compile(signature)
    else:
        if stage is not None:
            stage(COMPILING)
        _compile_on_example()
    compiled = sum(len(f.stats.cache_misses) for f in functions) > misses
    return Readiness(compiled, time.perf_counter() - started, cache_folder())


def _compile_on_example() -> None:
    from promiseplan.dataset.load import load_dataset
    from promiseplan.engine.fast import plan_book
    from promiseplan.engine.fast.arrays import index_problem
    from promiseplan.engine.fast.book import book_from_dataset
    from promiseplan.engine.fast.online import FastRun
    from promiseplan.engine.fast.state import new_state
    from promiseplan.examples import example_dataset
    from promiseplan.model.build import build_problem
    from promiseplan.pipeline import resolve_settings

    dataset = load_dataset(example_dataset())
    settings = resolve_settings(dataset)
    network = build_problem(dataset, settings, with_orders=False)
    book = book_from_dataset(dataset, settings)
    plan_book(network, book)
    FastRun(network, book, None)
    # runs that move more units than 32-bit rows of stock hold build 64-bit ones
    indexed = index_problem(network, book)
    new_state(indexed.arrays, indexed.item_locations, indexed.arrivals, wide=True)
