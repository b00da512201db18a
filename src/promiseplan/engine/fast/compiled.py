"""Compiling the fast engine with numba, cached on disk.

numba's cache notices a change to a function's own file only, not to the functions it calls
from other files; the cache therefore lives in a folder named after the source of every module
of the engine, so that a changed engine never runs stale machine code.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import numba
from numba import types

F = TypeVar("F", bound=Callable[..., Any])


KERNEL = ("arrays", "availability", "compiled", "decide", "memo", "search", "state", "supply")
"""The modules with compiled functions (a test keeps this list complete)."""


def _cache_dir() -> Path:
    digest = hashlib.sha256()
    for module in KERNEL:
        digest.update((Path(__file__).parent / f"{module}.py").read_bytes())
    base = os.environ.get("NUMBA_CACHE_DIR") or Path.home() / ".cache" / "promiseplan" / "numba"
    folder = Path(base) / digest.hexdigest()[:16]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # a home that cannot be written (a service account): a temporary folder
        folder = Path(tempfile.gettempdir()) / "promiseplan-numba" / digest.hexdigest()[:16]
    return folder


numba.config.CACHE_DIR = str(_cache_dir())  # type: ignore[attr-defined]


class Fields(types.StructRef):
    """A numba structref of arrays and numbers: the compiled code sees the arrays of the problem
    and of the state through one reference each (a tuple of sixty arrays as an argument costs
    numba about a second of compiling per function)."""

    def preprocess_fields(self, fields: Any) -> Any:
        return tuple((name, types.unliteral(kind)) for name, kind in fields)  # type: ignore[no-untyped-call]


def jit(function: F) -> F:
    """Compiled with numba, cached on disk; no recursion (numba cannot cache it)."""
    return cast(F, numba.njit(cache=True, nogil=True)(function))
