"""/api/create's `quantize`: write a model's GGUF again with its weights in another type.

Like Ollama, from F16/F32/BF16 weights; unlike Ollama, an already quantized GGUF is accepted
too (each tensor is dequantized first, which compounds the rounding: the caller warns). The
legacy types (q4_0, q4_1, q5_0, q5_1, q8_0) are quantized in numpy by PyPI's gguf; K-quants by
the prebuilt backend (quantize_native). The "_M" mixes follow llama.cpp's idea: the tensors that
hurt most when coarse (token embeddings/output, attention values, FFN down) get Q6_K.

Only matrices are quantized; norms, biases and anything whose rows do not split into the type's
blocks stay as they are (a K-quant row that is not a multiple of 256 falls back to the nearest
legacy type, as llama.cpp does).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

# Ollama's names (case-insensitive) -> (main type, type of the sensitive tensors, file type).
_LEGACY = {"q4_0": "Q4_0", "q4_1": "Q4_1", "q5_0": "Q5_0", "q5_1": "Q5_1", "q8_0": "Q8_0"}
_K = {
    "q4_k_s": ("Q4_K", "Q4_K", "MOSTLY_Q4_K_S"),
    "q4_k_m": ("Q4_K", "Q6_K", "MOSTLY_Q4_K_M"),
    "q5_k_s": ("Q5_K", "Q5_K", "MOSTLY_Q5_K_S"),
    "q5_k_m": ("Q5_K", "Q6_K", "MOSTLY_Q5_K_M"),
    "q6_k": ("Q6_K", "Q6_K", "MOSTLY_Q6_K"),
}
_K_FALLBACK = {"Q4_K": "Q5_0", "Q5_K": "Q5_1", "Q6_K": "Q8_0"}
_FLOAT_SOURCES = {"F32", "F16", "BF16"}
_SENSITIVE = re.compile(r"(^token_embd\.|^output\.|attn_v\.|ffn_down)")
_KEEP = re.compile(r"(norm|ffn_gate_inp|pos_embd|token_types)")


class QuantizeError(ValueError):
    """A request that cannot be done, said plainly."""


@dataclass(frozen=True)
class Plan:
    level: str  # as Ollama spells it in /api/tags' quantization_level, e.g. "Q4_K_M"
    main: str
    sensitive: str
    file_type: str


def supported() -> list[str]:
    from desktop.engine import quantize_native

    names = list(_LEGACY)
    if quantize_native.available():
        names += list(_K)
    return names


def plan_for(quantize: str) -> Plan:
    key = quantize.strip().lower()
    if key in _LEGACY:
        main = _LEGACY[key]
        return Plan(main, main, main, f"MOSTLY_{main}")
    if key in _K:
        from desktop.engine import quantize_native

        if not quantize_native.available():
            raise QuantizeError(f"this engine cannot make {quantize}: its backend has no K-quant quantizer")
        main, sensitive, file_type = _K[key]
        return Plan(key.upper(), main, sensitive, file_type)
    raise QuantizeError(f"unsupported quantization type {quantize}; use one of {', '.join(supported())}")


def source_type(path: Path) -> str:
    """The model's main weight type (the most common among its matrices), e.g. F16 or Q4_1."""
    import gguf

    reader = gguf.GGUFReader(str(path))
    counts: dict[str, int] = {}
    for tensor in reader.tensors:
        if len(tensor.shape) >= 2:
            name = tensor.tensor_type.name
            counts[name] = counts.get(name, 0) + int(tensor.n_elements)
    return max(counts, key=lambda k: counts[k]) if counts else "F32"


def is_float(type_name: str) -> bool:
    return type_name in _FLOAT_SOURCES


