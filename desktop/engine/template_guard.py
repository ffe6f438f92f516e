"""A time and output budget for rendering a model's chat template.

The template comes from the GGUF (any hub, any author) and is a program: three nested
400-step loops stalled the old in-process renderer for 4.7 s, and nothing bounds a loop in
Jinja. Rendering now happens inside the model's child process (llama-server's renderer), so
a runaway template can no longer stall the API, but it can still hold a request forever and
keep a core busy. `apply_template` gives each render a deadline and a cap on the rendered
size; a render over the deadline fails its request with a plain message and the child is
stopped (the runner starts a fresh one for the next request), since a render cannot be
cancelled from outside the process that runs it.

llama-server also renders the template once while it starts (an example chat for its log),
where no request deadline can tell a runaway template from a slow 40 GB load. So before a
child starts, `check_template` renders the template here, in Jinja's sandbox, in a worker
thread, under a trace-based deadline and an output cap: a template over budget is refused
with a clear error instead of holding the load for minutes. Only the budget is judged here;
a template Jinja cannot parse is left to llama.cpp's own renderer (its dialect differs).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import os
import sys
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from types import FrameType
from typing import Any, Protocol

import httpx

from desktop.engine.options import RequestError

TIMEOUT_ENV = "OLLAMA_DESK_TEMPLATE_TIMEOUT"
DEFAULT_SECONDS = 10.0  # a real template renders in milliseconds, even for long chats
MAX_PROMPT_BYTES = 32 << 20  # the rendered prompt (JSON-escaped); far above any context
CHECK_SECONDS = 2.0  # the load-time check renders a four-message chat
CHECK_MAX_CHARS = 1 << 20
MAX_VALUE_LEN = 1 << 20  # one string or list built by `*` or `+` inside a template
EXAMPLE_CHAT = [
    {"role": "system", "content": "You are a helpful assistant"},
    {"role": "user", "content": "Hello"},
    {"role": "assistant", "content": "Hi there"},
    {"role": "user", "content": "How are you?"},
]


class TemplateOverBudget(RequestError):
    """The chat template ran past its time or output budget."""


class TemplateChild(Protocol):
    """What the guard needs of a model child (process.Child)."""

    def client(self) -> httpx.AsyncClient: ...

    def stop(self) -> None: ...


def budget_seconds() -> float:
    try:
        value = float(os.environ.get(TIMEOUT_ENV, DEFAULT_SECONDS))
    except ValueError:
        return DEFAULT_SECONDS
    return value if 0 < value < 3600 else DEFAULT_SECONDS


async def apply_template(
    child: TemplateChild,
    messages: list[dict[str, Any]],
    *,
    died: Callable[[Exception], Awaitable[str]] | None = None,
    seconds: float | None = None,
    max_bytes: int = MAX_PROMPT_BYTES,
) -> str:
    """The prompt the child's llama-server renders for `messages`, within the budget.

    `died` turns a broken connection into the child's exit reason (the caller knows how).
    """
    limit = budget_seconds() if seconds is None else seconds
    try:
        return await asyncio.wait_for(_render(child, messages, max_bytes, died), limit)
    except asyncio.TimeoutError:
        child.stop()
        raise TemplateOverBudget(
            f"the model's chat template took longer than {limit:g} s to render, so the request "
            "was stopped and the model restarted; the template in this model file is faulty",
            500,
        ) from None


async def _render(
    child: TemplateChild,
    messages: list[dict[str, Any]],
    max_bytes: int,
    died: Callable[[Exception], Awaitable[str]] | None,
) -> str:
    body = bytearray()
    try:
        async with child.client().stream("POST", "/apply-template", json={"messages": messages}) as response:
            async for block in response.aiter_bytes():
                body += block
                if len(body) > max_bytes:
                    raise TemplateOverBudget(
                        f"the model's chat template produced more than {max_bytes >> 20} MiB of prompt; "
                        "the template in this model file is faulty",
                        500,
                    )
            status = response.status_code
    except httpx.HTTPError as exc:
        reason = await died(exc) if died is not None else str(exc)
        raise RequestError(f"the model's chat template failed: {reason}", 500) from exc
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        data = None
    if status != 200 or not isinstance(data, dict) or not isinstance(data.get("prompt"), str):
        message = _error_text(data) or body[:300].decode("utf-8", "replace")
        raise RequestError(f"the model's chat template failed: {message}", 500)
    return str(data["prompt"])


def _error_text(data: Any) -> str:
    if not isinstance(data, dict):
        return ""
    error = data.get("error")
    if isinstance(error, dict):
        return str(error.get("message") or "")[:300]
    return str(error or "")[:300]


# --- the load-time check, in this process ----------------------------------------------------


class _Overrun(Exception):
    pass


def _sized(value: Any) -> Any:
    if isinstance(value, (str, bytes, list, tuple)) and len(value) > MAX_VALUE_LEN:
        raise _Overrun("a value in the template grew too large")
    return value


def _small_numbers(args: Any, kwargs: dict[str, Any]) -> None:
    # `"x"|center(10**9)` or `"x".ljust(10**9)` build a gigabyte inside one C call, where no
    # trace event can stop them: no real template passes a number this large to anything.
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_VALUE_LEN:
            raise _Overrun("a number in the template is too large")


def _capped(function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)  # keeps jinja's pass_context/pass_environment marks
    def capped(*args: Any, **kwargs: Any) -> Any:
        _small_numbers(args, kwargs)
        return _sized(function(*args, **kwargs))

    return capped


def _environment() -> Any:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class BudgetedEnvironment(ImmutableSandboxedEnvironment):
        """`'x' * 10**9` builds a gigabyte before any deadline could be checked: cap it."""

        intercepted_binops = frozenset({"*", "**", "+"})

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
            _small_numbers(args, kwargs)
            return _sized(super().call(__context, __obj, *args, **kwargs))

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "*":
                seq, times = (left, right) if isinstance(right, int) else (right, left)
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                    if len(seq) * max(times, 0) > MAX_VALUE_LEN:
                        raise _Overrun("a value in the template grew too large")
            if operator == "**" and isinstance(right, int) and right > 64:
                raise _Overrun("a number in the template grew too large")
            return _sized(super().call_binop(context, operator, left, right))

    def raise_exception(message: str) -> None:
        raise ValueError(message)

    env = BudgetedEnvironment(trim_blocks=True, lstrip_blocks=True)
    env.filters = {name: _capped(function) for name, function in env.filters.items()}
    env.globals.update(raise_exception=raise_exception, strftime_now=lambda fmt: time.strftime(fmt))
    return env


def _rendering(frame: FrameType) -> bool:
    """A frame of the template, of Jinja (and MarkupSafe) or of this module's sandbox."""
    if frame.f_code.co_filename == "<template>":
        return True
    name = str(frame.f_globals.get("__name__", ""))
    return name == __name__ or name.startswith(("jinja2", "markupsafe"))


