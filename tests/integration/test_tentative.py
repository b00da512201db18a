"""A tentative supply is left in place until the state is next asked about: taken back then, it
leaves the state exactly as before; supplied for real at once, it leaves the state exactly as
taking it back and doing it again would."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from promiseplan.engine.fast.arrays import Arrays, Indexed
from promiseplan.engine.fast.compiled import borrow, jit
from promiseplan.engine.fast.decide import decide_orders
from promiseplan.engine.fast.state import (
    HELD,
    LOG,
    PRODUCTIONS,
    TRANSFERS,
    State,
    new_state,
    reference,
    stock_rows,
)
from promiseplan.engine.fast.tentative import release, supply_again, tentative
from tests.helpers import indexed_problem
from tests.strategies import datasets


@jit
def _measure(arrays: Arrays, state: State, il: int, quantity: int, day: int, early: bool) -> int:
    return tentative(borrow(arrays), borrow(state), il, quantity, day, early)


@jit
def _release(state: State) -> None:
    release(borrow(state))


@jit
def _supply(arrays: Arrays, state: State, il: int, quantity: int, day: int, early: bool) -> int:
    return supply_again(borrow(arrays), borrow(state), il, quantity, day, early)


def _decided(indexed: Indexed, orders: int) -> tuple[State, State]:
    """The state after the first ``orders`` orders: as numpy arrays, and as compiled code sees
    them."""
    state = new_state(indexed.arrays, indexed.item_locations, indexed.arrivals)
    compiled = reference(state)
    decide_orders(indexed.ref, compiled, 0, orders)
    return state, compiled


def _content(state: State) -> list[np.ndarray]:
    """What a supply changes: stock, hours, purchases, the undo log and the productions and
    transfers it adds."""
    log, made, moved = (int(state.counts[k]) for k in (LOG, PRODUCTIONS, TRANSFERS))
    return [
        stock_rows(state).copy(),
        state.now[:, 0].copy(),
        state.hours.copy(),
        state.purchases.copy(),
        state.log[:log].copy(),
        state.productions[:made].copy(),
        state.transfers[:moved].copy(),
    ]


def _same(x: list[np.ndarray], y: list[np.ndarray]) -> bool:
    return all(np.array_equal(a, b) for a, b in zip(x, y, strict=True))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets(), st.floats(0, 1), st.data())
def test_a_supply_left_in_place_is_taken_back_or_kept_exactly(
    files: dict[str, str], decided: float, data: st.DataObject
) -> None:
    indexed, book = indexed_problem(files)
    orders = int(len(book) * decided)
    il = data.draw(st.integers(0, indexed.item_locations - 1), label="item-location")
    quantity = data.draw(st.integers(1, 40), label="quantity")
    day = data.draw(st.integers(0, indexed.arrays.last), label="day")
    early = data.draw(st.booleans(), label="early")
    ask = (il, quantity, day, early)

    state, compiled = _decided(indexed, orders)
    before = _content(state)
    node = _measure(indexed.ref, compiled, *ask)
    event("held" if state.counts[HELD] else "not held")
    _release(compiled)
    assert state.counts[HELD] == 0
    assert _same(_content(state), before)  # taken back exactly
    again = _supply(indexed.ref, compiled, *ask)  # done again from what was kept
    done_again = _content(state)
    assert again == node

    state, compiled = _decided(indexed, orders)
    assert _measure(indexed.ref, compiled, *ask) == node
    assert _supply(indexed.ref, compiled, *ask) == node  # kept in place
    assert state.counts[HELD] == 0
    assert _same(_content(state), done_again)
