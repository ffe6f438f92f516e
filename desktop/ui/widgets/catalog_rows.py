"""The catalog as flat rows for the browser: one per pullable tag, with its hardware verdict.

Reads desktop.core.catalog (the hardware panel's module) through its typed API: a renamed field
is a type error here, not a silent zero on screen.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from desktop.core import catalog as core_catalog
from desktop.core.catalog import Catalog
from desktop.core.hardware.sizing import Verdict

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CatalogRow:
    """One pullable tag, flattened for display."""

    model: str  # "qwen2.5"
    tag: str  # "qwen2.5:7b"
    size: int  # download bytes
    quantization: str
    parameters: str
    context_length: int
    capabilities: tuple[str, ...]
    description: str  # in the UI language when the catalog has it
    verdict: str  # a rating: "gpu" | "partial" | "cpu" (fast enough) | "slow" | "too_large" | "" (unknown)
    verdict_text: str  # the sizing's plain English sentence (fallback for the tooltip)
    need: int = 0  # bytes the model needs on the device it would run on
    gpu_budget: int = 0
    ram_budget: int = 0
    gpu_share: float = 0.0
    slowdown: float = 1.0
    tokens_per_second: float = 0.0  # estimated here; 0 when unknown


def load_rows(language: str) -> tuple[list[CatalogRow], str]:
    """Rows from desktop.core.catalog, and the catalog's date; ([], "") if it cannot be read."""
    try:
        return adapt_catalog(core_catalog.load_catalog(), language)
    except core_catalog.CatalogError:  # a broken catalog must not take the page down
        log.exception("could not read the model catalog")
        return [], ""


def adapt_catalog(catalog: Catalog, language: str) -> tuple[list[CatalogRow], str]:
    rows: list[CatalogRow] = []
    for model in catalog.models:
        description = model.description_zh if language.startswith("zh") and model.description_zh \
            else model.description
        for tag in model.tags:
            rows.append(
                CatalogRow(
                    model=model.name,
                    tag=tag.name,
                    size=tag.size,
                    quantization=tag.quantization,
                    parameters=tag.parameters,
                    context_length=tag.context_length,
                    capabilities=tag.capabilities or model.capabilities,
                    description=description,
                    **_verdict(core_catalog.verdict_for(model, tag)),
                )
            )
    return rows, catalog.date


def _verdict(result: Verdict | None) -> dict[str, Any]:
    if result is None:
        return {"verdict": "", "verdict_text": ""}
    return {
        "verdict": result.rating,
        "verdict_text": result.summary,
        "need": result.need,
        "gpu_budget": result.gpu_budget,
        "ram_budget": result.ram_budget,
        "gpu_share": result.gpu_share,
        "slowdown": result.slowdown,
        "tokens_per_second": result.tokens_per_second,
    }


def machine_known() -> bool:
    return core_catalog.current_machine() is not None
