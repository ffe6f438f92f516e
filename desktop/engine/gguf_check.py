"""Metadata that llama.cpp asserts on, checked before a model is handed to it.

`read_gguf` proves a file is structurally sound; this proves its hyperparameters are ones
llama.cpp can load without tripping a GGML_ASSERT (which aborts the process: `block_count`
0 or 513, more experts than LLAMA_MAX_EXPERTS, a per-layer array of the wrong length, a head
count of 0 that it divides by) or reading past an array (scores shorter than the
vocabulary). The rules are a table over the architecture's keys, so a new architecture is
covered by the same checks; `check_loadable` raises NotLoadable with a sentence naming the
key, which the loader reports as the load error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop.engine.gguf import GGUFError, GGUFFile

LLAMA_MAX_LAYERS = 512  # llama-hparams.h
LLAMA_MAX_EXPERTS = 512
MAX_VOCAB = 1 << 22  # 4M tokens; the largest real vocabularies are ~260k
MAX_CONTEXT = 1 << 24
MAX_WIDTH = 1 << 20  # embedding and feed-forward widths
MAX_HEADS = 1 << 12
MAX_DIMS = 1 << 40  # one tensor dimension
MAX_ELEMENTS = 1 << 48  # one tensor
GGML_TYPE_COUNT = 64  # above every ggml type id in use (39 at the time of writing)
# Recurrent and other attention-free architectures legitimately have no attention heads.
NO_ATTENTION = {"mamba", "mamba2", "rwkv6", "rwkv6qwen2", "rwkv7", "arwkv7"}


class NotLoadable(GGUFError):
    """A GGUF that llama.cpp would abort on; the message names the field."""


@dataclass(frozen=True)
class _Rule:
    key: str  # after "<arch>."
    low: int
    high: int
    required: bool = False
    per_layer: bool = False  # a scalar, or an array of block_count values


_RULES = (
    _Rule("block_count", 1, LLAMA_MAX_LAYERS, required=True),
    _Rule("context_length", 1, MAX_CONTEXT),
    _Rule("embedding_length", 1, MAX_WIDTH, required=True),
    _Rule("feed_forward_length", 0, MAX_WIDTH, per_layer=True),
    _Rule("attention.head_count", 0, MAX_HEADS, per_layer=True),
    _Rule("attention.head_count_kv", 0, MAX_HEADS, per_layer=True),
    _Rule("attention.key_length", 1, 1 << 16),
    _Rule("attention.value_length", 1, 1 << 16),
    _Rule("rope.dimension_count", 0, 1 << 16),
    _Rule("expert_count", 0, LLAMA_MAX_EXPERTS),
    _Rule("expert_used_count", 0, LLAMA_MAX_EXPERTS),
    _Rule("expert_group_count", 0, LLAMA_MAX_EXPERTS),
    _Rule("expert_group_used_count", 0, LLAMA_MAX_EXPERTS),
    _Rule("vocab_size", 1, MAX_VOCAB),
)


def _fail(message: str) -> NotLoadable:
    return NotLoadable(f"{message}, which llama.cpp cannot load")


def _integer(key: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(f"{key} must be an integer")
    if not low <= value <= high:
        raise _fail(f"{key} is {value}, outside {low}..{high}")
    return value


def _values(meta: GGUFFile, rule: _Rule, n_layer: int) -> list[int] | None:
    key = f"{meta.architecture}.{rule.key}"
    present = key in meta.metadata or key in meta.array_lengths
    if not present:
        if rule.required:
            raise _fail(f"{key} is missing")
        return None
    if key in meta.array_lengths:
        if not rule.per_layer:
            raise _fail(f"{key} must be a single number")
        length = meta.array_lengths[key]
        if length != n_layer:
            raise _fail(f"{key} has {length} values for {n_layer} layers")
        values = meta.array(key)
        if values is None:
            raise _fail(f"{key} is too long to check")
        return [_integer(key, v, rule.low, rule.high) for v in values]
    return [_integer(key, meta.metadata[key], rule.low, rule.high)]


def check_loadable(meta: GGUFFile) -> None:
    """Raise NotLoadable if llama.cpp would assert on this model's metadata or tensors."""
    arch = meta.architecture
    if not arch or len(arch) > 64:
        raise _fail("general.architecture is missing or too long")
    layers_key = f"{arch}.block_count"
    n_layer = _integer(layers_key, meta.metadata.get(layers_key), 1, LLAMA_MAX_LAYERS)
    values = {rule.key: _values(meta, rule, n_layer) for rule in _RULES}
    _check_attention(arch, values, n_layer)
    _check_experts(arch, values)
    _check_vocabulary(meta, values.get("vocab_size"))
    _check_tensors(meta)


def _one(values: dict[str, list[int] | None], key: str) -> int | None:
    found = values.get(key)
    return None if found is None else max(found)


