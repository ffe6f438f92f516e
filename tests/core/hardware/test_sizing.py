"""Sizing figures against the reference numbers, budgets, and the /api/ps comparison."""

from __future__ import annotations

import pytest

from desktop.core.catalog import load_catalog
from desktop.core.hardware.machine import GIB, MIB, Gpu, Machine, Memory, gb, parse_size
from desktop.core.hardware.recommend import check_loaded
from desktop.core.hardware.sizing import (
    CUDA_MINIMUM,
    Fit,
    ModelSpec,
    budget,
    estimate,
    judge,
    kv_cache_bytes,
    parse_parameter_size,
    spec_from_show,
    usable_ram,
)
from desktop.core.ollama.types import ModelDetails, RunningModel, ShowInfo


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("32G", 32 * GIB),
        ("32GB", 32 * GIB),
        ("8 GiB", 8 * GIB),
        ("512M", 512 * MIB),
        ("16", 16 * GIB),
        ("0", 0),
        ("1.5g", int(1.5 * GIB)),
        ("1T", 1024 * GIB),
    ],
)
def test_parse_size(text: str, expected: int) -> None:
    assert parse_size(text) == expected


@pytest.mark.parametrize("bad", ["", "lots", "12X", "-4G"])
def test_parse_size_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_size(bad)


def test_parameter_size() -> None:
    assert parse_parameter_size("7.6B") == 7_600_000_000
    assert parse_parameter_size("135M") == 135_000_000
    assert parse_parameter_size("8x7B") == 56_000_000_000
    assert parse_parameter_size("?") == 0


def test_llama31_8b_matches_the_reference_table() -> None:
    # hardware-sizing.md 6.1: 4.56 GiB weights + 0.50 KV + 0.26 graph = 5.3 GiB at 4K (f16 KV).
    tag = load_catalog().tag("llama3.1:8b")
    assert tag is not None
    est = estimate(tag.spec(), 4096, backend="cpu")
    assert est.kv_cache == 512 * MIB  # 128 KiB per token
    assert est.graph == pytest.approx(264 * MIB, rel=0.01)
    assert est.on_cpu / GIB == pytest.approx(5.3, abs=0.05)
    gpu = estimate(tag.spec(), 4096, backend="cuda")
    assert gpu.total - gpu.on_cpu == CUDA_MINIMUM
    # 16 GiB of KV at 128K context.
    assert kv_cache_bytes(tag.spec(), 131072) == 16 * GIB


def test_context_is_clamped_to_the_model() -> None:
    tag = load_catalog().tag("bge-large")
    assert tag is not None
    assert estimate(tag.spec(), 8192).num_ctx == 512


def test_codellama_without_gqa_is_kv_hungry() -> None:
    catalog = load_catalog()
    code = catalog.tag("codellama:13b")
    qwen = catalog.tag("qwen2.5:14b")
    assert code is not None and qwen is not None
    assert kv_cache_bytes(code.spec(), 4096) > 4 * kv_cache_bytes(qwen.spec(), 4096)


def test_spec_from_show_uses_the_real_architecture() -> None:
    show = ShowInfo(
        details=ModelDetails(parameter_size="7.6B", quantization_level="Q4_K_M"),
        model_info={
            "general.architecture": "qwen2",
            "general.parameter_count": 7615616512,
            "qwen2.block_count": 28,
            "qwen2.attention.head_count": 28,
            "qwen2.attention.head_count_kv": 4,
            "qwen2.embedding_length": 3584,
            "qwen2.context_length": 32768,
        },
        capabilities=("completion", "tools"),
    )
    spec = spec_from_show("qwen2.5:7b", show, file_size=4_683_087_332)
    assert (spec.layers, spec.kv_heads, spec.head_dim, spec.context_length) == (28, 4, 128, 32768)
    est = estimate(spec, 4096)
    assert est.weights == 4_683_087_332 and est.weights_from_file
    assert est.kv_cache == 2 * 28 * 4 * 128 * 4096 * 2
    # Without the file size, the estimate from parameters lands within 10%.
    assert estimate(spec_from_show("x", show), 4096).weights == pytest.approx(4_683_087_332, rel=0.1)


def test_unknown_architecture_still_estimates() -> None:
    spec = ModelSpec(name="mystery", params=7_000_000_000, quantization="Q4_K_M")
    est = estimate(spec, 4096)
    assert est.kv_cache > 0 and est.graph > 0 and est.weights > 4e9


def _machine(ram: int, *gpus: Gpu) -> Machine:
    return Machine(memory=Memory(total=ram, available=ram, host_total=ram), gpus=gpus)


def _gpu(name: str, vendor: str, backend: str, total: int, free: int | None = -1) -> Gpu:
    return Gpu(
        name=name, vendor=vendor, backend=backend, vram_total=total, vram_free=total if free == -1 else free
    )


