"""/api/create with `quantize` on the real engine: the starter model requantized, listed and chatted with."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import gguf
import numpy as np
import pytest

from desktop.core.ollama import ChatMessage, OllamaClient, OllamaError, Timeouts
from desktop.core.ollama.types import PullProgress
from desktop.engine.quantize import plan_for, quantize_file, source_type
from desktop.engine.starter import starter_gguf

pytestmark = pytest.mark.engine
MODEL = "smollm2:135m"
# At temperature 0 the 135M model's first prompt wording flips between quantizations; this one holds.
QUESTION = "What is the capital city of France? Answer with one word."
SHORT = {"num_predict": 12, "seed": 1, "temperature": 0.0}


@pytest.fixture(scope="module")
def quant_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.support.engine import start_engine

    engine = start_engine(tmp_path_factory.mktemp("quantize-engine"))
    try:
        yield engine.url
    finally:
        engine.stop()


def _client(url: str) -> OllamaClient:
    return OllamaClient(url, timeouts=Timeouts(first_token=120, idle=120))


async def _create(client: OllamaClient, name: str, quantize: str) -> list[PullProgress]:
    return [line async for line in client.create(name, from_=MODEL, quantize=quantize)]


def test_requantized_starter_is_listed_and_answers(quant_engine: str) -> None:
    async def body() -> tuple[list[PullProgress], dict[str, tuple[int, str]], str]:
        async with _client(quant_engine) as client:
            lines = await _create(client, "smollm2-q8:135m", "q8_0")
            tags = {m.name: (m.size, m.details.quantization_level) for m in await client.tags()}
            parts = [
                c.content
                async for c in client.chat(
                    "smollm2-q8:135m",
                    [ChatMessage("user", QUESTION)],
                    options=SHORT,
                )
            ]
            return lines, tags, "".join(parts)

    lines, tags, answer = asyncio.run(body())
    statuses = [line.status for line in lines]
    assert any(s.startswith("warning: the model is already quantized (Q4_1)") for s in statuses)
    counted = [line for line in lines if line.status == "quantizing Q4_1 model to Q8_0" and line.total]
    assert counted and counted[-1].completed == counted[-1].total == 272  # every tensor of SmolLM2-135M
    assert statuses[-1] == "success"
    size, level = tags["smollm2-q8:135m"]
    assert level == "Q8_0"
    assert size > tags[MODEL][0] * 1.3  # 8-bit weights against 4-bit ones
    assert "Paris" in answer


def test_k_quant_mix_and_refusals(quant_engine: str) -> None:
    async def body() -> tuple[list[PullProgress], str, str]:
        async with _client(quant_engine) as client:
            lines = await _create(client, "smollm2-q4km:135m", "q4_K_M")
            level = {m.name: m.details.quantization_level for m in await client.tags()}["smollm2-q4km:135m"]
            errors = []
            for bad in ("q9_z", "q4_1"):
                try:
                    await _create(client, f"bad-{bad}:1", bad)
                except OllamaError as exc:
                    errors.append(str(exc))
            return lines, level, " | ".join(errors)

    lines, level, errors = asyncio.run(body())
    assert lines[-1].status == "success"
    assert level == "Q4_K_M"
    assert "unsupported quantization type q9_z" in errors
    assert "already Q4_1" in errors


def test_k_quant_file_types_and_round_trip(tmp_path: Path) -> None:
    """SmolLM2's 576-wide rows cannot hold 256-blocks: Q5_0 stands in, FFN down (1536) gets Q6_K."""
    out = tmp_path / "q4km.gguf"
    quantize_file(starter_gguf(), out, plan_for("q4_K_M"))
    reader = gguf.GGUFReader(str(out))
    types = {t.name: t.tensor_type.name for t in reader.tensors}
    assert types["blk.0.ffn_down.weight"] == "Q6_K"
    assert types["blk.0.attn_q.weight"] == "Q5_0"
    assert types["blk.0.attn_norm.weight"] == "F32"
    assert source_type(out) == "Q5_0"
    source = {t.name: t for t in gguf.GGUFReader(str(starter_gguf())).tensors}
    tensor = next(t for t in reader.tensors if t.name == "blk.0.ffn_down.weight")
    before = gguf.quants.dequantize(np.asarray(source[tensor.name].data), source[tensor.name].tensor_type)
    after = gguf.quants.dequantize(np.asarray(tensor.data), tensor.tensor_type)
    assert after.shape == before.shape
    assert float(np.abs(after - before).mean()) < 0.1 * float(np.abs(before).mean())
    assert not list(tmp_path.glob("*.partial"))
