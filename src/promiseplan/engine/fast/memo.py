"""The memo of earliest days: (state version, item-location, quantity, chain) -> day, as an
open-addressing hash table whose slots are rows of one cache line each (generation, the key and
the day), small enough to stay in the processor's second-level cache: a probe costs one line.
Clearing it (between orders, or when it fills) starts a new generation instead of wiping the
rows: entries of an older generation count as empty.

A memo is a pure cache: entries are for one version of the state, and a version is never
reused for another state, so forgetting entries never changes an answer.
"""

from __future__ import annotations

from promiseplan.engine.fast.compiled import jit
from promiseplan.engine.fast.state import MEMO_GENERATION, MEMO_USED, UNKNOWN, State

GENERATION, VERSION, IL, QUANTITY, CHAIN, DAY = range(6)
"""The fields of a slot (``State.memo``)."""


@jit
def _slot(s: State, version: int, il: int, quantity: int, chain: int) -> int:
    mask = s.memo.shape[0] - 1
    h = (version * 0x1E3779B97F4A7C15) ^ (il * 0x42B2AE3D27D4EB4F)
    h ^= (quantity * 0x165667B19E3779F9) ^ chain
    h ^= h >> 29
    h *= 0x3F58476D1CE4E5B9
    h ^= h >> 32
    return int(h & mask)


@jit
def _find(s: State, version: int, il: int, quantity: int, chain: int) -> int:
    """The slot that holds the key, or the empty slot where it would go."""
    generation = s.counts[MEMO_GENERATION]
    mask = s.memo.shape[0] - 1
    i = _slot(s, version, il, quantity, chain)
    while True:
        k = s.memo[i]
        if k[GENERATION] != generation or (
            k[VERSION] == version and k[IL] == il and k[QUANTITY] == quantity and k[CHAIN] == chain
        ):
            return i
        i = (i + 1) & mask


@jit
def recall(s: State, version: int, il: int, quantity: int, chain: int) -> int:
    """The remembered day, or UNKNOWN."""
    k = s.memo[_find(s, version, il, quantity, chain)]
    return int(k[DAY]) if k[GENERATION] == s.counts[MEMO_GENERATION] else UNKNOWN


@jit
def remember(s: State, version: int, il: int, quantity: int, chain: int, day: int) -> None:
    if 2 * (s.counts[MEMO_USED] + 1) > s.memo.shape[0]:
        forget(s)
    k = s.memo[_find(s, version, il, quantity, chain)]
    if k[GENERATION] != s.counts[MEMO_GENERATION]:
        k[GENERATION] = s.counts[MEMO_GENERATION]
        k[VERSION], k[IL], k[QUANTITY], k[CHAIN] = version, il, quantity, chain
        s.counts[MEMO_USED] += 1
    k[DAY] = day


@jit
def forget(s: State) -> None:
    s.counts[MEMO_GENERATION] += 1
    s.counts[MEMO_USED] = 0
