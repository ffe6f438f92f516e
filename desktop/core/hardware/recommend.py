"""Which models to suggest: the machine's size class (3B / 7B / 13B / 70B), refined by sizing,
the best quantization that fits, concrete Ollama tags per use, and what /api/ps says after a load.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from desktop.core.disk import required_bytes
from desktop.core.hardware.loaded import LoadCheck as LoadCheck
from desktop.core.hardware.loaded import check_loaded as check_loaded
from desktop.core.hardware.loaded import spec_for_installed as spec_for_installed
from desktop.core.hardware.machine import GIB, Machine
from desktop.core.hardware.sizing import (
    BATTERY_CONTEXT,
    DEFAULT_CONTEXT,
    QUANT_ORDER,
    Budget,
    Fit,
    ModelSpec,
    Verdict,
    bits_per_weight,
    judge,
)
from desktop.core.hardware.speed import USABLE_TOKENS_PER_SECOND, shown_speed

if TYPE_CHECKING:
    from desktop.core.catalog import Catalog, CatalogModel, CatalogTag
    from desktop.core.hardware.calibrate import Calibration


@dataclass(frozen=True)
class Tier:
    """One row of the seed's table ("recommended hardware" column)."""

    label: str
    ram: int  # a machine with this much RAM (Apple: unified memory) is in the class
    vram: int  # ... or with this much GPU memory, the class's model memory
    representative: str  # the catalog tag sized for the class (the larger of its usual models)
    needs_gpu: bool = False  # the RAM route needs a GPU too


TIERS: tuple[Tier, ...] = (
    Tier("3B", 8 * GIB, 4 * GIB, "llama3.2:3b"),
    Tier("7B", 16 * GIB, 8 * GIB, "llama3.1:8b"),
    Tier("13B", 32 * GIB, 16 * GIB, "qwen2.5:14b"),
    Tier("70B", 128 * GIB, 64 * GIB, "llama3.1:70b", needs_gpu=True),
)
# Sold sizes against what the OS reports: a "16 GB" laptop shows 15.5 GB, an "8 GB" RTX 4060 8.0 GB
# minus a few MB, so a class is reached at 90% of its nominal size.
SOLD_SIZE_TOLERANCE = 0.9


def table_class(ram_total: int, vram_total: int, *, has_gpu: bool, unified: bool) -> tuple[int, str]:
    """The seed's table: the largest class whose RAM the machine has, or whose model memory fits its
    GPU's VRAM (Apple's unified memory counts as RAM only). Returns (index, "ram" | "vram")."""
    by_ram = max(
        (
            i
            for i, t in enumerate(TIERS)
            if ram_total >= t.ram * SOLD_SIZE_TOLERANCE and (has_gpu or not t.needs_gpu)
        ),
        default=0,
    )
    by_vram = -1
    if has_gpu and not unified:
        by_vram = max(
            (i for i, t in enumerate(TIERS) if vram_total >= t.vram * SOLD_SIZE_TOLERANCE), default=-1
        )
    return (by_vram, "vram") if by_vram > by_ram else (by_ram, "ram")


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
    min_speed: float = USABLE_TOKENS_PER_SECOND


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
        # gemma3:1b first: the smallest tag that still writes good English, for slow machines.
        ("gemma3:1b", "llama3.2:1b", "llama3.2:3b", "llama3.1:8b", "llama3.1:70b"),
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
        ("gemma3:1b", "gemma2:2b", "gemma2:9b", "mistral:7b", "gemma3:12b"),
        ("gemma3:4b",),
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
    basis: str = "ram"  # which column of the table placed the machine: "ram" | "vram"

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
    min_speed: float = USABLE_TOKENS_PER_SECOND  # what the pick had to reach
    slower: tuple[str, Verdict] | None = None  # the larger tag of the class that fits but is slow

    @property
    def fast_enough(self) -> bool:
        return shown_speed(self.verdict.tokens_per_second) >= self.min_speed

    def to_dict(self) -> dict[str, object]:
        return {
            "use": self.use,
            "title": self.title,
            "tag": self.tag,
            "base_tag": self.base_tag,
            "quantization": self.quantization,
            "download_bytes": self.download_size,
            "disk_bytes": required_bytes(self.download_size),
            "min_tokens_per_second": self.min_speed,
            **self.verdict.to_dict(),
            "description": self.description,
            "description_zh": self.description_zh,
            "alternatives": [{"tag": tag, **v.to_dict()} for tag, v in self.alternatives],
            "fits_but_slow": (
                {"tag": self.slower[0], **self.slower[1].to_dict()} if self.slower is not None else None
            ),
        }


def judged(
    spec: ModelSpec, machine_budget: Budget, num_ctx: int, calibration: Calibration | None = None
) -> Verdict:
    """judge(), with the speed measured here for that very model where there is one (on the device
    the verdict puts it on): a measurement beats any prediction, the calibrated one included."""
    return with_measured(judge(spec, machine_budget, num_ctx), spec.name, calibration)


def with_measured(verdict: Verdict, model: str, calibration: Calibration | None) -> Verdict:
    found = calibration.measured_for(model) if calibration is not None else None
    if found is None or verdict.kind not in (Fit.GPU, Fit.CPU) or found.on_gpu != (verdict.kind is Fit.GPU):
        return verdict
    return replace(verdict, tokens_per_second=found.tokens_per_second)


def context_for(machine: Machine, num_ctx: int | None = None) -> int:
    if num_ctx:
        return num_ctx
    return BATTERY_CONTEXT if machine.on_battery else DEFAULT_CONTEXT