def _check_attention(arch: str, values: dict[str, list[int] | None], n_layer: int) -> None:
    heads = values.get("attention.head_count")
    kv = values.get("attention.head_count_kv")
    if arch in NO_ATTENTION:
        return
    if heads is None or max(heads) == 0:
        raise _fail(f"{arch}.attention.head_count must be above 0")
    width = _one(values, "embedding_length") or 0
    key_length = _one(values, "attention.key_length")
    if heads[0] > 0 and key_length is None and width % heads[0]:
        raise _fail(f"{arch}.embedding_length ({width}) is not a multiple of the head count ({heads[0]})")
    per_layer_heads = heads * n_layer if len(heads) == 1 else heads
    if kv is not None:
        if len(kv) == 1 and kv[0] == 0:
            raise _fail(f"{arch}.attention.head_count_kv must be above 0")
        per_layer_kv = kv * n_layer if len(kv) == 1 else kv
        for layer, (h, k) in enumerate(zip(per_layer_heads, per_layer_kv, strict=True)):
            # A 0 in a per-layer array is a layer without attention (hybrid models).
            if h and k and h % k:
                raise _fail(
                    f"{arch}.attention.head_count_kv ({k}) does not divide "
                    f"the head count ({h}) in layer {layer}"
                )
    rope = _one(values, "rope.dimension_count")
    head_width = key_length or (width // heads[0] if heads[0] else 0)
    if rope is not None and head_width and rope > head_width:
        raise _fail(f"{arch}.rope.dimension_count ({rope}) is wider than a head ({head_width})")


def _check_experts(arch: str, values: dict[str, list[int] | None]) -> None:
    experts = _one(values, "expert_count") or 0
    used = _one(values, "expert_used_count") or 0
    if experts == 0 and used:
        raise _fail(f"{arch}.expert_used_count is {used} for a model without experts")
    if experts and not 0 < used <= experts:
        raise _fail(f"{arch}.expert_used_count ({used}) must be between 1 and expert_count ({experts})")
    groups = _one(values, "expert_group_count") or 0
    groups_used = _one(values, "expert_group_used_count") or 0
    if groups:
        if not experts or groups >= experts or experts % groups:
            raise _fail(f"{arch}.expert_group_count ({groups}) does not divide expert_count ({experts})")
        if not 0 < groups_used < groups:
            raise _fail(f"{arch}.expert_group_used_count ({groups_used}) must be between 1 and {groups - 1}")


def _check_vocabulary(meta: GGUFFile, declared: list[int] | None) -> None:
    n_vocab = meta.array_lengths.get("tokenizer.ggml.tokens")
    if n_vocab is None:
        raise _fail("the vocabulary (tokenizer.ggml.tokens) is missing")
    if not 0 < n_vocab <= MAX_VOCAB:
        raise _fail(f"the vocabulary has {n_vocab} tokens")
    if declared is not None and declared[0] != n_vocab:
        raise _fail(f"vocab_size ({declared[0]}) differs from the vocabulary ({n_vocab} tokens)")
    for key in ("tokenizer.ggml.scores", "tokenizer.ggml.token_type"):
        length = meta.array_lengths.get(key)
        if length is not None and length != n_vocab:
            raise _fail(f"{key} has {length} entries for {n_vocab} tokens")
    # Special token ids outside the vocabulary are not checked: llama.cpp warns and falls
    # back to its defaults (measured: bos_token_id 10**6 loads and answers), and real
    # conversions ship such ids (a padding id equal to the vocabulary size).
    embd = next((t for t in meta.tensors if t.name == "token_embd.weight"), None)
    if embd is not None and len(embd.shape) >= 2 and embd.shape[1] != n_vocab:
        raise _fail(f"token_embd.weight has {embd.shape[1]} rows for {n_vocab} tokens")


def _check_tensors(meta: GGUFFile) -> None:
    if not meta.tensors:
        raise _fail("the file has no tensors")
    seen: set[str] = set()
    for tensor in meta.tensors:
        if tensor.name in seen:
            raise _fail(f"the tensor {tensor.name[:80]!r} appears twice")
        seen.add(tensor.name)
        if not tensor.name or len(tensor.name) > 256:
            raise _fail("a tensor has an empty or over-long name")
        if not 0 <= tensor.type < GGML_TYPE_COUNT:
            raise _fail(f"the tensor {tensor.name[:80]!r} has an unknown type {tensor.type}")
        elements = 1
        for dim in tensor.shape:
            if not 0 < dim <= MAX_DIMS:
                raise _fail(f"the tensor {tensor.name[:80]!r} has a dimension of {dim}")
            elements *= dim
        if elements > MAX_ELEMENTS:
            raise _fail(f"the tensor {tensor.name[:80]!r} is impossibly large")
