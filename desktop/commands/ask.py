"""`ollama-desk ask`: ask a model once and stream the answer to stdout.

Meant for terminals and scripts: the answer (and only the answer) goes to stdout as it
arrives; notes and errors go to stderr as plain sentences; the exit status is 0 on
success and 1 on any failure. No Qt is imported.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
from typing import TextIO

from desktop.commands import ask_docs, ask_media, ask_server
from desktop.commands.ask_tools import ToolsUnknown, headless_loop
from desktop.core.messages import Role
from desktop.core.ollama.client import OllamaClient
from desktop.core.ollama.errors import OllamaError
from desktop.core.ollama.types import ChatMessage
from desktop.core.session import pick_default_model
from desktop.core.thinking import ThinkSplitter


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("prompt", metavar="PROMPT", help="what to ask; '-' reads it from standard input")
    parser.add_argument(
        "--model", "-m", metavar="NAME", help="model to ask (default: the first installed model)"
    )
    parser.add_argument("--system", "-s", metavar="TEXT", help="system prompt")
    parser.add_argument(
        "--host", metavar="URL", help="model server address (default: OLLAMA_HOST, else 127.0.0.1:11434)"
    )
    parser.add_argument(
        "--tools",
        metavar="NAMES",
        help="tools the model may call, e.g. calculator,time (see desktop.core.tools)",
    )
    parser.add_argument("--yes", action="store_true", help="let tools that would ask first (fetch) run")
    parser.add_argument("--temperature", type=float, metavar="T", help="sampling temperature (0: greedy)")
    parser.add_argument("--seed", type=int, metavar="N", help="sampling seed, for repeatable answers")
    parser.add_argument(
        "--docs", metavar="KB", action="append",
        help="answer from a knowledge base (see `ollama-desk docs`), its sources listed after the answer",
    )
    ask_media.add_arguments(parser)
    ask_server.add_server_arguments(parser)


class _Failure(Exception):
    """A problem that is reported as one plain sentence, not a traceback."""


def run(args: argparse.Namespace) -> int:
    out = _Output(sys.stdout)
    try:
        prompt = _read_prompt(args.prompt)
        return asyncio.run(_ask(args, prompt, out))
    except (_Failure, OllamaError, ToolsUnknown, ask_media.MediaError, ask_server.ServerChoiceError,
            ask_docs.DocsUnknown) as err:
        out.end_line()
        print(str(err), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        out.end_line()
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly. Python's flush at exit would
        # fail again on the dead pipe, so point stdout at the null device.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as err:  # a bug: still one plain line for the user, not a traceback
        out.end_line()
        print(f"Unexpected error ({type(err).__name__}): {err}", file=sys.stderr)
        return 1


def _read_prompt(value: str) -> str:
    if value == "-":
        try:
            value = sys.stdin.read()
        except (OSError, UnicodeDecodeError) as err:
            raise _Failure(f"Could not read the prompt from standard input: {err}.") from err
    prompt = value.strip()
    if not prompt:
        raise _Failure("Nothing to ask: the prompt is empty.")
    return prompt


def _options(args: argparse.Namespace) -> dict[str, float | int] | None:
    chosen = {key: getattr(args, key, None) for key in ("temperature", "seed")}
    return {key: value for key, value in chosen.items() if value is not None} or None


async def _ask(args: argparse.Namespace, prompt: str, out: _Output) -> int:
    backend = ask_server.backend_from_args(args)
    options = _options(args)
    if backend is not None:  # --server: a saved server or a URL, Ollama or OpenAI-compatible
        await ask_server.ask_on_server(
            backend,
            model=args.model or "",
            system=args.system or "",
            prompt=prompt,
            write=out.write,
            tools=getattr(args, "tools", None) or "",
            yes=bool(getattr(args, "yes", False)),
            think=ask_media.think_value(getattr(args, "think", None)),
            format=ask_media.read_format(getattr(args, "format", None)),
            options=options,
        )
        out.end_line()
        return 0
    async with OllamaClient(args.host) as client:
        model = args.model or await _default_model(client)
        messages = []
        if args.system:
            messages.append(ChatMessage(Role.SYSTEM, args.system))
        images = ask_media.read_images(getattr(args, "image", None) or [])
        reply_format = ask_media.read_format(getattr(args, "format", None))
        think = ask_media.think_value(getattr(args, "think", None))
        if images:
            await ask_media.check_vision(client, model)
        messages.append(ChatMessage(Role.USER, prompt, images=images))
        # --docs: the passages retrieved for the prompt go just before it, numbered (#17).
        passages = await ask_docs.retrieve(client, args.docs, prompt) if getattr(args, "docs", None) else None
        if passages:
            messages.insert(len(messages) - 1, ChatMessage(Role.SYSTEM, ask_docs.system_message(passages)))
        said: list[str] = []
        thinking = _Output(sys.stderr) if getattr(args, "thinking", False) else None
        splitter = ThinkSplitter()  # <think> inside content is thinking too, never the answer
        # The same tool loop as the app's chat; tool activity is reported on stderr.
        tools = getattr(args, "tools", None)
        stream = None
        if tools:
            loop = headless_loop(client, tools, args.yes)
            stream = loop.stream(model, messages, options, think=think, format=reply_format)
        chat = stream or client.chat(model, messages, options=options, format=reply_format, think=think)
        async with contextlib.aclosing(chat) as stream:
            async for chunk in stream:
                split = splitter.feed(chunk.content)
                if thinking is not None:
                    thinking.write(chunk.thinking + split.thinking)
                out.write(split.answer)
                said.append(split.answer)
            rest = splitter.finish()
            if thinking is not None:
                thinking.write(rest.thinking)
                thinking.end_line()
            out.write(rest.answer)
            said.append(rest.answer)
    out.end_line()
    if passages is not None:
        print(ask_docs.sources_text(passages, "".join(said)), end="", file=sys.stderr)
    return 0


async def _default_model(client: OllamaClient) -> str:
    # The app's one rule: the first installed model that can chat (embedding-only ones cannot).
    name = pick_default_model(await client.tags(), "")
    if not name:
        raise _Failure(
            f"No model is installed on the model server at {client.base_url} that can chat. "
            f"Install one (for example `ollama pull smollm2:135m`) or name one with --model."
        )
    print(f"Using model {name} (choose another with --model).", file=sys.stderr, flush=True)
    return name


class _Output:
    """stdout, flushed per piece, that never fails on a character the terminal's encoding
    cannot show, and knows whether the answer so far ends with a newline."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._open_line = False

    def write(self, text: str) -> None:
        if not text:
            return
        try:
            self._stream.write(text)
        except UnicodeEncodeError:
            encoding = getattr(self._stream, "encoding", None) or "ascii"
            self._stream.write(text.encode(encoding, errors="replace").decode(encoding))
        self._stream.flush()
        self._open_line = not text.endswith("\n")

    def end_line(self) -> None:
        """End a partly written answer with a newline, so the shell prompt starts clean."""
        if self._open_line:
            with contextlib.suppress(OSError):
                self.write("\n")
