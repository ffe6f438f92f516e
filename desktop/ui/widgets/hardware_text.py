"""The hardware advice in the UI language: verdict labels and sentences, speeds, the machine,
the seed's minimum/recommended parts. Shared by the hardware page, the catalog and the welcome,
so the three say the same thing (the core's English summaries serve the CLI).

Strings use the "HardwarePanel" translation context, where most of them have always lived.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, Qt

from desktop.core.disk import required_bytes
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


def _rating_texts(rating: str) -> tuple[str, str, str]:
    """A rating's label: (speed not known, "about {0} tokens/s", "measured {0} tokens/s on {1}")."""
    texts = {
        "gpu": (
            translate("HardwarePanel", "Runs on your GPU"),
            translate("HardwarePanel", "Runs on your GPU, about {0} tokens/s"),
            translate("HardwarePanel", "Runs on your GPU, measured {0} tokens/s on {1}"),
        ),
        "partial": (
            translate("HardwarePanel", "Partly on GPU"),
            translate("HardwarePanel", "Partly on GPU, about {0} tokens/s"),
            translate("HardwarePanel", "Partly on GPU, about {0} tokens/s"),
        ),
        "cpu": (
            translate("HardwarePanel", "Runs on the CPU"),
            translate("HardwarePanel", "Runs on the CPU, about {0} tokens/s"),
            translate("HardwarePanel", "Runs on the CPU, measured {0} tokens/s on {1}"),
        ),
        "slow": (
            translate("HardwarePanel", "Fits, slow"),
            translate("HardwarePanel", "Fits, slow: about {0} tokens/s"),
            translate("HardwarePanel", "Fits, slow: measured {0} tokens/s on {1}"),
        ),
    }
    if rating in texts:
        return texts[rating]
    label = (
        translate("HardwarePanel", "Too large")
        if rating == "too_large"
        else translate("HardwarePanel", "Unknown")
    )
    return label, label, label


def rating_label(rating: str, tps: float, measured_on: str = "") -> str:
    """The short verdict of a table cell or a catalog row (tps 0: speed not known; measured_on: the
    day that speed was measured here, '' when it is a prediction)."""
    unknown, about, measured = _rating_texts(rating)
    if tps <= 0:
        return unknown
    return measured.format(format_speed(tps), measured_on) if measured_on else about.format(format_speed(tps))


def day_text(when: str) -> str:
    """A measurement's day in the UI language ("1 December", "12月1日")."""
    moment = QDateTime.fromString(when, Qt.DateFormat.ISODate)
    if not moment.isValid():
        return when[:10]
    # The format is the translator's: day and month in the order the language writes them.
    fmt = translate("HardwarePanel", "d MMMM", "the day a speed was measured, as a Qt date format")
    return QLocale().toString(moment.toLocalTime().date(), fmt)


def measured_day(report: HardwareReport, model: str, verdict: Verdict) -> str:
    """The day `model` was measured here, when `verdict`'s speed is that measurement ('' if not)."""
    cal = report.calibration
    found = cal.measured_for(model) if cal is not None else None
    if found is None or found.tokens_per_second != verdict.tokens_per_second:
        return ""
    return day_text(found.when)


def verdict_label(verdict: Verdict, report: HardwareReport | None = None, model: str = "") -> str:
    day = measured_day(report, model or verdict.name, verdict) if report is not None else ""
    return rating_label(verdict.rating, verdict.tokens_per_second, day)


def speed_here(report: HardwareReport, model: str, verdict: Verdict) -> str:
    """How fast `model` answers here and where the figure comes from: measured, predicted from
    what was measured, or estimated (with why nothing measured applies)."""
    speed = format_speed(verdict.tokens_per_second)
    day = measured_day(report, model, verdict)
    if day:
        return translate("HardwarePanel", "measured {0} tokens/s here on {1}").format(speed, day)
    cal = report.calibration
    if cal is not None:
        on_gpu = verdict.kind in (Fit.GPU, Fit.PARTIAL)
        on_cpu = verdict.kind in (Fit.CPU, Fit.PARTIAL)
        if (on_gpu and cal.gpu_points) or (on_cpu and cal.cpu_points):
            return translate(
                "HardwarePanel", "about {0} tokens/s here, predicted from the speeds measured here on {1}"
            ).format(speed, day_text(max(m.when for m in cal.measured)))
        if on_gpu:
            return translate(
                "HardwarePanel", "about {0} tokens/s here, an estimate: nothing was measured on the GPU yet"
            ).format(speed)
        return translate(
            "HardwarePanel", "about {0} tokens/s here, an estimate: nothing was measured on the CPU yet"
        ).format(speed)
    return translate(
        "HardwarePanel",
        "about {0} tokens/s here, an estimate: nothing has been measured on this computer yet",
    ).format(speed)


