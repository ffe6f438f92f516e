"""Rewrite a real GGUF with hostile metadata: same tensors and data, changed key/values.

Tests need models that pass the structural reader but carry the header values llama.cpp
asserts on (block_count 0, 513...) or a template that never ends. The forge re-reads the
source's key/values with their types, applies the changes, writes the new header, and copies
the tensor data unchanged (tensor offsets are relative to the data section).
"""

from __future__ import annotations

import shutil
import struct
from pathlib import Path
from typing import Any, BinaryIO

UINT32, INT32, FLOAT32, BOOL, STRING, ARRAY, UINT64 = 4, 5, 6, 7, 8, 9, 10
_FMT = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
Typed = tuple[int, Any]  # (gguf type, value); arrays: (ARRAY, (item type, [values]))


def _read(handle: BinaryIO, fmt: str) -> Any:
    return struct.unpack(fmt, handle.read(struct.calcsize(fmt)))[0]


def _string(handle: BinaryIO) -> str:
    return handle.read(_read(handle, "<Q")).decode("utf-8")


def _value(handle: BinaryIO, kind: int) -> Any:
    if kind in _FMT:
        return _read(handle, _FMT[kind])
    if kind == STRING:
        return _string(handle)
    item = _read(handle, "<I")
    count = _read(handle, "<Q")
    return (item, [_value(handle, item) for _ in range(count)])


def _write_string(out: BinaryIO, text: str) -> None:
    data = text.encode("utf-8")
    out.write(struct.pack("<Q", len(data)) + data)


def _write_value(out: BinaryIO, kind: int, value: Any) -> None:
    if kind in _FMT:
        out.write(struct.pack(_FMT[kind], value))
    elif kind == STRING:
        _write_string(out, value)
    else:
        item, values = value
        out.write(struct.pack("<IQ", item, len(values)))
        for element in values:
            _write_value(out, item, element)


def forge(
    source: Path,
    target: Path,
    *,
    changes: dict[str, Typed | None] | None = None,
    tensor_shapes: dict[str, tuple[int, ...]] | None = None,
) -> Path:
    """Copy `source` to `target` with key/values changed (None removes a key)."""
    with source.open("rb") as handle:
        assert handle.read(4) == b"GGUF"
        version = _read(handle, "<I")
        n_tensors = _read(handle, "<Q")
        n_kv = _read(handle, "<Q")
        kvs: dict[str, Typed] = {}
        for _ in range(n_kv):
            key = _string(handle)
            kind = _read(handle, "<I")
            kvs[key] = (kind, _value(handle, kind))
        tensors = []
        for _ in range(n_tensors):
            name = _string(handle)
            dims = _read(handle, "<I")
            shape = tuple(_read(handle, "<Q") for _ in range(dims))
            tensors.append((name, shape, _read(handle, "<I"), _read(handle, "<Q")))
        alignment = int(kvs.get("general.alignment", (UINT32, 32))[1])
        end = handle.tell()
        data_start = end + (-end % alignment)
    for key, typed in (changes or {}).items():
        if typed is None:
            kvs.pop(key, None)
        else:
            kvs[key] = typed
    with target.open("wb") as out:
        out.write(b"GGUF" + struct.pack("<IQQ", version, len(tensors), len(kvs)))
        for key, (kind, value) in kvs.items():
            _write_string(out, key)
            out.write(struct.pack("<I", kind))
            _write_value(out, kind, value)
        for name, shape, kind, offset in tensors:
            shape = (tensor_shapes or {}).get(name, shape)
            _write_string(out, name)
            out.write(struct.pack("<I", len(shape)) + b"".join(struct.pack("<Q", d) for d in shape))
            out.write(struct.pack("<IQ", kind, offset))
        here = out.tell()
        out.write(b"\0" * (-here % alignment))
        with source.open("rb") as handle:
            handle.seek(data_start)
            shutil.copyfileobj(handle, out, 1 << 20)
    return target
