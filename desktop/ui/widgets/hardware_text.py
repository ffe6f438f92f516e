"""The hardware advice in the UI language: verdict labels and sentences, speeds, the machine,
the seed's minimum/recommended parts. Shared by the hardware page, the catalog and the welcome,
so the three say the same thing (the core's English summaries serve the CLI).

Strings use the "HardwarePanel" translation context, where most of them have always lived.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop.core.hardware.advice import Requirement
from desktop.core.hardware.machine import gb
from desktop.core.hardware.recommend import Suggestion
from desktop.core.hardware.report import HardwareReport
from desktop.core.hardware.sizing import Fit, Verdict
from desktop.core.hardware.speed import USABLE_TOKENS_PER_SECOND, format_speed
from desktop.core.pulls import format_bytes
from desktop.ui import theme

# Which of the theme's verdict colours (desktop.ui.theme: good / slow / bad, each checked at 4.5:1
# on its theme's window and base) a rating or a requirement verdict is drawn in.
_ROLE = {
    "gpu": "good",
    "partial": "good",
    "cpu": "good",
    "slow": "slow",
    "too_large": "bad",
    "recommended": "good",
    "minimum": "slow",
    "below": "bad",
}


def translate(context: str, text: str, disambiguation: str | None = None) -> str:
    return QCoreApplication.translate(context, text, disambiguation)


def colour(key: str) -> str:
    c = theme.colours()
    role = _ROLE.get(key)
    return str(getattr(c, role)) if role else c.placeholder_text


def highlight() -> tuple[str, str]:
    """The "this computer" row: (background, text), the theme's pair for it."""
    c = theme.colours()
    return c.row_highlight, c.row_highlight_text


def nominal(n: int) -> str:
    """A sold size: '16 GB', not '16.0 GB'."""
    return f"{n / (1 << 30):g} GB"


def usable_speed() -> str:
    return format_speed(USABLE_TOKENS_PER_SECOND)


def rating_label(rating: str, tps: float) -> str:
    """The short verdict of a table cell or a catalog row (tps 0: speed not known)."""
    speed = format_speed(tps)
    if tps <= 0:
        return {
            "gpu": translate("HardwarePanel", "Runs on your GPU"),
            "partial": translate("HardwarePanel", "Partly on GPU"),
            "cpu": translate("HardwarePanel", "Runs on the CPU"),
            "slow": translate("HardwarePanel", "Fits, slow"),
            "too_large": translate("HardwarePanel", "Too large"),
        }.get(rating, translate("HardwarePanel", "Unknown"))
    if rating == "gpu":
        return translate("HardwarePanel", "Runs on your GPU, about {0} tokens/s").format(speed)
    if rating == "partial":
        return translate("HardwarePanel", "Partly on GPU, about {0} tokens/s").format(speed)
    if rating == "cpu":
        return translate("HardwarePanel", "Runs on the CPU, about {0} tokens/s").format(speed)
    if rating == "slow":
        return translate("HardwarePanel", "Fits, slow: about {0} tokens/s").format(speed)
    if rating == "too_large":
        return translate("HardwarePanel", "Too large")
    return translate("HardwarePanel", "Unknown")


def verdict_label(verdict: Verdict) -> str:
    return rating_label(verdict.rating, verdict.tokens_per_second)


