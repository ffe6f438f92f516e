"""A small, defensive GGUF reader: metadata, tensor table, and a structural check.

llama.cpp trusts the file it is given; a truncated or hostile GGUF can crash the process.
So every model is read here first: header, key/values, tensor infos, and every tensor's
data range must lie inside the file. A file that fails raises GGUFError with a plain
message and never reaches llama.cpp.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

MAGIC = b"GGUF"
MAX_STRING = 1 << 24  # 16 MiB: a chat template is a few KiB; anything this big is garbage
MAX_ARRAY = 1 << 26
MAX_COUNT = 1 << 20
LAYER_ARRAY_LIMIT = 4096  # per-layer arrays are block_count long (llama.cpp: at most 512)

_SCALARS: dict[int, tuple[str, int]] = {
    0: ("<B", 1),
    1: ("<b", 1),
    2: ("<H", 2),
    3: ("<h", 2),
    4: ("<I", 4),
    5: ("<i", 4),
    6: ("<f", 4),
    7: ("<?", 1),
    10: ("<Q", 8),
    11: ("<q", 8),
    12: ("<d", 8),
}
_STRING = 8
_ARRAY = 9

# ggml tensor types whose block layout is certain: type -> (elements per block, bytes per block)
_BLOCKS: dict[int, tuple[int, int]] = {
    0: (1, 4),  # F32
    1: (1, 2),  # F16
    2: (32, 18),  # Q4_0
    3: (32, 20),  # Q4_1
    6: (32, 22),  # Q5_0
    7: (32, 24),  # Q5_1
    8: (32, 34),  # Q8_0
    10: (256, 84),  # Q2_K
    11: (256, 110),  # Q3_K
    12: (256, 144),  # Q4_K
    13: (256, 176),  # Q5_K
    14: (256, 210),  # Q6_K
    30: (1, 2),  # BF16
}

# llama_ftype -> the name Ollama shows as quantization_level
FILE_TYPES: dict[int, str] = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K",
    11: "Q3_K_S", 12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S",
    17: "Q5_K_M", 18: "Q6_K", 19: "IQ2_XXS", 20: "IQ2_XS", 21: "Q2_K_S", 22: "IQ3_XS",
    23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL", 26: "IQ3_S", 27: "IQ3_M", 28: "IQ2_S",
    29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16", 36: "TQ1_0", 37: "TQ2_0", 38: "MXFP4",
}  # fmt: skip


class GGUFError(ValueError):
    """The file is not a usable GGUF model; the message says why in plain words."""


@dataclass(frozen=True)
class TensorInfo:
    name: str
    shape: tuple[int, ...]
    type: int
    offset: int


@dataclass
class GGUFFile:
    path: Path
    version: int
    metadata: dict[str, Any]
    tensors: list[TensorInfo] = field(default_factory=list)
    elided: set[str] = field(default_factory=set)  # long arrays not kept (keep_arrays=False)
    array_lengths: dict[str, int] = field(default_factory=dict)  # every array, elided or not
    # Elided scalar arrays short enough to be per-layer values (head counts...), for the load check.
    layer_arrays: dict[str, list[Any]] = field(default_factory=dict)

    def array(self, key: str) -> list[Any] | None:
        """An array value, elided or not (tokenizer arrays excepted), or None."""
        value = self.metadata.get(key)
        if isinstance(value, list):
            return value
        return self.layer_arrays.get(key)

    @property
    def architecture(self) -> str:
        return str(self.metadata.get("general.architecture", ""))

    def arch_value(self, key: str) -> Any:
        return self.metadata.get(f"{self.architecture}.{key}")

    @property
    def context_length(self) -> int:
        value = self.arch_value("context_length")
        return int(value) if isinstance(value, int) else 0

    @property
    def embedding_length(self) -> int:
        value = self.arch_value("embedding_length")
        return int(value) if isinstance(value, int) else 0

    @property
    def parameter_count(self) -> int:
        return sum(math.prod(t.shape) for t in self.tensors)

    @property
    def file_type(self) -> str:
        value = self.metadata.get("general.file_type")
        if isinstance(value, int) and value in FILE_TYPES:
            return FILE_TYPES[value]
        return "unknown"

    @property
    def chat_template(self) -> str:
        value = self.metadata.get("tokenizer.chat_template")
        return value if isinstance(value, str) else ""


class _Reader:
    def __init__(self, handle: BinaryIO, size: int) -> None:
        self.handle = handle
        self.size = size

    def read(self, n: int) -> bytes:
        data = self.handle.read(n)
        if len(data) != n:
            raise GGUFError("the GGUF file is truncated (its header ends early)")
        return data

    def scalar(self, kind: int) -> Any:
        fmt, width = _SCALARS[kind]
        return struct.unpack(fmt, self.read(width))[0]

    def u32(self) -> int:
        return int(struct.unpack("<I", self.read(4))[0])

    def u64(self) -> int:
        return int(struct.unpack("<Q", self.read(8))[0])

    def string(self) -> str:
        length = self.u64()
        if length > MAX_STRING or length > self.size:
            raise GGUFError("the GGUF file is damaged (a string length is out of range)")
        return self.read(length).decode("utf-8", errors="replace")

    def skip(self, n: int) -> None:
        if self.handle.tell() + n > self.size:
            raise GGUFError("the GGUF file is truncated (its header ends early)")
        self.handle.seek(n, 1)

    def value(self, kind: int, keep: bool, keep_below: int = 0) -> tuple[Any, bool, int]:
        """A value, whether it was elided, and its length for an array (else -1).

        With keep=False a long array is skipped (elided), except arrays of scalars shorter
        than `keep_below`, which are read and still reported elided (the caller keeps them
        aside: per-layer hyperparameters that the load check needs)."""
        if kind in _SCALARS:
            return self.scalar(kind), False, -1
        if kind == _STRING:
            return self.string(), False, -1
        if kind != _ARRAY:
            raise GGUFError(f"the GGUF file is damaged (unknown value type {kind})")
        item_kind = self.u32()
        count = self.u64()
        if count > MAX_ARRAY:
            raise GGUFError("the GGUF file is damaged (an array length is out of range)")
        if item_kind == _ARRAY:
            raise GGUFError("the GGUF file uses nested arrays, which are not supported")
        if not keep and 5 < count < keep_below and item_kind in _SCALARS:
            return [self.scalar(item_kind) for _ in range(count)], True, count
        if not keep and count > 5:
            if item_kind in _SCALARS:
                self.skip(count * _SCALARS[item_kind][1])
            elif item_kind == _STRING:
                for _ in range(count):
                    length = self.u64()
                    if length > MAX_STRING:
                        raise GGUFError("the GGUF file is damaged (a string length is out of range)")
                    self.skip(length)
            else:
                raise GGUFError(f"the GGUF file is damaged (unknown array type {item_kind})")
            return None, True, count
        return [self.value(item_kind, True)[0] for _ in range(count)], False, count


def read_gguf(path: Path, *, keep_arrays: bool = False) -> GGUFFile:
    """Read and check a GGUF file. Raises GGUFError for anything llama.cpp could choke on."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            return _parse(_Reader(handle, size), path, keep_arrays)
    except GGUFError:
        raise
    except (OSError, struct.error) as exc:
        raise GGUFError(f"the model file could not be read: {exc}") from exc


