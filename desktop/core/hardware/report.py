"""The hardware report: the machine, its class, suggestions with verdicts, as text and JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.core.hardware.advice import DiskInfo, Requirement, disk_info, judge_requirements
from desktop.core.hardware.machine import GIB, Machine, gb
from desktop.core.hardware.recommend import (
    TIERS,
    Suggestion,
    TierChoice,
    choose_tier,
    context_for,
    suggest,
)
from desktop.core.hardware.sizing import Budget, Fit, budget, judge, ollama_default_context
from desktop.core.hardware.speed import USABLE_TOKENS_PER_SECOND, format_speed

if TYPE_CHECKING:
    from desktop.core.catalog import Catalog
    from desktop.core.hardware.calibrate import Calibration


@dataclass(frozen=True)
class HardwareReport:
    machine: Machine
    budget: Budget
    num_ctx: int
    tier: TierChoice
    suggestions: tuple[Suggestion, ...]
    explanation: tuple[str, ...]
    catalog_date: str
    requirements: tuple[Requirement, ...] = ()
    disk: DiskInfo | None = None
    calibration: Calibration | None = None  # measured speeds, when the budget was learnt from them (#20)

    def suggestion(self, use: str) -> Suggestion | None:
        return next((s for s in self.suggestions if s.use == use), None)

    @property
    def chat_is_smaller(self) -> bool:
        """The chat suggestion sits below the table's class because the class would be slow here."""
        chat = self.suggestion("chat_en")
        class_row = self.tier.rows[self.tier.index]
        return chat is not None and chat.slower is not None and not class_row.verdict.runs_well

    def to_dict(self) -> dict[str, Any]:
        m = self.machine
        return {
            "hypothetical": m.hypothetical,
            "os": m.os,
            "ram": {**asdict(m.memory), "usable_for_models": self.budget.ram},
            "cpu": asdict(m.cpu),
            "gpus": [asdict(g) for g in m.gpus],
            "gpu_budget": {
                "bytes": self.budget.gpu,
                "total_bytes": self.budget.gpu_total,
                "devices": list(self.budget.gpu_names),
                "backend": self.budget.backend,
                "unified_memory": self.budget.unified,
            },
            "battery": (
                {**asdict(m.battery), "on_battery": m.battery.on_battery} if m.battery is not None else None
            ),
            "num_ctx": self.num_ctx,
            "tier": self.tier.label,
            "tier_mode": self.tier.mode,
            "tier_basis": self.tier.basis,
            "usable_tokens_per_second": USABLE_TOKENS_PER_SECOND,
            "tiers": [
                {
                    "tier": row.tier.label,
                    "ram_bytes": row.tier.ram,
                    "vram_bytes": row.tier.vram,
                    "needs_gpu": row.tier.needs_gpu,
                    "model": row.tier.representative,
                    "this_machine": row.highlighted,
                    **row.verdict.to_dict(),
                }
                for row in self.tier.rows
            ],
            "suggestions": [s.to_dict() for s in self.suggestions],
            "requirements": [r.to_dict() for r in self.requirements],
            "models_folder": (
                {"path": str(self.disk.path), "free_bytes": self.disk.free, "ssd": self.disk.ssd}
                if self.disk is not None
                else None
            ),
            "explanation": list(self.explanation),
            "notes": list(m.notes),
            "catalog_date": self.catalog_date,
            "measured": _measured_dict(self.calibration),
        }


def _measured_dict(calibration: Calibration | None) -> dict[str, Any] | None:
    if calibration is None or calibration.empty:
        return None
    return {
        "cpu_bandwidth": round(calibration.cpu_bandwidth),
        "gpu_bandwidth": round(calibration.gpu_bandwidth),
        "cpu_fixed_seconds": round(calibration.cpu.fixed, 5),
        "gpu_fixed_seconds": round(calibration.gpu.fixed, 5),
        "cpu_fit": calibration.cpu.method,
        "gpu_fit": calibration.gpu.method,
        "prompt_rate": round(calibration.prompt_rate),
        "models": [
            {
                "model": m.model,
                "tokens_per_second": round(m.tokens_per_second, 2),
                "prompt_tokens_per_second": round(m.prompt_tokens_per_second, 2),
                "when": m.when,
            }
            for m in calibration.measured
        ],
    }


