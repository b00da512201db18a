"""Synthetic datasets: a flower shop, an electronics maker, and the maker at any scale."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from promiseplan.generate.flowers import flowers
from promiseplan.generate.maker import electronics, scale
from promiseplan.generate.tables import Tables, write_tables

GENERATORS: dict[str, Callable[[int | None, int], Tables]] = {
    "flowers": flowers,
    "electronics": electronics,
    "scale": scale,
}

__all__ = ["GENERATORS", "generate"]


def generate(name: str, out: Path, orders: int | None = None, seed: int = 1) -> Tables:
    """Write dataset ``name`` to folder ``out``; ``orders`` sets its size (order lines for scale)."""
    tables = GENERATORS[name](orders, seed)
    write_tables(tables, out)
    return tables
