"""Compiling the fast engine with numba, cached on disk.

numba's cache notices a change to a function's own file only, not to the functions it calls
from other files; the cache therefore lives in a folder named after the source of every module
of the engine, so that a changed engine never runs stale machine code.
"""

from __future__ import annotations

import hashlib
import operator
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import numba
from llvmlite import ir
from numba import types
from numba.core import cgutils, codegen
from numba.core.datamodel import models
from numba.core.datamodel.registry import default_manager
from numba.core.extending import (
    infer_getattr,
    intrinsic,
    lower_builtin,
    lower_getattr_generic,
    overload,
    register_model,
)
from numba.core.runtime.nrtdynmod import _meminfo_struct_type
from numba.core.typing.templates import AttributeTemplate
from numba.experimental import structref
from numba.np import arrayobj

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
    "writing",
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
    refuses to compile one). Its elements are read and written at indices taken as they are,
    never counted from the end (``_lent_getitem``): a negative index is a bug, which
    ``NUMBA_BOUNDSCHECK=1`` reports."""

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


def _element(context: Any, builder: Any, kind: Any, array: Any, indices: Any) -> Any:
    """The address of ``array[indices]``, one integer per dimension, none of them negative."""
    view = context.make_array(kind)(context, builder, array)
    shape = cgutils.unpack_tuple(builder, view.shape, kind.ndim)
    at = [context.cast(builder, x, t, types.intp) for x, t in indices]
    if context.enable_boundscheck:
        for axis, (x, size) in enumerate(zip(at, shape, strict=True)):
            cgutils.do_boundscheck(context, builder, x, size, axis)
    return cgutils.get_item_pointer2(
        context,
        builder,
        data=view.data,
        shape=shape,
        strides=cgutils.unpack_tuple(builder, view.strides, kind.ndim),
        layout=kind.layout,
        inds=at,
        wraparound=False,
        boundscheck=False,
    )


def _integers(kind: Any, index: Any, index_value: Any, builder: Any) -> list[Any] | None:
    """The (value, type) of each index when ``index`` names one element of ``kind``."""
    tuple_ = isinstance(index, types.UniTuple | types.Tuple)
    kinds = list(index.types) if tuple_ else [index]
    if len(kinds) != kind.ndim or not all(isinstance(k, types.Integer) for k in kinds):
        return None
    values = cgutils.unpack_tuple(builder, index_value, len(kinds)) if tuple_ else [index_value]
    return list(zip(values, kinds, strict=True))


@lower_builtin(operator.getitem, Lent, types.Integer)
@lower_builtin(operator.getitem, Lent, types.BaseTuple)
def _lent_getitem(context: Any, builder: Any, signature: Any, args: Any) -> Any:
    """An element of a lent array, read without numba's wraparound of negative indices (the
    engine indexes from zero only): a comparison and a select less on every read, and loops
    over a row that the compiler can vectorise. Other indexing is numba's."""
    kind, index = signature.args
    indices = _integers(kind, index, args[1], builder)
    if indices is None:
        by_tuple = isinstance(index, types.BaseTuple)
        views = arrayobj.getitem_array_tuple if by_tuple else arrayobj.getitem_arraynd_intp
        return views(context, builder, signature, args)
    return arrayobj.load_item(
        context, builder, kind, _element(context, builder, kind, args[0], indices)
    )


