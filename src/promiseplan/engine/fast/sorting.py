"""Sorting output tables: by integer keys packed into one number, and ranks from a sort.

Polars sorts by one 64-bit column several times faster than by several: it compares encoded
rows of all the keys. Keys that are integers from 0 (indices, days, quantities) and fit in 63
bits together sort the same when each is shifted past the ones after it and they are added up.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from promiseplan.engine.fast.arrays import Array, Ints


def sorted_by(frame: pl.DataFrame, keys: Sequence[str], then: Sequence[str] = ()) -> pl.DataFrame:
    """``frame`` sorted by the integer columns ``keys``, then by the columns ``then``, keeping
    the order of rows that tie on all of them; by each key when their values are missing,
    negative or need more than 63 bits together."""
    if frame.height and keys:
        n = len(keys)
        found = frame.select(
            pl.col(*keys).null_count().name.suffix(" nulls"),
            pl.col(*keys).min().name.suffix(" min"),
            pl.col(*keys).max().name.suffix(" max"),
        ).row(0)
        nulls, low, high = found[:n], found[n : 2 * n], found[2 * n :]
        if not any(nulls) and min(low) >= 0:
            widths = [int(value).bit_length() for value in high]
            if sum(widths) <= 63:
                packed = pl.lit(0, dtype=pl.Int64)
                for key, width in zip(keys, widths, strict=True):
                    packed = packed * (1 << width) + pl.col(key)
                return frame.sort([packed, *(pl.col(c) for c in then)], maintain_order=True)
    return frame.sort([*keys, *then], maintain_order=True)


def inverse(permutation: Array) -> Ints:
    """The permutation that undoes ``permutation`` (positions to ranks, or back)."""
    undone = np.empty(len(permutation), dtype=np.int64)
    undone[permutation] = np.arange(len(permutation), dtype=np.int64)
    return undone