def _target(name: str, shape: tuple[int, ...], plan: Plan) -> str | None:
    """The type a tensor becomes, or None to copy it as it is."""
    import gguf

    if len(shape) < 2 or _KEEP.search(name) or not name.endswith(".weight"):
        return None
    wanted = plan.sensitive if _SENSITIVE.search(name) else plan.main
    row = shape[0]  # ne0: the length of a row
    block = gguf.GGML_QUANT_SIZES[gguf.GGMLQuantizationType[wanted]][0]
    if row % block:
        wanted = _K_FALLBACK.get(wanted, wanted)
        block = gguf.GGML_QUANT_SIZES[gguf.GGMLQuantizationType[wanted]][0]
        if row % block:
            return None
    return wanted


def _as_float(tensor: Any) -> np.ndarray:
    import gguf

    kind = tensor.tensor_type
    data = np.asarray(tensor.data)
    if kind == gguf.GGMLQuantizationType.F32:
        return data.astype(np.float32, copy=False)
    if kind == gguf.GGMLQuantizationType.F16:
        return data.astype(np.float32)
    return np.asarray(gguf.quants.dequantize(data, kind), dtype=np.float32)


def _quantized(rows: np.ndarray, type_name: str) -> np.ndarray:
    import gguf

    if type_name.endswith("_K"):
        from desktop.engine import quantize_native

        return quantize_native.quantize_k(rows.reshape(-1, rows.shape[-1]), type_name)
    return np.asarray(gguf.quants.quantize(rows, gguf.GGMLQuantizationType[type_name]))


def _copy_fields(reader: Any, writer: Any, file_type: int) -> None:
    import gguf

    for field in reader.fields.values():
        if field.name.startswith("GGUF.") or field.name in ("general.architecture", "general.file_type"):
            continue
        kind = field.types[0]
        sub = field.types[-1] if kind == gguf.GGUFValueType.ARRAY and len(field.types) > 1 else None
        writer.add_key_value(field.name, field.contents(), kind, sub_type=sub)
    writer.add_uint32("general.file_type", file_type)


Progress = Callable[[int, int], None]


def quantize_file(source: Path, target: Path, plan: Plan, progress: Progress | None = None) -> None:
    """Write `source` as `target` under `plan`, tensor by tensor (never the whole model in memory).

    `progress(done, total)` is called after each tensor. A failure leaves no `target` behind.
    """
    import gguf

    reader = gguf.GGUFReader(str(source))
    arch_field = reader.fields.get("general.architecture")
    if arch_field is None:
        raise QuantizeError("the model file names no architecture")
    arch = str(arch_field.contents())
    partial = target.with_name(target.name + ".partial")
    writer = gguf.GGUFWriter(str(partial), arch)
    try:
        _copy_fields(reader, writer, int(gguf.LlamaFileType[plan.file_type]))
        targets: list[str | None] = []
        for tensor in reader.tensors:
            shape = tuple(int(n) for n in tensor.shape)
            kind = _target(tensor.name, shape, plan)
            targets.append(kind)
            if kind is None:
                data = np.asarray(tensor.data)
                raw = tensor.tensor_type
                writer.add_tensor_info(tensor.name, data.shape, data.dtype, data.nbytes, raw_dtype=raw)
                continue
            qtype = gguf.GGMLQuantizationType[kind]
            byte_shape = gguf.quants.quant_shape_to_byte_shape(tuple(reversed(shape)), qtype)
            nbytes = int(np.prod(byte_shape))
            writer.add_tensor_info(tensor.name, byte_shape, np.dtype(np.uint8), nbytes, raw_dtype=qtype)
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_ti_data_to_file()
        total = len(reader.tensors)
        for done, (tensor, kind) in enumerate(zip(reader.tensors, targets, strict=True), start=1):
            if kind is None:
                writer.write_tensor_data(np.asarray(tensor.data))
            else:
                rows = _as_float(tensor).reshape(tuple(reversed([int(n) for n in tensor.shape])))
                writer.write_tensor_data(_quantized(rows, kind))
            if progress is not None:
                progress(done, total)
        writer.close()
        os.replace(partial, target)
    except BaseException:
        writer.close()
        partial.unlink(missing_ok=True)
        raise
