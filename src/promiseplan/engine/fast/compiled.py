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
from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.core.datamodel import models
from numba.core.datamodel.registry import default_manager
from numba.core.extending import (
    infer_getattr,
    intrinsic,
    lower_getattr_generic,
    overload,
    register_model,
)
from numba.core.typing.templates import AttributeTemplate
from numba.experimental import structref

F = TypeVar("F", bound=Callable[..., Any])


KERNEL = (
    "arrays",
    "availability",
    "compiled",
    "decide",
    "memo",
    "search",
    "state",
    "supply",
    "tentative",
)
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


class Lent(types.Array):
    """The type of an array read from a borrowed structref's field: lent by the structref,
    which keeps it alive, so numba counts no references to it (nor to its views).

    numba counts references with calls (atomic ones) at every read of a structref field, at
    every view of an array and for every structref passed to a function, and its pass that
    removes matching pairs misses most of them in branchy loops: they took about two thirds of
    the engine's time. The engine never stores a field's array elsewhere, returns it or copies
    it with ``.copy()`` (a copy of a lent array would be lent too, and never freed; numba
    refuses to compile one)."""

    def __init__(self, dtype: Any, ndim: int, layout: Any, readonly: bool = False) -> None:
        super().__init__(dtype, ndim, layout, readonly=readonly, name=f"lent({dtype}, {ndim}d)")

    def copy(  # type: ignore[override]
        self,
        dtype: Any = None,
        ndim: int | None = None,
        layout: str | None = None,
        readonly: bool | None = None,
    ) -> Lent:
        return Lent(
            self.dtype if dtype is None else dtype,
            self.ndim if ndim is None else ndim,
            self.layout if layout is None else layout,
            not self.mutable if readonly is None else readonly,
        )


class Uncounted:
    """A data model whose values hold no reference to count (put before numba's model)."""

    def traverse(self, builder: Any) -> list[Any]:
        return []

    def traverse_models(self) -> list[Any]:
        return []


@register_model(Lent)
class LentModel(Uncounted, models.ArrayModel):
    """An array's layout, holding no reference to count."""


def _lent(kind: Any) -> Any:
    if isinstance(kind, types.Array):
        return Lent(kind.dtype, kind.ndim, kind.layout, readonly=not kind.mutable)
    return kind


class Borrowed(Fields):
    """A ``Fields`` structref as the compiled code passes it between its functions: borrowed
    from the caller that holds it, so numba counts no references to it at each call (an
    entry point borrows its arguments with ``borrow``)."""


@register_model(Borrowed)
class BorrowedModel(Uncounted, models.StructRefModel):
    """A structref's layout, holding no reference to count."""


@infer_getattr
class FieldAttribute(AttributeTemplate):
    key = Borrowed

    def generic_resolve(self, typ: Any, attr: str) -> Any:  # type: ignore[override]
        kind = typ.field_dict.get(attr)
        return None if kind is None else _lent(kind)


@lower_getattr_generic(Borrowed)
def _lend(context: Any, builder: Any, typ: Any, value: Any, attr: str) -> Any:
    data = structref._Utils(context, builder, typ).get_data_struct(value)
    return getattr(data, attr)


@intrinsic
def _borrow(typingctx: Any, struct: Any) -> Any:
    borrowed = Borrowed(list(struct.field_dict.items()))
    return borrowed(struct), lambda context, builder, signature, args: args[0]


T = TypeVar("T")
borrow = cast(Callable[[T], T], _borrow)
"""The structref, borrowed, for compiled code: its fields read as ``Lent`` arrays, and no
references are counted while it is passed around (the caller keeps it alive)."""


S = TypeVar("S", bound=type[Fields])


def register(struct_type: S) -> S:
    """``structref.register`` for a ``Fields`` type that compiled code reads only through
    ``borrow``; its fields are set once, by the constructor (``define``)."""
    default_manager.register(struct_type, models.StructRefModel)
    return struct_type


@intrinsic(prefer_literal=True)
def _put(typingctx: Any, instance: Any, name: Any, value: Any) -> Any:
    """Set a field of a new structref (its fields start empty), holding a reference to it."""
    attr = name.literal_value

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        struct, _, given = args
        data = structref._Utils(context, builder, instance).get_data_struct(struct)
        kind = instance.field_dict[attr]
        given = context.cast(builder, given, value, kind)
        context.nrt.incref(builder, kind, given)
        setattr(data, attr, given)
        return context.get_dummy_value()

    return types.none(instance, name, value), codegen


def define(proxy: type, struct_type: type[Fields], fields: list[str]) -> None:
    """A proxy class for ``struct_type`` that Python builds from the fields' values and passes
    to compiled code (its fields are not readable from Python)."""
    parameters = ", ".join(fields)
    puts = "\n".join(f"        put(st, {name!r}, {name})" for name in fields)
    source = (
        f"def constructor({parameters}):\n"
        f"    struct = struct_type(list(zip({fields!r}, [{parameters}])))\n"
        f"    def build({parameters}):\n"
        f"        st = new(struct)\n{puts}\n"
        f"        return st\n"
        f"    return build\n"
    )
    namespace = {"struct_type": struct_type, "new": structref.new, "put": _put}
    exec(source, namespace)  # numba overloads need a function of the fields' names
    overload(proxy)(cast(Callable[..., Any], namespace["constructor"]))
    structref.define_boxing(struct_type, proxy)


@intrinsic
def _prefetch(typingctx: Any, array: Any, row: Any, column: Any) -> Any:
    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        kind = signature.args[0]
        view = context.make_array(kind)(context, builder, args[0])
        at = cgutils.get_item_pointer2(
            context,
            builder,
            data=view.data,
            shape=cgutils.unpack_tuple(builder, view.shape),
            strides=cgutils.unpack_tuple(builder, view.strides),
            layout=kind.layout,
            inds=[
                context.cast(builder, x, t, types.intp)
                for x, t in zip(args[1:], signature.args[1:], strict=True)
            ],
            wraparound=False,
            boundscheck=False,
        )
        byte = ir.IntType(8).as_pointer()
        word = ir.IntType(32)
        read, keep_in_all_caches, data = word(0), word(3), word(1)
        function = cgutils.get_or_insert_function(
            builder.module,
            ir.FunctionType(ir.VoidType(), [byte, word, word, word]),
            "llvm.prefetch.p0",
        )
        builder.call(function, [builder.bitcast(at, byte), read, keep_in_all_caches, data])
        return context.get_dummy_value()

    return types.void(array, row, column), codegen


prefetch = cast(Callable[[Any, int, int], None], _prefetch)
"""Ask the processor to bring the cache line of ``array[row, column]`` (a 2-d array) into its
caches, and go on at once: the misses of several rows needed soon then overlap instead of
following one another."""


def jit(function: F) -> F:
    """Compiled with numba, cached on disk; no recursion (numba cannot cache it). Divisions
    follow numpy's rules: no check for a zero divisor (the engine never divides by zero: counts
    of locations, lot sizes and quantities are positive), which numba's default checks on
    every integer division and remainder in the search loops."""
    return cast(F, numba.njit(cache=True, nogil=True, error_model="numpy")(function))