def verdict_sentence(verdict: Verdict, name: str | None = None) -> str:
    """Where and how fast a model runs here, in one or two sentences."""
    name = name or verdict.name
    need, speed = gb(verdict.need), format_speed(verdict.tokens_per_second)
    if verdict.kind is Fit.GPU:
        if verdict.unified:
            text = translate(
                "HardwarePanel",
                "{0} needs about {1}; your Mac lets the GPU use {2}, so it runs fully on the GPU, at about {3} tokens/s.",  # noqa: E501
            ).format(name, need, gb(verdict.gpu_budget), speed)
        else:
            text = translate(
                "HardwarePanel",
                "{0} needs about {1}; your GPU has {2} free, so it runs fully on the GPU, at about {3} tokens/s.",  # noqa: E501
            ).format(name, need, gb(verdict.gpu_budget), speed)
    elif verdict.kind is Fit.PARTIAL:
        text = translate(
            "HardwarePanel",
            "{0} needs about {1}; your GPU has {2} free, so part of it would run on the CPU, at about {3} tokens/s.",  # noqa: E501
        ).format(name, need, gb(verdict.gpu_budget), speed)
    elif verdict.kind is Fit.CPU:
        if verdict.gpu_budget >= 1 << 30:
            text = translate(
                "HardwarePanel",
                "{0} needs about {1}, more than your GPU offers ({2}), so it would run on the CPU, at about {3} tokens/s.",  # noqa: E501
            ).format(name, need, gb(verdict.gpu_budget), speed)
        else:
            text = translate(
                "HardwarePanel",
                "{0} needs about {1}; with no GPU to use, it runs on the CPU from the {2} of memory free for models, at about {3} tokens/s.",  # noqa: E501
            ).format(name, need, gb(verdict.ram_budget), speed)
    else:
        return translate(
            "HardwarePanel",
            "{0} needs about {1}, more than this computer can give a model, so it will not load.",
        ).format(name, need)
    if verdict.rating == "slow":
        slow = translate(
            "HardwarePanel", "That is below the {0} tokens/s a chat needs: it fits, but answers slowly."
        ).format(usable_speed())
        return two_sentences(text, slow)
    return text


def two_sentences(first: str, second: str) -> str:
    # Two sentences in a row: a space in English, none in Chinese.
    return translate("HardwarePanel", "{0} {1}", "two sentences in a row").format(first, second)


def machine_sentence(report: HardwareReport) -> str:
    m, b = report.machine, report.budget
    if b.unified:
        return translate(
            "HardwarePanel", "This computer has {0} of memory shared by the CPU and GPU; the GPU may use {1}."
        ).format(gb(m.memory.total), gb(b.gpu))
    if b.has_gpu:
        return translate(
            "HardwarePanel", "This computer has {0} of RAM ({1} usable for models) and {2} with {3} free."
        ).format(gb(m.memory.total), gb(b.ram), " + ".join(b.gpu_names), gb(b.gpu))
    return translate(
        "HardwarePanel",
        "This computer has {0} of RAM ({1} usable for models) and no GPU that Ollama can use, so models run on the CPU.",  # noqa: E501
    ).format(gb(m.memory.total), gb(b.ram))


def tier_sentence(report: HardwareReport) -> str:
    """The class the seed's table gives, and why."""
    tier = report.tier.rows[report.tier.index].tier
    if report.tier.basis == "vram":
        return translate(
            "HardwarePanel", "It suits {0} models: its GPU has the {1} the table asks for."
        ).format(tier.label, nominal(tier.vram))
    return translate(
        "HardwarePanel", "It suits {0} models: it has the {1} of RAM the table asks for."
    ).format(tier.label, nominal(tier.ram))


def smaller_sentence(report: HardwareReport) -> str:
    """Why the chat suggestion sits below the class ('' when it does not)."""
    if not report.chat_is_smaller:
        return ""
    row = report.tier.rows[report.tier.index]
    return translate(
        "HardwarePanel",
        "A {0} model would answer here at about {1} tokens/s, so the suggestions are smaller models that reach at least {2} tokens/s.",  # noqa: E501
    ).format(row.tier.label, format_speed(row.verdict.tokens_per_second), usable_speed())


def explain(report: HardwareReport) -> list[str]:
    rows, index = report.tier.rows, report.tier.index
    lines = [machine_sentence(report)]
    smaller = smaller_sentence(report)
    # Slow at its class: say so once, with the speed; the next class up is slower still.
    if smaller:
        lines.append(two_sentences(tier_sentence(report), smaller))
    else:
        lines.append(two_sentences(tier_sentence(report), verdict_sentence(rows[index].verdict)))
        if index + 1 < len(rows):
            lines.append(verdict_sentence(rows[index + 1].verdict))
    if report.tier.on_battery:
        lines.append(
            translate(
                "HardwarePanel",
                "On battery: the suggestions are one size smaller, with a {0}-token context, to save power.",
            ).format(report.num_ctx)
        )
    mem = report.machine.memory
    if mem.limited_by and mem.limited_by != "given":
        lines.append(
            translate(
                "HardwarePanel", "A container limit ({0}) caps memory at {1}; the computer itself has {2}."
            ).format(mem.limited_by, gb(mem.total), gb(mem.host_total))
        )
    return lines


