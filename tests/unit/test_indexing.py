"""The network indexed before the order book is read gives the indices of both indexed at
once, also when the book names items or modes the network does not know."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from promiseplan.dataset.load import load_dataset
from promiseplan.engine.fast.arrays import Indexed, index_network, index_orders, index_problem
from promiseplan.engine.fast.book import OrderBook, book_of
from promiseplan.engine.fast.online import _with_spare_order
from promiseplan.model.build import build_problem
from promiseplan.model.problem import Problem
from promiseplan.pipeline import resolve_settings

FLOWERS = Path(__file__).parents[2] / "src" / "promiseplan" / "examples" / "flowers"


@pytest.fixture(scope="module")
def problem() -> Problem:
    dataset = load_dataset(FLOWERS)
    return build_problem(dataset, resolve_settings(dataset))


def _assert_same(got: Indexed, expected: Indexed) -> None:
    for name in ("items", "locations", "modes", "regions", "resources"):
        assert getattr(got, name) == getattr(expected, name), name
    for name, value in expected.arrays._asdict().items():
        assert np.array_equal(getattr(got.arrays, name), value), name
    assert np.array_equal(got.arrivals, expected.arrivals)


def _more(book: OrderBook) -> OrderBook:
    """``book`` and one more order for an item and by a mode the network has neither of."""
    more = _with_spare_order(book)
    more.line_items[int(more.line_ptr[-2])] = "a-new-item"
    more.modes[-1] = frozenset({"airship"})
    return more


def test_the_network_indexed_first_gives_the_indices_of_the_whole(problem: Problem) -> None:
    book = book_of(problem)
    _assert_same(index_orders(index_network(problem), book), index_problem(problem, book))


def test_a_book_naming_what_the_network_lacks_indexes_it_again(problem: Problem) -> None:
    book = _more(book_of(problem))
    network = index_network(problem)
    indexed = index_orders(network, book)
    assert "a-new-item" in indexed.items and "a-new-item" not in network.items
    assert "airship" in indexed.modes and "airship" not in network.modes
    _assert_same(indexed, index_problem(problem, book))
