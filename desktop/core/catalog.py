"""The bundled, dated model catalog (resources/catalog.json): offline search, filters, verdicts.

Each tag carries what the hardware sizing needs (parameters, quantization, download size,
layers / KV heads / head size), so every tag can say whether it fits this computer. The
machine is set once the hardware probe has run (set_machine); until then verdicts are None,
so nothing here ever probes on the caller's thread.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.core.hardware.machine import Machine
from desktop.core.hardware.sizing import (
    DEFAULT_CONTEXT,
    Budget,
    ModelSpec,
    Verdict,
    budget,
    judge,
)
from desktop.paths import resource_path


class CatalogError(Exception):
    """The catalog file is missing or damaged (plain message)."""


@dataclass(frozen=True)
class CatalogTag:
    name: str  # full tag, "qwen2.5:7b"
    model: str  # "qwen2.5"
    size: int  # download bytes
    parameters: str  # "7.6B", as Ollama prints parameter_size
    params: int
    quantization: str
    context_length: int
    capabilities: tuple[str, ...]
    layers: int = 0
    heads: int = 0
    kv_heads: int = 0
    head_dim: int = 0
    embedding_length: int = 0
    vocab_size: int = 0
    projector_params: int = 0
    default: bool = False
    aliases: tuple[str, ...] = ()

    @property
    def size_label(self) -> str:
        """'7b' of 'qwen2.5:7b'."""
        return self.name.split(":", 1)[1] if ":" in self.name else "latest"

    def spec(self) -> ModelSpec:
        return ModelSpec(
            name=self.name,
            params=self.params,
            quantization=self.quantization,
            file_size=self.size,
            layers=self.layers,
            heads=self.heads,
            kv_heads=self.kv_heads,
            head_dim=self.head_dim,
            embedding_length=self.embedding_length,
            vocab_size=self.vocab_size,
            context_length=self.context_length,
            projector_params=self.projector_params,
            embedding_only="embedding" in self.capabilities and "completion" not in self.capabilities,
        )


@dataclass(frozen=True)
class CatalogModel:
    name: str
    description: str  # English
    description_zh: str
    capabilities: tuple[str, ...]
    languages: tuple[str, ...]
    family: str
    tags: tuple[CatalogTag, ...]
    quant_tag: str = ""  # "{size}-instruct-{quant}": how the library names other quantizations

    def quant_variant(self, tag: CatalogTag, quant: str) -> str | None:
        """'qwen2.5:7b-instruct-q8_0' for Q8_0, or None where the library has no such naming."""
        if not self.quant_tag:
            return None
        upper = quant.upper()
        q = upper[:1].lower() + upper[1:]  # Ollama spells them q8_0, q6_K, q4_K_M
        return f"{self.name}:{self.quant_tag.format(size=tag.size_label, quant=q)}"


@dataclass(frozen=True)
class Catalog:
    date: str
    source: str
    models: tuple[CatalogModel, ...]
    _index: dict[str, tuple[CatalogModel, CatalogTag]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        for model in self.models:
            for tag in model.tags:
                for key in (tag.name, *tag.aliases):
                    self._index[key] = (model, tag)
                if tag.default:
                    self._index.setdefault(model.name, (model, tag))
                    self._index.setdefault(f"{model.name}:latest", (model, tag))

    def tags(self) -> list[CatalogTag]:
        return [tag for model in self.models for tag in model.tags]

    def find(self, name: str) -> tuple[CatalogModel, CatalogTag] | None:
        return self._index.get(name.strip().lower())

    def tag(self, name: str) -> CatalogTag | None:
        found = self.find(name)
        return found[1] if found else None

    def model(self, name: str) -> CatalogModel | None:
        for model in self.models:
            if model.name == name:
                return model
        return None

    def search(
        self,
        text: str = "",
        *,
        capability: str = "",
        max_size: int | None = None,
        min_size: int | None = None,
        machine: Machine | None = None,
        fits_only: bool = False,
    ) -> list[CatalogTag]:
        """Tags matching every word of `text` (names, English and Chinese descriptions, uses),
        a capability, a download-size range, and with `fits_only`, only what runs well here (it
        loads and reaches a chat's speed: the same rule as the labels and the suggestions)."""
        words = text.lower().split()
        found: list[CatalogTag] = []
        machine_budget = budget(machine) if machine is not None and fits_only else None
        for model in self.models:
            for tag in model.tags:
                if words:
                    hay = " ".join(
                        (
                            tag.name,
                            model.family,
                            model.description.lower(),
                            model.description_zh,
                            " ".join(tag.capabilities),
                            " ".join(model.languages),
                            "中文 chinese" if "zh" in model.languages else "",
                            tag.quantization.lower(),
                            tag.parameters.lower(),
                        )
                    ).lower()
                    if not all(word in hay for word in words):
                        continue
                if capability and capability not in tag.capabilities:
                    continue
                if max_size is not None and tag.size > max_size:
                    continue
                if min_size is not None and tag.size < min_size:
                    continue
                if machine_budget is not None and not judge(tag.spec(), machine_budget).runs_well:
                    continue
                found.append(tag)
        return found

    def verdicts(self, machine: Machine, num_ctx: int = DEFAULT_CONTEXT) -> dict[str, Verdict]:
        machine_budget = budget(machine)
        return {tag.name: judge(tag.spec(), machine_budget, num_ctx) for tag in self.tags()}


def _tag(model_name: str, model_caps: Sequence[str], raw: dict[str, Any]) -> CatalogTag:
    arch = raw.get("arch") or {}
    name = str(raw["name"])
    return CatalogTag(
        name=name if ":" in name else f"{model_name}:{name}",
        model=model_name,
        size=int(raw.get("size", 0)),
        parameters=str(raw.get("parameters", "")),
        params=int(raw.get("params", 0)),
        quantization=str(raw.get("quantization", "")),
        context_length=int(raw.get("context_length", 0)),
        capabilities=tuple(raw.get("capabilities") or model_caps),
        layers=int(arch.get("layers", 0)),
        heads=int(arch.get("heads", 0)),
        kv_heads=int(arch.get("kv_heads", 0)),
        head_dim=int(arch.get("head_dim", 0)),
        embedding_length=int(arch.get("embedding_length", 0)),
        vocab_size=int(arch.get("vocab_size", 0)),
        projector_params=int(raw.get("projector_params", 0)),
        default=bool(raw.get("default", False)),
        aliases=tuple(str(a) for a in raw.get("aliases", ())),
    )


def parse_catalog(data: dict[str, Any]) -> Catalog:
    models: list[CatalogModel] = []
    for raw in data.get("models", ()):
        name = str(raw["name"])
        caps = tuple(str(c) for c in raw.get("capabilities", ()))
        description = raw.get("description") or {}
        if isinstance(description, str):
            description = {"en": description}
        models.append(
            CatalogModel(
                name=name,
                description=str(description.get("en", "")),
                description_zh=str(description.get("zh", "") or description.get("en", "")),
                capabilities=caps,
                languages=tuple(str(lang) for lang in raw.get("languages", ())),
                family=str(raw.get("family", "")),
                tags=tuple(_tag(name, caps, t) for t in raw.get("tags", ())),
                quant_tag=str(raw.get("quant_tag", "")),
            )
        )
    return Catalog(date=str(data.get("date", "")), source=str(data.get("source", "")), models=tuple(models))


_lock = threading.Lock()
_cached: Catalog | None = None
_machine: Machine | None = None


def load_catalog(path: Path | None = None) -> Catalog:
    """The bundled catalog (read once); CatalogError with a plain message if it is unusable."""
    global _cached
    if path is None and _cached is not None:
        return _cached
    file = path or resource_path("catalog.json")
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        catalog = parse_catalog(data)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CatalogError(f"The model catalog could not be read ({file.name}: {exc}).") from exc
    if path is None:
        with _lock:
            _cached = catalog
    return catalog


def set_machine(machine: Machine | None, machine_budget: Budget | None = None) -> None:
    """Called by whoever probed the hardware (off the UI thread); verdicts use it from then on.
    `machine_budget`: the budget calibrated from this machine's measured speeds, where there is one."""
    global _machine, _budget_cache
    with _lock:
        _machine = machine
        _budget_cache = None if machine is None else machine_budget or budget(machine)


_budget_cache: Budget | None = None


def current_machine() -> Machine | None:
    return _machine


def verdict_for(model: CatalogModel | str | None, tag: CatalogTag | str) -> Verdict | None:
    """The hardware verdict of one tag on the machine given to set_machine (None before that).

    Accepts the catalog's own objects or tag names, as the catalog browser passes either.
    """
    machine_budget = _budget_cache
    if machine_budget is None:
        return None
    found = tag if isinstance(tag, CatalogTag) else load_catalog().tag(str(tag))
    if found is None:
        return None
    return judge(found.spec(), machine_budget)


def attach_verdicts(tags: Iterable[CatalogTag], machine: Machine) -> list[tuple[CatalogTag, Verdict]]:
    machine_budget = budget(machine)
    return [(tag, judge(tag.spec(), machine_budget)) for tag in tags]
