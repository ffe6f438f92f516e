"""The catalog as flat rows for the browser: one per pullable tag, with its hardware verdict.

Reads desktop.core.catalog (the hardware panel's module) through a few tolerant accessors, so a
different catalog shape needs changes here only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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


def _get(obj: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        if isinstance(obj, dict) and name in obj:
            return obj[name]
        if hasattr(obj, name):
            return getattr(obj, name)
    return default


def load_rows(language: str) -> tuple[list[CatalogRow], str]:
    """Rows from desktop.core.catalog, and the catalog's date; ([], "") if it is missing."""
    try:
        from desktop.core import catalog as core_catalog
    except ImportError:
        return [], ""
    try:
        return adapt_catalog(core_catalog, language)
    except Exception:  # a broken catalog must not take the page down
        log.exception("could not read the model catalog")
        return [], ""


def adapt_catalog(core_catalog: Any, language: str) -> tuple[list[CatalogRow], str]:
    loader = _get(core_catalog, "load_catalog", "load", "catalog")
    data = loader() if callable(loader) else loader
    date = str(_get(data, "date", "updated", "generated", default="") or "")
    models = _get(data, "models", default=data)
    verdict_for: Callable[..., Any] | None = _get(core_catalog, "verdict_for", "verdict", "tag_verdict")
    rows: list[CatalogRow] = []
    for model in models or ():
        name = str(_get(model, "name", default=""))
        description = _get(model, "description", default="")
        if isinstance(description, dict):
            description = description.get(language) or description.get("en") or ""
        elif language.startswith("zh"):
            description = _get(model, "description_zh", default=description) or description
        model_caps = tuple(_get(model, "capabilities", default=()) or ())
        for tag in _get(model, "tags", default=()) or ():
            tag_name = str(_get(tag, "name", "tag", default=""))
            full = tag_name if ":" in tag_name else f"{name}:{tag_name}"
            verdict, verdict_text, figures = _verdict(verdict_for, model, tag)
            rows.append(
                CatalogRow(
                    model=name,
                    tag=full,
                    size=int(_get(tag, "size", "size_bytes", "download_size", default=0) or 0),
                    quantization=str(_get(tag, "quantization", "quant", default="") or ""),
                    parameters=str(_get(tag, "parameters", "parameter_size", default="") or ""),
                    context_length=int(_get(tag, "context_length", "context", default=0) or 0),
                    capabilities=tuple(_get(tag, "capabilities", default=()) or model_caps),
                    description=str(description or ""),
                    verdict=verdict,
                    verdict_text=verdict_text,
                    **figures,
                )
            )
    return rows, date


def _verdict(verdict_for: Callable[..., Any] | None, model: Any, tag: Any) -> tuple[str, str, dict[str, Any]]:
    if verdict_for is None:
        return "", "", {}
    try:
        result = verdict_for(model, tag)
    except TypeError:
        result = verdict_for(tag)
    if result is None:
        return "", "", {}
    if isinstance(result, str):
        return result, "", {}
    kind = _get(result, "rating", "kind", "verdict", "level", default="")
    kind = str(getattr(kind, "value", kind))
    text = str(_get(result, "summary", "text", "explanation", "message", default="") or "")
    figures = {
        "need": int(_get(result, "need", default=0) or 0),
        "gpu_budget": int(_get(result, "gpu_budget", default=0) or 0),
        "ram_budget": int(_get(result, "ram_budget", default=0) or 0),
        "gpu_share": float(_get(result, "gpu_share", default=0.0) or 0.0),
        "slowdown": float(_get(result, "slowdown", default=1.0) or 1.0),
        "tokens_per_second": float(_get(result, "tokens_per_second", default=0.0) or 0.0),
    }
    return kind, text, figures


def machine_known() -> bool:
    try:
        from desktop.core import catalog as core_catalog
    except ImportError:
        return False
    current = getattr(core_catalog, "current_machine", None)
    return callable(current) and current() is not None
