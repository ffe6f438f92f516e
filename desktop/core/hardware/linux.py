"""Linux RAM and CPU from /proc and /sys, honouring cgroup v2 and v1 limits (as Ollama does)."""

from __future__ import annotations

from desktop.core.hardware.context import ProbeContext
from desktop.core.hardware.machine import Cpu, Memory

# cgroup v1 writes a page-aligned INT64_MAX for "no limit"; anything this large means none.
_NO_LIMIT = 1 << 60


def meminfo(ctx: ProbeContext) -> dict[str, int]:
    text = ctx.read("/proc/meminfo") or ""
    values: dict[str, int] = {}
    for line in text.splitlines():
        name, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[0].isdigit():
            scale = 1024 if len(parts) > 1 and parts[1].lower() == "kb" else 1
            values[name.strip()] = int(parts[0]) * scale
    return values


def _cgroup_v2_dir(ctx: ProbeContext) -> str:
    for line in (ctx.read("/proc/self/cgroup") or "").splitlines():
        if line.startswith("0::"):
            return line[3:].strip() or "/"
    return "/"


def _stat_value(text: str | None, key: str) -> int:
    for line in (text or "").splitlines():
        name, _, value = line.partition(" ")
        if name == key and value.strip().isdigit():
            return int(value.strip())
    return 0


def cgroup_memory(ctx: ProbeContext) -> tuple[int, int, str] | None:
    """(limit, used, "cgroup v2"|"cgroup v1") when a memory limit applies to this process."""
    base = "/sys/fs/cgroup"
    if ctx.path(f"{base}/cgroup.controllers").exists():
        # Walk from our own cgroup up to the root: the tightest limit on the way wins.
        rel = _cgroup_v2_dir(ctx).strip("/")
        parts = rel.split("/") if rel else []
        best: tuple[int, int] | None = None
        for depth in range(len(parts), -1, -1):
            folder = "/".join([base, *parts[:depth]])
            raw = (ctx.read(f"{folder}/memory.max") or "").strip()
            if not raw.isdigit():
                continue
            limit = int(raw)
            current = ctx.read_int(f"{folder}/memory.current") or 0
            # Page cache is reclaimable: count it as available, as the kernel would.
            current -= _stat_value(ctx.read(f"{folder}/memory.stat"), "inactive_file")
            if best is None or limit < best[0]:
                best = (limit, max(0, current))
        return (best[0], best[1], "cgroup v2") if best else None
    limit_v1 = ctx.read_int(f"{base}/memory/memory.limit_in_bytes")
    if limit_v1 is None or limit_v1 >= _NO_LIMIT:
        return None
    used = ctx.read_int(f"{base}/memory/memory.usage_in_bytes") or 0
    used -= _stat_value(ctx.read(f"{base}/memory/memory.stat"), "total_inactive_file")
    return limit_v1, max(0, used), "cgroup v1"


def memory(ctx: ProbeContext) -> Memory | None:
    info = meminfo(ctx)
    total = info.get("MemTotal")
    if not total:
        return None
    fallback = info.get("MemFree", 0) + info.get("Buffers", 0) + info.get("Cached", 0)
    available = info.get("MemAvailable", fallback)
    limited = cgroup_memory(ctx)
    if limited is not None and limited[0] < total:
        limit, used, kind = limited
        return Memory(
            total=limit,
            available=max(0, min(available, limit - used)),
            host_total=total,
            limited_by=kind,
        )
    return Memory(total=total, available=available, host_total=total)


def cpu(ctx: ProbeContext) -> Cpu:
    text = ctx.read("/proc/cpuinfo") or ""
    model = ""
    threads = 0
    cores: set[tuple[str, str]] = set()
    physical = core = ""
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if key == "processor":
            threads += 1
        elif key in ("model name", "Model", "Hardware") and not model:
            model = value
        elif key == "physical id":
            physical = value
        elif key == "core id":
            core = value
            cores.add((physical, core))
    physical_count, logical_count = 0, 0
    if threads == 0 or not cores:
        try:
            physical_count, logical_count = ctx.cpu_counts()
        except Exception:
            physical_count, logical_count = 0, 0
    return Cpu(
        model=model,
        cores=len(cores) or physical_count or threads,
        threads=threads or logical_count,
        arch=ctx.arch,
        cpu_limit=cgroup_cpu_limit(ctx),
    )


def cgroup_cpu_limit(ctx: ProbeContext) -> float | None:
    raw = (ctx.read("/sys/fs/cgroup/cpu.max") or "").split()
    if len(raw) == 2 and raw[0].isdigit() and raw[1].isdigit() and int(raw[1]) > 0:
        return int(raw[0]) / int(raw[1])
    quota = ctx.read_int("/sys/fs/cgroup/cpu/cpu.cfs_quota_us")
    period = ctx.read_int("/sys/fs/cgroup/cpu/cpu.cfs_period_us")
    if quota and period and quota > 0:
        return quota / period
    return None


def drm_cards(ctx: ProbeContext, vendor_id: int) -> list[tuple[str, str]]:
    """(card name, absolute device folder) of GPUs from one PCI vendor; connectors are skipped."""
    folder = ctx.path("/sys/class/drm")
    if not folder.is_dir():
        return []
    cards: list[tuple[str, str]] = []
    for entry in sorted(folder.iterdir(), key=lambda p: (len(p.name), p.name)):
        name = entry.name
        if not name.startswith("card") or not name[4:].isdigit():
            continue  # card0-DP-1 and renderD128 are not GPUs of their own
        device = f"/sys/class/drm/{name}/device"
        if ctx.read_int(f"{device}/vendor") == vendor_id:
            cards.append((name, device))
    return cards
