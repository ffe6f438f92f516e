"""Which models to suggest: the machine's size class (3B / 7B / 13B / 70B), refined by sizing,
the best quantization that fits, concrete Ollama tags per use, and what /api/ps says after a load.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from desktop.core.hardware.machine import GIB, Machine, gb
from desktop.core.hardware.sizing import (
    BATTERY_CONTEXT,
    DEFAULT_CONTEXT,
    QUANT_ORDER,
    Budget,
    Estimate,
    Fit,
    ModelSpec,
    Verdict,
    bits_per_weight,
    judge,
    parse_parameter_size,
    spec_from_show,
)

if TYPE_CHECKING:
    from desktop.core.catalog import Catalog, CatalogModel, CatalogTag
    from desktop.core.ollama.types import ModelInfo, RunningModel, ShowInfo


@dataclass(frozen=True)
class Tier:
    label: str
    typical_memory: int  # the seed's rule of thumb
    representative: str  # the catalog tag sized for the class (the larger of its usual models)
    needs_gpu: bool = False


TIERS: tuple[Tier, ...] = (
    Tier("3B", 4 * GIB, "llama3.2:3b"),
    Tier("7B", 8 * GIB, "llama3.1:8b"),
    Tier("13B", 16 * GIB, "qwen2.5:14b"),
    Tier("70B", 64 * GIB, "llama3.1:70b", needs_gpu=True),
)


def size_class(params: int) -> int:
    """Index into TIERS: 0.5-4B -> 3B, 7-9B -> 7B, 12-34B -> 13B, 70B and up -> 70B."""
    if params < 5e9:
        return 0
    if params < 10e9:
        return 1
    if params < 40e9:
        return 2
    return 3


@dataclass(frozen=True)
class Use:
    key: str
    title: str
    candidates: tuple[str, ...]  # least to most preferred; the last one that runs well wins
    alternatives: tuple[str, ...] = ()
    class_offset: int = 0  # "fast replies" look one class below the machine's


USES: tuple[Use, ...] = (
    Use(
        "chat_zh",
        "Chinese chat",
        tuple(f"qwen2.5:{s}" for s in ("0.5b", "1.5b", "3b", "7b", "14b", "32b", "72b")),
        tuple(f"deepseek-r1:{s}" for s in ("1.5b", "7b", "14b", "32b", "70b")),
    ),
    Use(
        "chat_en",
        "English chat",
        ("llama3.2:1b", "llama3.2:3b", "llama3.1:8b", "llama3.1:70b"),
        ("phi3:3.8b", "phi4:14b"),
    ),
    Use(
        "code",
        "Code",
        tuple(f"qwen2.5-coder:{s}" for s in ("0.5b", "1.5b", "3b", "7b", "14b", "32b")),
        (
            "deepseek-coder:1.3b",
            "deepseek-coder:6.7b",
            "deepseek-coder:33b",
            "codellama:7b",
            "codellama:13b",
            "codellama:34b",
            "codellama:70b",
        ),
    ),
    Use(
        "fast",
        "Fast replies",
        ("gemma2:2b", "gemma2:9b", "mistral:7b", "gemma3:12b"),
        ("gemma3:1b", "gemma3:4b"),
        class_offset=-1,
    ),
    Use(
        "embedding",
        "Embeddings (search, RAG)",
        ("bge-large:335m", "nomic-embed-text:v1.5"),
        ("bge-large:335m", "mxbai-embed-large:335m"),
    ),
)


@dataclass(frozen=True)
class TierRow:
    tier: Tier
    verdict: Verdict  # this machine's verdict for the class's representative model
    highlighted: bool


@dataclass(frozen=True)
class TierChoice:
    index: int
    mode: str  # "gpu": suggestions must run fully on the GPU; "cpu": from system memory
    rows: tuple[TierRow, ...]
    on_battery: bool

    @property
    def label(self) -> str:
        return TIERS[self.index].label


@dataclass(frozen=True)
class Suggestion:
    use: str
    title: str
    tag: str  # what to pull (a quantization variant where one fits better)
    base_tag: str  # the catalog tag it came from
    quantization: str
    download_size: int  # the catalog's size, or the estimate for a variant
    verdict: Verdict
    description: str
    description_zh: str
    alternatives: tuple[tuple[str, Verdict], ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "use": self.use,
            "title": self.title,
            "tag": self.tag,
            "base_tag": self.base_tag,
            "quantization": self.quantization,
            "download_bytes": self.download_size,
            **self.verdict.to_dict(),
            "description": self.description,
            "description_zh": self.description_zh,
            "alternatives": [{"tag": tag, **v.to_dict()} for tag, v in self.alternatives],
        }


def context_for(machine: Machine, num_ctx: int | None = None) -> int:
    if num_ctx:
        return num_ctx
    return BATTERY_CONTEXT if machine.on_battery else DEFAULT_CONTEXT


def choose_tier(catalog: Catalog, machine_budget: Budget, num_ctx: int, on_battery: bool) -> TierChoice:
    """The largest class that runs well: fully on the GPU, or from RAM where no GPU is usable."""
    verdicts: list[Verdict] = []
    for tier in TIERS:
        tag = catalog.tag(tier.representative)
        if tag is None:
            raise LookupError(f"the catalog lacks {tier.representative}")
        verdicts.append(judge(replace(tag.spec(), name=tier.label), machine_budget, num_ctx))
    gpu_best = max((i for i, v in enumerate(verdicts) if v.kind is Fit.GPU), default=-1)
    mode = "gpu"
    index = gpu_best
    if gpu_best < 0:
        mode = "cpu"
        index = max(
            (i for i, v in enumerate(verdicts) if v.kind is not Fit.TOO_LARGE and not TIERS[i].needs_gpu),
            default=0,
        )
    if on_battery:
        index = max(0, index - 1)
    rows = tuple(TierRow(tier, verdicts[i], i == index) for i, tier in enumerate(TIERS))
    return TierChoice(index=index, mode=mode, rows=rows, on_battery=on_battery)


def _acceptable(verdict: Verdict, mode: str) -> bool:
    if mode == "gpu":
        return verdict.kind is Fit.GPU
    return verdict.kind is not Fit.TOO_LARGE


def _pick(
    catalog: Catalog, names: tuple[str, ...], max_class: int, machine_budget: Budget, num_ctx: int, mode: str
) -> tuple[CatalogTag, Verdict] | None:
    best: tuple[CatalogTag, Verdict] | None = None
    first: tuple[CatalogTag, Verdict] | None = None
    for name in names:
        tag = catalog.tag(name)
        if tag is None:
            continue
        verdict = judge(tag.spec(), machine_budget, num_ctx)
        if first is None:
            first = (tag, verdict)
        if size_class(tag.params) <= max_class and _acceptable(verdict, mode):
            best = (tag, verdict)
    return best or first


def best_quant(
    model: CatalogModel, tag: CatalogTag, machine_budget: Budget, num_ctx: int
) -> tuple[str, str, Verdict] | None:
    """The best quantization above the default that still fits the GPU with a 10% margin."""
    default_bpw = bits_per_weight(tag.quantization)
    for quant in QUANT_ORDER:
        if bits_per_weight(quant) <= default_bpw:
            return None
        variant = model.quant_variant(tag, quant)
        if variant is None:
            return None
        spec = replace(tag.spec().with_quant(quant), name=variant)
        verdict = judge(spec, machine_budget, num_ctx)
        if verdict.kind is Fit.GPU and verdict.need <= machine_budget.gpu * 0.9:
            return variant, quant, verdict
    return None


def suggest(
    catalog: Catalog, machine_budget: Budget, choice: TierChoice, num_ctx: int
) -> tuple[Suggestion, ...]:
    suggestions: list[Suggestion] = []
    for use in USES:
        max_class = max(0, choice.index + use.class_offset)
        picked = _pick(catalog, use.candidates, max_class, machine_budget, num_ctx, choice.mode)
        if picked is None:
            continue
        tag, verdict = picked
        found = catalog.find(tag.name)
        assert found is not None
        model = found[0]
        pull, quant, size = tag.name, tag.quantization, tag.size
        # On a GPU a better quantization costs no speed; on a CPU or on battery it does.
        if choice.mode == "gpu" and not choice.on_battery and use.key not in ("embedding", "fast"):
            better = best_quant(model, tag, machine_budget, num_ctx)
            if better is not None:
                pull, quant, verdict = better
                size = verdict.estimate.weights
        alternatives: dict[str, tuple[str, Verdict]] = {}
        for name in use.alternatives:
            alt = catalog.tag(name)
            if alt is None or alt.name == tag.name:
                continue
            alt_verdict = judge(alt.spec(), machine_budget, num_ctx)
            if size_class(alt.params) <= max_class and _acceptable(alt_verdict, choice.mode):
                alternatives[alt.model] = (alt.name, alt_verdict)  # the last (largest) per family
        suggestions.append(
            Suggestion(
                use=use.key,
                title=use.title,
                tag=pull,
                base_tag=tag.name,
                quantization=quant,
                download_size=size,
                verdict=verdict,
                description=model.description,
                description_zh=model.description_zh,
                alternatives=tuple(alternatives.values()),
            )
        )
    return tuple(suggestions)


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