@lower_builtin(operator.setitem, Lent, types.Any, types.Any)
def _lent_setitem(context: Any, builder: Any, signature: Any, args: Any) -> Any:
    """An element of a lent array written as ``_lent_getitem`` reads it."""
    kind, index, value_kind = signature.args
    indices = _integers(kind, index, args[1], builder)
    if indices is None or isinstance(value_kind, types.Array):
        return arrayobj.setitem_array(context, builder, signature, args)
    value = context.cast(builder, args[2], value_kind, kind.dtype)
    at = _element(context, builder, kind, args[0], indices)
    arrayobj.store_item(context, builder, kind, value, at)
    return context.get_dummy_value()


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
    """A field of a borrowed structref, read by loads marked invariant: the structref's data
    and its fields never change once built (``define``), so the compiler may read them once
    per function instead of again after every store to an array (whose elements it cannot
    tell apart from the fields)."""
    meminfo = structref._Utils(context, builder, typ).get_struct_ref(value).meminfo
    header = builder.bitcast(meminfo, _meminfo_struct_type.as_pointer())
    data = _invariant(builder, cgutils.gep(builder, header, 0, 3))
    model = context.data_model_manager[typ.get_data_type()]
    payload = builder.bitcast(data, model.get_value_type().as_pointer())
    fields = cgutils.create_struct_proxy(typ.get_data_type())(context, builder, ref=payload)
    index = model.get_field_position(attr)
    return fields._cast_member_to_value(index, _invariant(builder, fields._get_ptr_by_name(attr)))


def _invariant(builder: Any, pointer: Any) -> Any:
    loaded = builder.load(pointer)
    loaded.set_metadata("invariant.load", builder.module.add_metadata([]))
    return loaded


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
        indices = list(zip(args[1:], signature.args[1:], strict=True))
        at = _element(context, builder, signature.args[0], args[0], indices)
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
    every integer division and remainder in the search loops.

    Called from compiled code with a constant argument, numba would compile the function
    again for that constant's value (and everything it calls, for the constants it passes on):
    here it is compiled once for the constant's type, and inlining lets the compiler fold the
    constant where the function is small."""
    dispatcher = numba.njit(cache=True, nogil=True, error_model="numpy")(function)
    dispatcher.get_call_template = _for_types(  # type: ignore[method-assign,assignment]
        dispatcher.get_call_template
    )
    return cast(F, dispatcher)


def _for_types(template: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """A dispatcher's ``get_call_template`` that compiles for the types of constants (it is
    how compiled code calling the function compiles it: ``_optimize_once``)."""

    def get_call_template(args: Any, kws: Any) -> Any:
        plain = {name: types.unliteral(kind) for name, kind in kws.items()}
        depth = getattr(_callees, "depth", 0)
        _callees.depth = depth + 1
        try:
            return template(tuple(types.unliteral(kind) for kind in args), plain)
        finally:
            _callees.depth = depth

    return get_call_template


_callees = threading.local()
"""How deep this thread is in compiling functions for compiled code that calls them."""
_optimize_module = codegen.CPUCodeLibrary._optimize_final_module


def _optimize_once(library: codegen.CPUCodeLibrary) -> None:
    """numba optimises each compiled function's module with the modules of every function it
    calls linked in, and those were optimised the same way: code deep in the engine was
    optimised once per level of the calls above it (a third of compiling). Here a module is
    optimised only when Python called its function: the modules of the functions it calls
    are optimised there, all at once (they keep the function-level optimisation numba gives
    every function)."""
    if not getattr(_callees, "depth", 0):
        _optimize_module(library)


codegen.CPUCodeLibrary._optimize_final_module = _optimize_once  # type: ignore[method-assign]


@intrinsic
def _copy_bytes(typingctx: Any, target: Any, to: Any, source: Any, start: Any, length: Any) -> Any:
    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        pointers = []
        for kind, array, offset in (
            (signature.args[0], args[0], args[1]),
            (signature.args[2], args[2], args[3]),
        ):
            data = context.make_array(kind)(context, builder, array).data
            pointers.append(builder.gep(data, [offset]))
        cgutils.raw_memcpy(builder, pointers[0], pointers[1], args[4], 1)
        return context.get_dummy_value()

    return types.void(target, to, source, start, length), codegen


copy_bytes = cast(Callable[[Any, int, Any, int, int], None], _copy_bytes)
"""``target[to:to + length] = source[start:start + length]`` for 1-d arrays of bytes, as one
``memcpy`` (the ranges must not overlap; no bounds are checked)."""
