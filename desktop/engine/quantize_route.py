"""The streaming side of /api/create's `quantize`: progress lines while a thread rewrites the GGUF.

The result lands in the blob store under its own digest, so a model created from it is an
ordinary model (listed, shown, loaded, deleted) and the same request twice stores one blob.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from desktop.engine.options import RequestError
from desktop.engine.registry import Registry, sha256_file


async def quantize_chunks(
    registry: Registry, model_file: Path, quantize: Any, layer_out: list[dict[str, Any]]
) -> AsyncIterator[dict[str, Any]]:
    """Yield Ollama's progress lines; on success append the new model layer to `layer_out`."""
    # numpy and gguf load only when someone quantizes: the engine starts without them.
    from desktop.engine.quantize import QuantizeError, is_float, plan_for, quantize_file, source_type

    if not isinstance(quantize, str) or not quantize.strip():
        raise RequestError("quantize must be a type name such as q4_0, q8_0 or q4_K_M")
    try:
        plan = plan_for(quantize)
        current = await asyncio.to_thread(source_type, model_file)
    except QuantizeError as exc:
        raise RequestError(str(exc)) from exc
    except (OSError, ValueError) as exc:
        raise RequestError(f"the model file cannot be read for quantizing: {exc}") from exc
    if current == plan.main and plan.main == plan.sensitive:
        raise RequestError(f"the model is already {current}")
    if not is_float(current):
        # Ollama refuses this; here it is allowed, but the user is told what it costs.
        yield {
            "status": f"warning: the model is already quantized ({current}); "
            f"{plan.level} made from it loses more quality than one made from F16 weights"
        }
    status = f"quantizing {current} model to {plan.level}"
    yield {"status": status}
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[int, int]] = asyncio.Queue()
    stop = threading.Event()

    def progress(done: int, total: int) -> None:
        if stop.is_set():  # the client went away: quantize_file removes its partial file
            raise QuantizeError("cancelled")
        loop.call_soon_threadsafe(queue.put_nowait, (done, total))

    fd, name = tempfile.mkstemp(dir=registry.blobs, prefix=".quantize-", suffix=".gguf")
    os.close(fd)
    target = Path(name)
    work = asyncio.ensure_future(asyncio.to_thread(quantize_file, model_file, target, plan, progress))
    try:
        while not work.done() or not queue.empty():
            getter = asyncio.ensure_future(queue.get())
            await asyncio.wait({getter, work}, return_when=asyncio.FIRST_COMPLETED)
            if getter.done():
                done, total = getter.result()
                yield {"status": status, "digest": "0", "total": total, "completed": done}
            else:
                getter.cancel()
        try:
            work.result()
        except (QuantizeError, ValueError, OSError, RuntimeError) as exc:
            raise RequestError(f"quantizing failed: {exc}", 500) from exc
        digest = f"sha256:{await asyncio.to_thread(sha256_file, target)}"
        blob = registry.blob_path(digest)
        os.replace(target, blob)
        layer_out.append({"digest": digest, "size": blob.stat().st_size})
    finally:
        if not work.done():
            # The client went away: the thread stops after its current tensor.
            stop.set()
            await asyncio.shield(asyncio.wait({work}))
        target.unlink(missing_ok=True)