def describe_machine(machine: Machine, machine_budget: Budget) -> str:
    mem = machine.memory
    ram = f"{gb(mem.total)} of RAM"
    if mem.limited_by and mem.limited_by != "given":
        ram = f"{gb(mem.total)} of RAM (a {mem.limited_by} limit; the host has {gb(mem.host_total)})"
    ram += f", {gb(machine_budget.ram)} of it usable for models"
    subject = "This machine would have" if machine.hypothetical else "This computer has"
    if machine_budget.unified:
        gpu = machine_budget.gpu_names[0]
        return f"{subject} {ram}, shared with the {gpu}, which may use {gb(machine_budget.gpu)} of it."
    if machine_budget.has_gpu:
        names = " + ".join(machine_budget.gpu_names)
        return f"{subject} {ram}, and {names} with {gb(machine_budget.gpu)} free for models."
    return f"{subject} {ram}, and no GPU that Ollama can use, so models run on the CPU."


def build_report(
    machine: Machine,
    catalog: Catalog | None = None,
    *,
    num_ctx: int | None = None,
    env: Mapping[str, str] | None = None,
    models_folder: Path | None = None,
    calibration: Calibration | None = None,
) -> HardwareReport:
    if catalog is None:
        from desktop.core.catalog import load_catalog

        catalog = load_catalog()
    machine_budget = budget(machine, env)
    if calibration is not None and not calibration.empty:
        machine_budget = calibration.apply(machine_budget)  # measured speeds instead of the guess
    ctx = context_for(machine, num_ctx)
    measured = calibration if calibration is not None and not calibration.empty else None
    choice = choose_tier(catalog, machine_budget, ctx, machine.on_battery, measured)
    suggestions = suggest(catalog, machine_budget, choice, ctx, measured)
    lines = [describe_machine(machine, machine_budget)]
    if calibration is not None and calibration.cpu_points:
        models = ", ".join(
            f"{m.model} {format_speed(m.tokens_per_second)} tokens/s on {m.day}" for m in calibration.measured
        )
        lines.append(
            f"Speeds are predicted from this machine's measured memory bandwidth "
            f"({calibration.cpu_bandwidth / 1e9:.1f} GB/s, measured: {models})."
        )
    row = choice.rows[choice.index]
    tier = TIERS[choice.index]
    basis = f"a {tier.vram // GIB} GB GPU" if choice.basis == "vram" else f"{tier.ram // GIB} GB of RAM"
    lines.append(f"It suits {choice.label} models (the table's class for {basis}). {row.verdict.summary}")
    if not row.verdict.runs_well and row.verdict.kind is not Fit.TOO_LARGE:
        lines.append(
            f"Suggestions must reach {USABLE_TOKENS_PER_SECOND:.0f} tokens/s for chat, so smaller models "
            "are suggested; the larger ones that fit are listed as slow."
        )
    if choice.index + 1 < len(TIERS):
        lines.append(choice.rows[choice.index + 1].verdict.summary)
    if choice.on_battery:
        lines.append(
            f"On battery: suggestions are one size smaller, with a {ctx}-token context, to save power. "
            "Plug in for the larger models."
        )
    lines.append(f"Figures assume a {ctx}-token context (num_ctx); longer contexts need more memory.")
    long_ctx = ollama_default_context(machine_budget)
    if num_ctx is None and long_ctx > ctx:
        rep = catalog.tag(choice.rows[choice.index].tier.representative)
        if rep is not None:
            at_long = judge(replace(rep.spec(), name=choice.label), machine_budget, long_ctx)
            n = at_long.estimate.num_ctx
            if at_long.kind is Fit.GPU:
                tail = (
                    f"at that length {choice.label} needs about {gb(at_long.need)}, which still fits the GPU."
                )
            else:
                tail = (
                    f"at that length {choice.label} needs about {gb(at_long.need)}, more than the GPU's "
                    f"{gb(machine_budget.gpu)}: set num_ctx lower (8192, say) to keep it on the GPU."
                )
            lines.append(
                f"Ollama 0.15.5 and later default to a longer context on GPUs this large ({n} tokens); {tail}"
            )
    disk = disk_info(models_folder) if models_folder is not None else None
    return HardwareReport(
        machine=machine,
        budget=machine_budget,
        num_ctx=ctx,
        tier=choice,
        suggestions=suggestions,
        explanation=tuple(lines),
        catalog_date=catalog.date,
        requirements=judge_requirements(machine, machine_budget, disk),
        disk=disk,
        calibration=calibration if calibration is not None and not calibration.empty else None,
    )


