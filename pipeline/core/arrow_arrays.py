"""Arrow arrays to and from numpy through their buffers, for code that must not import pandas.

pyarrow converts Python and numpy values (pa.array, pa.scalar, Array.to_numpy, a numpy argument to a compute
function) through its pandas shim, which imports pandas on first use: 0.3-0.4 s and ~60 MB in a process that
never needs it (a pull). These build the same arrays from their buffers, and read numbers back the same way.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa

_INT_TYPES = {np.dtype(np.int32): pa.int32(), np.dtype(np.int64): pa.int64()}


def int_array(values: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """An int32/int64 array of `values`, null where `valid` (bool per value) is False."""
    values = np.ascontiguousarray(values)
    kind = _INT_TYPES[values.dtype]
    if valid is None or valid.all():
        return pa.Array.from_buffers(kind, len(values), [None, pa.py_buffer(values)], null_count=0)
    nulls = len(valid) - int(np.count_nonzero(valid))
    return pa.Array.from_buffers(kind, len(values), [_bitmap(valid), pa.py_buffer(values)], null_count=nulls)


def bool_array(values: np.ndarray) -> pa.Array:
    """A bool array (no nulls) of a numpy bool array."""
    return pa.Array.from_buffers(pa.bool_(), len(values), [None, _bitmap(values)], null_count=0)


def _bitmap(values: np.ndarray) -> pa.Buffer:
    return pa.py_buffer(np.packbits(np.asarray(values, dtype=np.bool_), bitorder="little"))


def numbers(array: pa.Array | pa.ChunkedArray, fill: int = 0) -> np.ndarray:
    """An int32/int64 array's values as numpy int64, nulls as `fill`."""
    array = _one_chunk(array)
    if len(array) == 0:
        return np.zeros(0, dtype=np.int64)
    dtype = np.int32 if array.type == pa.int32() else np.int64
    if array.type not in (pa.int32(), pa.int64()):
        raise TypeError(f"expected int32 or int64, got {array.type}")
    values = np.frombuffer(array.buffers()[1], dtype=dtype, count=len(array), offset=array.offset * dtype().itemsize)
    values = values.astype(np.int64)
    if array.null_count:
        values[~valid(array)] = fill
    return values


def valid(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """True where the array has a value, False where it is null."""
    array = _one_chunk(array)
    if array.null_count == 0:
        return np.ones(len(array), dtype=np.bool_)
    if array.type == pa.null():
        return np.zeros(len(array), dtype=np.bool_)
    return bools_of(array.buffers()[0], array.offset, len(array))


def flags(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A bool array's values as numpy bools, nulls as False."""
    array = _one_chunk(array)
    values = bools_of(array.buffers()[1], array.offset, len(array))
    return values & valid(array) if array.null_count else values


def bools_of(bitmap: pa.Buffer, offset: int, length: int) -> np.ndarray:
    bits = np.unpackbits(np.frombuffer(bitmap, dtype=np.uint8), bitorder="little")
    return bits[offset:offset + length].astype(np.bool_)


def string_offsets(array: pa.Array) -> tuple[np.ndarray, pa.Buffer]:
    """A string array's value offsets (len + 1 of them, int64) and its data buffer."""
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32, count=len(array) + 1, offset=array.offset * 4)
    return offsets.astype(np.int64), array.buffers()[2]


def string_scalar(text: str) -> pa.Scalar:
    return string_array([text])[0]


def string_array(values: Sequence[Any]) -> pa.Array:
    """A string array of Python strings (no nulls); anything else goes through pa.array (values and errors as its)."""
    try:
        text = "".join(values)  # (raises for a None or a value that is not a str)
        if text.isascii():
            data, lengths = text.encode("ascii"), map(len, values)
        else:
            encoded = list(map(str.encode, values))
            data, lengths = b"".join(encoded), map(len, encoded)
    except (TypeError, UnicodeEncodeError):
        return pa.array(values, type=pa.string())
    if len(data) >= 2**31:
        return pa.array(values, type=pa.string())
    offsets = np.zeros(len(values) + 1, dtype=np.int32)
    np.cumsum(np.fromiter(lengths, dtype=np.int32, count=len(values)), out=offsets[1:])
    return pa.StringArray.from_buffers(len(values), pa.py_buffer(offsets), pa.py_buffer(data), null_count=0)


def list_offsets(lengths: np.ndarray) -> pa.Array:
    """int32 list offsets for lists of these lengths."""
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    if offsets[-1] >= 2**31:
        raise ValueError("a list column of over 2**31 values")
    return int_array(offsets.astype(np.int32))


def _one_chunk(array: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(array, pa.ChunkedArray):
        return array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
    return array


def reuse_freed_memory() -> None:
    """Make jemalloc Arrow's allocator for this process (unless ARROW_DEFAULT_MEMORY_POOL chooses one).

    mimalloc, the default of this pyarrow, gives freed memory back to the OS within milliseconds and takes it
    again as transparent huge pages, each zeroed by the kernel on first touch: a 100,000-product pull spent ~1.5 s
    of system time on it, jemalloc ~0.8 s (and less peak memory). A pyarrow built without jemalloc keeps its own.
    """
    if "ARROW_DEFAULT_MEMORY_POOL" in os.environ:
        return
    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    except NotImplementedError:
        pass
