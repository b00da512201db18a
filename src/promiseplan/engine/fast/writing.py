"""Compiled writing of text for the reasons: rows of UTF-8 bytes in one growing buffer (an
arena), each row named by its start and length in it (length -1: no text). Templates are
filled and texts joined without a Python object per row.

Every function returns the buffer it wrote into: a new, larger one when the text did not fit
(the rows already written are copied into it, at the same places)."""

from __future__ import annotations

import numpy as np

from promiseplan.engine.fast.arrays import Array
from promiseplan.engine.fast.compiled import copy_bytes, jit

NO_TEXT = -1


@jit
def _digits(number: int) -> int:
    """How many bytes ``number`` takes in decimal, with its sign."""
    size = 1
    if number < 0:
        size += 1
        number = -number
    while number >= 10:
        number //= 10
        size += 1
    return size


@jit
def _put_number(arena: Array, at: int, number: int) -> int:
    """Write ``number`` in decimal at ``at``; the position after it."""
    end = at + _digits(number)
    if number < 0:
        arena[at] = 45  # '-'
        number = -number
    position = end - 1
    while True:
        arena[position] = 48 + number % 10
        number //= 10
        position -= 1
        if number == 0:
            break
    return end


@jit
def room(arena: Array, used: int, more: int) -> Array:
    """``arena``, or a copy with room for ``more`` bytes after ``used``."""
    if used + more <= len(arena):
        return arena
    larger = np.empty(max(2 * len(arena), used + more), dtype=np.uint8)
    larger[:used] = arena[:used]
    return larger


@jit
def _row_size(
    row: int, literal_size: int, is_text: Array, lengths: Array, numbers: Array, skip: bool
) -> int:
    """The length of a template's ``row`` (see ``fill_template``), or NO_TEXT."""
    size = literal_size
    for part in range(len(is_text)):
        if not is_text[part]:
            size += _digits(numbers[part, row])
        elif lengths[part, row] >= 0:
            size += lengths[part, row]
        elif not skip:
            return NO_TEXT
    return size


@jit
def fill_template(
    target: Array,
    used: int,
    arena: Array,
    literal: Array,
    bounds: Array,
    is_text: Array,
    starts: Array,
    lengths: Array,
    numbers: Array,
    skip_missing: bool,
) -> tuple[Array, int, Array, Array]:
    """Each row of a template, written into ``target`` after its first ``used`` bytes: its
    literal pieces (``literal[bounds[p]:bounds[p + 1]]``) with part ``p`` after piece ``p``; a
    part is a text in ``arena`` (``starts[p]``, ``lengths[p]``) where ``is_text[p]``, else an
    integer (``numbers[p]``). A row with a part without text has no text, unless
    ``skip_missing``: then the part is left out. ``target`` may be the arena itself.

    Returns the target, the bytes used in it, and each row's start and length."""
    n_rows = starts.shape[1]
    literal_size = bounds[-1] - bounds[0]
    out_start = np.zeros(n_rows, dtype=np.int64)
    out_length = np.empty(n_rows, dtype=np.int64)
    total = 0
    for row in range(n_rows):
        out_length[row] = _row_size(row, literal_size, is_text, lengths, numbers, skip_missing)
        total += max(out_length[row], 0)
    target = room(target, used, total)  # parts are read from ``arena``, which is not changed
    n_parts = len(is_text)
    for row in range(n_rows):
        if out_length[row] == NO_TEXT:
            continue
        out_start[row] = used
        for part in range(n_parts + 1):
            size = bounds[part + 1] - bounds[part]
            copy_bytes(target, used, literal, bounds[part], size)
            used += size
            if part == n_parts:
                break
            if not is_text[part]:
                used = _put_number(target, used, numbers[part, row])
            elif lengths[part, row] > 0:
                copy_bytes(target, used, arena, starts[part, row], lengths[part, row])
                used += lengths[part, row]
    return target, used, out_start, out_length


@jit
def join_runs(
    arena: Array,
    used: int,
    starts: Array,
    lengths: Array,
    bounds: Array,
    separator: Array,
) -> tuple[Array, int, Array, Array]:
    """The texts of rows ``bounds[g]`` to ``bounds[g + 1]`` joined with ``separator``, for
    every run ``g``; rows without text are left out."""
    n_runs = len(bounds) - 1
    out_start = np.zeros(n_runs, dtype=np.int64)
    out_length = np.zeros(n_runs, dtype=np.int64)
    for run in range(n_runs):
        count = 0
        for row in range(bounds[run], bounds[run + 1]):
            if lengths[row] >= 0:
                out_length[run] += lengths[row]
                count += 1
        out_length[run] += max(count - 1, 0) * len(separator)
    arena = room(arena, used, int(out_length.sum()))
    for run in range(n_runs):
        out_start[run] = used
        first = True
        for row in range(bounds[run], bounds[run + 1]):
            if lengths[row] < 0:
                continue
            if not first:
                copy_bytes(arena, used, separator, 0, len(separator))
                used += len(separator)
            first = False
            copy_bytes(arena, used, arena, starts[row], lengths[row])
            used += lengths[row]
    return arena, used, out_start, out_length