def test_gpus_pool_only_within_one_backend() -> None:
    same = budget(
        _machine(64 * GIB, _gpu("A", "nvidia", "cuda", 24 * GIB), _gpu("B", "nvidia", "cuda", 24 * GIB))
    )
    mixed = budget(
        _machine(64 * GIB, _gpu("A", "nvidia", "cuda", 24 * GIB), _gpu("B", "amd", "rocm", 24 * GIB))
    )
    assert same.gpu == 48 * GIB - CUDA_MINIMUM and same.gpu_names == ("A", "B")
    assert mixed.gpu == 24 * GIB and len(mixed.gpu_names) == 1
    tag = load_catalog().tag("llama3.1:70b")
    assert tag is not None
    assert judge(tag.spec(), same).kind is Fit.GPU
    assert judge(tag.spec(), mixed).kind is Fit.PARTIAL


def test_integrated_and_tiny_gpus_are_not_budgeted() -> None:
    igpu = Gpu(name="iGPU", vendor="intel", backend="vulkan", vram_total=0, integrated=True)
    tiny = _gpu("old", "nvidia", "cuda", 2 * GIB, free=512 * MIB)
    b = budget(_machine(16 * GIB, igpu, tiny))
    assert b.gpu == 0 and not b.has_gpu


def test_gpu_overhead_env_is_reserved() -> None:
    m = _machine(32 * GIB, _gpu("A", "nvidia", "cuda", 12 * GIB))
    assert budget(m, {"OLLAMA_GPU_OVERHEAD": str(GIB)}).gpu == budget(m).gpu - GIB


def test_unknown_free_vram_keeps_a_margin() -> None:
    b = budget(_machine(32 * GIB, _gpu("R", "amd", "rocm", 12 * GIB, free=None)))
    assert b.gpu == int(12 * GIB * 0.92)


def test_usable_ram() -> None:
    assert usable_ram(8 * GIB) == 4 * GIB
    assert usable_ram(64 * GIB) == int(64 * GIB * 0.85)
    assert usable_ram(512 * GIB) == 480 * GIB
    assert usable_ram(2 * GIB) == GIB


def test_partial_verdict_explains_the_slowdown() -> None:
    tag = load_catalog().tag("qwen2.5:14b")
    assert tag is not None
    v = judge(tag.spec(), budget(_machine(16 * GIB, _gpu("RTX", "nvidia", "cuda", 8 * GIB))))
    assert v.kind is Fit.PARTIAL
    assert 0.5 < v.gpu_share < 1 and v.slowdown > 1.5
    assert "part of it would run on the CPU" in v.summary and "slower" in v.summary
    d = v.to_dict()
    assert d["verdict"] == "partial" and d["need_bytes"] == v.need


def test_check_loaded_spill() -> None:
    spilled = check_loaded(RunningModel(name="qwen2.5:14b", size=10 * GIB, size_vram=7 * GIB))
    assert spilled.spilled and spilled.gpu_share == pytest.approx(0.7)
    assert "spilled to the CPU" in spilled.message and gb(3 * GIB) in spilled.message
    full = check_loaded(RunningModel(name="qwen2.5:7b", size=6 * GIB, size_vram=6 * GIB))
    assert not full.spilled and "fully on the GPU" in full.message
    cpu = check_loaded(RunningModel(name="llama3.2:3b", size=3 * GIB, size_vram=0))
    assert cpu.spilled and "CPU only" in cpu.message
    tag = load_catalog().tag("qwen2.5:14b")
    assert tag is not None
    with_estimate = check_loaded(
        RunningModel(name="q", size=10 * GIB, size_vram=9 * GIB), estimate(tag.spec())
    )
    assert "The estimate was about" in with_estimate.message


def test_installed_models_use_show_then_catalog_then_details() -> None:
    from desktop.core.hardware.recommend import spec_for_installed
    from desktop.core.ollama.types import ModelInfo

    cat = load_catalog()
    show = ShowInfo(
        details=ModelDetails(parameter_size="8.0B", quantization_level="Q8_0"),
        model_info={
            "general.architecture": "llama",
            "llama.block_count": 32,
            "llama.attention.head_count": 32,
            "llama.attention.head_count_kv": 8,
            "llama.embedding_length": 4096,
        },
    )
    installed = ModelInfo(name="my-llama:latest", size=8_540_000_000, details=show.details)
    from_show = spec_for_installed(installed, show, cat)
    assert (from_show.layers, from_show.kv_heads, from_show.head_dim, from_show.file_size) == (
        32,
        8,
        128,
        8_540_000_000,
    )
    from_catalog = spec_for_installed(ModelInfo(name="qwen2.5:7b", size=4_683_087_332), None, cat)
    assert from_catalog.layers == 28 and from_catalog.file_size == 4_683_087_332
    bare = spec_for_installed(
        ModelInfo(
            name="x:1b", size=10**9, details=ModelDetails(parameter_size="1.2B", quantization_level="Q8_0")
        ),
        None,
        cat,
    )
    assert bare.params == 1_200_000_000 and bare.layers == 0
    assert estimate(bare).kv_cache > 0
