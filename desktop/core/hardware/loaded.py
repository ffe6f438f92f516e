"""Installed and loaded models: an installed model's real numbers for sizing, and what /api/ps
says after a load against the estimate. Split from recommend.py, which re-exports both."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from desktop.core.hardware.machine import gb
from desktop.core.hardware.sizing import Estimate, ModelSpec, parse_parameter_size, spec_from_show

if TYPE_CHECKING:
    from desktop.core.catalog import Catalog
    from desktop.core.ollama.types import ModelInfo, RunningModel, ShowInfo


# -- installed models -----------------------------------------------------------------------


def spec_for_installed(
    model: ModelInfo, show: ShowInfo | None = None, catalog: Catalog | None = None
) -> ModelSpec:
    """An installed model's real numbers: /api/show's model_info first, then the catalog, then
    /api/tags' details alone (parameter size and quantization; the KV cache is then a rule of thumb)."""
    if show is not None and show.arch_int("block_count"):
        return spec_from_show(model.name, show, model.size)
    tag = catalog.tag(model.name) if catalog is not None else None
    if tag is not None:
        return replace(tag.spec(), name=model.name, file_size=model.size or tag.size)
    details = model.details
    return ModelSpec(
        name=model.name,
        params=parse_parameter_size(details.parameter_size),
        quantization=details.quantization_level or "Q4_K_M",
        file_size=model.size,
        context_length=details.context_length,
    )


# -- after a load: what /api/ps says ------------------------------------------------------


@dataclass(frozen=True)
class LoadCheck:
    name: str
    size: int
    size_vram: int
    spilled: bool  # part (or all) of the model is in system RAM
    gpu_share: float
    message: str


def check_loaded(running: RunningModel, expected: Estimate | None = None) -> LoadCheck:
    """Compare a loaded model's real split (size vs size_vram) with the estimate."""
    size, vram = running.size, running.size_vram
    share = vram / size if size > 0 else 0.0
    spilled = vram < size
    if not spilled:
        message = f"{running.name} runs fully on the GPU ({gb(size)})."
    elif vram == 0:
        message = f"{running.name} runs on the CPU only ({gb(size)} in system memory)."
    else:
        message = (
            f"{running.name} spilled to the CPU: {gb(vram)} of {gb(size)} is on the GPU and the rest "
            f"({gb(size - vram)}) runs on the CPU, so replies are slower. A smaller model, a lower "
            f"quantization or a shorter context would fit."
        )
    if expected is not None:
        message += f" The estimate was about {gb(expected.total)}."
    return LoadCheck(running.name, size, vram, spilled, share, message)
