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
from numba.core import cgutils, imputils
from numba.core.datamodel import models
from numba.core.datamodel.registry import default_manager
from numba.core.extending import infer_getattr, lower_getattr_generic, lower_setattr_generic
from numba.core.typing.templates import AttributeTemplate
from numba.experimental import structref

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
        return tuple((name, types.unliteral(kind)) for name, kind in fields)


S = TypeVar("S", bound=type[Fields])


def register(struct_type: S) -> S:
    """``structref.register`` for a ``Fields`` type, except that reading an array field lends
    the array instead of taking a reference to it.

    numba counts references to an array with calls (atomic ones) on every read of a structref
    field, and its pass that removes matching pairs misses most of them in branchy loops: they
    took about two thirds of the engine's time. A lent array carries no memory-info pointer, so
    counting references to it (or to a view of it) does nothing; the structref keeps the array
    alive, and the engine never stores a field's array elsewhere or returns it."""
    default_manager.register(struct_type, models.StructRefModel)

    @infer_getattr
    class FieldAttribute(AttributeTemplate):
        key = struct_type

        def generic_resolve(self, typ: Any, attr: str) -> Any:  # type: ignore[override]
            return typ.field_dict.get(attr)

    @lower_getattr_generic(struct_type)
    def lend(context: Any, builder: Any, typ: Any, value: Any, attr: str) -> Any:
        data = structref._Utils(context, builder, typ).get_data_struct(value)
        field = getattr(data, attr)
        kind = typ.field_dict[attr]
        if not isinstance(kind, types.Array):
            return imputils.impl_ret_borrowed(context, builder, kind, field)
        array = context.make_array(kind)(context, builder, value=field)
        array.meminfo = cgutils.get_null_value(array.meminfo.type)
        return imputils.impl_ret_untracked(context, builder, kind, array._getvalue())

    @lower_setattr_generic(struct_type)
    def store(context: Any, builder: Any, signature: Any, args: Any, attr: str) -> None:
        (typ, kind), (instance, value) = signature.args, args
        data = structref._Utils(context, builder, typ).get_data_struct(instance)
        value = context.cast(builder, value, kind, typ.field_dict[attr])
        old = getattr(data, attr)
        context.nrt.incref(builder, kind, value)
        context.nrt.decref(builder, kind, old)  # after the incref: the value may be the old one
        setattr(data, attr, value)

    return struct_type


def define(proxy: type, struct_type: type[Fields], fields: list[str]) -> None:
    """A proxy class for ``struct_type`` that Python can build and pass to compiled code (its
    fields are not readable from Python: an array read there would be lent)."""
    structref.define_constructor(proxy, struct_type, fields)
    structref.define_boxing(struct_type, proxy)


def jit(function: F) -> F:
    """Compiled with numba, cached on disk; no recursion (numba cannot cache it)."""
    return cast(F, numba.njit(cache=True, nogil=True)(function))
