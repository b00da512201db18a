"""The memo of earliest days: what is remembered is recalled, under its whole key, until the
memo is cleared; a cleared memo answers nothing."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import promiseplan
from promiseplan.engine.fast.arrays import Array
from promiseplan.engine.fast.compiled import borrow, jit
from promiseplan.engine.fast.memo import forget, recall, remember
from promiseplan.engine.fast.state import MEMO_SLOTS, UNKNOWN, State, new_state, reference
from tests.helpers import indexed_problem

EXAMPLE = Path(promiseplan.__file__).parent / "examples" / "flowers"


def _state() -> State:
    files = {path.name: path.read_text() for path in EXAMPLE.iterdir()}
    indexed, _ = indexed_problem(files)
    return new_state(indexed.arrays, indexed.item_locations, indexed.arrivals)


@jit
def _remember_all(state: State, keys: Array) -> None:
    s = borrow(state)
    for k in range(keys.shape[0]):
        version, il, quantity, chain, day = keys[k]
        remember(s, version, il, quantity, chain, day)


@jit
def _recall_all(state: State, keys: Array) -> Array:
    s = borrow(state)
    days = np.empty(keys.shape[0], dtype=np.int64)
    for k in range(keys.shape[0]):
        version, il, quantity, chain, _ = keys[k]
        days[k] = recall(s, version, il, quantity, chain)
    return days


@jit
def _forget(state: State) -> None:
    forget(borrow(state))


def _keys(count: int, seed: int) -> Array:
    """Distinct keys (version, item-location, quantity, chain) with a day each."""
    random = np.random.default_rng(seed)
    keys = random.integers(0, 50, size=(count, 5), dtype=np.int64)
    keys[:, 0] = np.arange(count)  # distinct versions: distinct keys
    return keys


def test_remembered_days_are_recalled_until_the_memo_is_cleared() -> None:
    state = reference(_state())
    keys = _keys(MEMO_SLOTS // 2 - 1, seed=1)  # as full as it gets before clearing itself
    _remember_all(state, keys)
    assert (_recall_all(state, keys) == keys[:, 4]).all()
    other = keys.copy()
    other[:, 3] += 1  # another chain: another key
    assert (_recall_all(state, other) == UNKNOWN).all()
    _forget(state)
    assert (_recall_all(state, keys) == UNKNOWN).all()


def test_a_memo_that_fills_up_clears_itself_and_goes_on() -> None:
    state = reference(_state())
    keys = _keys(MEMO_SLOTS, seed=2)
    _remember_all(state, keys)
    days = _recall_all(state, keys)
    recalled = days != UNKNOWN
    assert 0 < recalled.sum() < len(keys)
    assert (days[recalled] == keys[recalled, 4]).all()
    assert recalled[-1]  # the last ones are remembered after the memo cleared itself