def _render_with_deadline(source: str, seconds: float, max_chars: int) -> str | None:
    """The overrun's reason, or None when the template rendered (or failed) within budget."""
    deadline = time.monotonic() + seconds
    produced = 0

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        # Only the render's own frames: the garbage collector may finalize someone else's
        # generator mid-render, and an overrun raised there is lost ("Exception ignored").
        if not _rendering(frame):
            return None
        if time.monotonic() > deadline:
            raise _Overrun(f"rendering took longer than {seconds:g} s")
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        template = _environment().from_string(source)
        for piece in template.generate(
            messages=EXAMPLE_CHAT, add_generation_prompt=True, bos_token="<s>", eos_token="</s>", tools=None
        ):
            produced += len(piece)
            if produced > max_chars:
                raise _Overrun(f"it produced more than {max_chars >> 10} KiB for a four-message chat")
    except _Overrun as exc:
        return str(exc)
    except RecursionError:
        return "it recursed without end"
    except (MemoryError, OverflowError):
        return "it ran out of memory"
    except Exception:  # noqa: BLE001 - a template error is llama.cpp's renderer's to judge
        return None
    finally:
        sys.settrace(previous)
    return None


def check_template(source: str, *, seconds: float = CHECK_SECONDS, max_chars: int = CHECK_MAX_CHARS) -> None:
    """Raise TemplateOverBudget if rendering an example chat exceeds the budget.

    Blocking: call it in a worker thread (asyncio.to_thread); the deadline is enforced by a
    trace function of that thread, so the thread always ends close to the deadline.
    """
    if not source:
        return
    result: list[str | None] = []
    worker = threading.Thread(
        target=lambda: result.append(_render_with_deadline(source, seconds, max_chars)),
        name="template-check",
        daemon=True,
    )
    worker.start()
    worker.join(seconds + 5.0)
    reason = result[0] if result else f"rendering took longer than {seconds:g} s"
    if reason is not None:
        raise TemplateOverBudget(
            f"unable to load model: the model's chat template is faulty ({reason}); "
            "use a model file with a working template",
            500,
        )


def check_templates(metadata: dict[str, Any]) -> None:
    """check_template for every chat template a GGUF carries (the default and named ones)."""
    for key, value in metadata.items():
        if (key == "tokenizer.chat_template" or key.startswith("tokenizer.chat_template.")) and isinstance(
            value, str
        ):
            check_template(value)


@contextlib.asynccontextmanager
async def rendering_stream(
    child: TemplateChild, path: str, body: dict[str, Any], *, seconds: float | None = None
) -> AsyncIterator[httpx.Response]:
    """A streamed request whose template llama-server renders before it answers (its OpenAI
    chat endpoint): the response head must arrive within the template budget, or the child
    is stopped, as in apply_template. The body then streams with no deadline of ours."""
    limit = budget_seconds() if seconds is None else seconds
    http = child.client()
    request = http.build_request("POST", path, json=body)
    try:
        response = await asyncio.wait_for(http.send(request, stream=True), limit)
    except asyncio.TimeoutError:
        child.stop()
        raise TemplateOverBudget(
            f"the model's chat template took longer than {limit:g} s to render, so the request "
            "was stopped and the model restarted; the template in this model file is faulty",
            500,
        ) from None
    try:
        yield response
    finally:
        await response.aclose()