def choose_tier(
    catalog: Catalog,
    machine_budget: Budget,
    num_ctx: int,
    on_battery: bool,
    calibration: Calibration | None = None,
) -> TierChoice:
    """The class the seed's table gives (see table_class), one smaller on battery; "gpu" mode when
    the smallest class runs fully on the GPU."""
    b = machine_budget
    verdicts: list[Verdict] = []
    for tier in TIERS:
        tag = catalog.tag(tier.representative)
        if tag is None:
            raise LookupError(f"the catalog lacks {tier.representative}")
        verdict = judge(replace(tag.spec(), name=tier.label), b, num_ctx)
        verdicts.append(with_measured(verdict, tag.name, calibration))
    index, basis = table_class(b.ram_total, b.gpu_total, has_gpu=b.has_gpu, unified=b.unified)
    mode = "gpu" if verdicts[0].kind is Fit.GPU else "cpu"
    if on_battery:
        index = max(0, index - 1)
    rows = tuple(TierRow(tier, verdicts[i], i == index) for i, tier in enumerate(TIERS))
    return TierChoice(index=index, mode=mode, rows=rows, on_battery=on_battery, basis=basis)


def _acceptable(verdict: Verdict, mode: str, min_speed: float) -> bool:
    if verdict.kind is Fit.TOO_LARGE or shown_speed(verdict.tokens_per_second) < min_speed:
        return False
    return verdict.kind is Fit.GPU if mode == "gpu" else True


def _pick(
    catalog: Catalog,
    use: Use,
    max_class: int,
    machine_budget: Budget,
    num_ctx: int,
    mode: str,
    calibration: Calibration | None = None,
) -> tuple[tuple[CatalogTag, Verdict] | None, tuple[CatalogTag, Verdict] | None]:
    """(the largest candidate of the class that runs well, the largest of the class that only fits).

    Where none runs well, the fastest that fits is picked (slow, and said so)."""
    best: tuple[CatalogTag, Verdict] | None = None
    fits: tuple[CatalogTag, Verdict] | None = None
    fastest: tuple[CatalogTag, Verdict] | None = None
    for name in use.candidates:
        tag = catalog.tag(name)
        if tag is None:
            continue
        verdict = judged(tag.spec(), machine_budget, num_ctx, calibration)
        if verdict.kind is not Fit.TOO_LARGE and (
            fastest is None or verdict.tokens_per_second > fastest[1].tokens_per_second
        ):
            fastest = (tag, verdict)
        if size_class(tag.params) > max_class or verdict.kind is Fit.TOO_LARGE:
            continue
        fits = (tag, verdict)
        if _acceptable(verdict, mode, use.min_speed):
            best = (tag, verdict)
    best = best or fastest
    slower = fits if fits is not None and best is not None and fits[0].params > best[0].params else None
    return best, slower


def best_quant(
    model: CatalogModel,
    tag: CatalogTag,
    machine_budget: Budget,
    num_ctx: int,
    min_speed: float,
    calibration: Calibration | None = None,
) -> tuple[str, str, Verdict] | None:
    """The best quantization above the default that still fits the GPU with a 10% margin, as fast
    as the use needs."""
    default_bpw = bits_per_weight(tag.quantization)
    for quant in QUANT_ORDER:
        if bits_per_weight(quant) <= default_bpw:
            return None
        variant = model.quant_variant(tag, quant)
        if variant is None:
            return None
        spec = replace(tag.spec().with_quant(quant), name=variant)
        verdict = judged(spec, machine_budget, num_ctx, calibration)
        if (
            verdict.kind is Fit.GPU
            and verdict.need <= machine_budget.gpu * 0.9
            and shown_speed(verdict.tokens_per_second) >= min_speed
        ):
            return variant, quant, verdict
    return None


def suggest(
    catalog: Catalog,
    machine_budget: Budget,
    choice: TierChoice,
    num_ctx: int,
    calibration: Calibration | None = None,
) -> tuple[Suggestion, ...]:
    """Per use, the tag to pull. With a calibration, speeds are the ones measured here where that
    tag was measured, else predicted from the measured line (Calibration.apply on the budget)."""
    suggestions: list[Suggestion] = []
    for use in USES:
        max_class = max(0, choice.index + use.class_offset)
        picked, slower = _pick(catalog, use, max_class, machine_budget, num_ctx, choice.mode, calibration)
        if picked is None:
            continue
        tag, verdict = picked
        found = catalog.find(tag.name)
        assert found is not None
        model = found[0]
        pull, quant, size = tag.name, tag.quantization, tag.size
        # On a GPU a better quantization costs little speed; on a CPU or on battery it costs much.
        if choice.mode == "gpu" and not choice.on_battery and use.key not in ("embedding", "fast"):
            better = best_quant(model, tag, machine_budget, num_ctx, use.min_speed, calibration)
            if better is not None:
                pull, quant, verdict = better
                size = verdict.estimate.weights
        alternatives: dict[str, tuple[str, Verdict]] = {}
        for name in use.alternatives:
            alt = catalog.tag(name)
            if alt is None or alt.name == tag.name:
                continue
            alt_verdict = judged(alt.spec(), machine_budget, num_ctx, calibration)
            if size_class(alt.params) <= max_class and _acceptable(alt_verdict, choice.mode, use.min_speed):
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
                min_speed=use.min_speed,
                slower=(slower[0].name, slower[1]) if slower is not None else None,
            )
        )
    return tuple(suggestions)