def basis_sentence(report: HardwareReport) -> str:
    """Where the page's speeds come from, in one sentence."""
    cal = report.calibration
    if cal is None:
        return translate(
            "HardwarePanel",
            "Speeds are estimates from the processor and memory: nothing has been measured on this computer yet.",  # noqa: E501
        )
    return translate(
        "HardwarePanel",
        "Speeds are measured here or predicted from the speeds measured here (latest on {0}).",
    ).format(day_text(max(m.when for m in cal.measured)))


def slower_sentence(report: HardwareReport, suggestion: Suggestion) -> str:
    """The larger model that fits but is slow ('' when there is none)."""
    if suggestion.slower is None:
        return ""
    tag, verdict = suggestion.slower
    speed, day = format_speed(verdict.tokens_per_second), measured_day(report, tag, verdict)
    if day:
        return translate("HardwarePanel", "{0} also fits, slow: measured {1} tokens/s here on {2}.").format(
            tag, speed, day
        )
    return translate("HardwarePanel", "{0} also fits, slow: about {1} tokens/s.").format(tag, speed)


def verdict_sentence(verdict: Verdict, name: str | None = None) -> str:
    """Where and how fast a model runs here, in one or two sentences."""
    name = name or verdict.name
    need, speed = gb(verdict.need), format_speed(verdict.tokens_per_second)
    if verdict.kind is Fit.TOO_LARGE:
        return translate(
            "HardwarePanel",
            "{0} needs about {1}, more than this computer can give a model, so it will not load.",
        ).format(name, need)
    room = gb(verdict.gpu_budget)  # {2}: the memory that decided where it runs
    if verdict.kind is Fit.GPU and verdict.unified:
        template = translate(
            "HardwarePanel",
            "{0} needs about {1}; your Mac lets the GPU use {2}, so it runs fully on the GPU, at about {3} tokens/s.",  # noqa: E501
        )
    elif verdict.kind is Fit.GPU:
        template = translate(
            "HardwarePanel",
            "{0} needs about {1}; your GPU has {2} free, so it runs fully on the GPU, at about {3} tokens/s.",  # noqa: E501
        )
    elif verdict.kind is Fit.PARTIAL:
        template = translate(
            "HardwarePanel",
            "{0} needs about {1}; your GPU has {2} free, so part of it would run on the CPU, at about {3} tokens/s.",  # noqa: E501
        )
    elif verdict.gpu_budget >= 1 << 30:
        template = translate(
            "HardwarePanel",
            "{0} needs about {1}, more than your GPU offers ({2}), so it would run on the CPU, at about {3} tokens/s.",  # noqa: E501
        )
    else:
        room = gb(verdict.ram_budget)
        template = translate(
            "HardwarePanel",
            "{0} needs about {1}; with no GPU to use, it runs on the CPU from the {2} of memory free for models, at about {3} tokens/s.",  # noqa: E501
        )
    text = template.format(name, need, room, speed)
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


def _part_texts(part: str) -> tuple[str, str, str]:
    """(name, the seed's minimum, its recommendation) of one part of the computer."""
    return {
        "cores": (
            translate("HardwarePanel", "Processor"),
            translate("HardwarePanel", "4 cores"),
            translate("HardwarePanel", "8 cores"),
        ),
        "memory": (
            translate("HardwarePanel", "Memory"),
            translate("HardwarePanel", "8 GB"),
            translate("HardwarePanel", "32 GB"),
        ),
        "gpu": (
            translate("HardwarePanel", "Graphics"),
            translate("HardwarePanel", "none needed"),
            translate("HardwarePanel", "RTX 3060 (12 GB) or Apple M1 Pro"),
        ),
        "disk": (
            translate("HardwarePanel", "Disk (models folder)"),
            translate("HardwarePanel", "10 GB free"),
            translate("HardwarePanel", "50 GB free on an SSD"),
        ),
    }[part]


def part_name(part: str) -> str:
    return _part_texts(part)[0]


def part_minimum(part: str) -> str:
    return _part_texts(part)[1]


def part_recommended(part: str) -> str:
    return _part_texts(part)[2]


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
    need = required_bytes(int(suggestion.download_size))
    disk = report.disk
    free = disk.free if disk is not None else None
    figures = (suggestion.tag, format_bytes(suggestion.download_size), format_bytes(need))
    if free is None:
        text = translate("HardwarePanel", "{0} is a {1} download and needs about {2} of disk space.")
    elif free >= need:
        text = translate(
            "HardwarePanel", "{0} is a {1} download and needs about {2} of disk space; {3} is free, enough."
        )
    else:
        text = translate(
            "HardwarePanel",
            "{0} is a {1} download and needs about {2} of disk space, but only {3} is free: free some space first.",  # noqa: E501
        )
    return text.format(*figures, format_bytes(free or 0))
