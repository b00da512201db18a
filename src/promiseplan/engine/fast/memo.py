"""The memo of earliest days: (state version, item-location, quantity, chain) -> day, as an
open-addressing hash table on arrays. Clearing it (between orders, or when it fills) starts a
new generation instead of wiping the arrays: entries of an older generation count as empty.

A memo is a pure cache: entries are for one version of the state, and a version is never
reused for another state, so forgetting entries never changes an answer.
"""

from __future__ import annotations

from promiseplan.engine.fast.compiled import jit
from promiseplan.engine.fast.state import MEMO_GENERATION, MEMO_USED, State

UNKNOWN = -2
"""Not in the memo."""


@jit
def _slot(s: State, version: int, il: int, quantity: int, chain: int) -> int:
    mask = s.memo_keys.shape[0] - 1
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
    mask = s.memo_keys.shape[0] - 1
    i = _slot(s, version, il, quantity, chain)
    while s.memo_stamp[i] == generation:
        k = s.memo_keys[i]
        if k[0] == version and k[1] == il and k[2] == quantity and k[3] == chain:
            break
        i = (i + 1) & mask
    return i


@jit
def recall(s: State, version: int, il: int, quantity: int, chain: int) -> int:
    """The remembered day, or UNKNOWN."""
    i = _find(s, version, il, quantity, chain)
    if s.memo_stamp[i] != s.counts[MEMO_GENERATION]:
        return UNKNOWN
    return int(s.memo_days[i])


@jit
def remember(s: State, version: int, il: int, quantity: int, chain: int, day: int) -> None:
    if 2 * (s.counts[MEMO_USED] + 1) > s.memo_keys.shape[0]:
        forget(s)
    i = _find(s, version, il, quantity, chain)
    if s.memo_stamp[i] != s.counts[MEMO_GENERATION]:
        s.memo_stamp[i] = s.counts[MEMO_GENERATION]
        k = s.memo_keys[i]
        k[0], k[1], k[2], k[3] = version, il, quantity, chain
        s.counts[MEMO_USED] += 1
    s.memo_days[i] = day


@jit
def forget(s: State) -> None:
    s.counts[MEMO_GENERATION] += 1
    s.counts[MEMO_USED] = 0