def _parse(reader: _Reader, path: Path, keep_arrays: bool) -> GGUFFile:
    if reader.size < 24:
        raise GGUFError("the file is not a GGUF model (it is too small)")
    if reader.read(4) != MAGIC:
        raise GGUFError("the file is not a GGUF model (wrong magic bytes)")
    version = reader.u32()
    if version not in (2, 3):
        raise GGUFError(f"the GGUF version {version} is not supported")
    tensor_count = reader.u64()
    kv_count = reader.u64()
    if tensor_count > MAX_COUNT or kv_count > MAX_COUNT:
        raise GGUFError("the GGUF file is damaged (its counts are out of range)")
    metadata: dict[str, Any] = {}
    elided: set[str] = set()
    array_lengths: dict[str, int] = {}
    layer_arrays: dict[str, list[Any]] = {}
    for _ in range(kv_count):
        key = reader.string()
        kind = reader.u32()
        keep_below = 0 if key.startswith("tokenizer.") else LAYER_ARRAY_LIMIT
        value, was_elided, length = reader.value(kind, keep_arrays, keep_below)
        if length >= 0:
            array_lengths[key] = length
        if was_elided:
            elided.add(key)
            if value is not None:
                layer_arrays[key] = value
                value = None
        metadata[key] = value
    tensors: list[TensorInfo] = []
    for _ in range(tensor_count):
        name = reader.string()
        n_dims = reader.u32()
        if n_dims == 0 or n_dims > 8:
            raise GGUFError("the GGUF file is damaged (a tensor has an impossible shape)")
        shape = tuple(reader.u64() for _ in range(n_dims))
        tensors.append(TensorInfo(name=name, shape=shape, type=reader.u32(), offset=reader.u64()))
    alignment = metadata.get("general.alignment", 32)
    if not isinstance(alignment, int) or alignment <= 0 or alignment & (alignment - 1):
        raise GGUFError("the GGUF file is damaged (bad alignment)")
    header_end = reader.handle.tell()
    data_start = header_end + (-header_end % alignment)
    data_size = reader.size - data_start
    if tensor_count and data_size <= 0:
        raise GGUFError("the GGUF file is truncated (it has no tensor data)")
    for tensor in tensors:
        elements = math.prod(tensor.shape)
        block = _BLOCKS.get(tensor.type)
        nbytes = elements // block[0] * block[1] if block else 1
        if tensor.offset + nbytes > data_size:
            raise GGUFError(
                f"the GGUF file is truncated or damaged "
                f"(tensor {tensor.name!r} lies past the end of the file)"
            )
    if "general.architecture" not in metadata:
        raise GGUFError("the GGUF file has no general.architecture key")
    return GGUFFile(
        path=path,
        version=version,
        metadata=metadata,
        tensors=tensors,
        elided=elided,
        array_lengths=array_lengths,
        layer_arrays=layer_arrays,
    )


def human_parameters(count: int) -> str:
    """Ollama's format.HumanNumber: 134515008 -> "134.52M", 7615616512 -> "7.6B"."""
    if count >= 1_000_000_000:
        value = count / 1e9
        return f"{value:.0f}B" if value == math.floor(value) else f"{value:.1f}B"
    if count >= 1_000_000:
        value = count / 1e6
        return f"{value:.0f}M" if value == math.floor(value) else f"{value:.2f}M"
    if count >= 1_000:
        value = count / 1e3
        return f"{value:.0f}K" if value == math.floor(value) else f"{value:.2f}K"
    return str(count)
