"""K-quants through the prebuilt llama.cpp backend's own quantizer (no compiler needed).

PyPI's gguf quantizes only the legacy types (Q4_0..Q8_0) in numpy. The xllamacpp wheel the
engine already ships exports ggml's `ggml_quantize_chunk`, which does every type; it is called
through ctypes. The enum values of ggml_type are part of the GGUF format (they are written into
every file), so they cannot drift; still, each new backend is checked once by quantizing a known
block and reading it back with gguf's numpy dequantizer, and is refused if the two disagree.
"""

from __future__ import annotations

import ctypes
import functools
import importlib.util
from pathlib import Path
from typing import Any

import numpy as np

GGML_TYPES = {"Q4_K": 12, "Q5_K": 13, "Q6_K": 14}
BLOCK = 256


@functools.cache
def _backend() -> Any:
    spec = importlib.util.find_spec("xllamacpp")
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent
    for candidate in sorted(folder.glob("xllamacpp*.so")) + sorted(folder.glob("xllamacpp*.pyd")):
        try:
            lib = ctypes.CDLL(str(candidate))
            fn = lib.ggml_quantize_chunk
        except (OSError, AttributeError):
            continue
        fn.restype = ctypes.c_size_t
        fn.argtypes = [
            ctypes.c_int,
            ctypes.c_void_p,
            ctypes.c_void_p,
            ctypes.c_int64,
            ctypes.c_int64,
            ctypes.c_int64,
            ctypes.c_void_p,
        ]
        return fn
    return None


def _quantize_with(fn: Any, rows: np.ndarray, name: str) -> np.ndarray:
    import gguf

    qtype = gguf.GGMLQuantizationType[name]
    data = np.ascontiguousarray(rows, dtype=np.float32)
    n_rows, n_per_row = data.shape
    block, type_size = gguf.GGML_QUANT_SIZES[qtype]
    out = np.empty((n_rows, n_per_row // block * type_size), dtype=np.uint8)
    written = fn(GGML_TYPES[name], data.ctypes.data, out.ctypes.data, 0, n_rows, n_per_row, None)
    if written != out.nbytes:
        raise RuntimeError(f"the backend wrote {written} bytes for {out.nbytes}")
    return out


@functools.cache
def available() -> bool:
    """Whether the backend's quantizer is there and agrees with gguf's reading of its output."""
    fn = _backend()
    if fn is None:
        return False
    import gguf

    sample = np.sin(np.arange(4 * BLOCK, dtype=np.float32)).reshape(2, 2 * BLOCK)
    try:
        for name in GGML_TYPES:
            back = gguf.quants.dequantize(_quantize_with(fn, sample, name), gguf.GGMLQuantizationType[name])
            if back.shape != sample.shape or float(np.abs(back - sample).max()) > 0.1:
                return False
    except (RuntimeError, NotImplementedError, ValueError):
        return False
    return True


def quantize_k(rows: np.ndarray, name: str) -> np.ndarray:
    """`rows` (float32, rows x n with n a multiple of 256) as the bytes of K-quant `name`."""
    fn = _backend()
    if fn is None or not available():
        raise RuntimeError("this engine's backend has no K-quant quantizer")
    return _quantize_with(fn, rows, name)