# -- the seed's advice: minimum (7B) and recommended (13B) -----------------------------------

PARTS = ("cores", "memory", "gpu", "disk")


def part_name(part: str) -> str:
    return {
        "cores": translate("HardwarePanel", "Processor"),
        "memory": translate("HardwarePanel", "Memory"),
        "gpu": translate("HardwarePanel", "Graphics"),
        "disk": translate("HardwarePanel", "Disk (models folder)"),
    }[part]


def part_minimum(part: str) -> str:
    return {
        "cores": translate("HardwarePanel", "4 cores"),
        "memory": translate("HardwarePanel", "8 GB"),
        "gpu": translate("HardwarePanel", "none needed"),
        "disk": translate("HardwarePanel", "10 GB free"),
    }[part]


def part_recommended(part: str) -> str:
    return {
        "cores": translate("HardwarePanel", "8 cores"),
        "memory": translate("HardwarePanel", "32 GB"),
        "gpu": translate("HardwarePanel", "RTX 3060 (12 GB) or Apple M1 Pro"),
        "disk": translate("HardwarePanel", "50 GB free on an SSD"),
    }[part]


def part_have(requirement: Requirement, report: HardwareReport) -> str:
    part, b = requirement.part, report.budget
    if part == "cores":
        return translate("HardwarePanel", "{0} cores").format(int(requirement.have))
    if part == "memory":
        return gb(requirement.have)
    if part == "gpu":
        if b.unified:
            return translate("HardwarePanel", "{0}, sharing {1}").format(b.gpu_names[0], gb(b.ram_total))
        if b.has_gpu:
            return translate("HardwarePanel", "{0}, {1}").format(" + ".join(b.gpu_names), gb(b.gpu_total))
        return translate("HardwarePanel", "none that models can use")
    disk = report.disk
    if disk is None or disk.free is None:
        return translate("HardwarePanel", "not known")
    if disk.ssd is True:
        return translate("HardwarePanel", "{0} free on an SSD").format(format_bytes(disk.free))
    if disk.ssd is False:
        return translate("HardwarePanel", "{0} free on a spinning disk").format(format_bytes(disk.free))
    return translate("HardwarePanel", "{0} free").format(format_bytes(disk.free))


def part_verdict(verdict: str) -> str:
    return {
        "recommended": translate("HardwarePanel", "meets the recommendation"),
        "minimum": translate("HardwarePanel", "meets the minimum"),
        "below": translate("HardwarePanel", "below the minimum"),
    }.get(verdict, translate("HardwarePanel", "not known"))


def part_judged(have: str, verdict: str) -> str:
    return translate("HardwarePanel", "{0}: {1}", "a part of this computer: its verdict").format(
        have, part_verdict(verdict)
    )


def disk_need_sentence(report: HardwareReport, suggestion: Suggestion) -> str:
    """The disk space a suggested model needs, against what the models folder has free."""
    from desktop.core.disk import required_bytes

    need = required_bytes(int(suggestion.download_size))
    disk = report.disk
    if disk is None or disk.free is None:
        return translate("HardwarePanel", "{0} is a {1} download and needs about {2} of disk space.").format(
            suggestion.tag, format_bytes(suggestion.download_size), format_bytes(need)
        )
    if disk.free >= need:
        return translate(
            "HardwarePanel", "{0} is a {1} download and needs about {2} of disk space; {3} is free, enough."
        ).format(
            suggestion.tag,
            format_bytes(suggestion.download_size),
            format_bytes(need),
            format_bytes(disk.free),
        )
    return translate(
        "HardwarePanel",
        "{0} is a {1} download and needs about {2} of disk space, but only {3} is free: free some space first.",  # noqa: E501
    ).format(
        suggestion.tag, format_bytes(suggestion.download_size), format_bytes(need), format_bytes(disk.free)
    )