_RATING = {
    "gpu": "runs on the GPU",
    "partial": "partly on the GPU",
    "cpu": "runs on the CPU",
    "slow": "fits, slow",
    "too_large": "too large",
}


def _rated(verdict: Any) -> str:
    text = _RATING[verdict.rating]
    if verdict.rating != "too_large":
        text += f", ~{format_speed(verdict.tokens_per_second)} tok/s"
    return text


_PART = {"cores": "Cores", "memory": "Memory", "gpu": "GPU", "disk": "Disk"}
_VERDICT = {
    "recommended": "meets the recommendation",
    "minimum": "meets the minimum",
    "below": "below the minimum",
    "unknown": "not known",
}
_LIMITS = {
    "cores": "4 / 8 cores",
    "memory": "8 / 32 GB",
    "gpu": "none / RTX 3060 or M1 Pro",
    "disk": "10 / 50 GB free, SSD",
}


def _have(req: Requirement, report: HardwareReport) -> str:
    if req.part == "cores":
        have = f"{int(req.have)}"
    elif req.part == "disk":
        disk = report.disk
        have = "unknown" if disk is None or disk.free is None else f"{req.have / 1e9:.0f} GB free"
    elif req.part == "gpu" and not req.have:
        have = "none"
    else:
        have = gb(req.have)
    return f"{have} (needs {_LIMITS[req.part]})"


def format_text(report: HardwareReport) -> str:
    m = report.machine
    out: list[str] = []
    title = "Hardware (hypothetical machine)" if m.hypothetical else "Hardware"
    out.append(title)
    mem = m.memory
    ram = f"  RAM      {gb(mem.total)} total, {gb(mem.available)} available"
    if mem.limited_by and mem.limited_by != "given":
        ram += f" ({mem.limited_by} limit; host {gb(mem.host_total)})"
    out.append(ram)
    cpu = m.cpu
    if cpu.model or cpu.cores:
        limit = f", limited to {cpu.cpu_limit:g} CPUs" if cpu.cpu_limit else ""
        out.append(f"  CPU      {cpu.model or 'unknown'} ({cpu.cores} cores, {cpu.threads} threads{limit})")
    if not m.gpus:
        out.append("  GPU      none that Ollama can use")
    for g in m.gpus:
        free = f", {gb(g.vram_free)} free" if g.vram_free is not None else ""
        kind = " (shares system memory)" if g.integrated else ""
        driver = f", driver {g.driver}" if g.driver else ""
        out.append(f"  GPU      {g.name}: {gb(g.vram_total)}{free}{kind}{driver} [{g.source}]")
    if m.battery is not None:
        state = "on battery" if m.battery.on_battery else "plugged in"
        out.append(f"  Battery  {m.battery.percent:.0f}%, {state}")
    out.append("")
    out.append(f"Size class (at {report.num_ctx} tokens of context)")
    for row in report.tier.rows:
        mark = ">" if row.highlighted else " "
        out.append(
            f" {mark} {row.tier.label:<4} needs {gb(row.verdict.need):>8}  {_rated(row.verdict):<28}"
            f" (e.g. {row.tier.representative}; table: {gb(row.tier.ram)} RAM"
            f"{' and a GPU' if row.tier.needs_gpu else ''} or a {gb(row.tier.vram)} GPU)"
        )
    out.append("")
    out.append(f"Suggestions (at least {USABLE_TOKENS_PER_SECOND:.0f} tokens/s for chat)")
    for s in report.suggestions:
        out.append(
            f"  {s.title:<26} {s.tag:<32} {s.quantization:<7} needs {gb(s.verdict.need):>8}  "
            f"{_rated(s.verdict)}"
        )
        if s.alternatives:
            out.append(f"  {'':<26} also: {', '.join(tag for tag, _v in s.alternatives)}")
        if s.slower is not None:
            slow_tps = format_speed(s.slower[1].tokens_per_second)
            out.append(f"  {'':<26} {s.slower[0]} fits, slow: about {slow_tps} tokens/s")
    if report.requirements:
        out.append("")
        out.append("The seed's advice (minimum for 7B / recommended for 13B)")
        for req in report.requirements:
            out.append(f"  {_PART[req.part]:<7} {_have(req, report):<44} {_VERDICT[req.verdict]}")
    out.append("")
    out.extend(report.explanation)
    for note in m.notes:
        out.append(f"Note: {note}")
    out.append(f"Model catalog dated {report.catalog_date}. Pull one with: ollama pull <tag>")
    return "\n".join(out)
