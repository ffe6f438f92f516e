"""The seed's trade-off on this machine: one model at Q4_K_M, Q5_K_M and Q8_0, side by side.

Size comes from the catalog (the tag's own download when it is that quantization, else
parameters x bits per weight); speed from the sizing (so from the measured bandwidth once the
machine has been calibrated), or the measured figure when that very model was compared here;
the quality cost is llama.cpp's published perplexity increase over F16 (quantize README,
LLaMA-7B, F16 5.9066): a published reference, not a measurement on this machine.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from desktop.core.catalog import CatalogModel, CatalogTag
from desktop.core.hardware.budget import Budget
from desktop.core.hardware.calibrate import Calibration, Measured
from desktop.core.hardware.sizing import estimate_weights, judge, normalise_quant

CHOICES = ("Q4_K_M", "Q5_K_M", "Q8_0")
PERPLEXITY_INCREASE = {"Q4_K_M": 0.0535, "Q5_K_M": 0.0142, "Q8_0": 0.0004}
QUALITY_WORDS = {
    "Q4_K_M": "small quality loss",
    "Q5_K_M": "very small quality loss",
    "Q8_0": "practically none",
}


@dataclass(frozen=True)
class QuantRow:
    quant: str
    name: str  # the library tag of that quantization, or the base tag's name
    size: int  # bytes of weights
    predicted: float  # tokens/s
    fits: bool
    measured: Measured | None
    perplexity_increase: float
    quality: str

    @property
    def speed(self) -> float:
        return self.measured.tokens_per_second if self.measured is not None else self.predicted


def quant_rows(
    model: CatalogModel | None,
    tag: CatalogTag,
    machine_budget: Budget,
    num_ctx: int,
    calibration: Calibration | None = None,
) -> list[QuantRow]:
    rows: list[QuantRow] = []
    base = tag.spec()
    own = normalise_quant(tag.quantization)
    for quant in CHOICES:
        variant = model.quant_variant(tag, quant) if model is not None else None
        name = tag.name if quant == own else (variant or f"{tag.name} ({quant})")
        spec = base if quant == own else replace(base, quantization=quant, file_size=0)
        size = spec.file_size or estimate_weights(spec)
        verdict = judge(replace(spec, file_size=size), machine_budget, num_ctx)
        measured = calibration.measured_for(name) if calibration is not None else None
        rows.append(
            QuantRow(
                quant=quant,
                name=name,
                size=size,
                predicted=verdict.tokens_per_second,
                fits=verdict.tokens_per_second > 0,
                measured=measured,
                perplexity_increase=PERPLEXITY_INCREASE[quant],
                quality=QUALITY_WORDS[quant],
            )
        )
    return rows
